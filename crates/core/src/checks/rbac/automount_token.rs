//! automountServiceAccountToken is false unless needed, on pods and service accounts (item 2.4).

use super::pod_label;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "automount-service-account-token",
        title: "Service-account token mounted without need",
        severity: Severity::Medium,
        items: &["2.4"],
        section: "rbac",
        rationale: "Unless told otherwise, Kubernetes mounts an API token into every container. Most applications \
            never call the API, so the token only serves an attacker who gets code execution in the pod. The \
            pod's `automountServiceAccountToken` wins over its ServiceAccount's; when neither sets it, the token is \
            mounted.",
        remediation: "Set `automountServiceAccountToken: false` on the ServiceAccount, and set it to `true` on the \
            pod templates of the workloads that do call the API (an explicit `true` is read as a declared need).",
        fail_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    for (index, object) in ctx.objects.iter().enumerate() {
        let Some(object) = &object.full else { continue };
        if object.identity.api_version != "v1" || object.identity.kind != "ServiceAccount" {
            continue;
        }
        let field = object.root.get("automountServiceAccountToken");
        if field.bool().is_absent() {
            sink.report_with_severity(
                index,
                &field,
                Some(Severity::Low),
                message!(
                    "{} does not set automountServiceAccountToken: false, so pods using it get an API token by default",
                    object.label()
                ),
            );
        }
    }
    for workload in &ctx.inventory.workloads {
        let Some(object) = ctx.objects.get(workload.object).map(|object| object.summary) else { continue };
        let Some(pod) = object.pods.get(workload.pod) else { continue };
        let (automount, field) = &pod.automount;
        match automount {
            Value::Present(_) | Value::Invalid => continue,
            Value::Absent => {}
        }
        let (account, _) = &pod.service_account;
        let reason = match ctx.inventory.service_account(&workload.namespace, account) {
            Some(sa) => {
                let sa = ctx.objects.get(sa).and_then(|sa| sa.full.as_ref());
                match sa.map(|sa| sa.root.get("automountServiceAccountToken").bool()) {
                    Some(Value::Present(false)) => continue,
                    Some(Value::Present(true)) => format!("ServiceAccount \"{account}\" sets it to true"),
                    _ => format!("ServiceAccount \"{account}\" does not set it to false"),
                }
            }
            None => {
                format!("ServiceAccount \"{account}\" is not in the input, and Kubernetes mounts the token by default")
            }
        };
        sink.report(
            workload.object,
            field,
            message!(
                "{} gets an API token: automountServiceAccountToken is not set on the pod and {reason}",
                pod_label(&object.identity, pod.name.as_deref())
            ),
        );
    }
}
