//! `seLinuxOptions` (baseline; revisions v1.0 and v1.31): no custom SELinux
//! user or role, and only the container types (plus `container_engine_t` from v1.31).

use super::{owner_label, security_contexts, shown, Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::Value;

pub(crate) const CONTROL: Control =
    Control { id: "seLinuxOptions", level: PssLevel::Baseline, revisions: &[0, 31], replaces: None, run };

/// The SELinux types allowed at a revision.
fn allowed_types(revision: u32) -> &'static [&'static str] {
    if revision >= 31 {
        &["container_t", "container_init_t", "container_kvm_t", "container_engine_t"]
    } else {
        &["container_t", "container_init_t", "container_kvm_t"]
    }
}

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    for (owner, context) in security_contexts(pod) {
        let options = context.get("seLinuxOptions");
        if !options.exists() {
            continue;
        }
        let kind = options.get("type");
        let type_allowed = match kind.str() {
            Value::Present(text) => text.is_empty() || allowed_types(revision).contains(&text),
            Value::Absent => true,
            Value::Invalid => false,
        };
        if !type_allowed {
            found.at(
                owner,
                &kind,
                format!(
                    "{} must not set seLinuxOptions.type to {} (allowed: {})",
                    owner_label(pod, owner),
                    shown(&kind),
                    allowed_types(revision).join(", ")
                ),
            );
        }
        for field in ["user", "role"] {
            let view = options.get(field);
            let empty = match view.str() {
                Value::Present(text) => text.is_empty(),
                Value::Absent => true,
                Value::Invalid => false,
            };
            if !empty {
                found.at(
                    owner,
                    &view,
                    format!(
                        "{} must not set seLinuxOptions.{field} (set to {})",
                        owner_label(pod, owner),
                        shown(&view)
                    ),
                );
            }
        }
    }
}
