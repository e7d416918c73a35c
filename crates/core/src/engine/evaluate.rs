//! Evaluating: each object's own checks (per object and per pod), the
//! structure findings of its tree, and its summary for the cross-object checks.

use std::borrow::Cow;
use std::sync::Arc;

use super::account::{origin, Accounted, Slot};
use super::foresight::Foreseen;
use super::read::LoadedFile;
use super::suppress::{read_inline_ignores, InlineIgnore};
use super::Engine;
use super::Source;
use crate::checks::{self, ObjectContext, PodContext, RawFinding, Run, Sink};
use crate::inventory::summary::{self, PssJudgement};
use crate::model::object::ObjectNode;
use crate::model::view::{ObjectTree, View};
use crate::model::{Identity, Object};
use crate::position::LineIndex;
use crate::report::{DocumentEntry, InputError};
use crate::yaml::Tree;

/// Everything learnt about one object while scanning, before positions are resolved.
#[derive(Clone)]
pub(super) struct Evaluated {
    pub(super) file: usize,
    pub(super) document: usize,
    /// The document's text, as a byte range of the file (to read it again).
    pub(super) text: (u32, u32),
    pub(super) item: Option<usize>,
    pub(super) identity: Identity,
    pub(super) findings: Vec<RawFinding>,
    /// What the custom policies found.
    pub(super) violations: Vec<crate::policy::Violation>,
    pub(super) ignores: Vec<InlineIgnore>,
    /// Where the object starts in its file.
    pub(super) start: crate::Position,
    /// A fingerprint of the object's text, and its entry among the file's documents.
    pub(super) fingerprint: u128,
    pub(super) entry: usize,
    /// Byte-identical copies of the object elsewhere, checked here instead.
    pub(super) copies: Vec<Copy>,
}

/// A byte-identical copy of an evaluated object.
#[derive(Clone)]
pub(super) struct Copy {
    pub(super) file: usize,
    pub(super) document: usize,
    pub(super) item: Option<usize>,
    pub(super) start: crate::Position,
}

/// One file after its objects have been checked: its name, what a later scan
/// of the same bytes can share ([`FileBody`]), and the trees the set checks read.
pub(super) struct ScannedFile<'n> {
    pub(super) name: &'n str,
    pub(super) body: Arc<FileBody>,
    /// Per object of the body, its tree (an index into `kept_trees`) and node
    /// when it is kept; empty when no object is.
    pub(super) kept: Vec<Option<(usize, ObjectNode)>>,
    pub(super) kept_trees: Vec<Tree>,
}

/// What a file's scan learnt that depends on its bytes alone (and on the
/// foresight it ran under): shared, not copied, by a scan that reuses it.
#[derive(Clone)]
pub(super) struct FileBody {
    /// The line table, for positions.
    pub(super) lines: LineIndex,
    /// For a file read on demand, a fingerprint of its bytes, to tell whether it
    /// changed before it was read again.
    pub(super) fingerprint: Option<u64>,
    pub(super) documents: Vec<DocumentEntry>,
    pub(super) errors: Vec<InputError>,
    pub(super) objects: Vec<CheckedObject>,
}

impl<'n> ScannedFile<'n> {
    /// A file that could not be read: an input error, and nothing else.
    pub(super) fn unreadable(name: &'n str, message: String) -> Self {
        ScannedFile {
            name,
            body: Arc::new(FileBody {
                lines: LineIndex::new(&[]),
                fingerprint: None,
                documents: Vec::new(),
                errors: vec![InputError { file: name.into(), document: None, range: origin(), message }],
                objects: Vec::new(),
            }),
            kept: Vec::new(),
            kept_trees: Vec::new(),
        }
    }

    /// Does the file keep trees for the set checks (so that it cannot be reused)?
    pub(super) fn keeps_trees(&self) -> bool {
        !self.kept_trees.is_empty() || self.kept.iter().any(Option::is_some)
    }
}

/// What a scan keeps of a file to place its findings: its name and line table,
/// and, for a file read on demand, a fingerprint to tell whether it changed
/// before it was read again.
pub(super) struct FileLines<'n> {
    pub(super) name: &'n str,
    pub(super) lines: Cow<'n, LineIndex>,
    pub(super) fingerprint: Option<u64>,
}

/// One object after its own checks: what they found, and its summary.
#[derive(Clone)]
pub(super) struct CheckedObject {
    pub(super) evaluated: Evaluated,
    pub(super) summary: summary::Summary,
}

impl Engine {
    /// Reads one file, checks each of its objects and summarizes it, and keeps
    /// the trees of the documents the set checks read in full. With fewer files
    /// than threads, the objects of the file are checked on the engine's threads.
    pub(super) fn scan_file<'n>(
        &self,
        index: usize,
        (name, bytes): (&'n str, &[u8]),
        files: usize,
        foreseen: &Foreseen,
        fingerprint: Option<u64>,
    ) -> ScannedFile<'n> {
        let mut file = self.load_file(&Source::new(name, bytes));
        let mut part = Accounted { documents: Vec::new(), errors: Vec::new(), slots: Vec::new() };
        self.account_file(index, &file, foreseen.layout.role(index), &mut part, foreseen.scene.as_ref());
        let Accounted { documents, errors, slots } = part;
        let check = |slot: Slot<'_>| {
            let object_tree = ObjectTree::new(slot.tree);
            let object = self.model(&slot.node, slot.identity, &object_tree, file.name);
            let components = crate::inventory::components::components_of(&object);
            let mut findings = self.evaluate(&object);
            let mut summary = summary::Summary::of(&object, components);
            if let Some(&(level, version)) = foreseen.enforcement.get(object.identity.namespace_key().as_ref()) {
                for (summary, pod) in summary.pods.iter_mut().zip(&object.pods) {
                    summary.pss = Some(PssJudgement {
                        at: (level, version),
                        finding: checks::pod::pss_namespace_enforcement::judge(&object, pod, level, version),
                    });
                }
            }
            let ignores = read_inline_ignores(&object);
            let violations = self.evaluate_policies(slot.tree, &slot.node, &object.identity, foreseen.scene.as_ref());
            drop(object);
            findings.extend(checks::structure::invalid_fields(&object_tree));
            findings.extend(checks::structure::duplicate_keys(
                slot.tree,
                slot.node.node,
                &slot.node.pointer,
                slot.node.span,
            ));
            // Kept until the end of the scan: without the slack of its growth.
            let findings = if findings.capacity() > findings.len() {
                let mut exact = Vec::with_capacity(findings.len());
                exact.extend(findings);
                exact
            } else {
                findings
            };
            let evaluated = Evaluated {
                file: index,
                document: slot.document,
                text: slot.text,
                item: slot.node.item,
                identity: Identity::default(),
                findings,
                violations,
                ignores,
                start: slot.start,
                fingerprint: slot.fingerprint,
                entry: slot.entry,
                copies: Vec::new(),
            };
            let kept = summary::read_in_full(&summary.identity).then_some((slot.document, slot.node));
            (CheckedObject { evaluated, summary }, kept)
        };
        let checked: Vec<_> = if files < self.threads && slots.len() > 1 {
            self.parallel_map(slots, check)
        } else {
            slots.into_iter().map(check).collect()
        };
        // The documents to keep, and where each kept object's tree lands among them.
        let mut kept_trees = Vec::new();
        let mut tree_of_document: Vec<Option<usize>> = Vec::new();
        if let Ok(loaded) = &mut file.documents {
            let mut wanted = vec![false; loaded.len()];
            for (document, _) in checked.iter().filter_map(|(_, kept)| kept.as_ref()) {
                if let Some(flag) = wanted.get_mut(*document) {
                    *flag = true;
                }
            }
            tree_of_document = vec![None; loaded.len()];
            for document in std::mem::take(loaded) {
                if let (Some(true), Ok(tree)) = (wanted.get(document.index).copied(), document.tree) {
                    tree_of_document[document.index] = Some(kept_trees.len());
                    kept_trees.push(tree);
                }
            }
        }
        let mut objects = Vec::with_capacity(checked.len());
        let mut kept = Vec::new();
        for (index, (object, kept_node)) in checked.into_iter().enumerate() {
            objects.push(object);
            let Some((tree, node)) =
                kept_node.and_then(|(document, node)| Some((tree_of_document.get(document).copied().flatten()?, node)))
            else {
                continue;
            };
            kept.resize_with(index, || None);
            kept.push(Some((tree, node)));
        }
        if !kept.is_empty() {
            kept.resize_with(objects.len(), || None);
        }
        let body = FileBody { lines: file.lines, fingerprint, documents, errors, objects };
        ScannedFile { name, body: Arc::new(body), kept, kept_trees }
    }

    /// Runs the per-object and per-pod checks on one object.
    pub(super) fn evaluate(&self, object: &Object<'_>) -> Vec<RawFinding> {
        let mut findings = Vec::new();
        for &(check, enabled, _) in &self.active {
            if !enabled {
                continue;
            }
            let mut sink = Sink::new(&check.meta);
            match check.run {
                Run::Object(run) => run(&ObjectContext { object, config: &self.config }, &mut sink),
                Run::Pod(run) => {
                    for pod in &object.pods {
                        run(&PodContext { object, pod, config: &self.config }, &mut sink);
                    }
                }
                Run::Set(_) => {}
            }
            findings.extend(sink.findings);
        }
        findings
    }

    /// The model of every evaluated object.
    pub(super) fn objects<'a>(
        &self,
        slots: &[Slot<'a>],
        trees: &'a [ObjectTree<'a>],
        files: &[LoadedFile<'a>],
    ) -> Vec<Object<'a>> {
        slots.iter().zip(trees).map(|(slot, object_tree)| self.object(slot, object_tree, files)).collect()
    }

    /// The model of one evaluated object, read through `object_tree`.
    pub(super) fn object<'a>(
        &self,
        slot: &Slot<'_>,
        object_tree: &'a ObjectTree<'a>,
        files: &[LoadedFile<'a>],
    ) -> Object<'a> {
        let file = files.get(slot.file).map_or("", |file| file.name);
        self.model(&slot.node, slot.identity.clone(), object_tree, file)
    }

    /// The model of the object at `node`, read through `object_tree`.
    pub(super) fn model<'a>(
        &self,
        node: &ObjectNode,
        identity: Identity,
        object_tree: &'a ObjectTree<'a>,
        file: &'a str,
    ) -> Object<'a> {
        let root = View::root(object_tree, node.node, node.pointer.clone(), node.span);
        let production = self.is_production(&identity);
        Object::new(root, identity, production, file)
    }

    /// Does the object belong to a production namespace? A Namespace object is judged by its own name.
    pub(super) fn is_production(&self, identity: &Identity) -> bool {
        let namespace = if identity.kind == "Namespace" && identity.api_version == "v1" {
            identity.name.as_deref()
        } else {
            identity.namespace.as_deref()
        };
        self.config.production.is_production(namespace)
    }
}
