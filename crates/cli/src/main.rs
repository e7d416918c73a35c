//! `kubeward`: scan Kubernetes manifests from files, directories or standard input.

mod args;
mod baseline;
mod ci_formats;
mod files;
mod fix;
mod human;
mod output;
mod scan;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use args::{Cli, ColorWhen, Command, ListingFormat, PssArgs, RbacArgs, SchemaKind};

/// Exit code when nothing at or above the fail-on severity was found.
const EXIT_CLEAN: u8 = 0;
/// Exit code when findings at or above the fail-on severity, or documents that could not be parsed, were found.
const EXIT_FINDINGS: u8 = 1;
/// Exit code for a usage or configuration error, or input that could not be read.
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
    // clap's own help and errors follow --color too (read before parsing).
    let choice = match requested_color(std::env::args_os().skip(1)) {
        Some(ColorWhen::Always) => clap::ColorChoice::Always,
        Some(ColorWhen::Never) => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    };
    let parsed = Cli::command().color(choice).try_get_matches().and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        // Help and version exit 0; usage errors 2, with clap's suggestions.
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { EXIT_USAGE } else { EXIT_CLEAN });
        }
    };
    let color = color_on(cli.color);
    if let Command::Lsp = cli.command {
        // Before stdout is locked here: the server's writer thread locks it.
        return match kubeward_lsp::run_stdio() {
            Ok(()) => ExitCode::from(EXIT_CLEAN),
            Err(error) => {
                eprintln!("kubeward lsp: {error}");
                ExitCode::from(EXIT_FINDINGS)
            }
        };
    }
    let mut stdout = std::io::stdout().lock();
    let result = match cli.command {
        Command::Checks(listing) => output::write_checks(&mut stdout, listing.format).map(|_| EXIT_CLEAN),
        Command::Explain { id } => run_explain(&mut stdout, &id),
        Command::Checklist(listing) => output::write_checklist(&mut stdout, listing.format).map(|_| EXIT_CLEAN),
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Report => kubeward::report_schema(),
                SchemaKind::Config => kubeward::config_schema(),
                SchemaKind::Baseline => baseline::SCHEMA.to_string(),
            };
            write!(stdout, "{schema}").map(|_| EXIT_CLEAN)
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "kubeward", &mut stdout);
            Ok(EXIT_CLEAN)
        }
        Command::Scan(scan) => scan::run(&mut stdout, &scan, color),
        Command::Rbac(rbac) => run_rbac(&mut stdout, &rbac),
        Command::Pss(pss) => run_pss(&mut stdout, &pss),
        Command::Fix(options) => fix::run(&mut stdout, &options),
        // Served above, before standard output is locked.
        Command::Lsp => Ok(EXIT_CLEAN),
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

/// The `--color` value among the arguments, if one is there and valid.
fn requested_color(args: impl Iterator<Item = std::ffi::OsString>) -> Option<ColorWhen> {
    let args: Vec<String> = args.map(|arg| arg.to_string_lossy().into_owned()).collect();
    let value = args.iter().enumerate().rev().find_map(|(index, arg)| match arg.strip_prefix("--color") {
        Some("") => args.get(index + 1).cloned(),
        Some(rest) => rest.strip_prefix('=').map(str::to_string),
        None => None,
    })?;
    <ColorWhen as clap::ValueEnum>::from_str(&value, false).ok()
}

/// Whether standard output gets colour: `--color always|never`, or (auto) a
/// terminal with `NO_COLOR` unset (anstream's rules, which also read `CLICOLOR_FORCE`).
fn color_on(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never,
    }
}

/// A "did you mean" hint for a mistyped check id, or nothing.
pub(crate) fn check_hint(id: &str) -> String {
    let checks = kubeward::checks();
    kubeward::closest(id, checks.iter().map(|check| check.id.as_str()))
        .map(|id| format!("; did you mean `{id}`?"))
        .unwrap_or_default()
}

fn run_explain(out: &mut impl Write, id: &str) -> std::io::Result<u8> {
    match kubeward::explain(id) {
        Some(text) => write!(out, "{text}").map(|_| EXIT_CLEAN),
        None => {
            eprintln!("kubeward: unknown check `{id}` (run `kubeward checks` for the list){}", check_hint(id));
            Ok(EXIT_USAGE)
        }
    }
}

/// How many threads read and parse the input: `KUBEWARD_THREADS` when it is a
/// positive number, otherwise one per available core. Output does not depend on it.
pub(crate) fn threads() -> usize {
    std::env::var("KUBEWARD_THREADS")
        .ok()
        .and_then(|value| value.trim().parse::<usize>().ok())
        .filter(|&threads| threads > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
}

fn walk_or_exit(args: &args::WalkArgs) -> Result<files::Walk, u8> {
    files::Walk::new(args).map_err(|message| {
        eprintln!("kubeward: {message}");
        EXIT_USAGE
    })
}

fn run_pss(out: &mut impl Write, pss: &PssArgs) -> std::io::Result<u8> {
    let walk = match walk_or_exit(&pss.walk) {
        Ok(walk) => walk,
        Err(code) => return Ok(code),
    };
    let engine = kubeward::Engine::default().with_threads(threads());
    let inputs = files::collect(&pss.paths, &walk, threads());
    let sources: Vec<kubeward::Source<'_>> =
        inputs.files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let mut report = engine.pss(&sources, pss.level, pss.pss_version);
    for (path, message) in &inputs.problems {
        report.push_input_error(path, message);
    }
    match pss.format {
        ListingFormat::Json => writeln!(out, "{}", report.to_json())?,
        ListingFormat::Text => output::write_pss_text(out, &report)?,
    }
    Ok(if !inputs.problems.is_empty() {
        EXIT_USAGE
    } else if report.allowed() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    })
}

fn run_rbac(out: &mut impl Write, rbac: &RbacArgs) -> std::io::Result<u8> {
    let walk = match walk_or_exit(&rbac.walk) {
        Ok(walk) => walk,
        Err(code) => return Ok(code),
    };
    let inputs = files::collect(&rbac.paths, &walk, threads());
    for (path, message) in &inputs.problems {
        eprintln!("kubeward: {path}: {message}");
    }
    let sources: Vec<kubeward::Source<'_>> =
        inputs.files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let review = kubeward::Engine::default().with_threads(threads()).rbac_review(&sources);
    match rbac.format {
        ListingFormat::Json => writeln!(out, "{}", review.to_json())?,
        ListingFormat::Text => write!(out, "{}", review.to_text())?,
    }
    Ok(if inputs.problems.is_empty() { EXIT_CLEAN } else { EXIT_USAGE })
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
