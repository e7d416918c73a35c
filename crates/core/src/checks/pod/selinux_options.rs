//! SELinux options keep the container types (item 1.10; Pod Security baseline `seLinuxOptions`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "selinux-options",
        title: "Custom SELinux type, user or role",
        severity: Severity::High,
        items: &[],
        section: "pod",
        rationale: "SELinux confines containers through their type (`container_t` and its siblings). Another type, \
            such as `spc_t` or `unconfined_t`, or a custom user or role, lifts that confinement and gives the \
            process the access of a host service.",
        remediation: "Remove `seLinuxOptions.type`, `user` and `role` (keep `level` for MCS categories), or use \
            `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      seLinuxOptions:\n        type: spc_t\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      seLinuxOptions:\n        type: container_t\n        level: \"s0:c123,c456\"\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::SE_LINUX_OPTIONS.violations(ctx.pod, PssVersion::LATEST) {
        match violation.container.as_deref() {
            Some(container) => sink.report_container(&violation.at, container, violation.reason),
            None => sink.report(&violation.at, violation.reason),
        }
    }
}
