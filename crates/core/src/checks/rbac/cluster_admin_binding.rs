//! No binding grants cluster-admin to a service account (item 2.1).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::rbac::{RoleTarget, SubjectKind};
use crate::model::object::namespace_phrase;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "cluster-admin-service-account",
        title: "Service account bound to cluster-admin",
        severity: Severity::Critical,
        items: &[("2.1", "cluster-admin is bound to service accounts, directly or through a group that holds them")],
        section: "rbac",
        rationale: "A service account's token is mounted into every pod that uses it: whoever compromises one of \
            those pods becomes cluster-admin. A role with `*` verbs on `*` resources in `*` groups is the same, and \
            so is a binding to the groups that hold service accounts: `system:serviceaccounts` (all of them), \
            `system:serviceaccounts:<namespace>` (all of one namespace) and `system:authenticated`.",
        remediation: "Bind the service account to a Role (or ClusterRole through a RoleBinding) that lists only the \
            resources and verbs it uses.",
        fail_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: deployer\n  namespace: ci\n",
        pass_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ci\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n- kind: ServiceAccount\n  name: deployer\n  namespace: ci\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    let rbac = &ctx.inventory.rbac;
    for binding in &rbac.bindings {
        let role = match binding.target {
            RoleTarget::ClusterAdmin => "the built-in ClusterRole \"cluster-admin\"".to_string(),
            RoleTarget::Found(role) if rbac.is_cluster_admin_equivalent(role) => {
                let label = rbac.roles.get(role).map(|role| role.label()).unwrap_or_default();
                if binding.role_name == "cluster-admin" {
                    label
                } else {
                    message!("{label}, which grants `*` verbs on `*` resources in `*` groups like cluster-admin")
                }
            }
            _ => continue,
        };
        let scope = match binding.scope() {
            None => "cluster-wide".to_string(),
            Some(namespace) => format!("in {}", namespace_phrase(namespace)),
        };
        for subject in &binding.subjects {
            let Some(accounts) = service_accounts_in(subject.kind, &subject.name) else { continue };
            sink.report(
                binding.object,
                &subject.view,
                message!("{} binds {}{accounts} to {role} {scope}", binding.label(), subject.label()),
            );
        }
    }
}

/// Does a subject hold service accounts, and which (for messages): a service
/// account itself, or one of the groups Kubernetes puts them in.
fn service_accounts_in(kind: SubjectKind, name: &str) -> Option<String> {
    match (kind, name) {
        (SubjectKind::ServiceAccount, _) => Some(String::new()),
        (SubjectKind::Group, "system:serviceaccounts") => Some(" (every service account of the cluster)".into()),
        (SubjectKind::Group, "system:authenticated") => {
            Some(" (every authenticated identity, every service account included)".into())
        }
        (SubjectKind::Group, group) => group
            .strip_prefix("system:serviceaccounts:")
            .filter(|namespace| !namespace.is_empty())
            .map(|namespace| format!(" (every service account of namespace \"{namespace}\")")),
        _ => None,
    }
}
