//! The report's JSON. A large report is mostly its `documents` and `findings`
//! arrays; those are written here by hand, three times faster than through
//! serde's generic path, and the rest (small, and shaped by many types)
//! through serde. The bytes are serde_json's, pretty or compact: a test
//! compares the two on every example and corpus report.

use std::io::{self, Write};
use std::sync::Arc;

use serde::Serialize;

use super::{DocumentEntry, DocumentStatus, Finding, InputError, Report, Summary, Tool};
use crate::scorecard::{ItemResult, ItemStatus, Scorecard};
use crate::{Position, Range};

/// The report with its two long arrays and the scorecard's items left empty,
/// for serde to write around them.
#[derive(Serialize)]
struct Shell<'a> {
    tool: &'a Tool,
    schema_version: &'a str,
    documents: [(); 0],
    findings: [(); 0],
    errors: &'a [InputError],
    summary: &'a Summary,
    scorecard: ScorecardShell<'a>,
    inventory: &'a crate::ClusterInventory,
}

/// [`Scorecard`]'s fields, in its order, its items left empty: they are most of
/// a small report's JSON, which an editor asks for on every keystroke.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ScorecardShell<'a> {
    score: usize,
    out_of: usize,
    assessed: usize,
    band: crate::scorecard::Band,
    not_assessed: usize,
    counts: &'a std::collections::BTreeMap<ItemStatus, usize>,
    items: [(); 0],
}

/// Buffered output is handed to the writer in pieces of about this size.
const FLUSH_AT: usize = 1 << 16;

/// Writes `report` as `serde_json::to_writer_pretty` (or `to_writer` when
/// `pretty` is false) would.
pub(super) fn write_report(out: &mut dyn Write, report: &Report, pretty: bool, threads: usize) -> io::Result<()> {
    let shell = Shell {
        tool: &report.tool,
        schema_version: &report.schema_version,
        documents: [],
        findings: [],
        errors: &report.errors,
        summary: &report.summary,
        scorecard: ScorecardShell {
            score: report.scorecard.score,
            out_of: report.scorecard.out_of,
            assessed: report.scorecard.assessed,
            band: report.scorecard.band,
            not_assessed: report.scorecard.not_assessed,
            counts: &report.scorecard.counts,
            items: [],
        },
        inventory: &report.inventory,
    };
    let shell = if pretty { serde_json::to_vec_pretty(&shell) } else { serde_json::to_vec(&shell) }?;
    // Where the shell's empty `[]` of a field sits. A key's quotes are never
    // escaped and a string's always are: the first `"documents": []` is the field.
    // The scorecard's `items` is the first `"items": []` after the findings: no
    // field between them has that name.
    let empty_array = |name: &str, from: usize| {
        let after_key: &[u8] = if pretty { b"\": []" } else { b"\":[]" };
        let marker = [b"\"".as_slice(), name.as_bytes(), after_key].concat();
        memchr::memmem::find(&shell[from..], &marker)
            .map(|at| from + at + marker.len() - 2)
            .ok_or_else(|| io::Error::other("report shell without its arrays"))
    };
    let documents_at = empty_array("documents", 0)?;
    let findings_at = empty_array("findings", documents_at)?;
    let items_at = empty_array("items", findings_at)?;
    let mut json = Json::new(Vec::with_capacity(FLUSH_AT + 4096), pretty);
    json.buf.extend_from_slice(&shell[..documents_at]);
    json.array(out, &report.documents, threads, Json::document)?;
    json.buf.extend_from_slice(&shell[documents_at + 2..findings_at]);
    json.array(out, &report.findings, threads, Json::finding)?;
    json.buf.extend_from_slice(&shell[findings_at + 2..items_at]);
    json.scorecard_items(&report.scorecard);
    json.buf.extend_from_slice(&shell[items_at + 2..]);
    out.write_all(&json.buf)
}

/// Does JSON escape this byte: a `"`, a `\` or a control character?
fn is_escaped(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The index of the first byte of `bytes` that JSON escapes, eight bytes at a time.
fn next_escape(bytes: &[u8]) -> Option<usize> {
    use crate::swar::{below_mask, byte_mask, first_byte, words};
    let (words, rest) = words(bytes);
    for (index, (word, _)) in words.enumerate() {
        // The lowest set bit of each mask is exact, so that of their union is too.
        let mask = below_mask(word, 0x20) | byte_mask(word, b'"') | byte_mask(word, b'\\');
        if mask != 0 {
            return Some(8 * index + first_byte(mask));
        }
    }
    let done = bytes.len() - rest.len();
    rest.iter().position(|&byte| is_escaped(byte)).map(|at| done + at)
}

/// An output buffer and the layout of serde_json's pretty or compact formatter.
struct Json {
    buf: Vec<u8>,
    pretty: bool,
    last_place: LastPlace,
}

/// The `object` and `file` fields of the last finding written, and the
/// addresses of the shared object and file name they were written from: the
/// findings of one object share both, so they are written once and copied.
/// (The report holds every finding while it is written, so an address is not reused.)
#[derive(Default)]
struct LastPlace {
    object: usize,
    file: usize,
    written: Vec<u8>,
}

impl Json {
    fn new(buf: Vec<u8>, pretty: bool) -> Self {
        Json { buf, pretty, last_place: LastPlace::default() }
    }
}

/// The report's entries sit this deep (report object, array); their fields
/// one deeper.
const ENTRY: usize = 2;

/// A field's key with the comma and, when pretty, the line break and
/// indentation before it: written in one piece.
struct Key {
    pretty: &'static [u8],
    compact: &'static [u8],
}

/// The spaces of an indentation level.
macro_rules! indentation {
    (3) => {
        "      "
    };
    (4) => {
        "        "
    };
    (5) => {
        "          "
    };
    (6) => {
        "            "
    };
    (7) => {
        "              "
    };
    (8) => {
        "                "
    };
    (9) => {
        "                  "
    };
}

/// The [`Key`] of field `$name` at indentation level `$level`.
macro_rules! key {
    ($level:tt, $name:literal) => {
        Key {
            pretty: concat!(",\n", indentation!($level), "\"", $name, "\": ").as_bytes(),
            compact: concat!(",\"", $name, "\":").as_bytes(),
        }
    };
}

/// The keys of a range and its positions, at the depth they are written.
struct RangeKeys {
    start: Key,
    end: Key,
    line: Key,
    column: Key,
    offset: Key,
    /// The level of the object that holds the range.
    level: usize,
}

/// The range of an entry of the report (a finding, a document, an error).
const ENTRY_RANGE: RangeKeys = RangeKeys {
    start: key!(4, "start"),
    end: key!(4, "end"),
    line: key!(5, "line"),
    column: key!(5, "column"),
    offset: key!(5, "offset"),
    level: ENTRY + 1,
};

/// The range of a fix's edit.
#[cfg(not(target_arch = "wasm32"))]
const EDIT_RANGE: RangeKeys = RangeKeys {
    start: key!(8, "start"),
    end: key!(8, "end"),
    line: key!(9, "line"),
    column: key!(9, "column"),
    offset: key!(9, "offset"),
    level: ENTRY + 5,
};

/// The range of a finding's copy, two levels deeper.
const COPY_RANGE: RangeKeys = RangeKeys {
    start: key!(6, "start"),
    end: key!(6, "end"),
    line: key!(7, "line"),
    column: key!(7, "column"),
    offset: key!(7, "offset"),
    level: ENTRY + 3,
};

impl Json {
    /// A top-level array of the report, whose items are written by `item`.
    /// With several threads, long arrays are written a batch at a time, each
    /// batch split between the threads and its parts written out in order
    /// (memory stays bounded by the batch, whatever the report's size).
    fn array<T: Sync>(
        &mut self,
        out: &mut dyn Write,
        items: &[T],
        threads: usize,
        item: fn(&mut Json, &T),
    ) -> io::Result<()> {
        /// Items per batch when the threads share the work (small in tests, so
        /// that small reports go through many batches).
        const BATCH: usize = if cfg!(test) { 16 } else { 8192 };
        if items.is_empty() {
            self.buf.extend_from_slice(b"[]");
            return Ok(());
        }
        self.buf.push(b'[');
        if !crate::parallel::THREADS || threads <= 1 || items.len() < BATCH {
            self.items(Some(out), items, true, item)?;
        } else {
            out.write_all(&self.buf)?;
            self.buf.clear();
            // One buffer per thread, kept from batch to batch: fresh memory for
            // every batch would cost a page fault per 4 KB written.
            let mut buffers: Vec<Vec<u8>> = (0..threads).map(|_| Vec::new()).collect();
            for (batch_index, batch) in items.chunks(BATCH).enumerate() {
                let share = batch.len().div_ceil(threads);
                let parts: Vec<io::Result<Vec<u8>>> = std::thread::scope(|scope| {
                    let handles: Vec<_> = batch
                        .chunks(share)
                        .zip(buffers.drain(..))
                        .enumerate()
                        .map(|(part_index, (part, buf))| {
                            let pretty = self.pretty;
                            scope.spawn(move || {
                                let mut json = Json::new(buf, pretty);
                                json.items(None, part, batch_index == 0 && part_index == 0, item)?;
                                Ok(json.buf)
                            })
                        })
                        .collect();
                    handles
                        .into_iter()
                        .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                        .collect()
                });
                for part in parts {
                    let mut part = part?;
                    out.write_all(&part)?;
                    part.clear();
                    buffers.push(part);
                }
                buffers.resize_with(threads, Vec::new);
            }
        }
        self.newline(ENTRY - 1);
        self.buf.push(b']');
        Ok(())
    }

    /// Items of an array, each after a comma unless it opens the array (`first`).
    /// The buffer is handed to `out`, when there is one, whenever it grows past
    /// [`FLUSH_AT`]; without, it keeps everything.
    fn items<T>(
        &mut self,
        mut out: Option<&mut dyn Write>,
        items: &[T],
        first: bool,
        item: fn(&mut Json, &T),
    ) -> io::Result<()> {
        for (index, entry) in items.iter().enumerate() {
            if index > 0 || !first {
                self.buf.push(b',');
            }
            self.newline(ENTRY);
            item(self, entry);
            if let Some(out) = out.as_mut().filter(|_| self.buf.len() >= FLUSH_AT) {
                out.write_all(&self.buf)?;
                self.buf.clear();
            }
        }
        Ok(())
    }

    fn newline(&mut self, level: usize) {
        /// A line break and the indentation of the deepest level the report has.
        const BREAK: &[u8; 21] = b"\n                    ";
        if self.pretty {
            self.buf.extend_from_slice(&BREAK[..(1 + 2 * level).min(BREAK.len())]);
        }
    }

    /// A field's key, and the comma before it unless it is the object's first.
    fn key(&mut self, first: bool, key: &Key) {
        let bytes = if self.pretty { key.pretty } else { key.compact };
        self.buf.extend_from_slice(if first { &bytes[1..] } else { bytes });
    }

    /// The end of an object whose fields sit at `level` + 1.
    fn end_object(&mut self, level: usize) {
        self.newline(level);
        self.buf.push(b'}');
    }

    fn number(&mut self, value: u64) {
        self.buf.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// A JSON string, escaped as serde_json escapes: `"`, `\`, and control
    /// characters (short forms where JSON has them, `\u00xx` otherwise).
    fn string(&mut self, text: &str) {
        let bytes = text.as_bytes();
        self.buf.reserve(bytes.len() + 2);
        self.buf.push(b'"');
        let mut rest = bytes;
        // Runs without escapes are copied whole; most strings are one run.
        while let Some(at) = next_escape(rest) {
            self.buf.extend_from_slice(&rest[..at]);
            self.escape(rest[at]);
            rest = &rest[at + 1..];
        }
        self.buf.extend_from_slice(rest);
        self.buf.push(b'"');
    }

    /// One escaped byte (see [`is_escaped`]): its short form where JSON has one, `\u00xx` otherwise.
    fn escape(&mut self, byte: u8) {
        let short: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let code = [b'\\', b'u', b'0', b'0', HEX[(byte >> 4) as usize], HEX[(byte & 15) as usize]];
                self.buf.extend_from_slice(&code);
                return;
            }
        };
        self.buf.extend_from_slice(short);
    }

    /// An array of strings, the value of a field at `level` (its items one deeper).
    fn strings(&mut self, strings: &[String], level: usize) {
        if strings.is_empty() {
            self.buf.extend_from_slice(b"[]");
            return;
        }
        self.buf.push(b'[');
        for (index, text) in strings.iter().enumerate() {
            if index > 0 {
                self.buf.push(b',');
            }
            self.newline(level + 1);
            self.string(text);
        }
        self.newline(level);
        self.buf.push(b']');
    }

    fn optional_string(&mut self, text: Option<&str>) {
        match text {
            Some(text) => self.string(text),
            None => self.buf.extend_from_slice(b"null"),
        }
    }

    /// The `range` of an entry (its fields at level 4, its positions' at 5).
    /// A range, with the keys of its depth.
    fn range(&mut self, range: &Range, keys: &RangeKeys) {
        self.buf.push(b'{');
        self.key(true, &keys.start);
        self.position(&range.start, keys);
        self.key(false, &keys.end);
        self.position(&range.end, keys);
        self.end_object(keys.level);
    }

    fn position(&mut self, position: &Position, keys: &RangeKeys) {
        self.buf.push(b'{');
        self.key(true, &keys.line);
        self.number(position.line.into());
        self.key(false, &keys.column);
        self.number(position.column.into());
        self.key(false, &keys.offset);
        self.number(position.offset.into());
        self.end_object(keys.level + 1);
    }

    fn document(&mut self, entry: &DocumentEntry) {
        self.buf.push(b'{');
        self.key(true, &key!(3, "file"));
        self.string(&entry.file);
        self.key(false, &key!(3, "index"));
        self.number(entry.index as u64);
        if let Some(item) = entry.item {
            self.key(false, &key!(3, "item"));
            self.number(item as u64);
        }
        self.key(false, &key!(3, "range"));
        self.range(&entry.range, &ENTRY_RANGE);
        for (key, value) in [
            (key!(3, "apiVersion"), &entry.api_version),
            (key!(3, "kind"), &entry.kind),
            (key!(3, "namespace"), &entry.namespace),
            (key!(3, "name"), &entry.name),
            (key!(3, "helmSource"), &entry.helm_source),
        ] {
            if let Some(value) = value {
                self.key(false, &key);
                self.string(value);
            }
        }
        self.key(false, &key!(3, "status"));
        self.string(match entry.status {
            DocumentStatus::Evaluated => "evaluated",
            DocumentStatus::Skipped => "skipped",
            DocumentStatus::Error => "error",
        });
        if let Some(reason) = &entry.reason {
            self.key(false, &key!(3, "reason"));
            self.string(reason);
        }
        self.end_object(ENTRY);
    }

    /// The scorecard's `items` (the scorecard's fields sit at level 2, each item's at 4).
    fn scorecard_items(&mut self, scorecard: &Scorecard) {
        if scorecard.items.is_empty() {
            self.buf.extend_from_slice(b"[]");
            return;
        }
        self.buf.push(b'[');
        for (index, item) in scorecard.items.iter().enumerate() {
            if index > 0 {
                self.buf.push(b',');
            }
            self.newline(ENTRY + 1);
            self.scorecard_item(item);
        }
        self.newline(ENTRY);
        self.buf.push(b']');
    }

    fn scorecard_item(&mut self, item: &ItemResult) {
        self.buf.push(b'{');
        self.key(true, &key!(4, "id"));
        self.string(&item.id);
        self.key(false, &key!(4, "section"));
        self.number(item.section.into());
        self.key(false, &key!(4, "slug"));
        self.string(&item.slug);
        self.key(false, &key!(4, "title"));
        self.string(&item.title);
        self.key(false, &key!(4, "status"));
        self.string(match item.status {
            ItemStatus::Pass => "pass",
            ItemStatus::Fail => "fail",
            ItemStatus::NotAssessed => "not-assessed",
            ItemStatus::Attested => "attested",
            ItemStatus::Expired => "expired",
        });
        self.key(false, &key!(4, "checks"));
        self.strings(&item.checks, ENTRY + 2);
        self.key(false, &key!(4, "findings"));
        self.number(item.findings as u64);
        self.key(false, &key!(4, "suppressed"));
        self.number(item.suppressed as u64);
        self.key(false, &key!(4, "reason"));
        self.string(&item.reason);
        if let Some(attestation) = &item.attestation {
            self.key(false, &key!(4, "attestation"));
            self.buf.push(b'{');
            self.key(true, &key!(5, "item"));
            self.string(&attestation.item);
            self.key(false, &key!(5, "by"));
            self.string(&attestation.by);
            self.key(false, &key!(5, "date"));
            self.string(&attestation.date);
            self.key(false, &key!(5, "evidence"));
            self.string(&attestation.evidence);
            self.key(false, &key!(5, "validDays"));
            self.number(attestation.valid_days.into());
            self.end_object(ENTRY + 2);
        }
        self.end_object(ENTRY + 1);
    }

    fn finding(&mut self, finding: &Finding) {
        self.buf.push(b'{');
        self.key(true, &key!(3, "check"));
        self.string(&finding.check);
        self.key(false, &key!(3, "severity"));
        self.string(finding.severity.as_str());
        self.key(false, &key!(3, "message"));
        self.string(&finding.message);
        self.key(false, &key!(3, "items"));
        self.strings(&finding.items, ENTRY + 1);
        let place = (Arc::as_ptr(&finding.object) as usize, Arc::as_ptr(&finding.file) as *const u8 as usize);
        if place == (self.last_place.object, self.last_place.file) {
            self.buf.extend_from_slice(&self.last_place.written);
        } else {
            let start = self.buf.len();
            self.key(false, &key!(3, "object"));
            let object = &finding.object;
            self.buf.push(b'{');
            self.key(true, &key!(4, "apiVersion"));
            self.string(&object.api_version);
            self.key(false, &key!(4, "kind"));
            self.string(&object.kind);
            self.key(false, &key!(4, "namespace"));
            self.optional_string(object.namespace.as_deref());
            self.key(false, &key!(4, "name"));
            self.optional_string(object.name.as_deref());
            self.end_object(ENTRY + 1);
            self.key(false, &key!(3, "file"));
            self.string(&finding.file);
            (self.last_place.object, self.last_place.file) = place;
            self.last_place.written.clear();
            self.last_place.written.extend_from_slice(&self.buf[start..]);
        }
        self.key(false, &key!(3, "document"));
        self.number(finding.document as u64);
        if let Some(item) = finding.item {
            self.key(false, &key!(3, "item"));
            self.number(item as u64);
        }
        self.key(false, &key!(3, "path"));
        self.string(&finding.path);
        self.key(false, &key!(3, "range"));
        self.range(&finding.range, &ENTRY_RANGE);
        if let Some(container) = &finding.container {
            self.key(false, &key!(3, "container"));
            self.string(container);
        }
        if let Some(suppressed) = &finding.suppressed {
            self.key(false, &key!(3, "suppressed"));
            self.buf.push(b'{');
            self.key(true, &key!(4, "by"));
            self.string(&suppressed.by);
            self.key(false, &key!(4, "reason"));
            self.string(&suppressed.reason);
            if let Some(expires) = &suppressed.expires {
                self.key(false, &key!(4, "expires"));
                self.string(expires);
            }
            self.end_object(ENTRY + 1);
        }
        if !finding.copies.is_empty() {
            self.key(false, &key!(3, "copies"));
            self.buf.push(b'[');
            for (index, copy) in finding.copies.iter().enumerate() {
                if index > 0 {
                    self.buf.push(b',');
                }
                self.newline(ENTRY + 2);
                self.buf.push(b'{');
                self.key(true, &key!(5, "file"));
                self.string(&copy.file);
                self.key(false, &key!(5, "document"));
                self.number(copy.document as u64);
                if let Some(item) = copy.item {
                    self.key(false, &key!(5, "item"));
                    self.number(item as u64);
                }
                self.key(false, &key!(5, "range"));
                self.range(&copy.range, &COPY_RANGE);
                self.end_object(ENTRY + 2);
            }
            self.newline(ENTRY + 1);
            self.buf.push(b']');
        }
        // The WebAssembly build never writes a report with fixes (its `fixes`
        // method gives them apart), and is measured in bytes.
        #[cfg(not(target_arch = "wasm32"))]
        if !finding.fixes.is_empty() {
            self.key(false, &key!(3, "fixes"));
            self.fixes(&finding.fixes);
        }
        self.end_object(ENTRY);
    }

    #[cfg(not(target_arch = "wasm32"))]
    /// A finding's fixes (written by hand as the rest is: serde's writer for
    /// them would add to every build, the WebAssembly one included).
    fn fixes(&mut self, fixes: &[crate::Fix]) {
        self.buf.push(b'[');
        for (index, fix) in fixes.iter().enumerate() {
            if index > 0 {
                self.buf.push(b',');
            }
            self.newline(ENTRY + 2);
            self.buf.push(b'{');
            self.key(true, &key!(5, "title"));
            self.string(&fix.title);
            self.key(false, &key!(5, "safety"));
            self.string(fix.safety.as_str());
            self.key(false, &key!(5, "edits"));
            if fix.edits.is_empty() {
                self.buf.extend_from_slice(b"[]");
            } else {
                self.buf.push(b'[');
                for (at, edit) in fix.edits.iter().enumerate() {
                    if at > 0 {
                        self.buf.push(b',');
                    }
                    self.newline(ENTRY + 4);
                    self.buf.push(b'{');
                    self.key(true, &key!(7, "range"));
                    self.range(&edit.range, &EDIT_RANGE);
                    self.key(false, &key!(7, "text"));
                    self.string(&edit.text);
                    self.end_object(ENTRY + 4);
                }
                self.newline(ENTRY + 3);
                self.buf.push(b']');
            }
            self.end_object(ENTRY + 2);
        }
        self.newline(ENTRY + 1);
        self.buf.push(b']');
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{Engine, Report, Source};

    /// The hand-written arrays must give serde_json's bytes, pretty and compact.
    fn same_as_serde(report: &Report) {
        assert!(report.to_json() == serde_json::to_string_pretty(report).unwrap(), "pretty JSON differs");
        assert!(report.to_compact_json() == serde_json::to_string(report).unwrap(), "compact JSON differs");
        let mut streamed = Vec::new();
        report.write_json(&mut streamed).unwrap();
        assert!(streamed == report.to_json().as_bytes(), "streamed JSON differs");
        for threads in [2, 3, 8] {
            let mut parallel = Vec::new();
            report.write_json_with_threads(&mut parallel, threads).unwrap();
            assert!(parallel == streamed, "JSON written on {threads} threads differs");
        }
    }

    fn files_under(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).expect("readable").flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() && !path.ends_with("node_modules") {
                files_under(&path, out);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                out.push((path.display().to_string(), std::fs::read(&path).expect("readable")));
            }
        }
    }

    fn scan(engine: &Engine, files: &[(String, Vec<u8>)]) -> Report {
        let sources: Vec<Source<'_>> = files.iter().map(|(name, text)| Source::new(name, text)).collect();
        engine.scan(&sources)
    }

    proptest::proptest! {
        #[test]
        fn next_escape_finds_what_a_byte_by_byte_search_finds(text in "[\\x00-\\x7f\u{e9}\u{1F600}]{0,40}") {
            let naive = text.bytes().position(super::is_escaped);
            proptest::prop_assert_eq!(super::next_escape(text.as_bytes()), naive);
        }

        #[test]
        fn strings_are_escaped_as_serde_json_escapes_them(text in "[\\x00-\\x7f\u{e9}\u{1F600}]{0,40}") {
            let mut json = super::Json::new(Vec::new(), false);
            json.string(&text);
            proptest::prop_assert_eq!(String::from_utf8(json.buf).unwrap(), serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn examples_with_their_configuration() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut files = Vec::new();
        files_under(&root, &mut files);
        // Strict, so that the YAML files that are not objects (the configuration itself) are errors to write.
        let config =
            std::fs::read_to_string(root.join("kubeward.yaml")).expect("example configuration") + "strict: true\n";
        let report = scan(&Engine::from_config_text(&config).expect("valid"), &files);
        assert!(report.documents.iter().any(|d| d.reason.is_some()));
        assert!(!report.errors.is_empty());
        same_as_serde(&report);
    }

    #[test]
    fn shared_corpora() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
        if !root.is_dir() {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "the shared corpora are missing");
            return;
        }
        let mut files = Vec::new();
        files_under(&root, &mut files);
        same_as_serde(&scan(&Engine::default(), &files));
    }

    #[test]
    fn escapes_lists_helm_sources_and_empty_reports() {
        same_as_serde(&scan(&Engine::default(), &[]));
        let text = "# Source: chart/templates/pod.yaml\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: \"q\\\"uo\\\\te\\u0001\\u001f\\t\\b\\f\\r\\n\u{e9}\u{1F600}\u{7f}\"\n    namespace: ns\n    annotations:\n      kubeward.io/ignore: no-privileged@2099-01-01\n      kubeward.io/ignore-reason: \"a \\\"quoted\\\" reason\"\n  spec:\n    containers:\n    - name: \"c\\u0002\"\n      image: x\n      securityContext: {privileged: true}\n---\nkind: Unknown\n---\n[broken\n";
        let files = [("dir/\"odd\" name\\.yaml".to_string(), text.as_bytes().to_vec())];
        let report = scan(&Engine::default(), &files);
        assert!(report.findings.iter().any(|f| f.item.is_some() && f.container.is_some()));
        assert!(report.findings.iter().any(|f| f.suppressed.as_ref().is_some_and(|s| s.expires.is_some())));
        same_as_serde(&report);
        let engine = Engine::from_config_text("ignores:\n- check: image-digest\n  reason: pinned\n").expect("valid");
        let report = scan(&engine, &files);
        assert!(report.findings.iter().any(|f| f.suppressed.as_ref().is_some_and(|s| s.by == "config")));
        same_as_serde(&report);
    }
}
