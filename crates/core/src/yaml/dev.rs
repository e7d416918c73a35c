//! The values the loader reads, as JSON, for the differential test against a
//! libyaml-family parser (`scripts/test-yaml-diff.sh`). Not part of the API.

use super::loader::load_documents;
use super::tree::NodeKind;
use crate::position::LineIndex;
use crate::Limits;

/// One document of a file as the loader read it.
#[derive(Debug)]
pub struct DocumentJson {
    /// Byte range of the document's text in the file.
    pub start: u32,
    /// End of that range.
    pub end: u32,
    /// The document as JSON (aliases and merge keys expanded), or why it could
    /// not be read, with the 1-based line of the error.
    pub value: Result<serde_json::Value, (String, u32)>,
    /// Whether a float that JSON cannot hold (`.inf`, `.nan`) is among its scalars.
    pub non_finite: bool,
}

/// Every document of `bytes`, read with the default limits; `Err` when the
/// file as a whole is refused.
pub fn documents_as_json(bytes: &[u8]) -> Result<Vec<DocumentJson>, String> {
    let limits = Limits::default();
    let lines = LineIndex::new(bytes);
    let documents = load_documents(bytes, &limits).map_err(|error| error.message)?;
    Ok(documents
        .into_iter()
        .map(|document| {
            let (value, non_finite) = match &document.tree {
                Ok(tree) => {
                    let non_finite =
                        tree.nodes.iter().any(|node| matches!(node.kind, NodeKind::Float(f) if !f.is_finite()));
                    let value = tree
                        .to_json(tree.root, limits.max_depth)
                        .map_err(|_| ("nesting deeper than limits.maxDepth once aliases are expanded".to_string(), 0));
                    (value, non_finite)
                }
                Err(error) => (Err((error.message.clone(), lines.position(bytes, error.offset).line)), false),
            };
            DocumentJson { start: document.start, end: document.end, value, non_finite }
        })
        .collect())
}
