//! Summarizing: the report's counts and the checklist scorecard.

use std::collections::BTreeMap;

use super::Engine;
use crate::report::{DocumentStatus, Report, Summary};
use crate::scorecard::InputFacts;

impl Engine {
    /// Fills in the report's summary and scorecard, once its documents and findings are final.
    pub(super) fn summarize(&self, report: &mut Report, files: usize, facts: InputFacts) {
        report.summary = counts(report, files);
        let facts = facts.with_cluster(&report.inventory);
        report.scorecard =
            crate::scorecard::score(&report.findings, &facts, &report.inventory, &self.config, &self.item_checks);
    }
}

/// Documents by status, active findings by severity, suppressed findings and errors.
fn counts(report: &Report, files: usize) -> Summary {
    let mut documents = BTreeMap::new();
    for status in [DocumentStatus::Evaluated, DocumentStatus::Skipped, DocumentStatus::Error] {
        documents.insert(status, 0);
    }
    for document in &report.documents {
        *documents.entry(document.status).or_insert(0) += 1;
    }
    let mut findings = BTreeMap::new();
    for severity in crate::Severity::ALL {
        findings.insert(severity, 0);
    }
    for finding in report.active_findings() {
        *findings.entry(finding.severity).or_insert(0) += 1;
    }
    Summary {
        files,
        documents,
        findings,
        suppressed: report.findings.iter().filter(|f| f.suppressed.is_some()).count(),
        errors: report.errors.len(),
    }
}
