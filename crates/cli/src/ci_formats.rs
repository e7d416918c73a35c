//! Formats for CI systems: SARIF 2.1.0, GitHub workflow annotations, JUnit XML.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use kubeward::{Finding, Report, Severity};
use serde_json::{json, Value};

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        _ => "note",
    }
}

/// SARIF's `security-severity` (0.0–10.0), which code scanning uses to rank results.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        _ => "0.0",
    }
}

/// SARIF wants URIs relative to the repository root, with forward slashes.
fn artifact_uri(file: &str) -> String {
    let file = file.strip_prefix("./").unwrap_or(file);
    file.replace('\\', "/")
}

fn region(finding_range: &kubeward::Range) -> Value {
    json!({
        "startLine": finding_range.start.line,
        "startColumn": finding_range.start.column,
        "endLine": finding_range.end.line,
        "endColumn": finding_range.end.column,
        "byteOffset": finding_range.start.offset,
        "byteLength": finding_range.end.offset.saturating_sub(finding_range.start.offset),
    })
}

/// A SARIF 2.1.0 log with one run: rules from the catalog, results with physical
/// locations, suppressions for exempted findings.
pub(crate) fn write_sarif(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let checks = kubeward::checks();
    let rule_index: BTreeMap<&str, usize> = checks.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let rules: Vec<Value> = checks
        .iter()
        .map(|check| {
            json!({
                "id": check.id,
                "name": check.id.split('-').map(|w| { let mut c = w.chars(); c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str()) }).collect::<String>(),
                "shortDescription": { "text": check.title },
                "helpUri": format!("{}/blob/main/CHECKS.md#{}", kubeward::HOMEPAGE, check.id),
                "fullDescription": { "text": check.rationale.split_whitespace().collect::<Vec<_>>().join(" ") },
                "help": {
                    "text": check.remediation.split_whitespace().collect::<Vec<_>>().join(" "),
                    "markdown": format!("{}\n\n**Fix:** {}\n\nChecklist items: {}", check.rationale.split_whitespace().collect::<Vec<_>>().join(" "), check.remediation.split_whitespace().collect::<Vec<_>>().join(" "), if check.items.is_empty() { "none".to_string() } else { check.items.join(", ") }),
                },
                "defaultConfiguration": { "level": sarif_level(check.severity) },
                "properties": {
                    "tags": ["security", "kubernetes"],
                    "security-severity": security_severity(check.severity),
                    "checklistItems": check.items,
                },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|finding| {
            let mut result = json!({
                "ruleId": finding.check,
                "level": sarif_level(finding.severity),
                "message": { "text": finding.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": artifact_uri(&finding.file) },
                        "region": region(&finding.range),
                    },
                    "logicalLocations": [{
                        "fullyQualifiedName": format!("{}{}", object_name(finding), finding.path),
                        "kind": "object",
                    }],
                }],
                "properties": {
                    "severity": finding.severity.as_str(),
                    "jsonPointer": finding.path,
                    "document": finding.document,
                },
            });
            if let Some(index) = rule_index.get(finding.check.as_str()) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(suppressed) = &finding.suppressed {
                result["suppressions"] = json!([{
                    "kind": if suppressed.by == "annotation" { "inSource" } else { "external" },
                    "justification": suppressed.reason,
                }]);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|error| {
            json!({
                "level": "error",
                "message": { "text": error.message },
                "locations": [{ "physicalLocation": {
                    "artifactLocation": { "uri": artifact_uri(&error.file) },
                    "region": region(&error.range),
                }}],
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "kubeward",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "informationUri": kubeward::HOMEPAGE,
                "rules": rules,
            }},
            "results": results,
            "invocations": [{
                "executionSuccessful": true,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
        }],
    });
    let text = serde_json::to_string_pretty(&log).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

fn object_name(finding: &Finding) -> String {
    let object = &finding.object;
    match (&object.namespace, &object.name) {
        (Some(namespace), Some(name)) => format!("{}/{namespace}/{name}", object.kind),
        (None, Some(name)) => format!("{}/{name}", object.kind),
        _ => object.kind.clone(),
    }
}

/// GitHub Actions workflow commands escape `%`, CR and LF in messages, and also `:` and `,` in properties.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One `::error file=…,line=…,col=…::message` annotation per finding that counts.
pub(crate) fn write_github(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    for error in &report.errors {
        writeln!(
            out,
            "::error file={},line={},col={},title={}::{}",
            escape_property(&error.file),
            error.range.start.line,
            error.range.start.column,
            escape_property("kubeward: input error"),
            escape_data(&error.message)
        )?;
    }
    for finding in report.active_findings() {
        let command = match finding.severity {
            Severity::Critical | Severity::High => "error",
            Severity::Medium => "warning",
            _ => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&finding.file),
            finding.range.start.line,
            finding.range.start.column,
            finding.range.end.line,
            finding.range.end.column,
            escape_property(&format!("kubeward {} ({})", finding.check, finding.severity)),
            escape_data(&finding.message)
        )?;
    }
    Ok(())
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML: per evaluated object, one test case for each check that reported
/// anywhere in the input; the case fails where that check found something on
/// that object. Input errors are test cases that error.
pub(crate) fn write_junit(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let checks: BTreeSet<&str> = report.active_findings().map(|f| f.check.as_str()).collect();
    let mut by_object: BTreeMap<(&str, usize, Option<usize>), Vec<&Finding>> = BTreeMap::new();
    for finding in report.active_findings() {
        by_object.entry((&*finding.file, finding.document, finding.item)).or_default().push(finding);
    }
    let mut cases = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for document in report.documents.iter().filter(|d| d.status == kubeward::DocumentStatus::Evaluated) {
        let class = format!(
            "{}.{}",
            document.file,
            match (&document.kind, &document.namespace, &document.name) {
                (Some(kind), Some(ns), Some(name)) => format!("{kind}/{ns}/{name}"),
                (Some(kind), None, Some(name)) => format!("{kind}/{name}"),
                (kind, _, _) => kind.clone().unwrap_or_default(),
            }
        );
        let findings = by_object.get(&(document.file.as_str(), document.index, document.item));
        for check in &checks {
            tests += 1;
            let failed: Vec<&&Finding> =
                findings.map(|f| f.iter().filter(|f| f.check == *check).collect()).unwrap_or_default();
            if failed.is_empty() {
                cases.push_str(&format!(
                    "    <testcase classname=\"{}\" name=\"{}\"/>\n",
                    xml_escape(&class),
                    xml_escape(check)
                ));
            } else {
                failures += 1;
                let detail: Vec<String> = failed
                    .iter()
                    .map(|f| {
                        format!(
                            "{}:{}:{}: {} {}",
                            f.file, f.range.start.line, f.range.start.column, f.severity, f.message
                        )
                    })
                    .collect();
                cases.push_str(&format!(
                    "    <testcase classname=\"{}\" name=\"{}\">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                    xml_escape(&class),
                    xml_escape(check),
                    xml_escape(&failed[0].message),
                    failed[0].severity,
                    xml_escape(&detail.join("\n"))
                ));
            }
        }
    }
    for error in &report.errors {
        tests += 1;
        errors += 1;
        cases.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"input\">\n      <error message=\"{}\">{}:{}:{}</error>\n    </testcase>\n",
            xml_escape(&error.file),
            xml_escape(&error.message),
            xml_escape(&error.file),
            error.range.start.line,
            error.range.start.column
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kubeward\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"kubeward\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{cases}  </testsuite>\n</testsuites>\n"
    )
}
