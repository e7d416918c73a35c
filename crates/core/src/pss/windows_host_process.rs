//! `windowsHostProcess` (baseline, v1.0+): no Windows HostProcess pod or container.

use super::{is_true, owner_label, security_contexts, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "windowsHostProcess", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for (owner, context) in security_contexts(pod) {
        let view = context.path(&["windowsOptions", "hostProcess"]);
        if is_true(&view) {
            found.at(
                owner,
                &view,
                format!("{} must not set securityContext.windowsOptions.hostProcess=true", owner_label(pod, owner)),
            );
        }
    }
}
