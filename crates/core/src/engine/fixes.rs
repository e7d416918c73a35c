//! Fixes for a report's findings: offered one by one (each finding's edits
//! against the scanned text), or applied together to a file (the operations
//! of a document merged, then rendered once).
//!
//! Fixes are worked out after the scan, from the findings and the files, so a
//! plain scan costs nothing more.

use std::collections::BTreeMap;

use crate::checks::fixes::{exemption, plan, FixRequest};
use crate::fix::{apply_edits, render, Edit, Fix, FixSafety, Op, TextEdit};
use crate::position::LineIndex;
use crate::yaml::{load_documents, LoadedDocument};
use crate::{Engine, Finding, Report, Source};

/// What applying fixes to a file gave.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FixOutcome {
    /// The file's new text (the old one when nothing changed).
    pub text: String,
    /// The fixes applied: (check, title), one per finding or copy fixed.
    pub applied: Vec<(String, String)>,
    /// Findings or documents left alone, and why (`document 2: rendered by Helm ...`).
    pub notes: Vec<String>,
}

impl FixOutcome {
    /// Did anything change?
    pub fn changed(&self) -> bool {
        !self.applied.is_empty()
    }
}

/// The operations chosen for one document, and the fixes they carry out.
#[derive(Default)]
struct Planned {
    ops: Vec<Op>,
    applied: Vec<(String, String)>,
}

/// A document of a file, as fixes need it.
struct Doc<'d> {
    loaded: &'d LoadedDocument,
}

/// Why no fix may touch a document.
fn refusal(document: &LoadedDocument) -> Option<String> {
    if let Some(source) = &document.helm_source {
        return Some(format!(
            "document {} is rendered by Helm (# Source: {source}): fix the template instead",
            document.index
        ));
    }
    if document.tree.is_err() {
        return Some(format!("document {} does not parse, so it is left alone", document.index));
    }
    None
}

impl Engine {
    fn request<'r>(
        &'r self,
        finding: &'r Finding,
        path: &'r str,
        object: &'r str,
        doc: &Doc<'r>,
    ) -> Option<FixRequest<'r>> {
        let tree = doc.loaded.tree.as_ref().ok()?;
        Some(FixRequest {
            check: &finding.check,
            path,
            object,
            api_version: &finding.object.api_version,
            kind: &finding.object.kind,
            name: finding.object.name.as_deref(),
            container: finding.container.as_deref(),
            message: &finding.message,
            tree,
            root: tree.root,
            config: &self.config,
        })
    }

    /// Attaches to every finding of `report` that is not suppressed the fixes
    /// it offers, as text edits against `sources` (the scanned files): the
    /// check's own fix when it has one, then the exemption
    /// (`kubeward.io/ignore` with a reason). Fixes are not computed by
    /// [`Engine::scan`]; a door that shows them calls this.
    pub fn attach_fixes(&self, sources: &[Source<'_>], report: &mut Report) {
        let mut by_file: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, finding) in report.findings.iter().enumerate() {
            if finding.suppressed.is_none() {
                by_file.entry(&finding.file).or_default().push(index);
            }
        }
        let report_ref: &Report = report;
        // Files on the engine's threads: each is loaded again and its findings' fixes planned.
        let per_file = self.parallel_map(by_file.into_iter().collect(), |(file, indices): (&str, Vec<usize>)| {
            let mut attached: Vec<(usize, Vec<Fix>)> = Vec::new();
            let Some(source) = sources.iter().find(|source| source.name == file) else { return attached };
            let Ok(text) = std::str::from_utf8(source.content) else { return attached };
            let Ok(documents) = load_documents(source.content, &self.config.limits) else { return attached };
            let lines = LineIndex::new(source.content);
            for index in indices {
                let fixes = self.finding_fixes(text, source.content, &documents, &lines, &report_ref.findings[index]);
                attached.push((index, fixes));
            }
            attached
        });
        let attached: Vec<(usize, Vec<Fix>)> = per_file.into_iter().flatten().collect();
        for (index, fixes) in attached {
            report.findings[index].fixes = fixes;
        }
    }

    /// The fixes one finding offers, as text edits against `source`, the file
    /// it was found in (as scanned): the check's own fix when it has one, then
    /// the exemption. An editor asks for them when the user looks at the finding.
    pub fn fixes_for(&self, source: &Source<'_>, finding: &Finding) -> Vec<Fix> {
        let Ok(text) = std::str::from_utf8(source.content) else { return Vec::new() };
        let Ok(documents) = load_documents(source.content, &self.config.limits) else { return Vec::new() };
        let lines = LineIndex::new(source.content);
        self.finding_fixes(text, source.content, &documents, &lines, finding)
    }

    fn finding_fixes(
        &self,
        text: &str,
        content: &[u8],
        documents: &[LoadedDocument],
        lines: &LineIndex,
        finding: &Finding,
    ) -> Vec<Fix> {
        let mut fixes = Vec::new();
        let Some(loaded) = documents.iter().find(|d| d.index == finding.document) else { return fixes };
        if refusal(loaded).is_some() {
            return fixes;
        }
        let doc = Doc { loaded };
        let object = finding.item.map(|item| format!("/items/{item}")).unwrap_or_default();
        let Some(request) = self.request(finding, &finding.path, &object, &doc) else { return fixes };
        let own = plan(&request).ok().flatten();
        for planned in own.into_iter().chain(std::iter::once(exemption(&request))) {
            let Ok(edits) = render(text, request.tree, request.root, (loaded.start, loaded.end), &planned.ops) else {
                continue;
            };
            if edits.is_empty() {
                continue;
            }
            fixes.push(Fix {
                title: planned.title,
                safety: planned.safety,
                edits: edits
                    .into_iter()
                    .map(|edit| TextEdit { range: lines.range(content, edit.start, edit.end), text: edit.text })
                    .collect(),
            });
        }
        fixes
    }

    /// Applies to `text` (the file `name`, as scanned into `report`) the fixes
    /// of its findings that `choose` picks by check id and safety: the
    /// operations of each document merged, then written as the fewest edits.
    /// Copies of an object (see [`Finding::copies`]) in this file are fixed too.
    /// A document rendered by Helm or that does not parse is never edited.
    pub fn apply_fixes(
        &self,
        name: &str,
        text: &str,
        report: &Report,
        choose: &dyn Fn(&str, FixSafety) -> bool,
    ) -> FixOutcome {
        let mut outcome = FixOutcome { text: text.to_string(), applied: Vec::new(), notes: Vec::new() };
        let documents = match load_documents(text.as_bytes(), &self.config.limits) {
            Ok(documents) => documents,
            Err(error) => {
                outcome.notes.push(format!("the file cannot be read: {}", error.message));
                return outcome;
            }
        };
        // Every place a finding is, in this file: (finding, document, item).
        let mut places: Vec<(&Finding, usize, Option<usize>)> = Vec::new();
        for finding in report.findings.iter().filter(|f| f.suppressed.is_none()) {
            if &*finding.file == name {
                places.push((finding, finding.document, finding.item));
            }
            for copy in finding.copies.iter().filter(|copy| &*copy.file == name) {
                places.push((finding, copy.document, copy.item));
            }
        }
        let mut per_document: BTreeMap<usize, Planned> = BTreeMap::new();
        let mut refused: BTreeMap<usize, String> = BTreeMap::new();
        for (finding, document, item) in places {
            let Some(loaded) = documents.iter().find(|d| d.index == document) else { continue };
            if let Some(why) = refusal(loaded) {
                refused.insert(document, why);
                continue;
            }
            let own_prefix = finding.item.map(|i| format!("/items/{i}")).unwrap_or_default();
            let prefix = item.map(|i| format!("/items/{i}")).unwrap_or_default();
            let path = match finding.path.strip_prefix(&own_prefix) {
                Some(rest) => format!("{prefix}{rest}"),
                None => continue,
            };
            let doc = Doc { loaded };
            let Some(request) = self.request(finding, &path, &prefix, &doc) else { continue };
            match plan(&request) {
                Ok(Some(crate::checks::fixes::Planned { title, safety, ops })) if choose(&finding.check, safety) => {
                    let entry = per_document.entry(document).or_default();
                    entry.ops.extend(ops);
                    entry.applied.push((finding.check.clone(), title));
                }
                Ok(_) => {}
                Err((safety, why)) if choose(&finding.check, safety) => {
                    outcome.notes.push(format!("document {document}, {}: no fix: {why}", finding.check));
                }
                Err(_) => {}
            }
        }
        outcome.notes.extend(refused.into_values());
        let mut edits: Vec<Edit> = Vec::new();
        for (document, Planned { ops, applied }) in per_document {
            let Some(loaded) = documents.iter().find(|d| d.index == document) else { continue };
            let Ok(tree) = &loaded.tree else { continue };
            match render(text, tree, tree.root, (loaded.start, loaded.end), &ops) {
                Ok(mut rendered) if verified(self, text, loaded, &rendered) => {
                    if !rendered.is_empty() {
                        edits.append(&mut rendered);
                        outcome.applied.extend(applied);
                    }
                }
                Ok(_) => {
                    outcome.notes.push(format!("document {document}: the fixed text would not read back; left alone"))
                }
                Err(why) => outcome.notes.push(format!("document {document}: left alone: {why}")),
            }
        }
        edits.sort_by_key(|edit| (edit.start, edit.end));
        outcome.text = apply_edits(text, &edits);
        outcome
    }
}

/// Does the document, with `edits`, still read as YAML (with one more document per new one)?
fn verified(engine: &Engine, text: &str, loaded: &LoadedDocument, edits: &[Edit]) -> bool {
    let (start, end) = (loaded.start as usize, loaded.end as usize);
    let shifted: Vec<Edit> = edits
        .iter()
        .map(|edit| Edit { start: edit.start - start as u32, end: edit.end - start as u32, text: edit.text.clone() })
        .collect();
    if edits.iter().any(|edit| (edit.start as usize) < start || edit.end as usize > end) {
        return false;
    }
    let fixed = apply_edits(&text[start..end], &shifted);
    match load_documents(fixed.as_bytes(), &engine.config.limits) {
        Ok(documents) => documents.iter().all(|document| document.tree.is_ok()) && !documents.is_empty(),
        Err(_) => false,
    }
}
