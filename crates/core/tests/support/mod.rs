//! Shared test support.
pub mod invariants;

/// `../shared/corpora`, the real manifests read in place: `None` (saying so
/// loudly) when it is missing, a panic when `CI=true`, where it must be there.
#[allow(dead_code)] // not every test crate that includes `support` reads the corpora
pub fn corpora_dir(what: &str) -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("the shared corpora are missing at {}; CI must have ../shared beside the repository", dir.display());
    }
    eprintln!("SKIPPED: the shared corpora are not at {}; {what} did not run", dir.display());
    None
}
