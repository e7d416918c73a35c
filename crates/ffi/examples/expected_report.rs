//! Prints the JSON report the Rust core gives for the files named on the command
//! line, scanned together with the default configuration: what every C-door consumer
//! must return for the same input. Each file is reported under its base name.
//!
//! `cargo run -p kubeward-ffi --example expected_report -- FILE... > expected.json`

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut inputs = Vec::new();
    for path in std::env::args().skip(1) {
        let name = Path::new(&path).file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        match std::fs::read(&path) {
            Ok(bytes) => inputs.push((name, bytes)),
            Err(error) => {
                eprintln!("expected_report: {path}: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    if inputs.is_empty() {
        eprintln!("usage: expected_report FILE...");
        return ExitCode::FAILURE;
    }
    let sources: Vec<kubeward::Source<'_>> =
        inputs.iter().map(|(name, bytes)| kubeward::Source::new(name, bytes)).collect();
    // No trailing newline: the file holds exactly the report text the C door returns.
    print!("{}", kubeward::Engine::default().scan(&sources).to_json());
    ExitCode::SUCCESS
}
