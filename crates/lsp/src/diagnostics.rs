//! A report's findings and input errors as the protocol's diagnostics, per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use crate::text::{path_to_uri, Encoding, Lines};

/// What the server keeps of one diagnostic, to answer hovers and code actions.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) diagnostic: Diagnostic,
    /// The finding behind it; `None` for an input error or a configuration problem.
    pub(crate) finding: Option<Arc<kubeward::Finding>>,
    /// Byte range of the finding's document (or `List` item) in `text`.
    pub(crate) document: Option<(usize, usize)>,
    /// The text the diagnostic was computed on.
    pub(crate) text: Arc<str>,
}

/// The link to a check's documentation (as SARIF's `helpUri`).
pub(crate) fn check_link(check: &str) -> Option<Uri> {
    format!("{}/blob/main/CHECKS.md#{check}", kubeward::HOMEPAGE).parse().ok()
}

pub(crate) fn severity(severity: kubeward::Severity) -> DiagnosticSeverity {
    match severity {
        kubeward::Severity::Critical | kubeward::Severity::High => DiagnosticSeverity::ERROR,
        kubeward::Severity::Medium => DiagnosticSeverity::WARNING,
        kubeward::Severity::Low => DiagnosticSeverity::INFORMATION,
        _ => DiagnosticSeverity::HINT,
    }
}

/// Is this text a template rather than a manifest (Helm's `{{ }}`)? Such files get no diagnostics.
pub(crate) fn is_template(text: &str) -> bool {
    text.contains("{{")
}

/// What the last scan of a group gave each file, to reuse its diagnostics
/// when neither its text nor its findings changed.
#[derive(Default)]
pub(crate) struct Cache {
    files: HashMap<PathBuf, Kept>,
}

struct Kept {
    text: Arc<str>,
    findings: Vec<kubeward::Finding>,
    errors: Vec<kubeward::InputError>,
    entries: Arc<Vec<Entry>>,
}

/// The diagnostics of every file of `texts` (files without any get an empty
/// list). A file whose text is the one of the last scan and whose findings and
/// errors are equal keeps its diagnostics (the same `Arc`); the findings of
/// copies, which span files, are placed anew.
pub(crate) fn of_report(
    report: kubeward::Report,
    texts: &HashMap<PathBuf, Arc<str>>,
    encoding: Encoding,
    cache: &mut Cache,
) -> HashMap<PathBuf, Arc<Vec<Entry>>> {
    let kubeward::Report { findings, errors, documents, .. } = report;
    let mut by_file: HashMap<Arc<str>, (Vec<kubeward::Finding>, Vec<kubeward::InputError>)> = HashMap::new();
    let mut spanning: std::collections::HashSet<Arc<str>> = std::collections::HashSet::new();
    let mut spanning_findings = Vec::new();
    for finding in findings.into_iter().filter(|finding| finding.suppressed.is_none()) {
        if finding.copies.is_empty() {
            by_file.entry(finding.file.clone()).or_default().0.push(finding);
        } else {
            spanning.insert(finding.file.clone());
            spanning.extend(finding.copies.iter().map(|copy| copy.file.clone()));
            spanning_findings.push(finding);
        }
    }
    for error in errors {
        by_file.entry(error.file.as_str().into()).or_default().1.push(error);
    }
    let documents: Documents<'_> = documents
        .iter()
        .map(|d| ((d.file.as_str(), d.index, d.item), (d.range.start.offset as usize, d.range.end.offset as usize)))
        .collect();
    let mut out = HashMap::with_capacity(texts.len());
    let mut spanning_errors = Vec::new();
    let mut kept = HashMap::with_capacity(texts.len());
    for (path, text) in texts {
        let Some(name) = path.to_str() else { continue };
        let (findings, errors) = by_file.remove(name).unwrap_or_default();
        if spanning.contains(name) {
            spanning_findings.extend(findings);
            spanning_errors.extend(errors);
            continue;
        }
        let entries = match cache.files.remove(path) {
            Some(old) if Arc::ptr_eq(&old.text, text) && old.findings == findings && old.errors == errors => {
                old.entries
            }
            _ => {
                let mut placed = place_all(findings.clone(), errors.clone(), &documents, texts, encoding);
                Arc::new(placed.remove(path).unwrap_or_default())
            }
        };
        out.insert(path.clone(), entries.clone());
        kept.insert(path.clone(), Kept { text: text.clone(), findings, errors, entries });
    }
    cache.files = kept;
    for (path, entries) in place_all(spanning_findings, spanning_errors, &documents, texts, encoding) {
        if texts.contains_key(&path) {
            out.insert(path, Arc::new(entries));
        }
    }
    out
}

/// The diagnostics of the configuration file itself: the engine's findings
/// about its exemptions (`invalid-exemption`), which a scan of no file gives.
pub(crate) fn of_configuration(engine: &kubeward::Engine, path: &Path, text: &str, encoding: Encoding) -> Vec<Entry> {
    let report = engine.scan(&[]);
    let texts = HashMap::from([(path.to_path_buf(), Arc::<str>::from(text))]);
    place_all(report.findings, Vec::new(), &HashMap::new(), &texts, encoding).remove(path).unwrap_or_default()
}

/// Each document's byte range, by file, index and item.
type Documents<'r> = HashMap<(&'r str, usize, Option<usize>), (usize, usize)>;

/// Places findings and errors (of any files) as diagnostics, per file.
fn place_all(
    findings: Vec<kubeward::Finding>,
    errors: Vec<kubeward::InputError>,
    documents: &Documents<'_>,
    texts: &HashMap<PathBuf, Arc<str>>,
    encoding: Encoding,
) -> HashMap<PathBuf, Vec<Entry>> {
    let mut out: HashMap<PathBuf, Vec<Entry>> = HashMap::new();
    // Per file, made once: its line table and text, or `None` for a template or a file not held.
    let mut files: HashMap<String, Option<(Lines<'_>, Arc<str>)>> = HashMap::new();
    let mut place = |file: &str, range: &kubeward::Range| -> Option<(lsp_types::Range, Arc<str>)> {
        if !files.contains_key(file) {
            let held = texts.get_key_value(Path::new(file)).filter(|(_, text)| !is_template(text));
            files.insert(file.to_string(), held.map(|(_, text)| (Lines::new(text), text.clone())));
        }
        let (lines, text) = files.get(file)?.as_ref()?;
        Some((lines.range(range, encoding), text.clone()))
    };
    let document_of =
        |finding: &kubeward::Finding| documents.get(&(&*finding.file, finding.document, finding.item)).copied();
    // Made once per file and per check, not per finding.
    let mut uris: HashMap<Arc<str>, Option<Uri>> = HashMap::new();
    let mut links: HashMap<String, Option<CodeDescription>> = HashMap::new();
    for finding in findings {
        let Some((range, text)) = place(&finding.file, &finding.range) else { continue };
        let copies: Vec<(String, lsp_types::Range, Arc<str>)> = finding
            .copies
            .iter()
            .filter_map(|copy| place(&copy.file, &copy.range).map(|(range, text)| (copy.file.to_string(), range, text)))
            .collect();
        let uri = uris.entry(finding.file.clone()).or_insert_with(|| path_to_uri(Path::new(&*finding.file))).clone();
        let link = links
            .entry(finding.check.clone())
            .or_insert_with(|| check_link(&finding.check).map(|href| CodeDescription { href }))
            .clone();
        let finding = Arc::new(finding);
        let base = Diagnostic {
            range,
            severity: Some(severity(finding.severity)),
            code: Some(NumberOrString::String(finding.check.clone())),
            code_description: link,
            source: Some("kubeward".into()),
            message: finding.message.clone(),
            ..Diagnostic::default()
        };
        let mut diagnostic = base.clone();
        let related: Vec<DiagnosticRelatedInformation> = copies
            .iter()
            .filter_map(|(file, range, _)| {
                Some(DiagnosticRelatedInformation {
                    location: Location {
                        uri: uris
                            .entry(file.as_str().into())
                            .or_insert_with(|| path_to_uri(Path::new(file)))
                            .clone()?,
                        range: *range,
                    },
                    message: "the same object, copied here (checked once)".into(),
                })
            })
            .collect();
        if !related.is_empty() {
            diagnostic.related_information = Some(related);
        }
        let document = document_of(&finding);
        out.entry(PathBuf::from(&*finding.file)).or_default().push(Entry {
            diagnostic,
            finding: Some(finding.clone()),
            document,
            text,
        });
        // Each copy shows the finding too, pointing back at the object checked.
        for (file, range, text) in copies {
            let mut diagnostic = base.clone();
            diagnostic.range = range;
            if let Some(uri) = uri.clone() {
                diagnostic.related_information = Some(vec![DiagnosticRelatedInformation {
                    location: Location { uri, range: base.range },
                    message: "the object this is a copy of, where the finding was checked".into(),
                }]);
            }
            out.entry(PathBuf::from(file)).or_default().push(Entry { diagnostic, finding: None, document: None, text });
        }
    }
    for error in &errors {
        let Some((range, text)) = place(&error.file, &error.range) else { continue };
        let diagnostic = Diagnostic {
            range,
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("kubeward".into()),
            message: error.message.clone(),
            ..Diagnostic::default()
        };
        out.entry(PathBuf::from(&error.file)).or_default().push(Entry {
            diagnostic,
            finding: None,
            document: None,
            text,
        });
    }
    out
}
