//! Text and JSON output.

use std::collections::HashMap;
use std::io::Write;

use kubeward::{DocumentStatus, Report, Severity};

use crate::args::Format;

/// `file:line:column: severity check-id message`, one finding per line, then a summary.
pub(crate) fn write_text(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let templates: HashMap<(&str, usize), &str> = report
        .documents
        .iter()
        .filter_map(|d| d.helm_source.as_deref().map(|source| ((d.file.as_str(), d.index), source)))
        .collect();
    for error in &report.errors {
        writeln!(
            out,
            "{}:{}:{}: error {}",
            error.file, error.range.start.line, error.range.start.column, error.message
        )?;
    }
    for finding in report.active_findings() {
        write!(
            out,
            "{}:{}:{}: {} {} {}",
            finding.file,
            finding.range.start.line,
            finding.range.start.column,
            finding.severity,
            finding.check,
            finding.message
        )?;
        match templates.get(&(finding.file.as_str(), finding.document)) {
            Some(template) => writeln!(out, " (template {template})")?,
            None => writeln!(out)?,
        }
    }
    let summary = &report.summary;
    let count = |status| summary.documents.get(&status).copied().unwrap_or(0);
    let total: usize = summary.findings.values().sum();
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| summary.findings.get(s).filter(|&&n| n > 0).map(|n| format!("{n} {s}")))
        .collect();
    writeln!(
        out,
        "\n{total} finding{}{}{}; {} document{} ({} evaluated, {} skipped, {} with errors) in {} file{}; {} input error{}",
        if total == 1 { "" } else { "s" },
        if by_severity.is_empty() { String::new() } else { format!(" ({})", by_severity.join(", ")) },
        if summary.suppressed > 0 { format!(", {} suppressed", summary.suppressed) } else { String::new() },
        report.documents.len(),
        if report.documents.len() == 1 { "" } else { "s" },
        count(DocumentStatus::Evaluated),
        count(DocumentStatus::Skipped),
        count(DocumentStatus::Error),
        summary.files,
        if summary.files == 1 { "" } else { "s" },
        summary.errors,
        if summary.errors == 1 { "" } else { "s" },
    )
}

/// The catalog of checks.
pub(crate) fn write_checks(out: &mut impl Write, format: Format) -> std::io::Result<()> {
    let checks = kubeward::checks();
    match format {
        Format::Json => {
            let json = serde_json::to_string_pretty(&checks).map_err(std::io::Error::other)?;
            writeln!(out, "{json}")
        }
        Format::Text => {
            let width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
            for check in &checks {
                let items = if check.items.is_empty() { "-".to_string() } else { check.items.join(",") };
                writeln!(out, "{:width$}  {:8}  {:10}  {}", check.id, check.severity.to_string(), items, check.title)?;
            }
            Ok(())
        }
    }
}
