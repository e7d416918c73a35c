//! The result of a Pod Security Standards evaluation: one entry per object.

use schemars::JsonSchema;
use serde::Serialize;

use super::{InputError, ObjectRef, Tool};
use crate::model::Pod;
use crate::pss::{evaluate, PssLevel, PssVersion};
use crate::Range;

/// Every object of an input evaluated against one Pod Security Standards level and version.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PssReport {
    /// The tool that wrote the report.
    pub tool: Tool,
    /// The level evaluated.
    pub level: PssLevel,
    /// The version asked for (`latest` or `v1.<minor>`).
    pub version: PssVersion,
    /// The version whose checks were applied (`latest` and newer minors become the newest known).
    pub effective_version: PssVersion,
    /// One entry per object, in file and document order.
    pub objects: Vec<PssObject>,
    /// Input that could not be read (nothing is silently dropped).
    pub errors: Vec<InputError>,
}

/// The verdict on one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PssObject {
    /// The file the object is in.
    pub file: String,
    /// Index of the document in the file.
    pub document: usize,
    /// Index of the item, when the object is an item of a `List` document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<usize>,
    /// The object.
    pub object: ObjectRef,
    /// True for objects that hold a pod (a Pod, every workload kind, custom
    /// resources with pod templates); other objects are always allowed.
    pub applicable: bool,
    /// True when no control is violated in any of the object's pods.
    pub allowed: bool,
    /// Every violation, pod by pod (in the order the object holds them), each
    /// pod's in control order.
    pub violations: Vec<PssViolation>,
}

/// One violated control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PssViolation {
    /// The control, as the Kubernetes reference names it (`runAsNonRoot`, `hostPathVolumes`, ...).
    pub check: String,
    /// What is forbidden, naming the container and the value.
    pub reason: String,
    /// JSON Pointer (RFC 6901) of the offending field; for a required field
    /// that is missing, the field that should be written.
    pub path: String,
    /// The field's range, or its nearest existing ancestor's.
    pub range: Range,
    /// The container concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
}

impl PssReport {
    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    }

    /// True when every object is allowed and all input could be read.
    pub fn allowed(&self) -> bool {
        self.errors.is_empty() && self.objects.iter().all(|object| object.allowed)
    }

    /// Records input that could not be read at all (a missing file, a path with
    /// no manifests), so that nothing the user named vanishes from the report.
    pub fn push_input_error(&mut self, file: &str, message: &str) {
        self.errors.push(InputError::whole_file(file, message));
    }

    pub(crate) fn new(level: PssLevel, version: PssVersion) -> Self {
        PssReport {
            tool: Tool::default(),
            level,
            version,
            effective_version: PssVersion::v1(version.effective_minor()),
            objects: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// Evaluates one object (each of its pods) and builds its entry.
pub(crate) fn object_entry(
    file: &str,
    document: usize,
    item: Option<usize>,
    object: ObjectRef,
    pods: &[Pod<'_>],
    (level, version): (PssLevel, PssVersion),
    range: &dyn Fn(u32, u32) -> Range,
) -> PssObject {
    let violations: Vec<PssViolation> = pods
        .iter()
        .flat_map(|pod| evaluate(pod, level, version))
        .map(|violation| PssViolation {
            check: violation.control.to_string(),
            reason: violation.reason,
            path: violation.at.pointer(),
            range: range(violation.at.span.0, violation.at.span.1),
            container: violation.container,
        })
        .collect();
    PssObject {
        file: file.to_string(),
        document,
        item,
        object,
        applicable: !pods.is_empty(),
        allowed: violations.is_empty(),
        violations,
    }
}
