//! No container binds a port on the node (item 1.7; Pod Security baseline `hostPorts`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "no-host-ports",
        title: "Container binds a port on the node (hostPort)",
        severity: Severity::Medium,
        items: &[],
        section: "pod",
        rationale: "A `hostPort` opens the port on every node the pod lands on, outside any NetworkPolicy that \
            selects the pod's own address, and ties the pod to nodes where the port is free. It is a way around \
            Services and a common path to expose an internal component.",
        remediation: "Remove `hostPort` (or set it to 0) and expose the port through a Service.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    ports:\n    - containerPort: 8080\n      hostPort: 8080\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    ports:\n    - containerPort: 8080\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::HOST_PORTS.violations(ctx.pod, PssVersion::LATEST) {
        let container = violation.container.as_deref().unwrap_or_default();
        sink.report_container(&violation.at, container, violation.reason);
    }
}
