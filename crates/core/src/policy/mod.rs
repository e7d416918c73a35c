//! Custom policies: Kubernetes ValidatingAdmissionPolicies (and their
//! bindings), compiled once per engine and evaluated against every object a
//! scan reads, offline. See docs/policies.md for what is supported.
//!
//! Each failed validation becomes a finding whose check is the policy's
//! `metadata.name`, positioned at the most specific field the failing
//! expression read (see `locate`). Everything but [`Violation`] needs the
//! `policies` feature.

#[cfg(feature = "policies")]
mod cel;
#[cfg(feature = "policies")]
mod document;
#[cfg(feature = "policies")]
mod eval;
#[cfg(feature = "policies")]
mod locate;
#[cfg(feature = "policies")]
mod matching;
#[cfg(feature = "policies")]
mod set;
#[cfg(feature = "policies")]
pub(crate) mod value;

#[cfg(feature = "policies")]
pub(crate) use set::{PolicyError, PolicySet, Scene, Subject};

use std::sync::Arc;

/// Is this (apiVersion, kind) a ValidatingAdmissionPolicy or its binding?
#[cfg(feature = "policies")]
pub(crate) fn is_admission_policy(api_version: &str, kind: &str) -> bool {
    document::admission_kind(api_version, kind).is_some()
}

use crate::Severity;

/// A failed validation, or a policy that could not be evaluated, before it is
/// placed in the report like any finding.
#[derive(Debug, Clone)]
pub(crate) struct Violation {
    /// The policy's name: the finding's check.
    pub check: Arc<str>,
    pub severity: Severity,
    pub items: Arc<[String]>,
    pub message: String,
    /// JSON Pointer in the document.
    pub pointer: String,
    pub span: (u32, u32),
}

#[cfg(all(test, feature = "policies"))]
mod tests;
