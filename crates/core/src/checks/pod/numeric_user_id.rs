//! Pods specify a numeric non-root user id (item 8.5).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "numeric-user-id",
        title: "Container has no numeric non-root user id",
        severity: Severity::Low,
        items: &[("8.5", "the container names no numeric non-root user id")],
        section: "pod",
        rationale: "`runAsNonRoot: true` only works when the kubelet can tell the user is not root: an image whose \
            USER is a name (`USER app`) is refused at start, and an image without USER runs as root unless the \
            manifest says otherwise. A numeric `runAsUser` makes the identity explicit and verifiable.",
        remediation: "Set `securityContext.runAsUser` to a non-zero UID (10000 or above avoids clashing with users \
            of the node) on the pod or on each container, and `runAsGroup` likewise.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 10001\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        let user = ctx.pod.effective(container, &["runAsUser"], |v| v.int());
        match user.value {
            Value::Present(uid) if uid > 0 => {}
            Value::Invalid => {}
            Value::Present(0) => {} // reported by run-as-non-root
            Value::Present(uid) => sink.report_container(
                &user.decided_by,
                &container.name,
                message!("{} has runAsUser {uid}, which is not a valid non-root user id", container.label()),
            ),
            Value::Absent => sink.report_container(
                &user.decided_by,
                &container.name,
                message!("{} does not set a numeric runAsUser", container.label()),
            ),
        }
    }
}
