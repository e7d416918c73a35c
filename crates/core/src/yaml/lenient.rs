//! Reads again, the way kubectl's YAML parser does, a document saphyr-parser rejected.
//!
//! kubectl decodes manifests with go-yaml, a port of libyaml. libyaml is more
//! lenient than YAML 1.2 in a few places, and saphyr-parser follows the
//! specification there, so a document kubectl applies could be an error here.
//! These are the places (each confirmed against go-yaml and PyYAML; see docs/yaml.md):
//!
//! 1. A flow collection (`[...]`, `{...}`) whose later lines, its closing
//!    bracket included, sit at or left of the column its block context
//!    requires (at its key's column, or at the margin); tabs may indent them.
//! 2. A single- or double-quoted scalar over several lines whose later lines,
//!    its closing quote included, sit there too.
//! 3. A tab, not a space, between a mapping's `:` and its value (`key:\tvalue`).
//! 4. A comment right after a closing quote or bracket (`"x"# note`).
//!
//! The document is not changed and no parser is forked: saphyr-parser reads a
//! copy of its text with blanks inserted at the start of those later lines
//! (cases 1 and 2; inside a flow collection or a quoted scalar, a line's
//! leading blanks are no part of any value) or with the tab or comment turned
//! into spaces (cases 3 and 4), and every position it reports is mapped back
//! to the document's own bytes, so every node keeps its exact span. Each fix is
//! made where saphyr-parser's error points, one region at a time, and the text
//! is read again, a bounded number of times. A document read this way is kept
//! only when every line given blanks lies inside a flow collection or a quoted
//! scalar of the tree read: blanks anywhere else could change its structure.
//! Documents that need none of this never come here.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser};

use super::loader::{parse, Builder, LoadError, Offsets, ScanFailure};
use super::tree::Tree;
use crate::Limits;

/// At most this many fixes per document (each is one more reading of it).
const MAX_FIXES: usize = 1024;
/// And at most this many bytes read in all while fixing one document.
const MAX_BYTES_READ: usize = 64 << 20;

/// The errors of saphyr-parser that libyaml does not raise in the places above.
fn is_indentation_error(info: &str) -> bool {
    matches!(
        info,
        "invalid indentation"
            | "invalid indentation in flow construct"
            | "invalid indentation in quoted scalar"
            | "tabs disallowed within this context (block indentation)"
            | "tab cannot be used as indentation"
    )
}

/// The changes made to the text saphyr-parser reads.
#[derive(Default)]
struct Edits {
    /// Blanks inserted at the start of a line: line start → how many.
    padding: BTreeMap<usize, usize>,
    /// Byte ranges turned into spaces (a tab after `:`, a comment): start → end.
    blanked: BTreeMap<usize, usize>,
}

impl Edits {
    /// The text to read (the document's text up to `until`, edited), and where each
    /// of its characters comes from.
    fn apply(&self, text: &str, base: u32, until: usize) -> (String, Offsets) {
        let mut out = String::with_capacity(until + self.padding.values().sum::<usize>());
        let mut table = Vec::with_capacity(out.capacity() + 1);
        let mut pads = self.padding.range(..until).peekable();
        let mut blanks = self.blanked.iter().peekable();
        for (at, character) in text[..until].char_indices() {
            while let Some(&(&line, &count)) = pads.peek() {
                if line > at {
                    break;
                }
                for _ in 0..count {
                    out.push(' ');
                    table.push(line as u32);
                }
                pads.next();
            }
            while blanks.next_if(|&(_, &to)| to <= at).is_some() {}
            let blank = blanks.peek().is_some_and(|&(&from, _)| from <= at);
            out.push(if blank { ' ' } else { character });
            table.push(at as u32);
        }
        table.push(until as u32);
        (out, Offsets::from_table(base, table))
    }

    /// Pads every line that starts after `from` and at or before `to` by `count`;
    /// false when that adds nothing.
    fn pad(&mut self, text: &str, from: usize, to: usize, count: usize) -> bool {
        let mut grew = false;
        let bytes = text.as_bytes();
        let mut at = from;
        while let Some(newline) = memchr::memchr(b'\n', &bytes[at..to.min(bytes.len())]) {
            let line = at + newline + 1;
            let entry = self.padding.entry(line).or_insert(0);
            if *entry < count {
                *entry = count;
                grew = true;
            }
            at = line;
        }
        grew
    }

    fn blank(&mut self, from: usize, to: usize) -> bool {
        if from >= to || self.blanked.contains_key(&from) {
            return false;
        }
        self.blanked.insert(from, to);
        true
    }
}

/// The document `text` (at byte `base` of its file) read the way libyaml reads
/// it, after saphyr-parser stopped with `failure`; `None` when that does not
/// read it either (the first error stands).
pub(super) fn reread(
    text: &str,
    base: u32,
    limits: &Limits,
    mut failure: ScanFailure,
) -> Option<Result<Option<Tree>, LoadError>> {
    let mut edits = Edits::default();
    let mut bytes_read = 0usize;
    for _ in 0..MAX_FIXES {
        let at = (failure.offset.checked_sub(base)? as usize).min(text.len());
        if !fix(text, base, &failure.info, at, &mut edits) {
            return None;
        }
        let (edited, offsets) = edits.apply(text, base, text.len());
        bytes_read += 2 * edited.len();
        if bytes_read > MAX_BYTES_READ {
            return None;
        }
        let mut spans = Vec::new();
        match parse(&edited, &offsets, Builder::new(text, base, limits), Some(&mut spans)) {
            Ok(tree) => return padding_is_inside(&edits, base, &spans).then_some(Ok(tree)),
            Err(next) => match next.scan {
                Some(scan) => failure = scan,
                // A limit broken by the document as read: that is its error.
                None => return Some(Err(next.error)),
            },
        }
    }
    None
}

/// Changes `edits` so that the error `info` at byte `at` is not raised again; false when it cannot.
fn fix(text: &str, base: u32, info: &str, at: usize, edits: &mut Edits) -> bool {
    let bytes = text.as_bytes();
    match info {
        // `key:\tvalue`: the blanks between the `:` and `at` become spaces.
        "':' must be followed by a valid YAML whitespace" => {
            let colon = bytes[..at].iter().rposition(|&b| b != b' ' && b != b'\t');
            match colon {
                Some(colon) if bytes[colon] == b':' => edits.blank(colon + 1, at),
                _ => false,
            }
        }
        // `"x"# note`: the comment becomes spaces.
        "comments must be separated from other tokens by whitespace" if bytes.get(at) == Some(&b'#') => {
            let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
            edits.blank(at, end)
        }
        info if is_indentation_error(info) => match region(text, base, info, at, edits) {
            Some((start, end)) => {
                // Past the column the region opens at: more than any block indentation around it.
                let line_start = bytes[..start].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let opened_at = start - line_start + edits.padding.get(&line_start).copied().unwrap_or(0);
                edits.pad(text, start, end, opened_at + 1)
            }
            None => false,
        },
        _ => false,
    }
}

/// The flow collection or quoted scalar that the line holding `at` continues:
/// the byte offsets of its opening and closing bracket or quote.
fn region(text: &str, base: u32, info: &str, at: usize, edits: &Edits) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    // This error points at the scalar's opening quote.
    if let (quote @ (b'\'' | b'"'), "invalid indentation in quoted scalar") = (*bytes.get(at)?, info) {
        return Some((at, quoted_end(bytes, at, quote)?));
    }
    // Read the text up to that line: the parser ends inside the region, and its
    // events (or its error) tell which flow collection or quoted scalar is open there.
    let line = bytes[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let (prefix, offsets) = edits.apply(text, base, line);
    let mut parser = Parser::new_from_str(&prefix);
    let mut open: Vec<Option<usize>> = Vec::new();
    let start = loop {
        match parser.next_event() {
            None | Some(Ok((Event::StreamEnd, _))) => return None,
            Some(Ok((event, span))) => match event {
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let flow = span.start.index() != span.end.index();
                    open.push(flow.then(|| (offsets.byte(span.start.index()) - base) as usize));
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    open.pop();
                }
                _ => {}
            },
            Some(Err(error)) => {
                if error.info().starts_with("while scanning a quoted scalar, found unexpected end of stream") {
                    let quote = (offsets.byte(error.marker().index()) - base) as usize;
                    break quote;
                }
                // The outermost flow collection still open.
                break open.iter().flatten().copied().next()?;
            }
        }
    };
    let end = match bytes.get(start)? {
        b'[' | b'{' => flow_end(bytes, start)?,
        quote @ (b'\'' | b'"') => quoted_end(bytes, start, *quote)?,
        _ => return None,
    };
    (end >= at).then_some((start, end))
}

/// The closing bracket of the flow collection opening at `at`, found the way a
/// scanner in flow context finds it (quoted scalars and comments skipped).
fn flow_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut token_start = true;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                token_start = true;
            }
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
                token_start = false;
            }
            quote @ (b'\'' | b'"') if token_start => {
                i = quoted_end(bytes, i, quote)?;
                token_start = false;
            }
            b'#' if token_start || matches!(bytes[i - 1], b'\'' | b'"' | b']' | b'}') => {
                i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                continue;
            }
            b',' | b':' | b' ' | b'\t' | b'\r' | b'\n' => token_start = true,
            _ => token_start = false,
        }
        i += 1;
    }
    None
}

/// The closing quote of the quoted scalar opening at `at`.
fn quoted_end(bytes: &[u8], at: usize, quote: u8) -> Option<usize> {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Does every padded line start inside a flow collection or a quoted scalar
/// (`spans`, in file offsets) of the tree read?
fn padding_is_inside(edits: &Edits, base: u32, spans: &[(u32, u32)]) -> bool {
    edits.padding.keys().all(|&line| {
        let line = base + line as u32;
        spans.iter().any(|&(start, end)| start < line && line <= end)
    })
}

#[cfg(test)]
mod tests {
    use crate::yaml::loader::{build_tree_with_parser, load_documents};
    use crate::yaml::{NodeKind, Tree};
    use crate::Limits;

    fn read(text: &str) -> Tree {
        let limits = Limits::default();
        assert!(build_tree_with_parser(text, 0, &limits).is_err(), "saphyr-parser reads this by itself:\n{text}");
        let mut documents = load_documents(text.as_bytes(), &limits).expect("loads");
        documents.remove(0).tree.unwrap_or_else(|error| panic!("not read: {error:?}\n{text}"))
    }

    fn json(tree: &Tree) -> serde_json::Value {
        tree.to_json(tree.root, 64).expect("json")
    }

    /// The text of the node at `path` (keys and item indexes), as its span gives it.
    fn span<'t>(text: &'t str, tree: &Tree, path: &[&str]) -> &'t str {
        let mut node = tree.root;
        for step in path {
            node = match step.parse::<usize>() {
                Ok(index) => tree.items(node)[index],
                Err(_) => tree.get(node, step).unwrap_or_else(|| panic!("no {step}")).value,
            };
        }
        let node = tree.raw(node);
        &text[node.start as usize..node.end as usize]
    }

    fn key_span<'t>(text: &'t str, tree: &Tree, key: &str) -> &'t str {
        let node = tree.raw(tree.get(tree.root, key).expect("key").key);
        &text[node.start as usize..node.end as usize]
    }

    #[test]
    fn flow_collections_continued_left_of_their_block_indentation() {
        let text = "spec:\n  args: [\"--verbose\",\n  \"--port=8080\"\n  ]\n  map: {a: 1,\nb: yes\n}\nnext: 1\n";
        let tree = read(text);
        assert_eq!(
            json(&tree),
            serde_json::json!({"spec": {"args": ["--verbose", "--port=8080"], "map": {"a": 1, "b": true}}, "next": 1})
        );
        assert_eq!(span(text, &tree, &["spec", "args"]), "[\"--verbose\",\n  \"--port=8080\"\n  ]");
        assert_eq!(span(text, &tree, &["spec", "args", "1"]), "\"--port=8080\"");
        assert_eq!(span(text, &tree, &["spec", "map"]), "{a: 1,\nb: yes\n}");
        assert_eq!(span(text, &tree, &["spec", "map", "b"]), "yes");
        assert_eq!(key_span(text, &tree, "next"), "next");
        assert_eq!(span(text, &tree, &["next"]), "1");
    }

    #[test]
    fn flow_collections_at_the_margin_with_tabs_comments_and_nesting() {
        let text = "a:\n- [1,\n\t2, # two\n[3,\n4]]\n- {k: [x,\n]}\n";
        let tree = read(text);
        assert_eq!(json(&tree), serde_json::json!({"a": [[1, 2, [3, 4]], {"k": ["x"]}]}));
        assert_eq!(span(text, &tree, &["a", "0", "1"]), "2");
        assert_eq!(span(text, &tree, &["a", "0", "2"]), "[3,\n4]");
        assert_eq!(span(text, &tree, &["a", "1", "k", "0"]), "x");
    }

    #[test]
    fn quoted_scalars_continued_left_of_their_block_indentation() {
        let text = "k:\n  single: 'one\ntwo'\n  double: \"three\n\tfour\"\n  closing: ['sh -c\n  echo\n  ']\n";
        let tree = read(text);
        assert_eq!(
            json(&tree),
            serde_json::json!({"k": {"single": "one two", "double": "three four", "closing": ["sh -c echo "]}})
        );
        assert!(span(text, &tree, &["k", "single"]).starts_with("'one\ntwo'"));
        assert!(span(text, &tree, &["k", "double"]).starts_with("\"three\n\tfour\""));
        assert_eq!(span(text, &tree, &["k", "closing", "0"]), "'sh -c\n  echo\n  '");
    }

    #[test]
    fn a_tab_after_a_colon_separates_key_and_value() {
        let text = "hostPID:\ttrue\nname:\tweb\n";
        let tree = read(text);
        assert_eq!(json(&tree), serde_json::json!({"hostPID": true, "name": "web"}));
        assert_eq!(key_span(text, &tree, "hostPID"), "hostPID");
        assert_eq!(span(text, &tree, &["hostPID"]), "true");
        assert_eq!(span(text, &tree, &["name"]), "web");
    }

    #[test]
    fn a_comment_right_after_a_quote_or_bracket() {
        let text = "a: \"x\"# one\nb: [w]# two\nc: 'z'#three\n";
        let tree = read(text);
        assert_eq!(json(&tree), serde_json::json!({"a": "x", "b": ["w"], "c": "z"}));
        assert!(span(text, &tree, &["a"]).starts_with("\"x\""));
        assert!(span(text, &tree, &["b"]).starts_with("[w]"));
        assert_eq!(span(text, &tree, &["b", "0"]), "w");
    }

    #[test]
    fn many_regions_in_one_document_are_all_read() {
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!("k{i}: [a,\nb]\n"));
        }
        let tree = read(&text);
        assert_eq!(tree.entries(tree.root).count(), 200);
        assert!(matches!(
            tree.node(tree.items(tree.get(tree.root, "k199").expect("k199").value)[1]).kind,
            NodeKind::Str(_)
        ));
    }

    #[test]
    fn errors_libyaml_raises_too_stay_errors() {
        let limits = Limits::default();
        for text in [
            // A block mapping less indented than its siblings.
            "a:\n  b: 1\n c: 2\n",
            // A plain scalar continued at its key's column.
            "a: one\ntwo\n",
            // Flow collections and quoted scalars that never close.
            "a: [x,\ny\n",
            "a: 'x\ny\n",
            "a: {x: 1,\n",
            // A tab indenting a block mapping.
            "a:\n\tb: 1\n",
        ] {
            let documents = load_documents(text.as_bytes(), &limits).expect("loads");
            let error = documents[0].tree.as_ref().expect_err(text);
            let first = build_tree_with_parser(text, 0, &limits).expect_err(text);
            assert_eq!(error, &first, "{text}");
        }
    }

    #[test]
    fn limits_hold_in_a_document_read_again() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        let text = "a: [[[[1,\n2]]]]\n";
        let documents = load_documents(text.as_bytes(), &limits).expect("loads");
        let error = documents[0].tree.as_ref().expect_err("too deep");
        assert!(error.message.contains("maxDepth"), "{}", error.message);
        // At the fourth bracket, which opens the fourth level.
        assert_eq!(error.offset, 5);
    }

    #[test]
    fn non_ascii_text_keeps_its_byte_offsets() {
        let text = "caf\u{e9}: ['\u{65e5}\u{672c}',\n'\u{e9}t\u{e9}']\nnext: x\n";
        let tree = read(text);
        assert_eq!(json(&tree), serde_json::json!({"caf\u{e9}": ["\u{65e5}\u{672c}", "\u{e9}t\u{e9}"], "next": "x"}));
        assert_eq!(span(text, &tree, &["caf\u{e9}", "1"]), "'\u{e9}t\u{e9}'");
        assert_eq!(span(text, &tree, &["next"]), "x");
    }
}
