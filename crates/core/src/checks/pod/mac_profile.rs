//! An AppArmor or SELinux profile is applied (item 1.10).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "mac-profile",
        title: "Container has no AppArmor or SELinux profile",
        severity: Severity::Low,
        items: &[("1.10", "no AppArmor or SELinux profile applies to the container")],
        section: "pod",
        rationale: "Mandatory access control (AppArmor or SELinux) confines what a process may touch even when it \
            runs as root or escapes its namespaces. A profile explicitly set to `Unconfined` switches that \
            protection off.",
        remediation: "Set `securityContext.appArmorProfile.type: RuntimeDefault` (Kubernetes 1.30 and later; the \
            `container.apparmor.security.beta.kubernetes.io/<container>` annotation before that), or \
            `securityContext.seLinuxOptions` with the type your SELinux policy assigns to containers.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

const APPARMOR_ANNOTATION: &str = "container.apparmor.security.beta.kubernetes.io/";

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let annotations = ctx.pod.annotations();
    for container in &ctx.pod.containers {
        let apparmor = ctx.pod.effective(container, &["appArmorProfile"], |v| {
            if v.exists() {
                Value::Present(())
            } else {
                Value::Absent
            }
        });
        if apparmor.value.present().is_some() {
            let kind = apparmor.decided_by.get("type");
            match kind.str() {
                Value::Present("RuntimeDefault" | "Localhost") | Value::Invalid => continue,
                Value::Present(other) => {
                    sink.report_container(
                        &kind,
                        &container.name,
                        message!("{} runs with AppArmor profile type {other:?}", container.label()),
                    );
                    continue;
                }
                Value::Absent => {}
            }
        }
        let own_key = format!("{APPARMOR_ANNOTATION}{}", container.name);
        if let Some((_, view)) = annotations.iter().find(|(key, _)| *key == own_key) {
            match view.str().present() {
                Some(value) if value == "runtime/default" || value.starts_with("localhost/") => continue,
                Some(value) => {
                    sink.report_container(
                        view,
                        &container.name,
                        message!("{} runs with AppArmor profile {value:?}", container.label()),
                    );
                    continue;
                }
                None => {}
            }
        }
        let selinux = ctx.pod.effective(container, &["seLinuxOptions"], |v| {
            if v.exists() {
                Value::Present(())
            } else {
                Value::Absent
            }
        });
        if selinux.value.present().is_some() {
            let set = |field: &str| selinux.decided_by.get(field).str().present().is_some_and(|s| !s.is_empty());
            if set("type") || set("level") {
                continue;
            }
        }
        sink.report_container(
            &apparmor.decided_by,
            &container.name,
            message!("{} has neither an AppArmor profile nor SELinux options", container.label()),
        );
    }
}
