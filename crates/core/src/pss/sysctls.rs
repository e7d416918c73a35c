//! `sysctls` (baseline; revisions v1.0, v1.27, v1.29, v1.32, v1.37): only
//! namespaced, safe sysctls, from an allow-list that grows by version.

use super::{shown, string, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control =
    Control { id: "sysctls", level: PssLevel::Baseline, revisions: &[0, 27, 29, 32, 37], replaces: None, run };

/// Each allowed sysctl with the revision that allows it.
const ALLOWED: &[(&str, u32)] = &[
    ("kernel.shm_rmid_forced", 0),
    ("net.ipv4.ip_local_port_range", 0),
    ("net.ipv4.tcp_syncookies", 0),
    ("net.ipv4.ping_group_range", 0),
    ("net.ipv4.ip_unprivileged_port_start", 0),
    ("net.ipv4.ip_local_reserved_ports", 27),
    ("net.ipv4.tcp_keepalive_time", 29),
    ("net.ipv4.tcp_fin_timeout", 29),
    ("net.ipv4.tcp_keepalive_intvl", 29),
    ("net.ipv4.tcp_keepalive_probes", 29),
    ("net.ipv4.tcp_rmem", 32),
    ("net.ipv4.tcp_wmem", 32),
    ("net.ipv4.tcp_slow_start_after_idle", 37),
    ("net.ipv4.tcp_notsent_lowat", 37),
];

/// Is `name` allowed at `revision`?
pub(crate) fn is_allowed(name: &str, revision: u32) -> bool {
    ALLOWED.iter().any(|&(allowed, since)| allowed == name && since <= revision)
}

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    for sysctl in pod.security_context().get("sysctls").items() {
        let name = sysctl.get("name");
        if !string(&name).is_some_and(|text| is_allowed(text, revision)) {
            let at = if name.written() { name.clone() } else { sysctl.clone() };
            let subject = string(&name).unwrap_or("");
            found.pod_about(
                subject,
                &at,
                format!("{} must not set sysctl {} (not on the safe list)", pod.label(), shown(&name)),
            );
        }
    }
}
