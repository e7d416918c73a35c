//! Only namespaced, safe sysctls (Pod Security baseline `sysctls`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "unsafe-sysctls",
        title: "Pod sets a sysctl outside the safe set",
        severity: Severity::High,
        items: &[],
        section: "pod",
        rationale: "Sysctls outside the safe set are either not isolated per pod (they change the whole node's \
            kernel for every workload on it) or can exhaust kernel resources. The kubelet refuses most of them \
            unless an administrator allowed them, so a pod that needs one also needs a weakened node.",
        remediation: "Remove the sysctl, or use only the safe ones (`kernel.shm_rmid_forced`, \
            `net.ipv4.ip_local_port_range`, `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_syncookies`, \
            `net.ipv4.ping_group_range` and the TCP keepalive and buffer settings of recent versions).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    sysctls:\n    - name: kernel.msgmax\n      value: \"65536\"\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.ip_unprivileged_port_start\n      value: \"80\"\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::SYSCTLS.violations(ctx.pod, PssVersion::LATEST) {
        sink.report(&violation.at, violation.reason);
    }
}
