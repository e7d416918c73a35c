//! Exemptions that tell the truth: an unknown check or a missing reason is a
//! finding with a suggestion; an exemption that suppresses nothing is reported.

use kubeward::{Config, Engine, Source};

fn findings(config: &str, text: &str) -> Vec<(String, String, bool)> {
    let engine = Engine::new(Config::from_text(config).unwrap()).unwrap();
    let report = engine.scan(&[Source::new("pod.yaml", text.as_bytes())]);
    report.findings.iter().map(|f| (f.check.clone(), f.message.clone(), f.suppressed.is_some())).collect()
}

fn pod(ignore: &str, reason: bool) -> String {
    let reason = if reason { "    kubeward.io/ignore-reason: node agent\n" } else { "" };
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  annotations:\n    kubeward.io/ignore: \"{ignore}\"\n{reason}spec:\n  hostPID: true\n  containers: []\n")
}

fn of<'a>(findings: &'a [(String, String, bool)], check: &str) -> Vec<&'a (String, String, bool)> {
    findings.iter().filter(|f| f.0 == check).collect()
}

#[test]
fn an_unknown_check_is_reported_with_a_suggestion() {
    let found = findings("", &pod("no-host-namespace", true));
    let invalid = of(&found, "invalid-exemption");
    assert_eq!(invalid.len(), 1, "{found:?}");
    assert!(invalid[0].1.contains("did you mean \"no-host-namespaces\"?"), "{found:?}");
    assert!(of(&found, "no-host-namespaces").iter().all(|f| !f.2), "nothing was exempted");
}

#[test]
fn a_missing_reason_is_reported_and_the_exemption_still_applies() {
    let found = findings("", &pod("no-host-namespaces", false));
    assert!(of(&found, "invalid-exemption")[0].1.contains("gives no reason"), "{found:?}");
    assert!(of(&found, "no-host-namespaces").iter().all(|f| f.2));
}

#[test]
fn an_exemption_that_suppresses_nothing_is_unused() {
    let found = findings("", &pod("no-host-namespaces, no-privileged", true));
    let unused = of(&found, "unused-exemption");
    assert_eq!(unused.len(), 1, "{found:?}");
    assert!(unused[0].1.contains("\"no-privileged\""), "{found:?}");
    assert!(of(&found, "invalid-exemption").is_empty());
    // Not when its check is off, nor when it has expired, nor when inline exemptions are not honoured.
    let found =
        findings("checks:\n  no-privileged:\n    enabled: false\n", &pod("no-host-namespaces, no-privileged", true));
    assert!(of(&found, "unused-exemption").is_empty(), "{found:?}");
    let found = findings("today: 2030-01-01\n", &pod("no-privileged@2029-12-31", true));
    assert!(of(&found, "unused-exemption").is_empty(), "{found:?}");
    let found = findings("allowInlineIgnores: false\n", &pod("no-privileged", true));
    assert!(of(&found, "unused-exemption").is_empty(), "{found:?}");
}
