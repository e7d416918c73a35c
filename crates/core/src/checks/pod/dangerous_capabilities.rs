//! No capability beyond the runtime's default set (item 1.4; Pod Security baseline `capabilities_baseline`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "dangerous-capabilities",
        title: "Container adds a capability beyond the default set",
        severity: Severity::High,
        items: &[("1.4", "the container adds back a capability few containers need")],
        section: "pod",
        rationale: "Capabilities beyond the runtime's default set break container isolation: `SYS_ADMIN` is close \
            to root on the node (mounts, namespaces, BPF), `SYS_MODULE` loads kernel modules, `SYS_PTRACE` reads \
            other processes' memory, `NET_ADMIN` rewrites the node's network, `NET_RAW` forges packets.",
        remediation: "Remove the capability from `capabilities.add`; drop ALL and add back only `NET_BIND_SERVICE` \
            if the process binds a port below 1024.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      capabilities:\n        add: [\"SYS_ADMIN\"]\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      capabilities:\n        drop: [\"ALL\"]\n        add: [\"NET_BIND_SERVICE\"]\n",
    },
    run: Run::Pod(run),
};

/// Capabilities that amount to control of the node.
const CRITICAL: &[&str] =
    &["ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_RAWIO", "SYS_PTRACE", "SYS_BOOT", "DAC_READ_SEARCH", "BPF", "PERFMON"];

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::CAPABILITIES_BASELINE.violations(ctx.pod, PssVersion::LATEST) {
        let name = violation.subject.as_deref().unwrap_or_default().to_ascii_uppercase();
        let name = name.strip_prefix("CAP_").unwrap_or(&name);
        let severity = if CRITICAL.contains(&name) { Severity::Critical } else { Severity::High };
        sink.report_with_severity(&violation.at, violation.container.as_deref(), severity, violation.reason);
    }
}
