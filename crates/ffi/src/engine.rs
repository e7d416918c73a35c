//! The engine handle and scanning.

use std::ffi::c_char;

use kubeward::{Engine, Source};

use crate::boundary::{boundary, bytes, guard, require, text, OwnedString};
use crate::error::{kubeward_error, kubeward_status, Failure};

/// A configured engine. Opaque to C.
///
/// Created by `kubeward_engine_new`, freed by `kubeward_engine_free`. An engine is
/// immutable once built: one engine may be used by any number of threads at once
/// (every scan takes a `const kubeward_engine *`), as long as none of them frees it
/// while another is still using it.
#[allow(non_camel_case_types)]
pub struct kubeward_engine {
    pub(crate) engine: Engine,
}

/// One named input buffer for `kubeward_engine_scan_many`.
///
/// `name` is length-delimited UTF-8 text (no NUL byte, not empty), used as the file
/// name in the report. `content` is the file's bytes; it need not be UTF-8 (a
/// document that is not becomes an entry of the report's `errors`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
#[allow(non_camel_case_types)]
pub struct kubeward_source {
    /// The file name reported for this buffer (UTF-8, not NUL-terminated).
    pub name: *const c_char,
    /// Length of `name` in bytes.
    pub name_len: usize,
    /// The buffer's bytes.
    pub content: *const u8,
    /// Length of `content` in bytes.
    pub content_len: usize,
}

/// Builds an engine from a configuration text (YAML or JSON, length-delimited UTF-8).
///
/// Pass `config = NULL, config_len = 0` for the default configuration. On success,
/// writes the new engine to `*out_engine` and returns `KUBEWARD_STATUS_OK`. On failure,
/// writes nothing to `*out_engine` and, when `out_error` is not NULL, writes an error
/// object to `*out_error` (a rejected configuration gives `KUBEWARD_STATUS_CONFIG` and
/// an error whose position locates the problem).
///
/// # Safety
/// `config` is NULL or readable for `config_len` bytes; `out_engine` is valid for one
/// write; `out_error` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_new(
    config: *const c_char,
    config_len: usize,
    out_engine: *mut *mut kubeward_engine,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_new", out_error, || {
        require(out_engine, "out_engine")?;
        let engine = if config.is_null() && config_len == 0 {
            Engine::default()
        } else {
            // SAFETY: the caller promises `config` is readable for `config_len` bytes.
            let config = unsafe { text(config, config_len, "config") }?;
            Engine::from_config_text(config).map_err(Failure::from)?
        };
        let engine = engine.with_today(&system_today());
        let engine = Box::into_raw(Box::new(kubeward_engine { engine }));
        // SAFETY: checked non-NULL above; the caller promises it is valid for one write.
        unsafe { out_engine.write(engine) };
        Ok(())
    })
}

/// Builds an engine from a configuration text, as `kubeward_engine_new` does, and
/// the `policies_len` policy files of `policies`: ValidatingAdmissionPolicies (CEL),
/// their bindings and parameter objects, compiled now (see docs/policies.md).
///
/// `policies` may be NULL when `policies_len` is 0. A problem in a policy file
/// gives `KUBEWARD_STATUS_CONFIG` and an error whose message starts with
/// `name:line:column:` and whose position is in that policy file.
///
/// # Safety
/// `config` is NULL or readable for `config_len` bytes; `policies` is NULL or
/// readable for `policies_len` elements, each of whose buffers is readable for its
/// length; `out_engine` is valid for one write; `out_error` is NULL or valid for
/// one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_new_with_policies(
    config: *const c_char,
    config_len: usize,
    policies: *const kubeward_source,
    policies_len: usize,
    out_engine: *mut *mut kubeward_engine,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_new_with_policies", out_error, || {
        require(out_engine, "out_engine")?;
        let config = if config.is_null() && config_len == 0 {
            kubeward::Config::default()
        } else {
            // SAFETY: the caller promises `config` is readable for `config_len` bytes.
            let config = unsafe { text(config, config_len, "config") }?;
            kubeward::Config::from_text(config).map_err(Failure::from)?
        };
        let sources = if policies.is_null() && policies_len == 0 {
            Vec::new()
        } else {
            // SAFETY: the caller promises `policies` is readable for `policies_len`
            // elements whose buffers are readable for their lengths.
            unsafe { read_sources(policies, policies_len) }?
        };
        let engine = Engine::with_policies(config, &sources).map_err(Failure::from)?.with_today(&system_today());
        let engine = Box::into_raw(Box::new(kubeward_engine { engine }));
        // SAFETY: checked non-NULL above; the caller promises it is valid for one write.
        unsafe { out_engine.write(engine) };
        Ok(())
    })
}

/// Today's date (UTC, YYYY-MM-DD) from the system clock: expired exemptions
/// stop applying, unless the configuration sets `today`.
fn system_today() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    kubeward::date_of_unix_time(i64::try_from(seconds).unwrap_or(0))
}

/// Frees an engine. NULL is ignored. Each engine must be freed exactly once, after
/// every scan using it has returned.
///
/// # Safety
/// `engine` is NULL or a pointer from `kubeward_engine_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_free(engine: *mut kubeward_engine) {
    guard((), || {
        if !engine.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` in `kubeward_engine_new`
            // and the caller frees it once.
            drop(unsafe { Box::from_raw(engine) });
        }
    })
}

/// Scans one buffer named `name` and returns the JSON report, each finding with
/// its fixes (as `kubeward scan --format json` gives them).
///
/// On success, writes a NUL-terminated UTF-8 JSON string (the report contract shared
/// by every kubeward door) to `*out_json` and, when `out_json_len` is not NULL, its
/// length in bytes (without the NUL) to `*out_json_len`. Free the string with
/// `kubeward_string_free`. On failure, writes neither and reports as `kubeward_engine_new` does.
///
/// `name` must be non-empty UTF-8 without NUL bytes; `content` must be non-empty but
/// need not be UTF-8.
///
/// # Safety
/// `engine` is a live engine; `name` and `content` are readable for their lengths;
/// `out_json` is valid for one write; `out_json_len` and `out_error` are NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_scan(
    engine: *const kubeward_engine,
    name: *const c_char,
    name_len: usize,
    content: *const u8,
    content_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_scan", out_error, || {
        // SAFETY: the caller promises `engine` is NULL or a live engine.
        let engine = unsafe { engine.as_ref() }.ok_or_else(|| Failure::null("engine"))?;
        require(out_json, "out_json")?;
        // SAFETY: the caller promises both buffers are readable for their lengths.
        let name = unsafe { text(name, name_len, "name") }?;
        // SAFETY: as above.
        let content = unsafe { bytes(content, content_len, "content") }?;
        let json = OwnedString::new(report_json(&engine.engine, &[Source::new(name, content)]))?;
        // SAFETY: `out_json` checked non-NULL; the caller promises both are valid for one write.
        unsafe { json.write(out_json, out_json_len) };
        Ok(())
    })
}

/// Scans `sources_len` named buffers together (one report; cross-object checks see
/// every object) and returns the JSON report, as `kubeward_engine_scan` does.
///
/// Every source is validated first; the first invalid one fails the call and the
/// error message names its index.
///
/// # Safety
/// `engine` is a live engine; `sources` is readable for `sources_len` elements, each
/// of whose buffers is readable for its length; the out-parameters are as for
/// `kubeward_engine_scan`.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_scan_many(
    engine: *const kubeward_engine,
    sources: *const kubeward_source,
    sources_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_scan_many", out_error, || {
        // SAFETY: the caller's promises are those `json_from_sources` needs.
        unsafe {
            json_from_sources(engine, sources, sources_len, out_json, out_json_len, |engine, inputs| {
                Ok(report_json(engine, inputs))
            })
        }
    })
}

/// The JSON report of a scan, with each finding's fixes, as the command line's
/// `--format json` gives it (the report every door returns).
fn report_json(engine: &Engine, sources: &[Source<'_>]) -> String {
    let mut report = engine.scan(sources);
    engine.attach_fixes(sources, &mut report);
    report.to_json()
}

/// The body every entry point over a set of named buffers shares: check the engine
/// and `out_json`, read and validate the sources, let `produce` turn them into JSON,
/// and hand that out.
///
/// # Safety
/// `engine` is NULL or a live engine; `sources` is readable for `sources_len` elements,
/// each of whose buffers is readable for its length; `out_json` is NULL or valid for
/// one write; `out_json_len` is NULL or valid for one write.
pub(crate) unsafe fn json_from_sources(
    engine: *const kubeward_engine,
    sources: *const kubeward_source,
    sources_len: usize,
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
    produce: impl FnOnce(&Engine, &[Source<'_>]) -> Result<String, Failure>,
) -> Result<(), Failure> {
    // SAFETY: the caller promises `engine` is NULL or a live engine.
    let engine = unsafe { engine.as_ref() }.ok_or_else(|| Failure::null("engine"))?;
    require(out_json, "out_json")?;
    // SAFETY: the caller promises `sources` is readable for `sources_len` elements
    // whose buffers are readable for their lengths.
    let inputs = unsafe { read_sources(sources, sources_len) }?;
    let json = OwnedString::new(produce(&engine.engine, &inputs)?)?;
    // SAFETY: `out_json` checked non-NULL; the caller promises both are valid for one write.
    unsafe { json.write(out_json, out_json_len) };
    Ok(())
}

/// Reads `sources_len` named buffers: `sources` must not be NULL nor empty, and every
/// source is validated (its name as text, its content as bytes); the first invalid one
/// fails the call with a message naming its index.
///
/// # Safety
/// When `sources` is not NULL it is readable for `sources_len` elements, each of whose
/// buffers is readable for its length, for `'a`.
pub(crate) unsafe fn read_sources<'a>(
    sources: *const kubeward_source,
    sources_len: usize,
) -> Result<Vec<Source<'a>>, Failure> {
    if sources.is_null() {
        return Err(Failure::null("sources"));
    }
    if sources_len == 0 {
        return Err(Failure::invalid("sources is empty (length 0)"));
    }
    if sources_len > isize::MAX as usize / std::mem::size_of::<kubeward_source>() {
        return Err(Failure::invalid("sources has a length larger than the address space"));
    }
    // SAFETY: non-NULL, length in range, and the caller promises `sources_len`
    // readable elements.
    let raw = unsafe { std::slice::from_raw_parts(sources, sources_len) };
    let mut inputs = Vec::with_capacity(raw.len());
    for (index, source) in raw.iter().enumerate() {
        // SAFETY: the caller promises each source's buffers are readable for their lengths.
        let name = unsafe { text(source.name, source.name_len, &format!("sources[{index}].name")) }?;
        // SAFETY: as above.
        let content = unsafe { bytes(source.content, source.content_len, &format!("sources[{index}].content")) }?;
        inputs.push(Source::new(name, content));
    }
    Ok(inputs)
}
