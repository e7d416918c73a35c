//! `capabilities_restricted` (restricted; revisions v1.22 and v1.25; replaces
//! `capabilities_baseline`): every container drops `ALL` and adds at most
//! `NET_BIND_SERVICE`. From v1.25 Windows pods pass.

use super::{is_windows, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control = Control {
    id: "capabilities_restricted",
    level: PssLevel::Restricted,
    revisions: &[22, 25],
    replaces: Some("capabilities_baseline"),
    run,
};

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision >= 25 && is_windows(pod) {
        return;
    }
    for container in &pod.containers {
        let capabilities = container.security_context.get("capabilities");
        let drop = capabilities.get("drop");
        if !drop.strings().iter().any(|(name, _)| *name == "ALL") {
            found.container(
                container,
                &drop,
                format!("{} must set securityContext.capabilities.drop=[\"ALL\"]", container.label()),
            );
        }
        for (name, item) in capabilities.get("add").strings() {
            if name != "NET_BIND_SERVICE" {
                found.container(
                    container,
                    &item,
                    format!(
                        "{} must not add capability {name:?} (only NET_BIND_SERVICE may be added)",
                        container.label()
                    ),
                );
            }
        }
    }
}
