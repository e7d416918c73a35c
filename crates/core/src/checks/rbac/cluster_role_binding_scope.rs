//! No ClusterRoleBinding where a namespaced RoleBinding would do (item 2.2).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::rbac::{RoleTarget, SubjectKind};
use crate::model::object::namespace_phrase;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "cluster-role-binding-namespaced",
        title: "ClusterRoleBinding grants only namespaced permissions",
        severity: Severity::Medium,
        items: &[("2.2", "a ClusterRoleBinding grants only namespaced permissions, where a RoleBinding would suffice")],
        section: "rbac",
        rationale: "A ClusterRoleBinding grants its role in every namespace, present and future. When the role \
            only names namespaced resources, RoleBindings in the namespaces that need it grant the same access \
            with a far smaller blast radius.",
        remediation: "Replace the ClusterRoleBinding with a RoleBinding (which may still refer to the ClusterRole) \
            in each namespace the subject works in.",
        fail_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: pod-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, list]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: pod-reader\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: pod-reader\nsubjects:\n- kind: Group\n  name: developers\n",
        pass_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: pod-reader\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, list]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: pod-reader\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: pod-reader\nsubjects:\n- kind: Group\n  name: developers\n",
    },
    run: Run::Set(run),
};

/// Resources of the core and common API groups that live in namespaces. Anything
/// else (cluster-scoped resources, CRDs we cannot know, `*`) may need a ClusterRoleBinding.
const NAMESPACED: &[&str] = &[
    "pods",
    "services",
    "endpoints",
    "configmaps",
    "secrets",
    "serviceaccounts",
    "persistentvolumeclaims",
    "events",
    "replicationcontrollers",
    "limitranges",
    "resourcequotas",
    "podtemplates",
    "deployments",
    "replicasets",
    "statefulsets",
    "daemonsets",
    "controllerrevisions",
    "jobs",
    "cronjobs",
    "ingresses",
    "networkpolicies",
    "roles",
    "rolebindings",
    "leases",
    "horizontalpodautoscalers",
    "poddisruptionbudgets",
    "endpointslices",
];

fn is_namespaced(resource: &str) -> bool {
    let base = resource.split_once('/').map_or(resource, |(base, _)| base);
    NAMESPACED.contains(&base)
}

fn is_system(name: &str) -> bool {
    name.starts_with("system:")
}

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let rbac = &ctx.inventory.rbac;
    for binding in rbac.bindings.iter().filter(|b| b.cluster && !is_system(&b.name)) {
        let RoleTarget::Found(role) = binding.target else {
            continue;
        };
        let rules = rbac.effective_rules(role);
        let only_namespaced = !rules.is_empty()
            && rules.iter().all(|(_, rule)| {
                rule.non_resource_urls.is_empty()
                    && !rule.resources.is_empty()
                    && rule.resources.iter().all(|(resource, _)| is_namespaced(resource))
            });
        if !only_namespaced {
            continue;
        }
        let role_label = rbac.roles.get(role).map(|role| role.label()).unwrap_or_default();
        for subject in binding.subjects.iter().filter(|s| !is_system(&s.name)) {
            let hint = match (subject.kind, &subject.namespace) {
                (SubjectKind::ServiceAccount, Some(namespace)) => format!(" (e.g. in {})", namespace_phrase(namespace)),
                _ => String::new(),
            };
            sink.report(
                binding.object,
                &subject.view,
                message!(
                    "{} grants {role_label} to {} in every namespace, but the role only names namespaced resources: a RoleBinding{hint} would do",
                    binding.label(),
                    subject.label()
                ),
            );
        }
    }
}
