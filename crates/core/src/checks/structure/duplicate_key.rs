//! A key written twice in one mapping.

use crate::checks::{CheckMeta, RawFinding, Severity};
use crate::yaml::{NodeId, NodeKind, Tree};

/// Produced by the loader: duplicate keys are ambiguous, and different tools
/// keep different copies.
pub(crate) static DUPLICATE_KEY: CheckMeta = CheckMeta {
    id: "duplicate-key",
    title: "Key written twice in one mapping",
    severity: Severity::Medium,
    items: &[],
    section: "structure",
    rationale: "YAML forbids duplicate keys, yet many readers accept them and keep one copy: the API server keeps the \
        last, some tools keep the first. A reviewer who reads the first `privileged: false` may miss a later \
        `privileged: true`.",
    remediation: "Remove one of the two keys so that the manifest says one thing.",
    fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      privileged: false\n      privileged: true\n",
    pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      privileged: false\n",
};

/// Findings for the duplicate keys inside an object's byte range.
pub(crate) fn duplicate_keys(tree: &Tree, root: NodeId, prefix: &str, span: (u32, u32)) -> Vec<RawFinding> {
    // `duplicate_keys` is in position order: find this object's by binary search,
    // not by a pass over every duplicate of the document for every item of a List.
    let start_of = |&(_, duplicate): &(NodeId, NodeId)| tree.raw(duplicate).start;
    let first = tree.duplicate_keys.partition_point(|pair| start_of(pair) < span.0);
    let end = span.1.max(span.0 + 1);
    let duplicates: Vec<NodeId> = tree.duplicate_keys[first..]
        .iter()
        .take_while(|pair| start_of(pair) < end)
        .map(|&(_, duplicate)| duplicate)
        .collect();
    if duplicates.is_empty() {
        return Vec::new();
    }
    let mut pointers = tree.pointers_to_keys(root, &duplicates);
    duplicates
        .into_iter()
        .map(|duplicate| {
            let key = match &tree.node(duplicate).kind {
                NodeKind::Str(s) => tree.text(*s).to_string(),
                NodeKind::Int(i) => i.to_string(),
                NodeKind::Bool(b) => b.to_string(),
                _ => String::new(),
            };
            let node = tree.raw(duplicate);
            RawFinding {
                check: &DUPLICATE_KEY,
                message: message!("key \"{key}\" is written twice in the same mapping; the last value wins"),
                pointer: format!("{prefix}{}", pointers.remove(&duplicate).unwrap_or_default()),
                span: (node.start, node.end),
                container: None,
                severity: None,
                items: None,
            }
        })
        .collect()
}
