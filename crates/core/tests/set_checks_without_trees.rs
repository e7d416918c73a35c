//! A scan drops each workload's tree once its own checks have run: the
//! cross-object checks see it through a summary, and Pod Security enforcement
//! judges it against the level its namespace was foreseen to enforce, or reads
//! it again. Whichever way a finding is reached, it is the same finding, at the
//! same place, whatever the number of threads.

use kubeward::{Engine, Finding, Source};

const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n";

/// The same Namespace, with the label key written with a JSON escape (`\/`): the
/// scan's foresight, which looks for the key as written, cannot see it.
const ESCAPED_NAMESPACE: &str = r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"pod-security.kubernetes.io\/enforce": "baseline"}}}"#;

/// Three pods in a List (read again item by item) and a Deployment, all in `shop`.
const WORKLOADS: &str = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n    namespace: shop\n  spec:\n    hostNetwork: true\n    containers:\n    - name: app\n      image: registry.example.com/app:1.0\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n    namespace: shop\n  spec:\n    containers:\n    - name: app\n      image: registry.example.com/app:1.0\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: c\n    namespace: shop\n  spec:\n    hostPID: true\n    containers:\n    - name: app\n      image: registry.example.com/app:1.0\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n        securityContext:\n          privileged: \"yes\"\n";

fn enforcement(findings: &[Finding]) -> Vec<(String, usize, Option<usize>, String, u32, u32)> {
    findings
        .iter()
        .filter(|f| f.check == "pss-namespace-enforcement")
        .map(|f| (f.file.to_string(), f.document, f.item, f.path.clone(), f.range.start.line, f.range.start.column))
        .collect()
}

fn scan(namespace: &str, threads: usize) -> kubeward::Report {
    // The workloads' file sorts first, so their trees are gone when the Namespace is read.
    let sources =
        [Source::new("a-workloads.yaml", WORKLOADS.as_bytes()), Source::new("z-namespace.yaml", namespace.as_bytes())];
    Engine::default().with_threads(threads).scan(&sources)
}

#[test]
fn pods_are_judged_against_their_namespace_foreseen_or_not() {
    let foreseen = scan(NAMESPACE, 1);
    let expected = vec![
        ("a-workloads.yaml".to_string(), 0, Some(0), "/items/0/spec/hostNetwork".to_string(), 10, 5),
        ("a-workloads.yaml".to_string(), 0, Some(2), "/items/2/spec/hostPID".to_string(), 29, 5),
    ];
    assert_eq!(enforcement(&foreseen.findings), expected);
    // The privileged: "yes" of the Deployment is an invalid field (reported once),
    // not a baseline violation.
    let invalid: Vec<_> = foreseen.findings.iter().filter(|f| f.check == "invalid-field").collect();
    assert_eq!(invalid.len(), 1, "{invalid:#?}");
    assert_eq!(invalid[0].path, "/spec/template/spec/containers/0/securityContext/privileged");

    // Unforeseen: every pod is read again from its document, with the same result.
    let reread = scan(ESCAPED_NAMESPACE, 1);
    assert_eq!(enforcement(&reread.findings), expected);
    let messages = |report: &kubeward::Report| -> Vec<String> {
        report.findings.iter().filter(|f| f.check == "pss-namespace-enforcement").map(|f| f.message.clone()).collect()
    };
    assert_eq!(messages(&reread), messages(&foreseen));
    let invalid_again: Vec<_> = reread.findings.iter().filter(|f| f.check == "invalid-field").collect();
    assert_eq!(invalid_again.len(), 1);

    for threads in [2, 3, 8] {
        assert!(scan(NAMESPACE, threads).to_json() == foreseen.to_json(), "foreseen differs on {threads} threads");
        assert!(scan(ESCAPED_NAMESPACE, threads).to_json() == reread.to_json(), "reread differs on {threads} threads");
    }
}

#[test]
fn a_namespace_declared_twice_is_judged_by_its_last_declaration() {
    let restricted = NAMESPACE.replace("baseline", "restricted");
    let twice = format!("{restricted}---\n{NAMESPACE}");
    let sources = [Source::new("a.yaml", WORKLOADS.as_bytes()), Source::new("b.yaml", twice.as_bytes())];
    let report = Engine::default().scan(&sources);
    // Baseline (the last word) rejects two pods; restricted would reject all four.
    assert_eq!(enforcement(&report.findings).len(), 2);
    assert!(report.findings.iter().any(|f| f.check == "duplicate-object"));
}

#[test]
fn kept_objects_report_the_invalid_fields_the_set_checks_read() {
    // Only set checks read these fields (the RBAC inventory, the service-account
    // token check), on kinds the scan keeps whole: each wrong type is reported once.
    let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: agg\naggregationRule:\n  clusterRoleSelectors: {a: b}\nrules: []\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: \"no\"\n";
    for threads in [1, 2] {
        let report = Engine::default().with_threads(threads).scan(&[Source::new("kept.yaml", text.as_bytes())]);
        let invalid: Vec<(usize, &str, u32)> = report
            .findings
            .iter()
            .filter(|f| f.check == "invalid-field")
            .map(|f| (f.document, f.path.as_str(), f.range.start.line))
            .collect();
        assert_eq!(
            invalid,
            [(0, "/aggregationRule/clusterRoleSelectors", 6), (1, "/automountServiceAccountToken", 14)]
        );
    }
}
