//! Probes and lifecycle handlers target the pod itself (Pod Security baseline `hostProbesAndHostLifecycle`).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::pss::{control, PssVersion};

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "probe-host",
        title: "Probe or lifecycle handler targets another host",
        severity: Severity::Medium,
        items: &[],
        section: "pod",
        rationale: "The kubelet runs HTTP and TCP probes and lifecycle hooks from the node, so a `host` field makes the \
            node connect wherever the manifest says: to node-local services, to the cloud metadata endpoint, or \
            to other tenants' pods, bypassing NetworkPolicy.",
        remediation: "Remove `host` from `httpGet` and `tcpSocket` handlers so that they target the pod's own IP; \
            use an `httpHeaders` Host header when a virtual host is needed.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    livenessProbe:\n      httpGet:\n        host: 169.254.169.254\n        path: /\n        port: 80\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 8080\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for violation in control::HOST_PROBES_AND_HOST_LIFECYCLE.violations(ctx.pod, PssVersion::LATEST) {
        let container = violation.container.as_deref().unwrap_or_default();
        sink.report_container(&violation.at, container, violation.reason);
    }
}
