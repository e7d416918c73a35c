//! CPU and memory limits on every container (item 1.8).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::pod::ContainerKind;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "resource-limits",
        title: "Container has no CPU or memory limit",
        severity: Severity::Medium,
        items: &[("1.8", "the container lacks a CPU or memory limit")],
        section: "pod",
        rationale: "Without limits one container can take all the CPU or memory of its node: a bug, a load spike or \
            an intruder mining coins then starves every other workload there, and memory pressure makes the \
            kubelet evict pods that did nothing wrong.",
        remediation: "Set `resources.limits.cpu` and `resources.limits.memory` on every container, init containers \
            included (or have a LimitRange default them, which kubeward checks separately).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    resources:\n      limits:\n        memory: 256Mi\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    resources:\n      limits:\n        cpu: 500m\n        memory: 256Mi\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        // Ephemeral containers cannot declare resources.
        if container.kind == ContainerKind::Ephemeral {
            continue;
        }
        let limits = container.view.path(&["resources", "limits"]);
        // One finding for what is missing, at the place the limits go.
        let missing: Vec<&str> =
            ["cpu", "memory"].into_iter().filter(|resource| limits.get(resource).quantity().is_absent()).collect();
        let what = match missing[..] {
            [] => continue,
            [one] => one,
            _ => "CPU or memory",
        };
        sink.report_container(&limits, &container.name, message!("{} has no {what} limit", container.label()));
    }
}
