//! automountServiceAccountToken is false unless needed, on pods and service accounts (item 2.4).

use std::collections::BTreeMap;

use super::pod_label;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::view::Value;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "automount-service-account-token",
        title: "Service-account token mounted without need",
        severity: Severity::Medium,
        items: &[("2.4", "a token is mounted where nothing declared a need for the API")],
        section: "rbac",
        rationale: "Unless told otherwise, Kubernetes mounts an API token into every container. Most applications \
            never call the API, so the token only serves an attacker who gets code execution in the pod. The \
            pod's `automountServiceAccountToken` wins over its ServiceAccount's; when neither sets it, the token is \
            mounted.",
        remediation: "Set `automountServiceAccountToken: false` on the ServiceAccount, and set it to `true` on the \
            pod templates of the workloads that do call the API (an explicit `true` is read as a declared need). \
            The finding is where the fix goes: on the ServiceAccount when the input holds it (naming the \
            workloads it gives a token), otherwise on the pod.",
        fail_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
        pass_example: "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n  namespace: shop\nautomountServiceAccountToken: false\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n",
    },
    run: Run::Set(run),
};

/// How many workloads a finding on a ServiceAccount names before it counts the rest.
const NAMED: usize = 3;

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    // One finding per problem, where it is fixed: on a ServiceAccount of the input that does not
    // set `automountServiceAccountToken: false` (naming the workloads it gives a token), and on a
    // workload only when its ServiceAccount is not in the input.
    let mut pods_of_account: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for workload in &ctx.inventory.workloads {
        let Some(object) = ctx.objects.get(workload.object).map(|object| object.summary) else { continue };
        let Some(pod) = object.pods.get(workload.pod) else { continue };
        let (automount, field) = &pod.automount;
        match automount {
            Value::Present(_) | Value::Invalid => continue,
            Value::Absent => {}
        }
        let (account, _) = &pod.service_account;
        match ctx.inventory.service_account(&workload.namespace, account) {
            Some(sa) => {
                let declared = ctx
                    .objects
                    .get(sa)
                    .and_then(|sa| sa.full.as_ref())
                    .is_some_and(|sa| !sa.root.get("automountServiceAccountToken").bool().is_absent());
                // Said on the ServiceAccount: false (what the check asks for) or true (a declared need).
                if !declared {
                    pods_of_account.entry(sa).or_default().push(pod_label(&object.identity, pod.name.as_deref()));
                }
            }
            None => sink.report(
                workload.object,
                field,
                message!(
                    "{} gets an API token: automountServiceAccountToken is not set on the pod, and its \
                     ServiceAccount \"{account}\" is not in the input (Kubernetes mounts the token by default)",
                    pod_label(&object.identity, pod.name.as_deref())
                ),
            ),
        }
    }
    for (index, object) in ctx.objects.iter().enumerate() {
        let Some(object) = &object.full else { continue };
        if object.identity.api_version != "v1" || object.identity.kind != "ServiceAccount" {
            continue;
        }
        let field = object.root.get("automountServiceAccountToken");
        // `false` is what the check asks for, and an explicit `true` is a declared need.
        if !field.bool().is_absent() {
            continue;
        }
        let stated = "does not set automountServiceAccountToken: false";
        match pods_of_account.get(&index) {
            Some(pods) => {
                let mut named = pods.iter().take(NAMED).cloned().collect::<Vec<_>>().join(", ");
                if pods.len() > NAMED {
                    named.push_str(&format!(" and {} more", pods.len() - NAMED));
                }
                sink.report(
                    index,
                    &field,
                    message!(
                        "{} {stated}, so the pods that use it and do not say otherwise get an API token: {named}",
                        object.label()
                    ),
                );
            }
            // No workload of the input uses it: a weaker finding, for the pods that may come.
            None => sink.report_with_severity(
                index,
                &field,
                Some(Severity::Low),
                message!("{} {stated}, so pods using it get an API token by default", object.label()),
            ),
        }
    }
}
