//! Reusing: the per-file work of one scan (reading, accounting, each object's
//! own checks and summary) kept for the next scan of the same files, so that a
//! scan after an edit reads again only the files that changed; the
//! cross-object checks, placing, suppressing and summarizing run over
//! everything as always.

use std::collections::HashMap;

use super::evaluate::{FileLines, ScannedFile};
use super::layout::FileRole;
use crate::pss::{PssLevel, PssVersion};

/// What one scan kept of its files for the next: see [`crate::Engine::scan_reusing`].
///
/// A cache belongs to one engine: give a new one to an engine built anew.
#[derive(Default)]
pub struct ScanCache {
    files: HashMap<String, Kept>,
    /// The Pod Security levels the files' objects were judged against.
    enforcement: HashMap<String, (PssLevel, PssVersion)>,
    /// Does the scan under way reuse files (see [`ScanCache::begin`])?
    reusing: bool,
}

impl std::fmt::Debug for ScanCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanCache").field("files", &self.files.len()).finish()
    }
}

/// Where a scan finds its cache: `()` for none (a plain scan, compiled without
/// any of the cache's code), or the caller's [`ScanCache`].
pub(super) trait CacheSlot {
    fn slot(&mut self) -> Option<&mut ScanCache>;
    /// The kept scan of a file, when it can be reused (see [`ScanCache::get`]).
    fn lookup<'n>(&self, index: usize, name: &'n str, bytes: &[u8], role: &FileRole) -> Option<ScannedFile<'n>>;
}

impl CacheSlot for () {
    #[inline(always)]
    fn slot(&mut self) -> Option<&mut ScanCache> {
        None
    }
    #[inline(always)]
    fn lookup<'n>(&self, _: usize, _: &'n str, _: &[u8], _: &FileRole) -> Option<ScannedFile<'n>> {
        None
    }
}

impl CacheSlot for &mut ScanCache {
    fn slot(&mut self) -> Option<&mut ScanCache> {
        Some(&mut **self)
    }
    fn lookup<'n>(&self, index: usize, name: &'n str, bytes: &[u8], role: &FileRole) -> Option<ScannedFile<'n>> {
        if self.reusing {
            self.get(index, name, bytes, role)
        } else {
            None
        }
    }
}

/// One file's scan, without its name and index (given back on reuse).
struct Kept {
    fingerprint: u64,
    length: usize,
    role: FileRole,
    scanned: ScannedFile<'static>,
}

impl ScanCache {
    /// Does the scan under way reuse and keep files?
    pub(super) fn reusing(&self) -> bool {
        self.reusing
    }

    /// The kept scan of file `index`, named `name`, when its bytes and layout role are those it was scanned with.
    pub(super) fn get<'n>(
        &self,
        index: usize,
        name: &'n str,
        bytes: &[u8],
        role: &FileRole,
    ) -> Option<ScannedFile<'n>> {
        let kept = self.files.get(name)?;
        if kept.length != bytes.len() || kept.role != *role || kept.fingerprint != crate::text::fingerprint(bytes) {
            return None;
        }
        let mut scanned = clone_scanned(&kept.scanned, name)?;
        for (object, _) in &mut scanned.objects {
            object.evaluated.file = index;
        }
        Some(scanned)
    }

    /// Keeps the scan of a file, when it can be reused (files whose trees the
    /// set checks read in full are scanned again each time).
    /// A file kept already (the scan reused it) is left as it is.
    pub(super) fn keep(&mut self, name: &str, bytes: &[u8], role: &FileRole, scanned: &ScannedFile<'_>) {
        let fingerprint = crate::text::fingerprint(bytes);
        if let Some(kept) = self.files.get(name) {
            if kept.length == bytes.len() && kept.fingerprint == fingerprint && kept.role == *role {
                return;
            }
        }
        if let Some(copy) = clone_scanned(scanned, "") {
            self.files
                .insert(name.to_string(), Kept { fingerprint, length: bytes.len(), role: role.clone(), scanned: copy });
        } else {
            self.files.remove(name);
        }
    }

    /// Starts a scan: the foresight it runs under, and the files it holds (the
    /// others are forgotten). Files are not reused when the Pod Security levels
    /// changed (every object was judged against them), nor with custom policies
    /// (they see the whole input).
    pub(super) fn begin(
        &mut self,
        enforcement: &HashMap<String, (PssLevel, PssVersion)>,
        names: &[&str],
        policies: bool,
    ) {
        if self.enforcement != *enforcement {
            self.files.clear();
            self.enforcement = enforcement.clone();
        }
        self.reusing = !policies;
        let names: std::collections::HashSet<&str> = names.iter().copied().collect();
        self.files.retain(|name, _| names.contains(name.as_str()));
    }
}

/// A copy of a file's scan under another name, unless it keeps trees.
fn clone_scanned<'n>(scanned: &ScannedFile<'_>, name: &'n str) -> Option<ScannedFile<'n>> {
    if !scanned.kept_trees.is_empty() || scanned.objects.iter().any(|(_, kept)| kept.is_some()) {
        return None;
    }
    Some(ScannedFile {
        file: FileLines { name, lines: scanned.file.lines.clone(), fingerprint: scanned.file.fingerprint },
        documents: scanned.documents.clone(),
        errors: scanned.errors.clone(),
        objects: scanned.objects.iter().map(|(object, _)| (object.clone(), None)).collect(),
        kept_trees: Vec::new(),
    })
}
