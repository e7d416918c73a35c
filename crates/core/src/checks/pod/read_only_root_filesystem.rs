//! Root filesystem is read-only (item 1.5).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "read-only-root-filesystem",
        title: "Container can write to its root filesystem",
        severity: Severity::Low,
        items: &[("1.5", "the root filesystem is writable")],
        section: "pod",
        rationale: "A writable root filesystem lets an intruder drop tools, replace binaries and persist changes \
            for the life of the container. A read-only one confines writes to the volumes the workload declares.",
        remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` volume at each \
            path the application must write to (such as `/tmp`).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      readOnlyRootFilesystem: false\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      readOnlyRootFilesystem: true\n    volumeMounts:\n    - name: tmp\n      mountPath: /tmp\n  volumes:\n  - name: tmp\n    emptyDir: {}\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        let field = container.security_context.get("readOnlyRootFilesystem");
        match field.bool() {
            Value::Present(true) | Value::Invalid => {}
            Value::Present(false) => sink.report_container(
                &field,
                &container.name,
                message!("{} has a writable root filesystem (readOnlyRootFilesystem: false)", container.label()),
            ),
            Value::Absent => sink.report_container(
                &field,
                &container.name,
                message!("{} does not set readOnlyRootFilesystem: true", container.label()),
            ),
        }
    }
}
