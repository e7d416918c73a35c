//! No bindings to anonymous, all-authenticated or superuser groups (item 2.2).

use crate::checks::{Check, CheckMeta, Run, SetContext, SetSink, Severity};
use crate::inventory::rbac::SubjectKind;

pub(crate) const CHECK: Check = Check {
    meta: CheckMeta {
        id: "binding-to-system-group",
        title: "Binding to an anonymous, all-users or superuser subject",
        severity: Severity::High,
        items: &[],
        section: "rbac",
        rationale: "`system:anonymous` and `system:unauthenticated` are anyone who can reach the API server; \
            `system:authenticated` is every identity the cluster knows, every service account included. \
            `system:masters` bypasses RBAC entirely, so binding it is a sign that superuser access is being \
            handed out by other means.",
        remediation: "Bind roles to named users, groups from the identity provider, or specific service accounts.",
        fail_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: open\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: Group\n  name: system:unauthenticated\n  apiGroup: rbac.authorization.k8s.io\n",
        pass_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: viewers\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n- kind: Group\n  name: sre\n  apiGroup: rbac.authorization.k8s.io\n",
    },
    run: Run::Set(run),
};

fn run(ctx: &SetContext<'_, '_>, sink: &mut SetSink) {
    for binding in &ctx.inventory.rbac.bindings {
        // Kubernetes' own bootstrap bindings (system:public-info-viewer, system:discovery, ...) are by design.
        if binding.name.starts_with("system:") {
            continue;
        }
        for subject in binding.subjects.iter().filter(|s| s.kind != SubjectKind::ServiceAccount) {
            let (severity, who) = match subject.name.as_str() {
                "system:anonymous" => (Severity::Critical, "anonymous requests"),
                "system:unauthenticated" => (Severity::Critical, "every unauthenticated request"),
                "system:authenticated" => {
                    (Severity::High, "every authenticated identity, every service account included")
                }
                "system:masters" => (Severity::Medium, "the superuser group, which RBAC never restricts"),
                _ => continue,
            };
            sink.report_with_severity(
                binding.object,
                &subject.view,
                Some(severity),
                message!("{} grants {} to {} ({who})", binding.label(), binding.role_label(), subject.label()),
            );
        }
    }
}
