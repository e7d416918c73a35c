//! The policy engine on its own: policies and manifests in, positioned
//! violations out (the engine's own tests cover the report around them).

use super::set::*;
use super::*;
use crate::model::object::{identity, objects_of};
use crate::yaml::{load_documents, Tree};
use crate::Limits;
use crate::position::LineIndex;

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
    let policy = policy_with("  - expression: \"has(object.metadata.labels.owner)\"\n    message: every Deployment needs an owner label\n");
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
