//! Section 3 of the checklist: NetworkPolicies and exposure; item 8.6 (namespace quotas).

pub(crate) mod allow_all;
pub(crate) mod default_deny;
pub(crate) mod dns_egress;
pub(crate) mod ingress_nginx_snippet;
pub(crate) mod ingress_tls;
pub(crate) mod internet_egress;
pub(crate) mod namespace_quotas;
pub(crate) mod service_exposure;
pub(crate) mod workload_not_selected;

use crate::inventory::Policy;
use crate::model::Object;

/// The NetworkPolicy of an object, read on its own (namespace as the object names it).
pub(crate) fn policy_of<'a>(object: &Object<'a>) -> Option<Policy<'a>> {
    let group = object.identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
    if object.identity.kind != "NetworkPolicy" || !matches!(group, "networking.k8s.io" | "extensions") {
        return None;
    }
    Some(Policy::read(
        &object.root,
        crate::inventory::namespace_of(object),
        object.identity.name.clone().unwrap_or_default(),
    ))
}

/// Is a CIDR block `/0` (every IPv4 or every IPv6 address)?
pub(crate) fn is_everything(cidr: &str) -> bool {
    match cidr.trim().split_once('/') {
        Some((address, prefix)) => prefix.trim() == "0" && address.trim().parse::<std::net::IpAddr>().is_ok(),
        None => false,
    }
}

/// `on ports 53/UDP, 53/TCP` or `on every port`, for messages.
pub(crate) fn ports_phrase(rule: &crate::model::view::View<'_>) -> String {
    let ports: Vec<String> = rule
        .get("ports")
        .items()
        .iter()
        .map(|port| {
            let number = port.get("port").quantity().present().unwrap_or_else(|| "any".to_string());
            let number = match port.get("endPort").int().present() {
                Some(last) => format!("{number}-{last}"),
                None => number,
            };
            let protocol = port.get("protocol").str().present().unwrap_or("TCP");
            format!("{number}/{protocol}")
        })
        .collect();
    if ports.is_empty() {
        "on every port".to_string()
    } else {
        format!("on port{} {}", if ports.len() == 1 { "" } else { "s" }, ports.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::is_everything;

    #[test]
    fn zero_prefixes_of_both_families_are_everything() {
        assert!(is_everything("0.0.0.0/0"));
        assert!(is_everything("::/0"));
        assert!(is_everything("0:0:0:0:0:0:0:0/0"));
        assert!(!is_everything("10.0.0.0/8"));
        assert!(!is_everything("2001:db8::/32"));
        assert!(!is_everything("0.0.0.0"));
        assert!(!is_everything("nonsense/0"));
    }
}
