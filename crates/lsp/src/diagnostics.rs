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
    /// By file name.
    files: HashMap<String, Kept>,
    /// What newer results replaced: freed after they are published (see [`Cache::release`]).
    retired: Vec<Kept>,
}

impl Cache {
    /// Frees what the last call of [`of_report`] replaced (the findings of
    /// the files it placed anew), once its diagnostics are on their way.
    pub(crate) fn release(&mut self) {
        self.retired.clear();
    }
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
    let mut spanning: HashSet<&str> = HashSet::new();
    let mut spanning_findings = Vec::new();
    for file in &report.files {
        by_file.insert(&file.file, file);
        for finding in file.findings.iter().filter(|finding| !finding.copies.is_empty()) {
            if finding.suppressed.is_none() {
                spanning.insert(&finding.file);
                spanning.extend(finding.copies.iter().map(|copy| &*copy.file));
                spanning_findings.push(finding);
            }
        }
    }
    // Findings and errors about no scanned file (the configuration's, the policies') go with any file of their name.
    let mut other_findings: HashMap<&str, Vec<&kubeward::Finding>> = HashMap::new();
    for finding in report.findings.iter().filter(|finding| finding.suppressed.is_none()) {
        other_findings.entry(&finding.file).or_default().push(finding);
    }
    let mut other_errors: HashMap<&str, Vec<&kubeward::InputError>> = HashMap::new();
    for error in &report.errors {
        other_errors.entry(&error.file).or_default().push(error);
    }
    let mut changed = Vec::new();
    let mut apart: Vec<(&PathBuf, Vec<&kubeward::Finding>, Vec<&kubeward::InputError>)> = Vec::new();
    let mut spanning_errors = Vec::new();
    let mut seen = HashSet::with_capacity(texts.len());
    for (path, text) in texts {
        let Some(name) = path.to_str() else { continue };
        seen.insert(name);
        let results = by_file.get(name);
        let (findings, errors) = results.map_or((&[][..], &[][..]), |file| (&file.findings[..], &file.errors[..]));
        let others = other_findings.contains_key(name) || other_errors.contains_key(name);
        if spanning.contains(name) || others {
            // Placed apart, and anew next time.
            cache.files.remove(name);
            let mut own: Vec<&kubeward::Finding> =
                findings.iter().filter(|f| f.suppressed.is_none() && f.copies.is_empty()).collect();
            own.extend(other_findings.remove(name).unwrap_or_default());
            let mut errors: Vec<&kubeward::InputError> = errors.iter().collect();
            errors.extend(other_errors.remove(name).unwrap_or_default());
            if spanning.contains(name) {
                spanning_findings.extend(own);
                spanning_errors.extend(errors);
            } else {
                apart.push((path, own, errors));
            }
            continue;
        }
        let (findings, errors) = results
            .map_or((no_findings.clone(), no_errors.clone()), |file| (file.findings.clone(), file.errors.clone()));
        if let Some(old) = cache.files.get_mut(name) {
            if Arc::ptr_eq(&old.text, text)
                && (Arc::ptr_eq(&old.findings, &findings) || old.findings == findings)
                && (Arc::ptr_eq(&old.errors, &errors) || old.errors == errors)
            {
                (old.findings, old.errors) = (findings, errors);
                continue;
            }
        }
        let active: Vec<&kubeward::Finding> = findings.iter().filter(|finding| finding.suppressed.is_none()).collect();
        let placed = place_all(active, errors.iter().collect(), &by_file, texts, encoding).remove(path);
        let placed = Arc::new(placed.unwrap_or_default());
        changed.push((path.clone(), text.clone(), placed));
        let replaced = cache.files.insert(name.to_string(), Kept { text: text.clone(), findings, errors });
        cache.retired.extend(replaced);
    }
    cache.files.retain(|name, _| seen.contains(name.as_str()));
    for (path, findings, errors) in apart {
        let placed = place_all(findings, errors, &by_file, texts, encoding).remove(path).unwrap_or_default();
        changed.push((path.clone(), texts[path].clone(), Arc::new(placed)));
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
    place_all(report.findings.iter().collect(), Vec::new(), &HashMap::new(), &texts, encoding)
        .remove(path)
        .unwrap_or_default()
}

/// Places findings and errors (of any files) as diagnostics, per file.
fn place_all(
    findings: Vec<&kubeward::Finding>,
    errors: Vec<&kubeward::InputError>,
    results: &HashMap<&str, &kubeward::FileResults>,
    texts: &Texts,
    encoding: Encoding,
) -> HashMap<PathBuf, Vec<Entry>> {
    let mut out: HashMap<&PathBuf, Vec<Entry>> = HashMap::new();
    // Per file, made once: its line table, text, address and the byte range of each of its
    // documents, or `None` for a template or a file not held.
    let mut files: HashMap<&str, Option<Placing<'_>>> = HashMap::new();
    let placing = |file: &str| -> Option<Placing<'_>> {
        let (path, text) = texts.get_key_value(Path::new(file)).filter(|(_, text)| !is_template(text))?;
        let documents = results.get(file).map_or_else(HashMap::new, |file| {
            file.documents
                .iter()
                .map(|d| ((d.index, d.item), (d.range.start.offset as usize, d.range.end.offset as usize)))
                .collect()
        });
        Some(Placing { path, lines: Lines::new(text), text: text.clone(), uri: path_to_uri(path), documents })
    };
    // Made once per check, not per finding.
    let mut links: HashMap<String, Option<CodeDescription>> = HashMap::new();
    for &finding in &findings {
        files.entry(&finding.file).or_insert_with(|| placing(&finding.file));
        for copy in &finding.copies {
            files.entry(&copy.file).or_insert_with(|| placing(&copy.file));
        }
        if !links.contains_key(&finding.check) {
            let link = check_link(&finding.check).map(|href| CodeDescription { href });
            links.insert(finding.check.clone(), link);
        }
    }
    for &error in &errors {
        files.entry(&error.file).or_insert_with(|| placing(&error.file));
    }
    // A finding's diagnostic in its file, then those shown in its copies.
    let place_finding = |finding: &kubeward::Finding| -> Vec<(&PathBuf, Entry)> {
        let Some(Some(file)) = files.get(&*finding.file) else { return Vec::new() };
        let range = file.lines.range(&finding.range, encoding);
        let diagnostic = Diagnostic {
            range,
            severity: Some(severity(finding.severity)),
            code: Some(NumberOrString::String(finding.check.clone())),
            code_description: links.get(&finding.check).cloned().flatten(),
            source: Some("kubeward".into()),
            message: finding.message.clone(),
            ..Diagnostic::default()
        };
        // Each copy shows the finding too, pointing back at the object checked.
        let mut related = Vec::new();
        let mut shown_in_copies = Vec::new();
        for copy in &finding.copies {
            let Some(Some(place)) = files.get(&*copy.file) else { continue };
            let copy_range = place.lines.range(&copy.range, encoding);
            let Some(uri) = place.uri.clone() else { continue };
            related.push(DiagnosticRelatedInformation {
                location: Location { uri, range: copy_range },
                message: "the same object, copied here (checked once)".into(),
            });
            let mut shown = diagnostic.clone();
            shown.range = copy_range;
            if let Some(uri) = file.uri.clone() {
                shown.related_information = Some(vec![DiagnosticRelatedInformation {
                    location: Location { uri, range },
                    message: "the object this is a copy of, where the finding was checked".into(),
                }]);
            }
            let entry = Entry { diagnostic: shown, finding: None, document: None, text: place.text.clone() };
            shown_in_copies.push((place.path, entry));
        }
        let mut diagnostic = diagnostic;
        if !related.is_empty() {
            diagnostic.related_information = Some(related);
        }
        let document = file.documents.get(&(finding.document, finding.item)).copied();
        let entry = Entry { diagnostic, finding: Some(Arc::new(finding.clone())), document, text: file.text.clone() };
        let mut placed = vec![(file.path, entry)];
        placed.extend(shown_in_copies);
        placed
    };
    // A large file's findings are placed on several threads.
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let placed = crate::parallel::map_chunks(&findings, threads, 200, |finding| place_finding(finding));
    for (path, entry) in placed.into_iter().flatten() {
        out.entry(path).or_default().push(entry);
    }
    for &error in &errors {
        let Some(Some(file)) = files.get(error.file.as_str()) else { continue };
        let diagnostic = Diagnostic {
            range: file.lines.range(&error.range, encoding),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some("kubeward".into()),
            message: error.message.clone(),
            ..Diagnostic::default()
        };
        let entry = Entry { diagnostic, finding: None, document: None, text: file.text.clone() };
        out.entry(file.path).or_default().push(entry);
    }
    out.into_iter().map(|(path, entries)| (path.clone(), entries)).collect()
}

/// What placing needs of one file.
struct Placing<'t> {
    path: &'t PathBuf,
    lines: Lines<'t>,
    text: Arc<str>,
    uri: Option<Uri>,
    /// The byte range of each document (or `List` item), by index and item.
    documents: HashMap<(usize, Option<usize>), (usize, usize)>,
}
