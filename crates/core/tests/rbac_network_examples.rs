//! `examples/rbac-network`: the hardened variant raises no RBAC or network finding,
//! the insecure one raises every one of them.

use std::collections::BTreeSet;
use std::path::Path;

use kubeward::{Engine, Report, Source};

fn scan(variant: &str) -> Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/rbac-network").join(variant);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (name, std::fs::read(&path).unwrap_or_default())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 4, "{variant}: expected several files");
    let sources: Vec<Source<'_>> = files.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let report = Engine::default().scan(&sources);
    assert!(report.errors.is_empty(), "{variant}: {:?}", report.errors);
    report
}

fn ours() -> BTreeSet<String> {
    kubeward::checks().into_iter().filter(|c| c.section == "rbac" || c.section == "network").map(|c| c.id).collect()
}

#[test]
fn hardened_variant_has_no_rbac_or_network_findings() {
    let ours = ours();
    let report = scan("hardened");
    let found: Vec<String> = report
        .findings
        .iter()
        .filter(|f| ours.contains(&f.check))
        .map(|f| format!("{}:{}: {} {}", f.file, f.range.start.line, f.check, f.message))
        .collect();
    assert!(found.is_empty(), "{found:#?}");
    assert!(report.documents.iter().filter(|d| d.status == kubeward::DocumentStatus::Evaluated).count() >= 20);
}

#[test]
fn insecure_variant_raises_every_rbac_and_network_check() {
    let ours = ours();
    let report = scan("insecure");
    let fired: BTreeSet<String> =
        report.findings.iter().map(|f| f.check.clone()).filter(|c| ours.contains(c)).collect();
    let missing: Vec<&String> = ours.difference(&fired).collect();
    assert!(missing.is_empty(), "not raised on the insecure example: {missing:?}");
}
