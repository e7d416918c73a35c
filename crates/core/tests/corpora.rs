//! Real manifests written by others (`../shared/corpora`, read in place): every
//! document is accounted for, nothing fails to load, and the findings match what
//! is known about each corpus (no false alarms on hardened stacks).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kubeward::{DocumentStatus, Engine, Report, Source};

mod support;

fn corpora_dir() -> Option<PathBuf> {
    support::corpora_dir("corpus tests")
}

fn manifests(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            manifests(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
}

fn scan_corpus(name: &str) -> Option<Report> {
    let dir = corpora_dir()?.join(name);
    let mut files = Vec::new();
    manifests(&dir, &mut files);
    let sources: Vec<Source<'_>> = files.iter().map(|(n, c)| Source::new(n, c)).collect();
    Some(Engine::default().scan(&sources))
}

fn counts(report: &Report) -> BTreeMap<&str, usize> {
    let mut counts = BTreeMap::new();
    for finding in &report.findings {
        *counts.entry(finding.check.as_str()).or_insert(0) += 1;
    }
    counts
}

fn objects(report: &Report) -> usize {
    report.documents.iter().filter(|d| d.status != DocumentStatus::Error && d.kind.is_some()).count()
}

#[test]
fn kube_prometheus() {
    let Some(report) = scan_corpus("prometheus-operator-kube-prometheus") else { return };
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    // 95 documents; three Lists expand into 39 items: 131 objects, the CRD with `- =` included.
    assert_eq!(objects(&report), 131);
    let counts = counts(&report);
    for hardened in ["run-as-non-root", "no-privilege-escalation", "read-only-root-filesystem", "no-privileged"] {
        assert_eq!(counts.get(hardened), None, "{hardened} fires on a stack that sets it everywhere");
    }
    // node-exporter uses hostNetwork and hostPID: real, intended risk, reported.
    assert_eq!(counts.get("no-host-namespaces"), Some(&2));
}

#[test]
fn argo_cd() {
    let Some(report) = scan_corpus("argoproj-argo-cd") else { return };
    assert!(report.errors.is_empty());
    assert_eq!(objects(&report), 179);
    let counts = counts(&report);
    for hardened in ["run-as-non-root", "no-privilege-escalation", "read-only-root-filesystem", "no-privileged"] {
        assert_eq!(counts.get(hardened), None, "{hardened}");
    }
    // 35 containers, none with limits: one finding each for CPU and memory. The three bundles
    // share most objects, and byte-identical copies are checked once: 20 containers are distinct.
    assert_eq!(counts.get("resource-limits"), Some(&20));
    assert!(report.findings.iter().any(|f| f.check == "resource-limits" && f.copies.len() == 2));
    // Deep into a 2 MB file, positions stay exact: every range resolves to its offset.
    let last = report.findings.iter().max_by_key(|f| f.range.start.offset).unwrap();
    assert!(last.range.start.line > 30_000, "{last:?}");
}

#[test]
fn microservices_demo() {
    let Some(report) = scan_corpus("GoogleCloudPlatform-microservices-demo") else { return };
    assert!(report.errors.is_empty());
    assert_eq!(objects(&report), 95);
    let counts = counts(&report);
    // All hardened but the two frontend-check init containers, which lack limits (one finding
    // each, for CPU and memory together).
    assert_eq!(counts.get("resource-limits"), Some(&2));
    assert_eq!(counts.get("no-privileged"), None);
    // Kustomization and Component files are skipped with a reason, not reported as errors.
    let kustomize: Vec<_> =
        report.documents.iter().filter(|d| matches!(d.kind.as_deref(), Some("Kustomization" | "Component"))).collect();
    assert_eq!(kustomize.len(), 2);
    assert!(kustomize.iter().all(|d| d.status == DocumentStatus::Skipped));
}

#[test]
fn kubernetes_examples() {
    let Some(report) = scan_corpus("kubernetes-examples") else { return };
    assert!(report.errors.is_empty());
    assert_eq!(objects(&report), 279);
    let counts = counts(&report);
    // 8 privileged containers; 4 hostNetwork + 4 hostPID + 2 hostIPC.
    assert_eq!(counts.get("no-privileged"), Some(&8));
    assert_eq!(counts.get("no-host-namespaces"), Some(&10));
    assert!(counts.contains_key("duplicate-key"));
}
