//! Writes the results the Rust core gives for the fixtures under
//! `crates/wasm/tests/fixtures/`, for the Node tests to compare the
//! WebAssembly package's results with (after removing its `from`/`to`).
//!
//! `cargo run -p kubeward-wasm --example expected_reports [OUT_DIR]`
//! (default `target/wasm-expected` in the workspace): one `<fixture>.json`
//! per fixture scanned alone, `all.json` for all of them in one scan, and,
//! for all of them together, the Pod Security Standards results
//! `pss-restricted-latest.json` and `pss-baseline-v1.25.json` and the RBAC
//! review `rbac.json`; and `policies.json`, the report for the manifests of
//! `examples/policies/k8s` with the policy pack of `examples/policies/policies`
//! (each file under its base name), for the package built with policies.

use std::path::{Path, PathBuf};

use kubeward::{Engine, PssLevel, PssVersion, Source};

/// The Pod Security Standards levels and versions the Node tests evaluate.
const PSS_SETTINGS: [(PssLevel, PssVersion); 2] =
    [(PssLevel::Restricted, PssVersion::LATEST), (PssLevel::Baseline, PssVersion::v1(25))];

/// A file's base name and bytes.
type NamedFile = (String, Vec<u8>);

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out =
        std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| crate_dir.join("../../target/wasm-expected"));
    std::fs::create_dir_all(&out)?;
    let mut fixtures: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in std::fs::read_dir(crate_dir.join("tests/fixtures"))? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        fixtures.push((name.to_string(), std::fs::read(&path)?));
    }
    fixtures.sort();
    let engine = Engine::default();
    for (name, bytes) in &fixtures {
        let report = engine.scan(&[Source::new(name, bytes)]);
        std::fs::write(out.join(format!("{name}.json")), report.to_json())?;
    }
    let all: Vec<Source<'_>> = fixtures.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    std::fs::write(out.join("all.json"), engine.scan(&all).to_json())?;
    for (level, version) in PSS_SETTINGS {
        std::fs::write(out.join(format!("pss-{level}-{version}.json")), engine.pss(&all, level, version).to_json())?;
    }
    std::fs::write(out.join("rbac.json"), engine.rbac_review(&all).to_json())?;
    let pack = |dir: &str| -> Result<Vec<NamedFile>, Box<dyn std::error::Error>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(crate_dir.join("../../examples/policies").join(dir))? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            files.push((name, std::fs::read(&path)?));
        }
        files.sort();
        Ok(files)
    };
    let (policies, manifests) = (pack("policies")?, pack("k8s")?);
    let policy_sources: Vec<Source<'_>> = policies.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let manifest_sources: Vec<Source<'_>> = manifests.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    match Engine::with_policies(kubeward::Config::default(), &policy_sources) {
        Ok(engine) => std::fs::write(out.join("policies.json"), engine.scan(&manifest_sources).to_json())?,
        // Without the `policies` feature there is no report to expect.
        Err(error) => eprintln!("expected_reports: no policies.json ({error})"),
    }
    println!("wrote {} expected results to {}", fixtures.len() + 1 + PSS_SETTINGS.len() + 1, out.display());
    Ok(())
}
