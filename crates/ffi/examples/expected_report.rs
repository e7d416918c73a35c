//! Prints the JSON the Rust core gives for the files named on the command line,
//! read together with the default configuration: what every C-door consumer must
//! return for the same input. Each file is reported under its base name.
//!
//! ```sh
//! cargo run -p kubeward-ffi --example expected_report -- FILE... > report.json
//! cargo run -p kubeward-ffi --example expected_report -- --pss LEVEL VERSION FILE... > pss.json
//! cargo run -p kubeward-ffi --example expected_report -- --rbac FILE... > rbac.json
//! cargo run -p kubeward-ffi --example expected_report -- --policy POLICY... -- FILE... > report.json
//! ```
//!
//! `--policy` (repeatable, first) builds the engine with those policy files
//! (`kubeward_engine_new_with_policies`); `--` ends them.
//!
//! The first form is `Engine::scan(..)` with `Engine::attach_fixes`, as JSON (`kubeward_engine_scan`), the second
//! `Engine::pss(..).to_json()` (`kubeward_engine_pss`), the third
//! `Engine::rbac_review(..).to_json()` (`kubeward_engine_rbac_review`).

use std::path::Path;
use std::process::ExitCode;

use kubeward::{Engine, PssLevel, PssVersion, Source};

const USAGE: &str = "usage: expected_report [--policy POLICY... --] [--pss LEVEL VERSION | --rbac] FILE...";

/// Reads a file, reported under its base name.
fn read(path: &str) -> Result<(String, Vec<u8>), String> {
    let name = Path::new(path).file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    std::fs::read(path).map(|bytes| (name, bytes)).map_err(|error| format!("expected_report: {path}: {error}"))
}

/// What to print for the files.
enum Mode {
    Scan,
    Pss(PssLevel, PssVersion),
    Rbac,
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    let mut policies = Vec::new();
    if args.peek().map(String::as_str) == Some("--policy") {
        args.next();
        for path in args.by_ref() {
            if path == "--" {
                break;
            }
            match read(&path) {
                Ok(file) => policies.push(file),
                Err(message) => {
                    eprintln!("{message}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let mode = match args.peek().map(String::as_str) {
        Some("--pss") => {
            args.next();
            let level = args.next().unwrap_or_default().parse::<PssLevel>();
            let version = args.next().unwrap_or_default().parse::<PssVersion>();
            match (level, version) {
                (Ok(level), Ok(version)) => Mode::Pss(level, version),
                (Err(error), _) | (_, Err(error)) => {
                    eprintln!("expected_report: {error}\n{USAGE}");
                    return ExitCode::FAILURE;
                }
            }
        }
        Some("--rbac") => {
            args.next();
            Mode::Rbac
        }
        _ => Mode::Scan,
    };
    let mut inputs = Vec::new();
    for path in args {
        match read(&path) {
            Ok(file) => inputs.push(file),
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::FAILURE;
            }
        }
    }
    if inputs.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::FAILURE;
    }
    let sources: Vec<Source<'_>> = inputs.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let policy_sources: Vec<Source<'_>> = policies.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let engine = match Engine::with_policies(kubeward::Config::default(), &policy_sources) {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("expected_report: {error}");
            return ExitCode::FAILURE;
        }
    };
    let json = match mode {
        Mode::Scan => {
            let mut report = engine.scan(&sources);
            engine.attach_fixes(&sources, &mut report);
            report.to_json()
        }
        Mode::Pss(level, version) => engine.pss(&sources, level, version).to_json(),
        Mode::Rbac => engine.rbac_review(&sources).to_json(),
    };
    // No trailing newline: the file holds exactly the text the C door returns.
    print!("{json}");
    ExitCode::SUCCESS
}
