//! Every workload is selected by some NetworkPolicy (items 3.1 and 3.3).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::model::object::namespace_phrase;
use crate::model::pod::subject;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "workload-without-network-policy",
        title: "No NetworkPolicy selects the workload's pods",
        severity: Severity::Medium,
        items: &[("3.1", "no policy selects the pods, so their production namespace denies nothing by default"), ("3.2", "with no policy selecting the pods, all their egress is allowed"), ("3.3", "with no policy selecting the pods, ingress from any source is allowed"), ("3.5", "with no policy selecting the pods, they can reach the whole internet")],
        section: "network",
        rationale: "A pod that no NetworkPolicy of its namespace selects is open in both directions, whatever \
            other pods' policies say. Policies in other namespaces never apply to it.",
        remediation: "Add a default-deny policy to the namespace and a policy whose `podSelector` matches the pod \
            template's labels and allows only the flows the workload needs.",
        fail_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: other\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress]\n",
        pass_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: web}\n  policyTypes: [Ingress]\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let inventory = ctx.inventory;
    let mut selected = vec![false; inventory.workloads.len()];
    for policy in &inventory.policies {
        for workload in inventory.select_workloads(&policy.namespace, &policy.pod_selector) {
            if let Some(flag) = selected.get_mut(workload) {
                *flag = true;
            }
        }
    }
    for (workload, _) in inventory.workloads.iter().zip(&selected).filter(|(_, &selected)| !selected) {
        let Some(object) = ctx.objects.get(workload.object).map(|object| object.summary) else { continue };
        let Some(pod) = object.pods.get(workload.pod).filter(|_| object.production) else { continue };
        sink.report(
            workload.object,
            &pod.labels_at,
            message!(
                "no NetworkPolicy in {} selects the pods of {}: all their traffic is allowed",
                namespace_phrase(&workload.namespace),
                subject(&object.identity, pod.name.as_deref())
            ),
        );
    }
}
