//! The fast reader against saphyr-parser: wherever it accepts a document, the
//! trees (nodes, kinds, byte ranges, children, item starts, duplicate keys,
//! scalar text) must be the same.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::read;
use crate::yaml::loader::{build_tree_with_parser, load_documents};
use crate::Limits;

/// `Some(true)` when the fast reader read `text` and agrees with saphyr-parser,
/// `None` when it left `text` to saphyr-parser; panics when they disagree.
fn agrees(text: &str, base: u32) -> Option<bool> {
    let limits = Limits::default();
    let fast = read(text, base, &limits)?;
    let exact = build_tree_with_parser(text, base, &limits);
    let exact = match exact {
        Ok(Some(tree)) => tree,
        other => panic!("the fast reader accepted what saphyr-parser rejects ({other:?}):\n{text}"),
    };
    // Debug text compares floats by value, NaN included.
    let (fast, exact) = (format!("{fast:#?}"), format!("{exact:#?}"));
    if fast != exact {
        let line = fast.lines().zip(exact.lines()).position(|(a, b)| a != b).unwrap_or(0);
        let context = |tree: &str| tree.lines().skip(line.saturating_sub(6)).take(12).collect::<Vec<_>>().join("\n");
        panic!(
            "trees differ for\n{text}\n--- fast reader:\n{}\n--- saphyr-parser:\n{}",
            context(&fast),
            context(&exact)
        );
    }
    Some(true)
}

fn accepted(text: &str) {
    assert_eq!(agrees(text, 0), Some(true), "the fast reader should read:\n{text}");
}

fn declined(text: &str) {
    assert_eq!(agrees(text, 0), None, "the fast reader should leave this to saphyr-parser:\n{text}");
}

#[test]
fn reads_block_mappings_sequences_and_scalars() {
    accepted("a: 1\nb:\nc:   x y   # comment\nd: \"q\" \ne: 'it''s'\nf: ~\ng: yes\nh: -1.5\n");
    accepted("---\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: b\n  -   name: c\n");
    accepted("--- # a comment\nlist:\n  - x\n  -   \"y\"  \n  -\n  - \n  - k: v\n    k2: v2\n  -\n    - nested\n");
    accepted("- a\n- b: 1\n  c: |\n    x\n- |-\n  y\n-\n  - z\n");
    accepted("\"k\": v\n'k2': \"x\"\nz: \"end\"");
    accepted("  indented: root\n  second: 2\n");
    accepted("a:\n- x\n- y\nb: 1\n# trailing comment\n");
    accepted("a: b#c\nurl: http://x:80/y\nempty: ''\nspaces: '  '\n-key: 1\n1: int key\n");
    accepted("dup: 1\nother: 2\nthird: 3\ndup: 4\n");
}

#[test]
fn reads_flow_collections_on_one_line() {
    accepted("a: [1, 2]\nb: {c: d, \"e\": 'f'}\nc: []\nd: {}\ne: [ x,y , \"z\" ]   # comment\nf: [x,]\n");
    accepted("name:\n- [1, 2]   # trailing comment\n");
    accepted("egress:\n- {}\nb:\n  - {}\n  - [x, [y, {z: 1}]]\nc: 1\n");
    accepted("- [1]   # c\n- \"x\"  # d\n- y\n");
}

#[test]
fn reads_block_scalars_with_every_chomping() {
    accepted("m:\n  n: |\n    line1\n     line2\n\n  o: >-\n    f1\n    f2\n\n    f3\n  p: |+\n    keep\n\n  # comment\nq: end\n");
    accepted("f: |\n\n  late\ng: |-\n  tail\n");
    accepted("a: |\n  x\n\nb: >\n  f1\n\n\n  f2\n  f3\n");
    accepted("a: |  # comment\n  # not a comment\n  text\nb: >+\n  kept\n\n\n");
    accepted("- |\n  in a sequence\n-  >-\n   folded\n   lines\n");
}

#[test]
fn leaves_everything_else_to_saphyr() {
    for text in [
        "a: [1,\n  2]\n",
        "a: [b: c]\n",
        "a: {b}\n",
        "a: {b:c}\n",
        "a: [b # c\n  ]\n",
        "a: [, b]\n",
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: \"line \\\n  folded\"\n",
        "a: \"\\q unknown escape\"\n",
        "a: \"\\x4\"\n",
        "a: \"\\uD800 surrogate\"\n",
        "a: multi\n  line plain\n",
        "a: 'multi\n  line'\n",
        "a:\tb\n",
        "a: b\r\n",
        "? complex\n: key\n",
        "%YAML 1.2\n---\na: 1\n",
        "--- |\n  text\n",
        "just a scalar\n",
        "a: b: c\n",
        "a: |2\n   explicit\n",
        "a: >\n  folded\n    more indented\n",
        "a: |\n    \n  text\n",
        "- - compact nested\n",
        "a: |\n  no final break",
        "a: \u{85}\n",
        "a: b\n - c\n",
        "a: b\n   # more indented comment\n",
        "key:value\n",
        "a  : spaced key\n",
    ] {
        declined(text);
    }
}

#[test]
fn reads_escapes_in_double_quoted_scalars() {
    accepted("a: \"esc\\n\"\n");
    accepted("json: \"{\\\"rollout\\\": {\\\"x\\\": 5}, \\\"r\\\": [\\\"eu\\\"]}\"\n");
    accepted("a: \"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\\N\\_\\L\\P\"\n");
    accepted("a: \"\\x41\\u00e9\\U0001F600 \\x7f\"   # comment\n\"k\\tey\": [\"\\u263A\", {\"\\\\\": 1}]\n");
    accepted("- \"trailing backslash pair \\\\\"\n- 'single \\n stays'\n");
}

#[test]
fn errors_and_limits_are_left_to_saphyr() {
    let limits = Limits { max_depth: 2, ..Limits::default() };
    assert!(read("a:\n  b:\n    c: 1\n", 0, &limits).is_none());
    let limits = Limits { max_scalar_bytes: 3, ..Limits::default() };
    assert!(read("a: four\n", 0, &limits).is_none());
    declined("a: 1\n b: 2\n");
    declined("a:\n  - x\n  y: 1\n");
}

#[test]
fn offsets_start_at_the_document_base() {
    assert_eq!(agrees("a: 1\nb:\n  - c\n", 1000), Some(true));
}

/// Every document under `dir` (recursively, `node_modules` aside) whose name
/// ends in .yaml or .yml: how many there were and how many the fast reader read.
fn compare_files_under(dir: &Path) -> (usize, usize) {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                if !path.ends_with("node_modules") {
                    stack.push(path);
                }
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                files.push(path);
            }
        }
    }
    let (mut documents, mut read_fast) = (0, 0);
    for path in files {
        let bytes = std::fs::read(&path).expect("readable file");
        let Ok(loaded) = load_documents(&bytes, &Limits::default()) else { continue };
        for document in loaded {
            let Ok(text) = std::str::from_utf8(&bytes[document.start as usize..document.end as usize]) else {
                continue;
            };
            documents += 1;
            if agrees(text, document.start).is_some() {
                read_fast += 1;
            } else if std::env::var("SHOW_DECLINED").is_ok() {
                eprintln!("=== declined {}:\n{}", path.display(), text);
            }
        }
    }
    (documents, read_fast)
}

fn shared(path: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(path);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var("CI").as_deref() != Ok("true"), "the shared data is missing at {}", dir.display());
    None
}

#[test]
fn agrees_with_saphyr_on_the_shared_corpora() {
    let Some(dir) = shared("corpora") else { return };
    let (documents, read_fast) = compare_files_under(&dir);
    eprintln!("corpora: read {read_fast} of {documents}");
    assert!(documents > 500, "{documents}");
    // Most of these manifests are plain block YAML; the rest (multi-line flow lists and scalars, anchors) fall back.
    assert!(read_fast * 10 >= documents * 8, "read {read_fast} of {documents} documents");
}

#[test]
fn agrees_with_saphyr_on_the_pod_security_fixtures_and_examples() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let (documents, read_fast) = compare_files_under(&examples);
    assert!(read_fast * 10 >= documents * 9, "read {read_fast} of {documents} example documents");
    let Some(dir) = shared("conformance/pod-security-admission/testdata") else { return };
    let (documents, read_fast) = compare_files_under(&dir);
    eprintln!("fixtures: read {read_fast} of {documents}");
    assert!(documents > 4000, "{documents}");
    assert!(read_fast * 10 >= documents * 9, "read {read_fast} of {documents} fixtures");
}

/// A YAML value to write in block style.
#[derive(Debug, Clone)]
enum Value {
    Scalar(String),
    Map(Vec<(String, Value)>),
    Seq(Vec<Value>),
}

/// Scalars as manifests write them, and the ones YAML reads as something else.
fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "x",
            "nginx:1.25",
            "true",
            "yes",
            "No",
            "~",
            "null",
            "",
            "0",
            "-1",
            "0x1F",
            "1e3",
            ".nan",
            "-.inf",
            "08",
            "a b",
            "a#b",
            "http://h:80/p",
            "'q'",
            "\"dq\"",
            "'it''s'",
            "|",
            "|-",
            ">",
            "|+",
            ">-",
            "- dash",
            ":colon",
            "-x",
            "?q",
            "a: b",
            "x #c",
            "[1, 2]",
            "{a: b}",
            "&anchor v",
            "!tag v",
            "*alias",
            "@at",
            "%pct",
        ])
        .prop_map(str::to_string),
        "[a-z0-9 ./:#'\"-]{0,12}",
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["name", "image", "securityContext", "1", "true", "\"quoted\"", "'single'", "a.b/c"])
            .prop_map(str::to_string),
        "[a-zA-Z][a-zA-Z0-9._/-]{0,10}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_map(Value::Scalar).prop_recursive(5, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec((key(), inner.clone()), 1..5).prop_map(Value::Map),
            prop::collection::vec(inner, 1..5).prop_map(Value::Seq),
        ]
    })
}

/// How to write a document: choices the writer draws from in turn.
#[derive(Debug, Clone)]
struct Style(Vec<u8>);

impl Style {
    fn next(&mut self) -> u8 {
        let choice = self.0.pop().unwrap_or(0);
        self.0.insert(0, choice);
        choice
    }
}

fn write_scalar(out: &mut String, text: &str, indent: usize, style: &mut Style) {
    match style.next() % 7 {
        0 => {
            out.push_str(&format!("'{}'", text.replace('\'', "''")));
        }
        1 => out.push_str(&format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\"").replace('/', "\\/"))),
        2 | 3 => {
            let indicator = ["|", "|-", "|+", ">", ">-", ">+"][style.next() as usize % 6];
            out.push_str(indicator);
            if style.next() % 3 == 0 {
                out.push_str("  # header comment");
            }
            out.push('\n');
            let pad = " ".repeat(indent + 2 + (style.next() % 2) as usize);
            for (i, line) in [text, "second line", "", "  more indented", "last"].iter().enumerate() {
                if i > 0 && style.next() % 2 == 0 {
                    continue;
                }
                if !line.is_empty() {
                    out.push_str(&pad);
                    out.push_str(line);
                }
                out.push('\n');
            }
            return;
        }
        _ => out.push_str(text),
    }
    if style.next() % 4 == 0 {
        out.push_str("   # trailing comment");
    }
    out.push('\n');
}

fn write_value(out: &mut String, value: &Value, indent: usize, style: &mut Style) {
    let pad = " ".repeat(indent);
    match value {
        Value::Scalar(text) => write_scalar(out, text, indent, style),
        Value::Map(entries) => {
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(&pad);
                }
                out.push_str(key);
                out.push(':');
                match value {
                    Value::Scalar(_) => {
                        out.push(' ');
                        write_value(out, value, indent, style);
                    }
                    Value::Seq(_) if style.next() % 2 == 0 => {
                        out.push('\n');
                        out.push_str(&pad);
                        write_value(out, value, indent, style);
                    }
                    _ => {
                        out.push('\n');
                        if style.next() % 5 == 0 {
                            out.push_str(&format!("{pad}  # a comment\n\n"));
                        }
                        out.push_str(&" ".repeat(indent + 2));
                        write_value(out, value, indent + 2, style);
                    }
                }
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(&pad);
                }
                out.push('-');
                match item {
                    Value::Seq(_) | Value::Map(_) if style.next() % 3 == 0 => {
                        out.push('\n');
                        out.push_str(&" ".repeat(indent + 2));
                        write_value(out, item, indent + 2, style);
                    }
                    Value::Seq(_) => {
                        out.push('\n');
                        out.push_str(&" ".repeat(indent + 4));
                        write_value(out, item, indent + 4, style);
                    }
                    _ => {
                        out.push(' ');
                        write_value(out, item, indent + 2, style);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn agrees_with_saphyr_on_generated_documents(root in value(), choices in prop::collection::vec(any::<u8>(), 1..40)) {
        let mut text = String::new();
        let root = match root {
            Value::Scalar(text) => Value::Map(vec![("root".into(), Value::Scalar(text))]),
            other => other,
        };
        write_value(&mut text, &root, 0, &mut Style(choices));
        agrees(&text, 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Text made of YAML's indicators, blanks and line breaks: the reader must
    /// not panic, and whatever it accepts must match saphyr-parser.
    #[test]
    fn agrees_with_saphyr_on_arbitrary_text(text in "([a-c0-9nuxU:#'\"\\\\\\[\\]{},|>+&*!?. -]{0,6}\n?){0,12}") {
        agrees(&text, 0);
    }
}

#[test]
fn unsupported_characters_are_found_at_every_place_in_a_word() {
    for at in 0..24 {
        for (character, unsupported) in
            [("\t", true), ("\r", true), ("\u{1}", true), ("\u{7f}", true), ("\u{85}", true), ("\u{2028}", true)]
                .into_iter()
                .chain([
                    ("\u{2029}", true),
                    ("\u{feff}", true),
                    ("\u{fffe}", true),
                    ("\u{a0}", false),
                    ("\u{e9}", false),
                ])
                .chain([("\u{20ac}", false), ("\n", false)])
        {
            let text = format!("{}{character}{}", "a".repeat(at), "b".repeat(20));
            assert_eq!(super::has_unsupported_bytes(text.as_bytes()), unsupported, "{character:?} at {at}");
        }
    }
}

proptest! {
    /// The word-at-a-time test of unsupported bytes finds what the byte-at-a-time one finds.
    #[test]
    fn unsupported_bytes_are_found_whatever_their_place(text in "[a-z \n\t\r\u{1}\u{7f}\u{85}\u{a0}\u{e9}\u{2028}\u{2029}\u{fffe}\u{feff}]{0,40}") {
        let bytes = text.as_bytes();
        prop_assert_eq!(super::has_unsupported_bytes(bytes), super::has_unsupported_bytes_slow(bytes, 0, bytes.len()));
    }
}
