//! Essential admission plugins are on, AlwaysAdmit is off (item 8.4).

use crate::checks::cluster::flags::running;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["1.2.10", "1.2.14"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-admission-plugins",
        title: "API server admission plugins are missing or unsafe",
        severity: Severity::High,
        items: &[("7.2", "a CIS Kubernetes Benchmark control fails"), ("8.4", "an essential admission plugin is off, or an unsafe one on")],
        section: "cluster",
        rationale: "NodeRestriction stops a kubelet (and so anyone who steals its credentials) from changing other nodes and pods; PodSecurity enforces the Pod Security Standards on labelled namespaces and is on by default since 1.23 unless disabled; AlwaysAdmit admits everything and turns the other plugins' decisions off.",
        remediation: "Add NodeRestriction to `--enable-admission-plugins`, keep PodSecurity enabled (never list it in `--disable-admission-plugins`) or deploy an equivalent policy engine, and remove AlwaysAdmit.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --enable-admission-plugins=AlwaysAdmit\n    - --disable-admission-plugins=PodSecurity\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --enable-admission-plugins=NodeRestriction\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, flags) in running(ctx.pod, Component::ApiServer) {
        let enabled = flags.list("enable-admission-plugins");
        let disabled = flags.list("disable-admission-plugins");
        if let Some((_, flag)) = enabled.iter().find(|(plugin, _)| plugin == "AlwaysAdmit") {
            sink.report_with_severity(
                &flag.view,
                Some(&container.name),
                Severity::Critical,
                message!("{} enables the AlwaysAdmit admission plugin", container.label()),
            );
        }
        if !enabled.iter().any(|(plugin, _)| plugin == "NodeRestriction") {
            sink.report_container(
                flags.at("enable-admission-plugins"),
                &container.name,
                message!("{} does not enable the NodeRestriction admission plugin", container.label()),
            );
        }
        if let Some((_, flag)) = disabled.iter().find(|(plugin, _)| plugin == "PodSecurity") {
            sink.report_container(
                &flag.view,
                &container.name,
                message!("{} disables the PodSecurity admission plugin", container.label()),
            );
        }
    }
}
