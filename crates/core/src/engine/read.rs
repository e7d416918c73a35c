//! Reading: where a scan's files come from, held by the caller ([`crate::Source`])
//! or read on demand ([`crate::Engine::scan_files`]) so that the whole input is
//! never in memory at once, and how each file is read into documents.

use std::borrow::Cow;

use super::{Engine, Source};
use crate::position::LineIndex;
use crate::yaml::{load_documents, LoadedDocument};

/// The files of one scan, in the order they are reported.
pub(crate) trait Inputs: Sync {
    fn count(&self) -> usize;
    fn name(&self, file: usize) -> &str;
    /// The file's bytes: borrowed when the caller holds them, read (again) otherwise.
    fn bytes(&self, file: usize) -> Result<Cow<'_, [u8]>, String>;
    /// Does [`Inputs::bytes`] read the file anew each time (so that it may have changed)?
    fn rereads(&self) -> bool;
}

/// Files the caller holds, in name order (then content, for equal names).
pub(crate) struct Held<'a, 's> {
    pub sources: Vec<&'a Source<'s>>,
}

impl<'a, 's> Held<'a, 's> {
    pub(crate) fn sorted(sources: &'a [Source<'s>]) -> Self {
        let mut sources: Vec<&Source<'s>> = sources.iter().collect();
        sources.sort_by(|a, b| a.name.cmp(b.name).then_with(|| a.content.cmp(b.content)));
        Held { sources }
    }
}

impl Inputs for Held<'_, '_> {
    fn count(&self) -> usize {
        self.sources.len()
    }
    fn name(&self, file: usize) -> &str {
        self.sources.get(file).map_or("", |source| source.name)
    }
    fn bytes(&self, file: usize) -> Result<Cow<'_, [u8]>, String> {
        Ok(Cow::Borrowed(self.sources.get(file).map_or(&[][..], |source| source.content)))
    }
    fn rereads(&self) -> bool {
        false
    }
}

/// Files read on demand through the caller's `read`, in name order (equal names
/// keep the caller's order).
pub(crate) struct OnDemand<'n, R> {
    /// (the caller's index, name), sorted.
    pub files: Vec<(usize, &'n str)>,
    pub read: R,
}

impl<'n, R> OnDemand<'n, R> {
    pub(crate) fn sorted(names: &[&'n str], read: R) -> Self {
        let mut files: Vec<(usize, &str)> = names.iter().copied().enumerate().collect();
        files.sort_by(|a, b| a.1.cmp(b.1));
        OnDemand { files, read }
    }
}

impl<R> Inputs for OnDemand<'_, R>
where
    R: Fn(usize) -> std::io::Result<Vec<u8>> + Sync,
{
    fn count(&self) -> usize {
        self.files.len()
    }
    fn name(&self, file: usize) -> &str {
        self.files.get(file).map_or("", |(_, name)| name)
    }
    fn bytes(&self, file: usize) -> Result<Cow<'_, [u8]>, String> {
        let Some(&(index, _)) = self.files.get(file) else { return Err("no such file".into()) };
        (self.read)(index).map(Cow::Owned).map_err(|error| format!("cannot read file: {error}"))
    }
    fn rereads(&self) -> bool {
        true
    }
}

pub(crate) use crate::text::fingerprint;

/// A file and its documents, read once per scan.
pub(super) struct LoadedFile<'s> {
    pub(super) name: &'s str,
    pub(super) bytes: &'s [u8],
    pub(super) lines: LineIndex,
    pub(super) documents: Result<Vec<LoadedDocument>, crate::yaml::LoadError>,
}

impl Engine {
    /// The input files in name order (then content, for equal names), read and parsed.
    pub(super) fn load_sorted<'s>(&self, sources: &[Source<'s>]) -> Vec<LoadedFile<'s>> {
        let held = Held::sorted(sources);
        self.each_file(held.sources.len(), |file| self.load_file(held.sources[file]))
    }

    pub(super) fn load_file<'s>(&self, source: &Source<'s>) -> LoadedFile<'s> {
        // A refused file's error is at offset 0: indexing its lines would only cost time.
        let refused = crate::yaml::refuses_file(source.content.len(), &self.config.limits);
        LoadedFile {
            name: source.name,
            bytes: source.content,
            lines: LineIndex::new(if refused { &[] } else { source.content }),
            documents: load_documents(source.content, &self.config.limits),
        }
    }
}
