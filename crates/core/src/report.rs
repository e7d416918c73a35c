//! The report every door returns: documents, findings, errors and a summary.
//!
//! Field names are the contract shared by the Rust API, the CLI's JSON, the
//! WebAssembly package and the C ABI; new fields may be added, none renamed.

use std::collections::BTreeMap;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::scorecard::Scorecard;

mod json;
pub(crate) mod pss;
use crate::{Position, Range, Severity};

/// Version of the report's JSON shape.
pub const SCHEMA_VERSION: &str = "1";

/// The result of one scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Report {
    /// The tool that wrote the report.
    pub tool: Tool,
    /// Version of this report's JSON shape.
    pub schema_version: String,
    /// Every document of the input, with what became of it.
    pub documents: Vec<DocumentEntry>,
    /// Every finding, suppressed ones included, in file and position order.
    pub findings: Vec<Finding>,
    /// Input that could not be read.
    pub errors: Vec<InputError>,
    /// Counts.
    pub summary: Summary,
    /// The checklist, item by item, and the score out of 50.
    pub scorecard: Scorecard,
    /// What the input says about the cluster, per checklist item (present, missing, not assessed).
    #[serde(default)]
    pub inventory: crate::ClusterInventory,
}

/// Name and version of the tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Tool {
    /// Always `kubeward`.
    pub name: String,
    /// The library's version.
    pub version: String,
}

impl Default for Tool {
    fn default() -> Self {
        Tool { name: "kubeward".into(), version: crate::VERSION.into() }
    }
}

/// What became of a document (or an item of a `List`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum DocumentStatus {
    /// The checks ran on it.
    Evaluated,
    /// Nothing to check (an unknown kind, an empty `List`, a file without objects).
    Skipped,
    /// It could not be read (see `errors`).
    Error,
}

/// One document of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DocumentEntry {
    /// The file (source name) the document is in.
    pub file: String,
    /// Index of the document among the file's non-empty documents, from 0.
    pub index: usize,
    /// Index of the item, when the object is an item of a `List` document.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<usize>,
    /// Where the document (or item) is written.
    pub range: Range,
    /// `apiVersion` of the object, when it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub api_version: Option<String>,
    /// `kind` of the object, when it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub kind: Option<String>,
    /// `metadata.namespace`, when written.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub namespace: Option<String>,
    /// `metadata.name`, when written.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    /// The Helm template the document was rendered from (`# Source:` comment).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub helm_source: Option<String>,
    /// What became of it.
    pub status: DocumentStatus,
    /// Why it was skipped or could not be read.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

/// The object a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ObjectRef {
    /// `apiVersion` as written.
    pub api_version: String,
    /// `kind` as written.
    pub kind: String,
    /// `metadata.namespace` when written; for a namespaced object that names
    /// none, the namespace the kustomization listing it sets, or the
    /// configuration's `defaultNamespace`.
    pub namespace: Option<String>,
    /// `metadata.name` (or `generateName` followed by `*`), when written.
    pub name: Option<String>,
}

/// Why a finding does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Suppression {
    /// `annotation` (`kubeward.io/ignore` on the object), `config`, or
    /// `baseline` (the command line's `--baseline`).
    pub by: String,
    /// The reason given (`kubeward.io/ignore-reason`), or a note that none was.
    pub reason: String,
    /// The date (YYYY-MM-DD) after which the exemption no longer applies.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expires: Option<String>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Finding {
    /// The check's id.
    pub check: String,
    /// Severity after configuration overrides.
    pub severity: Severity,
    /// What is wrong, naming the instance (`container "app" runs as UID 0`).
    pub message: String,
    // `items` and `object` are shared (by the findings of a check, of an object):
    // a large report holds hundreds of thousands of findings.
    /// Checklist items the check gives evidence for.
    pub items: Arc<[String]>,
    /// The object the finding is about.
    pub object: Arc<ObjectRef>,
    // `file` is shared by the findings of a file, and `suppressed` boxed since few
    // findings are: a large report holds hundreds of thousands of findings.
    /// The file the object is in.
    pub file: Arc<str>,
    /// Index of the document in the file.
    pub document: usize,
    /// Index of the item, when the object is an item of a `List` document.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<usize>,
    /// JSON Pointer (RFC 6901) of the offending field within the document; for
    /// a missing field, the field that should be written.
    pub path: String,
    /// The field's range (key through value); for a missing field, the range of
    /// its nearest existing ancestor.
    pub range: Range,
    /// The container the finding is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub container: Option<String>,
    /// Present when an exemption applies; the finding then does not count.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub suppressed: Option<Box<Suppression>>,
    /// The same finding in byte-identical copies of the object elsewhere in the
    /// input: the copies are checked once, here, and listed.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub copies: Vec<FindingCopy>,
    /// The changes that would make the finding go away, as text edits against
    /// the scanned file: the check's own fix first when it has one, then the
    /// exemption. Empty unless the door asked for fixes
    /// ([`Engine::attach_fixes`](crate::Engine::attach_fixes)); see docs/fixes.md.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub fixes: Vec<crate::Fix>,
}

/// Where a finding also is, in a byte-identical copy of its object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FindingCopy {
    /// The file the copy is in.
    pub file: Arc<str>,
    /// Index of the copy's document in its file.
    pub document: usize,
    /// Index of the item, when the copy is an item of a `List` document.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<usize>,
    /// The finding's range in the copy.
    pub range: Range,
}

/// Input that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct InputError {
    /// The file.
    pub file: String,
    /// Index of the document in the file; absent when the whole file failed.
    pub document: Option<usize>,
    /// Where the problem is.
    pub range: Range,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// An error about a whole file or path (a missing file, a path with no
    /// manifests), placed at its start.
    pub(crate) fn whole_file(file: &str, message: &str) -> InputError {
        let origin = Position { line: 1, column: 1, offset: 0 };
        InputError {
            file: file.to_string(),
            document: None,
            range: Range { start: origin, end: origin },
            message: message.to_string(),
        }
    }
}

/// Counts over the report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Documents by status (`evaluated`, `skipped`, `error`).
    pub documents: BTreeMap<DocumentStatus, usize>,
    /// Findings that count, by severity.
    pub findings: BTreeMap<Severity, usize>,
    /// Findings that an exemption suppressed.
    pub suppressed: usize,
    /// Input errors.
    pub errors: usize,
}

/// One file's part of a scan: its documents, findings and input errors, as the
/// [`Report`] lists them. [`Engine::scan_by_file`](crate::Engine::scan_by_file)
/// shares these lists from one scan to the next while the file, and what the
/// cross-object checks found in it, stay the same.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FileResults {
    /// The file's name, as its [`crate::Source`] gave it.
    pub file: Arc<str>,
    /// Its documents, as in [`Report::documents`].
    pub documents: Arc<[DocumentEntry]>,
    /// Its findings, suppressed ones included, in position order.
    pub findings: Arc<[Finding]>,
    /// What could not be read in it.
    pub errors: Arc<[InputError]>,
}

/// A [`Report`] given file by file: see [`Engine::scan_by_file`](crate::Engine::scan_by_file).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReportByFile {
    /// Each file's results, in the report's order (name order).
    pub files: Vec<FileResults>,
    /// The findings about no input file: those about the configuration's exemptions.
    pub findings: Vec<Finding>,
    /// The errors found before the files were scanned: those of the custom policies.
    pub errors: Vec<InputError>,
    /// Counts, as in [`Report::summary`].
    pub summary: Summary,
    /// The checklist, as in [`Report::scorecard`].
    pub scorecard: Scorecard,
    /// What the input says about the cluster, as in [`Report::inventory`].
    pub inventory: crate::ClusterInventory,
}

impl ReportByFile {
    /// The report a plain scan gives: the files' lists joined in order, the
    /// findings about no file after theirs, and the errors about no file before.
    pub fn into_report(self) -> Report {
        let ReportByFile { files, findings: other_findings, errors: other_errors, summary, scorecard, inventory } =
            self;
        let mut documents = Vec::with_capacity(files.iter().map(|file| file.documents.len()).sum());
        let mut findings =
            Vec::with_capacity(files.iter().map(|file| file.findings.len()).sum::<usize>() + other_findings.len());
        let mut errors = other_errors;
        for file in &files {
            documents.extend_from_slice(&file.documents);
            findings.extend_from_slice(&file.findings);
            errors.extend_from_slice(&file.errors);
        }
        findings.extend(other_findings);
        Report {
            tool: Tool::default(),
            schema_version: SCHEMA_VERSION.into(),
            documents,
            findings,
            errors,
            summary,
            scorecard,
            inventory,
        }
    }
}

impl Report {
    /// Writes [`Report::to_json`]'s bytes to `out` without building the string
    /// first (a large report's JSON is several times the size of its input).
    pub fn write_json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        json::write_report(out, self, true, 1)
    }

    /// [`Report::write_json`], with the documents and findings formatted on up
    /// to `threads` threads (the same bytes whatever their number).
    pub fn write_json_with_threads(&self, out: &mut impl std::io::Write, threads: usize) -> std::io::Result<()> {
        json::write_report(out, self, true, threads)
    }

    /// The report as pretty-printed JSON, the format every door exchanges.
    pub fn to_json(&self) -> String {
        self.json_text(true)
    }

    /// [`Report::to_json`] without the whitespace (what `serde_json::to_string`
    /// gives), for callers that parse it at once.
    pub fn to_compact_json(&self) -> String {
        self.json_text(false)
    }

    fn json_text(&self, pretty: bool) -> String {
        // Room for the whole text at once (a finding takes about 1 KB pretty-printed, a scorecard
        // item 1 KB at most): growing a buffer of hundreds of megabytes by doubling copies it and
        // touches new memory each time, and reserving much more than a small report needs costs
        // an editor's every-keystroke scan a large allocation.
        let room = 4096 + 1200 * self.findings.len() + 700 * self.documents.len() + 1024 * self.scorecard.items.len();
        let mut bytes = Vec::with_capacity(room);
        match json::write_report(&mut bytes, self, pretty, 1).map(|_| String::from_utf8(bytes)) {
            Ok(Ok(text)) => text,
            Ok(Err(error)) => format!("{{\"error\": \"{error}\"}}"),
            Err(error) => format!("{{\"error\": \"{error}\"}}"),
        }
    }

    /// Records input that could not be read at all (a missing file, a path with
    /// no manifests), so that nothing the user named vanishes from the report.
    pub fn push_input_error(&mut self, file: &str, message: &str) {
        self.errors.push(InputError::whole_file(file, message));
        self.summary.errors = self.errors.len();
    }

    /// Suppresses the finding at `index` after the scan, for a reason the
    /// caller knows (the command line's baseline: `by` is `baseline`), and
    /// updates the summary. A finding already suppressed is left as it is.
    pub fn suppress_finding(&mut self, index: usize, by: &str, reason: &str) {
        let Some(finding) = self.findings.get_mut(index) else {
            return;
        };
        if finding.suppressed.is_some() {
            return;
        }
        finding.suppressed =
            Some(Box::new(Suppression { by: by.to_string(), reason: reason.to_string(), expires: None }));
        if let Some(count) = self.summary.findings.get_mut(&finding.severity) {
            *count = count.saturating_sub(1);
        }
        self.summary.suppressed += 1;
    }

    /// Findings that count (not suppressed).
    pub fn active_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|finding| finding.suppressed.is_none())
    }

    /// The highest severity among the findings that count, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.active_findings().map(|finding| finding.severity).max()
    }
}
