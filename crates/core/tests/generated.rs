//! Generated files are checked in; these tests fail when they drift.
//! Regenerate with `UPDATE_GENERATED=1 cargo test -p kubeward --test generated`.

use std::path::Path;

fn check_generated(relative: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{relative} is out of date; regenerate it with `UPDATE_GENERATED=1 cargo test -p kubeward --test generated`"
    );
}

#[test]
fn checks_md_is_up_to_date() {
    check_generated("CHECKS.md", &kubeward::catalog_markdown());
}
