//! A workload whose service account can read secrets, exec into pods or
//! administer the cluster (items 2.1 and 2.2): the join of pods, service
//! accounts, bindings and roles.

use super::pod_label;
use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::rbac::Capability;
use crate::model::object::namespace_phrase;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "workload-sensitive-permissions",
        title: "Workload's service account can read secrets, exec into pods or administer the cluster",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "A pod carries its service account's token: whoever runs code in the pod has every permission \
            bound to that account. Reading secrets, exec into other pods and cluster-admin turn one compromised \
            container into a compromised namespace or cluster.",
        remediation: "Give the workload its own service account and bind it only to what it calls; move secret \
            reading and exec to the operators that need them.",
        fail_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: web\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [secrets]\n  verbs: [get, list]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: web\nsubjects:\n- kind: ServiceAccount\n  name: web\n",
        pass_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      serviceAccountName: web\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: web\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: web\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: web\nsubjects:\n- kind: ServiceAccount\n  name: web\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let rbac = &ctx.inventory.rbac;
    for workload in &ctx.inventory.workloads {
        let Some(object) = ctx.objects.get(workload.object).map(|object| object.summary) else { continue };
        let Some(pod) = object.pods.get(workload.pod) else { continue };
        let (account, at) = &pod.service_account;
        for &binding_index in rbac.bindings_of_service_account(&workload.namespace, account) {
            let Some(binding) = rbac.bindings.get(binding_index) else { continue };
            let scope = match binding.scope() {
                None => "cluster-wide".to_string(),
                Some(namespace) => format!("in {}", namespace_phrase(namespace)),
            };
            for (capability, grant) in rbac.capabilities(binding) {
                let rule = match grant {
                    Some((role, rule)) => {
                        let role = rbac.roles.get(role).map(|role| role.label()).unwrap_or_default();
                        format!("{role} at {}", rule.view.pointer())
                    }
                    None => "the built-in ClusterRole \"cluster-admin\"".to_string(),
                };
                let severity = (capability == Capability::ClusterAdmin).then_some(Severity::Critical);
                let unnamed = if object.identity.namespace.is_none() {
                    "; the workload names no namespace, so it is read as \"default\""
                } else {
                    ""
                };
                sink.report_with_severity(
                    workload.object,
                    at,
                    severity,
                    message!(
                        "{} runs as ServiceAccount \"{}/{account}\", which can {} {scope} through {} ({rule}){unnamed}",
                        pod_label(&object.identity, pod.name.as_deref()),
                        workload.namespace,
                        capability.describe(),
                        binding.label(),
                    ),
                );
            }
        }
    }
}
