//! Kubernetes objects found in documents: identity, and `kind: List` flattening.

use crate::yaml::{NodeId, Tree};

/// How an object is identified in the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(crate) struct Identity {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// For a namespaced object that names no namespace and is given none (by
    /// the kustomization that lists it, or by the configuration): the directory
    /// whose unnamed namespace it belongs to. Objects of different directories
    /// are never taken to share a namespace.
    pub unnamed_in: Option<std::sync::Arc<str>>,
}

impl Identity {
    /// The API group (`""` for the core group, `apps`, `kyverno.io`).
    pub(crate) fn group(&self) -> &str {
        self.api_version.rsplit_once('/').map_or("", |(group, _)| group)
    }

    /// The namespace the cross-object checks group the object in: its name, or
    /// for an unnamed namespace `(DIRECTORY/)`, which no namespace name can be.
    pub(crate) fn namespace_key(&self) -> std::borrow::Cow<'_, str> {
        match (&self.namespace, &self.unnamed_in) {
            (Some(namespace), _) => namespace.as_str().into(),
            (None, Some(directory)) => unnamed_namespace_key(directory).into(),
            (None, None) => "default".into(),
        }
    }

    /// `Deployment "web"`, for messages.
    pub(crate) fn label(&self) -> String {
        match &self.name {
            Some(name) => format!("{} \"{}\"", self.kind, name),
            None => self.kind.clone(),
        }
    }

    /// Is this the kind `kind` of the API group `group`, in any version?
    pub(crate) fn is(&self, group: &str, kind: &str) -> bool {
        self.kind == kind && self.group() == group
    }
}

/// The key of the unnamed namespace of a directory (see [`Identity::namespace_key`]).
pub(crate) fn unnamed_namespace_key(directory: &str) -> String {
    format!("({directory}/)")
}

/// How a message names a namespace: `namespace "shop"`, or `the unnamed
/// namespace of DIR/` for the objects of a directory that name none.
pub(crate) fn namespace_phrase(key: &str) -> String {
    match key.strip_prefix('(').and_then(|rest| rest.strip_suffix(')')) {
        Some("/") => "the unnamed namespace of the top folder".to_string(),
        Some(directory) => format!("the unnamed namespace of {directory}"),
        None => format!("namespace \"{key}\""),
    }
}

/// `Kind "namespace/name"` for a namespaced object in messages, or
/// `Kind "name" (in the unnamed namespace of DIR/)`.
pub(crate) fn namespaced_label(kind: &str, namespace: &str, name: &str) -> String {
    if is_unnamed_namespace(namespace) {
        format!("{kind} \"{name}\" (in {})", namespace_phrase(namespace))
    } else {
        format!("{kind} \"{namespace}/{name}\"")
    }
}

/// Is a namespace key that of an unnamed namespace?
pub(crate) fn is_unnamed_namespace(key: &str) -> bool {
    key.starts_with('(')
}

/// One object of a document: the document's root, or an item of a `List`.
#[derive(Debug, Clone)]
pub(crate) struct ObjectNode {
    pub node: NodeId,
    /// JSON Pointer of the object within its document (`""` or `/items/N`).
    pub pointer: String,
    /// Byte range of the object as written.
    pub span: (u32, u32),
    /// Index of the item, when the object comes from a `List`.
    pub item: Option<usize>,
}

/// Why a document (or List item) holds no object to evaluate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotAnObject {
    /// The document is a scalar or a sequence.
    NotAMapping(&'static str),
    /// A `List` with no items.
    EmptyList,
}

fn string_at(tree: &Tree, map: NodeId, key: &str) -> Option<String> {
    tree.get(map, key).and_then(|entry| tree.as_str(entry.value)).map(str::to_string)
}

/// Reads `apiVersion`, `kind`, `metadata.name` and `metadata.namespace`.
pub(crate) fn identity(tree: &Tree, node: NodeId) -> Identity {
    let metadata = tree.get(node, "metadata").map(|entry| entry.value);
    Identity {
        api_version: string_at(tree, node, "apiVersion").unwrap_or_default(),
        kind: string_at(tree, node, "kind").unwrap_or_default(),
        namespace: metadata.and_then(|m| string_at(tree, m, "namespace")),
        name: metadata.and_then(|m| {
            string_at(tree, m, "name").or_else(|| string_at(tree, m, "generateName").map(|g| format!("{g}*")))
        }),
        unnamed_in: None,
    }
}

/// The objects of one document: the root, or the items of a `kind: List`
/// (any kind ending in `List` with an `items` sequence, as kubectl prints them).
pub(crate) fn objects_of(tree: &Tree) -> Result<Vec<ObjectNode>, NotAnObject> {
    let root = tree.root;
    let root_node = tree.raw(root);
    if !tree.is_map(root) {
        return Err(NotAnObject::NotAMapping(tree.type_name(root)));
    }
    let kind = string_at(tree, root, "kind").unwrap_or_default();
    let items = tree.get(root, "items").map(|entry| entry.value);
    let is_list = kind.ends_with("List") && items.is_some_and(|items| tree.is_seq(items) || tree.is_null(items));
    if !is_list {
        return Ok(vec![ObjectNode {
            node: root,
            pointer: String::new(),
            span: (root_node.start, root_node.end),
            item: None,
        }]);
    }
    let items = items.unwrap_or(root);
    let starts = tree.item_starts(items);
    let objects: Vec<ObjectNode> = tree
        .items(items)
        .iter()
        .zip(starts)
        .enumerate()
        .map(|(index, (&item, &start))| ObjectNode {
            node: tree.resolve(item),
            pointer: format!("/items/{index}"),
            span: (start, tree.raw(item).end.max(start)),
            item: Some(index),
        })
        .collect();
    if objects.is_empty() {
        return Err(NotAnObject::EmptyList);
    }
    Ok(objects)
}
