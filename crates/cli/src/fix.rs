//! `kubeward fix [--config FILE] [--unsafe] [--only CHECK,...] [--diff] PATH...`
//!
//! Scans the files, applies the fixes of their findings (the safe ones, and
//! the unsafe ones with `--unsafe`), writes each changed file atomically, then
//! scans again and reports what is left. `--diff` prints a unified diff and
//! writes nothing (exit 1 when something would change). `-` reads standard
//! input and writes the fixed text to standard output. All its logic is here;
//! the argument parser only hands over the arguments after `fix`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use kubeward::{Config, Engine, FixSafety, Source};

use crate::files;

/// The `fix` command's options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FixOptions {
    pub config: Option<String>,
    /// Apply the unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Only these checks' fixes (all when empty).
    pub only: Vec<String>,
    /// Print a unified diff instead of writing.
    pub diff: bool,
    pub paths: Vec<String>,
    /// `--help`: print the command's help.
    pub help: bool,
}

pub(crate) const HELP: &str = "\
FIX:
    kubeward fix [--config FILE] [--unsafe] [--only CHECK,...] [--diff] PATH...
    --unsafe              also apply fixes that may stop a workload (readOnlyRootFilesystem,
                          runAsNonRoot, drop ALL, limits, ...): review the result
    --only CHECK,...      only the fixes of these checks
    --diff                print a unified diff and write nothing; exit 1 if anything would change
    PATH                  files, directories, or - (standard input; the fixed text goes to
                          standard output). Helm-rendered documents (`# Source:`) and
                          documents that do not parse are never edited (docs/fixes.md)
";

/// Parses the arguments after `fix`.
pub(crate) fn parse(args: &[String]) -> Result<FixOptions, String> {
    let mut options = FixOptions::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = || inline.clone().or_else(|| rest.next().cloned()).ok_or(format!("{flag} needs a value"));
        match flag {
            "--unsafe" => options.unsafe_fixes = true,
            "--diff" => options.diff = true,
            "-h" | "--help" => return Ok(FixOptions { help: true, ..FixOptions::default() }),
            "--only" => {
                options.only.extend(value()?.split(',').map(str::trim).filter(|c| !c.is_empty()).map(String::from))
            }
            "--config" | "-c" => options.config = Some(value()?),
            "-" => options.paths.push(arg.clone()),
            other if other.starts_with('-') => return Err(format!("unexpected argument `{other}` for `fix`")),
            _ => options.paths.push(arg.clone()),
        }
    }
    if options.paths.is_empty() {
        return Err("`fix` needs at least one PATH".into());
    }
    for check in &options.only {
        if kubeward::explain(check).is_none() {
            return Err(format!("unknown check `{check}` in --only (run `kubeward checks` for the list)"));
        }
    }
    Ok(options)
}

fn load_config(path: Option<&str>) -> Result<Config, String> {
    let mut config = match path {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read configuration {path}: {e}"))?;
            Config::from_text(&text).map_err(|e| format!("{path}: {e}"))?
        }
        None => Config::default(),
    };
    if config.today.is_none() {
        config.today = Some(files::today());
    }
    Ok(config)
}

/// Runs `kubeward fix`; the exit code: 0 done (or, with `--diff`, nothing to
/// change), 1 something would change (`--diff`) or a file could not be
/// written, 2 a usage or configuration error.
pub(crate) fn run(out: &mut impl Write, options: &FixOptions) -> std::io::Result<u8> {
    if options.help {
        write!(out, "{HELP}")?;
        return Ok(0);
    }
    let engine = match load_config(options.config.as_deref()).and_then(|c| Engine::new(c).map_err(|e| e.to_string())) {
        Ok(engine) => engine,
        Err(message) => {
            eprintln!("kubeward: {message}");
            return Ok(2);
        }
    };
    let listed = files::list(&options.paths);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_are_read() {
        let options = parse(&args("--unsafe --only=run-as-non-root,seccomp-profile --diff a -")).unwrap();
        assert!(options.unsafe_fixes && options.diff);
        assert_eq!(options.only, ["run-as-non-root", "seccomp-profile"]);
        assert_eq!(options.paths, ["a", "-"]);
        assert!(parse(&args("--only nope a")).is_err());
        assert!(parse(&args("--unsafe")).is_err());
    }
}
