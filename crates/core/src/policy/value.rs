//! YAML trees as CEL values.
//!
//! An object is converted as written: scalars as Kubernetes' YAML reading
//! resolves them, mapping keys as strings, aliases and merge keys expanded
//! (within bounds), no defaulting. Strings are borrowed from the tree for the
//! object being scanned, and copied for the objects kept across the scan
//! (namespaces and parameters).

use std::collections::HashMap;
use std::sync::Arc;

use cel::common::traits::{Adder, Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, Type};
use cel::common::value::{Builtin, BuiltinRef, Val};

use crate::yaml::{NodeId, NodeKind, Tree};

/// How deep a converted value may nest (aliases can nest a tree deeper than
/// its text).
const MAX_DEPTH: u32 = 256;

/// Most nodes one conversion may produce (aliases can repeat a node many times).
pub(crate) const MAX_NODES: usize = 1_000_000;

/// Why an object could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooLarge;

/// The text of a key scalar, as the API server reads it (JSON keys are strings).
pub(crate) fn key_text(tree: &Tree, key: NodeId) -> String {
    match &tree.node(key).kind {
        NodeKind::Str(text) => tree.text(*text).to_string(),
        NodeKind::Int(value) => value.to_string(),
        NodeKind::Float(value) => value.to_string(),
        NodeKind::Bool(value) => value.to_string(),
        NodeKind::Null => "null".to_string(),
        _ => String::new(),
    }
}

struct Converter<'t, F, K> {
    tree: &'t Tree,
    nodes: usize,
    string: F,
    key: K,
}

impl<'t, 'o, F, K> Converter<'t, F, K>
where
    F: Fn(&'t str) -> CelString<'o>,
    K: Fn(&'t str) -> CelMapKey<'o>,
{
    fn convert(&mut self, node: NodeId, depth: u32) -> Result<Box<dyn Val + 'o>, TooLarge> {
        self.nodes += 1;
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err(TooLarge);
        }
        let tree = self.tree;
        Ok(match &tree.node(node).kind {
            NodeKind::Null => Box::new(CelNull),
            NodeKind::Bool(value) => Box::new(CelBool::from(*value)),
            NodeKind::Int(value) => Box::new(CelInt::from(*value)),
            NodeKind::Float(value) => Box::new(CelDouble::from(*value)),
            NodeKind::Str(text) => Box::new((self.string)(tree.text(*text))),
            NodeKind::Seq { .. } => {
                let items = tree.items(node);
                let mut list = Vec::with_capacity(items.len());
                for &item in items {
                    list.push(self.convert(item, depth + 1)?);
                }
                Box::new(Shared::List(Arc::new(CelList::from(list))))
            }
            NodeKind::Map { .. } => {
                let entries = tree.merged_entries(node);
                let mut map: HashMap<CelMapKey<'o>, Box<dyn Val + 'o>> = HashMap::with_capacity(entries.len());
                for entry in entries {
                    let key: CelMapKey<'o> = match &tree.node(entry.key).kind {
                        NodeKind::Str(text) => (self.key)(tree.text(*text)),
                        _ => CelMapKey::from(key_text(tree, entry.key)),
                    };
                    let value = self.convert(entry.value, depth + 1)?;
                    map.insert(key, value);
                }
                Box::new(Shared::Map(Arc::new(CelMap::from(map))))
            }
            NodeKind::Alias(_) => Box::new(CelNull),
        })
    }
}

/// `node` as a CEL value borrowing the tree's strings, its lists and maps
/// converted as they are read.
pub(crate) fn borrowed(tree: &Tree, node: NodeId) -> Box<dyn Val + '_> {
    lazy(tree, node, 0)
}

/// `node` as a CEL value of its own.
pub(crate) fn owned(tree: &Tree, node: NodeId) -> Result<Box<dyn Val + 'static>, TooLarge> {
    let string = |text: &str| CelString::from(text.to_string());
    let key = |text: &str| CelMapKey::from(text.to_string());
    Converter { tree, nodes: 0, string, key }.convert(node, 0)
}

/// A list or map of an object, shared rather than copied: cel-rust copies each
/// element a comprehension visits, and the elements of objects are large (a
/// container, a rule). It stands for the built-in list or map it holds (it
/// hands it out as that built-in), so functions and equality treat it as one.
#[derive(Debug, Clone)]
pub(crate) enum Shared<'v> {
    List(Arc<CelList<'v>>),
    Map(Arc<CelMap<'v>>),
    /// A list or map of the tree, converted one level at a time when first read:
    /// a policy reads a few fields of an object, not all of them.
    Node(Arc<Lazy<'v>>),
}

/// A list or map node of a tree, and its conversion once made.
pub(crate) struct Lazy<'t> {
    tree: &'t Tree,
    node: NodeId,
    depth: u32,
    built: std::sync::OnceLock<Built<'t>>,
}

impl std::fmt::Debug for Lazy<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "node {}", self.node)
    }
}

/// A lazily converted node's value.
enum Built<'t> {
    List(CelList<'t>),
    Map(CelMap<'t>),
}

/// `node` as a value whose lists and maps convert when first read; a scalar at once.
fn lazy(tree: &Tree, node: NodeId, depth: u32) -> Box<dyn Val + '_> {
    match &tree.node(node).kind {
        NodeKind::Seq { .. } | NodeKind::Map { .. } if depth <= MAX_DEPTH => {
            Box::new(Shared::Node(Arc::new(Lazy { tree, node, depth, built: std::sync::OnceLock::new() })))
        }
        NodeKind::Seq { .. } | NodeKind::Map { .. } => Box::new(CelNull),
        NodeKind::Null | NodeKind::Alias(_) => Box::new(CelNull),
        NodeKind::Bool(value) => Box::new(CelBool::from(*value)),
        NodeKind::Int(value) => Box::new(CelInt::from(*value)),
        NodeKind::Float(value) => Box::new(CelDouble::from(*value)),
        NodeKind::Str(text) => Box::new(CelString::from(tree.text(*text))),
    }
}

impl<'t> Lazy<'t> {
    fn built(&self) -> &Built<'t> {
        self.built.get_or_init(|| {
            let tree = self.tree;
            if tree.is_seq(self.node) {
                let list =
                    tree.items(self.node).iter().map(|&item| lazy(tree, item, self.depth + 1)).collect::<Vec<_>>();
                return Built::List(CelList::from(list));
            }
            let entries = tree.merged_entries(self.node);
            let mut map: HashMap<CelMapKey<'t>, Box<dyn Val + 't>> = HashMap::with_capacity(entries.len());
            for entry in entries {
                let key = match &tree.node(entry.key).kind {
                    NodeKind::Str(text) => CelMapKey::from(tree.text(*text)),
                    _ => CelMapKey::from(key_text(tree, entry.key)),
                };
                map.insert(key, lazy(tree, entry.value, self.depth + 1));
            }
            Built::Map(CelMap::from(map))
        })
    }
}

impl<'v> Shared<'v> {
    /// The built-in list or map this stands for.
    fn inner_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
    where
        Self: 'w,
    {
        match self {
            Shared::List(list) => BuiltinRef::List(list),
            Shared::Map(map) => BuiltinRef::Map(map),
            Shared::Node(node) => match node.built() {
                Built::List(list) => BuiltinRef::List(list),
                Built::Map(map) => BuiltinRef::Map(map),
            },
        }
    }
}

/// What a [`Shared`] value answers to [`Val::as_any`], so that size checks
/// can tell it apart (it is not `'static`, so it cannot answer with itself).
struct SharedMarker;

/// Is `value` a list or map of an object (shared, never copied whole)?
pub(crate) fn is_shared(value: &dyn Val) -> bool {
    value.as_any().is_some_and(|any| any.is::<SharedMarker>())
}

impl<'v> Shared<'v> {
    fn inner(&self) -> &(dyn Val + 'v) {
        match self {
            Shared::List(list) => list.as_ref(),
            Shared::Map(map) => map.as_ref(),
            Shared::Node(node) => match node.built() {
                Built::List(list) => list,
                Built::Map(map) => map,
            },
        }
    }
}

impl<'v> Val for Shared<'v> {
    fn get_type(&self) -> &Type {
        self.inner().get_type()
    }

    fn cel_type() -> &'static Type
    where
        Self: Sized,
    {
        &cel::common::types::DYN_TYPE
    }

    fn as_adder<'b, 'w>(&'b self) -> Option<&'b (dyn Adder + 'w)>
    where
        Self: 'w,
    {
        match self.inner_builtin() {
            BuiltinRef::List(list) => list.as_adder(),
            BuiltinRef::Map(map) => map.as_adder(),
            _ => None,
        }
    }

    fn as_container(&self) -> Option<&dyn Container> {
        self.inner().as_container()
    }

    fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
    where
        Self: 'w,
    {
        match self.inner_builtin() {
            BuiltinRef::List(list) => list.as_indexer(),
            BuiltinRef::Map(map) => map.as_indexer(),
            _ => None,
        }
    }

    fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
    where
        Self: 'w,
    {
        Some(self)
    }

    fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
    where
        Self: 'w,
    {
        match self.inner_builtin() {
            BuiltinRef::List(list) => list.as_iterable(),
            BuiltinRef::Map(map) => map.as_iterable(),
            _ => None,
        }
    }

    fn as_sizer(&self) -> Option<&dyn Sizer> {
        self.inner().as_sizer()
    }

    fn as_zeroer(&self) -> Option<&dyn Zeroer> {
        self.inner().as_zeroer()
    }

    fn equals(&self, other: &dyn Val) -> bool {
        self.inner().equals(other)
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        static MARKER: SharedMarker = SharedMarker;
        Some(&MARKER)
    }

    fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
    where
        Self: 'w,
    {
        Box::new(self.clone())
    }

    fn as_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
    where
        Self: 'w,
    {
        self.inner_builtin()
    }

    fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
    where
        Self: 'w,
    {
        Some(match *self {
            Shared::List(list) => Builtin::List(Arc::try_unwrap(list).unwrap_or_else(|list| (*list).clone())),
            Shared::Map(map) => Builtin::Map(Arc::try_unwrap(map).unwrap_or_else(|map| (*map).clone())),
            Shared::Node(node) => match node.built() {
                Built::List(list) => Builtin::List(list.clone()),
                Built::Map(map) => Builtin::Map(map.clone()),
            },
        })
    }
}

impl Indexer for Shared<'_> {
    fn get<'b, 'w>(&'b self, index: &dyn Val) -> Result<cel::common::value::CowVal<'b, 'w>, cel::ExecutionError>
    where
        Self: 'w,
    {
        match self.inner_builtin() {
            BuiltinRef::List(list) => Indexer::get(list, index),
            BuiltinRef::Map(map) => Indexer::get(map, index),
            _ => Err(cel::ExecutionError::no_such_key("index")),
        }
    }

    fn steal<'w>(self: Box<Self>, index: &dyn Val) -> Result<Box<dyn Val + 'w>, cel::ExecutionError>
    where
        Self: 'w,
    {
        Indexer::get(&*self, index).map(cel::common::value::CowVal::into_owned)
    }
}
