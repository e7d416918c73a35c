//! The text output for people (`--format text`, the default): findings grouped
//! by file and object, most severe first, each with a code frame drawn by
//! annotate-snippets; one line per skipped document; a summary naming the
//! configuration, the excluded files and the baseline.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use kubeward::{DocumentStatus, Finding, Report, Severity};

use crate::scan::View;

/// A file's findings by object (document, item).
type ObjectFindings<'a> = BTreeMap<(usize, Option<usize>), Vec<&'a Finding>>;

/// At most this many lines of a field are shown in its frame.
const MAX_FRAME_LINES: usize = 4;

fn level(severity: Severity) -> Level<'static> {
    let level = match severity {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low => Level::NOTE,
        _ => Level::INFO,
    };
    level.with_name(severity.as_str())
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// A file's text, read once for all its frames (standard input from memory).
struct Sources<'a> {
    stdin: Option<(&'a str, &'a [u8])>,
    cache: HashMap<String, Option<String>>,
}

impl Sources<'_> {
    fn get(&mut self, file: &str) -> Option<&str> {
        if let Some((name, bytes)) = self.stdin {
            if name == file {
                return std::str::from_utf8(bytes).ok();
            }
        }
        self.cache
            .entry(file.to_string())
            .or_insert_with(|| std::fs::read(file).ok().and_then(|bytes| String::from_utf8(bytes).ok()))
            .as_deref()
    }
}

/// The lines of `source` that `start..end` (byte offsets) covers, at most
/// [`MAX_FRAME_LINES`]: the excerpt, its first line's offset, and the span within it.
fn excerpt(source: &str, start: usize, end: usize) -> Option<(&str, usize, std::ops::Range<usize>)> {
    if start > source.len() || !source.is_char_boundary(start) {
        return None;
    }
    let first = source[..start].rfind('\n').map_or(0, |at| at + 1);
    let mut last = start;
    for _ in 0..MAX_FRAME_LINES {
        last = source[last..].find('\n').map_or(source.len(), |at| last + at);
        if last >= end || last == source.len() {
            break;
        }
        last += 1;
    }
    let end = end.clamp(start, last);
    let end = if source.is_char_boundary(end) { end } else { start };
    Some((&source[first..last], first, start - first..end - first))
}

/// Replaces each `from` in `text` that does not continue a word (`RoleBinding`
/// within `ClusterRoleBinding` stays).
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let continues_word = rest[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        out.push_str(&rest[..at]);
        out.push_str(if continues_word { from } else { to });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// A message as it reads under its object's header: the object itself is
/// "this Kind", and the unnamed namespace of its own folder is not spelt out
/// again. The report keeps the whole message (machine formats are unchanged).
fn shorten(message: &str, finding: &Finding) -> String {
    let object = &finding.object;
    let folder = std::path::Path::new(&*finding.file).parent().map(|p| p.display().to_string()).unwrap_or_default();
    let own_namespace = if folder.is_empty() {
        "the unnamed namespace of the top folder".to_string()
    } else {
        format!("the unnamed namespace of {folder}/")
    };
    let mut text = message.replace(&format!(" (in {own_namespace})"), "");
    text = text.replace(&format!("\"({folder}/)/"), "\"");
    text = text.replace(&own_namespace, "its unnamed namespace");
    if let Some(name) = &object.name {
        let kind = &object.kind;
        let this = format!("this {kind}");
        if let Some(namespace) = &object.namespace {
            text = replace_words(&text, &format!("{kind} \"{namespace}/{name}\""), &this);
        }
        text = replace_words(&text, &format!("{kind} \"{name}\""), &this);
        if kind == "Namespace" {
            text = replace_words(&text, &format!("production namespace \"{name}\""), "this production namespace");
            text = replace_words(&text, &format!("namespace \"{name}\""), "this namespace");
        }
    }
    text
}

fn object_title(finding: &Finding) -> String {
    let object = &finding.object;
    let name = match (&object.name, object.api_version.is_empty()) {
        (Some(name), _) => name.as_str(),
        // Not a Kubernetes object: the configuration.
        (None, true) => return object.kind.clone(),
        (None, false) => "(unnamed)",
    };
    match &object.namespace {
        Some(namespace) => format!("{} {namespace}/{name}", object.kind),
        None => format!("{} {name}", object.kind),
    }
}

/// Writes the report for people.
pub(crate) fn write(out: &mut impl Write, report: &Report, view: &View<'_>, color: bool) -> std::io::Result<()> {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut sources = Sources { stdin: view.stdin, cache: HashMap::new() };
    let shown = |finding: &&Finding| view.scan.severity.is_none_or(|least| finding.severity >= least);
    let templates: HashMap<(&str, usize), &str> = report
        .documents
        .iter()
        .filter_map(|d| d.helm_source.as_deref().map(|source| ((d.file.as_str(), d.index), source)))
        .collect();

    for error in &report.errors {
        let message = format!("input error: {}", error.message);
        let mut group = Level::ERROR.primary_title(message.as_str());
        let start = error.range.start.offset as usize;
        let framed = sources.get(&error.file).and_then(|source| {
            let (text, _, span) = excerpt(source, start, error.range.end.offset as usize)?;
            Some(
                Snippet::source(text.to_string())
                    .line_start(error.range.start.line as usize)
                    .path(error.file.clone())
                    .annotation(AnnotationKind::Primary.span(span)),
            )
        });
        let rendered = match framed {
            Some(snippet) => renderer.render(&[group.element(snippet)]),
            None => {
                let location = format!("{}:{}:{}", error.file, error.range.start.line, error.range.start.column);
                group = Level::ERROR.primary_title(format!("{message} ({location})"));
                renderer.render(&[group.element(Level::NOTE.message("the input cannot be shown"))])
            }
        };
        writeln!(out, "{rendered}\n")?;
    }

    // Files in the order the report has them; objects in document order; findings most severe first.
    let mut files: Vec<&str> = Vec::new();
    let mut by_file: HashMap<&str, ObjectFindings<'_>> = HashMap::new();
    for finding in report.active_findings().filter(shown) {
        let file = &*finding.file;
        if !by_file.contains_key(file) {
            files.push(file);
        }
        by_file.entry(file).or_default().entry((finding.document, finding.item)).or_default().push(finding);
    }
    for file in files {
        writeln!(out, "{}", paint(color, bold.underline(), file))?;
        for ((document, item), mut findings) in by_file.remove(file).unwrap_or_default() {
            findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.range.start.offset.cmp(&b.range.start.offset)));
            let item = item.map(|item| format!(", item {item}")).unwrap_or_default();
            let template = templates.get(&(file, document)).map(|t| format!(", template {t}")).unwrap_or_default();
            let title = object_title(findings[0]);
            // The configuration's own findings: one document, not a Kubernetes object.
            let place = if findings[0].object.api_version.is_empty() {
                String::new()
            } else {
                format!(" {}", paint(color, dim, &format!("(document {}{item}{template})", document)))
            };
            writeln!(out, "\n  {}{place}\n", paint(color, bold, &title))?;
            for finding in findings {
                let message = shorten(&finding.message, finding);
                let group = level(finding.severity).primary_title(message.as_str()).id(finding.check.as_str());
                let start = finding.range.start.offset as usize;
                let snippet = sources.get(file).and_then(|source| {
                    let (text, _, span) = excerpt(source, start, finding.range.end.offset as usize)?;
                    Some(
                        Snippet::source(text.to_string())
                            .line_start(finding.range.start.line as usize)
                            .path(file.to_string())
                            .annotation(AnnotationKind::Primary.span(span)),
                    )
                });
                let rendered = match snippet {
                    Some(snippet) => renderer.render(&[group.element(snippet)]),
                    None => {
                        let at = format!("at {file}:{}:{}", finding.range.start.line, finding.range.start.column);
                        renderer.render(&[group.element(Level::NOTE.message(at))])
                    }
                };
                writeln!(out, "{rendered}\n")?;
            }
        }
    }

    for document in report.documents.iter().filter(|d| d.status == DocumentStatus::Skipped) {
        let what = match (&document.kind, &document.name) {
            (Some(kind), Some(name)) => format!("{kind} {name}"),
            (Some(kind), None) => kind.clone(),
            _ => "document".to_string(),
        };
        writeln!(
            out,
            "{} {}:{}: {what} skipped: {}",
            paint(color, dim, "skipped"),
            document.file,
            document.range.start.line,
            document.reason.as_deref().unwrap_or("not a Kubernetes object")
        )?;
    }

    if view.scan.statistics {
        write_statistics(out, report, color)?;
    }
    write_summary(out, report, view, color)
}

/// Findings per check and severity, most first.
fn write_statistics(out: &mut impl Write, report: &Report, color: bool) -> std::io::Result<()> {
    let mut counts: BTreeMap<(Severity, &str), usize> = BTreeMap::new();
    for finding in report.active_findings() {
        *counts.entry((finding.severity, finding.check.as_str())).or_default() += 1;
    }
    let mut rows: Vec<((Severity, &str), usize)> = counts.into_iter().collect();
    rows.sort_by(|((sa, ca), na), ((sb, cb), nb)| sb.cmp(sa).then(nb.cmp(na)).then(ca.cmp(cb)));
    writeln!(out, "\n{}", paint(color, Style::new().bold(), "Statistics"))?;
    writeln!(out, "  {:>6}  {:8}  check", "count", "severity")?;
    for ((severity, check), count) in rows {
        writeln!(out, "  {count:>6}  {:8}  {check}", severity.as_str())?;
    }
    writeln!(out)
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn write_summary(out: &mut impl Write, report: &Report, view: &View<'_>, color: bool) -> std::io::Result<()> {
    let summary = &report.summary;
    let count = |status| summary.documents.get(&status).copied().unwrap_or(0);
    let total: usize = summary.findings.values().sum();
    let by_severity: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter_map(|s| summary.findings.get(s).filter(|&&n| n > 0).map(|n| format!("{n} {s}")))
        .collect();
    let mut findings = plural(total, "finding");
    if !by_severity.is_empty() {
        findings += &format!(" ({})", by_severity.join(", "));
    }
    if let Some(least) = view.scan.severity {
        let hidden = report.active_findings().filter(|f| f.severity < least).count();
        if hidden > 0 {
            findings += &format!(", {hidden} below {least} not shown");
        }
    }
    let baselined = view.notes.baselined;
    let suppressed = summary.suppressed - baselined;
    if suppressed > 0 {
        findings += &format!(", {suppressed} suppressed");
    }
    if baselined > 0 {
        findings += &format!(", {baselined} baselined");
    }
    writeln!(out, "{}", paint(color, Style::new().bold(), &findings))?;
    writeln!(
        out,
        "{} ({} evaluated, {} skipped, {} with errors) in {}; {}",
        plural(report.documents.len(), "document"),
        count(DocumentStatus::Evaluated),
        count(DocumentStatus::Skipped),
        count(DocumentStatus::Error),
        plural(summary.files, "file"),
        plural(summary.errors, "input error"),
    )?;
    if view.notes.excluded > 0 {
        writeln!(out, "{} excluded", plural(view.notes.excluded, "file"))?;
    }
    match &view.notes.config {
        Some(path) => writeln!(out, "configuration: {path}")?,
        None => writeln!(out, "configuration: none (defaults)")?,
    }
    for unused in &view.notes.unused_exemptions {
        writeln!(out, "  unused exemption: {unused}")?;
    }
    if let Some((name, fixed)) = &view.notes.baseline {
        writeln!(
            out,
            "baseline: {name}, {} fixed since it was written",
            plural(fixed.len(), "entry").replace("entrys", "entries")
        )?;
        for entry in fixed {
            writeln!(
                out,
                "  {} {}",
                paint(color, Style::new().fg_color(Some(AnsiColor::Green.into())), "fixed"),
                entry.describe()
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{excerpt, shorten};
    use kubeward::Finding;

    fn finding(file: &str, kind: &str, namespace: Option<&str>, name: &str, message: &str) -> Finding {
        let mut finding: Finding = serde_json::from_value(serde_json::json!({
            "check": "c", "severity": "low", "message": message, "file": file, "document": 0, "path": "", "items": [],
            "range": {"start": {"line": 1, "column": 1, "offset": 0}, "end": {"line": 1, "column": 1, "offset": 0}},
            "object": {"apiVersion": "v1", "kind": kind, "name": name},
        }))
        .unwrap();
        std::sync::Arc::make_mut(&mut finding.object).namespace = namespace.map(str::to_string);
        finding
    }

    #[test]
    fn messages_name_their_object_once() {
        // (file, kind, namespace, name, message, as shown)
        let cases = [
            (
                "k8s/app.yaml",
                "ServiceAccount",
                None,
                "web",
                "ServiceAccount \"web\" does not set x: pod template of Deployment \"web\"",
                "this ServiceAccount does not set x: pod template of Deployment \"web\"",
            ),
            // Word boundaries: ClusterRoleBinding "read" is another object.
            (
                "app.yaml",
                "RoleBinding",
                Some("shop"),
                "read",
                "RoleBinding \"shop/read\" refers to Role \"shop/read\"; ClusterRoleBinding \"read\" too",
                "this RoleBinding refers to Role \"shop/read\"; ClusterRoleBinding \"read\" too",
            ),
            (
                "k8s/app.yaml",
                "Deployment",
                None,
                "web",
                "pod template of Deployment \"web\" runs as ServiceAccount \"(k8s/)/web\", which can read secrets in the unnamed namespace of k8s/ through RoleBinding \"r\" (in the unnamed namespace of k8s/)",
                "pod template of this Deployment runs as ServiceAccount \"web\", which can read secrets in its unnamed namespace through RoleBinding \"r\"",
            ),
            // Another folder's unnamed namespace is named in full.
            (
                "k8s/app.yaml",
                "Deployment",
                None,
                "web",
                "RoleBinding \"r\" (in the unnamed namespace of other/)",
                "RoleBinding \"r\" (in the unnamed namespace of other/)",
            ),
            (
                "app.yaml",
                "Deployment",
                None,
                "web",
                "no NetworkPolicy in the unnamed namespace of the top folder selects the pods of Deployment \"web\"",
                "no NetworkPolicy in its unnamed namespace selects the pods of this Deployment",
            ),
            (
                "ns.yaml",
                "Namespace",
                None,
                "shop",
                "production namespace \"shop\" has no label; namespace \"shop\" again",
                "this production namespace has no label; this namespace again",
            ),
        ];
        for (file, kind, namespace, name, message, shown) in cases {
            let finding = finding(file, kind, namespace, name, message);
            assert_eq!(shorten(message, &finding), shown);
        }
    }

    #[test]
    fn excerpts_cover_whole_lines() {
        let source = "a: 1\nb:\n  c: 2\nd: 3\n";
        let start = source.find("c:").unwrap();
        let (text, first, span) = excerpt(source, start, start + 4).unwrap();
        assert_eq!((text, first, span), ("  c: 2", 8, 2..6));
        let (text, _, _) = excerpt(source, 0, source.len()).unwrap();
        assert_eq!(text.lines().count(), 4);
    }
}
