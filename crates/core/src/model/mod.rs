//! Lenient typed views over the span-keeping tree: objects, pods, containers.

pub(crate) mod api_versions;
pub(crate) mod component;
pub(crate) mod image;
pub(crate) mod kustomization;
pub(crate) mod object;
pub(crate) mod pod;
pub(crate) mod pod_locations;
pub(crate) mod pod_shape;
pub(crate) mod rbac;
pub(crate) mod recognize;
pub(crate) mod view;

pub(crate) use object::Identity;
pub(crate) use pod::Pod;
use view::View;

/// One Kubernetes object being evaluated.
pub(crate) struct Object<'a> {
    pub identity: Identity,
    /// The object's root mapping.
    pub root: View<'a>,
    /// The object's pods: one for most workload kinds, several for some
    /// custom resources (an MPIJob's Launcher and Workers), none for other kinds.
    pub pods: Vec<Pod<'a>>,
    /// Does the object's namespace count as production (per configuration)?
    pub production: bool,
    /// The file the object is in.
    pub file: &'a str,
    /// The rules of a Role or ClusterRole with how messages name it, read
    /// once for the several RBAC checks that look at them.
    pub role_rules: std::cell::OnceCell<Option<(String, Vec<crate::model::rbac::Rule<'a>>)>>,
}

impl<'a> Object<'a> {
    pub(crate) fn new(root: View<'a>, identity: Identity, production: bool, file: &'a str) -> Self {
        let pods = pod::pods_of(&root, &identity.api_version, &identity.kind);
        Object { identity, root, pods, production, file, role_rules: std::cell::OnceCell::new() }
    }

    /// `Deployment "web"`, for messages.
    pub(crate) fn label(&self) -> String {
        self.identity.label()
    }
}

/// Kinds that kubeward evaluates whatever they hold; documents of other kinds
/// are evaluated when they hold something shaped like a pod spec (see
/// [`pod_shape`]), and otherwise skipped.
pub(crate) fn is_known_kind(api_version: &str, kind: &str) -> bool {
    if pod_locations::lookup(api_version, kind).is_some() || api_versions::lookup(api_version, kind).is_some() {
        return true;
    }
    let group = api_version.rsplit_once('/').map_or("", |(group, _)| group);
    matches!(
        (group, kind),
        (
            "",
            "Namespace"
                | "Service"
                | "ServiceAccount"
                | "Secret"
                | "ConfigMap"
                | "LimitRange"
                | "ResourceQuota"
                | "PersistentVolume"
                | "PersistentVolumeClaim"
                | "Endpoints"
        ) | ("rbac.authorization.k8s.io", "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding")
            | ("networking.k8s.io", "NetworkPolicy" | "Ingress" | "IngressClass")
            | ("extensions", "Ingress" | "NetworkPolicy")
            | ("policy", "PodDisruptionBudget" | "PodSecurityPolicy")
            | ("autoscaling", "HorizontalPodAutoscaler")
            // Secrets kept out of Git, image verification, mesh, runtime and policy engines (items 4-6, 8.4).
            | ("bitnami.com", "SealedSecret")
            | ("external-secrets.io", "ExternalSecret" | "ClusterExternalSecret" | "SecretStore" | "ClusterSecretStore")
            | ("secrets-store.csi.x-k8s.io", "SecretProviderClass")
            | ("kyverno.io", "ClusterPolicy" | "Policy")
            | ("policy.sigstore.dev", "ClusterImagePolicy")
            | ("security.istio.io", "PeerAuthentication")
            | ("cilium.io", "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy" | "TracingPolicy" | "TracingPolicyNamespaced")
            | ("templates.gatekeeper.sh", "ConstraintTemplate")
            | ("falco.org" | "falcosecurity.dev", _)
            // Node and control-plane configuration files (items 4.1, 7.1, 8.x).
            | ("kubelet.config.k8s.io", "KubeletConfiguration")
            | ("apiserver.config.k8s.io" | "apiserver.k8s.io", "EncryptionConfiguration")
            | ("audit.k8s.io", "Policy")
    )
}
