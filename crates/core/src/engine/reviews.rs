//! The two other ways into the engine: the Pod Security Standards evaluation
//! and the RBAC who-can-do-what review.

use super::Engine;
use super::Source;
use crate::inventory::review::{review, RbacReview};
use crate::model::pod::pods_of;
use crate::model::view::{ObjectTree, View};
use crate::model::Identity;
use crate::pss::{PssLevel, PssVersion};
use crate::report::pss::{object_entry, PssReport};
use crate::report::{DocumentStatus, ObjectRef};

impl Engine {
    /// Evaluates every object of the input against a Pod Security Standards
    /// level and version, exactly as the Kubernetes Pod Security Admission
    /// reference would. An object is allowed when all its pods are (a custom
    /// resource may hold several); objects that hold no pod are listed as not applicable;
    /// input that cannot be read is listed in `errors`. Like [`Engine::scan`],
    /// the result does not depend on the order of `sources`.
    ///
    /// ```
    /// use kubeward::{Engine, PssLevel, PssVersion, Source};
    /// let manifest = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        ports:\n        - containerPort: 80\n          hostPort: 80\n";
    /// let report = Engine::default().pss(&[Source::new("web.yaml", manifest)], PssLevel::Baseline, PssVersion::LATEST);
    /// let web = &report.objects[0];
    /// assert!(web.applicable && !web.allowed);
    /// let violation = &web.violations[0];
    /// assert_eq!(violation.check, "hostPorts");
    /// assert_eq!(violation.path, "/spec/template/spec/containers/0/ports/0/hostPort");
    /// assert_eq!((violation.range.start.line, violation.range.start.column), (13, 11));
    /// ```
    pub fn pss(&self, sources: &[Source<'_>], level: PssLevel, version: PssVersion) -> PssReport {
        let files = self.load_sorted(sources);
        let mut accounted = self.empty_report();
        let slots = self.account(&files, &mut accounted);
        let mut pss = PssReport::new(level, version);
        let mut slots = slots.iter();
        for document in &accounted.documents {
            let object_ref = |identity: &Identity| ObjectRef {
                api_version: identity.api_version.clone(),
                kind: identity.kind.clone(),
                namespace: identity.namespace.clone(),
                name: identity.name.clone(),
            };
            match document.status {
                DocumentStatus::Evaluated => {
                    let Some(slot) = slots.next() else { break };
                    let Some(file) = files.get(slot.file) else { continue };
                    let range = |start: u32, end: u32| file.lines.range(file.bytes, start, end);
                    let tree = ObjectTree::new(slot.tree);
                    let root = View::root(&tree, slot.node.node, slot.node.pointer.clone(), slot.node.span);
                    let pods = pods_of(&root, &slot.identity.api_version, &slot.identity.kind);
                    pss.objects.push(object_entry(
                        file.name,
                        slot.document,
                        slot.node.item,
                        object_ref(&slot.identity),
                        &pods,
                        (level, version),
                        &range,
                    ));
                }
                DocumentStatus::Skipped if document.kind.is_some() => {
                    let identity = Identity {
                        api_version: document.api_version.clone().unwrap_or_default(),
                        kind: document.kind.clone().unwrap_or_default(),
                        namespace: document.namespace.clone(),
                        name: document.name.clone(),
                        unnamed_in: None,
                    };
                    pss.objects.push(object_entry(
                        &document.file,
                        document.index,
                        document.item,
                        object_ref(&identity),
                        &[],
                        (level, version),
                        &|_, _| document.range,
                    ));
                }
                _ => {}
            }
        }
        pss.errors = accounted.errors;
        pss
    }
}
impl Engine {
    /// The who-can-do-what review of the RBAC objects in `sources` (checklist item 2.5):
    /// per subject, the verbs and resources it may use, in which namespace or cluster-wide,
    /// and the binding and role rule that grant each. Roles that are not in the input are
    /// listed as unknown, never guessed. Like [`Engine::scan`], the result does not depend
    /// on the order of `sources`.
    ///
    /// ```
    /// use kubeward::{Engine, Source};
    /// let rbac = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: reader, namespace: shop}\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: reader, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\nsubjects:\n- {kind: User, name: alice}\n";
    /// let review = Engine::default().rbac_review(&[Source::new("rbac.yaml", rbac.as_bytes())]);
    /// let alice = &review.subjects[0];
    /// assert_eq!((alice.kind.as_str(), alice.name.as_str()), ("User", "alice"));
    /// assert_eq!(alice.grants[0].verbs, ["get"]);
    /// assert_eq!(alice.grants[0].namespace.as_deref(), Some("shop"));
    /// ```
    pub fn rbac_review(&self, sources: &[Source<'_>]) -> RbacReview {
        self.with_objects(sources, review)
    }
}
