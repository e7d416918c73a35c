//! Which files a scan reads, and today's date for exemption expiry.

use std::io::Read;
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};

/// One input file.
pub(crate) struct InputFile {
    pub name: String,
    pub content: Vec<u8>,
}

/// The files to scan, and the paths that yielded none (each reported as an input error).
pub(crate) struct Inputs {
    pub files: Vec<InputFile>,
    pub problems: Vec<(String, String)>,
}

/// How directories are walked.
#[derive(Default)]
pub(crate) struct Walk {
    /// Respect .gitignore, .ignore and git's exclude files.
    pub respect_ignore_files: bool,
    pub follow_links: bool,
    /// Exclude globs, each group relative to its own directory.
    pub excludes: Vec<Excludes>,
    /// The name of standard input in the report.
    pub stdin_name: Option<String>,
}

impl Walk {
    pub(crate) fn new(args: &crate::args::WalkArgs) -> Result<Walk, String> {
        let mut excludes = Vec::new();
        if !args.exclude.is_empty() {
            excludes.push(Excludes::new(Path::new("."), &args.exclude, "--exclude")?);
        }
        Ok(Walk {
            respect_ignore_files: !args.no_ignore,
            follow_links: args.follow_links,
            excludes,
            stdin_name: args.stdin_filename.clone(),
        })
    }

    fn stdin_name(&self) -> String {
        self.stdin_name.clone().unwrap_or_else(|| "-".into())
    }

    /// Is `path`, found walking `root`, excluded?
    fn is_excluded(&self, root: &Path, path: &Path) -> bool {
        self.excludes.iter().any(|excludes| excludes.matches(root, path))
    }
}

/// Exclude globs relative to a directory: a glob with a `/` matches the path
/// relative to the directory (leading `../` climb out of it), one without
/// matches a name at any depth; a match on a directory excludes everything under it.
pub(crate) struct Excludes {
    /// Each anchored glob with the directory it is relative to.
    anchored: Vec<(PathBuf, globset::GlobMatcher)>,
    names: GlobSet,
}

impl Excludes {
    /// `origin` names where the globs come from, for errors.
    pub(crate) fn new(base: &Path, globs: &[String], origin: &str) -> Result<Excludes, String> {
        let base = absolute(base);
        let (mut anchored, mut names) = (Vec::new(), GlobSetBuilder::new());
        for glob in globs {
            let mut text = glob.trim_start_matches("./").trim_end_matches('/');
            let mut dir = base.clone();
            while let Some(rest) = text.strip_prefix("../") {
                dir.pop();
                text = rest;
            }
            let compiled = globset::GlobBuilder::new(text)
                .literal_separator(true)
                .build()
                .map_err(|error| format!("{origin}: invalid glob `{glob}`: {error}"))?;
            if text.contains('/') {
                anchored.push((dir, compiled.compile_matcher()));
            } else {
                names.add(compiled);
            }
        }
        let names = names.build().map_err(|error| format!("{origin}: {error}"))?;
        Ok(Excludes { anchored, names })
    }

    fn matches(&self, root: &Path, path: &Path) -> bool {
        // Names match any component of the path below the directory walked.
        let below = path.strip_prefix(root).unwrap_or(path);
        let named = below.components().any(|component| match component {
            std::path::Component::Normal(name) => self.names.is_match(name),
            _ => false,
        });
        if named {
            return true;
        }
        if self.anchored.is_empty() {
            return false;
        }
        let absolute = absolute(path);
        self.anchored.iter().any(|(dir, glob)| {
            let Ok(relative) = absolute.strip_prefix(dir) else {
                return false;
            };
            relative.ancestors().filter(|p| !p.as_os_str().is_empty()).any(|p| glob.is_match(p))
        })
    }
}

/// `path` made absolute against the current directory, `.` and `..` resolved by the
/// file system where it exists, by its text otherwise.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let joined = std::env::current_dir().unwrap_or_default().join(path);
    let mut result = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                result.pop();
            }
            other => result.push(other),
        }
    }
    match (result.parent(), result.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map_or(result.clone(), |parent| parent.join(name)),
        _ => result,
    }
}

fn is_manifest(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"))
}

/// What the walk over the paths found, in order.
enum Found {
    /// A file to read.
    File(PathBuf),
    /// Standard input, already read.
    Stdin(Vec<u8>),
    /// A path that yielded nothing, and why.
    Problem(String, String),
}

/// A file to scan, not read yet (standard input is read at once: it cannot be read twice).
pub(crate) struct ListedFile {
    pub name: String,
    origin: Origin,
}

enum Origin {
    Path(PathBuf),
    Stdin(Vec<u8>),
}

impl ListedFile {
    /// The file's bytes, read now (a copy, for standard input).
    pub(crate) fn read(&self) -> std::io::Result<Vec<u8>> {
        match &self.origin {
            Origin::Path(path) => std::fs::read(path),
            Origin::Stdin(content) => Ok(content.clone()),
        }
    }

    /// Standard input's bytes.
    pub(crate) fn stdin(&self) -> Option<&[u8]> {
        match &self.origin {
            Origin::Stdin(content) => Some(content),
            Origin::Path(_) => None,
        }
    }
}

/// The files to scan, not read yet, and the paths that yielded none (each reported as an input error).
pub(crate) struct Listed {
    pub files: Vec<ListedFile>,
    pub problems: Vec<(String, String)>,
    /// Files left out by an exclude glob.
    pub excluded: usize,
}

/// Finds the files of every path: `-` is standard input (read now), a directory
/// is searched recursively (in name order, hidden directories skipped, ignore
/// files respected as `walk` says), a file is taken whatever its extension.
pub(crate) fn list(paths: &[String], walk: &Walk) -> Listed {
    let (found, excluded) = find(paths, walk);
    let mut listed = Listed { files: Vec::new(), problems: Vec::new(), excluded };
    for entry in found {
        match entry {
            Found::Stdin(content) => {
                listed.files.push(ListedFile { name: walk.stdin_name(), origin: Origin::Stdin(content) })
            }
            Found::Problem(path, message) => listed.problems.push((path, message)),
            Found::File(path) => {
                listed.files.push(ListedFile { name: path.display().to_string(), origin: Origin::Path(path) })
            }
        }
    }
    listed
}

/// Reads the policy files of `paths` (files, or directories searched as for a
/// scan); a path that yields no file, or a file that cannot be read, is an error.
pub(crate) fn read_policies(paths: &[String]) -> Result<Vec<InputFile>, String> {
    let mut files = Vec::new();
    let walk = Walk { respect_ignore_files: true, ..Walk::default() };
    for entry in find(paths, &walk).0 {
        match entry {
            Found::File(path) => {
                let content = std::fs::read(&path)
                    .map_err(|error| format!("cannot read policy file {}: {error}", path.display()))?;
                files.push(InputFile { name: path.display().to_string(), content });
            }
            Found::Stdin(content) => files.push(InputFile { name: "-".into(), content }),
            Found::Problem(path, message) => return Err(format!("policy path {path}: {message}")),
        }
    }
    Ok(files)
}

fn find(paths: &[String], walk: &Walk) -> (Vec<Found>, usize) {
    let mut found = Vec::new();
    let mut excluded = 0;
    for path in paths {
        if path == "-" {
            let mut content = Vec::new();
            found.push(match std::io::stdin().lock().read_to_end(&mut content) {
                Ok(_) => Found::Stdin(content),
                Err(error) => Found::Problem(walk.stdin_name(), format!("cannot read standard input: {error}")),
            });
            continue;
        }
        let before = found.len();
        let path_ref = Path::new(path);
        if path_ref.is_dir() {
            excluded += walk_dir(path_ref, walk, &mut found);
            let yielded = found[before..].iter().any(|entry| match entry {
                Found::File(_) | Found::Stdin(_) => true,
                Found::Problem(problem, _) => problem.starts_with(path.as_str()),
            });
            if !yielded {
                found.push(Found::Problem(path.clone(), "directory holds no .yaml, .yml or .json file".into()));
            }
        } else {
            // A file that cannot be read (or does not exist) is reported when it is read.
            found.push(Found::File(path_ref.to_path_buf()));
        }
    }
    (found, excluded)
}

/// Reads every path as [`list`] finds them, on up to `threads` threads; the
/// result does not depend on their number.
pub(crate) fn collect(paths: &[String], walk: &Walk, threads: usize) -> Inputs {
    let (found, _) = find(paths, walk);
    let files: Vec<&Path> = found
        .iter()
        .filter_map(|entry| match entry {
            Found::File(path) => Some(path.as_path()),
            _ => None,
        })
        .collect();
    let mut contents = read_all(&files, threads).into_iter();
    let mut inputs = Inputs { files: Vec::new(), problems: Vec::new() };
    for entry in found {
        match entry {
            Found::Stdin(content) => inputs.files.push(InputFile { name: walk.stdin_name(), content }),
            Found::Problem(path, message) => inputs.problems.push((path, message)),
            Found::File(path) => {
                let name = path.display().to_string();
                match contents.next() {
                    Some(Ok(content)) => inputs.files.push(InputFile { name, content }),
                    Some(Err(error)) => inputs.problems.push((name, format!("cannot read file: {error}"))),
                    None => inputs.problems.push((name, "cannot read file".into())),
                }
            }
        }
    }
    inputs
}

/// Reads `files` on up to `threads` threads, in contiguous runs; results in the order of `files`.
fn read_all(files: &[&Path], threads: usize) -> Vec<std::io::Result<Vec<u8>>> {
    let threads = threads.clamp(1, files.len().max(1));
    if threads == 1 {
        return files.iter().map(std::fs::read).collect();
    }
    let chunks: Vec<&[&Path]> = files.chunks(files.len().div_ceil(threads)).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| scope.spawn(move || chunk.iter().map(std::fs::read).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(&chunks)
            .flat_map(|(handle, chunk)| handle.join().unwrap_or_else(|_| chunk.iter().map(std::fs::read).collect()))
            .collect()
    })
}

/// Walks `dir` in name order (ignore's walker): hidden directories are skipped,
/// ignore files respected unless told otherwise, links followed only when asked.
/// Returns how many manifest files an exclude glob left out.
fn walk_dir(dir: &Path, walk: &Walk, found: &mut Vec<Found>) -> usize {
    let respect = walk.respect_ignore_files;
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .standard_filters(false)
        .hidden(false)
        .ignore(respect)
        .git_ignore(respect)
        .git_exclude(respect)
        .parents(respect)
        // .gitignore is respected outside a git repository too (a copied or unpacked tree).
        .require_git(false)
        .follow_links(walk.follow_links)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| {
            let hidden = entry.depth() > 0 && entry.file_name().to_str().is_some_and(|n| n.starts_with('.'));
            !(hidden && entry.file_type().is_some_and(|t| t.is_dir()))
        });
    let mut excluded = 0;
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = match &error {
                    ignore::Error::WithPath { path, .. } => path.display().to_string(),
                    _ => dir.display().to_string(),
                };
                found.push(Found::Problem(path, format!("cannot read directory: {error}")));
                continue;
            }
        };
        let is_file = entry.file_type().is_some_and(|t| t.is_file());
        if !is_file || !is_manifest(entry.path()) {
            continue;
        }
        if walk.is_excluded(dir, entry.path()) {
            excluded += 1;
            continue;
        }
        found.push(Found::File(entry.into_path()));
    }
    excluded
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub(crate) fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    kubeward::date_of_unix_time(i64::try_from(seconds).unwrap_or(0))
}
