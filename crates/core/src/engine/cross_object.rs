//! The cross-object checks: the set checks run once over every object's
//! summary and the objects kept whole, reading again those they need.

use std::borrow::Borrow;

use super::evaluate::{Evaluated, FileLines};
use super::read::{fingerprint, Inputs};
use super::Engine;
use crate::checks::{self, Judge, RawFinding, Reread, Run, SetContext, SetSink};
use crate::inventory::summary::{self, Anchor, SetObject};
use crate::inventory::Inventory;
use crate::model::object::{objects_of, ObjectNode};
use crate::model::view::ObjectTree;
use crate::scorecard::InputFacts;
use crate::yaml::{load_document_at, Tree};

/// Reads again, for a set check, whole objects whose trees a scan dropped.
/// The objects are owned (`Evaluated`, `Summary`) or borrowed from files a
/// scan reuses (`&Evaluated`, `&Summary`).
pub(super) struct Rereader<'e, I, E, S> {
    pub(super) engine: &'e Engine,
    pub(super) inputs: &'e I,
    pub(super) files: &'e [FileLines<'e>],
    /// Where each object is (file, document, item).
    pub(super) evaluated: &'e [E],
    pub(super) summaries: &'e [S],
    /// Invalid fields found by the reads, per object.
    pub(super) invalid: std::sync::Mutex<Vec<(usize, RawFinding)>>,
}

impl<I: Inputs, E: Borrow<Evaluated> + Sync, S: Borrow<summary::Summary> + Sync> Reread for Rereader<'_, I, E, S> {
    fn reread(&self, objects: &[usize], judge: &Judge<'_>) -> Vec<(usize, Anchor, String)> {
        let mut by_file: Vec<(usize, Vec<usize>)> = Vec::new();
        for &object in objects {
            let Some(place) = self.evaluated.get(object).map(Borrow::borrow) else { continue };
            match by_file.last_mut() {
                Some((file, list)) if *file == place.file => list.push(object),
                _ => by_file.push((place.file, vec![object])),
            }
        }
        let found = self.engine.parallel_map(by_file, |(file, objects)| {
            let mut found = Vec::new();
            let mut invalid = Vec::new();
            let (Some(lines), Ok(bytes)) = (self.files.get(file), self.inputs.bytes(file)) else {
                return (found, invalid);
            };
            if lines.fingerprint.is_some_and(|seen| seen != fingerprint(&bytes)) {
                return (found, invalid); // changed since the scan: reported when its findings are placed
            }
            // Objects come in scan order, so the items of one List are read one after another.
            let mut document: Option<(usize, Tree, Vec<ObjectNode>)> = None;
            for object in objects {
                let (Some(place), Some(summary)) = (self.evaluated.get(object), self.summaries.get(object)) else {
                    continue;
                };
                let (place, summary): (&Evaluated, &summary::Summary) = (place.borrow(), summary.borrow());
                if document.as_ref().is_none_or(|(index, _, _)| *index != place.document) {
                    document = load_document_at(&bytes, place.text, &self.engine.config.limits).and_then(|tree| {
                        let nodes = objects_of(&tree).ok()?;
                        Some((place.document, tree, nodes))
                    });
                }
                let Some((_, tree, nodes)) = &document else { continue };
                // A List's items come in order: item N is the Nth object (without a quadratic search).
                let Some(node) = nodes.get(place.item.unwrap_or(0)).filter(|node| node.item == place.item) else {
                    continue;
                };
                let object_tree = ObjectTree::new(tree);
                let model = self.engine.model(node, summary.identity.clone(), &object_tree, lines.name);
                found.extend(judge(&model).into_iter().map(|(at, message)| (object, at, message)));
                drop(model);
                invalid
                    .extend(checks::structure::invalid_fields(&object_tree).into_iter().map(|field| (object, field)));
            }
            (found, invalid)
        });
        let mut all = Vec::new();
        let mut invalid_fields = self.invalid.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for (found, invalid) in found {
            all.extend(found);
            invalid_fields.extend(invalid);
        }
        all
    }
}

/// Adds an invalid field read by a set check, unless the object's own checks
/// already recorded that field (the first reading wins, as within one object).
pub(super) fn add_invalid_field(findings: &mut Vec<RawFinding>, field: RawFinding) {
    if !findings.iter().any(|seen| std::ptr::eq(seen.check, field.check) && seen.pointer == field.pointer) {
        findings.push(field);
    }
}

impl Engine {
    /// Runs the set checks over the summaries of every object and the kept
    /// objects in full; returns their findings, the invalid fields their reads
    /// found, and what the inventory holds for the scorecard.
    #[allow(clippy::type_complexity)]
    pub(super) fn run_set_checks<I: Inputs, E: Borrow<Evaluated> + Sync, S: Borrow<summary::Summary> + Sync>(
        &self,
        inputs: &I,
        files: &[FileLines<'_>],
        evaluated: &[E],
        summaries: &[S],
        (kept_trees, kept): (&[Tree], &[(usize, usize, ObjectNode)]),
        facts: &crate::inventory::components::Facts,
    ) -> (Vec<(usize, RawFinding)>, Vec<(usize, RawFinding)>, InputFacts) {
        let object_trees: Vec<ObjectTree<'_>> =
            kept.iter().map(|&(_, tree, _)| ObjectTree::new(&kept_trees[tree])).collect();
        let mut objects: Vec<SetObject<'_, '_>> = summaries
            .iter()
            .zip(evaluated)
            .map(|(summary, object)| SetObject {
                summary: summary.borrow(),
                file: files.get(object.borrow().file).map_or("", |file| file.name),
                document: object.borrow().document,
                full: None,
            })
            .collect();
        for ((object, _, node), object_tree) in kept.iter().zip(&object_trees) {
            if let Some(entry) = objects.get_mut(*object) {
                entry.full = Some(Box::new(self.model(node, entry.summary.identity.clone(), object_tree, entry.file)));
            }
        }
        let inventory = Inventory::build(&objects);
        let input_facts = InputFacts::of(&inventory, &objects, &self.config);
        let reread =
            Rereader { engine: self, inputs, files, evaluated, summaries, invalid: std::sync::Mutex::default() };
        let mut findings = Vec::new();
        for &(check, enabled, _) in &self.active {
            if let (true, Run::Set(run)) = (enabled, check.run) {
                let mut sink = SetSink::new(&check.meta);
                let context = SetContext {
                    objects: &objects,
                    config: &self.config,
                    inventory: &inventory,
                    facts,
                    reread: &reread,
                };
                run(&context, &mut sink);
                findings.extend(sink.findings);
            }
        }
        drop(inventory);
        drop(objects);
        let mut invalid = reread.invalid.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
        for ((object, _, _), object_tree) in kept.iter().zip(&object_trees) {
            invalid.extend(checks::structure::invalid_fields(object_tree).into_iter().map(|field| (*object, field)));
        }
        (findings, invalid, input_facts)
    }
}
