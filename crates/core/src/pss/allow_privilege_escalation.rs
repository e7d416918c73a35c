//! `allowPrivilegeEscalation` (restricted; revisions v1.8 and v1.25): every
//! container sets `allowPrivilegeEscalation: false`. From v1.25 Windows pods pass.

use super::{is_windows, Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::Value;

pub(crate) const CONTROL: Control =
    Control { id: "allowPrivilegeEscalation", level: PssLevel::Restricted, revisions: &[8, 25], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision >= 25 && is_windows(pod) {
        return;
    }
    for container in &pod.containers {
        let view = container.security_context.get("allowPrivilegeEscalation");
        let reason = match view.bool() {
            Value::Present(false) => continue,
            Value::Present(true) => "sets securityContext.allowPrivilegeEscalation=true",
            Value::Absent => "does not set securityContext.allowPrivilegeEscalation=false",
            Value::Invalid => "does not set securityContext.allowPrivilegeEscalation to the boolean false",
        };
        found.container(container, &view, format!("{} {reason}", container.label()));
    }
}
