//! Summarizing: the report's counts and the checklist scorecard.

use std::collections::BTreeMap;

use super::Engine;
use crate::report::{DocumentEntry, DocumentStatus, Finding, Summary};
use crate::scorecard::{InputFacts, Scorecard};
use crate::ClusterInventory;

impl Engine {
    /// The report's summary and scorecard, once its documents and findings are
    /// final: `files` files, and the documents, findings and number of errors.
    pub(super) fn summarize<'r, D, F>(
        &self,
        files: usize,
        (documents, findings, errors): (D, F, usize),
        inventory: &ClusterInventory,
        facts: InputFacts,
    ) -> (Summary, Scorecard)
    where
        D: IntoIterator<Item = &'r DocumentEntry>,
        F: IntoIterator<Item = &'r Finding> + Clone,
    {
        let summary = counts(files, documents, findings.clone(), errors);
        let facts = facts.with_cluster(inventory);
        let scorecard = crate::scorecard::score(findings, &facts, inventory, &self.config, &self.item_checks);
        (summary, scorecard)
    }
}

/// Documents by status, active findings by severity, suppressed findings and errors.
fn counts<'r>(
    files: usize,
    documents: impl IntoIterator<Item = &'r DocumentEntry>,
    findings: impl IntoIterator<Item = &'r Finding>,
    errors: usize,
) -> Summary {
    let mut by_status = BTreeMap::new();
    for status in [DocumentStatus::Evaluated, DocumentStatus::Skipped, DocumentStatus::Error] {
        by_status.insert(status, 0);
    }
    for document in documents {
        *by_status.entry(document.status).or_insert(0) += 1;
    }
    let mut active = [0; crate::Severity::ALL.len()];
    let mut suppressed = 0;
    for finding in findings {
        if finding.suppressed.is_some() {
            suppressed += 1;
        } else if let Some(at) = crate::Severity::ALL.iter().position(|severity| *severity == finding.severity) {
            active[at] += 1;
        }
    }
    let by_severity = crate::Severity::ALL.into_iter().zip(active).collect();
    Summary { files, documents: by_status, findings: by_severity, suppressed, errors }
}
