//! Accounting: every document of a file is evaluated, skipped with a reason,
//! or an input error with its position; the objects to evaluate come out of it.

use super::read::LoadedFile;
use super::Engine;
use crate::model::object::{identity, objects_of, NotAnObject, ObjectNode};
use crate::model::pod_shape::survey_kind;
use crate::model::{is_known_kind, Identity};
use crate::report::{DocumentEntry, DocumentStatus, InputError, Report};
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
        let parts = self.parallel_map(files.iter().enumerate().collect(), |(file_index, file)| {
            let mut part = Accounted { documents: Vec::new(), errors: Vec::new(), slots: Vec::new() };
            self.account_file(file_index, file, &mut part);
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
    pub(super) fn account_file<'t>(&self, file_index: usize, file: &'t LoadedFile<'_>, part: &mut Accounted<'t>) {
        let Accounted { documents: entries, errors, slots } = part;
        let bytes = file.bytes;
        let name = file.name;
        let range = |start: u32, end: u32| file.lines.range(bytes, start, end);
        let documents = match &file.documents {
            Ok(documents) => documents,
            Err(error) => {
                let at = range(error.offset, error.offset);
                errors.push(InputError {
                    file: name.into(),
                    document: None,
                    range: at,
                    message: error.message.clone(),
                });
                entries.push(document_entry(
                    name,
                    0,
                    None,
                    at,
                    None,
                    None,
                    DocumentStatus::Error,
                    Some(error.message.clone()),
                ));
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
        for document in documents {
            let helm = document.helm_source.clone();
            let tree = match &document.tree {
                Ok(tree) => tree,
                Err(error) => {
                    let at = range(error.offset, error.offset);
                    errors.push(InputError {
                        file: name.into(),
                        document: Some(document.index),
                        range: at,
                        message: error.message.clone(),
                    });
                    entries.push(document_entry(
                        name,
                        document.index,
                        None,
                        range(document.start, document.end),
                        None,
                        helm,
                        DocumentStatus::Error,
                        Some(error.message.clone()),
                    ));
                    continue;
                }
            };
            let objects = match objects_of(tree) {
                Ok(objects) => objects,
                Err(not_an_object) => {
                    let root = tree.raw(tree.root);
                    let at = range(root.start, root.end);
                    let (status, reason) = match not_an_object {
                        NotAnObject::NotAMapping(found) => {
                            let message = format!("document is a {found}, not a Kubernetes object");
                            errors.push(InputError {
                                file: name.into(),
                                document: Some(document.index),
                                range: at,
                                message: message.clone(),
                            });
                            (DocumentStatus::Error, message)
                        }
                        NotAnObject::EmptyList => (DocumentStatus::Skipped, "List has no items".to_string()),
                    };
                    entries.push(document_entry(name, document.index, None, at, None, helm, status, Some(reason)));
                    continue;
                }
            };
            for object in objects {
                let identity = identity(tree, object.node);
                let at = range(object.span.0, object.span.1);
                let (status, reason) = self.classify(tree, &object, &identity);
                if status == DocumentStatus::Error {
                    let message = reason.clone().unwrap_or_default();
                    errors.push(InputError { file: name.into(), document: Some(document.index), range: at, message });
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
                    slots.push(Slot {
                        file: file_index,
                        document: document.index,
                        text: (document.start, document.end),
                        node: object,
                        identity,
                        tree,
                    });
                }
            }
        }
    }

    pub(super) fn classify(
        &self,
        tree: &Tree,
        object: &ObjectNode,
        identity: &Identity,
    ) -> (DocumentStatus, Option<String>) {
        if !tree.is_map(object.node) {
            return (
                DocumentStatus::Error,
                Some(format!("list item is a {}, not a Kubernetes object", tree.type_name(object.node))),
            );
        }
        match (identity.api_version.is_empty(), identity.kind.is_empty()) {
            (true, true) => return (DocumentStatus::Error, Some("object has no apiVersion and no kind".into())),
            (true, false) => return (DocumentStatus::Error, Some("object has no apiVersion".into())),
            (false, true) => return (DocumentStatus::Error, Some("object has no kind".into())),
            _ => {}
        }
        if is_known_kind(&identity.api_version, &identity.kind) {
            return (DocumentStatus::Evaluated, None);
        }
        // Other kinds are checked when they hold something shaped like a pod spec.
        let survey = survey_kind(tree, object.node, &object.pointer, &identity.api_version, &identity.kind);
        if !survey.specs.is_empty() {
            return (DocumentStatus::Evaluated, None);
        }
        let reason = format!("kind {} ({}) is not one kubeward checks", identity.kind, identity.api_version);
        (DocumentStatus::Skipped, Some(survey.hint.map_or(reason.clone(), |hint| format!("{reason}; {hint}"))))
    }
}
