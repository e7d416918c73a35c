//! Ingresses terminate TLS (item 3.3).

use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "ingress-without-tls",
        title: "Ingress serves hosts without TLS",
        severity: Severity::Medium,
        items: &[],
        section: "network",
        rationale: "Hosts an Ingress serves without a `tls` entry are reachable over plain HTTP: credentials, \
            session cookies and data cross the network readable and modifiable.",
        remediation: "Add a `tls` entry covering every host of the rules (with a certificate Secret, e.g. issued by \
            cert-manager), and redirect HTTP to HTTPS.",
        fail_example: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: {name: web, port: {number: 80}}\n",
        pass_example: "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  tls:\n  - hosts: [shop.example.com]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: {name: web, port: {number: 80}}\n",
    },
    run: Run::Object(run),
};

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let object = ctx.object;
    let group = object.identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
    if object.identity.kind != "Ingress" || !matches!(group, "networking.k8s.io" | "extensions") {
        return;
    }
    let spec = object.root.get("spec");
    let tls = spec.get("tls");
    let entries = tls.items();
    if entries.is_empty() {
        sink.report(&tls, message!("{} has no tls section: it serves plain HTTP", object.label()));
        return;
    }
    let covered: Vec<&str> =
        entries.iter().flat_map(|entry| entry.get("hosts").strings()).map(|(host, _)| host).collect();
    for rule in spec.get("rules").items() {
        let host = rule.get("host");
        if let Some(name) = host.str().present() {
            let wildcard_covers = covered.iter().any(|c| {
                c.strip_prefix("*.").is_some_and(|suffix| name.split_once('.').is_some_and(|(_, rest)| rest == suffix))
            });
            if !covered.contains(&name) && !wildcard_covers {
                sink.report(&host, message!("{} serves host \"{name}\", which no tls entry covers", object.label()));
            }
        }
    }
}
