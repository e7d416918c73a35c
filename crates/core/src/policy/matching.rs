//! Which objects a policy or binding matches: resource rules (kinds mapped to
//! resources), names, scope, selectors, `matchPolicy`.
//!
//! Every scanned object is matched as the `CREATE` of its resource (no
//! subresource). Kinds map to resources through a table of the built-in kinds,
//! the CustomResourceDefinitions of the input (`spec.names.plural`, and
//! `spec.scope`), and otherwise the lower-cased kind made plural by English
//! rules (`NetworkPolicy` → `networkpolicies`).

use std::collections::HashMap;

use super::document::{MatchResources, Rule};
use crate::inventory::selector::Labels;

/// The built-in kinds whose resource name is not the rule's plural, or which
/// are cluster-scoped: (group, kind, resource, namespaced).
const KINDS: &[(&str, &str, &str, bool)] = &[
    ("", "Endpoints", "endpoints", true),
    ("", "ComponentStatus", "componentstatuses", false),
    ("", "Namespace", "namespaces", false),
    ("", "Node", "nodes", false),
    ("", "PersistentVolume", "persistentvolumes", false),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration", "mutatingwebhookconfigurations", false),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", false),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy", "validatingadmissionpolicies", false),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", "validatingadmissionpolicybindings", false),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy", "mutatingadmissionpolicies", false),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding", "mutatingadmissionpolicybindings", false),
    ("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false),
    ("apiregistration.k8s.io", "APIService", "apiservices", false),
    ("certificates.k8s.io", "CertificateSigningRequest", "certificatesigningrequests", false),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema", "flowschemas", false),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", "prioritylevelconfigurations", false),
    ("networking.k8s.io", "IngressClass", "ingressclasses", false),
    ("networking.k8s.io", "IPAddress", "ipaddresses", false),
    ("networking.k8s.io", "ServiceCIDR", "servicecidrs", false),
    ("node.k8s.io", "RuntimeClass", "runtimeclasses", false),
    ("policy", "PodSecurityPolicy", "podsecuritypolicies", false),
    ("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false),
    ("scheduling.k8s.io", "PriorityClass", "priorityclasses", false),
    ("storage.k8s.io", "CSIDriver", "csidrivers", false),
    ("storage.k8s.io", "CSINode", "csinodes", false),
    ("storage.k8s.io", "StorageClass", "storageclasses", false),
    ("storage.k8s.io", "VolumeAttachment", "volumeattachments", false),
    ("storage.k8s.io", "VolumeAttributesClass", "volumeattributesclasses", false),
    ("resource.k8s.io", "DeviceClass", "deviceclasses", false),
];

/// Resources that are the same objects under two groups, for
/// `matchPolicy: Equivalent`.
const EQUIVALENT_GROUPS: &[(&str, &str, &str)] = &[
    ("extensions", "apps", "deployments"),
    ("extensions", "apps", "daemonsets"),
    ("extensions", "apps", "replicasets"),
    ("extensions", "networking.k8s.io", "ingresses"),
    ("extensions", "networking.k8s.io", "networkpolicies"),
    ("extensions", "policy", "podsecuritypolicies"),
];

/// The resource of one kind: its plural and scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resource {
    pub plural: String,
    pub namespaced: bool,
}

/// Kinds known from the input's CustomResourceDefinitions: (group, kind) → resource.
pub(crate) type CustomKinds = HashMap<(String, String), Resource>;

/// The lower-cased kind, made plural as Kubernetes' REST mapper guesses it.
pub(crate) fn guessed_plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower.ends_with("ss")
        || lower.ends_with('x')
        || lower.ends_with('z')
        || lower.ends_with("ch")
        || lower.ends_with("sh")
        || lower.ends_with('s')
    {
        return format!("{lower}es");
    }
    if let Some(stem) = lower.strip_suffix('y') {
        if !stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            return format!("{stem}ies");
        }
    }
    format!("{lower}s")
}

/// The resource of `kind` in `group`.
pub(crate) fn resource_of(group: &str, kind: &str, custom: &CustomKinds) -> Resource {
    if let Some(resource) = custom.get(&(group.to_string(), kind.to_string())) {
        return resource.clone();
    }
    if let Some(&(_, _, plural, namespaced)) = KINDS.iter().find(|(g, k, _, _)| *g == group && *k == kind) {
        return Resource { plural: plural.to_string(), namespaced };
    }
    Resource { plural: guessed_plural(kind), namespaced: true }
}

/// What matching needs to know of one object.
#[derive(Debug, Clone)]
pub(crate) struct Request<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub resource: &'a Resource,
    pub name: &'a str,
    pub labels: &'a Labels,
    /// The labels of the object's namespace (its own, for a Namespace).
    pub namespace_labels: &'a Labels,
}

fn listed(list: &[String], value: &str) -> bool {
    list.iter().any(|item| item == "*" || item == value)
}

fn resource_listed(resources: &[String], resource: &str) -> bool {
    // Objects are never subresources: `*`, `x`, and `*/*`-style entries for
    // the main resource only.
    resources.iter().any(|entry| entry == "*" || entry == resource)
}

fn equivalent_groups<'a>(group: &'a str, resource: &'a str) -> impl Iterator<Item = &'static str> + 'a {
    EQUIVALENT_GROUPS
        .iter()
        .filter(move |(a, b, r)| *r == resource && (*a == group || *b == group))
        .map(move |(a, b, _)| if *a == group { *b } else { *a })
}

impl Rule {
    /// Does the rule match the request (a `CREATE`)?
    pub(crate) fn matches(&self, request: &Request<'_>, equivalent: bool) -> bool {
        if !self.operations.iter().any(|op| op == "*" || op == "CREATE") {
            return false;
        }
        let scope_ok = match self.scope.as_str() {
            "Cluster" => !request.resource.namespaced,
            "Namespaced" => request.resource.namespaced,
            _ => true,
        };
        if !scope_ok || !resource_listed(&self.resources, &request.resource.plural) {
            return false;
        }
        if !self.resource_names.is_empty() && !self.resource_names.iter().any(|name| name == request.name) {
            return false;
        }
        let exact = listed(&self.api_groups, request.group) && listed(&self.api_versions, request.version);
        if exact || !equivalent {
            return exact;
        }
        // Equivalent: the same resource in another version of its group, or in an equivalent group.
        listed(&self.api_groups, request.group)
            || equivalent_groups(request.group, &request.resource.plural).any(|group| listed(&self.api_groups, group))
    }
}

impl MatchResources {
    /// Does this match the request? `rules_required`: an empty rule list
    /// matches nothing (policies), or everything (bindings).
    pub(crate) fn matches(&self, request: &Request<'_>, rules_required: bool) -> bool {
        let included = if self.resource_rules.is_empty() {
            !rules_required
        } else {
            self.resource_rules.iter().any(|rule| rule.matches(request, self.equivalent))
        };
        if !included || self.exclude_resource_rules.iter().any(|rule| rule.matches(request, self.equivalent)) {
            return false;
        }
        if let Some(selector) = &self.object_selector {
            if !selector.matches(request.labels) {
                return false;
            }
        }
        if let Some(selector) = &self.namespace_selector {
            let is_namespace = request.group.is_empty() && request.resource.plural == "namespaces";
            if (request.resource.namespaced || is_namespace) && !selector.matches(request.namespace_labels) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_the_rest_mapper() {
        assert_eq!(guessed_plural("Widget"), "widgets");
        assert_eq!(guessed_plural("NetworkPolicy"), "networkpolicies");
        assert_eq!(guessed_plural("Gateway"), "gateways");
        assert_eq!(guessed_plural("Ingress"), "ingresses");
        assert_eq!(guessed_plural("Box"), "boxes");
        let custom = CustomKinds::new();
        assert_eq!(resource_of("", "Namespace", &custom), Resource { plural: "namespaces".into(), namespaced: false });
        assert_eq!(resource_of("apps", "Deployment", &custom).plural, "deployments");
    }

    fn rule(groups: &[&str], versions: &[&str], resources: &[&str]) -> Rule {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        Rule {
            api_groups: strings(groups),
            api_versions: strings(versions),
            resources: strings(resources),
            resource_names: Vec::new(),
            operations: vec!["CREATE".into(), "UPDATE".into()],
            scope: "*".into(),
        }
    }

    #[test]
    fn rules_match_group_version_resource_and_equivalents() {
        let resource = Resource { plural: "deployments".into(), namespaced: true };
        let labels = Labels::new();
        let request = |group, version| Request {
            group,
            version,
            resource: &resource,
            name: "web",
            labels: &labels,
            namespace_labels: &labels,
        };
        let apps_v1 = rule(&["apps"], &["v1"], &["deployments"]);
        assert!(apps_v1.matches(&request("apps", "v1"), false));
        assert!(!apps_v1.matches(&request("apps", "v1beta2"), false), "Exact");
        assert!(apps_v1.matches(&request("apps", "v1beta2"), true), "Equivalent: another version");
        assert!(apps_v1.matches(&request("extensions", "v1beta1"), true), "Equivalent: another group");
        assert!(!apps_v1.matches(&request("extensions", "v1beta1"), false));
        assert!(!rule(&["apps"], &["v1"], &["pods"]).matches(&request("apps", "v1"), true));
        assert!(!rule(&["apps"], &["v1"], &["deployments/scale"]).matches(&request("apps", "v1"), true));
        let mut update_only = apps_v1.clone();
        update_only.operations = vec!["UPDATE".into()];
        assert!(!update_only.matches(&request("apps", "v1"), true), "objects are matched as CREATE");
        let mut named = apps_v1;
        named.resource_names = vec!["api".into()];
        assert!(!named.matches(&request("apps", "v1"), true));
    }
}
