//! No privileged containers (item 1.9).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "no-privileged",
        title: "Container runs privileged",
        severity: Severity::Critical,
        items: &[("1.9", "the container runs privileged")],
        section: "pod",
        rationale: "A privileged container has every capability and sees every device of the node; escaping to the \
            host from it takes one command. It is the single most dangerous setting a workload can ask for.",
        remediation: "Remove `privileged: true`. If the workload needs one kernel feature, add only the capability \
            that grants it; node agents that truly need the host belong in a non-production namespace with an \
            explicit, reviewed exemption.",
        fail_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n        securityContext:\n          privileged: true\n",
        pass_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n        securityContext:\n          privileged: false\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        let field = container.security_context.get("privileged");
        if field.bool().present() == Some(true) {
            sink.report_container(&field, &container.name, message!("{} runs privileged", container.label()));
        }
    }
}
