//! The kubelet refuses anonymous requests and authorizes through the API server (items 7.2, 8.1, 8.2).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["4.2.1", "4.2.2", "4.2.4"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "kubelet-config",
        title: "Kubelet allows anonymous or unauthorized access",
        severity: Severity::High,
        items: &[("7.2", "a CIS Kubernetes Benchmark control fails"), ("8.1", "the kubelet authorizes with AlwaysAllow, not the API server's RBAC"), ("8.2", "the kubelet answers anonymous requests")],
        section: "cluster",
        rationale: "The kubelet API runs commands in containers and reads their logs and secrets; with \
            anonymous authentication or `AlwaysAllow` authorization anyone who reaches port 10250 gets that. \
            The read-only port (10255) serves pod specs without any authentication. In a KubeletConfiguration \
            file the safe values are the defaults; this check reports settings written otherwise.",
        remediation: "Set `authentication.anonymous.enabled: false`, `authentication.webhook.enabled: true`, \
            `authorization.mode: Webhook` and `readOnlyPort: 0`.",
        fail_example: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nauthorization:\n  mode: AlwaysAllow\nreadOnlyPort: 10255\n",
        pass_example: "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\nauthorization:\n  mode: Webhook\nreadOnlyPort: 0\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    if !ctx.object.identity.is("kubelet.config.k8s.io", "KubeletConfiguration") {
        return;
    }
    let root = &ctx.object.root;
    let anonymous = root.path(&["authentication", "anonymous", "enabled"]);
    if anonymous.bool().present() == Some(true) {
        sink.report(&anonymous, "kubelet accepts anonymous requests (authentication.anonymous.enabled: true)");
    }
    let webhook = root.path(&["authentication", "webhook", "enabled"]);
    if webhook.bool().present() == Some(false) {
        sink.report_with_severity(
            &webhook,
            None,
            Severity::Medium,
            "kubelet does not check bearer tokens with the API server (authentication.webhook.enabled: false)",
        );
    }
    let mode = root.path(&["authorization", "mode"]);
    if mode.str().present() == Some("AlwaysAllow") {
        sink.report(&mode, "kubelet authorizes every request (authorization.mode: AlwaysAllow)");
    }
    let port = root.get("readOnlyPort");
    if let Some(number) = port.int().present().filter(|&p| p != 0) {
        sink.report_with_severity(
            &port,
            None,
            Severity::Medium,
            message!("kubelet serves the unauthenticated read-only port {number}"),
        );
    }
}
