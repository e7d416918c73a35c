//! The software a manifest can reveal: control-plane components, node
//! configuration, and the cluster add-ons the checklist asks about.

/// A component or configuration recognised in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Component {
    ApiServer,
    Etcd,
    ControllerManager,
    Scheduler,
    NodeConfiguration,
    Falco,
    FalcoRules,
    Tetragon,
    TracingPolicy,
    KubescapeNodeAgent,
    SysdigAgent,
    Gatekeeper,
    Kyverno,
    Calico,
    Cilium,
    Antrea,
    Istio,
    IstioStrictMtls,
    Linkerd,
    CiliumMutualAuth,
    Connaisseur,
    Ratify,
    SigstorePolicyController,
    ExternalSecrets,
    SecretsStoreCsi,
    SealedSecret,
    SopsEncrypted,
    VaultInjector,
    Tiller,
    Dashboard,
}

impl Component {
    /// How evidence names it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Component::ApiServer => "kube-apiserver",
            Component::Etcd => "etcd",
            Component::ControllerManager => "kube-controller-manager",
            Component::Scheduler => "kube-scheduler",
            Component::NodeConfiguration => "node or control-plane configuration",
            Component::Falco => "Falco",
            Component::FalcoRules => "Falco rules",
            Component::Tetragon => "Tetragon",
            Component::TracingPolicy => "Tetragon TracingPolicy",
            Component::KubescapeNodeAgent => "Kubescape node agent",
            Component::SysdigAgent => "Sysdig agent",
            Component::Gatekeeper => "Gatekeeper",
            Component::Kyverno => "Kyverno",
            Component::Calico => "Calico",
            Component::Cilium => "Cilium",
            Component::Antrea => "Antrea",
            Component::Istio => "Istio",
            Component::IstioStrictMtls => "Istio PeerAuthentication STRICT",
            Component::Linkerd => "Linkerd",
            Component::CiliumMutualAuth => "Cilium mutual authentication",
            Component::Connaisseur => "Connaisseur",
            Component::Ratify => "Ratify",
            Component::SigstorePolicyController => "Sigstore policy-controller",
            Component::ExternalSecrets => "External Secrets",
            Component::SecretsStoreCsi => "Secrets Store CSI driver",
            Component::SealedSecret => "SealedSecret",
            Component::SopsEncrypted => "SOPS-encrypted Secret",
            Component::VaultInjector => "Vault agent injector",
            Component::Tiller => "Tiller",
            Component::Dashboard => "Kubernetes dashboard",
        }
    }
}
