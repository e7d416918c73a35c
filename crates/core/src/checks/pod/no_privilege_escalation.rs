//! allowPrivilegeEscalation is false on every container (item 1.3).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "no-privilege-escalation",
        title: "Container may gain more privileges than its parent process",
        severity: Severity::Medium,
        items: &[("1.3", "allowPrivilegeEscalation is not false")],
        section: "pod",
        rationale: "Unless `allowPrivilegeEscalation` is `false`, a process in the container can gain privileges \
            through setuid binaries or file capabilities (the kernel's no_new_privs flag stays off). The default \
            is to allow it, so the field must be written.",
        remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container, init and ephemeral \
            containers included.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      allowPrivilegeEscalation: false\n",
    },
    run: Run::Pod(run),
};

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    for container in &ctx.pod.containers {
        let field = container.security_context.get("allowPrivilegeEscalation");
        match field.bool() {
            Value::Present(false) | Value::Invalid => {}
            Value::Present(true) => sink.report_container(
                &field,
                &container.name,
                message!("{} allows privilege escalation (allowPrivilegeEscalation: true)", container.label()),
            ),
            Value::Absent => sink.report_container(
                &field,
                &container.name,
                message!("{} does not set allowPrivilegeEscalation: false", container.label()),
            ),
        }
    }
}
