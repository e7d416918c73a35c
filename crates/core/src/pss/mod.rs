//! The Pod Security Standards: levels, policy versions, and an evaluator that
//! gives the same verdict as the Kubernetes Pod Security Admission reference.
//!
//! Each control lives in its own file with its revisions (the first minor
//! version of each) and, for restricted controls, the baseline control it
//! replaces. [`evaluate`] picks the controls that run at a level and version
//! and collects their violations, each at the field that causes it.

mod allow_privilege_escalation;
mod app_armor_profile;
mod capabilities_baseline;
mod capabilities_restricted;
mod host_namespaces;
mod host_path_volumes;
mod host_ports;
mod host_probes_and_host_lifecycle;
pub(crate) mod labels;
mod privileged;
mod proc_mount;
mod proc_mount_restricted;
mod restricted_volumes;
mod run_as_non_root;
mod run_as_user;
mod se_linux_options;
mod seccomp_profile_baseline;
mod seccomp_profile_restricted;
mod sysctls;
mod windows_host_process;

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::pod::{Container, Pod};
use crate::model::view::{Value, View};

/// The newest policy minor version whose checks kubeward knows (`v1.37`).
/// `latest` and any newer minor are evaluated as this one.
pub const PSS_NEWEST_MINOR: u32 = 37;

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    /// No restrictions: every pod is allowed.
    Privileged,
    /// Prevents known privilege escalations (host namespaces, privileged containers, ...).
    Baseline,
    /// Baseline plus current pod-hardening practice (non-root, drop ALL, seccomp, ...).
    Restricted,
}

impl PssLevel {
    /// All levels, least strict first.
    pub const ALL: [PssLevel; 3] = [PssLevel::Privileged, PssLevel::Baseline, PssLevel::Restricted];

    /// The lower-case name used in namespace labels and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PssLevel::Privileged => "privileged",
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

impl fmt::Display for PssLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A level or version that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct PssParseError {
    /// What is wrong, naming the value.
    pub message: String,
}

impl FromStr for PssLevel {
    type Err = PssParseError;
    /// Reads `privileged`, `baseline` or `restricted`, exactly as namespace labels spell them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PssLevel::ALL.into_iter().find(|level| level.as_str() == text).ok_or_else(|| PssParseError {
            message: format!("unknown Pod Security level `{text}` (expected privileged, baseline or restricted)"),
        })
    }
}

/// A Pod Security Standards policy version: `latest` or `v1.<minor>`.
///
/// Minors newer than [`PSS_NEWEST_MINOR`] are accepted and evaluated as that one.
///
/// ```
/// use kubeward::PssVersion;
/// assert_eq!("v1.25".parse::<PssVersion>().unwrap().minor(), Some(25));
/// assert_eq!("latest".parse::<PssVersion>().unwrap(), PssVersion::LATEST);
/// assert!("v1.05".parse::<PssVersion>().is_err());
/// assert_eq!(PssVersion::v1(99).effective_minor(), kubeward::PSS_NEWEST_MINOR);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PssVersion {
    /// `None` for `latest`.
    minor: Option<u32>,
}

impl PssVersion {
    /// `latest`: the newest checks kubeward knows.
    pub const LATEST: PssVersion = PssVersion { minor: None };

    /// `v1.<minor>`.
    pub const fn v1(minor: u32) -> Self {
        PssVersion { minor: Some(minor) }
    }

    /// The minor version as written, or `None` for `latest`.
    pub fn minor(self) -> Option<u32> {
        self.minor
    }

    /// The minor version whose checks are applied: `latest` and newer minors
    /// become [`PSS_NEWEST_MINOR`].
    pub fn effective_minor(self) -> u32 {
        self.minor.map_or(PSS_NEWEST_MINOR, |minor| minor.min(PSS_NEWEST_MINOR))
    }
}

impl Default for PssVersion {
    fn default() -> Self {
        PssVersion::LATEST
    }
}

impl fmt::Display for PssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.minor {
            None => f.write_str("latest"),
            Some(minor) => write!(f, "v1.{minor}"),
        }
    }
}

impl FromStr for PssVersion {
    type Err = PssParseError;
    /// Reads `latest` or `v1.<minor>`, the minor without leading zeros, as
    /// namespace labels require (`v1.05`, `1.25` and `v2.0` are refused).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text == "latest" {
            return Ok(PssVersion::LATEST);
        }
        let error = |why: &str| PssParseError {
            message: format!(
                "invalid Pod Security version `{text}`: {why} (expected latest or v1.<minor>, e.g. v1.30)"
            ),
        };
        let Some(minor) = text.strip_prefix("v1.") else {
            return Err(error("it does not start with v1."));
        };
        if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
            return Err(error("the minor version is not a number"));
        }
        if minor.len() > 1 && minor.starts_with('0') {
            return Err(error("the minor version has a leading zero"));
        }
        minor.parse::<u32>().map(PssVersion::v1).map_err(|_| error("the minor version is too large"))
    }
}

impl Serialize for PssVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PssVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for PssVersion {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PssVersion".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(latest|v1\\.(0|[1-9][0-9]*))$",
            "description": "A Pod Security Standards version: `latest` or `v1.<minor>`."
        })
    }
}

/// One violation of a control, at the field that causes it.
#[derive(Debug, Clone)]
pub(crate) struct Violation<'a> {
    /// The reference's control id (`runAsNonRoot`, `hostPathVolumes`, ...).
    pub control: &'static str,
    /// What is forbidden, naming the instance and the value.
    pub reason: String,
    /// The offending field (or, when a required field is missing, that field's place).
    pub at: View<'a>,
    /// The container concerned, when there is one.
    pub container: Option<String>,
    /// The instance the violation is about, for checks that grade it: the
    /// volume name, the capability, the sysctl or the volume source.
    pub subject: Option<String>,
}

/// Collects the violations of one control.
pub(crate) struct Found<'a> {
    control: &'static str,
    list: Vec<Violation<'a>>,
}

impl<'a> Found<'a> {
    /// A violation of the pod as a whole.
    fn pod(&mut self, at: &View<'a>, reason: impl Into<String>) {
        self.list.push(Violation {
            control: self.control,
            reason: reason.into(),
            at: at.clone(),
            container: None,
            subject: None,
        });
    }

    /// A violation of the pod about one instance (a volume, a sysctl).
    fn pod_about(&mut self, subject: &str, at: &View<'a>, reason: impl Into<String>) {
        self.pod(at, reason);
        if let Some(last) = self.list.last_mut() {
            last.subject = Some(subject.to_string());
        }
    }

    /// A violation of one container.
    fn container(&mut self, container: &Container<'a>, at: &View<'a>, reason: impl Into<String>) {
        self.list.push(Violation {
            control: self.control,
            reason: reason.into(),
            at: at.clone(),
            container: Some(container.name.clone()),
            subject: None,
        });
    }

    /// A violation of one container about one instance (a capability).
    fn container_about(&mut self, container: &Container<'a>, subject: &str, at: &View<'a>, reason: impl Into<String>) {
        self.container(container, at, reason);
        if let Some(last) = self.list.last_mut() {
            last.subject = Some(subject.to_string());
        }
    }
}

/// One control of the standard.
pub(crate) struct Control {
    /// The reference's id.
    pub id: &'static str,
    /// `Baseline` or `Restricted`: the lowest level that runs it.
    pub level: PssLevel,
    /// The first minor of each revision, oldest first.
    pub revisions: &'static [u32],
    /// The baseline control this restricted control replaces at the restricted level.
    pub replaces: Option<&'static str>,
    /// The rule, given the revision in force.
    pub run: for<'p, 'a> fn(&'p Pod<'a>, u32, &mut Found<'a>),
}

impl Control {
    /// The revision in force at `minor`, or `None` when the control does not exist yet.
    fn revision(&self, minor: u32) -> Option<u32> {
        self.revisions.iter().rev().copied().find(|&first| first <= minor)
    }

    /// Runs this control alone at `version` (its latest revision for `latest`).
    pub(crate) fn violations<'a>(&self, pod: &Pod<'a>, version: PssVersion) -> Vec<Violation<'a>> {
        let mut found = Found { control: self.id, list: Vec::new() };
        if let Some(revision) = self.revision(version.effective_minor()) {
            (self.run)(pod, revision, &mut found);
        }
        found.list
    }
}

/// Every control, baseline first, in the reference's order of ids.
pub(crate) static CONTROLS: &[&Control] = &[
    &app_armor_profile::CONTROL,
    &capabilities_baseline::CONTROL,
    &host_namespaces::CONTROL,
    &host_path_volumes::CONTROL,
    &host_ports::CONTROL,
    &host_probes_and_host_lifecycle::CONTROL,
    &privileged::CONTROL,
    &proc_mount::CONTROL,
    &seccomp_profile_baseline::CONTROL,
    &se_linux_options::CONTROL,
    &sysctls::CONTROL,
    &windows_host_process::CONTROL,
    &allow_privilege_escalation::CONTROL,
    &capabilities_restricted::CONTROL,
    &proc_mount_restricted::CONTROL,
    &restricted_volumes::CONTROL,
    &run_as_non_root::CONTROL,
    &run_as_user::CONTROL,
    &seccomp_profile_restricted::CONTROL,
];

/// The controls a standalone check reuses.
pub(crate) mod control {
    pub(crate) use super::capabilities_baseline::CONTROL as CAPABILITIES_BASELINE;
    pub(crate) use super::host_path_volumes::CONTROL as HOST_PATH_VOLUMES;
    pub(crate) use super::host_ports::CONTROL as HOST_PORTS;
    pub(crate) use super::host_probes_and_host_lifecycle::CONTROL as HOST_PROBES_AND_HOST_LIFECYCLE;
    pub(crate) use super::proc_mount::CONTROL as PROC_MOUNT;
    pub(crate) use super::restricted_volumes::CONTROL as RESTRICTED_VOLUMES;
    pub(crate) use super::se_linux_options::CONTROL as SE_LINUX_OPTIONS;
    pub(crate) use super::sysctls::CONTROL as SYSCTLS;
    pub(crate) use super::windows_host_process::CONTROL as WINDOWS_HOST_PROCESS;
}

/// The controls that run at `level` and policy minor `minor`, with their revisions.
fn running(level: PssLevel, minor: u32) -> Vec<(&'static Control, u32)> {
    if level == PssLevel::Privileged {
        return Vec::new();
    }
    let candidates: Vec<(&'static Control, u32)> = CONTROLS
        .iter()
        .filter(|control| control.level <= level)
        .filter_map(|&control| control.revision(minor).map(|revision| (control, revision)))
        .collect();
    let replaced: Vec<&str> = candidates.iter().filter_map(|(control, _)| control.replaces).collect();
    candidates.into_iter().filter(|(control, _)| !replaced.contains(&control.id)).collect()
}

/// Evaluates a pod at a level and version; an empty result means the pod is allowed.
pub(crate) fn evaluate<'a>(pod: &Pod<'a>, level: PssLevel, version: PssVersion) -> Vec<Violation<'a>> {
    let mut violations = Vec::new();
    for (control, revision) in running(level, version.effective_minor()) {
        let mut found = Found { control: control.id, list: Vec::new() };
        (control.run)(pod, revision, &mut found);
        violations.extend(found.list);
    }
    violations
}

// Shared definitions (how the reference reads a pod).

/// `spec.os.name` is exactly `windows`.
fn is_windows(pod: &Pod<'_>) -> bool {
    pod.field("os").get("name").str().present() == Some("windows")
}

/// `spec.hostUsers` is explicitly `false` (the pod runs in a user namespace).
fn in_user_namespace(pod: &Pod<'_>) -> bool {
    pod.field("hostUsers").bool().present() == Some(false)
}

/// `field: true`, with the YAML 1.1 booleans the loader resolves.
fn is_true(view: &View<'_>) -> bool {
    view.bool().present() == Some(true)
}

/// The string value of a field, or `None` when absent or of another type.
fn string<'a>(view: &View<'a>) -> Option<&'a str> {
    match view.str() {
        Value::Present(text) => Some(text),
        _ => None,
    }
}

/// A value for messages: `"text"` for strings, the written form otherwise.
fn shown(view: &View<'_>) -> String {
    match view.str() {
        Value::Present(text) => format!("{text:?}"),
        Value::Absent => "none".to_string(),
        Value::Invalid => "a non-string value".to_string(),
    }
}

/// The pod-level `securityContext` and every container's, each with its owner's label.
fn security_contexts<'p, 'a>(pod: &'p Pod<'a>) -> Vec<(Option<&'p Container<'a>>, View<'a>)> {
    let mut contexts = vec![(None, pod.security_context())];
    contexts.extend(pod.containers.iter().map(|container| (Some(container), container.security_context.clone())));
    contexts
}

impl<'a> Found<'a> {
    /// A violation of the pod (`None`) or of a container.
    fn at(&mut self, owner: Option<&Container<'a>>, at: &View<'a>, reason: impl Into<String>) {
        match owner {
            Some(container) => self.container(container, at, reason),
            None => self.pod(at, reason),
        }
    }
}

/// How a message names the owner of a security context.
fn owner_label(pod: &Pod<'_>, owner: Option<&Container<'_>>) -> String {
    owner.map_or_else(|| pod.label().to_string(), |container| container.label().to_string())
}
