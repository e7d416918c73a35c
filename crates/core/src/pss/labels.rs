//! The Pod Security namespace labels: `pod-security.kubernetes.io/<mode>` and
//! `<mode>-version`, read as admission reads them (invalid values fall back).

use super::{PssLevel, PssVersion};
use crate::model::view::{Value, View};

/// The three modes, each with its level label and version label.
pub(crate) const MODES: [&str; 3] = ["enforce", "audit", "warn"];

/// The label key of a mode's level (`pod-security.kubernetes.io/enforce`).
pub(crate) fn level_key(mode: &str) -> String {
    format!("pod-security.kubernetes.io/{mode}")
}

/// The label key of a mode's version (`pod-security.kubernetes.io/enforce-version`).
pub(crate) fn version_key(mode: &str) -> String {
    format!("pod-security.kubernetes.io/{mode}-version")
}

/// A label as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Label<T> {
    /// Not written (or written as null).
    Missing,
    /// Written with a valid value.
    Valid(T),
    /// Written with a value admission refuses (the text, or a note for a non-string).
    Invalid(String),
}

/// One mode's labels on a namespace.
#[derive(Debug, Clone)]
pub(crate) struct ModeLabels<'a> {
    pub level_view: View<'a>,
    pub level: Label<PssLevel>,
    pub version_view: View<'a>,
    pub version: Label<PssVersion>,
}

fn read<T: std::str::FromStr>(view: &View<'_>) -> Label<T> {
    match view.str() {
        Value::Absent => Label::Missing,
        Value::Present(text) => text.parse().map_or_else(|_| Label::Invalid(format!("{text:?}")), Label::Valid),
        Value::Invalid => Label::Invalid("a non-string value".into()),
    }
}

/// Reads a mode's labels from a namespace's `metadata.labels`.
pub(crate) fn mode<'a>(labels: &View<'a>, mode: &'static str) -> ModeLabels<'a> {
    let level_view = labels.get(&level_key(mode));
    let version_view = labels.get(&version_key(mode));
    ModeLabels { level: read(&level_view), level_view, version: read(&version_view), version_view }
}

/// The level and version a namespace enforces, as admission applies them: a
/// missing level is the cluster default (`privileged`), an invalid one fails
/// closed (`restricted`); a missing or invalid version is `latest`.
pub(crate) fn enforced(labels: &View<'_>) -> (PssLevel, PssVersion) {
    let enforce = mode(labels, "enforce");
    let level = match enforce.level {
        Label::Missing => PssLevel::Privileged,
        Label::Valid(level) => level,
        Label::Invalid(_) => PssLevel::Restricted,
    };
    let version = match enforce.version {
        Label::Valid(version) => version,
        Label::Missing | Label::Invalid(_) => PssVersion::LATEST,
    };
    (level, version)
}
