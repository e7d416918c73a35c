//! Code actions for a finding: its fixes (worked out by the core on request), then
//! "exempt with a reason", which writes the `kubeward.io/ignore` annotation.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, Command, Range, TextEdit, Uri, WorkspaceEdit};

use crate::diagnostics::Entry;
use crate::text::{position_at, Encoding};

/// The reason an exemption is written with, for the user to replace.
pub(crate) const REASON_PLACEHOLDER: &str = "TODO: why this exemption is acceptable";

/// The command that selects the reason placeholder after the edit (sent back
/// to the server, which asks the client to show the document with it selected).
pub(crate) const SELECT_COMMAND: &str = "kubeward.selectReason";

/// What the client can do with a code action.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ClientActions {
    /// `window/showDocument` with a selection.
    pub(crate) show_document: bool,
}

/// Every code action for one diagnostic, in order: the finding's fixes (safe
/// ones first), then the exemption. `engine` is the engine of the file's
/// group, which works the fixes out against the text the diagnostic was
/// computed on.
pub(crate) fn actions_for(
    entry: &Entry,
    uri: &Uri,
    encoding: Encoding,
    client: ClientActions,
    engine: Option<&kubeward::Engine>,
) -> Vec<CodeAction> {
    let fixes = match (&entry.finding, engine) {
        (Some(finding), Some(engine)) => {
            engine.fixes_for(&kubeward::Source::new(&finding.file, entry.text.as_bytes()), finding)
        }
        _ => Vec::new(),
    };
    let (mut exemptions, mut repairs): (Vec<_>, Vec<_>) =
        fixes.into_iter().partition(|fix| fix.safety == kubeward::FixSafety::Exemption);
    repairs.sort_by_key(|fix| fix.safety);
    let mut actions: Vec<CodeAction> =
        repairs.iter().enumerate().map(|(index, fix)| fix_action(entry, uri, encoding, fix, index == 0)).collect();
    // The server's own exemption selects the reason placeholder; where it cannot
    // write one (JSON, flow style, List items), the core's exemption is offered.
    match exempt_action(entry, uri, encoding, client) {
        Some(action) => actions.push(action),
        None => actions.extend(exemptions.drain(..).map(|fix| fix_action(entry, uri, encoding, &fix, false))),
    }
    actions
}

/// One fix of the core as a quick fix.
fn fix_action(entry: &Entry, uri: &Uri, encoding: Encoding, fix: &kubeward::Fix, preferred: bool) -> CodeAction {
    let edits: Vec<TextEdit> = fix
        .edits
        .iter()
        .map(|edit| TextEdit {
            range: Range {
                start: position_at(&entry.text, edit.range.start.offset as usize, encoding),
                end: position_at(&entry.text, edit.range.end.offset as usize, encoding),
            },
            new_text: edit.text.clone(),
        })
        .collect();
    let title = match fix.safety {
        kubeward::FixSafety::Unsafe => format!("{} (may stop the workload: review)", fix.title),
        _ => fix.title.clone(),
    };
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![entry.diagnostic.clone()]),
        edit: Some(WorkspaceEdit { changes: Some(HashMap::from([(uri.clone(), edits)])), ..Default::default() }),
        is_preferred: Some(preferred && fix.safety == kubeward::FixSafety::Safe),
        ..CodeAction::default()
    }
}

fn exempt_action(entry: &Entry, uri: &Uri, encoding: Encoding, client: ClientActions) -> Option<CodeAction> {
    let finding = entry.finding.as_ref()?;
    if finding.item.is_some() {
        return None; // an item of a List: its metadata is not at the document's top level
    }
    let (start, end) = entry.document?;
    let ignore = match &finding.container {
        Some(container) => format!("{}:{container}", finding.check),
        None => finding.check.clone(),
    };
    let edit = exempt_edit(&entry.text, (start, end), &ignore)?;
    let text_edit = TextEdit {
        range: Range {
            start: position_at(&entry.text, edit.start, encoding),
            end: position_at(&entry.text, edit.end, encoding),
        },
        new_text: edit.new_text.clone(),
    };
    let command = match (client.show_document, edit.placeholder) {
        (true, Some(at)) => {
            let mut after = String::with_capacity(entry.text.len() + edit.new_text.len());
            after.push_str(&entry.text[..edit.start]);
            after.push_str(&edit.new_text);
            after.push_str(&entry.text[edit.end..]);
            let from = edit.start + at;
            let selection = Range {
                start: position_at(&after, from, encoding),
                end: position_at(&after, from + REASON_PLACEHOLDER.len(), encoding),
            };
            Some(Command {
                title: "Select the exemption's reason".into(),
                command: SELECT_COMMAND.into(),
                arguments: Some(vec![serde_json::json!(uri.as_str()), serde_json::to_value(selection).ok()?]),
            })
        }
        _ => None,
    };
    Some(CodeAction {
        title: format!("Exempt this object from {ignore} (kubeward.io/ignore, with a reason)"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![entry.diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![text_edit])])),
            ..Default::default()
        }),
        command,
        ..CodeAction::default()
    })
}

/// One replacement of `text[start..end]` by `new_text`; `placeholder` is the
/// reason placeholder's offset in `new_text`, when the edit writes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) new_text: String,
    pub(crate) placeholder: Option<usize>,
}

/// A line of a document: its byte range (newline excluded), indentation and text after it.
struct Line<'t> {
    start: usize,
    end: usize,
    indent: usize,
    body: &'t str,
}

fn lines_of(text: &str, (from, to): (usize, usize)) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut at = text[..from.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let to = to.min(text.len());
    while at < to {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let raw = &text[at..end];
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let body = raw.trim_start_matches(' ');
        lines.push(Line { start: at, end: at + raw.len(), indent: raw.len() - body.len(), body });
        at = end + 1;
    }
    lines
}

/// Is this line blank or a comment?
fn is_blank(line: &Line<'_>) -> bool {
    line.body.is_empty() || line.body.starts_with('#')
}

/// For a line `key: rest`, `rest` without a trailing comment (when the line's key is `key`).
fn value_of<'t>(line: &Line<'t>, key: &str) -> Option<&'t str> {
    let rest = line.body.strip_prefix(key)?.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let rest = rest.trim();
    Some(if rest.starts_with('#') { "" } else { rest })
}

/// The children of the block at `lines[index]` (lines indented more, up to the next line that is not).
fn children<'a, 't>(lines: &'a [Line<'t>], index: usize) -> impl Iterator<Item = (usize, &'a Line<'t>)> {
    let indent = lines[index].indent;
    lines
        .iter()
        .enumerate()
        .skip(index + 1)
        .take_while(move |(_, line)| is_blank(line) || line.indent > indent)
        .filter(|(_, line)| !is_blank(line))
}

fn quote(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The edit that adds `ignore` to the `kubeward.io/ignore` annotation of the
/// block-style YAML object in `text[document.0..document.1]`, with a reason
/// placeholder unless a reason is already written. `None` when the object is
/// not written in block style (JSON, flow mappings) or already exempt.
pub(crate) fn exempt_edit(text: &str, document: (usize, usize), ignore: &str) -> Option<Edit> {
    let lines = lines_of(text, document);
    let first = lines.iter().position(|line| !is_blank(line) && line.body != "---")?;
    if lines[first].body.starts_with('{') || lines[first].body.starts_with('-') {
        return None;
    }
    let root = lines[first].indent;
    let metadata =
        (first..lines.len()).find(|&i| lines[i].indent == root && value_of(&lines[i], "metadata").is_some())?;
    if !value_of(&lines[metadata], "metadata")?.is_empty() {
        return None; // flow style
    }
    let metadata_children: Vec<(usize, &Line<'_>)> = children(&lines, metadata).collect();
    let child_indent = metadata_children.first().map_or(root + 2, |(_, line)| line.indent);
    let annotations = metadata_children
        .iter()
        .find(|(_, line)| line.indent == child_indent && value_of(line, "annotations").is_some())
        .map(|&(i, _)| i);
    let reason_line = |indent: usize| format!("{}kubeward.io/ignore-reason: \"", " ".repeat(indent));
    let Some(annotations) = annotations else {
        // No annotations yet: written right under `metadata:`.
        let pad = " ".repeat(child_indent);
        let mut new_text = format!("{pad}annotations:\n{pad}  kubeward.io/ignore: {}\n", quote(ignore));
        let reason = reason_line(child_indent + 2);
        let placeholder = new_text.len() + reason.len();
        new_text.push_str(&format!("{reason}{REASON_PLACEHOLDER}\"\n"));
        let at = (lines[metadata].end + 1).min(text.len());
        let new_text = if at == lines[metadata].end { format!("\n{new_text}") } else { new_text };
        let placeholder = placeholder + usize::from(at == lines[metadata].end);
        return Some(Edit { start: at, end: at, new_text, placeholder: Some(placeholder) });
    };
    if !value_of(&lines[annotations], "annotations")?.is_empty() {
        return None; // flow style
    }
    let entries: Vec<(usize, &Line<'_>)> = children(&lines, annotations).collect();
    let indent = entries.first().map_or(child_indent + 2, |(_, line)| line.indent);
    let has_reason = entries.iter().any(|(_, line)| value_of(line, "kubeward.io/ignore-reason").is_some());
    let existing = entries.iter().find_map(|(_, line)| value_of(line, "kubeward.io/ignore").map(|value| (line, value)));
    let pad = " ".repeat(indent);
    let (start, end, mut new_text) = match existing {
        Some((line, value)) => {
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            if value.split(',').any(|entry| entry.split('@').next().map(str::trim) == Some(ignore)) {
                return None;
            }
            let joined = if value.trim().is_empty() { ignore.to_string() } else { format!("{value}, {ignore}") };
            (line.start, line.end, format!("{pad}kubeward.io/ignore: {}", quote(&joined)))
        }
        None => {
            let at = lines[annotations].end;
            (at, at, format!("\n{pad}kubeward.io/ignore: {}", quote(ignore)))
        }
    };
    let mut placeholder = None;
    if !has_reason {
        let reason = reason_line(indent);
        placeholder = Some(new_text.len() + 1 + reason.len());
        new_text.push_str(&format!("\n{reason}{REASON_PLACEHOLDER}\""));
    }
    Some(Edit { start, end, new_text, placeholder })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, edit: &Edit) -> String {
        format!("{}{}{}", &text[..edit.start], edit.new_text, &text[edit.end..])
    }

    #[test]
    fn annotations_are_added_under_metadata() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostPID: true\n";
        let edit = exempt_edit(text, (0, text.len()), "no-host-namespaces").unwrap();
        let after = apply(text, &edit);
        assert_eq!(
            after,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    kubeward.io/ignore: \"no-host-namespaces\"\n    \
             kubeward.io/ignore-reason: \"TODO: why this exemption is acceptable\"\n  name: web\nspec:\n  hostPID: true\n"
        );
        let at = edit.start + edit.placeholder.unwrap();
        assert_eq!(&after[at..at + REASON_PLACEHOLDER.len()], REASON_PLACEHOLDER);
    }

    #[test]
    fn an_existing_ignore_is_extended_and_its_reason_kept() {
        let text = "kind: Pod\nmetadata:\n  name: web\n  annotations:\n    kubeward.io/ignore: a\n    kubeward.io/ignore-reason: legacy\n";
        let edit = exempt_edit(text, (0, text.len()), "b:app").unwrap();
        assert_eq!(edit.placeholder, None);
        assert!(apply(text, &edit)
            .contains("    kubeward.io/ignore: \"a, b:app\"\n    kubeward.io/ignore-reason: legacy\n"));
        let text = "kind: Pod\nmetadata:\n  annotations:\n    team: x\n";
        let after = apply(text, &exempt_edit(text, (0, text.len()), "c").unwrap());
        assert_eq!(after, format!("kind: Pod\nmetadata:\n  annotations:\n    kubeward.io/ignore: \"c\"\n    kubeward.io/ignore-reason: \"{REASON_PLACEHOLDER}\"\n    team: x\n"));
    }

    #[test]
    fn flow_style_and_json_get_no_exemption() {
        for text in ["{\"kind\": \"Pod\", \"metadata\": {}}", "kind: Pod\nmetadata: {name: a}\n"] {
            assert_eq!(exempt_edit(text, (0, text.len()), "x"), None, "{text}");
        }
    }

    #[test]
    fn the_second_document_is_edited_in_place() {
        let text = "kind: A\nmetadata:\n  name: a\n---\nkind: B\nmetadata:\n  name: b\n";
        let start = text.find("kind: B").unwrap();
        let after = apply(text, &exempt_edit(text, (start, text.len()), "x").unwrap());
        assert!(
            after.starts_with("kind: A\nmetadata:\n  name: a\n---\nkind: B\nmetadata:\n  annotations:\n"),
            "{after}"
        );
    }
}
