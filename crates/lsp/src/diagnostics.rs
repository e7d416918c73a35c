//! A report's findings and input errors as the protocol's diagnostics, per file.

use std::collections::{BTreeMap, HashMap, HashSet};
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
    findings: Arc<[kubeward::Finding]>,
    errors: Arc<[kubeward::InputError]>,
}

/// The text of each file of a group, by path.
pub(crate) type Texts = BTreeMap<PathBuf, Arc<str>>;

/// One file's new diagnostics, with the text they were placed in.
pub(crate) type Changed = (PathBuf, Arc<str>, Arc<Vec<Entry>>);

/// The diagnostics of the files of `texts` that changed since the last call
/// with `cache`. A file whose text is the one of the last scan and whose
/// findings and errors are the same keeps its diagnostics and is left out: the
/// engine shares the results of the files an edit did not touch, so those are
/// not looked at again. The findings of copies, which span files, are placed
/// anew each time.
pub(crate) fn of_report(
    report: kubeward::ReportByFile,
    texts: &Texts,
    encoding: Encoding,
    cache: &mut Cache,
) -> Vec<Changed> {
    let no_findings: Arc<[kubeward::Finding]> = Arc::new([]);
    let no_errors: Arc<[kubeward::InputError]> = Arc::new([]);
    let mut by_file: HashMap<&str, &kubeward::FileResults> = HashMap::with_capacity(report.files.len());
    // The files that findings of copies span, and those findings.
    let mut spanning: HashSet<Arc<str>> = HashSet::new();
    let mut spanning_findings = Vec::new();
    for file in &report.files {
        by_file.insert(&file.file, file);
        for finding in file.findings.iter().filter(|finding| !finding.copies.is_empty()) {
            if finding.suppressed.is_none() {
                spanning.insert(finding.file.clone());
                spanning.extend(finding.copies.iter().map(|copy| copy.file.clone()));
                spanning_findings.push(finding.clone());
            }
        }
    }
    // Findings and errors about no scanned file (the configuration's, the policies') go with any file of their name.
    let mut other_findings: HashMap<&str, Vec<kubeward::Finding>> = HashMap::new();
    for finding in report.findings.iter().filter(|finding| finding.suppressed.is_none()) {
        other_findings.entry(&finding.file).or_default().push(finding.clone());
    }
    let mut other_errors: HashMap<&str, Vec<kubeward::InputError>> = HashMap::new();
    for error in &report.errors {
        other_errors.entry(&error.file).or_default().push(error.clone());
    }
    cache.files.retain(|path, _| texts.contains_key(path));
    let mut changed = Vec::new();
    let mut apart: Vec<(&Path, Vec<kubeward::Finding>, Vec<kubeward::InputError>)> = Vec::new();
    let mut spanning_errors = Vec::new();
    for (path, text) in texts {
        let Some(name) = path.to_str() else { continue };
        let (findings, errors) = by_file
            .get(name)
            .map_or((no_findings.clone(), no_errors.clone()), |file| (file.findings.clone(), file.errors.clone()));
        let others = other_findings.contains_key(name) || other_errors.contains_key(name);
        if spanning.contains(name) || others {
            // Placed apart, and anew next time.
            cache.files.remove(path);
            let mut own: Vec<kubeward::Finding> =
                findings.iter().filter(|f| f.suppressed.is_none() && f.copies.is_empty()).cloned().collect();
            own.extend(other_findings.remove(name).unwrap_or_default());
            let mut errors = errors.to_vec();
            errors.extend(other_errors.remove(name).unwrap_or_default());
            if spanning.contains(name) {
                spanning_findings.extend(own);
                spanning_errors.extend(errors);
            } else {
                apart.push((path, own, errors));
            }
            continue;
        }
        if let Some(old) = cache.files.get_mut(path) {
            if Arc::ptr_eq(&old.text, text)
                && (Arc::ptr_eq(&old.findings, &findings) || old.findings == findings)
                && (Arc::ptr_eq(&old.errors, &errors) || old.errors == errors)
            {
                (old.findings, old.errors) = (findings, errors);
                continue;
            }
        }
        let active: Vec<kubeward::Finding> =
            findings.iter().filter(|finding| finding.suppressed.is_none()).cloned().collect();
        let placed =
            Arc::new(place_all(active, errors.to_vec(), &by_file, texts, encoding).remove(path).unwrap_or_default());
        changed.push((path.clone(), text.clone(), placed.clone()));
        cache.files.insert(path.clone(), Kept { text: text.clone(), findings, errors });
    }
    for (path, findings, errors) in apart {
        let placed = place_all(findings, errors, &by_file, texts, encoding).remove(path).unwrap_or_default();
        changed.push((path.to_path_buf(), texts[path].clone(), Arc::new(placed)));
    }
    let mut spanned = place_all(spanning_findings, spanning_errors, &by_file, texts, encoding);
    for (path, text) in texts.iter().filter(|(path, _)| path.to_str().is_some_and(|name| spanning.contains(name))) {
        changed.push((path.clone(), text.clone(), Arc::new(spanned.remove(path).unwrap_or_default())));
    }
    changed
}

/// The diagnostics of the configuration file itself: the engine's findings
/// about its exemptions (`invalid-exemption`), which a scan of no file gives.
pub(crate) fn of_configuration(engine: &kubeward::Engine, path: &Path, text: &str, encoding: Encoding) -> Vec<Entry> {
    let report = engine.scan(&[]);
    let texts = Texts::from([(path.to_path_buf(), Arc::<str>::from(text))]);
    place_all(report.findings, Vec::new(), &HashMap::new(), &texts, encoding).remove(path).unwrap_or_default()
}

/// Places findings and errors (of any files) as diagnostics, per file.
fn place_all(
    findings: Vec<kubeward::Finding>,
    errors: Vec<kubeward::InputError>,
    results: &HashMap<&str, &kubeward::FileResults>,
    texts: &Texts,
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
    // The byte range of a finding's document (or List item) in its file.
    let document_of = |finding: &kubeward::Finding| {
        let document = results
            .get(&*finding.file)?
            .documents
            .iter()
            .find(|document| (document.index, document.item) == (finding.document, finding.item))?;
        Some((document.range.start.offset as usize, document.range.end.offset as usize))
    };
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
