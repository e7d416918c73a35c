//! A field written with a type Kubernetes would reject (`privileged: "maybe"`).

use crate::checks::{CheckMeta, RawFinding, Severity};
use crate::model::view::ObjectTree;

/// Produced by the views whenever a check reads a field of the wrong type, so
/// a typo never turns into a silent pass and never blinds the other checks.
pub(crate) static INVALID_FIELD: CheckMeta = CheckMeta {
    id: "invalid-field",
    title: "Field has the wrong type",
    severity: Severity::High,
    items: &[],
    section: "structure",
    rationale: "The API server rejects an object whose field has the wrong type, and a tool that reads such a field \
        leniently may take a security setting for granted that is not there (`privileged: \"maybe\"`, \
        `runAsNonRoot: \"true\"` in quotes, `containers: app`). kubeward reports the field and keeps evaluating \
        everything else.",
    remediation: "Write the field with the type the Kubernetes API expects: booleans unquoted (`true`), numbers \
        unquoted, lists as YAML sequences and objects as mappings.",
    fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      privileged: \"maybe\"\n",
    pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      privileged: false\n",
};

/// Turns the invalid reads recorded while the checks ran into findings.
pub(crate) fn invalid_fields(object: &ObjectTree<'_>) -> Vec<RawFinding> {
    object
        .take_invalid()
        .into_iter()
        .map(|field| {
            let name = field.pointer.rsplit('/').next().unwrap_or_default().to_string();
            RawFinding {
                check: &INVALID_FIELD,
                message: message!(
                    "field \"{name}\" is {} where Kubernetes expects {}",
                    with_article(field.found),
                    with_article(field.expected)
                ),
                pointer: field.pointer,
                span: field.span,
                container: None,
                severity: None,
                items: None,
            }
        })
        .collect()
}

/// A type name with its indefinite article (`a string`, `an integer`).
fn with_article(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {name}")
}
