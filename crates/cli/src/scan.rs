//! `kubeward scan`: the configuration (given, found or none), the files, the
//! scan, the baseline, and the outputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use kubeward::{Config, Report};

use crate::args::{Format, ScanArgs};
use crate::{baseline, ci_formats, files, human, output, threads, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE};

/// The names a configuration is found under, in order of preference.
pub(crate) const CONFIG_NAMES: [&str; 2] = [".kubeward.yaml", "kubeward.yaml"];

/// The configuration file in `start` or its nearest parent that has one,
/// looking no further up than the repository root (a directory holding `.git`).
pub(crate) fn discover_config(start: &Path) -> Option<PathBuf> {
    let mut dir = start.to_path_buf();
    loop {
        for name in CONFIG_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() || !dir.pop() {
            return None;
        }
    }
}

/// A path for messages: relative to the current directory when under it.
fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd).unwrap_or(path).display().to_string()
}

/// What the people's text output says about the run beyond the report.
#[derive(Default)]
pub(crate) struct RunNotes {
    /// The configuration in use, if any.
    pub config: Option<String>,
    /// Files an exclude glob left out.
    pub excluded: usize,
    /// The baseline in use, and the entries no finding matched any more.
    pub baseline: Option<(String, Vec<baseline::Entry>)>,
    /// Findings baselined.
    pub baselined: usize,
    /// The configuration's exemptions that suppressed nothing, described.
    pub unused_exemptions: Vec<String>,
}

/// The configuration's exemptions (`ignores`) that suppressed no finding of
/// this run (expired ones aside: they suppress nothing by design).
fn unused_exemptions(ignores: &[kubeward::ConfigIgnore], today: &str, report: &Report) -> Vec<String> {
    ignores
        .iter()
        .enumerate()
        .filter(|(_, ignore)| ignore.expires.as_deref().is_none_or(|expires| today <= expires))
        // One naming an unknown check has its invalid-exemption finding already.
        .filter(|(index, _)| {
            let pointer = format!("/ignores/{index}/check");
            !report.findings.iter().any(|finding| finding.check == "invalid-exemption" && finding.path == pointer)
        })
        .filter(|(_, ignore)| {
            !report.findings.iter().any(|finding| {
                finding.suppressed.as_ref().is_some_and(|s| s.by == "config")
                    && ignore.applies(
                        (&finding.object.kind, finding.object.namespace.as_deref(), finding.object.name.as_deref()),
                        &finding.check,
                        finding.container.as_deref(),
                    )
            })
        })
        .map(|(index, ignore)| format!("ignores[{index}] ({}) suppresses nothing", ignore.check))
        .collect()
}

/// Adds "did you mean" to a configuration error about an unknown key (serde's
/// ``unknown field `x`, expected one of `a`, `b` ``) or an unknown check id.
pub(crate) fn with_hint(message: String) -> String {
    if let Some((_, rest)) = message.split_once("unknown field `") {
        let Some((field, expected)) = rest.split_once('`') else { return message };
        // The list ends where the key's path (` at `a.b``) begins.
        let expected = expected.split(" at `").next().unwrap_or_default();
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return match kubeward::closest(field, candidates) {
            Some(key) => format!("{message}; did you mean `{key}`?"),
            None => message,
        };
    }
    if let Some((_, rest)) = message.split_once("unknown check `") {
        let id = rest.split('`').next().unwrap_or_default().to_string();
        return format!("{message}{}", crate::check_hint(&id));
    }
    message
}

/// Reads the configuration: `--config`, else the one found, unless `--no-config`.
/// Returns it with its file's name, or the message of the usage error.
pub(crate) fn load_config(args: &crate::args::ConfigArgs) -> Result<(Config, Option<String>), String> {
    let path = match (args.config.as_ref(), args.no_config) {
        (Some(path), _) => Some(path.clone()),
        (None, true) => None,
        (None, false) => {
            std::env::current_dir().ok().and_then(|cwd| discover_config(&cwd)).map(|path| display_path(&path))
        }
    };
    let Some(path) = path else { return Ok((Config::default(), None)) };
    let text = std::fs::read_to_string(&path).map_err(|error| format!("cannot read configuration {path}: {error}"))?;
    let mut config = Config::from_text(&text).map_err(|error| with_hint(format!("{path}: {error}")))?;
    config.file = Some(path.clone());
    Ok((config, Some(path)))
}

/// How directories are walked: the options, and the configuration's `exclude`
/// (globs relative to the configuration file at `config_path`).
pub(crate) fn walk_with_excludes(
    args: &crate::args::WalkArgs,
    config: &Config,
    config_path: Option<&str>,
) -> Result<files::Walk, String> {
    let mut walk = files::Walk::new(args)?;
    if !config.exclude.is_empty() {
        let base = config_path.and_then(|path| Path::new(path).parent()).filter(|b| !b.as_os_str().is_empty());
        let dir = base.map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let origin = format!("{} `exclude`", config_path.unwrap_or("configuration"));
        walk.excludes.push(files::Excludes::new(&dir, &config.exclude, &origin)?);
    }
    Ok(walk)
}

/// Applies `--select` and `--ignore`; an unknown id is an error with a suggestion.
fn select_checks(config: &mut Config, scan: &ScanArgs) -> Result<(), String> {
    let checks = kubeward::checks();
    for (flag, ids) in [("--select", &scan.select), ("--ignore", &scan.ignore)] {
        if let Some(id) = ids.iter().find(|id| !checks.iter().any(|check| &check.id == *id)) {
            return Err(format!("{flag}: unknown check `{id}`{}", crate::check_hint(id)));
        }
    }
    if !scan.select.is_empty() {
        for check in &checks {
            let selected = scan.select.contains(&check.id);
            config.checks.entry(check.id.clone()).or_default().enabled = Some(selected);
        }
    }
    for id in &scan.ignore {
        config.checks.entry(id.clone()).or_default().enabled = Some(false);
    }
    Ok(())
}

fn usage_error(message: impl std::fmt::Display) -> std::io::Result<u8> {
    eprintln!("kubeward: {message}");
    Ok(EXIT_USAGE)
}

/// Runs `kubeward scan`; returns the exit code.
pub(crate) fn run(out: &mut impl Write, scan: &ScanArgs, color: bool) -> std::io::Result<u8> {
    let (mut config, config_path) = match load_config(&scan.configuration) {
        Ok(loaded) => loaded,
        Err(message) => return usage_error(message),
    };
    if let Err(message) = select_checks(&mut config, scan) {
        return usage_error(message);
    }
    if config.today.is_none() {
        config.today = Some(files::today());
    }
    if scan.input_policies {
        config.input_policies = Some(true);
    }
    // Paths in the configuration (policies, excludes) are relative to its file.
    let base = config_path.as_deref().and_then(|path| Path::new(path).parent()).map(Path::to_path_buf);
    let walk = match walk_with_excludes(&scan.walk, &config, config_path.as_deref()) {
        Ok(walk) => walk,
        Err(message) => return usage_error(message),
    };
    let mut policy_paths: Vec<String> = config
        .policies
        .iter()
        .map(|path| base.as_ref().map_or_else(|| path.clone(), |base| base.join(path).display().to_string()))
        .collect();
    policy_paths.extend(scan.policies.iter().cloned());
    let ignores = config.ignores.clone();
    let today = config.today.clone().unwrap_or_default();
    let policy_files = match files::read_policies(&policy_paths) {
        Ok(files) => files,
        Err(message) => return usage_error(message),
    };
    let sources: Vec<kubeward::Source<'_>> =
        policy_files.iter().map(|file| kubeward::Source::new(&file.name, &file.content)).collect();
    let engine = match kubeward::Engine::with_policies(config, &sources) {
        Ok(engine) => engine,
        Err(error) => return usage_error(with_hint(error.to_string())),
    };
    let baseline = match scan.baseline.as_deref().map(baseline::Baseline::read).transpose() {
        Ok(baseline) => baseline,
        Err(message) => return usage_error(message),
    };
    // Files are read as the scan comes to them, not all at once (see `Engine::scan_files`).
    let listed = files::list(&scan.paths, &walk);
    let names: Vec<&str> = listed.files.iter().map(|file| file.name.as_str()).collect();
    let unreadable = AtomicBool::new(!listed.problems.is_empty());
    let engine = engine.with_threads(threads());
    let mut report = engine.scan_files(&names, |index| {
        let read = match listed.files.get(index) {
            Some(file) => file.read(),
            None => Err(std::io::ErrorKind::NotFound.into()),
        };
        if read.is_err() {
            unreadable.store(true, Ordering::Relaxed);
        }
        read
    });
    for (path, message) in &listed.problems {
        report.push_input_error(path, message);
    }
    if scan.outputs.iter().any(|output| output.format == Format::Json) {
        // The JSON report carries each finding's fixes (docs/fixes.md).
        crate::fix::attach(&engine, &listed, &mut report);
    }
    let mut notes = RunNotes {
        config: config_path,
        excluded: listed.excluded,
        unused_exemptions: unused_exemptions(&ignores, &today, &report),
        ..RunNotes::default()
    };
    if let Some(baseline) = &baseline {
        let (baselined, fixed) = baseline.apply(&mut report);
        notes.baselined = baselined;
        notes.baseline = Some((scan.baseline.clone().unwrap_or_default(), fixed));
    }
    if let Some(path) = &scan.write_baseline {
        if let Err(error) = baseline::write(path, &report) {
            return usage_error(format!("cannot write {path}: {error}"));
        }
    }
    let stdin: Option<(&str, &[u8])> =
        listed.files.iter().find_map(|file| file.stdin().map(|content| (file.name.as_str(), content)));
    let outputs: Vec<crate::args::Output> = if scan.outputs.is_empty() {
        vec![crate::args::Output { format: Format::Text, path: None }]
    } else {
        scan.outputs.clone()
    };
    if outputs.iter().filter(|o| o.path.is_none()).count() > 1 {
        return usage_error("only one --format can go to standard output; give the others a file (FORMAT=FILE)");
    }
    let view = View { scan, notes: &notes, stdin };
    for output in &outputs {
        // Every format is streamed to its destination: a large report's JSON is several times
        // the size of its input, and holding it whole would double the run's memory.
        match &output.path {
            None => write_output(&mut *out, output.format, &report, &view, color)?,
            Some(path) => {
                let written = std::fs::File::create(path)
                    .and_then(|file| write_output(file, output.format, &report, &view, false));
                if let Err(error) = written {
                    return usage_error(format!("cannot write {path}: {error}"));
                }
            }
        }
    }
    let failing = report.max_severity().is_some_and(|severity| severity >= scan.fail_on) || !report.errors.is_empty();
    let code = if unreadable.load(Ordering::Relaxed) {
        EXIT_USAGE
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    // The process ends here: freeing a large report string by string would only delay the exit.
    std::mem::forget(report);
    Ok(code)
}

/// What the people's output needs beyond the report.
pub(crate) struct View<'a> {
    pub scan: &'a ScanArgs,
    pub notes: &'a RunNotes,
    /// Standard input's name and bytes, for its code frames.
    pub stdin: Option<(&'a str, &'a [u8])>,
}

/// Writes the report in one format to `destination`, through a buffer.
fn write_output(
    destination: impl Write,
    format: Format,
    report: &Report,
    view: &View<'_>,
    color: bool,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, destination);
    match format {
        Format::Json => {
            report.write_json_with_threads(&mut out, threads())?;
            out.write_all(b"\n")?;
        }
        Format::Concise => {
            output::write_text(&mut out, report)?;
            if view.scan.scorecard {
                output::write_scorecard(&mut out, report)?;
            }
        }
        Format::Text => {
            human::write(&mut out, report, view, color)?;
            if view.scan.scorecard {
                output::write_scorecard(&mut out, report)?;
            }
        }
        Format::Sarif => ci_formats::write_sarif(&mut out, report)?,
        Format::Github => ci_formats::write_github(&mut out, report)?,
        Format::Junit => ci_formats::write_junit(&mut out, report)?,
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::with_hint;

    #[test]
    fn configuration_errors_get_suggestions() {
        let hint =
            with_hint("k.yaml:1:1: unknown field `chekcs`, expected one of `checks`, `production` at `chekcs`".into());
        assert!(hint.ends_with("; did you mean `checks`?"), "{hint}");
        let hint = with_hint("unknown field `frobnicate`, expected one of `checks`, `production`".into());
        assert!(!hint.contains("did you mean"), "{hint}");
        let hint = with_hint("configuration: unknown check `no-priviliged` in `checks`".into());
        assert!(hint.ends_with("; did you mean `no-privileged`?"), "{hint}");
    }
}
