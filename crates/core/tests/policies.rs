//! Custom policies through the engine: the example policy pack of
//! `examples/policies` over its manifests, every policy finding at its line
//! and column; findings configured and suppressed like any check's;
//! configuration errors positioned in the policy file.
#![cfg(feature = "policies")]

use std::path::{Path, PathBuf};

use kubeward::{Config, Engine, Severity, Source};

fn example(dir: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies").join(dir);
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("example folder").map(|e| e.expect("entry").path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|path| (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&path).unwrap()))
        .collect()
}

fn sources(files: &[(String, Vec<u8>)]) -> Vec<Source<'_>> {
    files.iter().map(|(name, bytes)| Source::new(name, bytes)).collect()
}

fn policy_names(files: &[(String, Vec<u8>)]) -> Vec<String> {
    files
        .iter()
        .flat_map(|(_, bytes)| {
            String::from_utf8_lossy(bytes)
                .lines()
                .filter_map(|line| line.strip_prefix("  name: ").map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_example_pack_reports_positioned_violations() {
    let policies = example("policies");
    let manifests = example("k8s");
    let engine = Engine::with_policies(Config::default(), &sources(&policies)).expect("the pack compiles");
    let report = engine.scan(&sources(&manifests));
    let names = policy_names(&policies);
    let found: Vec<(String, u32, u32, String, Severity)> = report
        .findings
        .iter()
        .filter(|f| names.contains(&f.check))
        .map(|f| (f.file.to_string(), f.range.start.line, f.range.start.column, f.check.clone(), f.severity))
        .collect();
    let high = Severity::High;
    let expected: Vec<(&str, u32, u32, &str, Severity)> = vec![
        ("edge.yaml", 15, 33, "external-ips-in-range", high),
        ("edge.yaml", 24, 1, "ingress-tls", high),
        ("edge.yaml", 27, 5, "ingress-tls", high),
        ("edge.yaml", 36, 5, "webhooks-over-https", high),
        ("legacy.yaml", 3, 1, "namespace-team-label", high),
        ("legacy.yaml", 12, 3, "cronjob-schedule-and-history", high),
        ("legacy.yaml", 13, 3, "cronjob-schedule-and-history", high),
        ("legacy.yaml", 21, 13, "allowed-registries", high),
        ("shop.yaml", 14, 3, "require-owner-label", high),
        ("shop.yaml", 16, 5, "app-version-label", high),
        ("shop.yaml", 18, 3, "production-replicas", Severity::Medium),
        ("shop.yaml", 39, 7, "readiness-probes", high),
        ("shop.yaml", 40, 9, "allowed-registries", high),
        ("shop.yaml", 40, 9, "no-latest-tag", high),
        ("shop.yaml", 43, 9, "containers-run-as-non-root", high),
        ("shop.yaml", 44, 11, "no-privileged-containers", high),
        ("shop.yaml", 46, 13, "allowed-capabilities", high),
        ("shop.yaml", 48, 20, "memory-limits", high),
        ("shop.yaml", 56, 3, "load-balancers-in-edge-only", high),
        ("shop.yaml", 59, 3, "service-ports", high),
    ];
    let expected: Vec<(String, u32, u32, String, Severity)> =
        expected.into_iter().map(|(f, l, c, k, s)| (f.to_string(), l, c, k.to_string(), s)).collect();
    assert_eq!(found, expected);
    let replicas = report.findings.iter().find(|f| f.check == "production-replicas").unwrap();
    assert_eq!(replicas.message, "at most 10 replicas, not 12");
    assert_eq!(replicas.path, "/spec/replicas");
    let owner = report.findings.iter().find(|f| f.check == "require-owner-label").unwrap();
    assert_eq!(owner.items.as_ref(), ["1.1".to_string()], "items from kubeward.io/items");
    // Its items count in the scorecard, as a check's would.
    let item = report.scorecard.items.iter().find(|item| item.id == "1.1").unwrap();
    assert!(item.checks.iter().any(|check| check == "require-owner-label"), "{:?}", item.checks);
    assert_eq!(item.status, kubeward::ItemStatus::Fail);
    // Every policy of the pack compiled; the same report from any number of threads.
    assert_eq!(engine.clone().with_threads(4).scan(&sources(&manifests)).to_json(), report.to_json());
}

const POLICY: &str = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: object.spec.replicas <= 3
";

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    kubeward.io/ignore: replica-limit
    kubeward.io/ignore-reason: load test
spec:
  replicas: 9
";

#[test]
fn policy_findings_are_configured_and_suppressed_like_checks() {
    let policy = [Source::new("p.yaml", POLICY.as_bytes())];
    let manifest = [Source::new("d.yaml", DEPLOYMENT.as_bytes())];
    let config = Config::from_text("checks:\n  replica-limit:\n    severity: critical\n").unwrap();
    let report = Engine::with_policies(config, &policy).unwrap().scan(&manifest);
    let finding = report.findings.iter().find(|f| f.check == "replica-limit").expect("reported");
    assert_eq!(finding.severity, Severity::Critical);
    let suppression = finding.suppressed.as_ref().expect("suppressed by the annotation");
    assert_eq!(suppression.reason, "load test");
    let off = Config::from_text("checks:\n  replica-limit:\n    enabled: false\n").unwrap();
    let report = Engine::with_policies(off, &policy).unwrap().scan(&manifest);
    assert!(!report.findings.iter().any(|f| f.check == "replica-limit"));
    // Without the policy, its name is not a check the configuration may name.
    let error = Engine::new(Config::from_text("checks:\n  replica-limit:\n    enabled: false\n").unwrap()).unwrap_err();
    assert!(error.message.contains("unknown check `replica-limit`"), "{error}");
}

#[test]
fn policy_problems_are_configuration_errors_in_the_policy_file() {
    let broken = POLICY.replace("object.spec.replicas <= 3", "object.spec.replicas <= authorizer.x");
    let error = Engine::with_policies(Config::default(), &[Source::new("p.yaml", broken.as_bytes())]).unwrap_err();
    assert_eq!(error.file.as_deref(), Some("p.yaml"));
    let position = error.position.expect("positioned");
    assert_eq!((position.line, position.column), (13, 41));
    assert!(
        error.to_string().starts_with("p.yaml:13:41: policy `replica-limit`: `authorizer` is not supported"),
        "{error}"
    );
    let clash = POLICY.replace("name: replica-limit", "name: no-privileged");
    let error = Engine::with_policies(Config::default(), &[Source::new("p.yaml", clash.as_bytes())]).unwrap_err();
    assert!(error.message.contains("has the name of a built-in check"), "{error}");
    let unknown = POLICY
        .replace("  name: replica-limit\n", "  name: replica-limit\n  annotations:\n    kubeward.io/items: \"9.99\"\n");
    let error = Engine::with_policies(Config::default(), &[Source::new("p.yaml", unknown.as_bytes())]).unwrap_err();
    assert!(error.message.contains("unknown checklist item `9.99`"), "{error}");
    let error = Engine::new(Config::from_text("policies: [p.yaml]\n").unwrap()).unwrap_err();
    assert!(error.message.contains("Engine::with_policies"), "{error}");
}

#[test]
fn the_input_own_policies_run_behind_a_switch() {
    let input = format!(
        "{POLICY}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: replica-limit\n  validationActions: [Audit]\n---\n{DEPLOYMENT}"
    );
    let files = [Source::new("cluster.yaml", input.as_bytes())];
    let off = Engine::default().scan(&files);
    assert!(!off.findings.iter().any(|f| f.check == "replica-limit"));
    let on = Engine::new(Config::from_text("inputPolicies: true\n").unwrap()).unwrap().scan(&files);
    let finding = on.findings.iter().find(|f| f.check == "replica-limit").expect("the input's policy ran");
    assert_eq!(finding.severity, Severity::Low, "Audit is low");
    assert_eq!((finding.range.start.line, finding.range.start.column), (31, 3));
    // A broken policy in the input is an input error, not a configuration error.
    let broken = input.replace("object.spec.replicas <= 3", "object.spec.(");
    let report = Engine::new(Config::from_text("inputPolicies: true\n").unwrap())
        .unwrap()
        .scan(&[Source::new("cluster.yaml", broken.as_bytes())]);
    let error = report.errors.iter().find(|e| e.message.contains("syntax error")).expect("an input error");
    assert_eq!(error.range.start.line, 13);
}

#[test]
fn the_input_policies_take_parameters_from_any_input_file() {
    let policy = "apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: limit
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
  - expression: object.spec.replicas <= int(params.data.max)
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: limit
spec:
  policyName: limit
  validationActions: [Deny]
  paramRef: {name: limits, namespace: config}
";
    let params =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n  namespace: config\ndata:\n  max: \"2\"\n";
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n";
    let engine = Engine::new(Config::from_text("inputPolicies: true\n").unwrap()).unwrap();
    let report = engine.scan(&[
        Source::new("a-policy.yaml", policy.as_bytes()),
        Source::new("b-deployment.yaml", deployment.as_bytes()),
        Source::new("c-params.yaml", params.as_bytes()),
    ]);
    let finding = report.findings.iter().find(|f| f.check == "limit").expect("evaluated with the ConfigMap");
    assert_eq!(finding.message, "failed expression: object.spec.replicas <= int(params.data.max)");
    assert_eq!((finding.file.as_ref(), finding.range.start.line), ("b-deployment.yaml", 6));
}

#[test]
fn input_policies_named_twice_are_positioned_input_errors() {
    let engine = Engine::with_policies(
        Config::from_text("inputPolicies: true\n").unwrap(),
        &[Source::new("p.yaml", POLICY.as_bytes())],
    )
    .unwrap();
    let other = POLICY.replace("name: replica-limit", "name: other");
    let report = engine.scan(&[
        Source::new("a.yaml", other.as_bytes()),
        Source::new("b.yaml", other.as_bytes()),
        Source::new("c.yaml", POLICY.as_bytes()),
    ]);
    let messages: Vec<(String, u32, u32, String)> = report
        .errors
        .iter()
        .map(|e| (e.file.to_string(), e.range.start.line, e.range.start.column, e.message.clone()))
        .collect();
    assert_eq!(
        messages,
        vec![
            ("b.yaml".to_string(), 4, 9, "policy: policy `other` is declared twice".to_string()),
            (
                "c.yaml".to_string(),
                4,
                9,
                "policy: policy `replica-limit` has the name of a configured policy; the configured one is used"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn a_rescan_with_the_input_policies_gives_the_report_of_a_full_scan() {
    // Policies see the whole input, so nothing is reused; their errors come before the files' (a
    // broken document first in name order).
    let engine = Engine::new(Config::from_text("inputPolicies: true\n").unwrap()).unwrap();
    let mut cache = kubeward::ScanCache::default();
    let broken =
        POLICY.replace("name: replica-limit", "name: other").replace("object.spec.replicas <= 3", "object.spec.(");
    let mut files = [
        ("0-broken-yaml.yaml".to_string(), "kind: [unclosed\n".to_string()),
        (
            "a-policy.yaml".to_string(),
            format!(
                "{POLICY}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: replica-limit\n  validationActions: [Deny]\n"
            ),
        ),
        ("b-broken.yaml".to_string(), broken),
        ("c-deployment.yaml".to_string(), DEPLOYMENT.to_string()),
    ];
    for step in 0..3 {
        let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text.as_bytes())).collect();
        let plain = engine.scan(&sources);
        assert!(plain.errors.len() >= 2, "step {step}: the broken policy and YAML are input errors");
        assert!(plain.errors[0].file != "0-broken-yaml.yaml", "step {step}: the policy's error comes first");
        assert!(plain.findings.iter().any(|f| f.check == "replica-limit"), "step {step}");
        assert_eq!(engine.scan_reusing(&sources, &mut cache).to_json(), plain.to_json(), "step {step}");
        files[3].1 = files[3].1.replace("replicas: ", "replicas: 1");
    }
}
