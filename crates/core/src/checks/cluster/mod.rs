//! Section 8 (and 3.7, 3.8, 4.1, 7.2) of the checklist: how the control plane
//! and the kubelet are configured, and what the cluster runs.

pub(crate) mod apiserver_admission_plugins;
pub(crate) mod apiserver_anonymous_auth;
pub(crate) mod apiserver_authorization_mode;
pub(crate) mod apiserver_encryption_config;
pub(crate) mod apiserver_etcd_tls;
pub(crate) mod apiserver_oidc;
pub(crate) mod control_plane_profiling;
pub(crate) mod dangerous_component;
pub(crate) mod encryption_provider;
pub(crate) mod etcd_tls;
pub(crate) mod flags;
pub(crate) mod kubelet_config;
