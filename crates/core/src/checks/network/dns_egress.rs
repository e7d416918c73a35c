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
        items: &[("3.4", "DNS egress is allowed to more than kube-dns")],
        section: "network",
        rationale: "Port 53 open to any destination is a tunnel: DNS to an attacker's resolver carries data out and \
            commands in, and an open UDP or TCP port 53 reaches any service listening on it. Pods only need the \
            cluster's resolver.",
        remediation: "Allow port 53 (UDP and TCP) only to the kube-dns pods: a peer with a `namespaceSelector` \
            matching `kubernetes.io/metadata.name: kube-system` and a `podSelector` matching `k8s-app: kube-dns` \
            (or the single private address of the DNS Service or the node-local cache). An `ipBlock` of a public \
            resolver (`8.8.8.8/32`) sends the cluster's DNS outside it.",
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

/// Is `cidr` one address (`/32`, `/128`) of a private, link-local, shared or loopback range?
fn is_private_single_address(cidr: &str) -> bool {
    let Some((address, prefix)) = cidr.split_once('/') else { return false };
    match (address.parse::<std::net::IpAddr>(), prefix) {
        (Ok(std::net::IpAddr::V4(ip)), "32") => {
            let [a, b, ..] = ip.octets();
            ip.is_private() || ip.is_link_local() || ip.is_loopback() || (a == 100 && (64..128).contains(&b))
        }
        (Ok(std::net::IpAddr::V6(ip)), "128") => {
            let first = ip.segments()[0];
            ip.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
        _ => false,
    }
}

/// Does a peer select only the cluster resolver?
fn is_kube_dns(peer: &View<'_>, policy_namespace: &str) -> bool {
    let cidr = peer.path(&["ipBlock", "cidr"]).str().present();
    if let Some(cidr) = cidr {
        // A single address inside the cluster's private space (the DNS Service's cluster
        // IP, a node-local cache at 169.254.20.10) is the cluster's resolver; a public one
        // (8.8.8.8/32) is a resolver outside, which the item rules out.
        return is_private_single_address(cidr);
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

#[cfg(test)]
mod tests {
    use super::is_private_single_address;

    #[test]
    fn only_single_private_addresses_are_the_cluster_resolver() {
        for private in
            ["10.96.0.10/32", "169.254.20.10/32", "172.20.0.10/32", "192.168.0.10/32", "100.64.0.10/32", "fd00::a/128"]
        {
            assert!(is_private_single_address(private), "{private}");
        }
        for public in ["8.8.8.8/32", "1.1.1.1/32", "10.0.0.0/8", "2001:4860:4860::8888/128", "10.96.0.10", "x/32"] {
            assert!(!is_private_single_address(public), "{public}");
        }
    }
}
