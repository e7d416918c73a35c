//! `appArmorProfile` (baseline, v1.0+, one revision): AppArmor must not be
//! switched off, through the fields or the beta annotations.

use super::{owner_label, security_contexts, shown, Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::Value;

/// Prefix of the per-container AppArmor annotations.
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";

pub(crate) const CONTROL: Control =
    Control { id: "appArmorProfile", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for (owner, context) in security_contexts(pod) {
        let profile = context.get("appArmorProfile");
        if !profile.exists() {
            continue;
        }
        let kind = profile.get("type");
        if !matches!(kind.str(), Value::Present("RuntimeDefault" | "Localhost")) {
            let at = if kind.written() { kind.clone() } else { profile.clone() };
            found.at(
                owner,
                &at,
                format!(
                    "{} must not set appArmorProfile.type to {} (allowed: RuntimeDefault, Localhost)",
                    owner_label(pod, owner),
                    shown(&kind)
                ),
            );
        }
    }
    for (key, value) in pod.annotations() {
        if !key.starts_with(ANNOTATION_PREFIX) {
            continue;
        }
        let allowed = match value.str() {
            Value::Present(text) => text.is_empty() || text == "runtime/default" || text.starts_with("localhost/"),
            Value::Absent => true,
            Value::Invalid => false,
        };
        if !allowed {
            found.pod(&value, format!("annotation {key:?} must not be {}", shown(&value)));
        }
    }
}
