//! Lenient, position-keeping views over a YAML tree.
//!
//! A [`View`] is a place in an object: either a field that is present (its
//! value node and the range from its key to the end of its value) or a field
//! that is missing (the range of the nearest ancestor that exists). Reading a
//! typed value gives a three-state [`Value`]: absent, present, or invalid
//! (written with the wrong type). Invalid reads are recorded once per field so
//! that they become their own finding, while the check that read them goes on.

use std::borrow::Cow;
use std::cell::RefCell;

use crate::text::escape_token;
use crate::yaml::{NodeId, NodeKind, Tree};

/// The JSON Pointer of a view, built only when asked for.
///
/// Checks walk many more fields than they report, so a view keeps its pointer
/// as a chain of reference tokens in its object's [`Paths`] (a step is one
/// entry there, with no allocation of its own and nothing to free), and
/// [`View::pointer`] renders it when a finding needs it.
#[derive(Clone, Copy)]
pub(crate) struct Pointer(u32);

/// The reference tokens of every view of one object: each points to its parent's.
#[derive(Default)]
struct Paths {
    segments: Vec<Segment>,
    /// The text of the prefixes and of keys that are not written in the tree.
    text: String,
}

#[derive(Clone, Copy)]
struct Segment {
    /// The index of the parent segment; [`NO_PARENT`] at an object root.
    parent: u32,
    token: Token,
}

const NO_PARENT: u32 = u32::MAX;

#[derive(Clone, Copy)]
enum Token {
    /// A pointer prefix in [`Paths::text`], already escaped (an object root: `` or `/items/3`).
    Prefix(u32, u32),
    /// A key that is written in the tree: the key node's string.
    Node(NodeId),
    /// A key that is not written, unescaped, in [`Paths::text`].
    Key(u32, u32),
    /// A list index.
    Index(u32),
}

impl Paths {
    fn push(&mut self, parent: u32, token: Token) -> Pointer {
        let index = self.segments.len() as u32;
        self.segments.push(Segment { parent, token });
        Pointer(index)
    }

    /// Keeps `text` and returns its place.
    fn keep(&mut self, text: &str) -> (u32, u32) {
        let offset = self.text.len() as u32;
        self.text.push_str(text);
        (offset, text.len() as u32)
    }

    fn text(&self, (offset, len): (u32, u32)) -> &str {
        self.text.get(offset as usize..(offset + len) as usize).unwrap_or_default()
    }

    fn render(&self, pointer: Pointer, tree: &Tree) -> String {
        // The steps from the root, gathered on the stack while the path is not too deep.
        const ON_STACK: usize = 24;
        let mut shallow = [Token::Index(0); ON_STACK];
        let mut deep: Vec<Token> = Vec::new();
        let mut depth = 0;
        let mut at = pointer.0;
        while let Some(segment) = self.segments.get(at as usize) {
            match shallow.get_mut(depth) {
                Some(slot) => *slot = segment.token,
                None => deep.push(segment.token),
            }
            depth += 1;
            at = segment.parent;
        }
        let steps = || shallow[..depth.min(ON_STACK)].iter().chain(&deep).rev();
        // Sized before it is written: a finding keeps its pointer, so no slack and no second growth.
        let length: usize = steps()
            .map(|token| match *token {
                Token::Prefix(_, len) => len as usize,
                Token::Node(node) => 1 + tree.as_str(node).map_or(0, str::len),
                Token::Key(_, len) => 1 + len as usize,
                Token::Index(index) => 2 + index.checked_ilog10().unwrap_or(0) as usize,
            })
            .sum();
        let mut out = String::with_capacity(length);
        for token in steps() {
            match *token {
                Token::Prefix(offset, len) => out.push_str(self.text((offset, len))),
                Token::Node(node) => {
                    out.push('/');
                    if let NodeKind::Str(key) = &tree.node(node).kind {
                        push_escaped(&mut out, tree.text(*key));
                    }
                }
                Token::Key(offset, len) => {
                    out.push('/');
                    push_escaped(&mut out, self.text((offset, len)));
                }
                Token::Index(index) => {
                    out.push('/');
                    push_index(&mut out, index);
                }
            }
        }
        out
    }
}

/// Appends one reference token, escaped (RFC 6901); most keys need no escaping.
fn push_escaped(out: &mut String, token: &str) {
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        out.push_str(&escape_token(token));
    } else {
        out.push_str(token);
    }
}

/// Appends a list index in decimal (without the formatting machinery: pointers
/// are rendered for every finding).
fn push_index(out: &mut String, index: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    let mut rest = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

impl std::fmt::Debug for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pointer(..)")
    }
}

impl std::fmt::Debug for Paths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Paths({} segments)", self.segments.len())
    }
}

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
    paths: RefCell<Paths>,
}

impl<'a> ObjectTree<'a> {
    pub(crate) fn new(tree: &'a Tree) -> Self {
        let paths = SPARE_PATHS.try_with(std::cell::Cell::take).unwrap_or_default();
        ObjectTree { tree, invalid: RefCell::new(Vec::new()), paths: RefCell::new(paths) }
    }

    fn prefix(&self, prefix: &str) -> Pointer {
        let mut paths = self.paths.borrow_mut();
        let (offset, len) = paths.keep(prefix);
        paths.push(NO_PARENT, Token::Prefix(offset, len))
    }

    fn child(&self, parent: Pointer, token: Token) -> Pointer {
        self.paths.borrow_mut().push(parent.0, token)
    }

    fn key(&self, parent: Pointer, key: &str) -> Pointer {
        let mut paths = self.paths.borrow_mut();
        let (offset, len) = paths.keep(key);
        paths.push(parent.0, Token::Key(offset, len))
    }

    pub(crate) fn take_invalid(&self) -> Vec<InvalidField> {
        std::mem::take(&mut self.invalid.borrow_mut())
    }

    fn record_invalid(&self, view: &View<'_>, expected: &'static str, found: &'static str) {
        self.push_invalid(InvalidField { pointer: view.pointer(), span: view.span, expected, found });
    }

    fn push_invalid(&self, field: InvalidField) {
        let mut invalid = self.invalid.borrow_mut();
        if !invalid.iter().any(|seen| seen.pointer == field.pointer) {
            invalid.push(field);
        }
    }
}

thread_local! {
    /// The buffers of the last object's [`Paths`], emptied, for the next object
    /// on this thread: growing fresh ones for every object cost a copy at each doubling.
    static SPARE_PATHS: std::cell::Cell<Paths> = std::cell::Cell::new(Paths::default());
}

impl Drop for ObjectTree<'_> {
    fn drop(&mut self) {
        let mut paths = std::mem::take(self.paths.get_mut());
        // A thread keeps them only while they are small, so one huge object does not pin its buffers.
        if paths.segments.capacity() <= 1 << 14 && paths.text.capacity() <= 1 << 16 {
            paths.segments.clear();
            paths.text.clear();
            // `try_with`: during a thread's teardown the slot may be gone already.
            let _ = SPARE_PATHS.try_with(|slot| slot.set(paths));
        }
    }
}

/// The value of an integer-or-string field (see [`View::int_or_str`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum IntOrStr<'a> {
    Int(i64),
    Str(&'a str),
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
    /// JSON Pointer of this field within the document (see [`View::pointer`]).
    path: Pointer,
    /// Byte range to report: key through value when present, otherwise the
    /// nearest existing ancestor's.
    pub(crate) span: (u32, u32),
    /// True when the field itself is written (even as null).
    written: bool,
}

impl<'a> View<'a> {
    /// The view of a whole node (an object root or a List item).
    pub(crate) fn root(object: &'a ObjectTree<'a>, node: NodeId, pointer: String, span: (u32, u32)) -> Self {
        let node = if object.tree.is_null(node) { None } else { Some(node) };
        View { object, node, path: object.prefix(&pointer), span, written: true }
    }

    /// The JSON Pointer of this field within the document.
    pub(crate) fn pointer(&self) -> String {
        self.object.paths.borrow().render(self.path, self.object.tree)
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
        let tree = self.tree();
        if let Some(node) = self.node {
            if tree.is_map(node) {
                if let Some(entry) = tree.get(node, key) {
                    let key_node = tree.raw(entry.key);
                    let value_node = tree.raw(entry.value);
                    let span = (key_node.start, value_node.end.max(key_node.end));
                    let value = if tree.is_null(entry.value) { None } else { Some(tree.resolve(entry.value)) };
                    let path = self.object.child(self.path, Token::Node(entry.key));
                    return View { object: self.object, node: value, path, span, written: true };
                }
            } else {
                self.object.record_invalid(self, "mapping", tree.type_name(node));
            }
        }
        View { object: self.object, node: None, path: self.object.key(self.path, key), span: self.span, written: false }
    }

    /// The child field `key` read as missing, without looking it up: for a
    /// field this place does not have under that name (see `Pod::field`).
    pub(crate) fn missing(&self, key: &str) -> View<'a> {
        View { object: self.object, node: None, path: self.object.key(self.path, key), span: self.span, written: false }
    }

    /// The node of this place, when it is written with a non-null value.
    pub(crate) fn node(&self) -> Option<NodeId> {
        self.node
    }

    /// Is `key` written in this mapping (even as null)? Like `get(key).written()`,
    /// without building a view; a non-mapping is not recorded as invalid.
    pub(crate) fn has_key(&self, key: &str) -> bool {
        let tree = self.tree();
        self.node.is_some_and(|node| tree.is_map(node) && tree.get(node, key).is_some())
    }

    /// Follows a `/`-free path of keys.
    pub(crate) fn path(&self, keys: &[&str]) -> View<'a> {
        keys.iter().fold(self.clone(), |view, key| view.get(key))
    }

    /// The items of this list; a non-list value is recorded as invalid.
    pub(crate) fn items(&self) -> Vec<View<'a>> {
        let Some(node) = self.list_node() else {
            return Vec::new();
        };
        let tree = self.tree();
        tree.items(node)
            .iter()
            .zip(tree.item_starts(node))
            .enumerate()
            .map(|(index, (&item, &start))| self.item_view(index, item, start))
            .collect()
    }

    /// This field's node when it is a list; a present non-list value is recorded as invalid.
    fn list_node(&self) -> Option<NodeId> {
        let node = self.node?;
        let tree = self.tree();
        if tree.is_seq(node) {
            Some(node)
        } else {
            self.object.record_invalid(self, "list", tree.type_name(node));
            None
        }
    }

    /// Item `index` of this list, like `items()[index]` without building the others;
    /// absent past the end or when this is not a list (nothing is recorded).
    pub(crate) fn item(&self, index: usize) -> View<'a> {
        let tree = self.tree();
        match self.node {
            Some(node) if tree.is_seq(node) && index < tree.items(node).len() => {
                self.item_view(index, tree.items(node)[index], tree.item_starts(node)[index])
            }
            _ => View {
                object: self.object,
                node: None,
                path: self.object.child(self.path, Token::Index(index as u32)),
                span: self.span,
                written: false,
            },
        }
    }

    /// The view of this list's item number `index`: node `item`, written from byte `start`.
    fn item_view(&self, index: usize, item: NodeId, start: u32) -> View<'a> {
        let tree = self.tree();
        let raw = tree.raw(item);
        View {
            object: self.object,
            node: if tree.is_null(item) { None } else { Some(tree.resolve(item)) },
            path: self.object.child(self.path, Token::Index(index as u32)),
            span: (start, raw.end.max(start)),
            written: true,
        }
    }

    /// The entries of this mapping as (key, value view); a non-mapping is recorded as invalid.
    /// A string key is borrowed from the tree; a number or boolean key is written out.
    pub(crate) fn entries(&self) -> Vec<(Cow<'a, str>, View<'a>)> {
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
                let (key, path) = match &tree.node(entry.key).kind {
                    NodeKind::Str(s) => {
                        (Cow::Borrowed(tree.text(*s)), self.object.child(self.path, Token::Node(entry.key)))
                    }
                    NodeKind::Int(i) => (Cow::Owned(i.to_string()), self.object.key(self.path, &i.to_string())),
                    NodeKind::Bool(b) => (Cow::Owned(b.to_string()), self.object.key(self.path, &b.to_string())),
                    _ => return None,
                };
                let key_node = tree.raw(entry.key);
                let value_node = tree.raw(entry.value);
                let view = View {
                    object: self.object,
                    node: if tree.is_null(entry.value) { None } else { Some(tree.resolve(entry.value)) },
                    path,
                    span: (key_node.start, value_node.end.max(key_node.end)),
                    written: true,
                };
                Some((key, view))
            })
            .collect()
    }

    fn typed<T>(&self, expected: &'static str, read: impl FnOnce(&'a Tree, &'a NodeKind) -> Option<T>) -> Value<T> {
        let Some(node) = self.node else {
            return Value::Absent;
        };
        let tree = self.tree();
        match read(tree, &tree.node(node).kind) {
            Some(value) => Value::Present(value),
            None => {
                self.object.record_invalid(self, expected, self.tree().type_name(node));
                Value::Invalid
            }
        }
    }

    pub(crate) fn bool(&self) -> Value<bool> {
        self.typed("boolean", |_, kind| match kind {
            NodeKind::Bool(b) => Some(*b),
            _ => None,
        })
    }

    pub(crate) fn str(&self) -> Value<&'a str> {
        self.typed("string", |tree, kind| match kind {
            NodeKind::Str(s) => Some(tree.text(*s)),
            _ => None,
        })
    }

    pub(crate) fn int(&self) -> Value<i64> {
        self.typed("integer", |_, kind| match kind {
            NodeKind::Int(i) => Some(*i),
            NodeKind::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        })
    }

    /// An integer-or-string field (`IntOrString` in the API: a port by number
    /// or by name, `maxSurge`): either form is valid, anything else is recorded.
    pub(crate) fn int_or_str(&self) -> Value<IntOrStr<'a>> {
        self.typed("integer or string", |tree, kind| match kind {
            NodeKind::Int(i) => Some(IntOrStr::Int(*i)),
            NodeKind::Str(s) => Some(IntOrStr::Str(tree.text(*s))),
            _ => None,
        })
    }

    /// A string-or-number quantity such as a CPU or memory limit.
    pub(crate) fn quantity(&self) -> Value<String> {
        self.typed("quantity", |tree, kind| match kind {
            NodeKind::Str(s) => Some(tree.text(*s).to_string()),
            NodeKind::Int(i) => Some(i.to_string()),
            NodeKind::Float(f) => Some(f.to_string()),
            _ => None,
        })
    }

    /// The string items of a list of strings (invalid items are recorded and skipped).
    pub(crate) fn strings(&self) -> Vec<(&'a str, View<'a>)> {
        self.items().into_iter().filter_map(|item| item.str().present().map(|s| (s, item))).collect()
    }

    /// Like [`View::strings`], with each string's item index in place of its
    /// view (for lists kept long, whose views are needed only for a finding):
    /// a view is built only for an item that is not a string, to record it.
    pub(crate) fn indexed_strings(&self) -> Vec<(&'a str, u32)> {
        let Some(node) = self.list_node() else {
            return Vec::new();
        };
        let tree = self.tree();
        let items = tree.items(node).iter().zip(tree.item_starts(node)).enumerate();
        items
            .filter_map(|(index, (&item, &start))| {
                let text = match tree.as_str(tree.resolve(item)) {
                    Some(text) => Some(text),
                    None => self.item_view(index, item, start).str().present(),
                };
                text.map(|text| (text, index as u32))
            })
            .collect()
    }

    /// Is this field a mapping (present)?
    pub(crate) fn is_map(&self) -> bool {
        self.node.is_some_and(|node| self.tree().is_map(node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load_documents;

    #[test]
    fn an_invalid_field_is_recorded_once_with_its_first_reading() {
        let documents = load_documents(b"a: [1]\nb: {}\nc: x\n", &crate::Limits::default()).expect("loads");
        let tree = documents[0].tree.as_ref().expect("parses");
        let object_tree = ObjectTree::new(tree);
        let root = View::root(&object_tree, tree.root, String::new(), (0, 0));
        assert_eq!(root.get("a").str(), Value::Invalid);
        assert_eq!(root.get("b").str(), Value::Invalid);
        assert_eq!(root.get("a").int(), Value::Invalid);
        assert_eq!(root.get("c").str(), Value::Present("x"));
        let fields: Vec<(String, &str)> =
            object_tree.take_invalid().into_iter().map(|field| (field.pointer, field.expected)).collect();
        assert_eq!(fields, [("/a".to_string(), "string"), ("/b".to_string(), "string")]);
    }

    #[test]
    fn one_item_is_the_item_of_the_whole_list() {
        let text = b"x: &g get\nverbs:\n- get\n- [x]\n- list\n-\n- *g\nname: n\n";
        let documents = load_documents(text, &crate::Limits::default()).expect("loads");
        let tree = documents[0].tree.as_ref().expect("parses");
        let object_tree = ObjectTree::new(tree);
        let root = View::root(&object_tree, tree.root, String::new(), (0, 0));
        let verbs = root.get("verbs");
        for (index, whole) in verbs.items().iter().enumerate() {
            let one = verbs.item(index);
            assert_eq!((one.pointer(), one.span, one.exists()), (whole.pointer(), whole.span, whole.exists()));
        }
        let past_the_end = verbs.item(5);
        assert_eq!(
            (past_the_end.pointer(), past_the_end.span, past_the_end.exists()),
            ("/verbs/5".to_string(), verbs.span, false)
        );
        assert!(!root.get("name").item(0).exists());
        assert!(object_tree.take_invalid().is_empty(), "reading one item records nothing");
        // Strings by index, aliases resolved; the null item is skipped, the list item and
        // a string read as a list recorded, as `strings` records them.
        assert_eq!(verbs.indexed_strings(), [("get", 0), ("list", 2), ("get", 4)]);
        assert!(root.get("name").indexed_strings().is_empty());
        let fields: Vec<(String, &str)> =
            object_tree.take_invalid().into_iter().map(|field| (field.pointer, field.expected)).collect();
        assert_eq!(fields, [("/verbs/1".to_string(), "string"), ("/name".to_string(), "list")]);
        for pointer in [verbs.item(4).pointer(), verbs.item(12).pointer(), root.path(&["verbs", "x"]).pointer()] {
            assert_eq!(pointer.capacity(), pointer.len(), "{pointer} is sized before it is written");
        }
        let strings: Vec<(&str, String)> = verbs.strings().into_iter().map(|(s, view)| (s, view.pointer())).collect();
        assert_eq!(
            strings,
            [("get", "/verbs/0".to_string()), ("list", "/verbs/2".to_string()), ("get", "/verbs/4".to_string())]
        );
    }
}
