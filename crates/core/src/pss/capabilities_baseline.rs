//! `capabilities_baseline` (baseline, v1.0+): capabilities added beyond the
//! runtime's default set are forbidden.

use super::{Control, Found, PssLevel};
use crate::model::pod::Pod;

/// The capabilities a container runtime grants by default; adding one of them grants nothing new.
pub(crate) const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

pub(crate) const CONTROL: Control =
    Control { id: "capabilities_baseline", level: PssLevel::Baseline, revisions: &[0], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for container in &pod.containers {
        let capabilities = container.security_context.get("capabilities");
        if !capabilities.exists() {
            continue;
        }
        for (name, item) in capabilities.get("add").strings() {
            if !DEFAULT_CAPABILITIES.contains(&name) {
                found.container_about(
                    container,
                    name,
                    &item,
                    format!("{} must not add capability {name:?} (not in the default set)", container.label()),
                );
            }
        }
    }
}
