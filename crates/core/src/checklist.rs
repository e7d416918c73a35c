//! The hardening checklist kubeward scores against: 57 items in 8 sections.
//!
//! Sections 1–7 are the 50 items of the production checklist (scored out of
//! 50); section 8 holds the items of the 12-step container hardening guide that
//! the 50 do not already cover (reported, not scored).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What in the input can show an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Evidence {
    /// Workload, RBAC, NetworkPolicy, Namespace... objects.
    Manifest,
    /// Control-plane static pods and the configuration objects they load.
    ControlPlane,
    /// The presence (and mode) of some object in the input set.
    Inventory,
    /// A process no manifest can show, answered in the configuration.
    Attestation,
}

/// Which input could show an item failing: without it, the item is not
/// assessed (passing would claim what the input cannot show).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relevance {
    /// Any workload (a pod or a pod template).
    Pods,
    /// A Namespace object of a production namespace.
    ProductionNamespaceObjects,
    /// A named production namespace the input declares or runs workloads in.
    ProductionNamespaces,
    /// A named namespace the input declares or runs workloads in.
    OwnedNamespaces,
    /// A NetworkPolicy that restricts egress.
    EgressPolicies,
    /// A RoleBinding or ClusterRoleBinding.
    Bindings,
    /// A Role or ClusterRole.
    Roles,
    /// A ClusterRole that aggregates others, or is labeled to be aggregated.
    AggregatedRoles,
    /// Any workload or ServiceAccount.
    PodsOrServiceAccounts,
    /// Any workload, Secret or ConfigMap.
    PodsOrSecrets,
    /// Control-plane static pods or their configuration objects.
    ControlPlane,
    /// Cluster-level objects (see [`crate::scorecard`]).
    ClusterInventory,
    /// Nothing in a manifest shows it: only an attestation can.
    AttestationOnly,
}

/// One checklist item.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Item {
    pub id: &'static str,
    pub slug: &'static str,
    pub title: &'static str,
    pub evidence: &'static [Evidence],
    pub relevance: Relevance,
}

impl Item {
    /// The section number (`"2.5"` → 2).
    pub(crate) fn section(&self) -> u32 {
        self.id.split('.').next().and_then(|s| s.parse().ok()).unwrap_or(0)
    }
}

/// Section numbers and names.
pub(crate) const SECTIONS: &[(u32, &str)] = &[
    (1, "Pod security"),
    (2, "RBAC"),
    (3, "Network security"),
    (4, "Secrets management"),
    (5, "Image security"),
    (6, "Runtime security"),
    (7, "Audit and compliance"),
    (8, "Cluster configuration (12-step guide)"),
];

use Evidence::{Attestation as A, ControlPlane as C, Inventory as I, Manifest as M};
use Relevance as R;

macro_rules! items {
    ($( $id:literal $slug:literal [$($ev:ident),*] $rel:ident $title:literal ;)*) => {
        /// Every item, in checklist order.
        pub(crate) const ITEMS: &[Item] = &[
            $( Item { id: $id, slug: $slug, title: $title, evidence: &[$($ev),*], relevance: R::$rel }, )*
        ];
    };
}

items! {
    "1.1" "pss-enforced" [M] ProductionNamespaceObjects "Production namespaces enforce the restricted Pod Security Standard, with audit and warn labels";
    "1.2" "run-as-non-root" [M] Pods "No container runs as root";
    "1.3" "no-privilege-escalation" [M] Pods "Every container sets allowPrivilegeEscalation: false";
    "1.4" "drop-all-capabilities" [M] Pods "Every container drops ALL capabilities and adds back only what it needs";
    "1.5" "read-only-root-filesystem" [M] Pods "Root filesystems are read-only, with emptyDir volumes for writable paths";
    "1.6" "seccomp-profile" [M] Pods "A seccomp profile (RuntimeDefault or stricter) applies";
    "1.7" "no-host-namespaces" [M] Pods "No pod shares the node's network, PID or IPC namespace";
    "1.8" "resource-limits" [M] Pods "Every container has CPU and memory limits";
    "1.9" "no-privileged" [M] Pods "No privileged containers in production";
    "1.10" "mac-profile" [M] Pods "An AppArmor or SELinux profile applies";
    "2.1" "no-cluster-admin-service-accounts" [M] Bindings "No service account is bound to cluster-admin";
    "2.2" "namespace-scoped-roles" [M] Bindings "Namespaced roles where they suffice, not ClusterRoleBindings";
    "2.3" "no-wildcard-permissions" [M] Roles "No wildcard verbs, resources or API groups in roles";
    "2.4" "no-automount-token" [M] PodsOrServiceAccounts "Service-account tokens are mounted only where the API is needed";
    "2.5" "rbac-access-review" [A] AttestationOnly "Who can do what is reviewed regularly";
    "2.6" "break-glass-procedure" [A] AttestationOnly "An emergency-access procedure is documented";
    "2.7" "no-default-service-account" [M] Pods "Workloads have their own service accounts, not default";
    "2.8" "aggregated-clusterroles-reviewed" [M] AggregatedRoles "Aggregated ClusterRoles carry no unintended permissions";
    "3.1" "default-deny-all" [M] ProductionNamespaces "Every production namespace denies ingress and egress by default";
    "3.2" "egress-restricted" [M] OwnedNamespaces "Egress is limited to what pods need";
    "3.3" "ingress-restricted" [M] OwnedNamespaces "Ingress is limited to known sources";
    "3.4" "dns-egress-kube-dns-only" [M] EgressPolicies "DNS egress goes to kube-dns only";
    "3.5" "no-unrestricted-internet" [M] OwnedNamespaces "No pod can reach the whole internet";
    "3.6" "service-mtls" [I, M] ClusterInventory "Services talk over mTLS through a mesh";
    "3.7" "api-server-access-restricted" [C, A] ControlPlane "The API server is reachable from known networks only";
    "3.8" "etcd-protected" [C] ControlPlane "etcd requires TLS client certificates and is not exposed";
    "4.1" "etcd-encryption-at-rest" [C] ControlPlane "Secrets are encrypted at rest in etcd";
    "4.2" "external-secrets-manager" [I, M] PodsOrSecrets "Secrets come from an external secrets manager";
    "4.3" "no-secrets-in-env" [M] Pods "Secrets are mounted as files, not passed in environment variables";
    "4.4" "no-secrets-in-images-or-git" [M] PodsOrSecrets "No credentials are written in manifests or images";
    "4.5" "secret-rotation" [A, I] AttestationOnly "Secrets are rotated by policy and automation";
    "4.6" "csi-secrets-store" [M, I] PodsOrSecrets "Production workloads read secrets through the CSI secrets store";
    "4.7" "sealed-secrets-or-sops" [M] PodsOrSecrets "Secrets kept in Git are sealed or SOPS-encrypted";
    "5.1" "private-registry-only" [M] Pods "Images come from allowed private registries, never Docker Hub";
    "5.2" "image-scan-in-ci" [A] AttestationOnly "Images are scanned for vulnerabilities in CI";
    "5.3" "no-critical-cves" [A] AttestationOnly "No image with critical or high CVEs is deployed";
    "5.4" "image-signing" [I] ClusterInventory "Image signatures are verified";
    "5.5" "admission-blocks-unsigned" [I] ClusterInventory "Admission rejects unsigned images in production";
    "5.6" "pinned-digest" [M] Pods "Images are pinned by digest, never latest";
    "5.7" "minimal-base-images" [M, A] Pods "Minimal or distroless base images are used";
    "6.1" "runtime-detection" [I] ClusterInventory "Runtime threat detection runs on the nodes";
    "6.2" "process-anomaly-detection" [I, A] ClusterInventory "Unexpected process execution is detected";
    "6.3" "file-integrity-monitoring" [I, A] ClusterInventory "Critical paths are watched for changes";
    "6.4" "network-anomaly-detection" [I, A] ClusterInventory "Network anomalies such as exfiltration are detected";
    "6.5" "incident-runbook" [A] AttestationOnly "Runtime alerts have an incident-response runbook";
    "7.1" "audit-logging" [C, A] ControlPlane "API server audit logs are recorded and shipped";
    "7.2" "cis-benchmark" [C, A] ControlPlane "The CIS Kubernetes Benchmark passes";
    "7.3" "penetration-testing" [A] AttestationOnly "The cluster is penetration-tested regularly";
    "7.4" "compliance-reports" [A] AttestationOnly "Compliance reports are produced automatically";
    "7.5" "upgrade-policy" [M, C, A] ControlPlane "The cluster is at most one minor version behind; no removed APIs";
    "8.1" "rbac-only-authorization" [C] ControlPlane "Authorization is RBAC; ABAC and AlwaysAllow are off";
    "8.2" "anonymous-auth-disabled" [C] ControlPlane "Anonymous requests to the API server are refused";
    "8.3" "oidc-authentication" [C] ControlPlane "Users authenticate through OIDC";
    "8.4" "admission-plugins" [C, I] ControlPlane "Essential admission plugins are on and a policy engine runs";
    "8.5" "numeric-user-id" [M] Pods "Pods name a numeric non-root user id";
    "8.6" "namespace-quotas" [M] OwnedNamespaces "Every namespace has a LimitRange and a ResourceQuota";
    "8.7" "netpol-capable-cni" [I, A] ClusterInventory "The CNI enforces NetworkPolicy";
}

/// The item with this id.
pub(crate) fn item(id: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|item| item.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_scored_items_and_seven_more() {
        assert_eq!(ITEMS.len(), 57);
        assert_eq!(ITEMS.iter().filter(|item| item.section() <= 7).count(), 50);
        let mut ids: Vec<&str> = ITEMS.iter().map(|item| item.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), 57);
    }
}
