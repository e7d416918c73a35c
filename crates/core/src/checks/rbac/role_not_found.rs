//! Bindings whose role is not in the input (item 2.5): reported, never guessed.

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::rbac::RoleTarget;
use crate::model::object::namespace_phrase;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "binding-role-not-found",
        title: "Binding refers to a role that is not in the input",
        severity: Severity::Info,
        items: &[],
        section: "rbac",
        rationale: "What a binding grants depends on its role. When the role is not among the scanned manifests \
            (a built-in role such as `admin` or `view`, or one installed by another tool), kubeward does not guess \
            its rules, so the binding's permissions are left out of the RBAC checks and of the access review.",
        remediation: "Scan the role together with its bindings, or review the role in the cluster \
            (`kubectl describe clusterrole NAME`).",
        fail_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: app\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: app-reader\nsubjects:\n- kind: ServiceAccount\n  name: app\n",
        pass_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: app-reader\n  namespace: shop\nrules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: app\n  namespace: shop\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: app-reader\nsubjects:\n- kind: ServiceAccount\n  name: app\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    for binding in &ctx.inventory.rbac.bindings {
        if binding.target != RoleTarget::Missing {
            continue;
        }
        let place = if binding.role_kind == "Role" {
            format!(" in {}", namespace_phrase(&binding.namespace))
        } else {
            String::new()
        };
        let kind_note = if binding.cluster && binding.role_kind != "ClusterRole" {
            "; a ClusterRoleBinding can only refer to a ClusterRole"
        } else {
            ""
        };
        let built_in = binding.role_name.starts_with("system:")
            || matches!(
                binding.role_name.as_str(),
                "admin" | "edit" | "view" | "extension-apiserver-authentication-reader"
            );
        let origin = if built_in { " (a role Kubernetes creates itself)" } else { "" };
        sink.report(
            binding.object,
            &binding.role_ref,
            message!(
                "{} refers to {}{place}, which is not in the input{origin}: its permissions were not evaluated{kind_note}",
                binding.label(),
                binding.role_label()
            ),
        );
    }
}
