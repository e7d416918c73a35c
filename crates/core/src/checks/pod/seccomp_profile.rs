//! A seccomp profile is set, RuntimeDefault at minimum (item 1.6).

use crate::checks::{Check, CheckMeta, PodContext, Run, Severity, Sink};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "seccomp-profile",
        title: "Container runs without a seccomp profile",
        severity: Severity::Medium,
        items: &[("1.6", "no RuntimeDefault or stricter seccomp profile applies")],
        section: "pod",
        rationale: "Seccomp filters the system calls a container may make. Without a profile (or with \
            `Unconfined`) every syscall of the kernel is reachable, including the rarely used ones where kernel \
            exploits are found. Kubernetes does not apply the runtime's default profile unless asked to.",
        remediation: "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (it covers every \
            container) or `Localhost` with a reviewed profile. The `seccomp.security.alpha.kubernetes.io` \
            annotations are deprecated; use the field.",
        fail_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n    securityContext:\n      seccompProfile:\n        type: Unconfined\n",
        pass_example: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: registry.example.com/app:1.0\n",
    },
    run: Run::Pod(run),
};

const CONTAINER_ANNOTATION: &str = "container.seccomp.security.alpha.kubernetes.io/";
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";

fn annotation_allows(value: &str) -> bool {
    value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/")
}

fn run(ctx: &PodContext<'_, '_>, sink: &mut Sink) {
    let annotations = ctx.pod.annotations();
    for container in &ctx.pod.containers {
        let profile = ctx.pod.effective(container, &["seccompProfile"], |v| {
            if v.exists() {
                Value::Present(())
            } else {
                Value::Absent
            }
        });
        if profile.value.present().is_some() {
            let kind = profile.decided_by.get("type");
            match kind.str() {
                Value::Present("RuntimeDefault" | "Localhost") | Value::Invalid => {}
                Value::Present(other) => sink.report_container(
                    &kind,
                    &container.name,
                    message!(
                        "{} runs with seccomp profile type {other:?}, which filters no system calls",
                        container.label()
                    ),
                ),
                Value::Absent => sink.report_container(
                    &kind,
                    &container.name,
                    message!("{} has a seccompProfile without a type", container.label()),
                ),
            }
            continue;
        }
        let own_key = format!("{CONTAINER_ANNOTATION}{}", container.name);
        let annotation = annotations
            .iter()
            .find(|(key, _)| *key == own_key)
            .or_else(|| annotations.iter().find(|(key, _)| key == POD_ANNOTATION));
        if let Some((key, view)) = annotation {
            match view.str().present() {
                Some(value) if annotation_allows(value) => {}
                Some(value) => sink.report_container(
                    view,
                    &container.name,
                    message!("{} runs with seccomp profile {value:?} (annotation {key})", container.label()),
                ),
                None => {}
            }
            continue;
        }
        sink.report_container(
            &profile.decided_by,
            &container.name,
            message!("{} has no seccomp profile (set seccompProfile.type: RuntimeDefault)", container.label()),
        );
    }
}
