//! Fixes: each written in the style of its file, composed per object, and
//! clearing what they fix.

use kubeward::{Config, Engine, FixSafety, Source};

fn engine(config: &str) -> Engine {
    Engine::new(Config::from_text(config).expect("config")).expect("engine")
}

/// Applies every fix of `safety` or safer (not exemptions) and returns the new text.
fn fix_with(engine: &Engine, text: &str, unsafe_too: bool) -> String {
    let report = engine.scan(&[Source::new("m.yaml", text.as_bytes())]);
    let outcome = engine.apply_fixes("m.yaml", text, &report, &|_, safety| {
        safety == FixSafety::Safe || (unsafe_too && safety == FixSafety::Unsafe)
    });
    outcome.text
}

fn fix(text: &str, unsafe_too: bool) -> String {
    fix_with(&engine(""), text, unsafe_too)
}

fn checks_of(text: &str) -> Vec<String> {
    let report = engine("").scan(&[Source::new("m.yaml", text.as_bytes())]);
    report.active_findings().map(|f| f.check.clone()).collect()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app # the app\n    image: registry.example.com/app:1.0\n\n    # resources follow\n    resources:\n      requests: {cpu: 100m, memory: 64Mi}\n";

#[test]
fn safe_fixes_make_one_security_context() {
    let fixed = fix(POD, false);
    println!("{fixed}");
    assert_eq!(fixed.matches("securityContext:").count(), 1, "{fixed}");
    assert!(fixed.contains("      allowPrivilegeEscalation: false\n"), "{fixed}");
    assert!(fixed.contains("# the app") && fixed.contains("\n\n    # resources follow\n"));
    let left = checks_of(&fixed);
    assert!(!left.contains(&"no-privilege-escalation".to_string()), "{left:?}");
    assert!(!left.contains(&"seccomp-profile".to_string()), "{left:?}");
    assert_eq!(fix(&fixed, false), fixed, "a second pass changes nothing");
}

#[test]
fn unsafe_fixes_clear_their_checks() {
    let fixed = fix(POD, true);
    println!("{fixed}");
    let left = checks_of(&fixed);
    for check in ["read-only-root-filesystem", "drop-all-capabilities", "run-as-non-root", "resource-limits"] {
        assert!(!left.contains(&check.to_string()), "{check} left: {left:?}\n{fixed}");
    }
    assert!(fixed.contains("limits: {cpu: 100m, memory: 64Mi}") || fixed.contains("limits:"), "{fixed}");
    assert_eq!(fix(&fixed, true), fixed, "a second pass changes nothing");
}

#[test]
fn json_stays_json() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"metadata\": {\"name\": \"web\"},\n  \"spec\": {\n    \"containers\": [\n      {\n        \"name\": \"app\",\n        \"image\": \"registry.example.com/app:1.0\"\n      }\n    ]\n  }\n}\n";
    let fixed = fix(text, true);
    println!("{fixed}");
    let value: serde_json::Value = serde_json::from_str(&fixed).expect("still JSON");
    assert_eq!(value["spec"]["containers"][0]["securityContext"]["allowPrivilegeEscalation"], false);
    assert_eq!(fix(&fixed, true), fixed);
}

#[test]
fn crlf_flow_and_four_space_indents_are_kept() {
    let text = "apiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n    name: web\r\nspec:\r\n    containers:\r\n        -   name: app\r\n            image: registry.example.com/app:1.0\r\n            securityContext: {}\r\n";
    let fixed = fix(text, false);
    println!("{fixed}");
    assert!(!fixed.replace("\r\n", "").contains('\n'), "LF crept in: {fixed:?}");
    assert!(fixed.contains("securityContext: {allowPrivilegeEscalation: false"), "{fixed}");
    assert_eq!(fix(&fixed, false), fixed);
}

#[test]
fn findings_carry_fixes_and_the_exemption_second() {
    let engine = engine("");
    let mut report = engine.scan(&[Source::new("m.yaml", POD.as_bytes())]);
    engine.attach_fixes(&[Source::new("m.yaml", POD.as_bytes())], &mut report);
    let finding = report.findings.iter().find(|f| f.check == "no-privilege-escalation").expect("finding");
    assert_eq!(finding.fixes.len(), 2);
    assert_eq!(finding.fixes[0].safety, FixSafety::Safe);
    assert_eq!(finding.fixes[1].safety, FixSafety::Exemption);
    let edit = &finding.fixes[0].edits[0];
    assert_eq!(edit.range.start.offset, edit.range.end.offset);
    assert!(edit.text.contains("securityContext:\n      allowPrivilegeEscalation: false\n"), "{:?}", edit.text);
    let json = report.to_json();
    assert!(json.contains("\"fixes\""));
    assert!(json == serde_json::to_string_pretty(&report).expect("serde"), "the writer's bytes are serde's");
    assert!(report.to_compact_json() == serde_json::to_string(&report).expect("serde"));
    let back: kubeward::Report = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, report);
}

#[test]
fn helm_documents_are_left_alone() {
    let text = format!("---\n# Source: chart/templates/pod.yaml\n{POD}");
    let report = engine("").scan(&[Source::new("m.yaml", text.as_bytes())]);
    let outcome = engine("").apply_fixes("m.yaml", &text, &report, &|_, _| true);
    assert_eq!(outcome.text, text);
    assert!(outcome.notes.iter().any(|note| note.contains("Helm")), "{:?}", outcome.notes);
}

#[test]
fn namespaces_get_labels_and_a_default_deny_policy() {
    let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: shop\n";
    let fixed = fix_with(&engine("production:\n  namespaces: [shop]\n"), text, true);
    println!("{fixed}");
    assert!(fixed.contains("pod-security.kubernetes.io/enforce: restricted"), "{fixed}");
    assert!(fixed.contains("kind: NetworkPolicy"), "{fixed}");
    let again = fix_with(&engine("production:\n  namespaces: [shop]\n"), &fixed, true);
    assert_eq!(again, fixed);
}

#[test]
fn renames_and_host_namespaces() {
    let text = "apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: Role\nmetadata:\n  name: r\n  namespace: a\nrules: []\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  hostPID: true # why\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n";
    let fixed = fix(text, true);
    println!("{fixed}");
    assert!(fixed.starts_with("apiVersion: rbac.authorization.k8s.io/v1\n"), "{fixed}");
    assert!(!fixed.contains("hostNetwork"), "{fixed}");
    assert!(fixed.contains("hostPID: false # why"), "{fixed}");
}
