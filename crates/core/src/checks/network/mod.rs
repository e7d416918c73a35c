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
use crate::model::view::{IntOrStr, Value, View};
use crate::model::Object;

/// The NetworkPolicy of an object, read on its own (namespace as the object names it).
pub(crate) fn policy_of<'a>(object: &Object<'a>) -> Option<Policy<'a>> {
    let group = object.identity.api_version.rsplit_once('/').map_or("", |(group, _)| group);
    if object.identity.kind != "NetworkPolicy" || !matches!(group, "networking.k8s.io" | "extensions") {
        return None;
    }
    Some(Policy::read(
        &object.root,
        crate::inventory::namespace_of(&object.identity),
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

/// What one entry of a NetworkPolicy rule's `ports` names.
pub(crate) enum PolicyPort<'a> {
    /// `port` as a number, through `endPort` when one is written.
    Numbers { first: i64, last: i64 },
    /// `port` as a name (a container port's name).
    Name(&'a str),
    /// No `port` (every port of the protocol), or one of another type (recorded as invalid).
    Unspecified,
}

impl<'a> PolicyPort<'a> {
    /// Reads a port entry; `port` is an integer or a string, both valid.
    pub(crate) fn read(port: &View<'a>) -> Self {
        match port.get("port").int_or_str() {
            Value::Present(IntOrStr::Int(first)) => {
                PolicyPort::Numbers { first, last: port.get("endPort").int().present().unwrap_or(first) }
            }
            Value::Present(IntOrStr::Str(name)) => PolicyPort::Name(name),
            Value::Absent | Value::Invalid => PolicyPort::Unspecified,
        }
    }
}

/// `on ports 53/UDP, 53/TCP` or `on every port`, for messages.
pub(crate) fn ports_phrase(rule: &View<'_>) -> String {
    let ports: Vec<String> = rule
        .get("ports")
        .items()
        .iter()
        .map(|port| {
            let number = match PolicyPort::read(port) {
                PolicyPort::Numbers { first, last } if first == last => first.to_string(),
                PolicyPort::Numbers { first, last } => format!("{first}-{last}"),
                PolicyPort::Name(name) => name.to_string(),
                PolicyPort::Unspecified => "any".to_string(),
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
