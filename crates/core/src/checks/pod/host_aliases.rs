//! No hostAliases: name resolution stays with cluster DNS.

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "host-aliases",
        title: "Pod overrides name resolution with hostAliases",
        severity: Severity::Low,
        items: &[],
        section: "pod",
        rationale: "`hostAliases` writes entries into the pod's /etc/hosts, silently redirecting names away from \
            cluster DNS. It hides where traffic really goes from reviewers and DNS-based egress policy, and is a \
            known way to point a workload at an impostor endpoint.",
        remediation: "Remove `hostAliases` and publish the name in DNS (a Service, an ExternalName Service or a \
            CoreDNS entry) instead.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostAliases:\n  - ip: 10.0.0.5\n    hostnames: [\"api.example.com\"]\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostAliases: []\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for alias in ctx.pod.field("hostAliases").items() {
        let ip = alias.get("ip").str().present().unwrap_or("");
        let names: Vec<&str> = alias.get("hostnames").strings().into_iter().map(|(name, _)| name).collect();
        sink.report(
            &alias,
            message!("{} maps {} to {ip:?} in /etc/hosts (hostAliases)", ctx.pod.label(), names.join(", ")),
        );
    }
}
