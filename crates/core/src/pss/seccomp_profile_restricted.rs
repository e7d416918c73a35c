//! `seccompProfile_restricted` (restricted; revisions v1.19 and v1.25; replaces
//! `seccompProfile_baseline`): every container runs with a `RuntimeDefault` or
//! `Localhost` profile, its own or the pod's. From v1.25 Windows pods pass.

use super::seccomp_profile_baseline::allowed_type;
use super::{is_windows, shown, Control, Found, PssLevel};
use crate::model::pod::Pod;

pub(crate) const CONTROL: Control = Control {
    id: "seccompProfile_restricted",
    level: PssLevel::Restricted,
    revisions: &[19, 25],
    replaces: Some("seccompProfile_baseline"),
    run,
};

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision >= 25 && is_windows(pod) {
        return;
    }
    let pod_profile = pod.security_context().get("seccompProfile");
    let mut pod_covers = false;
    if pod_profile.exists() {
        let kind = pod_profile.get("type");
        if allowed_type(&kind) {
            pod_covers = true;
        } else {
            let at = if kind.written() { kind.clone() } else { pod_profile.clone() };
            found.pod(
                &at,
                format!(
                    "{} must not set securityContext.seccompProfile.type to {} (allowed: RuntimeDefault, Localhost)",
                    pod.label(),
                    shown(&kind)
                ),
            );
        }
    }
    for container in &pod.containers {
        let profile = container.security_context.get("seccompProfile");
        if profile.exists() {
            let kind = profile.get("type");
            if !allowed_type(&kind) {
                let at = if kind.written() { kind.clone() } else { profile.clone() };
                found.container(
                    container,
                    &at,
                    format!(
                        "{} must not set securityContext.seccompProfile.type to {} (allowed: RuntimeDefault, Localhost)",
                        container.label(),
                        shown(&kind)
                    ),
                );
            }
        } else if !pod_covers {
            found.container(
                container,
                &profile,
                format!(
                    "{} must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (nor does the pod)",
                    container.label()
                ),
            );
        }
    }
}
