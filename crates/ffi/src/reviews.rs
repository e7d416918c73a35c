//! The engine's other evaluations: Pod Security Standards and the RBAC review.
//!
//! Both read a set of named buffers, as `kubeward_engine_scan_many` does (one buffer is
//! a one-element array), and return the core's JSON for the result.

use std::ffi::c_char;

use kubeward::{PssLevel, PssVersion};

use crate::boundary::{boundary, text};
use crate::engine::{json_from_sources, kubeward_engine, kubeward_source};
use crate::error::{kubeward_error, kubeward_status, Failure};

/// Evaluates every object of `sources` against a Pod Security Standards level and
/// version, and returns the JSON result: exactly `kubeward::Engine::pss(..).to_json()`
/// (one entry per object, `applicable`, `allowed` and each violation with its JSON
/// Pointer and range; unreadable input in `errors`).
///
/// `level` is `privileged`, `baseline` or `restricted`; `version` is `latest` or
/// `v1.<minor>` (for example `v1.30`), both length-delimited UTF-8 spelled as in the
/// `pod-security.kubernetes.io/*` namespace labels. Any other value gives
/// `KUBEWARD_STATUS_INVALID_INPUT` with a message naming it. `sources` follows the
/// rules of `kubeward_engine_scan_many`; out-parameters and errors are as for
/// `kubeward_engine_scan`; free the string with `kubeward_string_free`.
///
/// # Safety
/// `engine` is a live engine; `sources` is readable for `sources_len` elements, each of
/// whose buffers is readable for its length; `level` and `version` are readable for
/// their lengths; `out_json` is valid for one write; `out_json_len` and `out_error` are
/// NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_pss(
    engine: *const kubeward_engine,
    sources: *const kubeward_source,
    sources_len: usize,
    level: *const c_char,
    level_len: usize,
    version: *const c_char,
    version_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_pss", out_error, || {
        let produce = |engine: &kubeward::Engine, inputs: &[kubeward::Source<'_>]| {
            // SAFETY: the caller promises `level` is readable for `level_len` bytes.
            let level: PssLevel = unsafe { text(level, level_len, "level") }?.parse().map_err(pss_failure)?;
            // SAFETY: the caller promises `version` is readable for `version_len` bytes.
            let version: PssVersion = unsafe { text(version, version_len, "version") }?.parse().map_err(pss_failure)?;
            Ok(engine.pss(inputs, level, version).to_json())
        };
        // SAFETY: the caller's promises are those `json_from_sources` needs.
        unsafe { json_from_sources(engine, sources, sources_len, out_json, out_json_len, produce) }
    })
}

/// Reviews the RBAC objects of `sources` (Roles, ClusterRoles and their bindings) and
/// returns who can do what as JSON: exactly `kubeward::Engine::rbac_review(..).to_json()`
/// (per subject, each grant with its verbs, resources, namespace or cluster scope, and
/// the binding and role rule it comes from).
///
/// `sources` follows the rules of `kubeward_engine_scan_many`; out-parameters and errors
/// are as for `kubeward_engine_scan`; free the string with `kubeward_string_free`.
///
/// # Safety
/// `engine` is a live engine; `sources` is readable for `sources_len` elements, each of
/// whose buffers is readable for its length; `out_json` is valid for one write;
/// `out_json_len` and `out_error` are NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_rbac_review(
    engine: *const kubeward_engine,
    sources: *const kubeward_source,
    sources_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_rbac_review", out_error, || {
        // SAFETY: the caller's promises are those `json_from_sources` needs.
        unsafe {
            json_from_sources(engine, sources, sources_len, out_json, out_json_len, |engine, inputs| {
                Ok(engine.rbac_review(inputs).to_json())
            })
        }
    })
}

/// A level or version that does not parse is an invalid argument; the core's message
/// names the value and what is expected.
fn pss_failure(error: kubeward::PssParseError) -> Failure {
    Failure::invalid(error.message)
}
