//! `kubeward fix [--config FILE] [--unsafe] [--only CHECK,...] [--diff] PATH...`
//!
//! Scans the files, applies the fixes of their findings (the safe ones, and
//! the unsafe ones with `--unsafe`), writes each changed file atomically, then
//! scans again and reports what is left. `--diff` prints a unified diff and
//! writes nothing (exit 1 when something would change). `-` reads standard
//! input and writes the fixed text to standard output.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use kubeward::{Config, Engine, FixSafety, Source};

use crate::files;

/// `kubeward fix` options.
#[derive(Debug, clap::Args)]
pub(crate) struct FixOptions {
    /// Files, directories, or - (standard input; the fixed text goes to standard output).
    /// Helm-rendered documents (`# Source:`) and documents that do not parse are never edited.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    #[command(flatten)]
    pub configuration: crate::args::ConfigArgs,
    /// Also apply fixes that may stop a workload (readOnlyRootFilesystem, runAsNonRoot, drop ALL,
    /// limits, removing host namespaces): review the result.
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Only the fixes of these checks.
    #[arg(long, value_name = "CHECK,...", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Print a unified diff and write nothing; exit 1 if anything would change.
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub walk: crate::args::WalkArgs,
}

/// The configuration `fix` uses (the one `scan` would), and the walk with its excludes.
fn load_config(options: &FixOptions) -> Result<(Config, files::Walk), String> {
    let (mut config, path) = crate::scan::load_config(&options.configuration)?;
    if config.today.is_none() {
        config.today = Some(files::today());
    }
    let walk = crate::scan::walk_with_excludes(&options.walk, &config, path.as_deref())?;
    Ok((config, walk))
}

/// Runs `kubeward fix`; the exit code: 0 done (or, with `--diff`, nothing to
/// change), 1 something would change (`--diff`) or a file could not be
/// written, 2 a usage or configuration error.
pub(crate) fn run(out: &mut impl Write, options: &FixOptions) -> std::io::Result<u8> {
    if let Some(check) = options.only.iter().find(|check| kubeward::explain(check).is_none()) {
        eprintln!("kubeward: --only: unknown check `{check}`{}", crate::check_hint(check));
        return Ok(2);
    }
    let loaded = load_config(options)
        .and_then(|(config, walk)| Engine::new(config).map(|engine| (engine, walk)).map_err(|e| e.to_string()));
    let (engine, walk) = match loaded {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("kubeward: {message}");
            return Ok(2);
        }
    };
    let listed = files::list(&options.paths, &walk);
    let unreadable = !listed.problems.is_empty();
    for (path, message) in &listed.problems {
        eprintln!("kubeward: {path}: {message}");
    }
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for file in &listed.files {
        match file.read() {
            Ok(content) => inputs.push((file.name.clone(), content)),
            Err(error) => eprintln!("kubeward: cannot read {}: {error}", file.name),
        }
    }
    let sources: Vec<Source<'_>> = inputs.iter().map(|(name, content)| Source::new(name, content)).collect();
    let report = engine.scan(&sources);
    let choose = |check: &str, safety: FixSafety| {
        (options.only.is_empty() || options.only.iter().any(|c| c == check))
            && (safety == FixSafety::Safe || (options.unsafe_fixes && safety == FixSafety::Unsafe))
    };
    let mut would_change = false;
    let mut failed = false;
    let mut fixed_count = 0usize;
    let mut changed_files = 0usize;
    let mut notes = BTreeSet::new();
    let mut after: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, content) in &inputs {
        let Ok(text) = std::str::from_utf8(content) else {
            notes.insert(format!("{name}: not UTF-8 text, left alone"));
            after.push((name.clone(), content.clone()));
            continue;
        };
        let outcome = engine.apply_fixes(name, text, &report, &choose);
        for note in &outcome.notes {
            notes.insert(format!("{name}: {note}"));
        }
        if options.diff {
            if outcome.changed() {
                would_change = true;
                let diff = similar::TextDiff::from_lines(text, &outcome.text);
                write!(out, "{}", diff.unified_diff().context_radius(3).header(name, name))?;
            }
            continue;
        }
        if name == "-" {
            out.write_all(outcome.text.as_bytes())?;
        } else if outcome.changed() {
            match write_atomically(Path::new(name), content, outcome.text.as_bytes()) {
                Ok(()) => {}
                Err(message) => {
                    eprintln!("kubeward: {name}: {message}");
                    failed = true;
                    after.push((name.clone(), content.clone()));
                    continue;
                }
            }
        }
        if outcome.changed() {
            changed_files += 1;
            fixed_count += outcome.applied.len();
        }
        after.push((name.clone(), outcome.text.into_bytes()));
    }
    for note in &notes {
        eprintln!("kubeward: {note}");
    }
    if unreadable {
        return Ok(2);
    }
    if options.diff {
        return Ok(if would_change { 1 } else { 0 });
    }
    // What is left, scanned again: on standard error, as standard output may be the fixed text.
    let sources: Vec<Source<'_>> = after.iter().map(|(name, content)| Source::new(name, content)).collect();
    let left = engine.scan(&sources);
    let mut err = std::io::stderr().lock();
    writeln!(err, "kubeward: applied {fixed_count} fixes in {changed_files} files; what is left:")?;
    crate::output::write_text(&mut err, &left)?;
    Ok(if failed { 1 } else { 0 })
}

/// Attaches their fixes to the findings of a report about `listed`, for the
/// JSON report (the files with findings are read again).
pub(crate) fn attach(engine: &Engine, listed: &files::Listed, report: &mut kubeward::Report) {
    let with_findings: BTreeSet<&str> = report.findings.iter().map(|f| &*f.file).collect();
    let read: Vec<(String, Vec<u8>)> = listed
        .files
        .iter()
        .filter(|file| with_findings.contains(file.name.as_str()))
        .filter_map(|file| Some((file.name.clone(), file.read().ok()?)))
        .collect();
    let sources: Vec<Source<'_>> = read.iter().map(|(name, content)| Source::new(name, content)).collect();
    engine.attach_fixes(&sources, report);
}

/// Writes `new` over `path` if it still holds `old`: a temporary file in the
/// same directory, flushed to disk, given the file's permissions, renamed over it.
fn write_atomically(path: &Path, old: &[u8], new: &[u8]) -> Result<(), String> {
    let current = std::fs::read(path).map_err(|e| format!("cannot read it again: {e}"))?;
    if current != old {
        return Err("changed since it was read; not written (run kubeward fix again)".into());
    }
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{file_name}.kubeward-fix.{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(new)?;
        file.sync_all()?;
        std::fs::set_permissions(&temp, metadata.permissions())?;
        std::fs::rename(&temp, path)?;
        // The rename itself is durable once the directory is flushed (where the platform allows it).
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    written.map_err(|error| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot write: {error}")
    })
}
