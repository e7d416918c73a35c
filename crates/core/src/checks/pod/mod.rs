//! Section 1 of the checklist: how each pod and container is allowed to run.

pub(crate) mod dangerous_capabilities;
pub(crate) mod drop_all_capabilities;
pub(crate) mod host_aliases;
pub(crate) mod host_path_volume;
pub(crate) mod mac_profile;
pub(crate) mod no_host_namespaces;
pub(crate) mod no_host_ports;
pub(crate) mod no_privilege_escalation;
pub(crate) mod no_privileged;
pub(crate) mod numeric_user_id;
pub(crate) mod probe_host;
pub(crate) mod pss_namespace_enforcement;
pub(crate) mod pss_namespace_label_values;
pub(crate) mod pss_namespace_labels;
pub(crate) mod read_only_root_filesystem;
pub(crate) mod resource_limits;
pub(crate) mod restricted_volume_types;
pub(crate) mod root_group;
pub(crate) mod run_as_non_root;
pub(crate) mod seccomp_profile;
pub(crate) mod selinux_options;
pub(crate) mod unmasked_proc_mount;
pub(crate) mod unsafe_sysctls;
pub(crate) mod windows_host_process;
