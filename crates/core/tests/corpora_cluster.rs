//! The secrets, image, control-plane and cluster checks over the real-world
//! corpora in `../shared/corpora` (read in place, never copied): nothing
//! panics, every finding points inside its file, and the hardened corpora
//! raise no false secret alarms.
//!
//! Under `CI=true` a missing corpus directory fails the test; locally it is skipped with a message.

use std::path::Path;

use kubeward::{Engine, Source};

mod support;

fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json") {
                let name = path.strip_prefix(root).unwrap_or(&path);
                out.push((name.display().to_string(), std::fs::read(&path).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

fn scan(corpus: &str) -> Option<kubeward::Report> {
    let root = support::corpora_dir("the cluster corpus tests")?.join(corpus);
    let files = files(&root);
    assert!(!files.is_empty(), "no manifests under {}", root.display());
    let sources: Vec<Source<'_>> = files.iter().map(|(name, bytes)| Source::new(name, bytes)).collect();
    let report = Engine::default().scan(&sources);
    for finding in &report.findings {
        let (_, bytes) = files.iter().find(|(name, _)| **name == *finding.file).expect("finding names a scanned file");
        assert!(finding.range.end.offset as usize <= bytes.len(), "{finding:?}");
    }
    Some(report)
}

fn count(report: &kubeward::Report, check: &str) -> usize {
    report.findings.iter().filter(|f| f.check == check).count()
}

fn dump(report: &kubeward::Report, prefixes: &[&str]) {
    for f in &report.findings {
        if prefixes.iter().any(|p| f.check.starts_with(p)) {
            eprintln!(
                "{}:{}:{} {} {} {}",
                f.file, f.range.start.line, f.range.start.column, f.severity, f.check, f.message
            );
        }
    }
}

/// Check ids (or prefixes) of the secrets, image, control-plane and cluster checks.
const MINE: &[&str] = &[
    "secret-in-env",
    "hardcoded-credential",
    "plain-secret",
    "image",
    "base-image",
    "frozen-registry",
    "apiserver",
    "etcd",
    "kubelet",
    "audit",
    "encryption",
    "control-plane",
    "deprecated-api-version",
    "dangerous-component",
    "service-mesh-mtls",
    "runtime-detection",
    "policy-engine",
    "network-policy-cni",
];

/// The checks that judge only cluster-level input.
const CLUSTER_ONLY: &[&str] =
    &["runtime-detection", "policy-engine", "network-policy-cni", "service-mesh-mtls", "image-signature-policy"];

#[test]
fn hardened_corpora_raise_no_literal_credential_alarms() {
    for corpus in ["prometheus-operator-kube-prometheus", "argoproj-argo-cd", "GoogleCloudPlatform-microservices-demo"]
    {
        let Some(report) = scan(corpus) else { return };
        if std::env::var_os("KUBEWARD_DUMP").is_some() {
            dump(&report, MINE);
        }
        assert_eq!(count(&report, "hardcoded-credential"), 0, "{corpus}");
        // Application stacks say nothing about the cluster: those items are not assessed, not failed.
        assert!(!report.inventory.cluster_level, "{corpus}: {:?}", report.inventory.cluster_level_reason);
        for check in CLUSTER_ONLY {
            assert_eq!(count(&report, check), 0, "{corpus}: {check}");
        }
    }
}

#[test]
fn kubernetes_examples_show_plain_secrets() {
    let Some(report) = scan("kubernetes-examples") else { return };
    if std::env::var_os("KUBEWARD_DUMP").is_some() {
        dump(&report, MINE);
    }
    assert!(count(&report, "plain-secret") >= 5);
    assert!(count(&report, "deprecated-api-version") >= 10);
    // The Sysdig agent DaemonSet makes this corpus cluster-level, and is its runtime detection.
    assert!(report.inventory.cluster_level);
    assert_eq!(count(&report, "runtime-detection"), 0);
    assert_eq!(count(&report, "policy-engine"), 1);
    assert!(report.findings.iter().filter(|f| f.check == "hardcoded-credential").all(|f| f.message.contains("****")));
}
