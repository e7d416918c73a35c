//! Replays every input kept under `fuzz/regressions/<target>/` (each a crash or a
//! broken invariant once found) with the fuzz targets' own checks, so they stay
//! fixed without the fuzzer installed. Each runs on a 256 KiB stack, as small as
//! a browser's WebAssembly stack.
//!
//! - `scan_bytes/` and `scan_structured/`: the first byte picks the engine (even:
//!   default limits, odd: tight limits, see `invariants::engines`), the rest is the
//!   file scanned (`scan_structured` inputs are kept as the YAML they generated);
//! - `config/`: a configuration text;
//! - `pss/`: the first two bytes pick the level and version (see the `pss` target), the rest is the file.

use std::path::{Path, PathBuf};

mod support;
use support::invariants::{check_config_text, engines, pss_and_check, scan_and_check};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions").join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.map(|e| e.expect("readable directory").path()).collect(),
        Err(_) => Vec::new(),
    };
    files.retain(|path| path.is_file() && path.extension().is_none_or(|e| e != "md"));
    files.sort();
    files
}

fn on_small_stack(name: String, body: impl FnOnce() + Send + 'static) {
    let outcome =
        std::thread::Builder::new().name(name.clone()).stack_size(256 * 1024).spawn(body).expect("thread").join();
    assert!(outcome.is_ok(), "regression input {name} fails again");
}

fn replay_scans(target: &str) -> usize {
    let files = inputs(target);
    for path in &files {
        let data = std::fs::read(path).expect("readable input");
        on_small_stack(path.display().to_string(), move || {
            let engines = engines();
            let (engine, bytes) = match data.split_first() {
                Some((&selector, rest)) => (&engines[usize::from(selector & 1)], rest),
                None => (&engines[0], &data[..]),
            };
            scan_and_check(engine, bytes);
        });
    }
    files.len()
}

#[test]
fn scan_bytes_regressions() {
    assert!(replay_scans("scan_bytes") > 0, "fuzz/regressions/scan_bytes holds the inputs found so far");
}

#[test]
fn scan_structured_regressions() {
    replay_scans("scan_structured");
}

#[test]
fn config_regressions() {
    let files = inputs("config");
    assert!(!files.is_empty(), "fuzz/regressions/config holds the inputs found so far");
    for path in files {
        let bytes = std::fs::read(&path).expect("readable input");
        on_small_stack(path.display().to_string(), move || {
            if let Ok(text) = std::str::from_utf8(&bytes) {
                check_config_text(text);
            }
        });
    }
}

fn pss_inputs(data: &[u8]) -> (kubeward::PssLevel, kubeward::PssVersion, &[u8]) {
    use kubeward::{PssLevel, PssVersion};
    match data {
        [a, b, rest @ ..] => {
            let level = [PssLevel::Privileged, PssLevel::Baseline, PssLevel::Restricted][usize::from(*a % 3)];
            let version = if b % 42 == 41 { PssVersion::LATEST } else { PssVersion::v1(u32::from(b % 42)) };
            (level, version, rest)
        }
        _ => (PssLevel::Restricted, PssVersion::LATEST, data),
    }
}

/// The `pss` target's invariants on its regression inputs, and on every kept scan
/// input and bundled example at each level.
#[test]
fn pss_regressions_and_examples() {
    for path in inputs("pss") {
        let data = std::fs::read(&path).expect("readable input");
        on_small_stack(path.display().to_string(), move || {
            let (level, version, bytes) = pss_inputs(&data);
            pss_and_check(&kubeward::Engine::default(), bytes, level, version);
        });
    }
    let mut files = inputs("scan_bytes");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests");
    for variant in ["insecure", "hardened"] {
        let mut found: Vec<PathBuf> =
            std::fs::read_dir(examples.join(variant)).expect("examples").map(|e| e.expect("entry").path()).collect();
        found.sort();
        files.extend(found);
    }
    for path in files {
        let data = std::fs::read(&path).expect("readable input");
        on_small_stack(path.display().to_string(), move || {
            for level in [kubeward::PssLevel::Privileged, kubeward::PssLevel::Baseline, kubeward::PssLevel::Restricted]
            {
                for version in [kubeward::PssVersion::v1(0), kubeward::PssVersion::v1(25), kubeward::PssVersion::LATEST]
                {
                    pss_and_check(&kubeward::Engine::default(), &data, level, version);
                }
            }
        });
    }
}
