//! The policy engine on its own: policies and manifests in, positioned
//! violations out (the engine's own tests cover the report around them).

use super::set::*;
use super::*;
use crate::model::object::{identity, objects_of};
use crate::position::LineIndex;
use crate::yaml::{load_documents, Tree};
use crate::Limits;

/// One violation as a test reads it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Seen {
    pub check: String,
    pub message: String,
    pub line: u32,
    pub column: u32,
    pub pointer: String,
    pub severity: Severity,
}

pub(super) fn load(policy: &str) -> Result<PolicySet, Vec<(u32, u32, String)>> {
    let (set, errors) = PolicySet::load(&[("policy.yaml", policy.as_bytes())], &Limits::default(), true);
    if errors.is_empty() {
        return Ok(set);
    }
    let lines = LineIndex::new(policy.as_bytes());
    Err(errors
        .into_iter()
        .map(|error| {
            let position = lines.position(policy.as_bytes(), error.offset);
            (position.line, position.column, error.message)
        })
        .collect())
}

pub(super) fn scan_with(set: &PolicySet, manifest: &str) -> Vec<Seen> {
    let bytes = manifest.as_bytes();
    let lines = LineIndex::new(bytes);
    let documents = load_documents(bytes, &Limits::default()).expect("manifest reads");
    let trees: Vec<Tree> = documents.into_iter().filter_map(|document| document.tree.ok()).collect();
    let param_kinds: Vec<(String, String)> = set.param_kinds().cloned().collect();
    let mut scene = Scene::default();
    for tree in &trees {
        for object in objects_of(tree).unwrap_or_default() {
            scene.see(tree, object.node, &identity(tree, object.node), &param_kinds);
        }
    }
    let mut seen = Vec::new();
    for tree in &trees {
        for object in objects_of(tree).unwrap_or_default() {
            let identity = identity(tree, object.node);
            let subject =
                Subject { tree, node: object.node, pointer: &object.pointer, span: object.span, identity: &identity };
            for violation in set.evaluate(&subject, &scene) {
                let position = lines.position(bytes, violation.span.0);
                seen.push(Seen {
                    check: violation.check.to_string(),
                    message: violation.message,
                    line: position.line,
                    column: position.column,
                    pointer: violation.pointer,
                    severity: violation.severity,
                });
            }
        }
    }
    seen
}

pub(super) fn scan(policy: &str, manifest: &str) -> Vec<Seen> {
    let set = load(policy).unwrap_or_else(|errors| panic!("policy does not load: {errors:?}"));
    scan_with(&set, manifest)
}

/// A policy for Deployments with these validations (YAML list items, indented by 2).
pub(super) fn policy_with(validations: &str) -> String {
    format!(
        "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: test-policy\nspec:\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [\"apps\"]\n      apiVersions: [\"v1\"]\n      operations: [\"CREATE\", \"UPDATE\"]\n      resources: [\"deployments\"]\n  validations:\n{validations}"
    )
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  replicas: 5
  template:
    spec:
      containers:
      - name: app
        image: registry.example.com/app:1.0
        securityContext:
          runAsNonRoot: true
      - name: sidecar
        image: docker.io/library/proxy:2
      - name: debug
        image: registry.example.com/debug:1
        securityContext:
          privileged: true
";

#[test]
fn a_failed_comparison_points_at_the_field() {
    let policy = policy_with("  - expression: \"object.spec.replicas <= 3\"\n    message: too many replicas\n");
    let seen = scan(&policy, DEPLOYMENT);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!((seen[0].line, seen[0].column), (9, 3));
    assert_eq!(seen[0].pointer, "/spec/replicas");
    assert_eq!(seen[0].message, "too many replicas");
    assert_eq!(seen[0].check, "test-policy");
    assert_eq!(seen[0].severity, Severity::High);
}

#[test]
fn all_over_containers_points_at_the_failing_container_field() {
    let policy = policy_with(
        "  - expression: \"object.spec.template.spec.containers.all(c, c.image.startsWith('registry.example.com/'))\"\n",
    );
    let seen = scan(&policy, DEPLOYMENT);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].pointer, "/spec/template/spec/containers/1/image");
    assert_eq!((seen[0].line, seen[0].column), (18, 9));
    assert!(seen[0].message.starts_with("failed expression: object.spec"), "{}", seen[0].message);
}

#[test]
fn has_on_a_missing_field_points_at_the_nearest_ancestor() {
    let policy = policy_with(
        "  - expression: \"object.spec.template.spec.containers.all(c, has(c.securityContext) && c.securityContext.runAsNonRoot == true)\"\n",
    );
    let seen = scan(&policy, DEPLOYMENT);
    assert_eq!(seen.len(), 1, "{seen:?}");
    // The sidecar has no securityContext: its item (from the `-`).
    assert_eq!(seen[0].pointer, "/spec/template/spec/containers/1/securityContext");
    assert_eq!((seen[0].line, seen[0].column), (17, 7));
}

#[test]
fn negated_exists_points_at_the_element_found() {
    let policy = policy_with(
        "  - expression: \"!object.spec.template.spec.containers.exists(c, has(c.securityContext.privileged) && c.securityContext.privileged)\"\n    messageExpression: \"'privileged containers in ' + object.metadata.name\"\n",
    );
    let seen = scan(&policy, DEPLOYMENT);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].pointer, "/spec/template/spec/containers/2/securityContext/privileged");
    assert_eq!((seen[0].line, seen[0].column), (22, 11));
    assert_eq!(seen[0].message, "privileged containers in web");
}

#[test]
fn a_missing_label_points_at_the_labels() {
    let policy = policy_with(
        "  - expression: \"has(object.metadata.labels.owner)\"\n    message: every Deployment needs an owner label\n",
    );
    let seen = scan(&policy, DEPLOYMENT);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!((seen[0].line, seen[0].column), (6, 3));
}

#[test]
fn passing_objects_and_other_kinds_have_no_violations() {
    let policy = policy_with("  - expression: \"object.spec.replicas >= 1\"\n");
    assert!(scan(&policy, DEPLOYMENT).is_empty());
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: []\n";
    let failing = policy_with("  - expression: \"false\"\n");
    assert!(scan(&failing, pod).is_empty(), "the policy matches Deployments only");
}

const HEADER: &str =
    "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\n";

fn pods_policy(spec_extra: &str, validations: &str) -> String {
    format!(
        "{HEADER}spec:\n  matchConstraints:\n    resourceRules:\n    - apiGroups: [\"\"]\n      apiVersions: [\"v1\"]\n      operations: [\"*\"]\n      resources: [\"pods\"]\n{spec_extra}  validations:\n{validations}"
    )
}

fn pod(name: &str, namespace: &str, labels: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {namespace}\n  labels: {labels}\nspec:\n  containers:\n  - name: c\n    image: nginx\n")
}

fn checks_of(seen: &[Seen]) -> Vec<String> {
    seen.iter().map(|s| s.message.clone()).collect()
}

#[test]
fn namespace_selector_reads_the_input_namespace_labels() {
    let policy = pods_policy(
        "    namespaceSelector:\n      matchLabels:\n        env: prod\n",
        "  - expression: \"false\"\n    message: prod pod\n",
    );
    let manifest = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {{env: prod}}\n---\n{}---\n{}",
        pod("a", "shop", "{}"),
        pod("b", "dev", "{}")
    );
    let seen = scan(&policy, &manifest);
    // The selector sits under matchConstraints: only the pod in the prod namespace matches.
    let messages: Vec<_> = seen.iter().map(|s| (s.message.as_str(), s.line)).collect();
    assert_eq!(messages, vec![("prod pod", 7)], "{seen:?}");
}

#[test]
fn object_selector_and_exclusions() {
    let policy = pods_policy(
        "    objectSelector:\n      matchExpressions:\n      - {key: tier, operator: In, values: [web]}\n    excludeResourceRules:\n    - apiGroups: [\"\"]\n      apiVersions: [\"*\"]\n      operations: [\"*\"]\n      resources: [\"pods\"]\n      resourceNames: [\"skipped\"]\n",
        "  - expression: \"false\"\n",
    );
    let manifest = format!(
        "{}---\n{}---\n{}",
        pod("a", "x", "{tier: web}"),
        pod("b", "x", "{tier: db}"),
        pod("skipped", "x", "{tier: web}")
    );
    let seen = scan(&policy, &manifest);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].line, 1);
}

#[test]
fn match_conditions_select_and_their_errors_follow_the_failure_policy() {
    let policy = pods_policy(
        "  matchConditions:\n  - name: only-web\n    expression: \"object.metadata.labels.tier == 'web'\"\n",
        "  - expression: \"false\"\n    message: web pod\n",
    );
    let manifest =
        format!("{}---\n{}---\n{}", pod("a", "x", "{tier: web}"), pod("b", "x", "{tier: db}"), pod("c", "x", "{}"));
    let seen = scan(&policy, &manifest);
    let messages = checks_of(&seen);
    assert_eq!(messages.len(), 2, "{seen:?}");
    assert_eq!(messages[0], "web pod");
    // Pod c has no tier label: the condition fails to evaluate, and Fail (the default) reports it.
    assert!(
        messages[1]
            .starts_with("matchCondition `only-web` 'object.metadata.labels.tier == 'web'' could not be evaluated"),
        "{}",
        messages[1]
    );
    assert_eq!(seen[1].severity, Severity::High);
    let ignoring = policy.replace("  validations:", "  failurePolicy: Ignore\n  validations:");
    let seen = scan(&ignoring, &manifest);
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].severity, Severity::Info, "an ignored failure is still reported, as info");
    assert!(seen[1].message.ends_with("(failurePolicy: Ignore)"));
}

#[test]
fn parameters_come_from_the_policy_files_and_the_input() {
    let policy = format!(
        "{}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: p\n  validationActions: [Warn]\n  paramRef:\n    name: limits\n    namespace: config\n    parameterNotFoundAction: Deny\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n  namespace: config\ndata:\n  maxContainers: \"0\"\n",
        pods_policy(
            "  paramKind:\n    apiVersion: v1\n    kind: ConfigMap\n",
            "  - expression: \"size(object.spec.containers) <= int(params.data.maxContainers)\"\n    messageExpression: \"'at most ' + params.data.maxContainers + ' containers'\"\n",
        )
    );
    let seen = scan(&policy, &pod("a", "x", "{}"));
    assert_eq!(checks_of(&seen), vec!["at most 0 containers".to_string()]);
    assert_eq!(seen[0].severity, Severity::Medium, "Warn is medium");
    assert_eq!(seen[0].pointer, "/spec/containers");
    // The binding names a ConfigMap the files lack: found in the input instead.
    let elsewhere = policy.replace("name: limits\n  namespace: config\ndata", "name: other\n  namespace: config\ndata");
    let manifest = format!(
        "{}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n  namespace: config\ndata:\n  maxContainers: \"5\"\n",
        pod("a", "x", "{}")
    );
    assert!(scan(&elsewhere, &manifest).is_empty(), "5 containers allowed by the input's ConfigMap");
    let seen = scan(&elsewhere, &pod("a", "x", "{}"));
    assert_eq!(
        checks_of(&seen),
        vec!["no params found for policy binding with `Deny` parameterNotFoundAction".to_string()]
    );
    let allow = elsewhere.replace("parameterNotFoundAction: Deny", "parameterNotFoundAction: Allow");
    assert!(scan(&allow, &pod("a", "x", "{}")).is_empty());
}

#[test]
fn bindings_set_severity_and_narrow_the_match() {
    let binding = |actions: &str, extra: &str| {
        format!(
            "{}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: p\n  validationActions: {actions}\n{extra}",
            pods_policy("", "  - expression: \"false\"\n")
        )
    };
    let severity = |actions: &str| scan(&binding(actions, ""), &pod("a", "x", "{}"))[0].severity;
    assert_eq!(severity("[Deny]"), Severity::High);
    assert_eq!(severity("[Warn, Audit]"), Severity::Medium);
    assert_eq!(severity("[Audit]"), Severity::Low);
    let narrowed = binding(
        "[Deny]",
        "  matchResources:\n    namespaceSelector:\n      matchExpressions:\n      - {key: env, operator: Exists}\n",
    );
    assert!(scan(&narrowed, &pod("a", "x", "{}")).is_empty(), "namespace x is unknown: no env label");
}

#[test]
fn variables_compose_and_are_lazy() {
    let policy = pods_policy(
        "  variables:\n  - name: images\n    expression: \"object.spec.containers.map(c, c.image)\"\n  - name: untrusted\n    expression: \"variables.images.filter(i, !i.startsWith('registry.example.com/'))\"\n  - name: broken\n    expression: \"object.spec.missing.field\"\n",
        "  - expression: \"size(variables.untrusted) == 0\"\n    messageExpression: \"'untrusted images: ' + variables.untrusted.join(', ')\"\n",
    );
    let seen = scan(&policy, &pod("a", "x", "{}"));
    assert_eq!(checks_of(&seen), vec!["untrusted images: nginx".to_string()], "`broken` is never read, so never fails");
}

#[test]
fn namespace_object_and_request() {
    let policy = pods_policy(
        "",
        "  - expression: \"namespaceObject.metadata.labels.team == 'a'\"\n    message: ns\n  - expression: \"request.operation == 'CREATE' && request.kind.kind == 'Pod' && request.resource.resource == 'pods' && request.namespace == 'shop' && request.name == 'a'\"\n    message: request\n  - expression: \"oldObject == null\"\n    message: old\n",
    );
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: b}\n---\n";
    let seen = scan(&policy, &format!("{namespace}{}", pod("a", "shop", "{}")));
    assert_eq!(checks_of(&seen), vec!["ns".to_string()]);
    // Without the Namespace in the input, namespaceObject is null: reading it fails.
    let seen = scan(&policy, &pod("a", "shop", "{}"));
    assert_eq!(seen.len(), 1);
    assert!(seen[0].message.contains("could not be evaluated"), "{}", seen[0].message);
}

#[test]
fn match_policy_exact_and_equivalent() {
    let policy = |match_policy: &str| {
        format!(
            "{HEADER}spec:\n  matchConstraints:\n    matchPolicy: {match_policy}\n    resourceRules:\n    - apiGroups: [apps]\n      apiVersions: [v1]\n      operations: [CREATE]\n      resources: [deployments]\n  validations:\n  - expression: \"false\"\n"
        )
    };
    let old = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: d\n";
    assert_eq!(scan(&policy("Equivalent"), old).len(), 1);
    assert!(scan(&policy("Exact"), old).is_empty());
}

#[test]
fn policy_errors_name_the_function_and_the_line() {
    let policy = pods_policy("", "  - expression: |\n      object.spec.containers.all(c,\n        c.image.startsWith('x') && authorizer.allowed())\n");
    let errors = load(&policy).expect_err("refused");
    assert_eq!(errors.len(), 1);
    let (line, column, message) = &errors[0];
    assert!(message.contains("`authorizer` is not supported"), "{message}");
    assert!(message.starts_with("policy `p`:"), "{message}");
    assert_eq!((*line, *column), (15, 36), "{message}");
    let policy = pods_policy("", "  - expression: \"object.spec.containers.exists(c, c.image.frobnicate())\"\n");
    let (line, column, message) = load(&policy).expect_err("refused").remove(0);
    assert!(message.contains("function `.frobnicate()` is not supported"), "{message}");
    assert_eq!((line, column), (13, 59));
    let policy = pods_policy("", "  - expression: \"object.spec.(\"\n");
    let (line, _, message) = load(&policy).expect_err("refused").remove(0);
    assert!(message.contains("syntax error"), "{message}");
    assert_eq!(line, 13);
}

#[test]
fn policy_documents_are_checked() {
    for (policy, wanted) in [
        (format!("{HEADER}spec:\n  validations:\n  - expression: 'true'\n"), "`spec.matchConstraints` is required"),
        (pods_policy("  failurePolicy: Sometimes\n", "  - expression: 'true'\n"), "unknown failurePolicy"),
        (pods_policy("  validatons: []\n", "  - expression: 'true'\n"), "unknown field `validatons`"),
        (pods_policy("", "  - expression: 'true'\n    reason: Nope\n"), "unknown reason"),
        (
            format!("{}---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: p\n  validationActions: [Deny, Warn]\n", pods_policy("", "  - expression: 'true'\n")),
            "Deny and Warn cannot be used together",
        ),
        (
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata:\n  name: b\nspec:\n  policyName: nowhere\n  validationActions: [Deny]\n".to_string(),
            "names policy `nowhere`",
        ),
        (format!("{}---\n{}", pods_policy("", "  - expression: 'true'\n"), pods_policy("", "  - expression: 'true'\n")), "declared twice"),
    ] {
        let errors = load(&policy).err().unwrap_or_else(|| panic!("{wanted}: loaded"));
        assert!(errors.iter().any(|(_, _, message)| message.contains(wanted)), "{wanted}: {errors:?}");
    }
}

#[test]
fn an_expression_that_runs_too_long_is_stopped() {
    let policy = pods_policy(
        "",
        "  - expression: \"[0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, [0,1,2,3,4,5,6,7,8,9].all(c, [0,1,2,3,4,5,6,7,8,9].all(d, [0,1,2,3,4,5,6,7,8,9].all(e, [0,1,2,3,4,5,6,7,8,9].all(f, a + b + c + d + e + f >= 0))))))\"\n",
    );
    let seen = scan(&policy, &pod("a", "x", "{}"));
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].message.contains("exceeded its cost limit of 1000000"), "{}", seen[0].message);
    // Growing a string through variables stops at the size limit.
    let mut variables = String::from("  variables:\n  - name: v0\n    expression: \"'xxxxxxxxxxxxxxxx'\"\n");
    for i in 1..40 {
        variables.push_str(&format!(
            "  - name: v{i}\n    expression: \"variables.v{} + variables.v{}\"\n",
            i - 1,
            i - 1
        ));
    }
    let policy = pods_policy(&variables, "  - expression: \"size(variables.v39) > 0\"\n");
    let seen = scan(&policy, &pod("a", "x", "{}"));
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(seen[0].message.contains("more than the limit"), "{}", seen[0].message);
    // And through replace, which grows a string in one step.
    let policy = pods_policy(
        "  variables:\n  - name: a\n    expression: \"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'.replace('x', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')\"\n  - name: b\n    expression: \"variables.a.replace('x', variables.a)\"\n",
        "  - expression: \"size(variables.b) > 0\"\n",
    );
    let seen = scan(&policy, &pod("a", "x", "{}"));
    assert!(seen[0].message.contains("more than the limit"), "{}", seen[0].message);
}

#[test]
fn deep_expressions_are_refused_not_overflowed() {
    for text in [
        format!("{}true{}", "(".repeat(100_000), ")".repeat(100_000)),
        format!("1{} == 1", "+1".repeat(100_000)),
        format!("object{}", ".a".repeat(100_000)),
        format!("{}true", "!".repeat(100_000)),
        format!("[1]{}", "[0]".repeat(50_000)),
    ] {
        let policy = pods_policy("", &format!("  - expression: \"{text}\"\n"));
        let errors = load(&policy).expect_err("refused");
        assert!(errors[0].2.contains("longer than the limit") || errors[0].2.contains("operators"), "{}", errors[0].2);
    }
    // At the limits, on a test thread's stack in a debug build (the largest
    // frames), the worst shapes compile or are refused, and evaluate.
    use crate::policy::cel::compile::{MAX_DEPTH, MAX_OPERATORS};
    let shapes = [
        format!("1{} > 0", "+1".repeat(MAX_OPERATORS - 2)),
        format!("{{'a': 1}}{} == 1", ".a".repeat(MAX_OPERATORS - 8)),
        format!("'a'{}.size() > 0", ".lowerAscii()".repeat(MAX_OPERATORS / 3 - 2)),
        format!("1{} > 0", "+1".repeat(MAX_DEPTH - 3)),
        format!("{{'a': 1}}{} == 1", ".a".repeat(MAX_DEPTH - 3)),
        format!("object.metadata{} == 1", ".a".repeat(MAX_DEPTH - 4)),
        format!("{}true{}", "[true].all(x, ".repeat(MAX_DEPTH / 5), ")".repeat(MAX_DEPTH / 5)),
    ];
    let handle = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let mut compiled = 0;
            for text in shapes {
                let policy = pods_policy("", &format!("  - expression: \"{text}\"\n"));
                match load(&policy) {
                    Ok(set) => {
                        compiled += 1;
                        let _ = scan_with(&set, &pod("a", "x", "{}"));
                    }
                    Err(errors) => assert!(errors[0].2.contains("levels deep"), "{}", errors[0].2),
                }
            }
            compiled
        })
        .expect("thread");
    assert!(handle.join().expect("no overflow") >= 4, "the shapes within the depth limit compile");
}

#[test]
fn object_lists_and_maps_behave_as_built_in_values() {
    let policy = pods_policy(
        "",
        "  - expression: \"object.spec.containers[0].args == ['a', 'b'] && ['a', 'b'] == object.spec.containers[0].args\"\n    message: list equality\n  - expression: \"object.metadata.labels == {'tier': 'web'} && {'tier': 'web'} == object.metadata.labels\"\n    message: map equality\n  - expression: \"object.spec.containers[0].args + ['c'] == ['a', 'b', 'c'] && 'a' in object.spec.containers[0].args && 'tier' in object.metadata.labels\"\n    message: concatenation and in\n  - expression: \"object.spec.containers.all(c, c.?name.hasValue() && c.?nothing.orValue(1) == 1) && object.spec.containers.map(c, c.args).size() == 1\"\n    message: optionals on elements\n  - expression: \"[object.spec.containers[0]] == object.spec.containers && object.spec.containers[0] in object.spec.containers\"\n    message: nested equality\n  - expression: \"object.spec.containers[0].args != ['a']\"\n    message: inequality\n",
    );
    let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {tier: web}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    args: [a, b]\n";
    let seen = scan(&policy, manifest);
    assert!(seen.is_empty(), "{seen:?}");
}
