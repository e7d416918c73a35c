//! Checks on how a manifest is written rather than what it asks for.

pub(crate) mod duplicate_key;
pub(crate) mod duplicate_object;
pub(crate) mod exemption;
pub(crate) mod invalid_field;
pub(crate) mod misplaced_security_field;

pub(crate) use duplicate_key::{duplicate_keys, DUPLICATE_KEY};
pub(crate) use exemption::{INVALID_EXEMPTION, UNUSED_EXEMPTION};
pub(crate) use invalid_field::{invalid_fields, INVALID_FIELD};
