//! Section 4 of the checklist: secrets kept out of manifests, environment
//! variables and Git.

pub(crate) mod detect;
pub(crate) mod hardcoded_credential;
pub(crate) mod plain_secret;
pub(crate) mod secret_in_env;
pub(crate) mod secret_volume_not_external;
