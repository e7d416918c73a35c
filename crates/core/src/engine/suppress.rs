//! Suppressing: exemptions granted by the configuration or written in a
//! `kubeward.io/ignore` annotation.

use std::sync::Arc;

use super::Engine;
use crate::checks::RawFinding;
use crate::model::Object;
use crate::report::{Finding, ObjectRef, Suppression};
use crate::{Position, Range};

/// One entry of a `kubeward.io/ignore` annotation.
#[derive(Debug, Clone)]
pub(super) struct InlineIgnore {
    pub(super) check: String,
    pub(super) container: Option<String>,
    pub(super) expires: Option<String>,
    pub(super) reason: String,
    /// For an ignore written in one pod template of an object that holds
    /// several, the template's JSON Pointer: it applies only to the findings
    /// within it. `None` applies to the whole object.
    pub(super) within: Option<String>,
    /// Whether `kubeward.io/ignore-reason` gives a reason.
    pub(super) has_reason: bool,
    /// Where the annotation is (JSON Pointer and byte range), for findings about it.
    pub(super) pointer: String,
    pub(super) span: (u32, u32),
}

pub(super) const IGNORE_ANNOTATION: &str = "kubeward.io/ignore";

pub(super) const IGNORE_REASON_ANNOTATION: &str = "kubeward.io/ignore-reason";

/// Reads `kubeward.io/ignore: "check[:container][@YYYY-MM-DD], ..."` from the
/// object's metadata and, for workloads, from the pod templates'. When the
/// object holds several pods, an ignore in one pod's metadata applies to the
/// findings within that pod only.
pub(super) fn read_inline_ignores(object: &Object<'_>) -> Vec<InlineIgnore> {
    let several = object.pods.len() > 1;
    let mut metadatas = vec![(object.root.get("metadata"), None)];
    metadatas.extend(object.pods.iter().map(|pod| (pod.metadata.clone(), several.then(|| pod.at.pointer()))));
    let mut ignores = Vec::new();
    for (metadata, within) in metadatas {
        let annotations = metadata.get("annotations");
        let annotation = annotations.get(IGNORE_ANNOTATION);
        let Some(list) = annotation.str().present() else {
            continue;
        };
        let given = annotations.get(IGNORE_REASON_ANNOTATION).str().present().filter(|r| !r.trim().is_empty());
        let reason =
            given.map_or_else(|| "no reason given (kubeward.io/ignore-reason is missing)".to_string(), str::to_string);
        let pointer = annotation.pointer();
        // A Pod's own metadata is also its pod's: read once.
        if ignores.iter().any(|ignore: &InlineIgnore| ignore.pointer == pointer) {
            continue;
        }
        for entry in list.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
            let (entry, expires) = match entry.split_once('@') {
                Some((entry, date)) => (entry, Some(date.trim().to_string())),
                None => (entry, None),
            };
            let (check, container) = match entry.split_once(':') {
                Some((check, container)) => (check.trim(), Some(container.trim().to_string())),
                None => (entry.trim(), None),
            };
            ignores.push(InlineIgnore {
                check: check.to_string(),
                container,
                expires,
                reason: reason.clone(),
                within: within.clone(),
                has_reason: given.is_some(),
                pointer: pointer.clone(),
                span: annotation.span,
            });
        }
    }
    ignores
}

/// Is the field at `pointer` the one at `within` or inside it?
fn is_within(pointer: &str, within: &str) -> bool {
    pointer.strip_prefix(within).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

impl Engine {
    /// The exemption that suppresses a finding, if any, and (for an inline
    /// one) its index in `inline`.
    pub(super) fn suppression(
        &self,
        object: &ObjectRef,
        inline: &[InlineIgnore],
        check: &str,
        container: Option<&str>,
        pointer: &str,
    ) -> Option<(Suppression, Option<usize>)> {
        let today = self.config.today.as_deref();
        let current = |expires: &Option<String>| match (expires, today) {
            (Some(expires), Some(today)) => today <= expires.as_str(),
            _ => true,
        };
        let container_matches = |wanted: &Option<String>| match wanted {
            None => true,
            Some(wanted) => container == Some(wanted.as_str()),
        };
        for ignore in &self.config.ignores {
            let identity = (object.kind.as_str(), object.namespace.as_deref(), object.name.as_deref());
            let matches = ignore.applies(identity, check, container) && current(&ignore.expires);
            if matches {
                let by = "config".into();
                return Some((
                    Suppression { by, reason: ignore.reason.clone(), expires: ignore.expires.clone() },
                    None,
                ));
            }
        }
        if self.config.allow_inline_ignores == Some(false) {
            return None;
        }
        inline
            .iter()
            .enumerate()
            .find(|(_, ignore)| {
                ignore.check == check
                    && container_matches(&ignore.container)
                    && current(&ignore.expires)
                    && ignore.within.as_deref().is_none_or(|within| is_within(pointer, within))
            })
            .map(|(index, ignore)| {
                let by = "annotation".into();
                (Suppression { by, reason: ignore.reason.clone(), expires: ignore.expires.clone() }, Some(index))
            })
    }

    /// Whether an inline exemption has expired by the configuration's `today`.
    pub(super) fn expired(&self, ignore: &InlineIgnore) -> bool {
        matches!((&ignore.expires, self.config.today.as_deref()), (Some(expires), Some(today)) if today > expires.as_str())
    }
}

/// For an exemption's check id that is neither a check nor a policy: the
/// suggestion to add to the message (`; did you mean "x"?`, or empty).
fn unknown_check_hint(check: &str, policies: &[String]) -> Option<String> {
    if crate::checks::find(check).is_some() || policies.iter().any(|policy| policy == check) {
        return None;
    }
    let known = crate::checks::all_meta().map(|meta| meta.id).chain(policies.iter().map(String::as_str));
    Some(crate::text::closest(check, known).map(|id| format!("; did you mean \"{id}\"?")).unwrap_or_default())
}

/// The file name of findings about a configuration that names none.
const UNNAMED_CONFIGURATION: &str = "configuration";

impl Engine {
    /// Findings about the configuration's own exemptions (`ignores`): one that
    /// names an unknown check, or gives no reason, is an `invalid-exemption`
    /// finding on the configuration file, as an annotation's is on its object.
    /// (One that suppresses nothing depends on which files a run scans; the
    /// command line lists those in its summary.)
    pub(super) fn configuration_findings(&self) -> Vec<Finding> {
        use crate::checks::structure::INVALID_EXEMPTION;
        let (enabled, severity) = self.config.check_settings(INVALID_EXEMPTION.id, INVALID_EXEMPTION.severity);
        if !enabled || self.config.ignores.is_empty() {
            return Vec::new();
        }
        let policies = self.policy_names();
        let file: Arc<str> = self.config.file.as_deref().unwrap_or(UNNAMED_CONFIGURATION).into();
        let object = Arc::new(ObjectRef {
            api_version: String::new(),
            kind: "Configuration".into(),
            namespace: None,
            name: None,
        });
        let start = Position { line: 1, column: 1, offset: 0 };
        let mut findings = Vec::new();
        for (index, ignore) in self.config.ignores.iter().enumerate() {
            let site = self.config.ignore_sites.0.get(index);
            let entry = site.map_or(Range { start, end: start }, |site| site.entry);
            let check = &ignore.check;
            let (field, range, message) = if let Some(hint) = unknown_check_hint(check, &policies) {
                (
                    "check",
                    site.and_then(|site| site.check),
                    format!("ignores[{index}] names unknown check \"{check}\"{hint}"),
                )
            } else if ignore.reason.trim().is_empty() {
                let message = format!("the exemption of \"{check}\" in ignores[{index}] gives no reason: add `reason`");
                ("reason", site.and_then(|site| site.reason), message)
            } else {
                continue;
            };
            findings.push(Finding {
                check: INVALID_EXEMPTION.id.to_string(),
                severity,
                message,
                items: Arc::from([]),
                object: Arc::clone(&object),
                file: Arc::clone(&file),
                document: 0,
                item: None,
                path: format!("/ignores/{index}/{field}"),
                range: range.unwrap_or(entry),
                container: None,
                suppressed: None,
                copies: Vec::new(),
                fixes: Vec::new(),
            });
        }
        findings
    }

    /// Findings about an object's inline exemptions: one naming an unknown
    /// check or giving no reason (`invalid-exemption`), one that suppressed
    /// nothing (`unused-exemption`, unless expired or its check is off).
    pub(super) fn exemption_findings(&self, inline: &[InlineIgnore], used: &[bool]) -> Vec<RawFinding> {
        use crate::checks::structure::{INVALID_EXEMPTION, UNUSED_EXEMPTION};
        let policies = self.policy_names();
        let mut findings = Vec::new();
        for (ignore, &used) in inline.iter().zip(used) {
            let check = &ignore.check;
            let (meta, message) = if let Some(hint) = unknown_check_hint(check, &policies) {
                (&INVALID_EXEMPTION, format!("{IGNORE_ANNOTATION} names unknown check \"{check}\"{hint}"))
            } else if !ignore.has_reason {
                (
                    &INVALID_EXEMPTION,
                    format!("the exemption of \"{check}\" gives no reason: add {IGNORE_REASON_ANNOTATION}"),
                )
            } else if !used
                && !self.expired(ignore)
                && self.config.allow_inline_ignores != Some(false)
                && self.config.checks.get(check).and_then(|c| c.enabled) != Some(false)
            {
                (&UNUSED_EXEMPTION, format!("the exemption of \"{check}\" suppresses nothing"))
            } else {
                continue;
            };
            findings.push(RawFinding {
                check: meta,
                message,
                pointer: ignore.pointer.clone(),
                span: ignore.span,
                container: None,
                severity: None,
                items: None,
            });
        }
        findings
    }
}
