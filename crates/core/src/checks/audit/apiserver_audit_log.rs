//! The API server writes an audit log (item 7.1).

use crate::checks::cluster::flags::running;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.16", "3.2.1"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-audit-log",
        title: "API server writes no audit log",
        severity: Severity::Medium,
        items: &[("7.1", "the API server records no audit log"), ("7.2", "a CIS Kubernetes Benchmark control fails")],
        section: "audit",
        rationale: "The audit log is the only record of who read which Secret, who created a privileged pod or who exec'ed into a container. It needs both a policy (`--audit-policy-file`; without one nothing is recorded) and a destination: a file (`--audit-log-path`, shipped off the node) or a webhook (`--audit-webhook-config-file`) to the SIEM.",
        remediation: "Start kube-apiserver with `--audit-policy-file=<policy>` and `--audit-log-path=<file>` (with `--audit-log-maxage`, `--audit-log-maxbackup`, `--audit-log-maxsize`) or `--audit-webhook-config-file=<kubeconfig>`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --audit-log-path=/var/log/kubernetes/audit.log\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --audit-policy-file=/etc/kubernetes/audit/policy.yaml\n    - --audit-log-path=/var/log/kubernetes/audit.log\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, flags) in running(ctx.pod, Component::ApiServer) {
        let label = container.label();
        if flags.value("audit-policy-file").is_none_or(str::is_empty) {
            sink.report_container(
                flags.at("audit-policy-file"),
                &container.name,
                message!("{label} sets no --audit-policy-file: nothing is audited"),
            );
        }
        let has = |flag: &str| flags.value(flag).is_some_and(|v| !v.is_empty());
        if !has("audit-log-path") && !has("audit-webhook-config-file") {
            sink.report_container(
                &flags.missing_at,
                &container.name,
                message!(
                    "{label} sets neither --audit-log-path nor --audit-webhook-config-file: audit events go nowhere"
                ),
            );
        }
    }
}
