//! Reusing: a scan that shares with the previous scan of the same files what
//! did not change ([`crate::Engine::scan_by_file`]). A file whose bytes and
//! place in the layout are unchanged is not read or checked again (its
//! [`FileBody`] is shared); the cross-object checks run over every object as
//! always; and a file whose body and cross-object findings are those of the
//! last scan keeps its placed results, shared too. So an edit costs the
//! changed files, the cross-object checks and the summary, not the workspace.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::cross_object::add_invalid_field;
use super::evaluate::{Evaluated, FileBody, FileLines, ScannedFile};
use super::layout::FileRole;
use super::read::Inputs;
use super::{copies, Engine};
use crate::checks::RawFinding;
use crate::inventory::summary::Summary;
use crate::pss::{PssLevel, PssVersion};
use crate::report::{FileResults, ReportByFile};

/// What one scan kept of its files for the next: see [`crate::Engine::scan_by_file`].
///
/// A cache belongs to one engine: give a new one to an engine built anew.
#[derive(Default)]
pub struct ScanCache {
    /// Each file's body, by name.
    files: HashMap<String, Kept>,
    /// Each file's placed results, by name.
    placed: HashMap<String, Placed>,
    /// The Pod Security levels the files' objects were judged against.
    enforcement: HashMap<String, (PssLevel, PssVersion)>,
    /// The names of the last scan's files, in order.
    names: Vec<String>,
}

impl std::fmt::Debug for ScanCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanCache").field("files", &self.files.len()).finish()
    }
}

/// One file's body, with the bytes and layout role it was scanned with.
struct Kept {
    fingerprint: u64,
    length: usize,
    role: FileRole,
    body: Arc<FileBody>,
}

/// One file's placed results, with what they were placed from.
struct Placed {
    body: Arc<FileBody>,
    additions: Additions,
    results: FileResults,
}

/// What the cross-object stage added to one file's objects (the index of the
/// object in the file, and the finding): the set checks' findings, then the
/// invalid fields their reads found.
#[derive(Default, PartialEq)]
struct Additions {
    set: Vec<(usize, RawFinding)>,
    invalid: Vec<(usize, RawFinding)>,
}

impl ScanCache {
    /// The kept body of file `index`, named `name`, when its bytes and layout
    /// role are those it was scanned with.
    fn get(&self, index: usize, name: &str, bytes: &[u8], role: &FileRole) -> Option<Arc<FileBody>> {
        let kept = self.files.get(name)?;
        if kept.length != bytes.len() || kept.role != *role || kept.fingerprint != crate::text::fingerprint(bytes) {
            return None;
        }
        let mut body = Arc::clone(&kept.body);
        // Files before it came or went: its objects are at another index now.
        if body.objects.first().is_some_and(|object| object.evaluated.file != index) {
            for object in &mut Arc::make_mut(&mut body).objects {
                object.evaluated.file = index;
            }
        }
        Some(body)
    }

    /// Keeps the body of a file, unless it keeps trees (files whose trees the
    /// set checks read in full are scanned again each time).
    fn keep(&mut self, file: &ScannedFile<'_>, bytes: &[u8], role: &FileRole) {
        if file.keeps_trees() {
            self.files.remove(file.name);
            return;
        }
        if self.files.get(file.name).is_some_and(|kept| Arc::ptr_eq(&kept.body, &file.body)) {
            return;
        }
        let kept = Kept {
            fingerprint: crate::text::fingerprint(bytes),
            length: bytes.len(),
            role: role.clone(),
            body: Arc::clone(&file.body),
        };
        self.files.insert(file.name.to_string(), kept);
    }

    /// Starts a scan: the foresight it runs under, and the files it holds (the
    /// others are forgotten). Nothing is reused when the Pod Security levels
    /// changed (every object was judged against them), nor when `reusing` is
    /// false (custom policies see the whole input).
    fn begin(&mut self, enforcement: &HashMap<String, (PssLevel, PssVersion)>, names: &[&str], reusing: bool) {
        if self.enforcement != *enforcement || !reusing {
            self.files.clear();
            self.placed.clear();
            self.enforcement = enforcement.clone();
        }
        // Mostly the same files as last time: then there is nothing to forget.
        if self.names.iter().map(String::as_str).ne(names.iter().copied()) {
            let wanted: HashSet<&str> = names.iter().copied().collect();
            self.files.retain(|name, _| wanted.contains(name.as_str()));
            self.placed.retain(|name, _| wanted.contains(name.as_str()));
            self.names = names.iter().map(|name| name.to_string()).collect();
        }
    }
}

impl Engine {
    /// The stages of a scan (see the module's documentation of `engine`), each
    /// file's work shared with `cache` where it can be.
    pub(super) fn scan_reusing_inputs<I: Inputs>(&self, inputs: &I, cache: &mut ScanCache) -> ReportByFile {
        let count = inputs.count();
        let (foreseen, policy_errors) = self.foresee(inputs);
        let names: Vec<&str> = (0..count).map(|index| inputs.name(index)).collect();
        let reusing = foreseen.scene.is_none();
        cache.begin(&foreseen.enforcement, &names, reusing);
        let kept = &*cache;
        let reused = self.each_file(count, |index| {
            let bytes = inputs.bytes(index).ok()?;
            kept.get(index, inputs.name(index), &bytes, foreseen.layout.role(index))
        });
        let missing: Vec<usize> = (0..count).filter(|&index| reused[index].is_none()).collect();
        // Told how few files are read again, a scan of one file checks its objects on every thread.
        let fresh = self.each_file(missing.len(), |at| {
            let index = missing[at];
            let name = inputs.name(index);
            match inputs.bytes(index) {
                Ok(bytes) => self.scan_file(index, (name, &bytes), missing.len(), &foreseen, None),
                Err(message) => ScannedFile::unreadable(name, message),
            }
        });
        let mut files: Vec<Option<ScannedFile<'_>>> = reused
            .into_iter()
            .enumerate()
            .map(|(index, body)| {
                let name = inputs.name(index);
                body.map(|body| ScannedFile { name, body, kept: Vec::new(), kept_trees: Vec::new() })
            })
            .collect();
        for (index, file) in missing.into_iter().zip(fresh) {
            files[index] = Some(file);
        }
        let mut scanned: Vec<ScannedFile<'_>> = files.into_iter().flatten().collect();
        if reusing {
            for (index, file) in scanned.iter().enumerate() {
                if let Ok(bytes) = inputs.bytes(index) {
                    cache.keep(file, &bytes, foreseen.layout.role(index));
                }
            }
        }
        // Copies change the bodies they touch: those are copied first, the cache's stay as they were.
        copies::fold(&mut scanned);
        // The trees kept for the set checks, taken out of their files; the rest is borrowed.
        let mut kept_trees = Vec::new();
        let mut kept_nodes = Vec::new();
        let mut object_at = Vec::new();
        for (index, file) in scanned.iter_mut().enumerate() {
            let first_tree = kept_trees.len();
            kept_trees.append(&mut file.kept_trees);
            for (local, node) in std::mem::take(&mut file.kept).into_iter().enumerate() {
                if let Some((tree, node)) = node {
                    kept_nodes.push((object_at.len() + local, first_tree + tree, node));
                }
            }
            object_at.extend((0..file.body.objects.len()).map(|local| (index, local)));
        }
        let files: Vec<FileLines<'_>> = scanned
            .iter()
            .map(|file| FileLines { name: file.name, lines: Cow::Borrowed(&file.body.lines), fingerprint: None })
            .collect();
        let evaluated: Vec<&Evaluated> =
            scanned.iter().flat_map(|file| file.body.objects.iter().map(|object| &object.evaluated)).collect();
        let summaries: Vec<&Summary> =
            scanned.iter().flat_map(|file| file.body.objects.iter().map(|object| &object.summary)).collect();
        // The cross-object checks, over every object's summary.
        let facts = crate::inventory::components::Facts::of(&summaries, self.config.scope);
        let inventory = crate::ClusterInventory::from_facts(&facts);
        let (set_findings, invalid, input_facts) =
            self.run_set_checks(inputs, &files, &evaluated, &summaries, (&kept_trees, &kept_nodes), &facts);
        drop(kept_trees);
        let mut additions: Vec<Additions> = (0..count).map(|_| Additions::default()).collect();
        for (object, finding) in set_findings {
            if let Some(&(file, local)) = object_at.get(object) {
                additions[file].set.push((local, finding));
            }
        }
        for (object, field) in invalid {
            if let Some(&(file, local)) = object_at.get(object) {
                additions[file].invalid.push((local, field));
            }
        }
        // Placing: only the files whose body or cross-object findings changed.
        let mut results: Vec<Option<FileResults>> = vec![None; count];
        let mut to_place = Vec::new();
        for (index, (file, additions)) in scanned.iter().zip(additions).enumerate() {
            match cache.placed.get(file.name) {
                Some(placed) if Arc::ptr_eq(&placed.body, &file.body) && placed.additions == additions => {
                    results[index] = Some(placed.results.clone());
                }
                _ => to_place.push((index, additions)),
            }
        }
        // Fewer files to place than threads (an edit): each file's objects are placed on every thread.
        let by_object = to_place.len() < self.threads;
        let placed = self.parallel_map(to_place, |(index, additions)| {
            let placed = self.place_file(inputs, index, (&files, &scanned[index].body), &additions, by_object);
            (index, additions, placed)
        });
        for (index, additions, mut placed) in placed {
            // The same results as last time (a file scanned again for its kept trees, say) stay shared.
            if let Some(last) = cache.placed.get(names[index]).filter(|last| last.results == placed) {
                placed = last.results.clone();
            }
            if reusing {
                let body = Arc::clone(&scanned[index].body);
                cache.placed.insert(names[index].to_string(), Placed { body, additions, results: placed.clone() });
            }
            results[index] = Some(placed);
        }
        let files: Vec<FileResults> = results.into_iter().flatten().collect();
        let findings = self.configuration_findings();
        let errors = policy_errors.len() + files.iter().map(|file| file.errors.len()).sum::<usize>();
        let (summary, scorecard) = self.summarize(
            count,
            (
                files.iter().flat_map(|file| file.documents.iter()),
                files.iter().flat_map(|file| file.findings.iter()).chain(&findings),
                errors,
            ),
            &inventory,
            input_facts,
        );
        ReportByFile { files, findings, errors: policy_errors, summary, scorecard, inventory }
    }

    /// One file's results: its objects' findings, with what the cross-object
    /// stage added to them, placed in its text (the objects on the engine's
    /// threads when `by_object`).
    fn place_file<I: Inputs>(
        &self,
        inputs: &I,
        index: usize,
        (files, body): (&[FileLines<'_>], &FileBody),
        additions: &Additions,
        by_object: bool,
    ) -> FileResults {
        let name: Arc<str> = files.get(index).map_or("", |file| file.name).into();
        let mut objects: Vec<Evaluated> = body
            .objects
            .iter()
            .map(|object| Evaluated { identity: object.summary.identity.clone(), ..object.evaluated.clone() })
            .collect();
        for (object, finding) in &additions.set {
            if let Some(object) = objects.get_mut(*object) {
                object.findings.push(finding.clone());
            }
        }
        for (object, field) in &additions.invalid {
            if let Some(object) = objects.get_mut(*object) {
                add_invalid_field(&mut object.findings, field.clone());
            }
        }
        let bytes = inputs.bytes(index).unwrap_or(Cow::Borrowed(&[]));
        let place = |object| self.resolve_findings(object, (&name, files), &body.lines, &bytes);
        let findings: Vec<_> = if by_object {
            self.parallel_map(objects, place).into_iter().flatten().collect()
        } else {
            objects.into_iter().flat_map(place).collect()
        };
        FileResults {
            file: name,
            documents: body.documents.as_slice().into(),
            findings: findings.into(),
            errors: body.errors.as_slice().into(),
        }
    }
}
