//! Section 7 of the checklist: API server audit logging and the audit policy.

pub(crate) mod apiserver_audit_log;
pub(crate) mod audit_policy;
pub(crate) mod control_plane_version;
pub(crate) mod deprecated_api_version;
