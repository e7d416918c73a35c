//! The Pod Security foresight: before objects are checked, the level each
//! namespace enforces is read from the only documents that can set one.

use std::collections::HashMap;

use super::layout::Layout;
use super::read::Inputs;
use super::Engine;
use crate::checks;
use crate::model::object::{identity, objects_of};
use crate::model::view::{ObjectTree, View};
use crate::pss::{PssLevel, PssVersion};
use crate::yaml::{document_ranges, load_document_at};

/// What a scan knows before it checks objects.
pub(super) struct Foreseen {
    /// What the files say about each other.
    pub(super) layout: Layout,
    /// The Pod Security level and version each namespace enforces.
    pub(super) enforcement: HashMap<String, (PssLevel, PssVersion)>,
    /// What the custom policies need of the whole input, when any can run.
    pub(super) scene: Option<super::policies::PolicyScene>,
}

impl Engine {
    /// The Pod Security level and version each Namespace of the input enforces,
    /// foreseen before the scan from the only documents that can set one (those
    /// that name the `enforce` label), so that workloads are judged against it
    /// while their trees are there. Only levels other than privileged are kept,
    /// and none when the check is off. A foresight saves work and nothing more:
    /// `pss-namespace-enforcement` reads again every pod it foresaw wrongly.
    pub(super) fn foresee_enforcement(&self, inputs: &impl Inputs) -> HashMap<String, (PssLevel, PssVersion)> {
        const LABEL: &[u8] = b"pod-security.kubernetes.io/enforce";
        if !self.active.iter().any(|(check, enabled, _)| *enabled && check.meta.id == "pss-namespace-enforcement") {
            return HashMap::new();
        }
        let limits = &self.config.limits;
        // One searcher for every file and document: building one costs more than searching a document.
        let label = memchr::memmem::Finder::new(LABEL);
        let per_file = self.each_file(inputs.count(), |file| {
            let mut found = Vec::new();
            let Ok(bytes) = inputs.bytes(file) else { return found };
            if label.find(&bytes).is_none() {
                return found;
            }
            for range in document_ranges(&bytes, limits) {
                let text = bytes.get(range.0 as usize..range.1 as usize).unwrap_or_default();
                if label.find(text).is_none() {
                    continue;
                }
                let Some(tree) = load_document_at(&bytes, range, limits) else { continue };
                for node in objects_of(&tree).unwrap_or_default() {
                    let identity = identity(&tree, node.node);
                    let object_tree = ObjectTree::new(&tree);
                    let root = View::root(&object_tree, node.node, node.pointer, node.span);
                    if let Some((name, at)) = checks::pod::pss_namespace_enforcement::enforcement(&identity, &root) {
                        found.push((name.to_string(), at));
                    }
                }
            }
            found
        });
        // The last declaration of a name wins, as in the check.
        let mut foreseen: HashMap<String, (PssLevel, PssVersion)> = per_file.into_iter().flatten().collect();
        foreseen.retain(|_, (level, _)| *level != PssLevel::Privileged);
        foreseen
    }
}
