//! Exact line/column ranges of findings in a multi-document file with comments.

use kubeward::{Engine, Finding, Source};

const MANIFEST: &str = "\
# A comment before the first document
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
# The workload: one container runs privileged, the other lacks a security context.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web   # trailing comment
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0
          securityContext:
            privileged: true   # the offending field
        - name: sidecar
          image: registry.example.com/proxy:2.0
";

fn scan() -> Vec<Finding> {
    Engine::default().scan(&[Source::new("app.yaml", MANIFEST.as_bytes())]).findings
}

fn find<'a>(findings: &'a [Finding], check: &str, container: &str) -> &'a Finding {
    findings
        .iter()
        .find(|f| f.check == check && f.container.as_deref() == Some(container))
        .unwrap_or_else(|| panic!("no {check} finding for {container}: {findings:#?}"))
}

fn span(finding: &Finding) -> ((u32, u32), (u32, u32)) {
    let r = &finding.range;
    ((r.start.line, r.start.column), (r.end.line, r.end.column))
}

#[test]
fn present_field_runs_from_key_to_value() {
    let findings = scan();
    let privileged = find(&findings, "no-privileged", "app");
    assert_eq!(privileged.document, 1);
    assert_eq!(privileged.path, "/spec/template/spec/containers/0/securityContext/privileged");
    assert_eq!(span(privileged), ((21, 13), (21, 29)));
    let offset = privileged.range.start.offset as usize;
    assert_eq!(&MANIFEST[offset..privileged.range.end.offset as usize], "privileged: true");
}

#[test]
fn missing_field_points_at_nearest_existing_ancestor() {
    let findings = scan();
    // `app` has a securityContext but no allowPrivilegeEscalation: the securityContext entry.
    let app = find(&findings, "no-privilege-escalation", "app");
    assert_eq!(app.path, "/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation");
    assert_eq!(span(app), ((20, 11), (21, 29)));
    // `sidecar` has no securityContext at all: its list item, from the `-` marker.
    let sidecar = find(&findings, "no-privilege-escalation", "sidecar");
    assert_eq!(sidecar.path, "/spec/template/spec/containers/1/securityContext/allowPrivilegeEscalation");
    assert_eq!(span(sidecar), ((22, 9), (23, 48)));
}

#[test]
fn documents_are_indexed_and_ranged() {
    let report = Engine::default().scan(&[Source::new("app.yaml", MANIFEST.as_bytes())]);
    assert_eq!(report.documents.len(), 2);
    assert_eq!(report.documents[0].kind.as_deref(), Some("ConfigMap"));
    assert_eq!(report.documents[0].range.start.line, 2);
    assert_eq!(report.documents[1].index, 1);
    assert_eq!(report.documents[1].range.start.line, 10);
}

#[test]
fn columns_count_characters_not_bytes() {
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\u{e9}\n  annotations: {note: \"\u{1F600}\u{65e5}\"}\nspec:\n  hostPID: true\n  containers: [{name: a, image: x, securityContext: {privileged: true}}]\n";
    let report = Engine::default().scan(&[Source::new("p.yaml", manifest.as_bytes())]);
    let finding = report.findings.iter().find(|f| f.check == "no-privileged").unwrap();
    assert_eq!(span(finding), ((8, 54), (8, 70)));
    let host = report.findings.iter().find(|f| f.check == "no-host-namespaces").unwrap();
    assert_eq!(span(host), ((7, 3), (7, 16)));
}
