//! kubeward checks Kubernetes manifests against a production security-hardening
//! checklist and reports every finding with its file, document, JSON Pointer
//! and line/column range.
//!
//! ```
//! use kubeward::{Engine, Source};
//!
//! let engine = Engine::default();
//! let manifest = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostPID: true\n  containers:\n  - name: app\n    image: nginx\n";
//! let report = engine.scan(&[Source::new("pod.yaml", manifest)]);
//! for finding in report.active_findings() {
//!     println!("{}:{}:{}: {} {} {}", finding.file, finding.range.start.line,
//!         finding.range.start.column, finding.severity, finding.check, finding.message);
//! }
//! assert!(report.findings.iter().any(|f| f.check == "no-host-namespaces"));
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod catalog;
mod checklist;
mod checks;
mod config;
mod engine;
mod fix;
mod inventory;
mod limits;
mod model;
mod parallel;
mod policy;
mod position;
mod pss;
mod report;
mod scorecard;
mod severity;
mod swar;
mod text;
mod yaml;

/// Not part of the API: what the YAML loader reads, for the project's own
/// differential test against a libyaml-family parser (`scripts/test-yaml-diff.sh`).
#[doc(hidden)]
pub mod __dev {
    pub use crate::yaml::dev::{documents_as_json, DocumentJson};
}

pub use catalog::{
    catalog_markdown, checklist, checks, config_schema, explain, report_schema, CheckInfo, ChecklistItem, ItemReason,
};
pub use checklist::Evidence;
pub use config::{
    date_of_unix_time, Attestation, CheckConfig, Config, ConfigError, ConfigIgnore, FixSettings, Images, Production,
    Scope, DEFAULT_KUBERNETES_VERSION,
};
pub use engine::{Engine, FixOutcome, ScanCache, Source};
pub use fix::{Fix, FixSafety, TextEdit};
pub use inventory::components::{Assessment, ClusterInventory, ItemEvidence};
pub use inventory::review::{BindingRef, Grant, RbacReview, RoleRef, SubjectAccess, RBAC_REVIEW_SCHEMA_VERSION};
pub use limits::Limits;
pub use position::{Position, Range};
pub use pss::{PssLevel, PssParseError, PssVersion, PSS_NEWEST_MINOR};
pub use report::pss::{PssObject, PssReport, PssViolation};
pub use report::{
    DocumentEntry, DocumentStatus, FileResults, Finding, FindingCopy, InputError, ObjectRef, Report, ReportByFile,
    Summary, Suppression, Tool, SCHEMA_VERSION,
};
pub use scorecard::{section_name, Band, ItemResult, ItemStatus, Scorecard};
pub use severity::Severity;
pub use text::closest;

/// The library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The project's home: its source repository, where the README, the check
/// catalog (`CHECKS.md`, one heading per check id) and releases are.
///
/// It is the workspace's `repository` metadata, the one place the address is
/// written; SARIF's `informationUri` and each rule's `helpUri` come from here.
/// Until the project has a public home it is a placeholder under the reserved
/// `example.invalid` domain.
///
/// ```
/// assert!(kubeward::HOMEPAGE.starts_with("https://"));
/// ```
pub const HOMEPAGE: &str = env!("CARGO_PKG_REPOSITORY");
