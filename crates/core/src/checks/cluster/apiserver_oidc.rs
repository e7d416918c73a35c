//! Users authenticate with OIDC (item 8.3).

use crate::checks::cluster::flags::running;
use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::component::Component;

/// CIS Kubernetes Benchmark controls this check implements.
pub(crate) const CIS: &[&str] = &["3.1.1"];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "apiserver-oidc",
        title: "API server has no OIDC authentication for users",
        severity: Severity::Medium,
        items: &[("7.2", "a CIS Kubernetes Benchmark control fails"), ("8.3", "users do not authenticate through OIDC")],
        section: "cluster",
        rationale: "Without an identity provider, people authenticate with client certificates or static tokens, which cannot be revoked (a certificate is valid until it expires), carry no MFA and leave group membership to whoever signs them. OIDC ties access to the identity provider's accounts and groups.",
        remediation: "Configure `--oidc-issuer-url` and `--oidc-client-id` (with username and groups claims), or a structured `--authentication-config` with a JWT authenticator (Kubernetes 1.30 and later).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\n  namespace: kube-system\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n    - --oidc-issuer-url=https://login.example.com\n    - --oidc-client-id=kubernetes\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (container, flags) in running(ctx.pod, Component::ApiServer) {
        if flags.get("oidc-issuer-url").is_none() && flags.get("authentication-config").is_none() {
            sink.report_container(
                &flags.missing_at,
                &container.name,
                message!("{} sets neither --oidc-issuer-url nor --authentication-config", container.label()),
            );
        }
    }
}
