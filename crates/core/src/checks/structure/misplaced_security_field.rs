//! A security setting written where Kubernetes does not read it.

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};

/// Fields that belong in a container's `securityContext`.
const CONTAINER_SECURITY_FIELDS: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "privileged",
    "allowPrivilegeEscalation",
    "readOnlyRootFilesystem",
    "capabilities",
    "seccompProfile",
    "seLinuxOptions",
    "appArmorProfile",
    "procMount",
];

/// Fields that belong in the pod's `securityContext`.
const POD_SECURITY_FIELDS: &[&str] = &[
    "runAsUser",
    "runAsGroup",
    "runAsNonRoot",
    "fsGroup",
    "supplementalGroups",
    "seccompProfile",
    "seLinuxOptions",
    "appArmorProfile",
    "sysctls",
    "privileged",
    "allowPrivilegeEscalation",
    "readOnlyRootFilesystem",
    "capabilities",
];

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "misplaced-security-field",
        title: "Security setting written outside securityContext",
        severity: Severity::High,
        items: &[],
        section: "structure",
        rationale: "Kubernetes reads security settings only inside `securityContext`. A `runAsNonRoot: true` written \
            directly on a container or on the pod spec is dropped without effect (at most a warning from the API \
            server), so the workload runs without the protection its author meant to give it.",
        remediation: "Move the field into the container's `securityContext` (or the pod's `spec.securityContext` \
            for pod-level settings such as `fsGroup`).",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    runAsNonRoot: true\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      runAsNonRoot: true\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for field in POD_SECURITY_FIELDS {
        if ctx.pod.spec.has_key(field) {
            let view = ctx.pod.spec.get(field);
            sink.report(&view, message!("\"{field}\" is written on the {} spec, where Kubernetes ignores it; it belongs in spec.securityContext", ctx.pod.label()));
        }
    }
    for container in &ctx.pod.containers {
        for field in CONTAINER_SECURITY_FIELDS {
            if container.view.has_key(field) {
                let view = container.view.get(field);
                sink.report_container(
                    &view,
                    &container.name,
                    message!("\"{field}\" is written directly on {}, where Kubernetes ignores it; it belongs in its securityContext", container.label()),
                );
            }
        }
    }
}
