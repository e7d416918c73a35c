//! apiVersions that Kubernetes deprecated or stopped serving, by kind, with
//! the version that replaces them (item 7.5).
//!
//! Each entry names the minor release that deprecated the apiVersion and the
//! one that removed it (`None`: still served). Sources: the Kubernetes
//! deprecated API migration guide and the release notes of each minor.

/// One deprecated (group/version, kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Deprecation {
    pub api_version: &'static str,
    pub kind: &'static str,
    /// Minor release (of 1.x) that deprecated it.
    pub deprecated_in: u32,
    /// Minor release (of 1.x) that stopped serving it, if any.
    pub removed_in: Option<u32>,
    /// What to write instead.
    pub replacement: &'static str,
}

const fn entry(
    api_version: &'static str,
    kind: &'static str,
    deprecated_in: u32,
    removed_in: Option<u32>,
    replacement: &'static str,
) -> Deprecation {
    Deprecation { api_version, kind, deprecated_in, removed_in, replacement }
}

/// The table, grouped by apiVersion.
pub(crate) static DEPRECATIONS: &[Deprecation] = &[
    entry("extensions/v1beta1", "Deployment", 9, Some(16), "apps/v1"),
    entry("extensions/v1beta1", "DaemonSet", 9, Some(16), "apps/v1"),
    entry("extensions/v1beta1", "ReplicaSet", 9, Some(16), "apps/v1"),
    entry("extensions/v1beta1", "NetworkPolicy", 9, Some(16), "networking.k8s.io/v1"),
    entry("extensions/v1beta1", "PodSecurityPolicy", 10, Some(16), "Pod Security Admission (namespace labels)"),
    entry("extensions/v1beta1", "Ingress", 14, Some(22), "networking.k8s.io/v1"),
    entry("apps/v1beta1", "Deployment", 9, Some(16), "apps/v1"),
    entry("apps/v1beta1", "StatefulSet", 9, Some(16), "apps/v1"),
    entry("apps/v1beta1", "ReplicaSet", 9, Some(16), "apps/v1"),
    entry("apps/v1beta1", "ControllerRevision", 9, Some(16), "apps/v1"),
    entry("apps/v1beta2", "Deployment", 9, Some(16), "apps/v1"),
    entry("apps/v1beta2", "StatefulSet", 9, Some(16), "apps/v1"),
    entry("apps/v1beta2", "DaemonSet", 9, Some(16), "apps/v1"),
    entry("apps/v1beta2", "ReplicaSet", 9, Some(16), "apps/v1"),
    entry("apps/v1beta2", "ControllerRevision", 9, Some(16), "apps/v1"),
    entry("networking.k8s.io/v1beta1", "Ingress", 19, Some(22), "networking.k8s.io/v1"),
    entry("networking.k8s.io/v1beta1", "IngressClass", 19, Some(22), "networking.k8s.io/v1"),
    entry("policy/v1beta1", "PodDisruptionBudget", 21, Some(25), "policy/v1"),
    entry("policy/v1beta1", "PodSecurityPolicy", 21, Some(25), "Pod Security Admission (namespace labels)"),
    entry("batch/v2alpha1", "CronJob", 8, Some(21), "batch/v1"),
    entry("batch/v1beta1", "CronJob", 21, Some(25), "batch/v1"),
    entry("autoscaling/v2beta1", "HorizontalPodAutoscaler", 22, Some(25), "autoscaling/v2"),
    entry("autoscaling/v2beta2", "HorizontalPodAutoscaler", 23, Some(26), "autoscaling/v2"),
    entry("rbac.authorization.k8s.io/v1alpha1", "Role", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1alpha1", "ClusterRole", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1alpha1", "RoleBinding", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1alpha1", "ClusterRoleBinding", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1beta1", "Role", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1beta1", "ClusterRole", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1beta1", "RoleBinding", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry("rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 17, Some(22), "rbac.authorization.k8s.io/v1"),
    entry(
        "admissionregistration.k8s.io/v1alpha1",
        "InitializerConfiguration",
        10,
        Some(14),
        "mutating admission webhooks",
    ),
    entry(
        "admissionregistration.k8s.io/v1beta1",
        "MutatingWebhookConfiguration",
        16,
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    entry(
        "admissionregistration.k8s.io/v1beta1",
        "ValidatingWebhookConfiguration",
        16,
        Some(22),
        "admissionregistration.k8s.io/v1",
    ),
    entry("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", 16, Some(22), "apiextensions.k8s.io/v1"),
    entry("apiregistration.k8s.io/v1beta1", "APIService", 19, Some(22), "apiregistration.k8s.io/v1"),
    entry("certificates.k8s.io/v1beta1", "CertificateSigningRequest", 19, Some(22), "certificates.k8s.io/v1"),
    entry("coordination.k8s.io/v1beta1", "Lease", 14, Some(22), "coordination.k8s.io/v1"),
    entry("scheduling.k8s.io/v1alpha1", "PriorityClass", 14, Some(22), "scheduling.k8s.io/v1"),
    entry("scheduling.k8s.io/v1beta1", "PriorityClass", 14, Some(22), "scheduling.k8s.io/v1"),
    entry("storage.k8s.io/v1beta1", "StorageClass", 19, Some(22), "storage.k8s.io/v1"),
    entry("storage.k8s.io/v1beta1", "VolumeAttachment", 19, Some(22), "storage.k8s.io/v1"),
    entry("storage.k8s.io/v1beta1", "CSIDriver", 19, Some(22), "storage.k8s.io/v1"),
    entry("storage.k8s.io/v1beta1", "CSINode", 19, Some(22), "storage.k8s.io/v1"),
    entry("storage.k8s.io/v1beta1", "CSIStorageCapacity", 24, Some(27), "storage.k8s.io/v1"),
    entry("discovery.k8s.io/v1beta1", "EndpointSlice", 21, Some(25), "discovery.k8s.io/v1"),
    entry("events.k8s.io/v1beta1", "Event", 19, Some(25), "events.k8s.io/v1"),
    entry("node.k8s.io/v1beta1", "RuntimeClass", 20, Some(25), "node.k8s.io/v1"),
    entry("flowcontrol.apiserver.k8s.io/v1alpha1", "FlowSchema", 20, Some(21), "flowcontrol.apiserver.k8s.io/v1"),
    entry(
        "flowcontrol.apiserver.k8s.io/v1alpha1",
        "PriorityLevelConfiguration",
        20,
        Some(21),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    entry("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 23, Some(26), "flowcontrol.apiserver.k8s.io/v1"),
    entry(
        "flowcontrol.apiserver.k8s.io/v1beta1",
        "PriorityLevelConfiguration",
        23,
        Some(26),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    entry("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 26, Some(29), "flowcontrol.apiserver.k8s.io/v1"),
    entry(
        "flowcontrol.apiserver.k8s.io/v1beta2",
        "PriorityLevelConfiguration",
        26,
        Some(29),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    entry("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 29, Some(32), "flowcontrol.apiserver.k8s.io/v1"),
    entry(
        "flowcontrol.apiserver.k8s.io/v1beta3",
        "PriorityLevelConfiguration",
        29,
        Some(32),
        "flowcontrol.apiserver.k8s.io/v1",
    ),
    entry("v1", "Endpoints", 33, None, "discovery.k8s.io/v1 EndpointSlice"),
];

/// The apiVersions that serve built-in kinds in current releases (the deprecated
/// ones are in [`DEPRECATIONS`]). Only kinds whose every served version is
/// known are listed: for them, any other apiVersion of a built-in group never
/// existed, and the API server rejects the object.
static SERVED: &[(&str, &[&str])] = &[
    ("v1", &["Pod", "Service", "ServiceAccount", "Secret", "ConfigMap", "Namespace", "LimitRange", "ResourceQuota"]),
    ("v1", &["PersistentVolume", "PersistentVolumeClaim", "Endpoints", "ReplicationController", "PodTemplate"]),
    ("apps/v1", &["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "ControllerRevision"]),
    ("batch/v1", &["Job", "CronJob"]),
    ("networking.k8s.io/v1", &["NetworkPolicy", "Ingress", "IngressClass"]),
    ("policy/v1", &["PodDisruptionBudget"]),
    ("rbac.authorization.k8s.io/v1", &["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]),
    ("autoscaling/v1", &["HorizontalPodAutoscaler"]),
    ("autoscaling/v2", &["HorizontalPodAutoscaler"]),
];

/// The API groups Kubernetes itself serves (no custom resource can use them).
fn is_built_in_group(group: &str) -> bool {
    matches!(
        group,
        "" | "apps"
            | "batch"
            | "extensions"
            | "policy"
            | "autoscaling"
            | "networking.k8s.io"
            | "rbac.authorization.k8s.io"
    )
}

/// For a built-in kind written with an apiVersion of a built-in group that
/// never served it (`policy/v1` PodSecurityPolicy, `v1` Deployment): the
/// apiVersions that do or did serve it.
pub(crate) fn never_served(api_version: &str, kind: &str) -> Option<Vec<&'static str>> {
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    if !is_built_in_group(group) {
        return None;
    }
    // The common case, a pair that is served, without building the list.
    if SERVED.iter().any(|(version, kinds)| *version == api_version && kinds.contains(&kind))
        || lookup(api_version, kind).is_some()
    {
        return None;
    }
    let current = SERVED.iter().filter(|(_, kinds)| kinds.contains(&kind)).map(|(version, _)| *version);
    let former = DEPRECATIONS.iter().filter(|entry| entry.kind == kind).map(|entry| entry.api_version);
    let mut serving: Vec<&'static str> = current.chain(former).collect();
    if serving.is_empty() || serving.contains(&api_version) {
        return None;
    }
    serving.dedup();
    Some(serving)
}

/// The entry of an (apiVersion, kind), if it is deprecated in some release.
pub(crate) fn lookup(api_version: &str, kind: &str) -> Option<&'static Deprecation> {
    DEPRECATIONS.iter().find(|entry| entry.api_version == api_version && entry.kind == kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for entry in DEPRECATIONS {
            assert!(entry.removed_in.is_none_or(|removed| removed > entry.deprecated_in), "{entry:?}");
            assert!(!entry.replacement.is_empty());
            let duplicates = DEPRECATIONS.iter().filter(|e| e.api_version == entry.api_version && e.kind == entry.kind);
            assert_eq!(duplicates.count(), 1, "{entry:?}");
        }
        assert_eq!(lookup("batch/v1beta1", "CronJob").map(|e| e.removed_in), Some(Some(25)));
        assert!(lookup("batch/v1", "CronJob").is_none());
    }

    #[test]
    fn pairs_that_never_existed() {
        assert_eq!(never_served("policy/v1", "PodSecurityPolicy"), Some(vec!["extensions/v1beta1", "policy/v1beta1"]));
        assert_eq!(never_served("v1", "Deployment").map(|v| v[0]), Some("apps/v1"));
        assert_eq!(never_served("apps/v1", "Deployment"), None);
        assert_eq!(never_served("extensions/v1beta1", "Deployment"), None);
        assert_eq!(never_served("example.com/v1", "Deployment"), None, "a custom group");
        assert_eq!(never_served("networking.k8s.io/v1", "Gateway"), None, "a kind not in the tables");
    }
}
