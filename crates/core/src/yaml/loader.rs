//! Splits a file into YAML documents and builds a [`Tree`] for each.
//!
//! Documents are split on `---` / `...` lines before parsing, so a syntax error
//! in one document becomes an error entry for that document alone and the
//! documents around it are still read (a YAML stream parser stops at the first
//! error). A line that starts with `---` or `...` ends a document even inside a
//! block scalar in YAML, so this split is exact.
//!
//! Scalars and keys take the values go-yaml v2 gives them, which is what
//! kubectl applies (docs/yaml.md): what it cannot turn into JSON (a null or
//! collection key, `.inf`, `.nan`) is an error here too.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::scalar::{resolve_plain, Scalar};
use super::tree::{key_bit, Node, NodeId, NodeKind, Tree, MERGE_BIT};
use crate::Limits;

/// Why a document could not be read. `offset` is the byte offset in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoadError {
    pub message: String,
    pub offset: u32,
}

/// One document of a file, read or not.
#[derive(Debug)]
pub(crate) struct LoadedDocument {
    /// Position among the non-empty documents of the file, from 0.
    pub index: usize,
    /// Byte range of the document's text (after any `---` line).
    pub start: u32,
    pub end: u32,
    /// The `# Source: path` comment Helm writes before each rendered template.
    pub helm_source: Option<String>,
    pub tree: Result<Tree, LoadError>,
}

/// Is a file of `len` bytes refused as a whole (over `limits.maxFileBytes`, or
/// too long for the 32-bit offsets of the tree)?
pub(crate) fn refuses_file(len: usize, limits: &Limits) -> bool {
    len as u64 > limits.max_file_bytes || len > u32::MAX as usize
}

/// Reads every document of one file.
pub(crate) fn load_documents(bytes: &[u8], limits: &Limits) -> Result<Vec<LoadedDocument>, LoadError> {
    if refuses_file(bytes.len(), limits) {
        return Err(LoadError {
            message: format!(
                "file is {} bytes, larger than the limit of {} bytes (limits.maxFileBytes)",
                bytes.len(),
                limits.max_file_bytes
            ),
            offset: 0,
        });
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(LoadError { message: "file is UTF-16 encoded; only UTF-8 is supported".into(), offset: 0 });
    }
    let chunks = split_documents(bytes, limits)?;
    let mut documents = Vec::new();
    for chunk in chunks {
        let text = std::str::from_utf8(&bytes[chunk.start..chunk.end]);
        let tree = match text {
            Ok(text) => {
                if is_blank(text) {
                    continue;
                }
                build_tree(text, chunk.start as u32, limits)
            }
            Err(error) => Err(LoadError {
                message: "document is not valid UTF-8".into(),
                offset: (chunk.start + error.valid_up_to()) as u32,
            }),
        };
        let tree = match tree {
            Ok(None) => continue,
            Ok(Some(tree)) => Ok(tree),
            Err(error) => Err(error),
        };
        let helm_source = text.ok().and_then(helm_source);
        documents.push(LoadedDocument {
            index: documents.len(),
            start: chunk.start as u32,
            end: chunk.end as u32,
            helm_source,
            tree,
        });
    }
    Ok(documents)
}

/// The tree of the document whose text is `bytes[start..end]`, read again: the
/// same tree [`load_documents`] gave for it (a tree depends only on its text).
pub(crate) fn load_document_at(bytes: &[u8], (start, end): (u32, u32), limits: &Limits) -> Option<Tree> {
    let text = std::str::from_utf8(bytes.get(start as usize..end as usize)?).ok()?;
    build_tree(text, start, limits).ok().flatten()
}

/// The byte ranges of the documents of a file, without reading them (none
/// when the file cannot be split, which [`load_documents`] then reports).
pub(crate) fn document_ranges(bytes: &[u8], limits: &Limits) -> Vec<(u32, u32)> {
    if refuses_file(bytes.len(), limits) {
        return Vec::new();
    }
    split_documents(bytes, limits)
        .map(|chunks| chunks.iter().map(|chunk| (chunk.start as u32, chunk.end as u32)).collect())
        .unwrap_or_default()
}

struct Chunk {
    start: usize,
    end: usize,
}

/// Is the line starting at `at` a document marker (`---` or `...` followed by
/// a blank or the end)? Returns its first byte.
fn marker(bytes: &[u8], at: usize) -> Option<u8> {
    let line = bytes.get(at..)?;
    if line.starts_with(b"---") || line.starts_with(b"...") {
        match line.get(3) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n') => Some(line[0]),
            _ => None,
        }
    } else {
        None
    }
}

/// The starts of the lines (from `first`) that begin with `---` or `...`, in order.
/// Found by a substring search for a line break followed by either: going line by
/// line cost a `memchr` call per line, and the files are read twice (foresight).
fn marker_candidates(bytes: &[u8], first: usize) -> Vec<usize> {
    let rest = &bytes[first..];
    let after_break = |i: usize| first + i + 1;
    let mut starts: Vec<usize> = std::iter::once(first)
        .filter(|_| rest.starts_with(b"---") || rest.starts_with(b"..."))
        .chain(memchr::memmem::find_iter(rest, b"\n---").map(after_break))
        .collect();
    let dots = memchr::memmem::find_iter(rest, b"\n...").map(after_break);
    let before = starts.len();
    starts.extend(dots);
    if starts.len() > before {
        starts.sort_unstable();
    }
    starts
}

fn split_documents(bytes: &[u8], limits: &Limits) -> Result<Vec<Chunk>, LoadError> {
    let mut chunks = Vec::new();
    let mut start = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let too_many = |offset: usize| LoadError {
        message: format!("file holds more than {} documents (limits.maxDocuments)", limits.max_documents),
        offset: offset as u32,
    };
    for line_start in marker_candidates(bytes, start) {
        match marker(bytes, line_start) {
            Some(b'-') => {
                // `---` starts a new document; the marker line belongs to it
                // (it may carry content such as `--- |` or a tag).
                if line_start > start {
                    chunks.push(Chunk { start, end: line_start });
                }
                start = line_start;
            }
            Some(_) => {
                // `...` ends a document; the marker line belongs to none.
                chunks.push(Chunk { start, end: line_start });
                start = memchr::memchr(b'\n', &bytes[line_start..]).map_or(bytes.len(), |i| line_start + i + 1);
            }
            None => {}
        }
        if chunks.len() > limits.max_documents as usize {
            return Err(too_many(line_start));
        }
    }
    if start < bytes.len() {
        chunks.push(Chunk { start, end: bytes.len() });
        // The last document counts too: without this check a file could hold one more.
        if chunks.len() > limits.max_documents as usize {
            return Err(too_many(start));
        }
    }
    Ok(chunks)
}

/// True when a chunk holds nothing but blank lines, comments and markers.
fn is_blank(text: &str) -> bool {
    text.lines().all(|line| {
        let trimmed = line.trim();
        trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed == "---"
            || trimmed == "..."
            || trimmed.starts_with("--- #")
    })
}

fn helm_source(text: &str) -> Option<String> {
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed == "---" {
            continue;
        }
        if let Some(path) = trimmed.strip_prefix("# Source:") {
            return Some(path.trim().to_string());
        }
        if !trimmed.starts_with('#') {
            return None;
        }
    }
    None
}

/// Converts the parser's character indexes into byte offsets in the file.
pub(super) struct Offsets {
    base: u32,
    /// Byte offset (from `base`) of every character, when the text is not pure
    /// ASCII or is not the file's own text (see [`super::lenient`]).
    char_to_byte: Option<Vec<u32>>,
}

impl Offsets {
    fn new(text: &str, base: u32) -> Self {
        let char_to_byte = if text.is_ascii() {
            None
        } else {
            let mut table: Vec<u32> = text.char_indices().map(|(i, _)| i as u32).collect();
            table.push(text.len() as u32);
            Some(table)
        };
        Offsets { base, char_to_byte }
    }

    /// Offsets given character by character: `table[i]` is where the `i`th
    /// character read comes from in the document, and one more entry ends it.
    pub(super) fn from_table(base: u32, table: Vec<u32>) -> Self {
        Offsets { base, char_to_byte: Some(table) }
    }

    pub(super) fn byte(&self, char_index: usize) -> u32 {
        let local = match &self.char_to_byte {
            None => char_index as u32,
            Some(table) => table.get(char_index).copied().unwrap_or_else(|| table.last().copied().unwrap_or(0)),
        };
        self.base + local
    }
}

struct Frame {
    is_map: bool,
    block: bool,
    start: u32,
    first_child: usize,
    anchor: usize,
    expanded: u64,
}

/// Builds the tree of one document; `Ok(None)` when it holds no node. Most
/// manifests are read by the block-style fast reader; whatever it does not
/// cover (flow collections over several lines, anchors, tags, multi-line plain
/// scalars, and every error) is read by saphyr-parser, into the same [`Builder`].
/// What saphyr-parser rejects but libyaml-family parsers (kubectl's) accept is
/// read again by [`super::lenient`].
fn build_tree(text: &str, base: u32, limits: &Limits) -> Result<Option<Tree>, LoadError> {
    if let Some(tree) = super::block::read(text, base, limits) {
        return Ok(Some(tree));
    }
    match parse(text, &Offsets::new(text, base), Builder::new(text, base, limits), None) {
        Ok(tree) => Ok(tree),
        Err(failure) => match failure.scan {
            Some(scan) => super::lenient::reread(text, base, limits, scan).unwrap_or(Err(failure.error)),
            None => Err(failure.error),
        },
    }
}

/// [`build_tree`] with saphyr-parser alone.
#[cfg(test)]
pub(super) fn build_tree_with_parser(text: &str, base: u32, limits: &Limits) -> Result<Option<Tree>, LoadError> {
    parse(text, &Offsets::new(text, base), Builder::new(text, base, limits), None).map_err(|failure| failure.error)
}

/// Why saphyr-parser stopped: its message, and where (a byte offset in the file).
#[derive(Debug, Clone)]
pub(super) struct ScanFailure {
    pub info: String,
    pub offset: u32,
}

/// A document that could not be read: the error to report, and the parser's
/// own when it was a syntax error.
pub(super) struct ParseFailure {
    pub error: LoadError,
    pub scan: Option<ScanFailure>,
}

impl From<LoadError> for ParseFailure {
    fn from(error: LoadError) -> Self {
        ParseFailure { error, scan: None }
    }
}

/// Reads `parsed` with saphyr-parser into `builder`, placing every event with
/// `offsets`. When `spans` is given, it receives the range of every flow
/// collection and every quoted scalar (as byte offsets in the file).
pub(super) fn parse(
    parsed: &str,
    offsets: &Offsets,
    mut builder: Builder<'_>,
    mut spans: Option<&mut Vec<(u32, u32)>>,
) -> Result<Option<Tree>, ParseFailure> {
    let mut parser = Parser::new_from_str(parsed);
    let mut flow_starts: Vec<Option<u32>> = Vec::new();
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(pair) => pair,
            Err(scan_error) => {
                let offset = offsets.byte(scan_error.marker().index());
                let message = if scan_error.info() == "recursion limit exceeded" {
                    "nesting is deeper than the YAML parser's limit of 255 flow levels".to_string()
                } else {
                    format!("YAML syntax error: {}", scan_error.info())
                };
                let scan = ScanFailure { info: scan_error.info().to_string(), offset };
                return Err(ParseFailure { error: LoadError { message, offset }, scan: Some(scan) });
            }
        };
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index());
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::Scalar(value, style, anchor, tag) => {
                if let (Some(spans), ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted) = (spans.as_mut(), style) {
                    spans.push((start, end));
                }
                builder.scalar(
                    &value,
                    style,
                    tag.as_deref().map(|t| (t.handle.as_str(), t.suffix.as_str())),
                    anchor,
                    start,
                    end,
                )?
            }
            Event::Alias(anchor) => builder.alias(anchor, start, end)?,
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                // A flow collection's start event spans its bracket; a block one's is empty. (The
                // bracket under the start is no test: an indentless block sequence starts at its first
                // item, which may be a flow collection.)
                let block = span.start.index() == span.end.index();
                if spans.is_some() {
                    flow_starts.push((!block).then_some(start));
                }
                builder.open(matches!(event, Event::MappingStart(..)), block, anchor, start)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let (Some(spans), Some(Some(flow_start))) = (spans.as_mut(), flow_starts.pop()) {
                    spans.push((flow_start, end));
                }
                builder.close(start, end)?
            }
        }
    }
    Ok(builder.finish())
}

/// Turns parse events, with their byte offsets in the file, into a [`Tree`],
/// and enforces the limits on depth, scalar size and alias expansion.
pub(super) struct Builder<'a> {
    text: &'a str,
    base: u32,
    limits: &'a Limits,
    tree: Tree,
    stack: Vec<Frame>,
    pending: Vec<NodeId>,
    /// Each anchor's node and its node count after alias expansion, so that
    /// an alias costs its true weight.
    anchors: HashMap<usize, (NodeId, u64)>,
    root: Option<NodeId>,
    total_expanded: u64,
}

impl<'a> Builder<'a> {
    /// A builder for the document `text`, which starts at byte `base` of its file.
    pub(super) fn new(text: &'a str, base: u32, limits: &'a Limits) -> Self {
        let Scratch { tree, stack, pending, anchors } = SCRATCH.take();
        Builder { text, base, limits, tree, stack, pending, anchors, root: None, total_expanded: 0 }
    }

    /// A scalar; `tag` is its (handle, suffix), `anchor` 0 when it has none.
    pub(super) fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        tag: Option<(&str, &str)>,
        anchor: usize,
        start: u32,
        end: u32,
    ) -> Result<(), LoadError> {
        if value.len() as u64 > self.limits.max_scalar_bytes {
            return Err(LoadError {
                message: format!(
                    "scalar of {} bytes is longer than the limit of {} (limits.maxScalarBytes)",
                    value.len(),
                    self.limits.max_scalar_bytes
                ),
                offset: start,
            });
        }
        let kind =
            scalar_kind(&mut self.tree, value, style, tag).map_err(|message| LoadError { message, offset: start })?;
        let id = push(&mut self.tree, Node { kind, start, end: end.max(start) });
        self.finished(id, 1, 1, anchor, start)
    }

    /// An alias of the node anchored as `anchor`.
    pub(super) fn alias(&mut self, anchor: usize, start: u32, end: u32) -> Result<(), LoadError> {
        let Some(&(target, weight)) = self.anchors.get(&anchor) else {
            return Err(LoadError {
                message: "alias refers to an anchor that encloses it (a recursive alias) or is undefined".into(),
                offset: start,
            });
        };
        let id = push(&mut self.tree, Node { kind: NodeKind::Alias(target), start, end });
        self.finished(id, weight, weight, 0, start)
    }

    /// The start of a mapping (`is_map`) or sequence, in block or flow style.
    pub(super) fn open(&mut self, is_map: bool, block: bool, anchor: usize, start: u32) -> Result<(), LoadError> {
        if self.stack.len() >= self.limits.max_depth as usize {
            return Err(LoadError {
                message: format!("nesting is deeper than the limit of {} (limits.maxDepth)", self.limits.max_depth),
                offset: start,
            });
        }
        self.stack.push(Frame { is_map, block, start, first_child: self.pending.len(), anchor, expanded: 1 });
        Ok(())
    }

    /// The end of the innermost open collection; `start..end` is the parser's end event.
    pub(super) fn close(&mut self, start: u32, end: u32) -> Result<(), LoadError> {
        let Some(frame) = self.stack.pop() else {
            return Err(LoadError { message: "unbalanced YAML structure".into(), offset: start });
        };
        let tree = &mut self.tree;
        let children = self.pending.get(frame.first_child..).unwrap_or_default();
        let first = tree.children.len() as u32;
        let count = children.len() as u32;
        // A block collection ends where its last child ends; the parser's
        // end event sits at the next token, past comments and blank lines.
        let last_end = children.last().map(|&c| tree.nodes[c as usize].end);
        let node_end = if frame.block { last_end.unwrap_or(end) } else { end };
        let mut keys = 0;
        if frame.is_map {
            // Two equal keys have the same signature bit: without a shared bit
            // (or a key that is not a string) there is no duplicate to look for.
            let mut may_repeat = false;
            for &key in children.iter().step_by(2) {
                match tree.node(key).kind {
                    NodeKind::Str(text) => match tree.text(text) {
                        "<<" => keys |= MERGE_BIT,
                        key => {
                            let bit = key_bit(key);
                            may_repeat |= keys & bit != 0;
                            keys |= bit;
                        }
                    },
                    NodeKind::Null => {
                        // sigs.k8s.io/yaml cannot turn a null key into JSON.
                        return Err(LoadError {
                            message: "a mapping key is null or empty, so kubectl cannot read this document".into(),
                            offset: tree.raw(key).start,
                        });
                    }
                    NodeKind::Map { .. } | NodeKind::Seq { .. } => {
                        // Nor one that is a mapping or a list (an unrendered `{{ }}` template, often).
                        return Err(LoadError {
                            message: "a mapping key is a mapping or a list, so kubectl cannot read this document"
                                .into(),
                            offset: tree.raw(key).start,
                        });
                    }
                    _ => may_repeat = true,
                }
            }
            if may_repeat {
                find_duplicates(tree, children);
            }
        }
        tree.children.extend_from_slice(children);
        let kind = if frame.is_map {
            NodeKind::Map { first, len: count / 2, keys }
        } else {
            let starts = tree.item_starts.len() as u32;
            for &child in children {
                let child_start = tree.nodes[child as usize].start;
                let written_start =
                    if frame.block { dash_before(self.text, self.base, child_start) } else { child_start };
                tree.item_starts.push(written_start);
            }
            NodeKind::Seq { first, len: count, starts }
        };
        let node = Node { kind, start: frame.start, end: node_end.max(frame.start) };
        self.pending.truncate(frame.first_child);
        let weight = frame.expanded;
        let id = push(tree, node);
        self.finished(id, weight, 1, frame.anchor, start)
    }

    /// Places a finished node in its parent (or as the root) and counts its
    /// weight (its node count after alias expansion); `added` is what it adds
    /// to the document's count (its weight for an alias, one for any other node,
    /// whose children have been counted already).
    fn finished(&mut self, id: NodeId, weight: u64, added: u64, anchor: usize, start: u32) -> Result<(), LoadError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (id, weight));
        }
        self.total_expanded = self.total_expanded.saturating_add(added);
        if self.total_expanded > self.limits.max_expanded_nodes {
            return Err(LoadError {
                message: format!(
                    "document expands to more than {} nodes through its aliases (limits.maxExpandedNodes)",
                    self.limits.max_expanded_nodes
                ),
                offset: start,
            });
        }
        match self.stack.last_mut() {
            Some(parent) => {
                parent.expanded = parent.expanded.saturating_add(weight);
                self.pending.push(id);
            }
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
        }
        Ok(())
    }

    /// The finished tree; `None` when the document held no node.
    pub(super) fn finish(mut self) -> Option<Tree> {
        let tree = &mut self.tree;
        // In order of position, so that each object of a `List` finds its own by binary search.
        let nodes = &tree.nodes;
        tree.duplicate_keys.sort_by_key(|&(_, duplicate)| nodes.get(duplicate as usize).map_or(0, |n| n.start));
        // Trees live until the whole scan is done: each gets buffers of its exact
        // size, and the grown ones go back to the scratch for the next document.
        let root = self.root?;
        let mut tree = tree.exact_copy();
        tree.root = root;
        Some(tree)
    }
}

/// The buffers a [`Builder`] grows, kept per thread from one document to the
/// next: a scan builds a tree per document, and growing fresh buffers for
/// each cost more than the rest of building it (every doubling a copy).
#[derive(Default)]
struct Scratch {
    tree: Tree,
    stack: Vec<Frame>,
    pending: Vec<NodeId>,
    anchors: HashMap<usize, (NodeId, u64)>,
}

/// A thread keeps its scratch only while it holds at most this many nodes and
/// this many bytes of string text, so that one huge document (or one huge
/// scalar) does not pin its buffers for the thread's life.
const SCRATCH_KEPT_NODES: usize = 1 << 16;
const SCRATCH_KEPT_STRING_BYTES: usize = 1 << 20;

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

impl Drop for Builder<'_> {
    /// Hands the buffers back, emptied, whether the document was built or given up on.
    fn drop(&mut self) {
        if self.tree.nodes.capacity() > SCRATCH_KEPT_NODES || self.tree.string_capacity() > SCRATCH_KEPT_STRING_BYTES {
            return;
        }
        let mut scratch = Scratch {
            tree: std::mem::take(&mut self.tree),
            stack: std::mem::take(&mut self.stack),
            pending: std::mem::take(&mut self.pending),
            anchors: std::mem::take(&mut self.anchors),
        };
        scratch.tree.clear();
        scratch.stack.clear();
        scratch.pending.clear();
        scratch.anchors.clear();
        // `try_with`: during a thread's teardown the slot may be gone already.
        let _ = SCRATCH.try_with(|slot| slot.set(scratch));
    }
}

/// The offset of the `-` that introduces a block sequence item starting at `start`.
fn dash_before(text: &str, base: u32, start: u32) -> u32 {
    let bytes = text.as_bytes();
    let mut i = (start - base) as usize;
    while i > 0 {
        match bytes[i - 1] {
            b' ' | b'\t' | b'\r' | b'\n' => i -= 1,
            b'-' => return base + (i - 1) as u32,
            _ => break,
        }
    }
    start
}

fn push(tree: &mut Tree, node: Node) -> NodeId {
    let id = tree.nodes.len() as NodeId;
    tree.nodes.push(node);
    id
}

/// The value of a scalar, as go-yaml (kubectl's YAML reader) gives it; `Err`
/// when go-yaml cannot read it.
fn scalar_kind(
    tree: &mut Tree,
    value: &str,
    style: ScalarStyle,
    tag: Option<(&str, &str)>,
) -> Result<NodeKind, String> {
    if let Some((handle, suffix)) = tag {
        let standard = handle == "tag:yaml.org,2002:" || handle == "!!";
        return Ok(match suffix {
            "str" | "timestamp" if standard => NodeKind::Str(tree.intern(value)),
            "binary" if standard => {
                use base64::Engine as _;
                // go-yaml decodes it (its base64 reader skips line breaks), and
                // encoding/json writes bytes that are not UTF-8 as U+FFFD.
                let compact: String = value.chars().filter(|&c| c != '\n' && c != '\r').collect();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .map_err(|_| "!!binary value contains invalid base64 data".to_string())?;
                NodeKind::Str(tree.intern(&String::from_utf8_lossy(&bytes)))
            }
            "null" if standard => NodeKind::Null,
            "bool" | "int" | "float" if standard => match resolve_plain(value) {
                Scalar::Bool(b) if suffix == "bool" => NodeKind::Bool(b),
                Scalar::Int(i) if suffix == "int" => NodeKind::Int(i),
                Scalar::Int(i) if suffix == "float" => NodeKind::Float(i as f64),
                Scalar::Float(f) if suffix == "float" => NodeKind::Float(f),
                _ => NodeKind::Str(tree.intern(value)),
            },
            // Any other tag (`!custom`, `!`, `!!set`): go-yaml reads the scalar as text.
            _ => NodeKind::Str(tree.intern(value)),
        });
    }
    if !matches!(style, ScalarStyle::Plain) {
        return Ok(NodeKind::Str(tree.intern(value)));
    }
    Ok(match resolve_plain(value) {
        Scalar::Null => NodeKind::Null,
        Scalar::Bool(b) => NodeKind::Bool(b),
        Scalar::Int(i) => NodeKind::Int(i),
        Scalar::Float(f) if !f.is_finite() => {
            // sigs.k8s.io/yaml writes the document as JSON, which has no such number.
            return Err(format!("`{value}` is a float JSON cannot hold, so kubectl cannot read this document"));
        }
        Scalar::Float(f) => NodeKind::Float(f),
        Scalar::Str => NodeKind::Str(tree.intern(value)),
    })
}

/// Records the keys of a mapping (`pairs` is key, value, key, value, ...) that
/// repeat an earlier key. Keys compare by their text, so `1` and `"1"` clash as
/// they do once the API server has read the object as JSON.
fn find_duplicates(tree: &mut Tree, pairs: &[NodeId]) {
    /// Up to this many keys, comparing every pair costs less than hashing.
    const LINEAR: usize = 24;
    if pairs.len() < 4 {
        return;
    }
    fn key_text(tree: &Tree, id: NodeId) -> Option<std::borrow::Cow<'_, str>> {
        match &tree.node(id).kind {
            NodeKind::Str(s) => Some(tree.text(*s)).filter(|&text| text != "<<").map(std::borrow::Cow::Borrowed),
            NodeKind::Int(i) => Some(i.to_string().into()),
            NodeKind::Bool(b) => Some(b.to_string().into()),
            _ => None,
        }
    }
    let mut found = Vec::new();
    {
        let keys: Vec<(std::borrow::Cow<'_, str>, NodeId)> =
            pairs.iter().step_by(2).filter_map(|&key| key_text(tree, key).map(|text| (text, key))).collect();
        if keys.len() <= LINEAR {
            for (index, (text, key)) in keys.iter().enumerate() {
                if let Some((_, earlier)) = keys[..index].iter().find(|(other, _)| other == text) {
                    found.push((*earlier, *key));
                }
            }
        } else {
            let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(keys.len());
            for (text, key) in &keys {
                match seen.get(&**text) {
                    Some(&earlier) => found.push((earlier, *key)),
                    None => {
                        seen.insert(text, *key);
                    }
                }
            }
        }
    }
    tree.duplicate_keys.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builders hand their buffers to the next one on the thread: a tree must
    /// not depend on what was built (or given up on) before it.
    #[test]
    fn a_tree_does_not_depend_on_the_documents_before_it() {
        let later = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n";
        let fresh = std::thread::spawn(move || format!("{:#?}", load(later))).join().unwrap();
        let earlier = [
            // A larger tree, with anchors, aliases and a merge key (read by saphyr-parser).
            "base: &b {a: 1, b: [x, y, z]}\nderived:\n  <<: *b\n  c: \"quoted\\ttext\"\nlist:\n- - 1\n  - 2\n",
            // The fast reader starts on this one and gives up half-way (a multi-line plain scalar).
            "a:\n  b: [1, 2]\n  c: one\n    two\n",
            // An error half-way through.
            "a:\n  - b\n c: [\n",
        ];
        for text in earlier {
            load(text);
        }
        assert_eq!(format!("{:#?}", load(later)), fresh);
    }

    fn load(text: &str) -> Vec<LoadedDocument> {
        load_documents(text.as_bytes(), &Limits::default()).expect("loads")
    }

    #[test]
    fn splits_documents_and_keeps_errors_local() {
        let docs = load("a: 1\n---\nb: [\n---\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert!(docs[0].tree.is_ok());
        assert!(docs[1].tree.is_err());
        assert!(docs[2].tree.is_ok());
        assert_eq!(docs[2].index, 2);
    }

    /// Splits a file line by line, the plain way the searching split must agree with.
    fn split_line_by_line(bytes: &[u8], max_documents: usize) -> Result<Vec<(usize, usize)>, u32> {
        let mut chunks = Vec::new();
        let mut start = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let mut line_start = start;
        while line_start < bytes.len() {
            let line_end =
                bytes[line_start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| line_start + i + 1);
            match marker(bytes, line_start) {
                Some(b'-') => {
                    if line_start > start {
                        chunks.push((start, line_start));
                    }
                    start = line_start;
                }
                Some(_) => {
                    chunks.push((start, line_start));
                    start = line_end;
                }
                None => {}
            }
            if chunks.len() > max_documents {
                return Err(line_start as u32);
            }
            line_start = line_end;
        }
        if start < bytes.len() {
            chunks.push((start, bytes.len()));
            if chunks.len() > max_documents {
                return Err(start as u32);
            }
        }
        Ok(chunks)
    }

    #[test]
    fn markers_are_found_as_a_line_by_line_split_finds_them() {
        let pieces = [
            "---\n",
            "...\n",
            "--- |\n",
            "a: 1\n",
            "---x\n",
            " ---\n",
            "\n",
            "...",
            "---",
            "--- #c\r\n",
            "..x\n",
            "-\n",
        ];
        let mut checked = 0;
        // Every sequence of up to four pieces, with and without a byte order mark.
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = texts
                .iter()
                .flat_map(|text| pieces.iter().map(move |piece| [text.as_slice(), piece.as_bytes()].concat()))
                .collect();
            texts.extend(longer);
            texts.sort();
            texts.dedup();
        }
        for text in &texts {
            for bytes in [text.clone(), [b"\xEF\xBB\xBF".as_slice(), text].concat()] {
                for max_documents in [1, 2, 100] {
                    let limits = Limits { max_documents, ..Limits::default() };
                    let split = split_documents(&bytes, &limits)
                        .map(|chunks| chunks.iter().map(|chunk| (chunk.start, chunk.end)).collect::<Vec<_>>())
                        .map_err(|error| error.offset);
                    assert_eq!(
                        split,
                        split_line_by_line(&bytes, max_documents as usize),
                        "{:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[test]
    fn empty_documents_are_not_counted() {
        let docs = load("---\n# only a comment\n---\na: 1\n---\n");
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn byte_ranges_follow_non_ascii_text() {
        let text = "# caf\u{e9} \u{1F600}\nname: \u{65e5}\u{672c}\nkey: value\n";
        let docs = load(text);
        let tree = docs[0].tree.as_ref().expect("tree");
        let entry = tree.get(tree.root, "key").expect("key");
        let key = tree.raw(entry.key);
        assert_eq!(&text[key.start as usize..tree.raw(entry.value).end as usize], "key: value");
    }

    #[test]
    fn billion_laughs_fails_fast() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..12 {
            let refs: Vec<String> = (0..10).map(|_| format!("*a{}", i - 1)).collect();
            text.push_str(&format!("a{i}: &a{i} [{}]\n", refs.join(", ")));
        }
        let docs = load(&text);
        let error = docs[0].tree.as_ref().expect_err("must fail");
        assert!(error.message.contains("maxExpandedNodes"), "{}", error.message);
    }

    #[test]
    fn deep_nesting_fails_with_position() {
        // Flow nesting: the parser's own bound (255 levels) or ours, whichever comes first.
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let docs = load(&text);
        let error = docs[0].tree.as_ref().expect_err("must fail");
        assert!(error.message.contains("maxDepth") || error.message.contains("nesting"), "{}", error.message);
        assert!(error.offset <= 256, "{}", error.offset);
        // Block nesting: ours.
        let mut text = String::new();
        for depth in 0..200 {
            text.push_str(&format!("{}k:\n", "  ".repeat(depth)));
        }
        let docs = load(&text);
        let error = docs[0].tree.as_ref().expect_err("must fail");
        assert!(error.message.contains("maxDepth"), "{}", error.message);
        assert_eq!(error.offset as usize, text.find(&format!("\n{}k", "  ".repeat(128))).unwrap() + 1 + 256);
    }

    #[test]
    fn recursive_alias_is_an_error() {
        let docs = load("a: &x\n  b: *x\n");
        assert!(docs[0].tree.is_err());
    }

    #[test]
    fn duplicate_keys_are_recorded_and_last_wins() {
        let docs = load("a: 1\nb: 2\na: 3\n");
        let tree = docs[0].tree.as_ref().expect("tree");
        assert_eq!(tree.duplicate_keys.len(), 1);
        let value = tree.get(tree.root, "a").expect("a").value;
        assert!(matches!(tree.node(value).kind, NodeKind::Int(3)));
    }

    #[test]
    fn merge_keys_are_followed() {
        let docs = load("base: &b\n  x: 1\nobj:\n  <<: *b\n  y: 2\n");
        let tree = docs[0].tree.as_ref().expect("tree");
        let obj = tree.get(tree.root, "obj").expect("obj").value;
        assert!(tree.get(obj, "x").is_some());
    }

    #[test]
    fn invalid_utf8_is_local_to_its_document() {
        let mut bytes = b"a: 1\n---\nb: \xff\n---\nc: 1\n".to_vec();
        bytes.extend_from_slice(b"");
        let docs = load_documents(&bytes, &Limits::default()).expect("loads");
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[1].tree.as_ref().expect_err("bad").offset, 12);
        assert!(docs[2].tree.is_ok());
    }

    /// Tags as go-yaml v2 reads them into a generic value (checked with kubectl).
    #[test]
    fn tags_resolve_as_go_yaml_reads_them() {
        let text = "custom: !local 123\nbare: ! 12\nstr: !!str 1\nint: !!int \"42\"\nfloat: !!float 1\nbin: !!binary aGVsbG8=\nbad: !!binary \"\\xff\"\n";
        let docs = load(&text[..text.find("bad:").unwrap()]);
        let tree = docs[0].tree.as_ref().expect("tree");
        let json = tree.to_json(tree.root, 8).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"custom": "123", "bare": "12", "str": "1", "int": 42, "float": 1.0, "bin": "hello"})
        );
        let bin = tree.raw(tree.get(tree.root, "bin").expect("bin").value);
        assert_eq!(&text[bin.start as usize..bin.end as usize], "!!binary aGVsbG8=");
        let docs = load(text);
        let error = docs[0].tree.as_ref().expect_err("bad base64");
        assert!(error.message.contains("base64"), "{}", error.message);
        assert_eq!(error.offset as usize, text.find("!!binary \"").unwrap());
    }

    /// What sigs.k8s.io/yaml cannot write as JSON is an error, at the node.
    #[test]
    fn what_kubectl_cannot_turn_into_json_is_an_error_at_its_node() {
        for (text, at) in [
            ("a: 1\n~: null key\n", "~"),
            ("a: 1\n: empty key\n", ":"),
            ("a: 1\n{x: 1}: mapping key\n", "{"),
            ("a: 1\n[x]: list key\n", "["),
            ("a:\n  b: .inf\n", ".inf"),
            ("a: [.NaN]\n", ".NaN"),
            ("a:\n- -.Inf\n", "-.Inf"),
        ] {
            let docs = load(text);
            let error = docs[0].tree.as_ref().expect_err(text);
            assert_eq!(error.offset as usize, text.rfind(at).unwrap(), "{text}: {}", error.message);
            assert!(error.message.contains("kubectl cannot read"), "{}", error.message);
        }
        // Quoted, they are text.
        let docs = load("a: '.inf'\n'~': x\n");
        assert!(docs[0].tree.is_ok());
    }

    #[test]
    fn helm_source_comment_is_kept() {
        let docs = load("---\n# Source: chart/templates/deploy.yaml\nkind: Deployment\n");
        assert_eq!(docs[0].helm_source.as_deref(), Some("chart/templates/deploy.yaml"));
    }
}
