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

/// The configuration's findings (check, message, path, line:column), from a scan of `pod`.
fn configuration_findings(config: &str, file: Option<&str>) -> Vec<(String, String, String, String)> {
    let mut config = Config::from_text(config).unwrap();
    config.file = file.map(str::to_string);
    let engine = Engine::new(config).expect("an exemption's problems are findings, not configuration errors");
    let report = engine.scan(&[Source::new("pod.yaml", pod("", true).as_bytes())]);
    report
        .findings
        .iter()
        .filter(|f| &*f.file != "pod.yaml")
        .map(|f| {
            let at = format!(
                "{}:{}:{}-{}:{}",
                f.file, f.range.start.line, f.range.start.column, f.range.end.line, f.range.end.column
            );
            (f.check.clone(), f.message.clone(), f.path.clone(), at)
        })
        .collect()
}

#[test]
fn configuration_exemptions_with_an_unknown_check_or_no_reason_are_findings_in_the_configuration() {
    let config = "# exemptions\nignores:\n  - check: no-host-namespace\n    name: agent\n    reason: node agent\n  - check: no-privileged\n    name: agent\n  - {check: run-as-non-root, reason: \"  \"}\n";
    let found = configuration_findings(config, Some("team/kubeward.yaml"));
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].0, "invalid-exemption");
    assert!(
        found[0].1.contains("unknown check \"no-host-namespace\"; did you mean \"no-host-namespaces\"?"),
        "{found:?}"
    );
    assert_eq!((found[0].2.as_str(), found[0].3.as_str()), ("/ignores/0/check", "team/kubeward.yaml:3:5-3:29"));
    // A missing reason: the field that should be written, at its entry.
    assert!(found[1].1.contains("gives no reason"), "{found:?}");
    assert_eq!((found[1].2.as_str(), found[1].3.as_str()), ("/ignores/1/reason", "team/kubeward.yaml:6:5-7:16"));
    // A blank reason: at the reason.
    assert_eq!((found[2].2.as_str(), found[2].3.as_str()), ("/ignores/2/reason", "team/kubeward.yaml:8:30-8:42"));
    // Without a file name, the findings name the configuration.
    assert!(configuration_findings(config, None).iter().all(|f| f.3.starts_with("configuration:")));
    // A configuration built in code has no text: its findings are at the start.
    let mut built = Config::default();
    let mut ignore = kubeward::ConfigIgnore::default();
    ignore.check = "no-such-check".into();
    ignore.reason = "r".into();
    built.ignores.push(ignore);
    let report = Engine::new(built).unwrap().scan(&[]);
    assert_eq!(report.findings.len(), 1);
    assert_eq!((report.findings[0].range.start.line, report.findings[0].range.start.column), (1, 1));
}

#[test]
fn configuration_exemptions_still_apply_without_a_reason_and_the_finding_can_be_turned_off() {
    let config = "ignores:\n- check: no-host-namespaces\n  name: agent\n";
    let engine = Engine::new(Config::from_text(config).unwrap()).unwrap();
    let report = engine.scan(&[Source::new("pod.yaml", pod("", true).as_bytes())]);
    assert!(report.findings.iter().filter(|f| f.check == "no-host-namespaces").all(|f| f.suppressed.is_some()));
    assert_eq!(report.findings.iter().filter(|f| f.check == "invalid-exemption").count(), 1);
    let off = format!("{config}checks:\n  invalid-exemption: {{enabled: false}}\n");
    let report = Engine::new(Config::from_text(&off).unwrap()).unwrap().scan(&[]);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}
