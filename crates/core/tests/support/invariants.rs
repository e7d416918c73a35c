//! Invariants every scan must keep, whatever its input. Shared by the integration
//! tests (`fuzz_regressions.rs`, `properties.rs`) and by the fuzz targets under
//! `fuzz/`, which include this file by path, so a regression replayed by
//! `cargo test` is checked exactly as the fuzzer checked it.

#![allow(dead_code)]

use kubeward::{Config, DocumentStatus, Engine, Limits, Position, Range, Report, Source};

/// One `---`/`...`-separated chunk of a file, found independently of the loader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    pub start: usize,
    pub end: usize,
}

/// Splits a file into chunks the way YAML does: a line that starts with `---` or
/// `...` followed by a blank or the end of the line ends the document before it.
/// A `---` line belongs to the chunk it starts; a `...` line to none.
pub fn chunks(bytes: &[u8]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut start = if bytes.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    let mut at = start;
    while at < bytes.len() {
        let next = bytes[at..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| at + i + 1);
        let line = &bytes[at..next];
        let is_marker = |prefix: &[u8]| {
            line.starts_with(prefix) && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
        };
        if is_marker(b"---") {
            if at > start {
                out.push(Chunk { start, end: at });
            }
            start = at;
        } else if is_marker(b"...") {
            out.push(Chunk { start, end: at });
            start = next;
        }
        at = next;
    }
    if start < bytes.len() {
        out.push(Chunk { start, end: bytes.len() });
    }
    out
}

/// True when a chunk certainly holds a YAML node: some line (after a leading
/// `---` marker) starts with a letter or a digit, which can only be content.
pub fn has_content(chunk: &[u8]) -> bool {
    chunk.split(|&b| b == b'\n').enumerate().any(|(number, line)| {
        let line = if number == 0 && line.starts_with(b"---") { &line[3..] } else { line };
        let trimmed = line.iter().position(|b| !b.is_ascii_whitespace()).map_or(&[][..], |i| &line[i..]);
        trimmed.first().is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// True when a chunk holds anything but whitespace.
pub fn has_anything(chunk: &[u8]) -> bool {
    chunk.iter().any(|b| !b.is_ascii_whitespace())
}

/// The position of `offset` computed from scratch: 1-based line, 1-based column
/// in Unicode scalar values (every byte that is not a UTF-8 continuation byte).
pub fn position_of(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = before[line_start..].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line as u32, column as u32)
}

/// The (line, column) of every offset `0..=len`, computed from scratch in one pass.
pub fn position_table(bytes: &[u8]) -> Vec<(u32, u32)> {
    let mut table = Vec::with_capacity(bytes.len() + 1);
    let (mut line, mut column) = (1u32, 1u32);
    for &byte in bytes {
        table.push((line, column));
        if byte == b'\n' {
            line += 1;
            column = 1;
        } else if (byte & 0xC0) != 0x80 {
            column += 1;
        }
    }
    table.push((line, column));
    table
}

fn check_position(table: &[(u32, u32)], position: &Position, what: &str) {
    let offset = position.offset as usize;
    assert!(offset < table.len(), "{what}: offset {offset} is past the end ({})", table.len() - 1);
    assert_eq!((position.line, position.column), table[offset], "{what}: line/column disagree with offset {offset}");
}

fn check_range(table: &[(u32, u32)], range: &Range, what: &str) {
    assert!(range.start.offset <= range.end.offset, "{what}: range ends before it starts: {range:?}");
    check_position(table, &range.start, what);
    check_position(table, &range.end, what);
}

/// Checks every invariant of a one-file report `report` of `bytes` named `name`,
/// scanned by an engine with `limits`. Panics on a violation.
pub fn check_report(name: &str, bytes: &[u8], report: &Report, limits: &Limits) {
    let table = position_table(bytes);
    // Every range lies inside the input and its line/column agree with its offset.
    for document in &report.documents {
        assert_eq!(document.file, name);
        check_range(&table, &document.range, "document");
    }
    let evaluated: std::collections::HashSet<(usize, Option<usize>)> =
        report.documents.iter().filter(|d| d.status == DocumentStatus::Evaluated).map(|d| (d.index, d.item)).collect();
    for finding in &report.findings {
        assert_eq!(&*finding.file, name);
        check_range(&table, &finding.range, "finding");
        assert!(
            evaluated.contains(&(finding.document, finding.item)),
            "finding {finding:?} names no evaluated document"
        );
    }
    for error in &report.errors {
        check_range(&table, &error.range, "error");
        if let Some(document) = error.document {
            assert!(
                report.documents.iter().any(|d| d.index == document && d.status == DocumentStatus::Error),
                "error {error:?} names no errored document"
            );
        }
    }
    // Every document is accounted for.
    assert!(!report.documents.is_empty(), "a file always has at least one document entry");
    let whole_file_error = report.errors.iter().any(|e| e.document.is_none());
    if whole_file_error {
        assert_eq!(report.documents.len(), 1, "a file-level error is the file's one entry");
        assert_eq!(report.documents[0].status, DocumentStatus::Error);
    } else {
        let mut indexes: Vec<usize> = report.documents.iter().map(|d| d.index).collect();
        indexes.dedup();
        let distinct = indexes.len();
        assert!(indexes.iter().enumerate().all(|(i, &index)| i == index), "document indexes not 0..n: {indexes:?}");
        let chunks = chunks(bytes);
        assert!(chunks.len() <= limits.max_documents as usize, "{} documents read, over maxDocuments", chunks.len());
        assert!(bytes.len() as u64 <= limits.max_file_bytes, "a file over maxFileBytes was read");
        let certain: Vec<&Chunk> = chunks.iter().filter(|c| has_content(&bytes[c.start..c.end])).collect();
        let possible = chunks.iter().filter(|c| has_anything(&bytes[c.start..c.end])).count();
        let skipped_file = report.documents.len() == 1
            && report.documents[0].status == DocumentStatus::Skipped
            && report.documents[0].kind.is_none()
            && report.documents[0].reason.as_deref().is_some_and(|r| r.starts_with("file"));
        if skipped_file {
            assert!(certain.is_empty(), "a file with content reported as empty");
        } else {
            assert!(
                distinct >= certain.len() && distinct <= possible,
                "{distinct} documents reported; the input has {} with content and {possible} not blank",
                certain.len()
            );
            // Each chunk with content holds the start of some document entry.
            for chunk in certain {
                assert!(
                    report.documents.iter().any(|d| {
                        let start = d.range.start.offset as usize;
                        start >= chunk.start && start <= chunk.end
                    }),
                    "the chunk {chunk:?} is not in the report"
                );
            }
        }
    }
    // Findings per object stay under the limit (plus the one closing finding).
    let mut per_object = std::collections::BTreeMap::new();
    for finding in &report.findings {
        *per_object.entry((finding.document, finding.item)).or_insert(0u64) += 1;
    }
    for (object, count) in per_object {
        assert!(count <= u64::from(limits.max_findings_per_object) + 1, "{count} findings on object {object:?}");
    }
    // The summary counts what the report holds.
    assert_eq!(report.summary.errors, report.errors.len());
    assert_eq!(report.summary.documents.values().sum::<usize>(), report.documents.len());
}

/// The default engine, and one whose limits are small enough that a fuzzer hits
/// every one of them within a few bytes of input. Fuzz inputs of `scan_bytes`
/// pick one with their first byte (even: default, odd: tight).
pub fn engines() -> [Engine; 2] {
    let mut config = Config::default();
    let mut limits = Limits::default();
    limits.max_file_bytes = 4096;
    limits.max_depth = 8;
    limits.max_expanded_nodes = 200;
    limits.max_documents = 6;
    limits.max_scalar_bytes = 48;
    limits.max_findings_per_object = 3;
    config.limits = limits;
    [Engine::default(), Engine::new(config).expect("the tight configuration is valid")]
}

/// Reads a configuration text and checks what must hold whatever it says: an
/// error says what is wrong at a position inside the text (line and column agree
/// with the offset); an accepted configuration survives a JSON round trip and
/// either builds an engine or is refused with a message.
pub fn check_config_text(text: &str) {
    match Config::from_text(text) {
        Ok(config) => {
            let json = serde_json::to_string(&config).expect("a configuration serializes");
            let again = Config::from_text(&json).expect("a serialized configuration reads back");
            assert_eq!(again, config, "configuration JSON round trip");
            if let Err(error) = Engine::new(config) {
                assert!(!error.message.is_empty());
            }
        }
        Err(error) => {
            assert!(!error.message.is_empty(), "an error says what is wrong");
            if let Some(position) = error.position {
                let offset = position.offset as usize;
                assert!(offset <= text.len(), "error offset {offset} past the end");
                assert_eq!((position.line, position.column), position_of(text.as_bytes(), offset));
            }
        }
    }
}

/// Scans `bytes` twice with `engine`, checks every invariant, and checks that the
/// JSON report re-parses to the same report and that both scans agree byte for byte.
pub fn scan_and_check(engine: &Engine, bytes: &[u8]) -> Report {
    let name = "input.yaml";
    let report = engine.scan(&[Source::new(name, bytes)]);
    check_report(name, bytes, &report, &engine.config().limits);
    let json = report.to_json();
    let reparsed: Report = serde_json::from_str(&json).expect("the JSON report parses back into a report");
    assert_eq!(reparsed, report, "the JSON report does not round-trip");
    let again = engine.scan(&[Source::new(name, bytes)]).to_json();
    assert_eq!(json, again, "two scans of the same input differ");
    report
}

/// Evaluates `bytes` at a Pod Security level and version and checks the
/// evaluator's invariants: every range inside the input and agreeing with its
/// offset, a verdict consistent with the violations, `privileged` allowing
/// everything, every object of the scan accounted for, JSON that re-parses, and
/// the same bytes on a second run.
pub fn pss_and_check(engine: &Engine, bytes: &[u8], level: kubeward::PssLevel, version: kubeward::PssVersion) {
    let sources = [Source::new("input.yaml", bytes)];
    let report = engine.pss(&sources, level, version);
    let table = position_table(bytes);
    for object in &report.objects {
        assert_eq!(
            object.allowed,
            object.violations.is_empty() || !object.applicable,
            "verdict and violations disagree"
        );
        assert!(object.applicable || object.violations.is_empty(), "violations on an object without a pod");
        if level == kubeward::PssLevel::Privileged {
            assert!(object.allowed, "the privileged level allows everything");
        }
        for violation in &object.violations {
            assert!(violation.path.is_empty() || violation.path.starts_with('/'), "path {:?}", violation.path);
            check_range(&table, &violation.range, "violation");
        }
    }
    for error in &report.errors {
        check_range(&table, &error.range, "pss error");
    }
    let scan = engine.scan(&sources);
    let objects =
        scan.documents.iter().filter(|d| d.status != kubeward::DocumentStatus::Error && d.kind.is_some()).count();
    assert_eq!(report.objects.len(), objects, "every object of the input has a verdict entry");
    let json = report.to_json();
    let _: serde_json::Value = serde_json::from_str(&json).expect("the PSS report is JSON");
    assert_eq!(json, engine.pss(&sources, level, version).to_json(), "deterministic");
}
