//! Accounting: every document of a file is evaluated, skipped with a reason,
//! or an input error with its position; the objects to evaluate come out of it.

use std::sync::Arc;

use super::layout::{FileRole, Layout};
use super::read::LoadedFile;
use super::Engine;
use crate::inventory::is_cluster_scoped;
use crate::model::object::{identity, objects_of, NotAnObject, ObjectNode};
use crate::model::pod_shape::survey_kind;
use crate::model::recognize::{
    base_name, describe_non_object, directory_of, is_kustomization_file, is_template_document, is_template_file,
    tool_configuration, TEMPLATE_REASON,
};
use crate::model::{is_known_kind, Identity};
use crate::report::{DocumentEntry, DocumentStatus, InputError, Report};
use crate::text::fingerprint128;
use crate::yaml::Tree;

/// An object to evaluate and where it comes from.
pub(super) struct Slot<'t> {
    pub(super) file: usize,
    pub(super) document: usize,
    /// The document's text, as a byte range of the file.
    pub(super) text: (u32, u32),
    pub(super) node: ObjectNode,
    pub(super) identity: Identity,
    pub(super) tree: &'t Tree,
    /// Where the object starts, and a fingerprint of its text, to find its byte-identical copies.
    pub(super) start: crate::Position,
    pub(super) fingerprint: u128,
    /// Its entry among the file's documents.
    pub(super) entry: usize,
}

/// What one file adds to a report: its documents and input errors, and the objects to evaluate.
pub(super) struct Accounted<'t> {
    pub(super) documents: Vec<DocumentEntry>,
    pub(super) errors: Vec<InputError>,
    pub(super) slots: Vec<Slot<'t>>,
}

#[allow(clippy::too_many_arguments)]
pub(super) fn document_entry(
    file: &str,
    index: usize,
    item: Option<usize>,
    range: crate::Range,
    identity: Option<&Identity>,
    helm_source: Option<String>,
    status: DocumentStatus,
    reason: Option<String>,
) -> DocumentEntry {
    let non_empty = |s: &String| if s.is_empty() { None } else { Some(s.clone()) };
    DocumentEntry {
        file: file.into(),
        index,
        item,
        range,
        api_version: identity.and_then(|i| non_empty(&i.api_version)),
        kind: identity.and_then(|i| non_empty(&i.kind)),
        namespace: identity.and_then(|i| i.namespace.clone()),
        name: identity.and_then(|i| i.name.clone()),
        helm_source,
        status,
        reason,
    }
}

/// Line 1, column 1: where an error about a whole file is reported.
pub(super) fn origin() -> crate::Range {
    let start = crate::Position { line: 1, column: 1, offset: 0 };
    crate::Range { start, end: start }
}

impl Engine {
    /// Puts every document of every file in `report`, and returns the objects to evaluate.
    /// Files are accounted for on the engine's threads, and their parts joined in file order.
    pub(super) fn account<'t>(&self, files: &'t [LoadedFile<'_>], report: &mut Report) -> Vec<Slot<'t>> {
        let layout = Layout::of_loaded(files);
        let parts = self.parallel_map(files.iter().enumerate().collect(), |(file_index, file)| {
            let mut part = Accounted { documents: Vec::new(), errors: Vec::new(), slots: Vec::new() };
            self.account_file(file_index, file, layout.role(file_index), &mut part, None);
            part
        });
        report.documents.reserve(parts.iter().map(|part| part.documents.len()).sum());
        let mut slots = Vec::with_capacity(parts.iter().map(|part| part.slots.len()).sum());
        for part in parts {
            report.documents.extend(part.documents);
            report.errors.extend(part.errors);
            slots.extend(part.slots);
        }
        slots
    }

    /// Puts every document of a file in the report, and every object to evaluate in `slots`.
    pub(super) fn account_file<'t>(
        &self,
        file_index: usize,
        file: &'t LoadedFile<'_>,
        role: &FileRole,
        part: &mut Accounted<'t>,
        scene: Option<&super::policies::PolicyScene>,
    ) {
        let Accounted { documents: entries, errors, slots } = part;
        let bytes = file.bytes;
        let name = file.name;
        let range = |start: u32, end: u32| file.lines.range(bytes, start, end);
        let documents = match &file.documents {
            Ok(documents) => documents,
            Err(error) => {
                let at = range(error.offset, error.offset);
                record_unreadable(entries, errors, (name, None), (at, at), None, &error.message);
                return;
            }
        };
        if documents.is_empty() {
            let reason = if bytes.iter().all(u8::is_ascii_whitespace) {
                "file is empty"
            } else {
                "file holds no YAML document (only comments)"
            };
            entries.push(document_entry(
                name,
                0,
                None,
                range(0, bytes.len() as u32),
                None,
                None,
                DocumentStatus::Skipped,
                Some(format!("{reason}: no Kubernetes objects")),
            ));
            return;
        }
        // A whole file can be something other than objects: a template, or a kustomization's input.
        let whole_file = if is_template_file(name, bytes) {
            Some(TEMPLATE_REASON.to_string())
        } else {
            role.input_of.as_ref().map(|(what, by)| {
                format!(
                    "{what} listed by {by}: kustomize's input, not an object on its own (check what kustomize \
                     builds: `kubectl kustomize DIR | kubeward scan -`)"
                )
            })
        };
        let strict = self.config.strict;
        let not_an_object = |document: usize, at, identity: Option<&Identity>, helm, reason: String| {
            document_entry(name, document, None, at, identity, helm, DocumentStatus::Skipped, Some(reason))
        };
        // The directory's unnamed namespace, made once for the file's namespace-less objects.
        let mut unnamed: Option<Arc<str>> = None;
        for document in documents {
            let helm = document.helm_source.clone();
            let text = bytes.get(document.start as usize..document.end as usize).unwrap_or_default();
            let tree = match &document.tree {
                Ok(tree) => tree,
                Err(error) => {
                    let whole = range(document.start, document.end);
                    if let Some(reason) = whole_file
                        .clone()
                        .or_else(|| is_template_document(text, None, bytes).then(|| TEMPLATE_REASON.to_string()))
                    {
                        record_non_object(
                            entries,
                            errors,
                            strict,
                            not_an_object(document.index, whole, None, helm, reason),
                        );
                        continue;
                    }
                    let at = range(error.offset, error.offset);
                    record_unreadable(entries, errors, (name, Some(document.index)), (at, whole), helm, &error.message);
                    continue;
                }
            };
            let root = tree.raw(tree.root);
            let whole = range(root.start, root.end);
            let document_reason = whole_file
                .clone()
                .or_else(|| is_template_document(text, Some(tree), bytes).then(|| TEMPLATE_REASON.to_string()));
            if let Some(reason) = document_reason {
                let identity = tree.is_map(tree.root).then(|| identity(tree, tree.root));
                record_non_object(
                    entries,
                    errors,
                    strict,
                    not_an_object(document.index, whole, identity.as_ref(), helm, reason),
                );
                continue;
            }
            let objects = match objects_of(tree) {
                Ok(objects) => objects,
                Err(NotAnObject::NotAMapping(_)) => {
                    let reason = describe_non_object(name, tree, tree.root);
                    record_non_object(
                        entries,
                        errors,
                        strict,
                        not_an_object(document.index, whole, None, helm, reason),
                    );
                    continue;
                }
                Err(NotAnObject::EmptyList) => {
                    let reason = Some("List has no items".to_string());
                    entries.push(document_entry(
                        name,
                        document.index,
                        None,
                        whole,
                        None,
                        helm,
                        DocumentStatus::Skipped,
                        reason,
                    ));
                    continue;
                }
            };
            for object in objects {
                let mut identity = identity(tree, object.node);
                let at = range(object.span.0, object.span.1);
                let verdict = self.classify(name, tree, &object, &identity);
                let (mut status, mut reason) = match verdict {
                    Verdict::Evaluate => (DocumentStatus::Evaluated, None),
                    Verdict::Skip(reason) => (DocumentStatus::Skipped, Some(reason)),
                    Verdict::NotAnObject(reason) => {
                        let mut entry = not_an_object(document.index, at, Some(&identity), helm.clone(), reason);
                        entry.item = object.item;
                        record_non_object(entries, errors, strict, entry);
                        continue;
                    }
                    Verdict::Error(reason) => {
                        let message = reason.clone();
                        errors.push(InputError {
                            file: name.into(),
                            document: Some(document.index),
                            range: at,
                            message,
                        });
                        (DocumentStatus::Error, Some(reason))
                    }
                };
                // A kind kubeward does not check is evaluated when a custom policy matches it.
                if status == DocumentStatus::Skipped && self.policy_wants(tree, &object, &identity, scene) {
                    (status, reason) = (DocumentStatus::Evaluated, None);
                }
                if status == DocumentStatus::Evaluated
                    && identity.namespace.is_none()
                    && !is_cluster_scoped(&identity.kind)
                {
                    match role.namespace.as_ref().or(self.config.default_namespace.as_ref()) {
                        Some(namespace) => identity.namespace = Some(namespace.clone()),
                        None => {
                            identity.unnamed_in = Some(unnamed.get_or_insert_with(|| directory_of(name).into()).clone())
                        }
                    }
                }
                entries.push(document_entry(
                    name,
                    document.index,
                    object.item,
                    at,
                    Some(&identity),
                    helm.clone(),
                    status,
                    reason,
                ));
                if status == DocumentStatus::Evaluated {
                    let text = bytes.get(object.span.0 as usize..object.span.1 as usize).unwrap_or_default();
                    slots.push(Slot {
                        file: file_index,
                        document: document.index,
                        text: (document.start, document.end),
                        node: object,
                        identity,
                        tree,
                        start: at.start,
                        fingerprint: fingerprint128(text),
                        entry: entries.len() - 1,
                    });
                }
            }
        }
    }

    /// What becomes of one object of a document that was read.
    fn classify(&self, file: &str, tree: &Tree, object: &ObjectNode, identity: &Identity) -> Verdict {
        if !tree.is_map(object.node) {
            return Verdict::Error(format!("list item is a {}, not a Kubernetes object", tree.type_name(object.node)));
        }
        let in_list = object.item.is_some();
        match (identity.api_version.is_empty(), identity.kind.is_empty()) {
            (true, true) if in_list => return Verdict::Error("list item has no apiVersion and no kind".into()),
            (true, true) => return Verdict::NotAnObject(describe_non_object(file, tree, object.node)),
            (true, false) | (false, true) if is_kustomization_file(file) || base_name(file) == "Chart.yaml" => {
                return Verdict::NotAnObject(describe_non_object(file, tree, object.node))
            }
            (true, false) => return Verdict::Error(format!("object has kind {} but no apiVersion", identity.kind)),
            (false, true) => {
                return Verdict::Error(format!("object has apiVersion {} but no kind", identity.api_version))
            }
            _ => {}
        }
        if let Some(what) = tool_configuration(&identity.api_version, &identity.kind) {
            return Verdict::NotAnObject(what.to_string());
        }
        if is_known_kind(&identity.api_version, &identity.kind) {
            return Verdict::Evaluate;
        }
        // Other kinds are checked when they hold something shaped like a pod spec.
        let survey = survey_kind(tree, object.node, &object.pointer, &identity.api_version, &identity.kind);
        if !survey.specs.is_empty() {
            return Verdict::Evaluate;
        }
        let reason = format!("kind {} ({}) is not one kubeward checks", identity.kind, identity.api_version);
        Verdict::Skip(survey.hint.map_or(reason.clone(), |hint| format!("{reason}; {hint}")))
    }
}

/// Records a document that is YAML but not a Kubernetes object: skipped, or
/// an input error when the configuration is strict.
/// A file (`document` `None`) or document that cannot be read: an input error
/// at `at`, and its entry, over `whole`, with the error's message.
fn record_unreadable(
    entries: &mut Vec<DocumentEntry>,
    errors: &mut Vec<InputError>,
    (file, document): (&str, Option<usize>),
    (at, whole): (crate::Range, crate::Range),
    helm_source: Option<String>,
    message: &str,
) {
    errors.push(InputError { file: file.into(), document, range: at, message: message.to_string() });
    let (index, status) = (document.unwrap_or(0), DocumentStatus::Error);
    entries.push(document_entry(file, index, None, whole, None, helm_source, status, Some(message.to_string())));
}

fn record_non_object(
    entries: &mut Vec<DocumentEntry>,
    errors: &mut Vec<InputError>,
    strict: bool,
    mut entry: DocumentEntry,
) {
    if strict {
        entry.status = DocumentStatus::Error;
        let message = entry.reason.clone().unwrap_or_default();
        errors.push(InputError { file: entry.file.clone(), document: Some(entry.index), range: entry.range, message });
    }
    entries.push(entry);
}

/// What becomes of one object.
enum Verdict {
    Evaluate,
    /// A Kubernetes object of a kind kubeward does not check.
    Skip(String),
    /// YAML that is not a Kubernetes object: skipped, or an error when the configuration is strict.
    NotAnObject(String),
    /// Meant as an object, and cannot be one.
    Error(String),
}
