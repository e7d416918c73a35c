//! Structured operations to text edits, in the style of the document.
//!
//! The operations of one document are merged first (three fixes that each need
//! `securityContext:` on a container make one mapping), then each change is
//! written where it belongs: a new key after its last sibling, at its siblings'
//! indentation (block) or before the closing brace (flow, JSON); a new list
//! with the document's sequence style; CRLF where the document uses it; a
//! changed scalar in its quotes. Comments and blank lines are never inside an edit.

use super::{tokens, Op, Val};
use crate::yaml::scalar::{resolve_plain, Scalar};
use crate::yaml::{NodeId, NodeKind, Tree};

/// A text edit in bytes of the whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// How the document is written.
struct Style {
    newline: &'static str,
    json: bool,
    /// Indentation step of nested mappings.
    width: usize,
    /// How far a block list's `-` sits right of its key (0: flush).
    dash: usize,
}

/// Changes planned on the existing nodes, merged before anything is written.
#[derive(Default)]
struct Plan {
    /// New entries of existing mappings: (mapping, entries).
    inserts: Vec<(NodeId, Vec<(String, Val)>)>,
    /// New values of existing scalars or nulls: (node, column of its key, value).
    replaces: Vec<(NodeId, Option<usize>, Val)>,
    /// New items of existing lists.
    appends: Vec<(NodeId, Vec<Val>)>,
    /// Entries to delete: (key, value).
    removes: Vec<(NodeId, NodeId)>,
    documents: Vec<Val>,
}

/// The edits that carry out `ops` on the document whose root is `root` and
/// whose text is `text[start..end]` (`text` is the whole file, as the tree's
/// offsets are). `Err` says why the document cannot be edited.
pub(crate) fn render(
    text: &str,
    tree: &Tree,
    root: NodeId,
    (start, end): (u32, u32),
    ops: &[Op],
) -> Result<Vec<Edit>, String> {
    if tree.nodes.iter().any(|node| matches!(node.kind, NodeKind::Alias(_))) {
        return Err("the document uses YAML aliases, so one edit could change several places".into());
    }
    let doc = &text[start as usize..end as usize];
    let style = Style {
        newline: if doc.contains("\r\n") { "\r\n" } else { "\n" },
        json: text.as_bytes().get(tree.raw(root).start as usize) == Some(&b'{'),
        width: indent_width(text, tree, root).unwrap_or(2),
        dash: dash_offset(text, tree, root).unwrap_or(0),
    };
    let mut plan = Plan::default();
    for op in ops {
        match op {
            Op::Set { path, value } => set(text, tree, &mut plan, root, &tokens(path), value.clone(), None)?,
            Op::Append { path, items } => append(text, tree, &mut plan, root, path, items)?,
            Op::Remove { path, otherwise } => remove(text, tree, &mut plan, root, path, otherwise)?,
            Op::NewDocument { value } => {
                if style.json {
                    return Err("a JSON file holds one document; the new object needs a file of its own".into());
                }
                plan.documents.push(value.clone());
            }
        }
    }
    let mut edits: Vec<(Edit, usize)> = Vec::new();
    for (map, entries) in &plan.inserts {
        edits.push(insert_entries(text, tree, *map, entries, &style)?);
    }
    for (node, key_column, value) in &plan.replaces {
        edits.push(replace(text, tree, *node, *key_column, value, &style)?);
    }
    for (list, items) in &plan.appends {
        edits.push(append_items(text, tree, *list, items, &style)?);
    }
    for (key, value) in &plan.removes {
        let from = line_start(text, tree.raw(*key).start as usize);
        let to = after_line(text, content_end(text, tree.raw(*value).end as usize));
        edits.push((Edit { start: from as u32, end: to as u32, text: String::new() }, usize::MAX));
    }
    if !plan.documents.is_empty() {
        let mut out = String::new();
        if !doc.is_empty() && !doc.ends_with('\n') {
            out.push_str(style.newline);
        }
        for value in &plan.documents {
            out.push_str("---");
            out.push_str(style.newline);
            if let Val::Map(entries) = value {
                block_entries(&mut out, entries, 0, &style);
            }
        }
        edits.push((Edit { start: end, end, text: out }, 0));
    }
    // At one offset, the deeper insertion first (a container's new key before its pod's).
    edits.sort_by(|(a, a_depth), (b, b_depth)| {
        (a.start, a.end, std::cmp::Reverse(*a_depth)).cmp(&(b.start, b.end, std::cmp::Reverse(*b_depth)))
    });
    let edits: Vec<Edit> = edits.into_iter().map(|(edit, _)| edit).collect();
    for pair in edits.windows(2) {
        if pair[1].start < pair[0].end || (pair[1].start == pair[0].start && pair[0].end > pair[0].start) {
            return Err("two changes overlap".into());
        }
    }
    Ok(edits)
}

/// The written entry of `map` whose key is `key` (the last, as the API server reads it).
fn written_entry(tree: &Tree, map: NodeId, key: &str) -> Result<Option<(NodeId, NodeId)>, String> {
    let mut found = None;
    for entry in tree.entries(map) {
        match tree.as_str(entry.key) {
            Some(k) if k == key => found = Some((entry.key, entry.value)),
            Some("<<") => return Err("the mapping uses a `<<` merge key".into()),
            _ => {}
        }
    }
    Ok(found)
}

/// The value `tokens` lead to from `value`, as nested mappings.
fn nest(tokens: &[String], value: Val) -> Val {
    tokens.iter().rev().fold(value, |inner, token| Val::Map(vec![(token.clone(), inner)]))
}

fn add_insert(plan: &mut Plan, map: NodeId, key: String, value: Val) {
    let slot = match plan.inserts.iter_mut().find(|(m, _)| *m == map) {
        Some((_, entries)) => entries,
        None => {
            plan.inserts.push((map, Vec::new()));
            &mut plan.inserts.last_mut().expect("just pushed").1
        }
    };
    match slot.iter_mut().find(|(k, _)| *k == key) {
        Some((_, existing)) => existing.merge(value),
        None => slot.push((key, value)),
    }
}

fn add_replace(plan: &mut Plan, node: NodeId, key_column: Option<usize>, value: Val) {
    match plan.replaces.iter_mut().find(|(n, _, _)| *n == node) {
        Some((_, _, existing)) => existing.merge(value),
        None => plan.replaces.push((node, key_column, value)),
    }
}

fn set(
    text: &str,
    tree: &Tree,
    plan: &mut Plan,
    mut node: NodeId,
    tokens: &[String],
    value: Val,
    mut key_column: Option<usize>,
) -> Result<(), String> {
    for (at, token) in tokens.iter().enumerate() {
        match tree.raw(node).kind {
            NodeKind::Map { .. } => match written_entry(tree, node, token)? {
                Some((key, child)) => {
                    key_column = Some(column(text, tree.raw(key).start as usize));
                    node = child;
                }
                None => {
                    creates_no_parts(&tokens[at..])?;
                    let rest = nest(&tokens[at + 1..], value);
                    add_insert(plan, node, token.clone(), rest);
                    return Ok(());
                }
            },
            NodeKind::Seq { .. } => {
                let index: usize = token.parse().map_err(|_| format!("{token:?} is not a list index"))?;
                node = *tree.items(node).get(index).ok_or("the list is shorter than the fix expects")?;
                key_column = None;
            }
            NodeKind::Null => {
                creates_no_parts(&tokens[at..])?;
                add_replace(plan, node, key_column, nest(&tokens[at..], value));
                return Ok(());
            }
            _ => return Err(format!("a scalar stands where the fix expects a mapping at {token:?}")),
        }
    }
    match (&tree.raw(node).kind, value) {
        (NodeKind::Map { .. }, Val::Map(entries)) => {
            for (key, value) in entries {
                set(text, tree, plan, node, std::slice::from_ref(&key), value, key_column)?;
            }
            Ok(())
        }
        (NodeKind::Map { .. } | NodeKind::Seq { .. }, _) => Err("the fix would replace a whole mapping or list".into()),
        (NodeKind::Null, value) => {
            add_replace(plan, node, key_column, value);
            Ok(())
        }
        (_, Val::Map(_) | Val::Seq(_)) => Err("a scalar stands where the fix writes a mapping or list".into()),
        (kind, value) => {
            if !same_scalar(tree, kind, &value) {
                add_replace(plan, node, key_column, value);
            }
            Ok(())
        }
    }
}

/// A fix adds fields to an object's parts, never the parts themselves (a
/// missing `spec`, `template` or `containers` is not the fix's to write).
fn creates_no_parts(missing: &[String]) -> Result<(), String> {
    let parents = &missing[..missing.len().saturating_sub(1)];
    if parents.iter().any(|t| matches!(t.as_str(), "spec" | "template" | "containers")) {
        return Err("the object has no pod spec where the fix would write".into());
    }
    Ok(())
}

fn same_scalar(tree: &Tree, kind: &NodeKind, value: &Val) -> bool {
    match (kind, value) {
        (NodeKind::Bool(a), Val::Bool(b)) => a == b,
        (NodeKind::Int(a), Val::Int(b)) => a == b,
        (NodeKind::Str(a), Val::Str(b)) => tree.text(*a) == b,
        _ => false,
    }
}

/// Walks `path` as far as it is written: the node, or `None` when part is missing.
/// A node found at a path: its key (for a mapping entry), itself, its parent.
type Found = (Option<NodeId>, NodeId, Option<NodeId>);

fn find(tree: &Tree, root: NodeId, path: &str) -> Result<Option<Found>, String> {
    let (mut node, mut key, mut parent) = (root, None, None);
    for token in tokens(path) {
        match tree.raw(node).kind {
            NodeKind::Map { .. } => match written_entry(tree, node, &token)? {
                Some((k, value)) => {
                    parent = Some(node);
                    key = Some(k);
                    node = value;
                }
                None => return Ok(None),
            },
            NodeKind::Seq { .. } => {
                let Some(&item) = token.parse::<usize>().ok().and_then(|index| tree.items(node).get(index)) else {
                    return Ok(None);
                };
                parent = Some(node);
                key = None;
                node = item;
            }
            _ => return Ok(None),
        }
    }
    Ok(Some((key, node, parent)))
}

fn scalar_text(tree: &Tree, node: NodeId) -> Option<String> {
    match &tree.raw(node).kind {
        NodeKind::Str(text) => Some(tree.text(*text).to_string()),
        NodeKind::Int(i) => Some(i.to_string()),
        NodeKind::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn val_text(value: &Val) -> Option<String> {
    match value {
        Val::Str(text) => Some(text.clone()),
        Val::Int(i) => Some(i.to_string()),
        Val::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn append(text: &str, tree: &Tree, plan: &mut Plan, root: NodeId, path: &str, items: &[Val]) -> Result<(), String> {
    match find(tree, root, path)? {
        Some((_, list, _)) if tree.is_seq(list) => {
            let present: Vec<String> = tree.items(list).iter().filter_map(|&item| scalar_text(tree, item)).collect();
            let new: Vec<Val> =
                items.iter().filter(|item| val_text(item).is_none_or(|t| !present.contains(&t))).cloned().collect();
            if !new.is_empty() {
                match plan.appends.iter_mut().find(|(l, _)| *l == list) {
                    Some((_, existing)) => existing.extend(new),
                    None => plan.appends.push((list, new)),
                }
            }
            Ok(())
        }
        _ => set(text, tree, plan, root, &tokens(path), Val::Seq(items.to_vec()), None),
    }
}

fn remove(text: &str, tree: &Tree, plan: &mut Plan, root: NodeId, path: &str, otherwise: &Val) -> Result<(), String> {
    let Some((Some(key), value, Some(map))) = find(tree, root, path)? else {
        return Ok(()); // already gone
    };
    let block = text.as_bytes().get(tree.raw(map).start as usize) != Some(&b'{');
    let from = line_start(text, tree.raw(key).start as usize);
    let to = after_line(text, content_end(text, tree.raw(value).end as usize));
    let alone_on_lines = text[from..tree.raw(key).start as usize].trim().is_empty()
        && !text[from..to].contains('#')
        && tree.entries(map).count() > 1;
    if block && alone_on_lines {
        plan.removes.push((key, value));
        Ok(())
    } else {
        set(text, tree, plan, root, &tokens(path), otherwise.clone(), None)
    }
}

// ---- positions in the text ----

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn column(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// Where the written content before `at` ends (trailing blank lines and spaces left out).
fn content_end(text: &str, at: usize) -> usize {
    let trimmed = text[..at].trim_end_matches(['\n', '\r', ' ', '\t']);
    trimmed.len().max(line_start(text, at.min(trimmed.len())))
}

/// Just past the end of the line holding `at` (its newline included), or the end of the text.
fn after_line(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// The indentation step: a block mapping's keys against its parent's key.
fn indent_width(text: &str, tree: &Tree, root: NodeId) -> Option<usize> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if tree.is_map(node) {
            for entry in tree.entries(node) {
                if tree.is_map(entry.value) {
                    if let Some(first) = tree.entries(entry.value).next() {
                        let (parent, child) = (tree.raw(entry.key).start as usize, tree.raw(first.key).start as usize);
                        if line_start(text, parent) != line_start(text, child) {
                            let width = column(text, child).checked_sub(column(text, parent))?;
                            if width > 0 {
                                return Some(width);
                            }
                        }
                    }
                }
                stack.push(entry.value);
            }
        } else {
            stack.extend(tree.items(node).iter().copied());
        }
    }
    None
}

/// How far right of its key a block list's `-` is written.
fn dash_offset(text: &str, tree: &Tree, root: NodeId) -> Option<usize> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if tree.is_map(node) {
            for entry in tree.entries(node) {
                if let Some(&dash) = tree.item_starts(entry.value).first() {
                    if text.as_bytes().get(dash as usize) == Some(&b'-') {
                        return column(text, dash as usize)
                            .checked_sub(column(text, tree.raw(entry.key).start as usize));
                    }
                }
                stack.push(entry.value);
            }
        } else {
            stack.extend(tree.items(node).iter().copied());
        }
    }
    None
}

// ---- writing values ----

/// A key or string as written: plain when it reads back as the same string, else double-quoted.
fn string(text: &str, style: &Style) -> String {
    let plain = !style.json
        && !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'/' | b'-'))
        && !text.starts_with(['-', '.', '/'])
        && resolve_plain(text) == Scalar::Str;
    if plain {
        text.to_string()
    } else {
        serde_json::to_string(text).unwrap_or_default()
    }
}

fn scalar(value: &Val, style: &Style) -> String {
    match value {
        Val::Bool(b) => b.to_string(),
        Val::Int(i) => i.to_string(),
        Val::Str(s) => string(s, style),
        Val::Seq(_) | Val::Map(_) => flow(value, style),
    }
}

/// A value on one line: `{a: 1, b: [x]}`, or JSON in a JSON document.
fn flow(value: &Val, style: &Style) -> String {
    match value {
        Val::Map(entries) => {
            let inner: Vec<String> =
                entries.iter().map(|(key, value)| format!("{}: {}", string(key, style), flow(value, style))).collect();
            format!("{{{}}}", inner.join(", "))
        }
        Val::Seq(items) => {
            let inner: Vec<String> = items.iter().map(|item| flow(item, style)).collect();
            format!("[{}]", inner.join(", "))
        }
        other => scalar(other, style),
    }
}

/// Block entries at `indent`, each line ended.
fn block_entries(out: &mut String, entries: &[(String, Val)], indent: usize, style: &Style) {
    for (key, value) in entries {
        out.push_str(&" ".repeat(indent));
        out.push_str(&string(key, style));
        out.push(':');
        block_value(out, value, indent, style);
    }
}

/// A value after `key:` (whose key is at `indent`), its lines ended.
fn block_value(out: &mut String, value: &Val, indent: usize, style: &Style) {
    match value {
        Val::Map(entries) if !entries.is_empty() => {
            out.push_str(style.newline);
            block_entries(out, entries, indent + style.width, style);
        }
        Val::Seq(items) if !items.is_empty() => {
            out.push_str(style.newline);
            let dash = indent + style.dash;
            for item in items {
                out.push_str(&" ".repeat(dash));
                out.push_str("- ");
                match item {
                    Val::Map(entries) if !entries.is_empty() => {
                        let mut inner = String::new();
                        block_entries(&mut inner, entries, dash + 2, style);
                        out.push_str(&inner[dash + 2..]);
                    }
                    other => {
                        out.push_str(&flow(other, style));
                        out.push_str(style.newline);
                    }
                }
            }
        }
        other => {
            out.push(' ');
            out.push_str(&flow(other, style));
            out.push_str(style.newline);
        }
    }
}

/// A value in a JSON document written over several lines, its key at `indent`.
fn json_multiline(value: &Val, indent: usize, style: &Style) -> String {
    match value {
        Val::Map(entries) if !entries.is_empty() => {
            let inner = " ".repeat(indent + style.width);
            let lines: Vec<String> = entries
                .iter()
                .map(|(key, value)| {
                    format!("{inner}{}: {}", string(key, style), json_multiline(value, indent + style.width, style))
                })
                .collect();
            format!(
                "{{{nl}{}{nl}{}}}",
                lines.join(&format!(",{}", style.newline)),
                " ".repeat(indent),
                nl = style.newline
            )
        }
        other => flow(other, style),
    }
}

fn is_flow(text: &str, tree: &Tree, node: NodeId) -> bool {
    matches!(text.as_bytes().get(tree.raw(node).start as usize), Some(b'{' | b'['))
}

fn insert_entries(
    text: &str,
    tree: &Tree,
    map: NodeId,
    entries: &[(String, Val)],
    style: &Style,
) -> Result<(Edit, usize), String> {
    let node = tree.raw(map);
    let last = tree.entries(map).last();
    if is_flow(text, tree, map) {
        let close = node.end - 1;
        let Some(last) = last else {
            let inner: Vec<String> =
                entries.iter().map(|(key, value)| format!("{}: {}", string(key, style), flow(value, style))).collect();
            return Ok((Edit { start: close, end: close, text: inner.join(", ") }, 0));
        };
        let first = tree.entries(map).next().map_or(node.start, |e| tree.raw(e.key).start);
        let multiline = text[node.start as usize..first as usize].contains('\n');
        // After the last value (an implicit null, `{a, b}`, may be placed elsewhere: then after its key).
        let value = tree.raw(last.value);
        let at =
            if value.end <= close && value.end >= tree.raw(last.key).end { value.end } else { tree.raw(last.key).end };
        if at > close || text[at as usize..close as usize].contains(',') {
            return Err("a flow mapping written in a way the fix does not extend".into());
        }
        let mut out = String::new();
        for (key, value) in entries {
            if multiline {
                let indent = column(text, first as usize);
                out.push(',');
                out.push_str(style.newline);
                out.push_str(&" ".repeat(indent));
                out.push_str(&format!("{}: {}", string(key, style), json_multiline(value, indent, style)));
            } else {
                out.push_str(&format!(", {}: {}", string(key, style), flow(value, style)));
            }
        }
        return Ok((Edit { start: at, end: at, text: out }, 0));
    }
    let last = last.ok_or("an empty block mapping")?;
    let indent = column(text, tree.raw(tree.entries(map).next().expect("has a last").key).start as usize);
    let end = content_end(text, tree.raw(last.value).end.max(tree.raw(last.key).end) as usize);
    let at = after_line(text, end);
    let mut out = String::new();
    if at == text.len() && !text.ends_with('\n') {
        out.push_str(style.newline);
    }
    block_entries(&mut out, entries, indent, style);
    Ok((Edit { start: at as u32, end: at as u32, text: out }, indent + 1))
}

fn replace(
    text: &str,
    tree: &Tree,
    node: NodeId,
    key_column: Option<usize>,
    value: &Val,
    style: &Style,
) -> Result<(Edit, usize), String> {
    let raw = tree.raw(node);
    let (start, end) = (raw.start as usize, raw.end as usize);
    if matches!(raw.kind, NodeKind::Null) && start == end && !style.json && matches!(value, Val::Map(_) | Val::Seq(_)) {
        // `key:` with nothing after it, in a block mapping: the new block goes on the next lines.
        let indent = key_column.ok_or("a null list item")?;
        let mut block = String::new();
        block_value(&mut block, value, indent, style);
        let block = block.trim_end_matches(['\n', '\r']).to_string();
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line_end = if text[..line_end].ends_with('\r') { line_end - 1 } else { line_end };
        return Ok((Edit { start: line_end as u32, end: line_end as u32, text: block }, indent + 1));
    }
    let written = &text[start..end];
    let before = text[..start].trim_end_matches([' ', '\t']);
    if !matches!(raw.kind, NodeKind::Null)
        && (before.ends_with(['|', '>']) || before.ends_with('\n') && !before.trim_end().ends_with([':', '-']))
    {
        return Err("the value is a block scalar".into());
    }
    let new = match value {
        Val::Str(s) if !style.json && (written.starts_with('\'') && !s.contains('\'')) => format!("'{s}'"),
        Val::Str(s) if written.starts_with('"') || style.json => serde_json::to_string(s).unwrap_or_default(),
        other => flow(other, style),
    };
    let new = if start == end && !text[..start].ends_with(' ') { format!(" {new}") } else { new };
    Ok((Edit { start: start as u32, end: end as u32, text: new }, 0))
}

fn append_items(text: &str, tree: &Tree, list: NodeId, items: &[Val], style: &Style) -> Result<(Edit, usize), String> {
    let node = tree.raw(list);
    let written = tree.items(list);
    if is_flow(text, tree, list) {
        let rendered: Vec<String> = items.iter().map(|item| flow(item, style)).collect();
        return Ok(match written.last() {
            None => (Edit { start: node.end - 1, end: node.end - 1, text: rendered.join(", ") }, 0),
            Some(&last) => {
                let at = tree.raw(last).end;
                if at > node.end - 1 || text[at as usize..(node.end - 1) as usize].contains(',') {
                    return Err("a flow list written in a way the fix does not extend".into());
                }
                (Edit { start: at, end: at, text: format!(", {}", rendered.join(", ")) }, 0)
            }
        });
    }
    let dash = *tree.item_starts(list).first().ok_or("an empty block list")? as usize;
    let indent = column(text, dash);
    let last = *written.last().ok_or("an empty block list")?;
    let at = after_line(text, content_end(text, tree.raw(last).end as usize));
    let mut out = String::new();
    if at == text.len() && !text.ends_with('\n') {
        out.push_str(style.newline);
    }
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        out.push_str(&flow(item, style));
        out.push_str(style.newline);
    }
    Ok((Edit { start: at as u32, end: at as u32, text: out }, indent + 1))
}

/// The node at `path` from `root`, when it is written.
pub(crate) fn lookup(tree: &Tree, root: NodeId, path: &str) -> Option<NodeId> {
    find(tree, root, path).ok().flatten().map(|(_, node, _)| node)
}

/// A scalar node's value, for a fix that copies it.
pub(crate) fn scalar_value(tree: &Tree, node: NodeId) -> Option<Val> {
    match &tree.raw(node).kind {
        NodeKind::Str(text) => Some(Val::Str(tree.text(*text).to_string())),
        NodeKind::Int(i) => Some(Val::Int(*i)),
        NodeKind::Bool(b) => Some(Val::Bool(*b)),
        _ => None,
    }
}
