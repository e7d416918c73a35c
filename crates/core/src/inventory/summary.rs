//! What a scan keeps of every object for the cross-object (set) checks once the
//! object's tree is gone.
//!
//! A scan reads each file, runs the per-object checks on its objects and drops
//! its trees, so that memory follows the largest file rather than the whole
//! input. The set checks then see every object through a [`Summary`] (its
//! identity, the places findings attach to, what its pod says about labels and
//! service accounts, the components it reveals), and see in full ([`Object`])
//! only the kinds they read in depth: see [`read_in_full`].

use std::sync::Arc;

use crate::inventory::selector::{read_labels, Labels};
use crate::model::component::Component;
use crate::model::view::{Value, View};
use crate::model::{Identity, Object};
use crate::pss::{PssLevel, PssVersion};

/// A place in an object that a finding can attach to, kept without the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Anchor {
    /// JSON Pointer of the field within its document.
    pub pointer: String,
    /// The field's byte range, or its nearest existing ancestor's.
    pub span: (u32, u32),
}

impl Anchor {
    pub(crate) fn of(view: &View<'_>) -> Anchor {
        Anchor { pointer: view.pointer(), span: view.span }
    }
}

/// Where a set check's finding attaches: a view of a kept object, or an anchor.
pub(crate) trait Place {
    fn pointer(&self) -> String;
    fn span(&self) -> (u32, u32);
}

impl Place for View<'_> {
    fn pointer(&self) -> String {
        View::pointer(self)
    }
    fn span(&self) -> (u32, u32) {
        self.span
    }
}

impl Place for Anchor {
    fn pointer(&self) -> String {
        self.pointer.clone()
    }
    fn span(&self) -> (u32, u32) {
        self.span
    }
}

/// What the set checks need of a pod.
#[derive(Debug, Clone)]
pub(crate) struct PodSummary {
    /// How messages name the pod when its object holds several (see
    /// [`Pod::name`](crate::model::Pod::name)).
    pub name: Option<Arc<str>>,
    /// The pod's labels.
    pub labels: Arc<Labels>,
    /// The pod's `metadata.labels`, or its `metadata` when no labels are written.
    pub labels_at: Anchor,
    /// The service account the pod runs as and the field that decides it
    /// (see [`Pod::service_account`](crate::model::Pod::service_account)).
    pub service_account: (String, Anchor),
    /// The pod's own `automountServiceAccountToken`.
    pub automount: (Value<bool>, Anchor),
    /// The pod judged against the Pod Security level its namespace was foreseen
    /// to enforce (see `pss_namespace_enforcement`), when one was.
    pub pss: Option<PssJudgement>,
}

/// A pod judged against a Pod Security level and version while its tree was there.
#[derive(Debug, Clone)]
pub(crate) struct PssJudgement {
    pub at: (PssLevel, PssVersion),
    /// Where admission would reject the pod, and why; `None` when it is allowed.
    pub finding: Option<(Anchor, String)>,
}

/// What a scan keeps of one evaluated object for the set checks.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub identity: Identity,
    /// Does the object's namespace count as production (per configuration)?
    pub production: bool,
    /// The object's root.
    pub root: Anchor,
    /// `metadata.name` (written or not).
    pub name_at: Anchor,
    /// `metadata.namespace` when written, otherwise `metadata`.
    pub namespace_at: Anchor,
    /// The object's pods (a boxed slice: most objects hold none, and every object has a summary).
    pub pods: Box<[PodSummary]>,
    /// The cluster components the object reveals.
    pub components: Vec<Component>,
    /// Was the object read from a cluster (it carries the `uid` or
    /// `resourceVersion` only the API server sets), as `kubectl get -o yaml` prints it?
    pub live: bool,
}

impl Summary {
    /// Summarizes an object while its tree is still there.
    pub(crate) fn of(object: &Object<'_>, components: Vec<Component>) -> Summary {
        let namespace = object.root.path(&["metadata", "namespace"]);
        let namespace_at = if namespace.written() { namespace } else { object.root.get("metadata") };
        let pods = object
            .pods
            .iter()
            .map(|pod| {
                let labels = pod.metadata.get("labels");
                let labels_at = if labels.written() { Anchor::of(&labels) } else { Anchor::of(&pod.metadata) };
                let (account, decided_by) = pod.service_account();
                let automount = pod.field("automountServiceAccountToken");
                PodSummary {
                    name: pod.name.clone(),
                    labels: Arc::new(read_labels(&labels)),
                    labels_at,
                    service_account: (account, Anchor::of(&decided_by)),
                    automount: (automount.bool(), Anchor::of(&automount)),
                    pss: None,
                }
            })
            .collect();
        Summary {
            identity: object.identity.clone(),
            production: object.production,
            root: Anchor::of(&object.root),
            name_at: Anchor::of(&object.root.path(&["metadata", "name"])),
            namespace_at: Anchor::of(&namespace_at),
            pods,
            components,
            live: ["uid", "resourceVersion"].iter().any(|key| object.root.path(&["metadata", key]).written()),
        }
    }

    /// `Deployment "web"`, for messages.
    pub(crate) fn label(&self) -> String {
        self.identity.label()
    }
}

/// One object as the set checks see it: always its summary, and the whole
/// object for the kinds they read in depth.
pub(crate) struct SetObject<'o, 'a> {
    pub summary: &'o Summary,
    /// The file the object is in, and the document's index there.
    pub file: &'o str,
    pub document: usize,
    /// Boxed: most objects are not kept whole.
    pub full: Option<Box<Object<'a>>>,
}

/// Kinds the set checks read beyond their summary (RBAC, network policies,
/// namespaces and their labels, service accounts, admission and mesh policies):
/// a scan keeps the documents that hold them until the set checks have run.
/// Every other object's tree goes as soon as its own checks are done.
pub(crate) fn read_in_full(identity: &Identity) -> bool {
    matches!(
        (identity.group(), identity.kind.as_str()),
        ("", "Namespace" | "ServiceAccount")
            | ("rbac.authorization.k8s.io", "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding")
            | ("networking.k8s.io" | "extensions", "NetworkPolicy")
            | ("kyverno.io", "ClusterPolicy" | "Policy")
            | ("policy.sigstore.dev", "ClusterImagePolicy")
            | ("security.istio.io", "PeerAuthentication")
    )
}
