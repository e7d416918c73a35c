//! `hostProbesAndHostLifecycle` (baseline, v1.34+): probes and lifecycle
//! handlers must not point the kubelet at another host.

use super::{Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::Value;

pub(crate) const CONTROL: Control =
    Control { id: "hostProbesAndHostLifecycle", level: PssLevel::Baseline, revisions: &[34], replaces: None, run };

/// The handlers that can name a host, as paths from the container.
const HANDLERS: &[&[&str]] = &[
    &["livenessProbe"],
    &["readinessProbe"],
    &["startupProbe"],
    &["lifecycle", "postStart"],
    &["lifecycle", "preStop"],
];

fn run<'a>(pod: &Pod<'a>, _revision: u32, found: &mut Found<'a>) {
    for container in &pod.containers {
        for handler in HANDLERS {
            let handler_view = container.view.path(handler);
            // Reading under an absent field finds nothing and records nothing.
            if !handler_view.exists() {
                continue;
            }
            for action in ["httpGet", "tcpSocket"] {
                let action_view = handler_view.get(action);
                if !action_view.exists() {
                    continue;
                }
                let host = action_view.get("host");
                let forbidden = match host.str() {
                    Value::Present(text) => !text.is_empty(),
                    Value::Absent => false,
                    Value::Invalid => true,
                };
                if forbidden {
                    found.container(
                        container,
                        &host,
                        format!(
                            "{} must not set {}.{action}.host (set to {})",
                            container.label(),
                            handler.join("."),
                            super::shown(&host)
                        ),
                    );
                }
            }
        }
    }
}
