//! `runAsNonRoot` (restricted; revisions v1.0 and v1.35): every container runs
//! with `runAsNonRoot: true`, its own or the pod's. The pod must not set it to
//! `false`. From v1.35 a pod in a user namespace (`hostUsers: false`) passes.

use super::{in_user_namespace, Control, Found, PssLevel};
use crate::model::pod::Pod;
use crate::model::view::Value;

pub(crate) const CONTROL: Control =
    Control { id: "runAsNonRoot", level: PssLevel::Restricted, revisions: &[0, 35], replaces: None, run };

fn run<'a>(pod: &Pod<'a>, revision: u32, found: &mut Found<'a>) {
    if revision >= 35 && in_user_namespace(pod) {
        return;
    }
    let pod_view = pod.security_context().get("runAsNonRoot");
    let pod_value = pod_view.bool();
    if pod_value == Value::Present(false) {
        found.pod(&pod_view, format!("{} must not set securityContext.runAsNonRoot=false", pod.label()));
    }
    for container in &pod.containers {
        let view = container.security_context.get("runAsNonRoot");
        match view.bool() {
            Value::Present(true) => {}
            Value::Present(false) => found.container(
                container,
                &view,
                format!("{} must not set securityContext.runAsNonRoot=false", container.label()),
            ),
            Value::Absent | Value::Invalid if pod_value == Value::Present(true) => {}
            Value::Absent | Value::Invalid => found.container(
                container,
                &view,
                format!("{} must set securityContext.runAsNonRoot=true (nor does the pod)", container.label()),
            ),
        }
    }
}
