//! `/proc` stays masked (Pod Security baseline `procMount`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "unmasked-proc-mount",
        title: "Container unmasks /proc",
        severity: Severity::High,
        items: &[],
        section: "pod",
        rationale: "The runtime masks and makes read-only the parts of `/proc` that expose or change the host \
            kernel (`/proc/sys`, `/proc/sysrq-trigger`, `/proc/kcore`...). `procMount: Unmasked` removes that \
            protection; only a pod in its own user namespace (`hostUsers: false`) keeps the kernel safe without it.",
        remediation: "Remove `procMount` (or set it to `Default`); if a nested container runtime needs an unmasked \
            `/proc`, run the pod with `hostUsers: false`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      procMount: Unmasked\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      procMount: Default\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::PROC_MOUNT.violations(ctx.pod, PssVersion::LATEST) {
        let container = violation.container.as_deref().unwrap_or_default();
        sink.report_container(&violation.at, container, violation.reason);
    }
}
