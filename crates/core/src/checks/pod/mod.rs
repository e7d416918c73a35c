//! Section 1 of the checklist: how each pod and container is allowed to run.

pub(crate) mod drop_all_capabilities;
pub(crate) mod mac_profile;
pub(crate) mod no_host_namespaces;
pub(crate) mod no_privilege_escalation;
pub(crate) mod no_privileged;
pub(crate) mod numeric_user_id;
pub(crate) mod read_only_root_filesystem;
pub(crate) mod resource_limits;
pub(crate) mod run_as_non_root;
pub(crate) mod seccomp_profile;
