//! Long-lived service-account token Secrets (item 2.4).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "legacy-service-account-token",
        title: "Long-lived service-account token Secret",
        severity: Severity::Medium,
        items: &[("2.4", "a long-lived token Secret hands out a service-account token whether or not anything needs the API")],
        section: "rbac",
        rationale: "A Secret of type `kubernetes.io/service-account-token` holds a token that never expires and \
            stays valid until the Secret is deleted; anyone who can read it, or finds it in a backup or a log, \
            acts as the service account indefinitely.",
        remediation: "Use bound, expiring tokens: projected `serviceAccountToken` volumes in pods, or \
            `kubectl create token` (the TokenRequest API) for clients outside the cluster.",
        fail_example: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-token\n  namespace: ci\n  annotations:\n    kubernetes.io/service-account.name: deployer\ntype: kubernetes.io/service-account-token\n",
        pass_example: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\n  namespace: ci\ntype: kubernetes.io/tls\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let object = ctx.object;
    if object.identity.api_version != "v1" || object.identity.kind != "Secret" {
        return;
    }
    let field = object.root.get("type");
    if field.str().present() != Some("kubernetes.io/service-account-token") {
        return;
    }
    let account = object
        .root
        .path(&["metadata", "annotations", "kubernetes.io/service-account.name"])
        .str()
        .present()
        .map_or_else(String::new, |name| format!(" for service account \"{name}\""));
    sink.report(&field, message!("{} is a long-lived service-account token{account}", object.label()));
}
