//! Suppressing: exemptions granted by the configuration or written in a
//! `kubeward.io/ignore` annotation.

use super::Engine;
use crate::config::glob_match;
use crate::model::Object;
use crate::report::{ObjectRef, Suppression};

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
        let Some(list) = annotations.get(IGNORE_ANNOTATION).str().present() else {
            continue;
        };
        let reason = annotations
            .get(IGNORE_REASON_ANNOTATION)
            .str()
            .present()
            .map_or_else(|| "no reason given (kubeward.io/ignore-reason is missing)".to_string(), str::to_string);
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
    pub(super) fn suppression(
        &self,
        object: &ObjectRef,
        inline: &[InlineIgnore],
        check: &str,
        container: Option<&str>,
        pointer: &str,
    ) -> Option<Suppression> {
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
            let matches = ignore.check == check
                && ignore.kind.as_deref().is_none_or(|kind| kind == object.kind)
                && ignore
                    .namespace
                    .as_deref()
                    .is_none_or(|p| glob_match(p, object.namespace.as_deref().unwrap_or("default")))
                && ignore
                    .name
                    .as_deref()
                    .is_none_or(|p| object.name.as_deref().is_some_and(|name| glob_match(p, name)))
                && container_matches(&ignore.container)
                && current(&ignore.expires);
            if matches {
                return Some(Suppression {
                    by: "config".into(),
                    reason: ignore.reason.clone(),
                    expires: ignore.expires.clone(),
                });
            }
        }
        if self.config.allow_inline_ignores == Some(false) {
            return None;
        }
        inline
            .iter()
            .find(|ignore| {
                ignore.check == check
                    && container_matches(&ignore.container)
                    && current(&ignore.expires)
                    && ignore.within.as_deref().is_none_or(|within| is_within(pointer, within))
            })
            .map(|ignore| Suppression {
                by: "annotation".into(),
                reason: ignore.reason.clone(),
                expires: ignore.expires.clone(),
            })
    }
}
