//! No process runs with the root group (GID 0) as primary, file-system or supplemental group.

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "root-group",
        title: "Pod or container uses the root group (GID 0)",
        severity: Severity::Medium,
        items: &[],
        section: "pod",
        rationale: "Even a non-root user gets read and often write access to files owned by group 0 (much of an \
            image's file system, and host files through any mounted host path) when GID 0 is its primary, \
            file-system or supplemental group.",
        remediation: "Set `runAsGroup` and `fsGroup` to a non-zero group id and remove 0 from `supplementalGroups`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 1000\n    runAsGroup: 0\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    runAsUser: 1000\n    runAsGroup: 3000\n    fsGroup: 2000\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let pod = ctx.pod.security_context();
    for field in ["runAsGroup", "fsGroup"] {
        let view = pod.get(field);
        if view.int().present() == Some(0) {
            sink.report(&view, message!("{} sets {field}: 0 (the root group)", ctx.pod.label()));
        }
    }
    for item in pod.get("supplementalGroups").items() {
        if item.int().present() == Some(0) {
            sink.report(&item, message!("{} lists group 0 (the root group) in supplementalGroups", ctx.pod.label()));
        }
    }
    for container in &ctx.pod.containers {
        let view = container.security_context.get("runAsGroup");
        if view.int().present() == Some(0) {
            sink.report_container(
                &view,
                &container.name,
                message!("{} sets runAsGroup: 0 (the root group)", container.label()),
            );
        }
    }
}
