//! Every container drops ALL capabilities (item 1.4).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "drop-all-capabilities",
        title: "Container does not drop all capabilities",
        severity: Severity::Medium,
        items: &[("1.4", "the container does not drop ALL capabilities")],
        section: "pod",
        rationale: "Container runtimes grant a default set of Linux capabilities (NET_RAW among them, which allows \
            spoofing on the pod network). Dropping ALL and adding back only what the process needs removes \
            privileges an intruder would otherwise inherit.",
        remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` and list in `add` only the capabilities the \
            process needs (usually none, sometimes `NET_BIND_SERVICE`).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      capabilities:\n        drop: [\"NET_RAW\"]\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      capabilities:\n        drop: [\"ALL\"]\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        let drop = container.security_context.path(&["capabilities", "drop"]);
        // Kubernetes passes capability names to the runtime, which accepts "all" in any case.
        if drop.strings().iter().any(|(name, _)| name.eq_ignore_ascii_case("ALL")) {
            continue;
        }
        let message = if drop.exists() {
            message!("{} drops some capabilities but not ALL", container.label())
        } else {
            message!("{} does not drop ALL capabilities", container.label())
        };
        sink.report_container(&drop, &container.name, message);
    }
}
