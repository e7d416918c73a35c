//! YAML reading: documents, span-keeping trees, and Kubernetes' scalar rules.

mod block;
pub mod dev;
mod lenient;
pub(crate) mod loader;
pub(crate) mod scalar;
pub(crate) mod tree;

pub(crate) use loader::{document_ranges, load_document_at, load_documents, refuses_file, LoadError, LoadedDocument};
pub(crate) use tree::{NodeId, NodeKind, Tree};
