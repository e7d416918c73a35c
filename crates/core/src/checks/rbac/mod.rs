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

use crate::model::view::View;
use crate::model::{Identity, Pod};

/// `pod of Deployment "web"`, or `Pod "web"` for a bare pod, for messages.
pub(crate) fn pod_label(identity: &Identity) -> String {
    if identity.kind == "Pod" {
        identity.label()
    } else {
        format!("pod template of {}", identity.label())
    }
}

/// The service account a pod runs as, and the field that decides it
/// (`serviceAccountName`, the deprecated `serviceAccount`, or the missing
/// `serviceAccountName` when neither is written: the `default` account).
pub(crate) fn service_account<'a>(pod: &Pod<'a>) -> (String, View<'a>) {
    let name = pod.spec.get("serviceAccountName");
    if let Some(value) = name.str().present().filter(|value| !value.is_empty()) {
        return (value.to_string(), name);
    }
    let deprecated = pod.spec.get("serviceAccount");
    if let Some(value) = deprecated.str().present().filter(|value| !value.is_empty()) {
        return (value.to_string(), deprecated);
    }
    ("default".to_string(), name)
}
