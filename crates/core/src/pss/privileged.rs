//! `privileged` (baseline, v1.0+): no privileged container.

use super::{is_true, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "privileged", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for container in &pod.containers {
        let view = container.security_context.get("privileged");
        if is_true(&view) {
            found.container(
                container,
                &view,
                format!("{} must not set securityContext.privileged=true", container.label()),
            );
        }
    }
}
