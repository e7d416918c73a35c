//! `kubeward`: scan Kubernetes manifests from files, directories or standard input.

mod args;
mod files;
mod output;

use std::io::Write;
use std::process::ExitCode;

use args::{Command, Format, RbacArgs, ScanArgs};

/// Exit code when nothing at or above the fail-on severity was found.
const EXIT_CLEAN: u8 = 0;
/// Exit code when findings at or above the fail-on severity, or input errors, were found.
const EXIT_FINDINGS: u8 = 1;
/// Exit code for a usage or configuration error.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let command = match args::parse(&argv) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("kubeward: {message}\n\nRun `kubeward --help` for usage.");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let result = match command {
        Command::Help => write!(stdout, "{}", args::HELP).map(|_| EXIT_CLEAN),
        Command::Version => writeln!(stdout, "kubeward {}", kubeward::VERSION).map(|_| EXIT_CLEAN),
        Command::Checks { format } => output::write_checks(&mut stdout, format).map(|_| EXIT_CLEAN),
        Command::Explain { id } => match kubeward::explain(&id) {
            Some(text) => write!(stdout, "{text}").map(|_| EXIT_CLEAN),
            None => {
                eprintln!("kubeward: unknown check `{id}` (run `kubeward checks` for the list)");
                Ok(EXIT_USAGE)
            }
        },
        Command::Scan(scan) => run_scan(&mut stdout, &scan),
        Command::Rbac(rbac) => run_rbac(&mut stdout, &rbac),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // A closed pipe (`kubeward scan . | head`) is not an error worth a message.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_CLEAN),
        Err(error) => {
            eprintln!("kubeward: cannot write output: {error}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run_scan(out: &mut impl Write, scan: &ScanArgs) -> std::io::Result<u8> {
    let mut config = match &scan.config {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match kubeward::Config::from_text(&text) {
                Ok(config) => config,
                Err(error) => {
                    eprintln!("kubeward: {path}: {error}");
                    return Ok(EXIT_USAGE);
                }
            },
            Err(error) => {
                eprintln!("kubeward: cannot read configuration {path}: {error}");
                return Ok(EXIT_USAGE);
            }
        },
        None => kubeward::Config::default(),
    };
    if config.today.is_none() {
        config.today = Some(files::today());
    }
    let engine = match kubeward::Engine::new(config) {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("kubeward: {error}");
            return Ok(EXIT_USAGE);
        }
    };
    let inputs = files::collect(&scan.paths);
    let sources: Vec<kubeward::Source<'_>> =
        inputs.files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let mut report = engine.scan(&sources);
    for (path, message) in &inputs.problems {
        report.push_input_error(path, message);
    }
    match scan.format {
        Format::Json => writeln!(out, "{}", report.to_json())?,
        Format::Text => output::write_text(out, &report)?,
    }
    let failing = report.max_severity().is_some_and(|severity| severity >= scan.fail_on) || !report.errors.is_empty();
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn run_rbac(out: &mut impl Write, rbac: &RbacArgs) -> std::io::Result<u8> {
    let inputs = files::collect(&rbac.paths);
    for (path, message) in &inputs.problems {
        eprintln!("kubeward: {path}: {message}");
    }
    let sources: Vec<kubeward::Source<'_>> =
        inputs.files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let review = kubeward::Engine::default().rbac_review(&sources);
    match rbac.format {
        Format::Json => writeln!(out, "{}", review.to_json())?,
        Format::Text => write!(out, "{}", review.to_text())?,
    }
    Ok(if inputs.problems.is_empty() { EXIT_CLEAN } else { EXIT_FINDINGS })
}
