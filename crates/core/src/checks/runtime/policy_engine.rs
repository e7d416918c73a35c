//! A policy engine is deployed (item 8.4).

use crate::checks::runtime::report_missing;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::component::Component;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "policy-engine",
        title: "No policy engine in the cluster",
        severity: Severity::Medium,
        items: &[("8.4", "no policy engine runs in the cluster")],
        section: "cluster",
        rationale: "Pod Security Admission covers the Pod Security Standards and nothing else: allowed \
            registries, required labels, image signatures, forbidden Service types and the rest of an \
            organisation's rules need a policy engine (Gatekeeper or Kyverno) in the admission path. Reported \
            only for cluster-level input.",
        remediation: "Deploy Kyverno or Gatekeeper and enforce the checklist's rules as policies.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command: [kube-apiserver]\n---\napiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: disallow-latest-tag\nspec:\n  validationFailureAction: Enforce\n  rules:\n  - name: require-tag\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    validate:\n      message: an image tag is required\n      pattern:\n        spec:\n          containers:\n          - image: \"*:*\"\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    report_missing(ctx, sink, &[Component::Gatekeeper, Component::Kyverno], "policy engine (Gatekeeper or Kyverno)");
}
