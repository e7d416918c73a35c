//! `seccompProfile_baseline` (baseline; revisions v1.0 and v1.19): seccomp must
//! not be switched off. Up to v1.18 only the alpha annotations are read; from
//! v1.19 only the `seccompProfile` fields.

use super::{owner_label, security_contexts, shown, Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::{Value, View};

/// The pod-wide seccomp annotation (read up to v1.18).
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
/// Prefix of the per-container seccomp annotations (read up to v1.18).
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

pub(crate) const CONTROL: Control =
    Control { id: "seccompProfile_baseline", level: PssLevel::Baseline, revisions: &[0, 19], replaces: None, run };

/// An annotation value the reference accepts; unlike AppArmor, the empty value is refused.
fn allowed_annotation(value: &View<'_>) -> bool {
    match value.str() {
        Value::Present(text) => text == "runtime/default" || text == "docker/default" || text.starts_with("localhost/"),
        Value::Absent | Value::Invalid => false,
    }
}

/// Is a `seccompProfile` type one that keeps seccomp on?
pub(super) fn allowed_type(kind: &View<'_>) -> bool {
    matches!(kind.str(), Value::Present("RuntimeDefault" | "Localhost"))
}

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision < 19 {
        let annotations = pod.metadata.get("annotations");
        let value = annotations.get(POD_ANNOTATION);
        if value.written() && !allowed_annotation(&value) {
            found.pod(&value, format!("annotation {POD_ANNOTATION:?} must not be {}", shown(&value)));
        }
        for container in &pod.containers {
            let key = format!("{CONTAINER_ANNOTATION_PREFIX}{}", container.name);
            let value = annotations.get(&key);
            if value.written() && !allowed_annotation(&value) {
                found.container(container, &value, format!("annotation {key:?} must not be {}", shown(&value)));
            }
        }
        return;
    }
    for (owner, context) in security_contexts(pod) {
        let profile = context.get("seccompProfile");
        if !profile.exists() {
            continue;
        }
        let kind = profile.get("type");
        if !allowed_type(&kind) {
            let at = if kind.written() { kind.clone() } else { profile.clone() };
            found.at(
                owner,
                &at,
                format!(
                    "{} must not set seccompProfile.type to {} (allowed: RuntimeDefault, Localhost)",
                    owner_label(pod, owner),
                    shown(&kind)
                ),
            );
        }
    }
}
