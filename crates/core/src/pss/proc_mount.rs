//! `procMount` (baseline; revisions v1.0 and v1.35): `/proc` stays masked.
//! From v1.35 a pod in a user namespace (`hostUsers: false`) passes.

use super::{in_user_namespace, shown, Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::Value;

pub(crate) const CONTROL: Control =
    Control { id: "procMount", level: PssLevel::Baseline, revisions: &[0, 35], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision >= 35 && in_user_namespace(pod) {
        return;
    }
    default_proc_mount_only(pod, found);
}

/// Every container's `procMount`, when written, is exactly `Default`.
pub(super) fn default_proc_mount_only<'a>(pod: &Pod<'a>, found: &mut Found<'a>) {
    for container in &pod.containers {
        let view = container.security_context.get("procMount");
        if !matches!(view.str(), Value::Absent | Value::Present("Default")) {
            found.container(
                container,
                &view,
                format!("{} must not set securityContext.procMount to {}", container.label(), shown(&view)),
            );
        }
    }
}
