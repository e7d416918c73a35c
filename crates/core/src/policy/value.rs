//! YAML trees as CEL values.
//!
//! An object is converted as written: scalars as Kubernetes' YAML reading
//! resolves them, mapping keys as strings, aliases and merge keys expanded
//! (within bounds), no defaulting. Strings are borrowed from the tree for the
//! object being scanned, and copied for the objects kept across the scan
//! (namespaces and parameters).

use std::collections::HashMap;

use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString};
use cel::common::value::Val;

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
                Box::new(CelList::from(list))
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
                Box::new(CelMap::from(map))
            }
            NodeKind::Alias(_) => Box::new(CelNull),
        })
    }
}

/// `node` as a CEL value borrowing the tree's strings.
pub(crate) fn borrowed(tree: &Tree, node: NodeId) -> Result<Box<dyn Val + '_>, TooLarge> {
    Converter { tree, nodes: 0, string: CelString::from, key: CelMapKey::from }.convert(node, 0)
}

/// `node` as a CEL value of its own.
pub(crate) fn owned(tree: &Tree, node: NodeId) -> Result<Box<dyn Val + 'static>, TooLarge> {
    let string = |text: &str| CelString::from(text.to_string());
    let key = |text: &str| CelMapKey::from(text.to_string());
    Converter { tree, nodes: 0, string, key }.convert(node, 0)
}
