//! Every check kubeward ships, one per file, in one folder per checklist section.
//!
//! A check is declared once (a [`Check`] constant with its metadata, examples
//! and logic) and registered with one line in [`REGISTRY`]; a test fails when a
//! declared check is missing from it.

mod check;
pub(crate) mod network;
pub(crate) mod pod;
pub(crate) mod rbac;
pub(crate) mod structure;

pub use check::Severity;
pub(crate) use check::{Check, CheckMeta, ObjectContext, PodContext, RawFinding, Run, SetContext, SetSink, Sink};

/// All checks, in catalog order. One line per check.
static REGISTRY: &[&Check] = &[
    // 1. Pod security
    &pod::run_as_non_root::CHECK,
    &pod::no_privilege_escalation::CHECK,
    &pod::drop_all_capabilities::CHECK,
    &pod::read_only_root_filesystem::CHECK,
    &pod::seccomp_profile::CHECK,
    &pod::no_host_namespaces::CHECK,
    &pod::resource_limits::CHECK,
    &pod::no_privileged::CHECK,
    &pod::mac_profile::CHECK,
    &pod::numeric_user_id::CHECK,
    // 2. RBAC
    &rbac::cluster_admin_binding::CHECK,
    &rbac::cluster_role_binding_scope::CHECK,
    &rbac::wildcard_permissions::CHECK,
    &rbac::sensitive_grant::SECRETS_READ,
    &rbac::sensitive_grant::POD_EXEC,
    &rbac::sensitive_grant::ESCALATION_VERBS,
    &rbac::sensitive_grant::CREATE_BINDINGS,
    &rbac::sensitive_grant::NODES_PROXY,
    &rbac::sensitive_grant::SERVICE_ACCOUNT_TOKEN,
    &rbac::sensitive_grant::CSR_APPROVAL,
    &rbac::automount_token::CHECK,
    &rbac::default_service_account::CHECK,
    &rbac::deprecated_service_account_field::CHECK,
    &rbac::aggregated_clusterrole::CHECK,
    &rbac::system_group_binding::CHECK,
    &rbac::workload_permissions::CHECK,
    &rbac::legacy_token_secret::CHECK,
    &rbac::role_not_found::CHECK,
    &rbac::workload_in_shared_namespace::CHECK,
    // 3. Network security (and 8.6)
    &network::default_deny::CHECK,
    &network::allow_all::INGRESS,
    &network::allow_all::EGRESS,
    &network::dns_egress::CHECK,
    &network::internet_egress::CHECK,
    &network::workload_not_selected::CHECK,
    &network::service_exposure::CHECK,
    &network::ingress_tls::CHECK,
    &network::ingress_nginx_snippet::CHECK,
    &network::namespace_quotas::CHECK,
    // Manifest structure
    &structure::misplaced_security_field::CHECK,
    &structure::duplicate_object::CHECK,
];

/// Checks whose findings the engine itself produces (no logic of their own to run).
static BUILT_IN: &[&CheckMeta] = &[&structure::INVALID_FIELD, &structure::DUPLICATE_KEY];

pub(crate) fn all() -> &'static [&'static Check] {
    REGISTRY
}

/// Metadata of every check, built-in ones included.
pub(crate) fn all_meta() -> impl Iterator<Item = &'static CheckMeta> {
    REGISTRY.iter().map(|check| &check.meta).chain(BUILT_IN.iter().copied())
}

pub(crate) fn find(id: &str) -> Option<&'static CheckMeta> {
    all_meta().find(|meta| meta.id == id)
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.meta.id).finish_non_exhaustive()
    }
}
