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
mod checks;
mod config;
mod engine;
mod inventory;
mod limits;
mod model;
mod position;
mod report;
mod yaml;

pub use catalog::{catalog_markdown, checks, explain, CheckInfo};
pub use checks::Severity;
pub use config::{CheckConfig, Config, ConfigError, ConfigIgnore, Production};
pub use engine::{Engine, Source};
pub use inventory::review::{BindingRef, Grant, RbacReview, RoleRef, SubjectAccess, RBAC_REVIEW_SCHEMA_VERSION};
pub use limits::Limits;
pub use position::{Position, Range};
pub use report::{
    DocumentEntry, DocumentStatus, Finding, InputError, ObjectRef, Report, Summary, Suppression, Tool, SCHEMA_VERSION,
};

/// The library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
