//! A YAML document as an arena of nodes, each with its byte range in the file.
//!
//! Aliases are kept as references to their anchored node instead of being
//! copied, so a "billion laughs" document costs no more memory than its text;
//! the loader bounds how far they would expand (see [`crate::Limits`]).

use std::collections::HashMap;

/// Index of a node in its [`Tree`].
pub(crate) type NodeId = u32;

/// One node of the tree. `start..end` are byte offsets into the whole file.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub start: u32,
    pub end: u32,
}

/// What a node holds.
#[derive(Debug, Clone)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// The text is `Tree::text` of this: scalars share one buffer per tree
    /// instead of an allocation each (fewer allocations, smaller nodes).
    Str(Text),
    /// `children[first..first + len]` are the items, and
    /// `item_starts[starts..starts + len]` where each starts as written.
    Seq {
        first: u32,
        len: u32,
        starts: u32,
    },
    /// `children[first..first + 2 * len]` are key, value, key, value, ...
    Map {
        first: u32,
        len: u32,
        /// The [`key_bit`] of every string key, and [`MERGE_BIT`] when a `<<`
        /// key is present: most lookups of an absent key end here.
        keys: u32,
    },
    /// A `*alias` of an earlier anchored node.
    Alias(NodeId),
}

/// Where a string scalar's text sits in its tree's shared buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Text {
    offset: u32,
    len: u32,
}

/// One mapping entry: its key node and value node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub key: NodeId,
    pub value: NodeId,
}

/// The nodes of one YAML document.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
    pub(crate) children: Vec<NodeId>,
    /// Where each item of each sequence starts as written: a block item at its
    /// `-` marker, a flow item at its node. (Only sequences need it: a mapping's
    /// entries start at their keys.)
    pub(crate) item_starts: Vec<u32>,
    pub(crate) root: NodeId,
    /// Pairs of (earlier key, repeated key) found in the same mapping, in order of
    /// the repeated key's position.
    pub(crate) duplicate_keys: Vec<(NodeId, NodeId)>,
    /// The text of every string scalar, one after the other.
    strings: String,
}

/// How many `<<` merge levels a lookup follows; a well-formed document needs few.
const MAX_MERGE_DEPTH: u32 = 16;

/// The bit of a mapping's key signature that says it has a `<<` merge key.
pub(crate) const MERGE_BIT: u32 = 1 << 31;

/// A float key as sigs.k8s.io/yaml writes it in JSON: Go's
/// `strconv.FormatFloat(f, 'g', -1, 32)` (shortest digits of the 32-bit float,
/// with an exponent below 1e-4 and from 1e6 on).
pub(crate) fn float_key(value: f64) -> String {
    let single = value as f32;
    if !single.is_finite() {
        return if single.is_nan() {
            ".nan".into()
        } else if single > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    let scientific = format!("{single:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..6).contains(&exponent) || single == 0.0 {
        format!("{single}")
    } else {
        format!("{mantissa}e{}{:02}", if exponent < 0 { '-' } else { '+' }, exponent.abs())
    }
}

/// One of 31 bits that stands for `key` in a mapping's key signature (from its
/// length and its first and last bytes, which tell most Kubernetes field names apart).
pub(crate) fn key_bit(key: &str) -> u32 {
    let bytes = key.as_bytes();
    let first = bytes.first().map_or(0, |&b| b as u32);
    let last = bytes.last().map_or(0, |&b| b as u32);
    let hash = (bytes.len() as u32).wrapping_mul(0x9E37_79B1)
        ^ first.wrapping_mul(0x85EB_CA77)
        ^ last.wrapping_mul(0xC2B2_AE3D);
    1 << (hash.rotate_left(7) % 31)
}

impl Tree {
    /// Stores a string scalar's text. The loader bounds a document's size well
    /// below 4 GiB, so offsets fit in 32 bits.
    pub(crate) fn intern(&mut self, text: &str) -> Text {
        let offset = self.strings.len() as u32;
        self.strings.push_str(text);
        Text { offset, len: text.len() as u32 }
    }

    /// A copy whose buffers are exactly as long as their contents.
    pub(crate) fn exact_copy(&self) -> Tree {
        Tree {
            nodes: self.nodes.as_slice().into(),
            children: self.children.as_slice().into(),
            item_starts: self.item_starts.as_slice().into(),
            root: self.root,
            duplicate_keys: self.duplicate_keys.as_slice().into(),
            strings: self.strings.as_str().into(),
        }
    }

    /// The bytes the string buffer can hold without growing.
    pub(crate) fn string_capacity(&self) -> usize {
        self.strings.capacity()
    }

    /// Empties the tree, keeping its buffers' capacity.
    pub(crate) fn clear(&mut self) {
        self.nodes.clear();
        self.children.clear();
        self.item_starts.clear();
        self.root = 0;
        self.duplicate_keys.clear();
        self.strings.clear();
    }

    /// Does the text of any string scalar (keys included) contain `needle`?
    pub(crate) fn strings_contain(&self, needle: &str) -> bool {
        memchr::memmem::find(self.strings.as_bytes(), needle.as_bytes()).is_some()
    }

    /// The text of a string scalar.
    pub(crate) fn text(&self, text: Text) -> &str {
        self.strings.get(text.offset as usize..(text.offset as usize + text.len as usize)).unwrap_or_default()
    }

    /// The node itself, with one alias hop resolved (an alias never targets an alias).
    pub(crate) fn node(&self, id: NodeId) -> &Node {
        let node = &self.nodes[id as usize];
        match node.kind {
            NodeKind::Alias(target) => &self.nodes[target as usize],
            _ => node,
        }
    }

    /// The node as written (an alias stays an alias), for positions.
    pub(crate) fn raw(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    /// Resolves an alias to its target id.
    pub(crate) fn resolve(&self, id: NodeId) -> NodeId {
        match self.nodes[id as usize].kind {
            NodeKind::Alias(target) => target,
            _ => id,
        }
    }

    pub(crate) fn as_str(&self, id: NodeId) -> Option<&str> {
        match &self.node(id).kind {
            NodeKind::Str(s) => Some(self.text(*s)),
            _ => None,
        }
    }

    /// The entries of a mapping node as written (merge keys not expanded).
    pub(crate) fn entries(&self, id: NodeId) -> impl Iterator<Item = Entry> + '_ {
        let slice: &[NodeId] = match self.node(id).kind {
            NodeKind::Map { first, len, .. } => &self.children[first as usize..(first + 2 * len) as usize],
            _ => &[],
        };
        slice.chunks_exact(2).map(|pair| Entry { key: pair[0], value: pair[1] })
    }

    /// The items of a sequence node.
    pub(crate) fn items(&self, id: NodeId) -> &[NodeId] {
        match self.node(id).kind {
            NodeKind::Seq { first, len, .. } => &self.children[first as usize..(first + len) as usize],
            _ => &[],
        }
    }

    pub(crate) fn is_map(&self, id: NodeId) -> bool {
        matches!(self.node(id).kind, NodeKind::Map { .. })
    }

    pub(crate) fn is_seq(&self, id: NodeId) -> bool {
        matches!(self.node(id).kind, NodeKind::Seq { .. })
    }

    pub(crate) fn is_null(&self, id: NodeId) -> bool {
        matches!(self.node(id).kind, NodeKind::Null)
    }

    /// Where each item of a sequence starts (a block item at its `-`).
    pub(crate) fn item_starts(&self, id: NodeId) -> &[u32] {
        match self.node(id).kind {
            NodeKind::Seq { len, starts, .. } => &self.item_starts[starts as usize..(starts + len) as usize],
            _ => &[],
        }
    }

    /// Looks a key up in a mapping. The last occurrence wins, as when the API
    /// server decodes JSON; `<<` merge keys are followed when the key is not
    /// written directly.
    pub(crate) fn get(&self, map: NodeId, key: &str) -> Option<Entry> {
        self.get_with_depth(map, key, 0)
    }

    fn get_with_depth(&self, map: NodeId, key: &str, depth: u32) -> Option<Entry> {
        let NodeKind::Map { first, len, keys } = self.node(map).kind else {
            return None;
        };
        if keys & (key_bit(key) | MERGE_BIT) == 0 {
            return None;
        }
        let slice = &self.children[first as usize..(first + 2 * len) as usize];
        // go-yaml v2 (kubectl's reader) applies entries in order, a `<<` entry
        // setting the keys it brings: the last of the written key and the merges
        // that bring it wins.
        for pair in slice.chunks_exact(2).rev() {
            match &self.node(pair[0]).kind {
                // Lengths first: most keys differ in length from the one looked up.
                NodeKind::Str(k) if k.len as usize == key.len() && self.text(*k) == key => {
                    return Some(Entry { key: pair[0], value: pair[1] })
                }
                NodeKind::Str(k) if k.len == 2 && self.text(*k) == "<<" && depth < MAX_MERGE_DEPTH => {
                    let merge = pair[1];
                    let found = if self.is_map(merge) {
                        self.get_with_depth(merge, key, depth + 1)
                    } else {
                        // Of a list of mappings, the first that has the key wins.
                        self.items(merge).iter().find_map(|&source| self.get_with_depth(source, key, depth + 1))
                    };
                    if found.is_some() {
                        return found;
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Entries of a mapping with merge keys expanded (written keys first, then
    /// merged ones not already present).
    pub(crate) fn merged_entries(&self, map: NodeId) -> Vec<Entry> {
        // Without a merge key, and with no key repeated anywhere in the tree,
        // the entries are just as written (the common case, without hashing).
        if let NodeKind::Map { keys, .. } = self.node(map).kind {
            if keys & MERGE_BIT == 0 && self.duplicate_keys.is_empty() {
                return self.entries(map).collect();
            }
        }
        self.collect_merged(map, 0)
    }

    /// Keys are looked up in a hash map, not by scanning the entries kept so far:
    /// the scan made a mapping of n keys cost n² (50,000 keys: 30 s).
    fn collect_merged(&self, map: NodeId, depth: u32) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for entry in self.entries(map) {
            match self.as_str(entry.key) {
                // As go-yaml v2 does: the merged keys are set where the `<<` entry is,
                // over those written before it; a list's first mapping wins.
                Some("<<") if depth < MAX_MERGE_DEPTH => {
                    let merge = entry.value;
                    let sources: &[NodeId] =
                        if self.is_map(merge) { std::slice::from_ref(&merge) } else { self.items(merge) };
                    for &source in sources.iter().rev() {
                        for merged in self.collect_merged(source, depth + 1) {
                            Self::place(self, &mut out, &mut index, merged);
                        }
                    }
                }
                Some("<<") => {}
                _ => Self::place(self, &mut out, &mut index, entry),
            }
        }
        out
    }

    /// Sets an entry in `out`, over an earlier one with the same key.
    fn place<'t>(tree: &'t Tree, out: &mut Vec<Entry>, index: &mut HashMap<&'t str, usize>, entry: Entry) {
        match tree.as_str(entry.key) {
            Some(key) => match index.get(key) {
                Some(&existing) => out[existing] = entry,
                None => {
                    index.insert(key, out.len());
                    out.push(entry);
                }
            },
            None => out.push(entry),
        }
    }

    /// The JSON Pointers (relative to `root`) of the mapping entries whose key
    /// nodes are `keys`, found in one walk of the tree: one walk per key made a
    /// document with many duplicate keys quadratic (2,000 duplicates in 34 kB: 1.3 s).
    pub(crate) fn pointers_to_keys(&self, root: NodeId, keys: &[NodeId]) -> HashMap<NodeId, String> {
        let mut wanted: std::collections::HashSet<NodeId> = keys.iter().copied().collect();
        let mut found = HashMap::with_capacity(wanted.len());
        // Iterative depth-first search; aliases are not followed, so each node is seen once.
        let mut stack: Vec<(NodeId, String)> = vec![(root, String::new())];
        while let Some((node, pointer)) = stack.pop() {
            if wanted.is_empty() {
                break;
            }
            match self.raw(node).kind {
                NodeKind::Map { .. } => {
                    for entry in self.entries(node) {
                        let token = match &self.raw(entry.key).kind {
                            NodeKind::Str(s) => crate::text::escape_token(self.text(*s)).into_owned(),
                            NodeKind::Int(i) => i.to_string(),
                            NodeKind::Bool(b) => b.to_string(),
                            _ => String::new(),
                        };
                        let child = format!("{pointer}/{token}");
                        if wanted.remove(&entry.key) {
                            found.insert(entry.key, child.clone());
                        }
                        stack.push((entry.value, child));
                    }
                }
                NodeKind::Seq { .. } => {
                    for (index, &item) in self.items(node).iter().enumerate() {
                        stack.push((item, format!("{pointer}/{index}")));
                    }
                }
                _ => {}
            }
        }
        found
    }

    /// A short name of the node's type, for messages.
    pub(crate) fn type_name(&self, id: NodeId) -> &'static str {
        match self.node(id).kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Int(_) | NodeKind::Float(_) => "number",
            NodeKind::Str(_) => "string",
            NodeKind::Seq { .. } => "list",
            NodeKind::Map { .. } => "mapping",
            NodeKind::Alias(_) => "alias",
        }
    }

    /// The node as JSON, aliases expanded (bounded by the loader's expansion limit).
    ///
    /// Aliases can nest a document far deeper than it is written (each anchor may
    /// hold an alias of the one before, 128 levels at a time), so the expanded
    /// depth is bounded too: past `max_depth` levels this fails with the node
    /// where the limit was crossed. The recursion is at most `max_depth` deep,
    /// which keeps it inside small stacks (WebAssembly, threads).
    pub(crate) fn to_json(&self, id: NodeId, max_depth: u32) -> Result<serde_json::Value, NodeId> {
        self.to_json_at(id, max_depth)
    }

    /// A child as JSON; a failure inside an alias is reported at the alias, the
    /// outermost one on the way down, which is where the text borrows the depth.
    fn child_to_json(&self, child: NodeId, depth_left: u32) -> Result<serde_json::Value, NodeId> {
        let is_alias = matches!(self.raw(child).kind, NodeKind::Alias(_));
        self.to_json_at(child, depth_left).map_err(|inner| if is_alias { child } else { inner })
    }

    fn to_json_at(&self, id: NodeId, depth_left: u32) -> Result<serde_json::Value, NodeId> {
        use serde_json::Value;
        let nested = matches!(self.node(id).kind, NodeKind::Seq { .. } | NodeKind::Map { .. });
        if nested && depth_left == 0 {
            return Err(id);
        }
        Ok(match &self.node(id).kind {
            NodeKind::Null | NodeKind::Alias(_) => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::from(*i),
            NodeKind::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            NodeKind::Str(s) => Value::String(self.text(*s).to_string()),
            NodeKind::Seq { .. } => Value::Array(
                self.items(id)
                    .iter()
                    .map(|&item| self.child_to_json(item, depth_left - 1))
                    .collect::<Result<_, _>>()?,
            ),
            NodeKind::Map { .. } => {
                let mut map = serde_json::Map::new();
                for entry in self.merged_entries(id) {
                    let key = match &self.node(entry.key).kind {
                        NodeKind::Str(s) => self.text(*s).to_string(),
                        NodeKind::Int(i) => i.to_string(),
                        NodeKind::Bool(b) => b.to_string(),
                        NodeKind::Float(f) => float_key(*f),
                        NodeKind::Null => "null".to_string(),
                        _ => continue,
                    };
                    map.insert(key, self.child_to_json(entry.value, depth_left - 1)?);
                }
                Value::Object(map)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load_documents;

    /// go-yaml v2's merge, written the plain quadratic way: entries in order, a
    /// `<<` entry setting its mappings' keys (the list's last first), each key set
    /// over an earlier one.
    fn reference(tree: &Tree, map: NodeId, out: &mut Vec<Entry>, depth: u32) {
        fn set(tree: &Tree, out: &mut Vec<Entry>, entry: Entry) {
            let key = tree.as_str(entry.key);
            match key.and_then(|k| out.iter().position(|e| tree.as_str(e.key) == Some(k))) {
                Some(existing) => out[existing] = entry,
                None => out.push(entry),
            }
        }
        for entry in tree.entries(map) {
            if tree.as_str(entry.key) != Some("<<") {
                set(tree, out, entry);
                continue;
            }
            if depth >= MAX_MERGE_DEPTH {
                continue;
            }
            let merge = entry.value;
            let sources: Vec<NodeId> = if tree.is_map(merge) { vec![merge] } else { tree.items(merge).to_vec() };
            for source in sources.into_iter().rev() {
                let mut merged = Vec::new();
                reference(tree, source, &mut merged, depth + 1);
                for entry in merged {
                    set(tree, out, entry);
                }
            }
        }
    }

    /// kubectl's reader (go-yaml v2) lets a `<<` entry override the keys written
    /// before it, and the first of a list of mappings win: checked with kubectl.
    #[test]
    fn merge_keys_apply_in_order_as_go_yaml_v2_does() {
        let text = "b: &b {a: 1, b: 2}\no: &o {a: 3, c: 4}\nm:\n  a: 0\n  <<: [*b, *o]\n  c: 5\n";
        let documents = load_documents(text.as_bytes(), &crate::Limits::default()).expect("loads");
        let tree = documents[0].tree.as_ref().expect("parses");
        let map = tree.get(tree.root, "m").expect("m").value;
        let json = tree.to_json(map, 10).expect("json");
        assert_eq!(json, serde_json::json!({"a": 1, "b": 2, "c": 5}));
        let int = |key: &str| match tree.node(tree.get(map, key).expect(key).value).kind {
            NodeKind::Int(i) => i,
            _ => panic!("{key} is not an integer"),
        };
        assert_eq!((int("a"), int("b"), int("c")), (1, 2, 5));
    }

    #[test]
    fn float_keys_are_written_as_go_writes_them() {
        for (value, text) in [(1.5, "1.5"), (1000.0, "1000"), (1e6, "1e+06"), (0.1, "0.1"), (1e-5, "1e-05"), (0.0, "0")]
        {
            assert_eq!(float_key(value), text);
        }
    }

    #[test]
    fn large_mappings_merge_as_small_ones_do() {
        for size in [3usize, 16, 17, 40, 300] {
            let mut text = String::from("base: &base\n");
            for i in 0..size {
                text.push_str(&format!("  k{}: base{i}\n", i * 2));
            }
            text.push_str("other: &other\n");
            for i in 0..size / 2 {
                text.push_str(&format!("  k{}: other{i}\n", i * 3));
            }
            text.push_str("map:\n  <<: [*base, *other]\n  1: one\n  true: yes\n");
            for i in 0..size {
                text.push_str(&format!("  k{}: own{i}\n", (i * 7) % (size + 5)));
            }
            let documents = load_documents(text.as_bytes(), &crate::Limits::default()).expect("loads");
            let tree = documents[0].tree.as_ref().expect("parses");
            let map = tree.get(tree.root, "map").expect("map").value;
            let map = tree.resolve(map);
            let mut expected = Vec::new();
            reference(tree, map, &mut expected, 0);
            assert_eq!(tree.merged_entries(map), expected, "size {size}");
        }
    }
}
