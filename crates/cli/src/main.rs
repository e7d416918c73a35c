//! `kubeward`: scan Kubernetes manifests from files, directories or standard input.

mod args;
mod ci_formats;
mod files;
mod output;

use std::io::Write;
use std::process::ExitCode;

use kubeward::Report;

use args::{Command, Format, PssArgs, RbacArgs, ScanArgs};

/// Exit code when nothing at or above the fail-on severity was found.
const EXIT_CLEAN: u8 = 0;
/// Exit code when findings at or above the fail-on severity, or input errors, were found.
const EXIT_FINDINGS: u8 = 1;
/// Exit code for a usage or configuration error.
const EXIT_USAGE: u8 = 2;

/// A scan makes millions of small, short-lived allocations (the YAML parser's
/// scalars, views, findings); mimalloc serves them faster than the system
/// allocator. It is built without transparent huge pages (`no_thp`): on the
/// virtual machines CI runs on, faulting in 2 MB pages the host has not backed
/// yet cost a 10,000-object scan 0.5-0.8 s of kernel time (0.05 s without).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (libmimalloc-sys names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long mimalloc keeps freed memory before it returns it to the system.
/// Its built-in delay, a second, let a 100,000-object scan keep the trees and
/// findings it had freed resident (550-610 MB peak RSS instead of 490 MB); at
/// 10 ms they go back within the scan, at no cost measured in time.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Sets the allocator's options, unless the environment sets them (mimalloc
/// reads `MIMALLOC_PURGE_DELAY`). Call first, before any thread starts:
/// mimalloc's options are not thread-safe to set.
fn allocator_options() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: a plain call into mimalloc with a valid option and value, made
        // before any other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

fn main() -> ExitCode {
    allocator_options();
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let command = match args::parse(&argv) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("kubeward: {message}\n\nRun `kubeward --help` for usage.");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    if command == Command::Lsp {
        return ExitCode::from(
            kubeward_lsp::run_stdio().map_or_else(|e| (eprintln!("kubeward lsp: {e}"), 1).1, |()| 0),
        );
    }
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
        Command::Checklist { format } => output::write_checklist(&mut stdout, format).map(|_| EXIT_CLEAN),
        Command::Schema { which } => {
            let schema = if which == "report" { kubeward::report_schema() } else { kubeward::config_schema() };
            write!(stdout, "{schema}").map(|_| EXIT_CLEAN)
        }
        Command::Scan(scan) => run_scan(&mut stdout, &scan),
        Command::Rbac(rbac) => run_rbac(&mut stdout, &rbac),
        Command::Pss(pss) => run_pss(&mut stdout, &pss),
        Command::Lsp => Ok(EXIT_CLEAN), // served above, before standard output is locked
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

/// How many threads read and parse the input: `KUBEWARD_THREADS` when it is a
/// positive number, otherwise one per available core. Output does not depend on it.
fn threads() -> usize {
    std::env::var("KUBEWARD_THREADS")
        .ok()
        .and_then(|value| value.trim().parse::<usize>().ok())
        .filter(|&threads| threads > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
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
    if scan.input_policies {
        config.input_policies = Some(true);
    }
    // Policy files: the configuration's (relative to its file), then --policy's.
    let base = scan.config.as_deref().and_then(|path| std::path::Path::new(path).parent());
    let mut policy_paths: Vec<String> = config
        .policies
        .iter()
        .map(|path| base.map_or_else(|| path.clone(), |base| base.join(path).display().to_string()))
        .collect();
    policy_paths.extend(scan.policies.iter().cloned());
    let policy_files = match files::read_policies(&policy_paths) {
        Ok(files) => files,
        Err(message) => {
            eprintln!("kubeward: {message}");
            return Ok(EXIT_USAGE);
        }
    };
    let sources: Vec<kubeward::Source<'_>> =
        policy_files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let engine = match kubeward::Engine::with_policies(config, &sources) {
        Ok(engine) => engine,
        Err(error) => {
            eprintln!("kubeward: {error}");
            return Ok(EXIT_USAGE);
        }
    };
    // Files are read as the scan comes to them, not all at once (see `Engine::scan_files`).
    let listed = files::list(&scan.paths);
    let names: Vec<&str> = listed.files.iter().map(|file| file.name.as_str()).collect();
    let mut report = engine.with_threads(threads()).scan_files(&names, |index| match listed.files.get(index) {
        Some(file) => file.read(),
        None => Err(std::io::ErrorKind::NotFound.into()),
    });
    let problems = listed.problems;
    for (path, message) in &problems {
        report.push_input_error(path, message);
    }
    for output in &scan.outputs {
        // Every format is streamed to its destination: a large report's JSON is several times
        // the size of its input, and holding it whole would double the run's memory.
        match &output.path {
            None => write_output(&mut *out, output.format, &report, scan.scorecard)?,
            Some(path) => {
                let written = std::fs::File::create(path)
                    .and_then(|file| write_output(file, output.format, &report, scan.scorecard));
                if let Err(error) = written {
                    eprintln!("kubeward: cannot write {path}: {error}");
                    return Ok(EXIT_USAGE);
                }
            }
        }
    }
    let failing = report.max_severity().is_some_and(|severity| severity >= scan.fail_on) || !report.errors.is_empty();
    // The process ends here: freeing a large report string by string would only delay the exit.
    std::mem::forget(report);
    Ok(if failing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

/// Writes the report in one format to `destination`, through a buffer.
fn write_output(destination: impl Write, format: Format, report: &Report, scorecard: bool) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, destination);
    match format {
        Format::Json => {
            report.write_json_with_threads(&mut out, threads())?;
            out.write_all(b"\n")?;
        }
        Format::Text => {
            output::write_text(&mut out, report)?;
            if scorecard {
                output::write_scorecard(&mut out, report)?;
            }
        }
        Format::Sarif => ci_formats::write_sarif(&mut out, report)?,
        Format::Github => ci_formats::write_github(&mut out, report)?,
        Format::Junit => ci_formats::write_junit(&mut out, report)?,
    }
    out.flush()
}

fn run_pss(out: &mut impl Write, pss: &PssArgs) -> std::io::Result<u8> {
    let engine = kubeward::Engine::default().with_threads(threads());
    let inputs = files::collect(&pss.paths, threads());
    let sources: Vec<kubeward::Source<'_>> =
        inputs.files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let mut report = engine.pss(&sources, pss.level, pss.version);
    for (path, message) in &inputs.problems {
        report.push_input_error(path, message);
    }
    match pss.format {
        Format::Json => writeln!(out, "{}", report.to_json())?,
        // The argument parser accepts only text and json for `pss`.
        _ => output::write_pss_text(out, &report)?,
    }
    Ok(if report.allowed() { EXIT_CLEAN } else { EXIT_FINDINGS })
}

fn run_rbac(out: &mut impl Write, rbac: &RbacArgs) -> std::io::Result<u8> {
    let inputs = files::collect(&rbac.paths, threads());
    for (path, message) in &inputs.problems {
        eprintln!("kubeward: {path}: {message}");
    }
    let sources: Vec<kubeward::Source<'_>> =
        inputs.files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let review = kubeward::Engine::default().with_threads(threads()).rbac_review(&sources);
    match rbac.format {
        Format::Json => writeln!(out, "{}", review.to_json())?,
        // The argument parser accepts only text and json for `rbac`.
        _ => write!(out, "{}", review.to_text())?,
    }
    Ok(if inputs.problems.is_empty() { EXIT_CLEAN } else { EXIT_FINDINGS })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards the option's number against a mimalloc that numbers its options
    /// otherwise: option 15 must be the purge delay, whose built-in value is a second.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reading an option is a plain call.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
        allocator_options();
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, PURGE_DELAY_MS);
    }
}
