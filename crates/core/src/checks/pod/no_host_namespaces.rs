//! No hostNetwork, hostPID or hostIPC (item 1.7).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "no-host-namespaces",
        title: "Pod shares the node's network, process or IPC namespace",
        severity: Severity::High,
        items: &[("1.7", "the pod shares the node's network, PID or IPC namespace")],
        section: "pod",
        rationale: "With `hostNetwork` a pod binds and sniffs the node's interfaces and reaches services that trust \
            localhost; with `hostPID` it sees and signals every process on the node, and can read their \
            environment; with `hostIPC` it reads the shared memory of other workloads.",
        remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to `false`). Expose ports through a \
            Service instead of the node's network.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostPID: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: false\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for (field, what) in [
        ("hostNetwork", "the node's network namespace"),
        ("hostPID", "the node's process namespace"),
        ("hostIPC", "the node's IPC namespace"),
    ] {
        let view = ctx.pod.field(field);
        if view.bool().present() == Some(true) {
            sink.report(&view, message!("{} shares {what} ({field}: true)", ctx.subject()));
        }
    }
}
