//! Section 2 of the checklist: RBAC, service accounts and who can do what.

pub(crate) mod aggregated_clusterrole;
pub(crate) mod automount_token;
pub(crate) mod cluster_admin_binding;
pub(crate) mod cluster_role_binding_scope;
pub(crate) mod default_service_account;
pub(crate) mod deprecated_service_account_field;
pub(crate) mod legacy_token_secret;
pub(crate) mod role_not_found;
pub(crate) mod sensitive_grant;
pub(crate) mod system_group_binding;
pub(crate) mod wildcard_permissions;
pub(crate) mod workload_in_shared_namespace;
pub(crate) mod workload_permissions;

use crate::model::Identity;

/// `pod template of Deployment "web"`, `Pod "web"` for a bare pod, or `pod
/// template "Worker" of MPIJob "pi"` for one of several pods (named `pod`), for messages.
pub(crate) fn pod_label(identity: &Identity, pod: Option<&str>) -> String {
    if pod.is_some() {
        crate::model::pod::subject(identity, pod)
    } else if identity.kind == "Pod" {
        identity.label()
    } else {
        format!("pod template of {}", identity.label())
    }
}
