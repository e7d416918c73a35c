//! DNS egress goes only to kube-dns (item 3.4).

use super::{policy_of, PolicyPort};
use crate::checks::{Check, CheckMeta, ObjectContext, Run, Severity, Sink};
use crate::inventory::selector::{Labels, Selector};
use crate::inventory::Direction;
use crate::model::view::View;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "netpol-dns-egress-unrestricted",
        title: "DNS egress allowed to more than kube-dns",
        severity: Severity::Medium,
        items: &["3.4"],
        section: "network",
        rationale: "Port 53 open to any destination is a tunnel: DNS to an attacker's resolver carries data out and \
            commands in, and an open UDP or TCP port 53 reaches any service listening on it. Pods only need the \
            cluster's resolver.",
        remediation: "Allow port 53 (UDP and TCP) only to the kube-dns pods: a peer with a `namespaceSelector` \
            matching `kubernetes.io/metadata.name: kube-system` and a `podSelector` matching `k8s-app: kube-dns` \
            (or the node-local cache's single address).",
        fail_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dns\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: 53, protocol: UDP}\n    - {port: 53, protocol: TCP}\n",
        pass_example: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dns\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:\n    - {port: 53, protocol: UDP}\n    - {port: 53, protocol: TCP}\n",
    },
    run: Run::Object(run),
};

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The usual names of the DNS port (and 53 written as a string).
fn is_dns_name(name: &str) -> bool {
    matches!(name, "dns" | "dns-tcp" | "53")
}

/// Does a port entry open port 53: by number, within a `port`..`endPort`
/// range, or by the usual port names?
fn covers_dns(port: &View<'_>) -> bool {
    match PolicyPort::read(port) {
        PolicyPort::Numbers { first, last } => (first..=last).contains(&53),
        PolicyPort::Name(name) => is_dns_name(name),
        PolicyPort::Unspecified => false,
    }
}

/// Is a port entry port 53 alone?
fn is_only_dns(port: &View<'_>) -> bool {
    match PolicyPort::read(port) {
        PolicyPort::Numbers { first, last } => first == 53 && last == 53,
        PolicyPort::Name(name) => is_dns_name(name),
        PolicyPort::Unspecified => false,
    }
}

/// Does the rule open port 53 (see [`covers_dns`])?
fn opens_dns(rule: &View<'_>) -> bool {
    rule.get("ports").items().iter().any(covers_dns)
}

/// Does the rule open DNS and nothing else?
pub(crate) fn opens_only_dns(rule: &View<'_>) -> bool {
    let ports = rule.get("ports").items();
    !ports.is_empty() && ports.iter().all(is_only_dns)
}

/// Does a peer select only the cluster resolver?
fn is_kube_dns(peer: &View<'_>, policy_namespace: &str) -> bool {
    let cidr = peer.path(&["ipBlock", "cidr"]).str().present();
    if let Some(cidr) = cidr {
        // A single address (a node-local DNS cache) is a specific resolver.
        return cidr.ends_with("/32") || cidr.ends_with("/128");
    }
    let kube_system = labels(&[("kubernetes.io/metadata.name", "kube-system"), ("name", "kube-system")]);
    let other = labels(&[("kubernetes.io/metadata.name", "shop"), ("name", "shop")]);
    let namespace_ok = match Selector::read(&peer.get("namespaceSelector")) {
        Some(selector) => selector.matches(&kube_system) && !selector.matches(&other),
        None => policy_namespace == "kube-system",
    };
    let pod_ok = match Selector::read(&peer.get("podSelector")) {
        Some(selector) => {
            let dns = [
                labels(&[("k8s-app", "kube-dns")]),
                labels(&[("k8s-app", "coredns")]),
                labels(&[("app.kubernetes.io/name", "coredns")]),
            ];
            dns.iter().any(|dns| selector.matches(dns)) && !selector.matches(&labels(&[("app", "web")]))
        }
        None => false,
    };
    namespace_ok && pod_ok
}

fn run(ctx: &ObjectContext<'_, '_>, sink: &mut Sink) {
    let Some(policy) = policy_of(ctx.object) else {
        return;
    };
    for (index, rule) in policy.rules(Direction::Egress).iter().enumerate() {
        if !opens_dns(rule) {
            continue;
        }
        let to = rule.get("to");
        let peers = to.items();
        if peers.is_empty() {
            let at = if to.written() { &to } else { rule };
            sink.report(
                at,
                message!(
                    "NetworkPolicy \"{}\" allows DNS (port 53) to any destination (egress rule {index} has no `to`)",
                    policy.name
                ),
            );
            continue;
        }
        for (peer_index, peer) in peers.iter().enumerate() {
            if !is_kube_dns(peer, &policy.namespace) {
                sink.report(
                    peer,
                    message!(
                        "NetworkPolicy \"{}\" allows DNS (port 53) to a peer other than kube-dns in kube-system (egress rule {index}, peer {peer_index})",
                        policy.name
                    ),
                );
            }
        }
    }
}
