//! The workspace on disk: the manifests of a folder, and the configuration the
//! folder's scans use.

use std::path::{Path, PathBuf};

/// Names of the configuration file, looked for in this order in each directory.
pub(crate) const CONFIG_NAMES: [&str; 2] = [".kubeward.yaml", "kubeward.yaml"];

/// Is this a file the server scans (by its extension)?
pub(crate) fn is_manifest_name(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) && !is_config_name(path)
}

/// Is this a configuration file (by its name)?
pub(crate) fn is_config_name(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|name| CONFIG_NAMES.contains(&name))
}

/// Directories a walk does not enter.
fn skipped_dir(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

/// The manifest files under `root` (hidden directories, `target` and
/// `node_modules` skipped), in name order.
pub(crate) fn walk(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if kind.is_dir() {
                if !skipped_dir(&name) {
                    stack.push(path);
                }
            } else if kind.is_file() && !name.starts_with('.') && is_manifest_name(&path) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The configuration file for a folder: `.kubeward.yaml` or `kubeward.yaml`
/// in the folder or its nearest parent, up to the repository's root (the
/// directory holding `.git`). Outside a repository only the folder itself is
/// looked at.
pub(crate) fn discover_config(folder: &Path) -> Option<PathBuf> {
    let in_repo = folder.ancestors().any(|dir| dir.join(".git").exists());
    for dir in folder.ancestors() {
        for name in CONFIG_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if !in_repo || dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// Today's date (UTC), `YYYY-MM-DD`, for expiring exemptions as the CLI does.
pub(crate) fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    kubeward::date_of_unix_time(i64::try_from(seconds).unwrap_or(0))
}

/// A configuration that could not be used: the message and, when known, where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConfigProblem {
    pub(crate) message: String,
    /// 1-based line and column in the configuration file.
    pub(crate) at: Option<(u32, u32)>,
}

/// Builds the engine for a configuration text (`None`: the defaults). Policy
/// files the configuration names are read relative to it. On a problem the
/// default engine is returned with the problem.
pub(crate) fn engine_for(config: Option<(&Path, &str)>) -> (kubeward::Engine, Option<ConfigProblem>) {
    let fallback = || {
        let mut config = kubeward::Config::default();
        config.today = Some(today());
        kubeward::Engine::new(config).unwrap_or_default()
    };
    let Some((path, text)) = config else { return (fallback(), None) };
    let mut config = match kubeward::Config::from_text(text) {
        Ok(config) => config,
        Err(error) => return (fallback(), Some(problem(&error))),
    };
    if config.today.is_none() {
        config.today = Some(today());
    }
    // Findings about the configuration's own exemptions are placed in its file.
    config.file = Some(path.display().to_string());
    let base = path.parent().unwrap_or(Path::new("."));
    let mut policies = Vec::new();
    for name in &config.policies {
        let file = base.join(name);
        match std::fs::read(&file) {
            Ok(content) => policies.push((file.display().to_string(), content)),
            Err(error) => {
                let message = format!("cannot read policy file {}: {error}", file.display());
                return (fallback(), Some(ConfigProblem { message, at: None }));
            }
        }
    }
    let sources: Vec<kubeward::Source<'_>> =
        policies.iter().map(|(name, content)| kubeward::Source::new(name, content)).collect();
    match kubeward::Engine::with_policies(config, &sources) {
        Ok(engine) => (engine, None),
        Err(error) => (fallback(), Some(problem(&error))),
    }
}

fn problem(error: &kubeward::ConfigError) -> ConfigProblem {
    let message = match &error.file {
        Some(file) => format!("{file}: {}", error.message),
        None => error.message.clone(),
    };
    let at = if error.file.is_none() { error.position.map(|p| (p.line, p.column)) } else { None };
    ConfigProblem { message, at }
}
