//! How settings combine: pod versus container, every container list, every
//! workload kind, YAML 1.1 scalars, exemptions and configuration.

use kubeward::{Config, Engine, Finding, Severity, Source};

fn scan_with(engine: &Engine, manifest: &str) -> Vec<Finding> {
    let report = engine.scan(&[Source::new("m.yaml", manifest.as_bytes())]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report.findings
}

fn scan(manifest: &str) -> Vec<Finding> {
    scan_with(&Engine::default(), manifest)
}

fn has(findings: &[Finding], check: &str, container: &str) -> bool {
    findings.iter().any(|f| f.check == check && f.container.as_deref() == Some(container) && f.suppressed.is_none())
}

fn pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}")
}

#[test]
fn container_settings_override_pod_settings() {
    // Pod says non-root; the container overrides with runAsNonRoot: false and no UID.
    let findings = scan(&pod("  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      runAsNonRoot: false\n  - name: b\n    image: x\n"));
    assert!(has(&findings, "run-as-non-root", "a"));
    assert!(!has(&findings, "run-as-non-root", "b"));
    // Pod-level root UID is reported once, at the pod field, even if a container sets another UID.
    let findings = scan(&pod("  securityContext:\n    runAsUser: 0\n  containers:\n  - name: a\n    image: x\n    securityContext:\n      runAsUser: 1000\n"));
    let root: Vec<_> = findings.iter().filter(|f| f.check == "run-as-non-root").collect();
    assert_eq!(root.len(), 1);
    assert_eq!(root[0].path, "/spec/securityContext/runAsUser");
    // Seccomp from the pod covers containers; a container's Unconfined overrides it.
    let findings = scan(&pod("  securityContext:\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - name: a\n    image: x\n  - name: b\n    image: x\n    securityContext:\n      seccompProfile: {type: Unconfined}\n"));
    assert!(!has(&findings, "seccomp-profile", "a"));
    assert!(has(&findings, "seccomp-profile", "b"));
}

#[test]
fn init_and_ephemeral_containers_are_checked() {
    let findings = scan(&pod("  initContainers:\n  - name: init\n    image: x\n    securityContext: {privileged: true}\n  containers: []\n  ephemeralContainers:\n  - name: debug\n    image: x\n    securityContext: {privileged: true}\n"));
    assert!(has(&findings, "no-privileged", "init"));
    assert!(has(&findings, "no-privileged", "debug"));
    let debug =
        findings.iter().find(|f| f.check == "no-privileged" && f.container.as_deref() == Some("debug")).unwrap();
    assert!(debug.message.starts_with("ephemeral container \"debug\""));
    // Init containers need limits too; ephemeral containers cannot have them.
    assert!(has(&findings, "resource-limits", "init"));
    assert!(!has(&findings, "resource-limits", "debug"));
}

#[test]
fn every_workload_kind_reaches_its_pod() {
    let container = "containers:\n- name: c\n  image: x\n  securityContext: {privileged: true}\n";
    let indent = |text: &str, n: usize| text.lines().map(|l| format!("{}{l}\n", " ".repeat(n))).collect::<String>();
    let cases = [
        ("v1", "Pod", format!("spec:\n{}", indent(container, 2))),
        ("v1", "PodTemplate", format!("template:\n  spec:\n{}", indent(container, 4))),
        ("v1", "ReplicationController", format!("spec:\n  template:\n    spec:\n{}", indent(container, 6))),
        ("apps/v1", "ReplicaSet", format!("spec:\n  template:\n    spec:\n{}", indent(container, 6))),
        ("apps/v1", "Deployment", format!("spec:\n  template:\n    spec:\n{}", indent(container, 6))),
        ("apps/v1", "StatefulSet", format!("spec:\n  template:\n    spec:\n{}", indent(container, 6))),
        ("apps/v1", "DaemonSet", format!("spec:\n  template:\n    spec:\n{}", indent(container, 6))),
        ("batch/v1", "Job", format!("spec:\n  template:\n    spec:\n{}", indent(container, 6))),
        (
            "batch/v1",
            "CronJob",
            format!("spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n{}", indent(container, 10)),
        ),
    ];
    for (api_version, kind, body) in cases {
        let manifest = format!("apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: w\n{body}");
        let findings = scan(&manifest);
        let finding = findings.iter().find(|f| f.check == "no-privileged").unwrap_or_else(|| panic!("{kind}"));
        assert!(finding.path.ends_with("/containers/0/securityContext/privileged"), "{kind}: {}", finding.path);
        assert_eq!(finding.object.kind, kind);
    }
}

#[test]
fn yaml_1_1_booleans_count_as_kubernetes_reads_them() {
    for word in ["yes", "on", "y", "True"] {
        let findings = scan(&pod(&format!(
            "  containers:\n  - name: a\n    image: x\n    securityContext:\n      privileged: {word}\n"
        )));
        assert!(has(&findings, "no-privileged", "a"), "privileged: {word}");
    }
    // Quoted, it is a string: not privileged, but an invalid field.
    let findings =
        scan(&pod("  containers:\n  - name: a\n    image: x\n    securityContext:\n      privileged: \"yes\"\n"));
    assert!(!has(&findings, "no-privileged", "a"));
    assert!(findings.iter().any(|f| f.check == "invalid-field"));
}

#[test]
fn json_input_is_positioned_too() {
    let json = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"p\"},\n  \"spec\": {\n    \"hostNetwork\": true,\n    \"containers\": []\n  }\n}\n";
    let findings = scan(json);
    let host = findings.iter().find(|f| f.check == "no-host-namespaces").unwrap();
    assert_eq!((host.range.start.line, host.range.start.column), (6, 5));
    assert_eq!(host.path, "/spec/hostNetwork");
}

#[test]
fn drop_all_is_case_insensitive() {
    let findings = scan(&pod(
        "  containers:\n  - name: a\n    image: x\n    securityContext:\n      capabilities:\n        drop: [all]\n",
    ));
    assert!(!has(&findings, "drop-all-capabilities", "a"));
}

#[test]
fn merge_keys_and_anchors_are_followed() {
    let findings = scan(&pod("  containers:\n  - name: a\n    image: x\n    securityContext: &sc\n      privileged: true\n  - name: b\n    image: x\n    securityContext:\n      <<: *sc\n      runAsUser: 5\n"));
    assert!(has(&findings, "no-privileged", "a"));
    assert!(has(&findings, "no-privileged", "b"));
}

const SIDECAR_POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kubeward.io/ignore: \"no-privileged:istio-proxy, read-only-root-filesystem@2020-01-01\"\n    kubeward.io/ignore-reason: the mesh sidecar needs it\nspec:\n  containers:\n  - name: app\n    image: x\n    securityContext: {privileged: true}\n  - name: istio-proxy\n    image: x\n    securityContext: {privileged: true}\n";

#[test]
fn ignore_annotations_with_container_qualifier_and_expiry() {
    let mut config = Config::default();
    config.today = Some("2026-11-23".into());
    let findings = scan_with(&Engine::new(config).unwrap(), SIDECAR_POD);
    let sidecar =
        findings.iter().find(|f| f.check == "no-privileged" && f.container.as_deref() == Some("istio-proxy")).unwrap();
    let suppression = sidecar.suppressed.as_ref().expect("suppressed");
    assert_eq!(suppression.by, "annotation");
    assert_eq!(suppression.reason, "the mesh sidecar needs it");
    assert!(has(&findings, "no-privileged", "app"), "the app container must not be exempted");
    // The read-only exemption expired in 2020.
    assert!(has(&findings, "read-only-root-filesystem", "app"));
}

#[test]
fn configuration_can_forbid_inline_exemptions() {
    let config = Config::from_text("allowInlineIgnores: false\n").unwrap();
    let findings = scan_with(&Engine::new(config).unwrap(), SIDECAR_POD);
    assert!(has(&findings, "no-privileged", "istio-proxy"));
}

#[test]
fn configuration_disables_checks_overrides_severity_and_exempts() {
    let config = Config::from_text(
        "checks:\n  no-privileged:\n    severity: low\n  mac-profile:\n    enabled: false\nignores:\n- check: resource-limits\n  name: p\n  reason: sized by the VPA\n",
    )
    .unwrap();
    let findings = scan_with(&Engine::new(config).unwrap(), SIDECAR_POD);
    assert!(findings.iter().filter(|f| f.check == "no-privileged").all(|f| f.severity == Severity::Low));
    assert!(!findings.iter().any(|f| f.check == "mac-profile"));
    let limits = findings.iter().find(|f| f.check == "resource-limits").unwrap();
    assert_eq!(limits.suppressed.as_ref().unwrap().by, "config");
}

#[test]
fn invalid_configurations_are_rejected() {
    assert!(Engine::new(Config::from_text("checks:\n  no-such-check: {enabled: false}\n").unwrap()).is_err());
    assert!(Config::from_text("bogus: 1\n").is_err());
    assert!(Engine::new(
        Config::from_text("ignores:\n- check: no-privileged\n  expires: soon\n  reason: r\n").unwrap()
    )
    .is_err());
}

#[test]
fn reports_are_deterministic_and_order_independent() {
    let a = Source::new("a.yaml", SIDECAR_POD.as_bytes());
    let b = Source::new(
        "b.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  hostPID: true\n  containers: []\n",
    );
    let engine = Engine::default();
    assert_eq!(engine.scan(&[a, b]).to_json(), engine.scan(&[b, a]).to_json());
}
