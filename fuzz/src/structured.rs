//! Structure-aware inputs: seed manifests parsed into a small tree, mutated by
//! the fuzzer's bytes (types swapped, keys duplicated, anchors and aliases and
//! merge keys inserted, nesting deepened, subtrees cloned, flow and block styles
//! mixed), and written back as a multi-document YAML stream whose document count
//! is known exactly.

use arbitrary::{Result, Unstructured};
use saphyr_parser::{Event, Parser};

/// A YAML node as the mutator sees it.
#[derive(Debug, Clone)]
pub enum Node {
    Scalar(String),
    Seq(Vec<Node>, bool),
    Map(Vec<(Node, Node)>, bool),
    Alias(String),
    Anchored(String, Box<Node>),
}

const SEEDS: &[&str] = &[
    include_str!("../../examples/manifests/insecure/shop.yaml"),
    include_str!("../../examples/manifests/insecure/jobs.yaml"),
    include_str!("../../examples/manifests/insecure/agent.json"),
    include_str!("../../examples/manifests/hardened/shop.yaml"),
    include_str!("../../examples/manifests/hardened/jobs.yaml"),
    include_str!("../../examples/manifests/hardened/agent.json"),
];

/// Every document of every seed manifest, parsed once.
pub fn seed_documents() -> Vec<Node> {
    SEEDS.iter().flat_map(|seed| parse(seed)).collect()
}

/// Parses a YAML stream into trees (anchors become `sN`); a stream the parser
/// rejects gives the documents read before the error.
pub fn parse(text: &str) -> Vec<Node> {
    enum Open {
        Seq(Vec<Node>, usize),
        Map(Vec<Node>, usize),
    }
    let mut documents = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let wrap = |node: Node, anchor: usize| {
        if anchor == 0 {
            node
        } else {
            Node::Anchored(format!("s{anchor}"), Box::new(node))
        }
    };
    for next in Parser::new_from_str(text) {
        let Ok((event, _)) = next else { break };
        let finished = match event {
            Event::Scalar(value, _, anchor, _) => Some(wrap(Node::Scalar(value.to_string()), anchor)),
            Event::Alias(anchor) => Some(Node::Alias(format!("s{anchor}"))),
            Event::SequenceStart(anchor, _) => {
                stack.push(Open::Seq(Vec::new(), anchor));
                None
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Open::Map(Vec::new(), anchor));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::Seq(items, anchor)) => Some(wrap(Node::Seq(items, false), anchor)),
                Some(Open::Map(flat, anchor)) => {
                    let mut pairs = Vec::new();
                    let mut flat = flat.into_iter();
                    while let (Some(k), Some(v)) = (flat.next(), flat.next()) {
                        pairs.push((k, v));
                    }
                    Some(wrap(Node::Map(pairs, false), anchor))
                }
                None => break,
            },
            _ => None,
        };
        if let Some(node) = finished {
            match stack.last_mut() {
                Some(Open::Seq(items, _)) | Some(Open::Map(items, _)) => items.push(node),
                None => documents.push(node),
            }
        }
    }
    documents
}

const SPECIAL_SCALARS: &[&str] = &[
    "true",
    "yes",
    "on",
    "y",
    "no",
    "off",
    "false",
    "0",
    "-1",
    "0x1F",
    "0o17",
    "1e3",
    ".inf",
    "~",
    "null",
    "",
    "<<",
    "root",
    "privileged",
    "RuntimeDefault",
    "Unconfined",
    "ALL",
    "SYS_ADMIN",
    "NET_RAW",
    "65534",
    "4294967296",
    "9223372036854775808",
    "apps/v1",
    "v1",
    "Pod",
    "Deployment",
    "List",
    "DaemonSet",
    "CronJob",
    "Job",
    "kube-system",
    "kubeward.io/ignore",
    "---",
    "...",
    "#",
    "- x",
    "a: b",
    "\u{e9}\u{1F600}\u{65e5}",
    "\u{feff}",
    "line\nbreak",
    "tab\there",
    "spec",
    "containers",
    "securityContext",
    "hostPID",
    "runAsUser",
    "items",
    "metadata",
    "name",
    "annotations",
];

fn scalar(u: &mut Unstructured<'_>) -> Result<Node> {
    Ok(Node::Scalar(match u.int_in_range(0..=9u8)? {
        0 => String::arbitrary_take(u)?,
        1 => "x".repeat(u.int_in_range(1..=5000usize)?),
        _ => u.choose(SPECIAL_SCALARS)?.to_string(),
    }))
}

trait ArbitraryTake: Sized {
    fn arbitrary_take(u: &mut Unstructured<'_>) -> Result<Self>;
}

impl ArbitraryTake for String {
    fn arbitrary_take(u: &mut Unstructured<'_>) -> Result<Self> {
        let len = u.int_in_range(0..=24usize)?;
        let mut out = String::new();
        for _ in 0..len {
            out.push(u.arbitrary::<char>()?);
        }
        Ok(out)
    }
}

/// The nodes of a tree in pre-order, as index paths.
fn paths(node: &Node, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(prefix.clone());
    let children: Vec<&Node> = match node {
        Node::Seq(items, _) => items.iter().collect(),
        Node::Map(pairs, _) => pairs.iter().flat_map(|(k, v)| [k, v]).collect(),
        Node::Anchored(_, inner) => vec![inner],
        _ => Vec::new(),
    };
    for (i, child) in children.into_iter().enumerate() {
        prefix.push(i);
        paths(child, prefix, out);
        prefix.pop();
    }
}

fn at<'n>(node: &'n mut Node, path: &[usize]) -> &'n mut Node {
    let Some((&first, rest)) = path.split_first() else { return node };
    let exists = match &*node {
        Node::Seq(items, _) => first < items.len(),
        Node::Map(pairs, _) => first / 2 < pairs.len(),
        Node::Anchored(..) => true,
        _ => false,
    };
    if !exists {
        return node;
    }
    match node {
        Node::Seq(items, _) => at(&mut items[first], rest),
        Node::Map(pairs, _) => {
            let (key, value) = &mut pairs[first / 2];
            at(if first % 2 == 0 { key } else { value }, rest)
        }
        Node::Anchored(_, inner) => at(inner, rest),
        other => other,
    }
}

/// Applies one mutation chosen by `u` to `root`; `anchors` numbers new anchors.
fn mutate(u: &mut Unstructured<'_>, root: &mut Node, anchors: &mut usize) -> Result<()> {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let path = u.choose(&all)?.clone();
    let operation = u.int_in_range(0..=10u8)?;
    if operation == 6 {
        // Anchor a node, then alias it (or merge it) from a new key at the end
        // of the root mapping, which comes after it in document order.
        *anchors += 1;
        let name = format!("a{anchors}");
        let target = at(root, &path);
        if matches!(target, Node::Anchored(..) | Node::Alias(_)) {
            return Ok(());
        }
        let taken = std::mem::replace(target, Node::Scalar(String::new()));
        *target = Node::Anchored(name.clone(), Box::new(taken));
        let reference = if u.arbitrary()? {
            Node::Alias(name)
        } else {
            Node::Map(
                vec![
                    (Node::Scalar("<<".into()), Node::Alias(name)),
                    (Node::Scalar("extra".into()), Node::Scalar("1".into())),
                ],
                u.arbitrary()?,
            )
        };
        if let Node::Map(pairs, _) = root {
            pairs.push((Node::Scalar(format!("z{anchors}")), reference));
        }
        return Ok(());
    }
    if operation == 7 {
        // Clone a subtree into a mapping or sequence elsewhere (duplicated containers, keys).
        let copy = at(root, &path).clone();
        let destination = u.choose(&all)?.clone();
        match at(root, &destination) {
            Node::Seq(items, _) => items.push(copy),
            Node::Map(pairs, _) => {
                let key = match pairs.first() {
                    Some((key, _)) if u.arbitrary()? => key.clone(),
                    _ => Node::Scalar("containers".into()),
                };
                pairs.push((key, copy));
            }
            _ => {}
        }
        return Ok(());
    }
    let target = at(root, &path);
    match operation {
        0 | 1 => *target = scalar(u)?,
        2 => {
            // Swap a collection's type: a mapping becomes the list of its values, a list a mapping.
            let taken = std::mem::replace(target, Node::Scalar(String::new()));
            *target = match taken {
                Node::Map(pairs, flow) => Node::Seq(pairs.into_iter().map(|(_, v)| v).collect(), flow),
                Node::Seq(items, flow) => Node::Map(
                    items.into_iter().enumerate().map(|(i, v)| (Node::Scalar(i.to_string()), v)).collect(),
                    flow,
                ),
                other => Node::Seq(vec![other], u.arbitrary()?),
            };
        }
        3 => {
            if let Node::Map(pairs, _) = target {
                if !pairs.is_empty() {
                    let index = u.choose_index(pairs.len())?;
                    let mut entry = pairs[index].clone();
                    if u.arbitrary()? {
                        entry.1 = scalar(u)?;
                    }
                    let position = u.int_in_range(0..=pairs.len())?;
                    pairs.insert(position, entry);
                }
            }
        }
        4 => {
            // Deepen: wrap in up to 300 levels, past the depth limit sometimes.
            let levels = u.int_in_range(1..=300usize)?;
            let as_map: bool = u.arbitrary()?;
            let flow: bool = u.arbitrary()?;
            let mut node = std::mem::replace(target, Node::Scalar(String::new()));
            for _ in 0..levels {
                node = if as_map {
                    Node::Map(vec![(Node::Scalar("k".into()), node)], flow)
                } else {
                    Node::Seq(vec![node], flow)
                };
            }
            *target = node;
        }
        5 => match target {
            Node::Seq(items, _) if !items.is_empty() => {
                let index = u.choose_index(items.len())?;
                items.remove(index);
            }
            Node::Map(pairs, _) if !pairs.is_empty() => {
                let index = u.choose_index(pairs.len())?;
                pairs.remove(index);
            }
            _ => {}
        },
        8 => match target {
            Node::Seq(_, flow) | Node::Map(_, flow) => *flow = !*flow,
            _ => {}
        },
        9 => {
            // Many keys or items in one collection.
            let count = u.int_in_range(1..=2000usize)?;
            match target {
                Node::Map(pairs, _) => {
                    pairs.extend((0..count).map(|i| (Node::Scalar(format!("k{i}")), Node::Scalar(i.to_string()))))
                }
                Node::Seq(items, _) => items.extend((0..count).map(|i| Node::Scalar(i.to_string()))),
                _ => {}
            }
        }
        _ => *target = Node::Alias(format!("undefined{}", u.int_in_range(0..=3u8)?)),
    }
    Ok(())
}

fn plain_ok(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-'))
}

fn emit_scalar(text: &str, out: &mut String) {
    if plain_ok(text) {
        out.push_str(text);
    } else {
        // JSON strings are YAML double-quoted scalars.
        out.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()));
    }
}

fn emit_flow(node: &Node, out: &mut String) {
    match node {
        Node::Scalar(text) => emit_scalar(text, out),
        Node::Alias(name) => {
            out.push('*');
            out.push_str(name);
            out.push(' ');
        }
        Node::Anchored(name, inner) => {
            out.push('&');
            out.push_str(name);
            out.push(' ');
            emit_flow(inner, out);
        }
        Node::Seq(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                emit_flow(item, out);
            }
            out.push(']');
        }
        Node::Map(pairs, _) => {
            out.push('{');
            for (i, (key, value)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                emit_flow(key, out);
                out.push_str(": ");
                emit_flow(value, out);
            }
            out.push('}');
        }
    }
}

/// Is this node written as an indented block (a non-empty block collection)?
fn is_block(node: &Node) -> bool {
    match node {
        Node::Seq(items, flow) => !flow && !items.is_empty(),
        Node::Map(pairs, flow) => !flow && !pairs.is_empty(),
        Node::Anchored(_, inner) => is_block(inner),
        _ => false,
    }
}

/// Writes a block collection at `indent` (the caller wrote everything before it and a newline).
fn emit_block(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Anchored(_, inner) => emit_block(inner, indent, out),
        Node::Seq(items, _) => {
            for item in items {
                out.push_str(&pad);
                out.push('-');
                emit_after_indicator(item, indent + 2, out);
            }
        }
        Node::Map(pairs, _) => {
            for (key, value) in pairs {
                out.push_str(&pad);
                emit_flow(key, out);
                if matches!(key, Node::Alias(_)) {
                    out.push(' ');
                }
                out.push(':');
                emit_after_indicator(value, indent + 2, out);
            }
        }
        other => {
            out.push_str(&pad);
            emit_flow(other, out);
            out.push('\n');
        }
    }
}

/// Writes a value after `- ` or `key:`: inline, or on the next lines when it is a block.
fn emit_after_indicator(node: &Node, indent: usize, out: &mut String) {
    if is_block(node) {
        if let Node::Anchored(name, _) = node {
            out.push_str(" &");
            out.push_str(name);
        }
        out.push('\n');
        emit_block(node, indent, out);
    } else {
        out.push(' ');
        emit_flow(node, out);
        out.push('\n');
    }
}

/// A stream built from seed documents and mutations, and how many documents it holds.
#[derive(Debug)]
pub struct Stream {
    pub text: Vec<u8>,
    pub documents: usize,
}

/// Builds a stream of 1 to 5 mutated documents (some wrapped in a `List`, some cut short).
pub fn stream(u: &mut Unstructured<'_>, seeds: &[Node]) -> Result<Stream> {
    let count = u.int_in_range(1..=5usize)?;
    let mut text = Vec::new();
    let mut anchors = 0;
    for index in 0..count {
        let mut documents = vec![u.choose(seeds)?.clone()];
        if u.ratio(1, 4)? {
            documents.push(u.choose(seeds)?.clone());
        }
        for document in &mut documents {
            for _ in 0..u.int_in_range(0..=8u8)? {
                mutate(u, document, &mut anchors)?;
            }
        }
        let root = if documents.len() > 1 {
            Node::Map(
                vec![
                    (Node::Scalar("apiVersion".into()), Node::Scalar("v1".into())),
                    (Node::Scalar("kind".into()), Node::Scalar("List".into())),
                    (Node::Scalar("items".into()), Node::Seq(documents, u.arbitrary()?)),
                ],
                false,
            )
        } else {
            documents.pop().unwrap_or(Node::Scalar("x".into()))
        };
        let mut document = String::new();
        if is_block(&root) {
            if let Node::Anchored(name, _) = &root {
                document.push('&');
                document.push_str(name);
                document.push('\n');
            }
            emit_block(&root, 0, &mut document);
        } else {
            emit_flow(&root, &mut document);
            document.push('\n');
        }
        let mut bytes = document.into_bytes();
        if u.ratio(1, 8)? {
            // Cut the document short (maybe inside a UTF-8 character); its first line stays.
            let keep = u.int_in_range(1..=bytes.len().max(1))?;
            bytes.truncate(keep);
            bytes.push(b'\n');
        }
        if index > 0 || u.arbitrary()? {
            text.extend_from_slice(if u.arbitrary()? { b"---\n" } else { b"--- # next\n" });
        }
        text.extend_from_slice(&bytes);
        if u.ratio(1, 6)? {
            text.extend_from_slice(b"...\n# between documents\n");
        }
    }
    Ok(Stream { text, documents: count })
}
