//! ingress-nginx snippet annotations (item 3.3).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "ingress-nginx-snippet",
        title: "Ingress uses an ingress-nginx snippet annotation",
        severity: Severity::High,
        items: &[],
        section: "network",
        rationale: "Snippet annotations paste raw NGINX configuration into the controller, which runs with a \
            service account that can read every Secret of the cluster: whoever can write an Ingress can read \
            them (CVE-2021-25742, CVE-2025-1974). Recent ingress-nginx releases disable snippets by default.",
        remediation: "Remove the snippet and use the dedicated annotations or a ConfigMap setting; keep \
            `allow-snippet-annotations` off in the controller.",
        fail_example: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/configuration-snippet: |\n      more_set_headers \"X-Frame-Options: DENY\";\nspec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n",
        pass_example: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\n  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: \"true\"\nspec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let object = ctx.object;
    if object.identity.kind != "Ingress" {
        return;
    }
    for (key, view) in object.root.path(&["metadata", "annotations"]).entries() {
        if key.starts_with("nginx.ingress.kubernetes.io/") && key.ends_with("-snippet") {
            sink.report(&view, message!("{} sets the snippet annotation {key}", object.label()));
        }
    }
}
