//! Fixes: the chosen fixes of a buffer's findings, applied, as new text.

use std::ffi::c_char;

use kubeward::{FixSafety, Source};

use crate::boundary::{boundary, require, text, OwnedString};
use crate::engine::kubeward_engine;
use crate::error::{kubeward_error, kubeward_status, Failure};

/// Scans `content` (named `name`, UTF-8) and applies the fixes of its findings
/// (see docs/fixes.md), writing the new text to `*out_text` and its length to
/// `*out_text_len`; the text is the input unchanged when nothing applies. Free
/// it with `kubeward_string_free`.
///
/// `which` chooses the fixes: NULL (with `which_len` 0), `"safe"` for every
/// safe fix, `"unsafe"` for the safe and the unsafe ones, or a comma-separated
/// list of check ids for those checks' fixes, safe or unsafe. The fixes of each
/// document are merged and written in its style; Helm-rendered documents and
/// documents that do not parse are left alone. The findings and their edits,
/// one fix at a time, are in the JSON report of `kubeward scan --format json`.
///
/// # Safety
/// `engine` is a live engine; `name` and `content` are readable for their
/// lengths; `which` is NULL or readable for `which_len` bytes; `out_text` is
/// valid for one write; `out_text_len` and `out_error` are NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_engine_fix(
    engine: *const kubeward_engine,
    name: *const c_char,
    name_len: usize,
    content: *const c_char,
    content_len: usize,
    which: *const c_char,
    which_len: usize,
    out_text: *mut *mut c_char,
    out_text_len: *mut usize,
    out_error: *mut *mut kubeward_error,
) -> kubeward_status {
    boundary("kubeward_engine_fix", out_error, || {
        // SAFETY: the caller promises `engine` is NULL or a live engine.
        let engine = unsafe { engine.as_ref() }.ok_or_else(|| Failure::null("engine"))?;
        require(out_text, "out_text")?;
        // SAFETY: the caller promises the buffers are readable for their lengths.
        let name = unsafe { text(name, name_len, "name") }?;
        // SAFETY: as above.
        let content = unsafe { text(content, content_len, "content") }?;
        let which = if which.is_null() && which_len == 0 {
            "safe"
        } else {
            // SAFETY: as above.
            unsafe { text(which, which_len, "which") }?
        };
        let checks: Vec<&str> = which.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
        for check in &checks {
            if !matches!(*check, "safe" | "unsafe") && kubeward::explain(check).is_none() {
                return Err(Failure::new(kubeward_status::NotFound, format!("unknown check `{check}` in which")));
            }
        }
        let choose = |check: &str, safety: FixSafety| match which {
            "safe" => safety == FixSafety::Safe,
            "unsafe" => matches!(safety, FixSafety::Safe | FixSafety::Unsafe),
            _ => safety != FixSafety::Exemption && checks.contains(&check),
        };
        let report = engine.engine.scan(&[Source::new(name, content.as_bytes())]);
        let fixed = engine.engine.apply_fixes(name, content, &report, &choose).text;
        let fixed = OwnedString::new(fixed)?;
        // SAFETY: `out_text` checked non-NULL; the caller promises both are valid for one write.
        unsafe { fixed.write(out_text, out_text_len) };
        Ok(())
    })
}
