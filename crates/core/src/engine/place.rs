//! Placing: each object's findings given their ranges, severities,
//! suppressions and order, within the per-object limit.

use std::borrow::Cow;
use std::sync::Arc;

use super::account::origin;
use super::evaluate::{Copy, Evaluated, FileLines};
use super::items_of;
use super::read::{fingerprint, Inputs};
use super::Engine;
use crate::model::Identity;
use crate::position::LineIndex;
use crate::report::{Finding, FindingCopy, InputError, ObjectRef, Report};

impl Engine {
    /// Resolves the findings of every object (positions, severities,
    /// suppressions, order, limit) into `report`, a batch of files at a time on
    /// the engine's threads, each file's bytes had again for the columns.
    pub(super) fn place_findings<I: Inputs>(
        &self,
        inputs: &I,
        files: &[FileLines<'_>],
        evaluated: Vec<Evaluated>,
        report: &mut Report,
    ) {
        // The findings are the largest part of a report: room for all of them is
        // taken once (an object reports at most its limit plus one), and they are
        // resolved a batch at a time, so that none is held twice.
        let most = self.config.limits.max_findings_per_object as usize + 1;
        report.findings.reserve_exact(
            evaluated.iter().map(|object| (object.findings.len() + object.violations.len()).min(most)).sum(),
        );
        const BATCH: usize = 4096;
        let mut evaluated = evaluated.into_iter().peekable();
        loop {
            let mut batch: Vec<(usize, Vec<Evaluated>)> = Vec::new();
            let mut size = 0;
            while size < BATCH {
                let Some(file) = evaluated.peek().map(|object| object.file) else { break };
                let objects: Vec<Evaluated> =
                    std::iter::from_fn(|| evaluated.next_if(|object| object.file == file)).collect();
                size += objects.len();
                batch.push((file, objects));
            }
            if batch.is_empty() {
                break;
            }
            let placed = self.parallel_map(batch, |(file, objects)| {
                let Some(lines) = files.get(file) else { return (Vec::new(), None) };
                // A file read on demand is not read again when its line table places every offset
                // by itself (an ASCII file, or one with few non-ASCII characters).
                let (bytes, problem) = if inputs.rereads() && !lines.lines.needs_bytes() {
                    (Cow::Borrowed(&[][..]), None)
                } else {
                    match inputs.bytes(file) {
                        Ok(bytes) if lines.fingerprint.is_none_or(|seen| seen == fingerprint(&bytes)) => (bytes, None),
                        Ok(bytes) => (
                            bytes,
                            Some(
                                "file changed while it was scanned: its findings are placed in its new content".into(),
                            ),
                        ),
                        Err(message) => {
                            (Cow::Borrowed(&[][..]), Some(format!("{message} (again, to place its findings)")))
                        }
                    }
                };
                // A changed file gets a line table of its own: the old one does not fit its bytes.
                let fresh = problem.as_ref().map(|_| LineIndex::new(&bytes));
                let table = fresh.as_ref().unwrap_or(&lines.lines);
                let name: Arc<str> = lines.name.into();
                // Sized once (an object reports at most its limit plus one): collecting the
                // objects' findings one by one would grow the list, copying it, many times.
                let mut findings: Vec<Finding> = Vec::with_capacity(
                    objects.iter().map(|object| (object.findings.len() + object.violations.len()).min(most)).sum(),
                );
                for object in objects {
                    findings.extend(self.resolve_findings(object, (&name, files), table, &bytes));
                }
                let error = problem.map(|message| InputError {
                    file: lines.name.into(),
                    document: None,
                    range: origin(),
                    message,
                });
                (findings, error)
            });
            for (findings, error) in placed {
                report.findings.extend(findings);
                report.errors.extend(error);
            }
        }
    }

    /// The findings of one object as the report gives them: enabled, with their
    /// severity, suppression and range, in position order, within the per-object limit.
    pub(super) fn resolve_findings(
        &self,
        object: Evaluated,
        (file, files): (&Arc<str>, &[FileLines<'_>]),
        lines: &LineIndex,
        bytes: &[u8],
    ) -> Vec<Finding> {
        let range = |start: u32, end: u32| lines.range(bytes, start, end);
        let copies: Vec<(Arc<str>, &Copy)> = object
            .copies
            .iter()
            .filter_map(|copy| Some((Arc::<str>::from(files.get(copy.file)?.name), copy)))
            .collect();
        let start = object.start;
        // The finding at `range`, in each byte-identical copy of the object.
        let copies_at = |range: crate::Range| -> Vec<FindingCopy> {
            copies
                .iter()
                .map(|(file, copy)| FindingCopy {
                    file: Arc::clone(file),
                    document: copy.document,
                    item: copy.item,
                    range: range.moved(start, copy.start),
                })
                .collect()
        };
        let Identity { api_version, kind, namespace, name, .. } = object.identity;
        let object_ref = Arc::new(ObjectRef { api_version, kind, namespace, name });
        let mut findings: Vec<Finding> = Vec::with_capacity(object.findings.len() + object.violations.len());
        // Which of the object's inline exemptions suppressed a finding.
        let used = vec![std::cell::Cell::new(false); object.ignores.len()];
        let suppress = |check: &str, container: Option<&str>, pointer: &str| {
            let (suppression, inline) = self.suppression(&object_ref, &object.ignores, check, container, pointer)?;
            if let Some(slot) = inline.and_then(|index| used.get(index)) {
                slot.set(true);
            }
            Some(suppression)
        };
        for violation in object.violations {
            let (enabled, severity) = self.config.check_settings(&violation.check, violation.severity);
            if !enabled {
                continue;
            }
            let suppressed = suppress(&violation.check, None, &violation.pointer);
            let range = range(violation.span.0, violation.span.1);
            let copies = copies_at(range);
            findings.push(Finding {
                check: violation.check.to_string(),
                severity,
                message: violation.message,
                items: violation.items,
                object: Arc::clone(&object_ref),
                file: Arc::clone(file),
                document: object.document,
                item: object.item,
                path: violation.pointer,
                range,
                container: None,
                suppressed: suppressed.map(Box::new),
                copies,
                fixes: Vec::new(),
            });
        }
        // The checks' findings, then the findings about the exemptions that the first pass did not use.
        let mut batch = object.findings;
        let mut exemptions_done = object.ignores.is_empty();
        loop {
            for raw in batch {
                let (enabled, configured) = self.config.check_settings(raw.check.id, raw.check.severity);
                if !enabled {
                    continue;
                }
                // A check that raises one instance's severity keeps it unless the user overrode the check.
                let severity = match (self.config.checks.get(raw.check.id).and_then(|c| c.severity), raw.severity) {
                    (Some(overridden), _) => overridden,
                    (None, Some(instance)) => instance,
                    (None, None) => configured,
                };
                let suppressed = suppress(raw.check.id, raw.container.as_deref(), &raw.pointer);
                let range = range(raw.span.0, raw.span.1);
                let copies = copies_at(range);
                findings.push(Finding {
                    check: raw.check.id.to_string(),
                    severity,
                    message: raw.message,
                    items: match raw.items {
                        Some(only) => only.iter().map(|item| item.to_string()).collect(),
                        None => self.items.get(raw.check.id).cloned().unwrap_or_else(|| items_of(raw.check)),
                    },
                    object: Arc::clone(&object_ref),
                    file: Arc::clone(file),
                    document: object.document,
                    item: object.item,
                    path: raw.pointer,
                    range,
                    container: raw.container,
                    suppressed: suppressed.map(Box::new),
                    copies,
                    fixes: Vec::new(),
                });
            }
            if exemptions_done {
                break;
            }
            exemptions_done = true;
            let used: Vec<bool> = used.iter().map(std::cell::Cell::get).collect();
            batch = self.exemption_findings(&object.ignores, &used);
        }
        findings.sort_by(|a, b| {
            (a.range.start.offset, a.range.end.offset, &a.check, &a.path, &a.message).cmp(&(
                b.range.start.offset,
                b.range.end.offset,
                &b.check,
                &b.path,
                &b.message,
            ))
        });
        findings.dedup();
        let limit = self.config.limits.max_findings_per_object as usize;
        if findings.len() > limit {
            let dropped = findings.len() - limit;
            findings.truncate(limit);
            if let Some(last) = findings.last().cloned() {
                findings.push(Finding {
                    check: "too-many-findings".into(),
                    severity: crate::Severity::Info,
                    message: format!(
                        "{dropped} more findings on this object were not reported (limits.maxFindingsPerObject)"
                    ),
                    items: Arc::new([]),
                    suppressed: None,
                    container: None,
                    copies: Vec::new(),
                    ..last
                });
            }
        }
        findings
    }
}
