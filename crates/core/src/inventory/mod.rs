//! Cross-object facts computed once per scan: the namespaces declared or used,
//! which NetworkPolicies select which pods, and the RBAC graph.
//!
//! Everything is indexed by namespace, name or label so that a check never
//! compares every object with every other one.

pub(crate) mod components;
pub(crate) mod rbac;
pub(crate) mod review;
pub(crate) mod selector;
pub(crate) mod summary;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::inventory::summary::{Anchor, SetObject};
use crate::model::object::is_unnamed_namespace;
use crate::model::view::View;
pub(crate) use rbac::{namespace_of, Rbac};
use selector::{read_labels, Labels, Selector};

/// Kinds that live outside any namespace (so they neither declare nor use one).
pub(crate) fn is_cluster_scoped(kind: &str) -> bool {
    matches!(
        kind,
        "Namespace"
            | "ClusterRole"
            | "ClusterRoleBinding"
            | "PersistentVolume"
            | "StorageClass"
            | "IngressClass"
            | "PodSecurityPolicy"
            | "PriorityClass"
            | "RuntimeClass"
            | "CustomResourceDefinition"
            | "APIService"
            | "Node"
            | "CSIDriver"
            | "MutatingWebhookConfiguration"
            | "ValidatingWebhookConfiguration"
            | "ValidatingAdmissionPolicy"
            | "ValidatingAdmissionPolicyBinding"
            | "ClusterIssuer"
            // Cluster-wide pod templates: their pods run in the namespaces of the
            // objects that use them, which the templates do not name.
            | "ClusterWorkflowTemplate"
            | "ClusterAnalysisTemplate"
            | "ClusterTrainingRuntime"
            | "ClusterServingRuntime"
    )
}

/// A namespace declared by a Namespace object or used by a namespaced object.
#[derive(Debug, Clone, Default)]
pub(crate) struct Namespace {
    pub name: String,
    /// The Namespace object, when the input declares it.
    pub declared: Option<usize>,
    /// The first namespaced object (input order) that lives in it.
    pub first_object: Option<usize>,
    /// Does any workload (an object with a pod) run in it?
    pub has_workloads: bool,
    /// The Namespace object's labels, plus `kubernetes.io/metadata.name` as the API server sets it.
    pub labels: Labels,
    pub limit_ranges: usize,
    pub resource_quotas: usize,
}

impl Namespace {
    /// Is this namespace the input's to harden: declared, or running workloads?
    /// (Namespaces only named by RBAC objects, e.g. a Role granting read access in
    /// `kube-system`, are not; nor is a directory's unnamed namespace, which no
    /// namespace-level check can judge: its objects may go to any namespace.)
    pub(crate) fn is_owned(&self) -> bool {
        !is_unnamed_namespace(&self.name) && (self.declared.is_some() || self.has_workloads)
    }
}

/// One pod of an object (a bare Pod, any workload's pod template, one of the
/// pod templates of a custom resource).
#[derive(Debug, Clone)]
pub(crate) struct Workload {
    pub object: usize,
    /// Which of the object's pods (an index into its summary's `pods`).
    pub pod: usize,
    pub namespace: String,
    /// The pod's labels (shared with the object's summary).
    pub labels: Arc<Labels>,
}

/// A NetworkPolicy, read once.
#[derive(Debug, Clone)]
pub(crate) struct Policy<'a> {
    pub namespace: String,
    pub name: String,
    /// `spec.podSelector` (absent reads as empty: every pod of the namespace).
    pub pod_selector: Selector,
    /// Does the policy restrict ingress / egress (`policyTypes`, or its defaults)?
    pub affects_ingress: bool,
    pub affects_egress: bool,
    pub ingress: Vec<View<'a>>,
    pub egress: Vec<View<'a>>,
}

/// Traffic direction of a NetworkPolicy rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }
}

impl<'a> Policy<'a> {
    pub(crate) fn read(root: &View<'a>, namespace: String, name: String) -> Policy<'a> {
        let spec = root.get("spec");
        let types = spec.get("policyTypes");
        let ingress = spec.get("ingress").items();
        let egress = spec.get("egress").items();
        let (affects_ingress, affects_egress) = if types.exists() {
            let types: Vec<&str> = types.strings().into_iter().map(|(t, _)| t).collect();
            (types.contains(&"Ingress"), types.contains(&"Egress"))
        } else {
            // Kubernetes' defaults: Ingress always, Egress when egress rules are written.
            (true, !egress.is_empty())
        };
        Policy {
            namespace,
            name,
            pod_selector: Selector::read(&spec.get("podSelector")).unwrap_or_default(),
            affects_ingress,
            affects_egress,
            ingress,
            egress,
        }
    }

    /// Does the policy deny all traffic in this direction to every pod of its namespace?
    pub(crate) fn is_default_deny(&self, direction: Direction) -> bool {
        self.pod_selector.is_empty()
            && match direction {
                Direction::Ingress => self.affects_ingress && self.ingress.is_empty(),
                Direction::Egress => self.affects_egress && self.egress.is_empty(),
            }
    }

    /// The rules of a direction, when the policy restricts that direction.
    pub(crate) fn rules(&self, direction: Direction) -> &[View<'a>] {
        match direction {
            Direction::Ingress if self.affects_ingress => &self.ingress,
            Direction::Egress if self.affects_egress => &self.egress,
            _ => &[],
        }
    }
}

/// The cross-object facts of one scan.
#[derive(Debug, Default)]
pub(crate) struct Inventory<'a> {
    /// Namespaces by name.
    pub namespaces: BTreeMap<String, Namespace>,
    pub workloads: Vec<Workload>,
    pub policies: Vec<Policy<'a>>,
    pub rbac: Rbac<'a>,
    /// ServiceAccount objects by (namespace, name).
    service_accounts: HashMap<(String, String), usize>,
    /// Workloads (indices into `workloads`) per namespace, and per (namespace, label key, label value).
    workloads_by_namespace: HashMap<String, Vec<usize>>,
    /// Keyed by a hash of the three (see [`label_key`]): a key of three strings
    /// per label of every workload took most of the inventory's memory.
    workloads_by_label: HashMap<u64, Vec<usize>>,
    /// Policies (indices into `policies`) per namespace.
    policies_by_namespace: HashMap<String, Vec<usize>>,
}

/// The key of a (namespace, label key, label value) in the label index: an
/// FNV-1a hash (small code, same on every run), a separator byte no UTF-8
/// text holds between the parts.
fn label_key(namespace: &str, key: &str, value: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [namespace, key, value] {
        for &byte in part.as_bytes().iter().chain(&[0xff]) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

impl<'a> Inventory<'a> {
    /// Builds the inventory of a scan's objects.
    pub(crate) fn build(objects: &[SetObject<'_, 'a>]) -> Inventory<'a> {
        let full = objects.iter().enumerate().filter_map(|(index, object)| Some((index, &**object.full.as_ref()?)));
        let mut inventory = Inventory { rbac: Rbac::build(full), ..Inventory::default() };
        for (index, object) in objects.iter().enumerate() {
            let identity = &object.summary.identity;
            let kind = identity.kind.as_str();
            if kind == "Namespace" {
                let Some(name) = identity.name.clone() else { continue };
                let mut labels = object
                    .full
                    .as_ref()
                    .map(|full| read_labels(&full.root.path(&["metadata", "labels"])))
                    .unwrap_or_default();
                labels.insert("kubernetes.io/metadata.name".into(), name.clone());
                let entry = inventory.namespace_entry(&name);
                if entry.declared.is_none() {
                    entry.declared = Some(index);
                    entry.labels = labels;
                }
                continue;
            }
            if is_cluster_scoped(kind) {
                continue;
            }
            let namespace = namespace_of(identity);
            let entry = inventory.namespace_entry(&namespace);
            entry.first_object.get_or_insert(index);
            match kind {
                "LimitRange" => entry.limit_ranges += 1,
                "ResourceQuota" => entry.resource_quotas += 1,
                _ => {}
            }
            if !object.summary.pods.is_empty() {
                entry.has_workloads = true;
            }
            for (pod_index, pod) in object.summary.pods.iter().enumerate() {
                let workload = inventory.workloads.len();
                for (key, value) in pod.labels.iter() {
                    inventory.workloads_by_label.entry(label_key(&namespace, key, value)).or_default().push(workload);
                }
                inventory.workloads_by_namespace.entry(namespace.clone()).or_default().push(workload);
                inventory.workloads.push(Workload {
                    object: index,
                    pod: pod_index,
                    namespace: namespace.clone(),
                    labels: Arc::clone(&pod.labels),
                });
            }
            match (identity.group(), kind) {
                ("networking.k8s.io" | "extensions", "NetworkPolicy") => {
                    let Some(full) = &object.full else { continue };
                    let policy = inventory.policies.len();
                    let name = identity.name.clone().unwrap_or_default();
                    inventory.policies.push(Policy::read(&full.root, namespace.clone(), name));
                    inventory.policies_by_namespace.entry(namespace).or_default().push(policy);
                }
                ("", "ServiceAccount") => {
                    if let Some(name) = identity.name.clone() {
                        inventory.service_accounts.entry((namespace, name)).or_insert(index);
                    }
                }
                _ => {}
            }
        }
        inventory
    }

    fn namespace_entry(&mut self, name: &str) -> &mut Namespace {
        self.namespaces.entry(name.to_string()).or_insert_with(|| {
            let mut labels = Labels::new();
            labels.insert("kubernetes.io/metadata.name".into(), name.to_string());
            Namespace { name: name.to_string(), labels, ..Namespace::default() }
        })
    }

    /// The ServiceAccount object (index) named `name` in `namespace`, if the input holds it.
    pub(crate) fn service_account(&self, namespace: &str, name: &str) -> Option<usize> {
        self.service_accounts.get(&(namespace.to_string(), name.to_string())).copied()
    }

    /// The policies (indices into `policies`) of a namespace.
    pub(crate) fn policies_in(&self, namespace: &str) -> &[usize] {
        self.policies_by_namespace.get(namespace).map_or(&[], Vec::as_slice)
    }

    /// The workloads (indices into `workloads`) of `namespace` whose pods `selector` selects.
    /// Starts from the smallest label posting list of `matchLabels`, never from every workload.
    pub(crate) fn select_workloads(&self, namespace: &str, selector: &Selector) -> Vec<usize> {
        let candidates: &[usize] = match selector
            .match_labels
            .iter()
            .map(|(key, value)| {
                self.workloads_by_label.get(&label_key(namespace, key, value)).map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|list| list.len())
        {
            Some(list) => list,
            None => self.workloads_by_namespace.get(namespace).map_or(&[], Vec::as_slice),
        };
        candidates
            .iter()
            .copied()
            // The namespace is checked again: two keys of the label index may share a hash.
            .filter(|&w| {
                self.workloads
                    .get(w)
                    .is_some_and(|workload| workload.namespace == namespace && selector.matches(&workload.labels))
            })
            .collect()
    }

    /// Where a finding about a whole namespace attaches: the Namespace object
    /// (at `metadata.name`) when the input declares it, otherwise the first object
    /// of the namespace (at `metadata.namespace`, or `metadata`). Also returns a
    /// phrase for the message that says which.
    pub(crate) fn namespace_anchor(
        &self,
        namespace: &Namespace,
        objects: &[SetObject<'_, '_>],
    ) -> Option<(usize, Anchor, String)> {
        if let Some(index) = namespace.declared {
            let object = objects.get(index)?;
            return Some((index, object.summary.name_at.clone(), String::new()));
        }
        let index = namespace.first_object?;
        let object = objects.get(index)?.summary;
        let unnamed =
            if object.namespace_at.pointer.ends_with("/namespace") { "" } else { ", which names no namespace" };
        Some((
            index,
            object.namespace_at.clone(),
            format!(" (no Namespace object in the input; reported on its first object, {}{unnamed})", object.label()),
        ))
    }
}
