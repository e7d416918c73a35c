//! Resource limits that keep hostile input from costing unbounded time or memory.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Bounds on what one scan may read. Every limit fails with a positioned error
/// for the document (or file) that exceeds it; the rest of the input is still
/// scanned.
///
/// ```
/// let limits = kubeward::Limits::default();
/// assert_eq!(limits.max_depth, 128);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Limits {
    /// Largest input file, in bytes (default 64 MiB). A larger file is an error entry.
    pub max_file_bytes: u64,
    /// Deepest nesting of mappings and sequences in one document (default 128;
    /// real manifests, CRD schemas included, stay well under 64).
    pub max_depth: u32,
    /// Most nodes one document may hold once its aliases are expanded (default
    /// 1,000,000); this is what stops a "billion laughs" document.
    pub max_expanded_nodes: u64,
    /// Most documents (including empty ones) in one file (default 100,000).
    pub max_documents: u32,
    /// Longest single scalar, in bytes (default 16 MiB).
    pub max_scalar_bytes: u64,
    /// Most findings reported for one object (default 1,000); the rest are counted
    /// in one closing finding.
    pub max_findings_per_object: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 64 * 1024 * 1024,
            max_depth: 128,
            max_expanded_nodes: 1_000_000,
            max_documents: 100_000,
            max_scalar_bytes: 16 * 1024 * 1024,
            max_findings_per_object: 1_000,
        }
    }
}
