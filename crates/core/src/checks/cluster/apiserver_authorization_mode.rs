//! RBAC authorizes requests; AlwaysAllow and ABAC are off (item 8.1).

use crate::checks::cluster::flags::running;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.6", "1.2.7", "1.2.8"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-authorization-mode",
        title: "API server does not authorize with RBAC, or allows everything",
        severity: Severity::Critical,
        items: &[("7.2", "a CIS Kubernetes Benchmark control fails"), ("8.1", "the API server does not authorize with RBAC, or allows everything")],
        section: "cluster",
        rationale: "Without `--authorization-mode` the API server uses AlwaysAllow: every authenticated request may do anything. ABAC policies live in a file on the control-plane node, outside the API and its audit trail. `Node,RBAC` limits kubelets to their own node's objects and everyone else to what a Role grants.",
        remediation: "Start kube-apiserver with `--authorization-mode=Node,RBAC` (optionally followed by Webhook), and remove AlwaysAllow and ABAC.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n    - --authorization-mode=AlwaysAllow\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --authorization-mode=Node,RBAC\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, flags) in running(ctx.pod, Component::ApiServer) {
        let modes = flags.list("authorization-mode");
        if modes.is_empty() && flags.get("authorization-config").is_none() {
            sink.report_container(
                &flags.missing_at,
                &container.name,
                message!(
                    "{} sets no --authorization-mode, so every request is allowed (AlwaysAllow)",
                    container.label()
                ),
            );
            continue;
        }
        for (mode, flag) in &modes {
            if mode == "AlwaysAllow" || mode == "ABAC" {
                sink.report_container(
                    &flag.view,
                    &container.name,
                    message!("{} authorizes with {mode}", container.label()),
                );
            }
        }
        if !modes.is_empty() && !modes.iter().any(|(mode, _)| mode == "RBAC") {
            sink.report_container(
                flags.at("authorization-mode"),
                &container.name,
                message!("{} does not include RBAC in --authorization-mode", container.label()),
            );
        }
        if !modes.is_empty() && !modes.iter().any(|(mode, _)| mode == "Node") {
            sink.report_with_severity(
                flags.at("authorization-mode"),
                Some(&container.name),
                Severity::Medium,
                message!(
                    "{} does not include Node in --authorization-mode (kubelets are not limited to their node)",
                    container.label()
                ),
            );
        }
    }
}
