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

/// The diagnostics of every file of `texts` (files without any get an empty list).
pub(crate) fn of_report(
    report: &kubeward::Report,
    texts: &HashMap<PathBuf, Arc<str>>,
    encoding: Encoding,
) -> HashMap<PathBuf, Vec<Entry>> {
    let mut out: HashMap<PathBuf, Vec<Entry>> = texts.keys().map(|path| (path.clone(), Vec::new())).collect();
    let mut lines: HashMap<&Path, Lines<'_>> = HashMap::new();
    let mut documents: HashMap<(&str, usize, Option<usize>), (usize, usize)> = HashMap::new();
    for document in &report.documents {
        documents.insert(
            (document.file.as_str(), document.index, document.item),
            (document.range.start.offset as usize, document.range.end.offset as usize),
        );
    }
    let mut place = |file: &str, range: &kubeward::Range| -> Option<(lsp_types::Range, Arc<str>)> {
        let path = Path::new(file);
        let (path, text) = texts.get_key_value(path)?;
        if is_template(text) {
            return None;
        }
        let lines = lines.entry(path.as_path()).or_insert_with(|| Lines::new(text));
        Some((lines.range(range, encoding), text.clone()))
    };
    for finding in report.active_findings() {
        let Some((range, text)) = place(&finding.file, &finding.range) else { continue };
        let copies: Vec<(String, lsp_types::Range, Arc<str>)> = finding
            .copies
            .iter()
            .filter_map(|copy| place(&copy.file, &copy.range).map(|(range, text)| (copy.file.to_string(), range, text)))
            .collect();
        let finding = Arc::new(finding.clone());
        let uri = path_to_uri(Path::new(&*finding.file));
        let base = Diagnostic {
            range,
            severity: Some(severity(finding.severity)),
            code: Some(NumberOrString::String(finding.check.clone())),
            code_description: check_link(&finding.check).map(|href| CodeDescription { href }),
            source: Some("kubeward".into()),
            message: finding.message.clone(),
            ..Diagnostic::default()
        };
        let mut diagnostic = base.clone();
        let related: Vec<DiagnosticRelatedInformation> = copies
            .iter()
            .filter_map(|(file, range, _)| {
                Some(DiagnosticRelatedInformation {
                    location: Location { uri: path_to_uri(Path::new(file))?, range: *range },
                    message: "the same object, copied here (checked once)".into(),
                })
            })
            .collect();
        if !related.is_empty() {
            diagnostic.related_information = Some(related);
        }
        let key = (&*finding.file, finding.document, finding.item);
        out.entry(PathBuf::from(&*finding.file)).or_default().push(Entry {
            diagnostic,
            finding: Some(finding.clone()),
            document: documents.get(&key).copied(),
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
    for error in &report.errors {
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
