//! No container runs as root (item 1.2).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "run-as-non-root",
        title: "Container may run as root",
        severity: Severity::High,
        items: &[("1.2", "the container may run as root, or asks for UID 0"), ("8.5", "runAsUser: 0 names a numeric user id, but root's")],
        section: "pod",
        rationale: "A process running as UID 0 in a container is root on the node as soon as it escapes the \
            container, and owns every file the image ships. `runAsNonRoot: true` makes the kubelet refuse to start \
            a container whose user is root; `runAsUser: 0` asks for root explicitly.",
        remediation: "Set `securityContext.runAsNonRoot: true` on the pod (or on every container) and a non-zero \
            `runAsUser`; never write `runAsUser: 0` at either level.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      runAsUser: 0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let pod_user = ctx.pod.security_context().get("runAsUser");
    if pod_user.int().present() == Some(0) {
        sink.report(&pod_user, message!("{} sets runAsUser: 0 (root) for the whole pod", ctx.subject()));
    }
    for container in &ctx.pod.containers {
        let own_user = container.security_context.get("runAsUser");
        if own_user.int().present() == Some(0) {
            sink.report_container(&own_user, &container.name, message!("{} runs as UID 0 (root)", container.label()));
            continue;
        }
        let user = ctx.pod.effective(container, &["runAsUser"], |v| v.int());
        if user.value.present() == Some(0) {
            // Already reported once at the pod level.
            continue;
        }
        let non_root = ctx.pod.effective(container, &["runAsNonRoot"], |v| v.bool());
        let runs_as_non_zero_uid = matches!(user.value, Value::Present(uid) if uid > 0);
        match non_root.value {
            Value::Present(true) | Value::Invalid => {}
            _ if runs_as_non_zero_uid => {}
            Value::Present(false) => sink.report_container(
                &non_root.decided_by,
                &container.name,
                message!(
                    "{} may run as root: runAsNonRoot is false and no non-zero runAsUser is set",
                    container.label()
                ),
            ),
            Value::Absent => sink.report_container(
                &non_root.decided_by,
                &container.name,
                message!(
                    "{} may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set",
                    container.label()
                ),
            ),
        }
    }
}
