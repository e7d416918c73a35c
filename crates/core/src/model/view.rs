//! Lenient, position-keeping views over a YAML tree.
//!
//! A [`View`] is a place in an object: either a field that is present (its
//! value node and the range from its key to the end of its value) or a field
//! that is missing (the range of the nearest ancestor that exists). Reading a
//! typed value gives a three-state [`Value`]: absent, present, or invalid
//! (written with the wrong type). Invalid reads are recorded once per field so
//! that they become their own finding, while the check that read them goes on.

use std::cell::RefCell;

use crate::yaml::{NodeId, NodeKind, Tree};

/// A field written with a type Kubernetes would not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvalidField {
    pub pointer: String,
    pub span: (u32, u32),
    pub expected: &'static str,
    pub found: &'static str,
}

/// What the views of one object share: the tree and the invalid reads seen so far.
#[derive(Debug)]
pub(crate) struct ObjectTree<'a> {
    pub tree: &'a Tree,
    invalid: RefCell<Vec<InvalidField>>,
}

impl<'a> ObjectTree<'a> {
    pub(crate) fn new(tree: &'a Tree) -> Self {
        ObjectTree { tree, invalid: RefCell::new(Vec::new()) }
    }

    pub(crate) fn take_invalid(&self) -> Vec<InvalidField> {
        std::mem::take(&mut self.invalid.borrow_mut())
    }

    fn record_invalid(&self, view: &View<'_>, expected: &'static str, found: &'static str) {
        let mut invalid = self.invalid.borrow_mut();
        if !invalid.iter().any(|seen| seen.pointer == view.pointer) {
            invalid.push(InvalidField { pointer: view.pointer.clone(), span: view.span, expected, found });
        }
    }
}

/// A typed read of a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Value<T> {
    /// Not written, or written as `null`.
    Absent,
    /// Written with the expected type.
    Present(T),
    /// Written with another type (recorded as an invalid-field finding).
    Invalid,
}

impl<T> Value<T> {
    pub(crate) fn present(self) -> Option<T> {
        match self {
            Value::Present(value) => Some(value),
            _ => None,
        }
    }

    pub(crate) fn is_absent(&self) -> bool {
        matches!(self, Value::Absent)
    }
}

/// A place in an object, present or missing.
#[derive(Debug, Clone)]
pub(crate) struct View<'a> {
    pub(crate) object: &'a ObjectTree<'a>,
    /// The value node, when the field is present and not null.
    node: Option<NodeId>,
    /// JSON Pointer of this field within the document.
    pub(crate) pointer: String,
    /// Byte range to report: key through value when present, otherwise the
    /// nearest existing ancestor's.
    pub(crate) span: (u32, u32),
    /// True when the field itself is written (even as null).
    written: bool,
}

/// Escapes one JSON Pointer reference token (RFC 6901).
pub(crate) fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

impl<'a> View<'a> {
    /// The view of a whole node (an object root or a List item).
    pub(crate) fn root(object: &'a ObjectTree<'a>, node: NodeId, pointer: String, span: (u32, u32)) -> Self {
        let node = if object.tree.is_null(node) { None } else { Some(node) };
        View { object, node, pointer, span, written: true }
    }

    pub(crate) fn tree(&self) -> &'a Tree {
        self.object.tree
    }

    /// Is the field written with a non-null value?
    pub(crate) fn exists(&self) -> bool {
        self.node.is_some()
    }

    /// Is the key written at all (possibly with a null value)?
    pub(crate) fn written(&self) -> bool {
        self.written
    }

    /// The child field `key` of this mapping.
    pub(crate) fn get(&self, key: &str) -> View<'a> {
        let pointer = format!("{}/{}", self.pointer, escape_token(key));
        let tree = self.tree();
        if let Some(node) = self.node {
            if tree.is_map(node) {
                if let Some(entry) = tree.get(node, key) {
                    let key_node = tree.raw(entry.key);
                    let value_node = tree.raw(entry.value);
                    let span = (key_node.start, value_node.end.max(key_node.end));
                    let value = if tree.is_null(entry.value) { None } else { Some(tree.resolve(entry.value)) };
                    return View { object: self.object, node: value, pointer, span, written: true };
                }
            } else {
                self.object.record_invalid(self, "mapping", tree.type_name(node));
            }
        }
        View { object: self.object, node: None, pointer, span: self.span, written: false }
    }

    /// Follows a `/`-free path of keys.
    pub(crate) fn path(&self, keys: &[&str]) -> View<'a> {
        keys.iter().fold(self.clone(), |view, key| view.get(key))
    }

    /// The items of this list; a non-list value is recorded as invalid.
    pub(crate) fn items(&self) -> Vec<View<'a>> {
        let Some(node) = self.node else {
            return Vec::new();
        };
        let tree = self.tree();
        if !tree.is_seq(node) {
            self.object.record_invalid(self, "list", tree.type_name(node));
            return Vec::new();
        }
        tree.items(node)
            .iter()
            .zip(tree.item_starts(node))
            .enumerate()
            .map(|(index, (&item, &start))| {
                let raw = tree.raw(item);
                View {
                    object: self.object,
                    node: if tree.is_null(item) { None } else { Some(tree.resolve(item)) },
                    pointer: format!("{}/{}", self.pointer, index),
                    span: (start, raw.end.max(start)),
                    written: true,
                }
            })
            .collect()
    }

    /// The entries of this mapping as (key, value view); a non-mapping is recorded as invalid.
    pub(crate) fn entries(&self) -> Vec<(String, View<'a>)> {
        let Some(node) = self.node else {
            return Vec::new();
        };
        let tree = self.tree();
        if !tree.is_map(node) {
            self.object.record_invalid(self, "mapping", tree.type_name(node));
            return Vec::new();
        }
        tree.merged_entries(node)
            .into_iter()
            .filter_map(|entry| {
                let key = match &tree.node(entry.key).kind {
                    NodeKind::Str(s) => s.to_string(),
                    NodeKind::Int(i) => i.to_string(),
                    NodeKind::Bool(b) => b.to_string(),
                    _ => return None,
                };
                let key_node = tree.raw(entry.key);
                let value_node = tree.raw(entry.value);
                let view = View {
                    object: self.object,
                    node: if tree.is_null(entry.value) { None } else { Some(tree.resolve(entry.value)) },
                    pointer: format!("{}/{}", self.pointer, escape_token(&key)),
                    span: (key_node.start, value_node.end.max(key_node.end)),
                    written: true,
                };
                Some((key, view))
            })
            .collect()
    }

    fn typed<T>(&self, expected: &'static str, read: impl FnOnce(&'a NodeKind) -> Option<T>) -> Value<T> {
        let Some(node) = self.node else {
            return Value::Absent;
        };
        match read(&self.tree().node(node).kind) {
            Some(value) => Value::Present(value),
            None => {
                self.object.record_invalid(self, expected, self.tree().type_name(node));
                Value::Invalid
            }
        }
    }

    pub(crate) fn bool(&self) -> Value<bool> {
        self.typed("boolean", |kind| match kind {
            NodeKind::Bool(b) => Some(*b),
            _ => None,
        })
    }

    pub(crate) fn str(&self) -> Value<&'a str> {
        self.typed("string", |kind| match kind {
            NodeKind::Str(s) => Some(&**s),
            _ => None,
        })
    }

    pub(crate) fn int(&self) -> Value<i64> {
        self.typed("integer", |kind| match kind {
            NodeKind::Int(i) => Some(*i),
            NodeKind::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        })
    }

    /// A string-or-number quantity such as a CPU or memory limit.
    pub(crate) fn quantity(&self) -> Value<String> {
        self.typed("quantity", |kind| match kind {
            NodeKind::Str(s) => Some(s.to_string()),
            NodeKind::Int(i) => Some(i.to_string()),
            NodeKind::Float(f) => Some(f.to_string()),
            _ => None,
        })
    }

    /// The string items of a list of strings (invalid items are recorded and skipped).
    pub(crate) fn strings(&self) -> Vec<(&'a str, View<'a>)> {
        self.items().into_iter().filter_map(|item| item.str().present().map(|s| (s, item))).collect()
    }

    /// Is this field a mapping (present)?
    pub(crate) fn is_map(&self) -> bool {
        self.node.is_some_and(|node| self.tree().is_map(node))
    }
}
