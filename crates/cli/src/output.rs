//! Text and JSON output.

use std::collections::HashMap;
use std::io::Write;

use kubeward::{DocumentStatus, ItemStatus, PssReport, Report, Severity};

use crate::args::ListingFormat as Format;

/// `file:line:column: severity check-id message`, one finding per line, then a summary.
pub(crate) fn write_text(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let templates: HashMap<(&str, usize), &str> = report
        .documents
        .iter()
        .filter_map(|d| d.helm_source.as_deref().map(|source| ((d.file.as_str(), d.index), source)))
        .collect();
    write_input_errors(out, &report.errors)?;
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
        match templates.get(&(&*finding.file, finding.document)) {
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

/// The checklist scorecard as a table grouped by section.
pub(crate) fn write_scorecard(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let card = &report.scorecard;
    let mut section = 0;
    writeln!(out, "\nChecklist scorecard")?;
    for item in &card.items {
        if item.section != section {
            section = item.section;
            let scored = if section <= 7 { "" } else { " (not scored)" };
            writeln!(out, "\n{section}. {}{scored}", kubeward::section_name(section))?;
        }
        let status = match item.status {
            ItemStatus::Pass => "pass",
            ItemStatus::Fail => "FAIL",
            ItemStatus::NotAssessed => "not assessed",
            ItemStatus::Attested => "attested",
            ItemStatus::Expired => "EXPIRED",
            _ => "?",
        };
        writeln!(out, "  {:5} {:13} {}", item.id, status, item.title)?;
        writeln!(out, "  {:5} {:13} {}", "", "", item.reason)?;
    }
    let band = match card.band {
        kubeward::Band::Undetermined => format!(
            "band not determined: the {} items not assessed could put the score anywhere from {} to {}",
            card.not_assessed,
            card.score,
            card.score + card.not_assessed
        ),
        band => band.describe().to_string(),
    };
    writeln!(
        out,
        "\nscore: {}/{} ({band}); {} of the {} assessed items pass; {} of the 50 items not assessed: nothing in the input could show them",
        card.score,
        card.out_of,
        card.score,
        card.assessed,
        card.not_assessed
    )
}

/// The checklist items and the checks behind each.
pub(crate) fn write_checklist(out: &mut impl Write, format: Format) -> std::io::Result<()> {
    let items = kubeward::checklist();
    if format == Format::Json {
        let json = serde_json::to_string_pretty(&items).map_err(std::io::Error::other)?;
        return writeln!(out, "{json}");
    }
    let mut section = 0;
    for item in &items {
        if item.section != section {
            section = item.section;
            writeln!(out, "\n{section}. {}", kubeward::section_name(section))?;
        }
        let checks = if item.checks.is_empty() { "attestation only".to_string() } else { item.checks.join(", ") };
        writeln!(out, "  {:5} {}\n        {checks}", item.id, item.title)?;
    }
    Ok(())
}

/// `file:line:column: level/version check reason`, one violation per line, then
/// one verdict line per object and a summary.
pub(crate) fn write_pss_text(out: &mut impl Write, report: &PssReport) -> std::io::Result<()> {
    let policy = format!("{}/{}", report.level, report.version);
    write_input_errors(out, &report.errors)?;
    for object in &report.objects {
        for violation in &object.violations {
            writeln!(
                out,
                "{}:{}:{}: {policy} {} {}",
                object.file,
                violation.range.start.line,
                violation.range.start.column,
                violation.check,
                violation.reason
            )?;
        }
    }
    let (mut allowed, mut denied, mut not_applicable) = (0, 0, 0);
    for object in &report.objects {
        let name = object.object.name.as_deref().unwrap_or("(unnamed)");
        let verdict = if !object.applicable {
            not_applicable += 1;
            "not applicable".to_string()
        } else if object.allowed {
            allowed += 1;
            "allowed".to_string()
        } else {
            denied += 1;
            let n = object.violations.len();
            format!("denied ({n} violation{})", if n == 1 { "" } else { "s" })
        };
        let item = object.item.map(|item| format!(" item {item}")).unwrap_or_default();
        writeln!(
            out,
            "{} (document {}{item}): {} {name:?}: {verdict}",
            object.file, object.document, object.object.kind
        )?;
    }
    writeln!(
        out,
        "\n{policy} (checks of v1.{}): {allowed} allowed, {denied} denied, {not_applicable} not applicable; {} input error{}",
        report.effective_version.minor().unwrap_or(kubeward::PSS_NEWEST_MINOR),
        report.errors.len(),
        if report.errors.len() == 1 { "" } else { "s" },
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
        _ => {
            let width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
            for check in &checks {
                let items = if check.items.is_empty() { "-".to_string() } else { check.items.join(",") };
                writeln!(out, "{:width$}  {:8}  {:10}  {}", check.id, check.severity.to_string(), items, check.title)?;
            }
            Ok(())
        }
    }
}

/// One `file:line:column: error message` line per input error.
fn write_input_errors(out: &mut impl Write, errors: &[kubeward::InputError]) -> std::io::Result<()> {
    for error in errors {
        writeln!(
            out,
            "{}:{}:{}: error {}",
            error.file, error.range.start.line, error.range.start.column, error.message
        )?;
    }
    Ok(())
}
