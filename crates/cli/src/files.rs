//! Which files a scan reads, and today's date for exemption expiry.

use std::io::Read;
use std::path::Path;

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

/// Reads every path: `-` is standard input, a directory is searched recursively
/// (in name order, hidden directories skipped), a file is read whatever its extension.
pub(crate) fn collect(paths: &[String]) -> Inputs {
    let mut inputs = Inputs { files: Vec::new(), problems: Vec::new() };
    for path in paths {
        if path == "-" {
            let mut content = Vec::new();
            match std::io::stdin().lock().read_to_end(&mut content) {
                Ok(_) => inputs.files.push(InputFile { name: "-".into(), content }),
                Err(error) => inputs.problems.push(("-".into(), format!("cannot read standard input: {error}"))),
            }
            continue;
        }
        let before = inputs.files.len();
        let path_ref = Path::new(path);
        if path_ref.is_dir() {
            walk(path_ref, &mut inputs);
            if inputs.files.len() == before && !inputs.problems.iter().any(|(p, _)| p.starts_with(path.as_str())) {
                inputs.problems.push((path.clone(), "directory holds no .yaml, .yml or .json file".into()));
            }
        } else {
            read_file(path_ref, &mut inputs);
        }
    }
    inputs
}

fn walk(dir: &Path, inputs: &mut Inputs) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) => {
            inputs.problems.push((dir.display().to_string(), format!("cannot read directory: {error}")));
            return;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if path.is_dir() {
            if !hidden {
                walk(&path, inputs);
            }
        } else if is_manifest(&path) {
            read_file(&path, inputs);
        }
    }
}

fn read_file(path: &Path, inputs: &mut Inputs) {
    let name = path.display().to_string();
    match std::fs::read(path) {
        Ok(content) => inputs.files.push(InputFile { name, content }),
        Err(error) => inputs.problems.push((name, format!("cannot read file: {error}"))),
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
