//! What the scanned set says about the cluster it is deployed to: control-plane
//! components, policy engines, runtime detection, the CNI, a service mesh, and
//! how secrets reach it. Computed once per scan and put in the report, so that
//! a scorecard can tell "failed" from "not assessed".
//!
//! # Cluster-level input
//!
//! An application's manifests say nothing about whether the cluster runs
//! Falco or enforces image signatures; only input that describes the cluster
//! itself can. The configuration can say which it is (`scope: application` or
//! `scope: cluster`). Otherwise the input is **cluster-level** only on clear
//! evidence, one of:
//! - a control-plane component (a pod running kube-apiserver, etcd,
//!   kube-controller-manager or kube-scheduler);
//! - node or control-plane configuration (`KubeletConfiguration`,
//!   `EncryptionConfiguration`, an audit `Policy`);
//! - a cluster add-on: a workload in `kube-system`, or a workload whose image
//!   is a known policy engine, runtime sensor, CNI or service mesh;
//! - a cluster-wide policy (Kyverno `ClusterPolicy`, Gatekeeper
//!   `ConstraintTemplate`, Sigstore `ClusterImagePolicy`, Cilium cluster-wide
//!   policies, Tetragon `TracingPolicy`);
//! - a dump of a live cluster (`kubectl get -A -o yaml`): an object of
//!   `kube-system` with the `uid` or `resourceVersion` the API server sets.
//!
//! Namespaces, ClusterRoles, DaemonSets, namespaced policies and other objects
//! that happen to be in `kube-system` (a Secret, a RoleBinding) do not count:
//! applications ship them too. The cluster checks (items 3.6, 5.4, 5.5, 6.x,
//! 8.4, 8.7) report a missing component only for cluster-level input;
//! otherwise the item is `not-assessed` here and the checks stay silent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::Scope;
use crate::inventory::summary::Summary;
use crate::model::component::Component;
use crate::model::image::ImageRef;
use crate::model::Object;

impl Component {
    /// Is it the control plane, or node or control-plane configuration?
    fn is_control_plane(self) -> bool {
        matches!(
            self,
            Component::ApiServer
                | Component::Etcd
                | Component::ControllerManager
                | Component::Scheduler
                | Component::NodeConfiguration
        )
    }

    /// Does a workload that runs it make the input cluster-level?
    fn is_cluster_level(self) -> bool {
        !matches!(
            self,
            Component::ExternalSecrets
                | Component::SecretsStoreCsi
                | Component::SealedSecret
                | Component::SopsEncrypted
                | Component::VaultInjector
                | Component::Linkerd
                | Component::Tiller
                | Component::Dashboard
        )
    }
}

/// Recognises a control-plane component by its command or image.
pub(crate) fn control_plane_component(command: Option<&str>, image: Option<&ImageRef<'_>>) -> Option<Component> {
    let by_name = |name: &str| match name {
        "kube-apiserver" => Some(Component::ApiServer),
        "etcd" => Some(Component::Etcd),
        "kube-controller-manager" => Some(Component::ControllerManager),
        "kube-scheduler" => Some(Component::Scheduler),
        _ => None,
    };
    if let Some(found) = command.and_then(|c| by_name(c.rsplit('/').next().unwrap_or(c))) {
        return Some(found);
    }
    image.and_then(|image| by_name(image.base_name()))
}

/// Recognises an add-on by its image.
fn image_component(image: &ImageRef<'_>) -> Option<Component> {
    let path = image.path.to_ascii_lowercase();
    let base = image.base_name().to_ascii_lowercase();
    // A search by first byte: the paths are short, and a substring searcher's set-up cost more.
    let has = |needle: &str| crate::text::find_str(&path, needle).is_some();
    Some(match base.as_str() {
        _ if has("falcosecurity/falco") || base == "falco" => Component::Falco,
        _ if has("tetragon") => Component::Tetragon,
        _ if has("kubescape/node-agent") => Component::KubescapeNodeAgent,
        _ if has("sysdig/agent") => Component::SysdigAgent,
        _ if has("gatekeeper") => Component::Gatekeeper,
        _ if has("kyverno/kyverno") || base == "kyverno" => Component::Kyverno,
        _ if has("calico/node") || has("tigera/operator") => Component::Calico,
        _ if has("cilium/cilium") || has("cilium/operator") => Component::Cilium,
        _ if has("antrea") => Component::Antrea,
        _ if has("istio/pilot") || has("istio/proxyv2") => Component::Istio,
        _ if has("linkerd/proxy") || has("linkerd/controller") => Component::Linkerd,
        _ if base == "connaisseur" => Component::Connaisseur,
        _ if base == "ratify" => Component::Ratify,
        _ if has("sigstore/policy-controller") => Component::SigstorePolicyController,
        _ if has("external-secrets") => Component::ExternalSecrets,
        _ if has("secrets-store-csi-driver") || has("csi-secrets-store") => Component::SecretsStoreCsi,
        _ if has("vault-k8s") => Component::VaultInjector,
        "tiller" => Component::Tiller,
        _ if has("kubernetesui/dashboard") || base == "kubernetes-dashboard" => Component::Dashboard,
        _ => return None,
    })
}

/// Everything recognised in one object.
pub(crate) fn components_of(object: &Object<'_>) -> Vec<Component> {
    let identity = &object.identity;
    let mut found = Vec::new();
    for pod in &object.pods {
        for container in &pod.containers {
            let command = container.view.get("command").strings().into_iter().next().map(|(c, _)| c);
            let image = container.parsed_image().map(|(image, _)| image);
            if let Some(component) = control_plane_component(command, image) {
                found.push(component);
            }
            if let Some(component) = image.and_then(image_component) {
                found.push(component);
            }
        }
        for volume in pod.volumes() {
            if volume.path(&["csi", "driver"]).str().present() == Some("secrets-store.csi.k8s.io") {
                found.push(Component::SecretsStoreCsi);
            }
        }
        let annotations = pod.metadata.get("annotations");
        if annotations.get("vault.hashicorp.com/agent-inject").str().present() == Some("true") {
            found.push(Component::VaultInjector);
        }
        if annotations.get("linkerd.io/inject").str().present() == Some("enabled") {
            found.push(Component::Linkerd);
        }
    }
    let group = identity.group();
    match (group, identity.kind.as_str()) {
        ("kubelet.config.k8s.io", _) | ("apiserver.config.k8s.io" | "apiserver.k8s.io", _) | ("audit.k8s.io", _) => {
            found.push(Component::NodeConfiguration)
        }
        ("kyverno.io", _) => found.push(Component::Kyverno),
        ("templates.gatekeeper.sh", _) => found.push(Component::Gatekeeper),
        ("policy.sigstore.dev", _) => found.push(Component::SigstorePolicyController),
        ("cilium.io", "TracingPolicy" | "TracingPolicyNamespaced") => found.push(Component::TracingPolicy),
        ("cilium.io", _) => {
            found.push(Component::Cilium);
            let specs = object.root.get("specs").items();
            let specs = if specs.is_empty() { vec![object.root.get("spec")] } else { specs };
            let mutual = specs.iter().any(|spec| {
                ["ingress", "egress"].iter().any(|direction| {
                    spec.get(direction)
                        .items()
                        .iter()
                        .any(|rule| rule.path(&["authentication", "mode"]).str().present() == Some("required"))
                })
            });
            if mutual {
                found.push(Component::CiliumMutualAuth);
            }
        }
        ("security.istio.io", "PeerAuthentication") => {
            found.push(Component::Istio);
            if object.root.path(&["spec", "mtls", "mode"]).str().present() == Some("STRICT") {
                found.push(Component::IstioStrictMtls);
            }
        }
        ("external-secrets.io", _) => found.push(Component::ExternalSecrets),
        ("secrets-store.csi.x-k8s.io", _) => found.push(Component::SecretsStoreCsi),
        ("bitnami.com", _) => found.push(Component::SealedSecret),
        ("falco.org" | "falcosecurity.dev", _) => found.push(Component::FalcoRules),
        ("", "Secret") if object.root.get("sops").is_map() => found.push(Component::SopsEncrypted),
        ("", "ConfigMap")
            if object
                .root
                .get("data")
                .entries()
                .iter()
                .any(|(key, _)| key.contains("falco") && key.contains("rules")) =>
        {
            found.push(Component::FalcoRules)
        }
        ("", "Namespace")
            if object.root.path(&["metadata", "annotations", "linkerd.io/inject"]).str().present()
                == Some("enabled") =>
        {
            found.push(Component::Linkerd)
        }
        _ => {}
    }
    found
}

/// Facts about the whole set, computed from every object.
pub(crate) struct Facts {
    /// Each component found, with the index of the object it was found in.
    pub found: Vec<(Component, usize)>,
    /// The first object that makes the input cluster-level, and why.
    pub cluster_level: Option<(usize, String)>,
}

impl Facts {
    /// The components of every object, and whether the input describes a
    /// cluster: as the configuration says, or else from clear evidence (see the
    /// module documentation).
    pub(crate) fn of<S: std::borrow::Borrow<Summary>>(objects: &[S], scope: Option<Scope>) -> Facts {
        let mut found = Vec::new();
        let mut cluster_level = match scope {
            Some(Scope::Cluster) if !objects.is_empty() => {
                Some((0, "the configuration's `scope: cluster`".to_string()))
            }
            _ => None,
        };
        let judge = scope.is_none();
        for (index, object) in objects.iter().enumerate() {
            let object: &Summary = object.borrow();
            let components = &object.components;
            if judge && cluster_level.is_none() {
                cluster_level = cluster_evidence(object).map(|why| (index, format!("{} ({why})", object.label())));
            }
            found.extend(components.iter().map(|&component| (component, index)));
        }
        Facts { found, cluster_level }
    }

    pub(crate) fn has(&self, any: &[Component]) -> bool {
        self.found.iter().any(|(component, _)| any.contains(component))
    }

    /// Names of the components present among `any`, deduplicated.
    fn evidence(&self, any: &[Component]) -> Vec<String> {
        let mut names: Vec<String> =
            self.found.iter().filter(|(c, _)| any.contains(c)).map(|(c, _)| c.name().to_string()).collect();
        names.sort();
        names.dedup();
        names
    }
}

/// Why an object shows that the input describes a cluster, if it does.
fn cluster_evidence(object: &Summary) -> Option<String> {
    let identity = &object.identity;
    let in_kube_system = identity.namespace.as_deref() == Some("kube-system");
    if let Some(component) = object.components.iter().find(|c| c.is_control_plane()) {
        return Some(component.name().to_string());
    }
    if !object.pods.is_empty() {
        if let Some(component) = object.components.iter().find(|c| c.is_cluster_level()) {
            return Some(format!("{} workload", component.name()));
        }
        if in_kube_system {
            return Some("a workload in kube-system".to_string());
        }
    }
    if matches!(
        (identity.group(), identity.kind.as_str()),
        ("kyverno.io", "ClusterPolicy")
            | ("templates.gatekeeper.sh", "ConstraintTemplate")
            | ("policy.sigstore.dev", "ClusterImagePolicy")
            | ("cilium.io", "CiliumClusterwideNetworkPolicy" | "TracingPolicy")
    ) {
        return Some("a cluster-wide policy".to_string());
    }
    if object.live && in_kube_system {
        return Some("read from a live cluster".to_string());
    }
    None
}

/// Whether a checklist item could be judged from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Assessment {
    /// The input shows what the item asks for (the checks may still report how it is configured).
    Present,
    /// The input is cluster-level and does not show it.
    Missing,
    /// The input is not cluster-level and does not show it: nothing can be said.
    NotAssessed,
}

/// Evidence for one checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ItemEvidence {
    /// Checklist item id (`6.1`).
    pub item: String,
    /// Present, missing or not assessed.
    pub assessment: Assessment,
    /// What was found (`Falco`, `Kyverno`).
    pub evidence: Vec<String>,
}

/// What the scanned set says about the cluster, per checklist item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ClusterInventory {
    /// Does the input describe a cluster (see the module documentation)?
    pub cluster_level: bool,
    /// The first object that makes it so, and why.
    pub cluster_level_reason: Option<String>,
    /// Control-plane components and configuration found.
    pub control_plane: Vec<String>,
    /// Evidence for the items only cluster-level input can show.
    pub items: Vec<ItemEvidence>,
}

/// Which components give evidence for which item.
const ITEMS: &[(&str, &[Component])] = &[
    ("3.6", &[Component::IstioStrictMtls, Component::Linkerd, Component::CiliumMutualAuth]),
    ("4.2", &[Component::ExternalSecrets, Component::SecretsStoreCsi, Component::VaultInjector]),
    ("4.6", &[Component::SecretsStoreCsi]),
    ("4.7", &[Component::SealedSecret, Component::SopsEncrypted]),
    ("5.4", &[Component::Kyverno, Component::SigstorePolicyController, Component::Connaisseur, Component::Ratify]),
    ("5.5", &[Component::Kyverno, Component::SigstorePolicyController, Component::Connaisseur, Component::Ratify]),
    ("6.1", &[Component::Falco, Component::Tetragon, Component::KubescapeNodeAgent, Component::SysdigAgent]),
    ("6.2", &[Component::FalcoRules, Component::TracingPolicy, Component::KubescapeNodeAgent, Component::SysdigAgent]),
    ("6.3", &[Component::FalcoRules, Component::TracingPolicy, Component::SysdigAgent]),
    ("6.4", &[Component::FalcoRules, Component::TracingPolicy, Component::KubescapeNodeAgent, Component::SysdigAgent]),
    ("8.4", &[Component::Gatekeeper, Component::Kyverno]),
    ("8.7", &[Component::Calico, Component::Cilium, Component::Antrea]),
];

impl ClusterInventory {
    /// The inventory from the components already found in a scan's objects.
    pub(crate) fn from_facts(facts: &Facts) -> ClusterInventory {
        let cluster_level = facts.cluster_level.is_some();
        let items = ITEMS
            .iter()
            .map(|(item, components)| {
                let evidence = facts.evidence(components);
                let assessment = match (evidence.is_empty(), cluster_level) {
                    (false, _) => Assessment::Present,
                    (true, true) => Assessment::Missing,
                    (true, false) => Assessment::NotAssessed,
                };
                ItemEvidence { item: (*item).to_string(), assessment, evidence }
            })
            .collect();
        ClusterInventory {
            cluster_level,
            cluster_level_reason: facts.cluster_level.as_ref().map(|(_, reason)| reason.clone()),
            control_plane: facts.evidence(&[
                Component::ApiServer,
                Component::Etcd,
                Component::ControllerManager,
                Component::Scheduler,
                Component::NodeConfiguration,
            ]),
            items,
        }
    }
}
