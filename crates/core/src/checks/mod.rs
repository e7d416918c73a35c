//! Every check kubeward ships, one per file, in one folder per checklist section.
//!
//! A check is declared once (a [`Check`] constant with its metadata, examples
//! and logic) and registered with one line in [`REGISTRY`]; a test fails when a
//! declared check is missing from it.

/// `format!` for a finding's message: the text is written into room for a
/// typical message (80-100 bytes) at once, where `format!`, sizing from the
/// literal pieces alone, starts a message that opens with an argument with no
/// room and grows it three or four times; findings are made by the thousand.
macro_rules! message {
    ($($arg:tt)*) => {
        $crate::checks::write_message(format_args!($($arg)*))
    };
}

/// The text of [`message!`]: one function, not code at every call (the
/// WebAssembly build is measured in bytes).
#[inline(never)]
pub(crate) fn write_message(arguments: std::fmt::Arguments<'_>) -> String {
    let mut text = String::with_capacity(128);
    let _ = std::fmt::Write::write_fmt(&mut text, arguments);
    text
}

pub(crate) mod audit;
mod check;
pub(crate) mod cluster;
pub(crate) mod fixes;
pub(crate) mod images;
pub(crate) mod network;
pub(crate) mod pod;
pub(crate) mod rbac;
pub(crate) mod runtime;
pub(crate) mod secrets;
pub(crate) mod structure;

pub(crate) use crate::severity::Severity;
pub(crate) use check::{
    Check, CheckMeta, Judge, ObjectContext, PodContext, RawFinding, Reread, Run, SetContext, SetSink, Sink,
};

/// All checks, in catalog order. One line per check.
static REGISTRY: &[&Check] = &[
    // 1. Pod security
    &pod::pss_namespace_labels::CHECK,
    &pod::pss_namespace_label_values::CHECK,
    &pod::pss_namespace_enforcement::CHECK,
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
    // 1. Pod security: Pod Security Standards controls not covered above
    &pod::host_path_volume::CHECK,
    &pod::no_host_ports::CHECK,
    &pod::dangerous_capabilities::CHECK,
    &pod::unsafe_sysctls::CHECK,
    &pod::unmasked_proc_mount::CHECK,
    &pod::windows_host_process::CHECK,
    &pod::probe_host::CHECK,
    &pod::selinux_options::CHECK,
    &pod::restricted_volume_types::CHECK,
    &pod::root_group::CHECK,
    &pod::host_aliases::CHECK,
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
    // 4. Secrets management
    &secrets::secret_in_env::CHECK,
    &secrets::hardcoded_credential::CHECK,
    &secrets::plain_secret::CHECK,
    &secrets::secret_volume_not_external::CHECK,
    // 5. Image security
    &images::image_registry::CHECK,
    &images::image_digest::CHECK,
    &images::image_latest_tag::CHECK,
    &images::image_pull_policy::CHECK,
    &images::base_image::CHECK,
    &images::frozen_registry::CHECK,
    &images::image_signature_policy::CHECK,
    &images::invalid_image_reference::CHECK,
    // 6. Runtime security and what the cluster runs
    &runtime::service_mesh_mtls::CHECK,
    &runtime::runtime_detection::CHECK,
    &runtime::policy_engine::CHECK,
    &runtime::network_policy_cni::CHECK,
    // 7. Audit and compliance
    &audit::apiserver_audit_log::CHECK,
    &audit::audit_policy::CHECK,
    &audit::deprecated_api_version::CHECK,
    &audit::control_plane_version::CHECK,
    // 8. Control plane and kubelet
    &cluster::apiserver_anonymous_auth::CHECK,
    &cluster::apiserver_authorization_mode::CHECK,
    &cluster::apiserver_admission_plugins::CHECK,
    &cluster::apiserver_encryption_config::CHECK,
    &cluster::encryption_provider::CHECK,
    &cluster::apiserver_oidc::CHECK,
    &cluster::control_plane_profiling::CHECK,
    &cluster::etcd_tls::CHECK,
    &cluster::apiserver_etcd_tls::CHECK,
    &cluster::kubelet_config::CHECK,
    &cluster::dangerous_component::CHECK,
    // Manifest structure
    &structure::misplaced_security_field::CHECK,
    &structure::duplicate_object::CHECK,
];

/// Checks whose findings the engine itself produces (no logic of their own to run).
static BUILT_IN: &[&CheckMeta] = &[
    &structure::INVALID_FIELD,
    &structure::DUPLICATE_KEY,
    &structure::INVALID_EXEMPTION,
    &structure::UNUSED_EXEMPTION,
];

pub(crate) fn all() -> &'static [&'static Check] {
    REGISTRY
}

/// Metadata of every check, built-in ones included.
pub(crate) fn all_meta() -> impl Iterator<Item = &'static CheckMeta> {
    REGISTRY.iter().map(|check| &check.meta).chain(BUILT_IN.iter().copied())
}

/// CIS Kubernetes Benchmark controls (v1.9 numbering) a check implements, by check id.
static CIS: &[(&str, &[&str])] = &[
    (audit::apiserver_audit_log::CHECK.meta.id, audit::apiserver_audit_log::CIS),
    (audit::audit_policy::CHECK.meta.id, audit::audit_policy::CIS),
    (cluster::apiserver_anonymous_auth::CHECK.meta.id, cluster::apiserver_anonymous_auth::CIS),
    (cluster::apiserver_authorization_mode::CHECK.meta.id, cluster::apiserver_authorization_mode::CIS),
    (cluster::apiserver_admission_plugins::CHECK.meta.id, cluster::apiserver_admission_plugins::CIS),
    (cluster::apiserver_encryption_config::CHECK.meta.id, cluster::apiserver_encryption_config::CIS),
    (cluster::encryption_provider::CHECK.meta.id, cluster::encryption_provider::CIS),
    (cluster::apiserver_oidc::CHECK.meta.id, cluster::apiserver_oidc::CIS),
    (cluster::control_plane_profiling::CHECK.meta.id, cluster::control_plane_profiling::CIS),
    (cluster::etcd_tls::CHECK.meta.id, cluster::etcd_tls::CIS),
    (cluster::apiserver_etcd_tls::CHECK.meta.id, cluster::apiserver_etcd_tls::CIS),
    (cluster::kubelet_config::CHECK.meta.id, cluster::kubelet_config::CIS),
    (secrets::secret_in_env::CHECK.meta.id, &["5.4.1"]),
];

/// The CIS Kubernetes Benchmark controls of a check (empty for most).
pub(crate) fn cis(id: &str) -> &'static [&'static str] {
    CIS.iter().find(|(check, _)| *check == id).map_or(&[], |(_, controls)| controls)
}

pub(crate) fn find(id: &str) -> Option<&'static CheckMeta> {
    all_meta().find(|meta| meta.id == id)
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("id", &self.meta.id).finish_non_exhaustive()
    }
}
