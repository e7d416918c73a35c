//! Anonymous requests to the API server are refused (item 8.2).

use crate::checks::cluster::flags::{is_true, running};
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.1"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-anonymous-auth",
        title: "API server accepts anonymous requests",
        severity: Severity::High,
        items: &[("7.2", "a CIS Kubernetes Benchmark control fails"), ("8.2", "the API server accepts anonymous requests")],
        section: "cluster",
        rationale: "`--anonymous-auth` defaults to true: a request without credentials is served as `system:anonymous`, and any binding to `system:unauthenticated` (or a future mistake) becomes reachable by anyone who can reach the API server. Health probes can use authenticated endpoints or the anonymous-auth configuration of a structured AuthenticationConfiguration.",
        remediation: "Start kube-apiserver with `--anonymous-auth=false`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --authorization-mode=Node,RBAC\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, flags) in running(ctx.pod, Component::ApiServer) {
        match flags.value("anonymous-auth") {
            Some(value) if !is_true(value) => {}
            Some(_) => sink.report_container(
                flags.at("anonymous-auth"),
                &container.name,
                message!("{} enables anonymous authentication", container.label()),
            ),
            None => sink.report_container(
                flags.at("anonymous-auth"),
                &container.name,
                message!(
                    "{} does not set --anonymous-auth=false (anonymous requests are accepted by default)",
                    container.label()
                ),
            ),
        }
    }
}
