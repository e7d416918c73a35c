//! Copies: an object written byte for byte the same in several places (a
//! per-provider bundle, an all-in-one file beside the split ones) is one
//! object. It is checked once, at its first place in file order, and its
//! findings list the other places; the copies' documents are skipped with a
//! reason that names where they are checked. Copies that name no namespace
//! are folded wherever they are, and checked in the place of the first (their
//! cross-object findings are those of that place). Copies that differ stay
//! separate objects, and `duplicate-object` reports them.

use std::collections::HashMap;
use std::sync::Arc;

use super::evaluate::{Copy, ScannedFile};
use crate::report::DocumentStatus;

/// Folds every object that is a byte-identical copy of an earlier one (same
/// text, same identity) into that one. Returns how many were folded.
pub(super) fn fold(files: &mut [ScannedFile<'_>]) -> usize {
    // The first place of each text, by fingerprint and length (the fingerprint is
    // hashed already: the map need not run SipHash over it).
    let mut first: HashMap<(u128, u32), (usize, usize), crate::text::BuildQuickHasher> = HashMap::default();
    let mut folded: Vec<((usize, usize), (usize, usize))> = Vec::new();
    for (file_index, file) in files.iter().enumerate() {
        for (object_index, object) in file.body.objects.iter().enumerate() {
            let evaluated = &object.evaluated;
            let length = object.summary.root.span.1.saturating_sub(object.summary.root.span.0);
            let at = *first.entry((evaluated.fingerprint, length)).or_insert((file_index, object_index));
            if at == (file_index, object_index) {
                continue;
            }
            let original = &files[at.0].body.objects[at.1];
            // The same text is the same object; the identity is compared too, as a guard:
            // nothing else can tell two different texts with one fingerprint apart. Copies
            // that name no namespace are one object wherever they are (alternative bundles of
            // one application): the copy is checked in the place of the first.
            let (a, b) = (&original.summary.identity, &object.summary.identity);
            let same =
                a.api_version == b.api_version && a.kind == b.kind && a.namespace == b.namespace && a.name == b.name;
            if same {
                folded.push((at, (file_index, object_index)));
            }
        }
    }
    if folded.is_empty() {
        return 0;
    }
    for &((file, object), (copy_file, copy_object)) in &folded {
        let (copy, original_file) = {
            let copy = &files[copy_file].body.objects[copy_object].evaluated;
            let place = Copy { file: copy_file, document: copy.document, item: copy.item, start: copy.start };
            (place, files[file].name)
        };
        // A body shared with a scan cache is copied before it changes (a plain scan's never is).
        let original = &mut Arc::make_mut(&mut files[file].body).objects[object];
        let label = original.summary.label();
        let document = original.evaluated.document;
        original.evaluated.copies.push(copy);
        let entry = files[copy_file].body.objects[copy_object].evaluated.entry;
        if let Some(entry) = Arc::make_mut(&mut files[copy_file].body).documents.get_mut(entry) {
            entry.status = DocumentStatus::Skipped;
            entry.reason = Some(format!(
                "byte-identical copy of {label} in {original_file} (document {document}): checked there once, \
                 and its findings list this copy"
            ));
        }
    }
    let count = folded.len();
    let mut copies_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (_, (file, object)) in folded {
        copies_of.entry(file).or_default().push(object);
    }
    for (file, copies) in copies_of {
        let file = &mut files[file];
        let mut index = 0;
        Arc::make_mut(&mut file.body).objects.retain(|_| {
            let keep = !copies.contains(&index);
            index += 1;
            keep
        });
        if !file.kept.is_empty() {
            let mut index = 0;
            file.kept.retain(|_| {
                let keep = !copies.contains(&index);
                index += 1;
                keep
            });
        }
    }
    count
}
