//! Which files a scan reads, and today's date for exemption expiry.

use std::io::Read;
use std::path::{Path, PathBuf};

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
}

/// The files to scan, not read yet, and the paths that yielded none (each reported as an input error).
pub(crate) struct Listed {
    pub files: Vec<ListedFile>,
    pub problems: Vec<(String, String)>,
}

/// Finds the files of every path: `-` is standard input (read now), a directory
/// is searched recursively (in name order, hidden directories skipped), a file is
/// taken whatever its extension.
pub(crate) fn list(paths: &[String]) -> Listed {
    let mut listed = Listed { files: Vec::new(), problems: Vec::new() };
    for entry in find(paths) {
        match entry {
            Found::Stdin(content) => listed.files.push(ListedFile { name: "-".into(), origin: Origin::Stdin(content) }),
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
    for entry in find(paths) {
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

fn find(paths: &[String]) -> Vec<Found> {
    let mut found = Vec::new();
    for path in paths {
        if path == "-" {
            let mut content = Vec::new();
            found.push(match std::io::stdin().lock().read_to_end(&mut content) {
                Ok(_) => Found::Stdin(content),
                Err(error) => Found::Problem("-".into(), format!("cannot read standard input: {error}")),
            });
            continue;
        }
        let before = found.len();
        let path_ref = Path::new(path);
        if path_ref.is_dir() {
            walk(path_ref, &mut found);
            let yielded = found[before..].iter().any(|entry| match entry {
                Found::File(_) | Found::Stdin(_) => true,
                Found::Problem(problem, _) => problem.starts_with(path.as_str()),
            });
            if !yielded {
                found.push(Found::Problem(path.clone(), "directory holds no .yaml, .yml or .json file".into()));
            }
        } else {
            found.push(Found::File(path_ref.to_path_buf()));
        }
    }
    found
}

/// Reads every path as [`list`] finds them, on up to `threads` threads; the
/// result does not depend on their number.
pub(crate) fn collect(paths: &[String], threads: usize) -> Inputs {
    let found = find(paths);
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
            Found::Stdin(content) => inputs.files.push(InputFile { name: "-".into(), content }),
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

fn walk(dir: &Path, found: &mut Vec<Found>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            found.push(Found::Problem(dir.display().to_string(), format!("cannot read directory: {error}")));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if path.is_dir() {
            if !hidden {
                walk(&path, found);
            }
        } else if is_manifest(&path) {
            found.push(Found::File(path));
        }
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
pub(crate) fn today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    civil_date((seconds / 86_400) as i64)
}

/// Days since 1970-01-01 to a proleptic Gregorian date.
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_415), "2025-11-23");
    }
}
