//! Policies that allow all ingress (item 3.3) or all egress (item 3.2). One
//! template, one instance per direction.

use super::{is_everything, policy_of, ports_phrase};
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::inventory::Direction;

fn run_direction(ctx: &ObjectContext<'_, '_>, sink: &mut Sink, direction: Direction) {
    let Some(policy) = policy_of(ctx.object) else {
        return;
    };
    let (peers_key, preposition) = match direction {
        Direction::Ingress => ("from", "from"),
        Direction::Egress => ("to", "to"),
    };
    for (index, rule) in policy.rules(direction).iter().enumerate() {
        let peers = rule.get(peers_key);
        let items = peers.items();
        let ports = ports_phrase(rule);
        if items.is_empty() {
            if direction == Direction::Egress && super::dns_egress::opens_only_dns(rule) {
                // A DNS-only rule is `netpol-dns-egress-unrestricted`'s finding.
                continue;
            }
            let at = if peers.written() { &peers } else { rule };
            sink.report(
                at,
                message!(
                    "NetworkPolicy \"{}\" allows {} {preposition} anywhere {ports} ({} rule {index} has no `{peers_key}`)",
                    policy.name,
                    direction.as_str(),
                    direction.as_str()
                ),
            );
            continue;
        }
        for peer in items {
            let cidr = peer.path(&["ipBlock", "cidr"]);
            if cidr.str().present().is_some_and(is_everything) {
                sink.report(
                    &cidr,
                    message!(
                        "NetworkPolicy \"{}\" allows {} {preposition} every address {ports} ({} rule {index})",
                        policy.name,
                        direction.as_str(),
                        direction.as_str()
                    ),
                );
            }
        }
    }
}

fn ingress(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    run_direction(ctx, sink, Direction::Ingress);
}

fn egress(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    run_direction(ctx, sink, Direction::Egress);
}

pub(crate) const INGRESS: Check = Check {
    meta: CheckMeta {
        id: "netpol-allow-all-ingress",
        title: "NetworkPolicy allows ingress from any source",
        severity: Severity::Medium,
        items: &[("3.3", "ingress from any source is not limited to known sources")],
        section: "network",
        rationale: "An ingress rule without `from` (or with an `ipBlock` of `0.0.0.0/0` or `::/0`) admits every \
            pod of every namespace and every external address: the selected pods are as open as without a policy \
            on those ports.",
        remediation: "List the sources in `from`: the pods (`podSelector`) and namespaces (`namespaceSelector`) \
            that call the workload, or the load balancer's address ranges.",
        fail_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress]\n  ingress:\n  - ports:\n    - port: 8080\n",
        pass_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels: {app: gateway}\n    ports:\n    - port: 8080\n",
    },
    run: Run::Object(ingress),
};

pub(crate) const EGRESS: Check = Check {
    meta: CheckMeta {
        id: "netpol-allow-all-egress",
        title: "NetworkPolicy allows egress to any destination",
        severity: Severity::Medium,
        items: &[("3.2", "egress to any destination is not limited to what pods need"), ("3.5", "egress to any destination includes the whole internet")],
        section: "network",
        rationale: "An egress rule without `to` (or to `0.0.0.0/0` or `::/0`) lets the selected pods reach every \
            pod, the API server, cloud metadata endpoints and the internet, which is what an attacker needs to \
            move laterally and to exfiltrate.",
        remediation: "List the destinations in `to` (the services the workload calls, kube-dns for DNS) and their \
            ports.",
        fail_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Egress]\n  egress:\n  - {}\n",
        pass_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - podSelector:\n        matchLabels: {app: db}\n    ports:\n    - port: 5432\n",
    },
    run: Run::Object(egress),
};
