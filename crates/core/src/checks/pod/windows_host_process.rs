//! No Windows HostProcess containers (Pod Security baseline `windowsHostProcess`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "windows-host-process",
        title: "Windows HostProcess container",
        severity: Severity::Critical,
        items: &[],
        section: "pod",
        rationale: "A Windows HostProcess container runs directly on the node as a host process, with the host's \
            network and file system and, usually, as SYSTEM: it is full control of the Windows node.",
        remediation: "Remove `windowsOptions.hostProcess: true`; run node administration tooling outside the \
            cluster's workloads or in a dedicated, tightly controlled namespace.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    windowsOptions:\n      hostProcess: false\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::WINDOWS_HOST_PROCESS.violations(ctx.pod, PssVersion::LATEST) {
        match violation.container.as_deref() {
            Some(container) => sink.report_container(&violation.at, container, violation.reason),
            None => sink.report(&violation.at, violation.reason),
        }
    }
}
