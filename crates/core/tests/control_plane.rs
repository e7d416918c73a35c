//! The control-plane examples: the hardened set raises none of the control-plane
//! findings, the misconfigured one raises each, at the flag that causes it.

use std::path::Path;

use kubeward::{Assessment, Engine, Report, Source};

/// Every control-plane and node-configuration check.
const CONTROL_PLANE: &[&str] = &[
    "apiserver-anonymous-auth",
    "apiserver-authorization-mode",
    "apiserver-admission-plugins",
    "apiserver-encryption-config",
    "encryption-provider",
    "apiserver-oidc",
    "control-plane-profiling",
    "etcd-tls",
    "apiserver-etcd-tls",
    "kubelet-config",
    "apiserver-audit-log",
    "audit-policy",
];

fn scan(dir: &str) -> (Report, Vec<(String, String)>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/control-plane").join(dir);
    let mut files: Vec<(String, String)> = std::fs::read_dir(&root)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
    let report = Engine::default().scan(&sources);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert!(report.documents.iter().all(|d| d.status == kubeward::DocumentStatus::Evaluated), "{:?}", report.documents);
    (report, files)
}

#[test]
fn hardened_control_plane_has_no_control_plane_findings() {
    let (report, _) = scan("hardened");
    let found: Vec<_> = report.findings.iter().filter(|f| CONTROL_PLANE.contains(&f.check.as_str())).collect();
    assert!(found.is_empty(), "{found:#?}");
    assert!(report.inventory.cluster_level);
}

#[test]
fn misconfigured_control_plane_has_each_finding() {
    let (report, files) = scan("misconfigured");
    for check in CONTROL_PLANE {
        assert!(report.findings.iter().any(|f| f.check == *check), "no {check} finding");
    }
    let text_at = |finding: &kubeward::Finding| {
        let (_, text) = files.iter().find(|(name, _)| **name == *finding.file).unwrap();
        text[finding.range.start.offset as usize..finding.range.end.offset as usize].to_string()
    };
    // Findings point at the flag item itself, in command or args.
    let authz = report.findings.iter().find(|f| f.check == "apiserver-authorization-mode").unwrap();
    assert_eq!(text_at(authz), "- --authorization-mode=AlwaysAllow");
    assert_eq!(authz.path, "/spec/containers/0/command/3");
    let admit = report.findings.iter().find(|f| f.message.contains("AlwaysAdmit")).unwrap();
    assert_eq!(admit.path, "/spec/containers/0/args/0");
    assert_eq!(admit.severity, kubeward::Severity::Critical);
    let etcd_http =
        report.findings.iter().find(|f| f.check == "apiserver-etcd-tls" && f.message.contains("http://")).unwrap();
    assert_eq!(text_at(etcd_http), "- --etcd-servers");
    // A missing flag is reported at the command list.
    let encryption = report.findings.iter().find(|f| f.check == "apiserver-encryption-config").unwrap();
    assert_eq!(encryption.path, "/spec/containers/0/command");
    // A shell string is parsed too: the controller manager lacks --profiling=false.
    assert!(report
        .findings
        .iter()
        .any(|f| f.check == "control-plane-profiling" && f.object.name.as_deref() == Some("kube-controller-manager")));
    // The bare `--profiling` of the scheduler is true.
    assert!(report
        .findings
        .iter()
        .any(|f| f.check == "control-plane-profiling" && f.message.contains("enables profiling")));
    // Identity first is high, the audit policy logs Secret values, RBAC is not recorded.
    let identity = report.findings.iter().find(|f| f.check == "encryption-provider").unwrap();
    assert_eq!(identity.severity, kubeward::Severity::High);
    assert!(report.findings.iter().any(|f| f.check == "audit-policy" && f.message.contains("copies Secret values")));
    assert!(report.findings.iter().any(|f| f.check == "audit-policy" && f.message.contains("ClusterRoleBindings")));
    assert!(report.findings.iter().any(|f| f.check == "audit-policy" && f.message.contains("exec")));
    // CIS controls are in the catalog.
    let catalog = kubeward::checks();
    let anonymous = catalog.iter().find(|c| c.id == "apiserver-anonymous-auth").unwrap();
    assert_eq!(anonymous.cis, ["1.2.1"]);
}

#[test]
fn control_plane_input_is_cluster_level_and_assesses_cluster_items() {
    let (report, _) = scan("misconfigured");
    assert!(report.inventory.cluster_level);
    assert!(report.inventory.control_plane.iter().any(|c| c == "kube-apiserver"));
    let runtime = report.inventory.items.iter().find(|i| i.item == "6.1").unwrap();
    assert_eq!(runtime.assessment, Assessment::Missing);
}
