//! The check catalog, versions, and the string free function.

use std::ffi::{c_char, CString};
use std::sync::OnceLock;

use crate::boundary::{boundary, guard, require, text, OwnedString};
use crate::error::{kubeward_error, kubeward_status, Failure};
use crate::KUBEWARD_ABI_VERSION;

/// Returns the catalog of every check as a JSON array (one object per check: `id`,
/// `title`, `severity`, `items`, `section`, `rationale`, `remediation`,
/// `fail_example`, `pass_example`).
///
/// Out-parameters and errors as for `kubeward_engine_scan`; free the string with
/// `kubeward_string_free`.
///
/// # Safety
/// `out_json` is valid for one write; `out_json_len` and `out_error` are NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_checks_json(
    out_json: *mut *mut c_char,
    out_json_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_checks_json", out_error, || {
        require(out_json, "out_json")?;
        let json = serde_json::to_string_pretty(&kubeward::checks()).map_err(|error| {
            Failure::new(kubeward_status::Internal, format!("cannot serialize the catalog: {error}"))
        })?;
        let json = OwnedString::new(json)?;
        // SAFETY: `out_json` checked non-NULL; the caller promises both are valid for one write.
        unsafe { json.write(out_json, out_json_len) };
        Ok(())
    })
}

/// Returns the documentation of the check `id` (length-delimited UTF-8), the text
/// `kubeward explain ID` prints. An unknown id gives `KUBEWARD_STATUS_NOT_FOUND`.
///
/// Out-parameters and errors as for `kubeward_engine_scan`; free the string with
/// `kubeward_string_free`.
///
/// # Safety
/// `id` is readable for `id_len` bytes; `out_text` is valid for one write;
/// `out_text_len` and `out_error` are NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_explain(
    id: *const c_char,
    id_len: usize,
    out_text: *mut *mut c_char,
    out_text_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_explain", out_error, || {
        require(out_text, "out_text")?;
        // SAFETY: the caller promises `id` is readable for `id_len` bytes.
        let id = unsafe { text(id, id_len, "id") }?;
        #[cfg(test)]
        crate::tests::maybe_panic(id);
        let explanation = kubeward::explain(id)
            .ok_or_else(|| Failure::new(kubeward_status::NotFound, format!("unknown check id \"{id}\"")))?;
        let explanation = OwnedString::new(explanation)?;
        // SAFETY: `out_text` checked non-NULL; the caller promises both are valid for one write.
        unsafe { explanation.write(out_text, out_text_len) };
        Ok(())
    })
}

/// Frees a string returned by a `kubeward_` function. NULL is ignored. Each string
/// must be freed exactly once, and only strings the library returned as owned
/// (not `kubeward_version` nor `kubeward_error_message`).
///
/// # Safety
/// `string` is NULL or an owned string returned by this library and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kubeward_string_free(string: *mut c_char) {
    guard((), || {
        if !string.is_null() {
            // SAFETY: owned strings come from `CString::into_raw` and the caller frees them once.
            drop(unsafe { CString::from_raw(string) });
        }
    })
}

/// The library version (for example `"0.1.0"`), a static NUL-terminated string the
/// caller must not free.
#[no_mangle]
pub extern "C" fn kubeward_version() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    guard(c"unknown".as_ptr(), || VERSION.get_or_init(|| CString::new(kubeward::VERSION).unwrap_or_default()).as_ptr())
}

/// The ABI version of the loaded library: `KUBEWARD_ABI_VERSION` as it was when the
/// library was built. Compare it with the header's constant to detect a mismatch.
#[no_mangle]
pub extern "C" fn kubeward_abi_version() -> u32 {
    KUBEWARD_ABI_VERSION
}
