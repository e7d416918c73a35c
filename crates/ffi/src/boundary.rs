//! The panic boundary and the helpers that turn C arguments into Rust values.
//!
//! Every exported function runs its body inside [`boundary`] (calls that can fail)
//! or [`guard`] (accessors and free functions), so no panic unwinds into C.

use std::any::Any;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::slice;

use crate::error::{kubeward_error, kubeward_status, Failure};

/// Runs `body`, catching any panic. On failure, creates an error object in
/// `*out_error` (when `out_error` is not NULL) and returns its status.
///
/// `body` must write its out-parameters only as its last step, once nothing can fail.
pub(crate) fn boundary(
    function: &'static str,
    out_error: *mut *mut kubeward_error,
    body: impl FnOnce() -> Result<(), Failure>,
) -> kubeward_status {
    let result = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|payload| Err(panic_failure(function, payload)));
    match result {
        Ok(()) => kubeward_status::Ok,
        Err(failure) => {
            let status = failure.status;
            if !out_error.is_null() {
                // Building the error object is not expected to panic; if it did, the
                // caller still gets the status, without an error object.
                if let Ok(error) = catch_unwind(|| Box::into_raw(Box::new(kubeward_error::from(failure)))) {
                    // SAFETY: checked non-NULL; the caller promises `out_error` is valid
                    // for the write of one pointer.
                    unsafe { out_error.write(error) };
                }
            }
            status
        }
    }
}

/// Runs an infallible `body`, returning `on_panic` if it panics.
pub(crate) fn guard<T>(on_panic: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(on_panic)
}

fn panic_failure(function: &str, payload: Box<dyn Any + Send>) -> Failure {
    let detail = match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(text), _) => (*text).to_string(),
        (None, Some(text)) => text.clone(),
        (None, None) => "no message".to_string(),
    };
    // Dropping a payload may itself panic: drop it inside a boundary too, and leak the
    // second payload (if any) rather than risk unwinding into C.
    if let Err(second) = catch_unwind(AssertUnwindSafe(move || drop(payload))) {
        std::mem::forget(second);
    }
    Failure::new(kubeward_status::Panic, format!("internal error: {function} panicked ({detail}); please report it"))
}

/// Borrows `len` bytes at `ptr`, rejecting NULL and zero lengths.
///
/// # Safety
/// When `ptr` is not NULL it must be valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize, what: &str) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(what));
    }
    if len == 0 {
        return Err(Failure::invalid(format!("{what} is empty (length 0)")));
    }
    if len > isize::MAX as usize {
        return Err(Failure::invalid(format!("{what} has a length larger than the address space")));
    }
    // SAFETY: `ptr` is non-NULL, `len` is in range, and the caller promises the
    // memory is readable for `len` bytes while the call lasts.
    Ok(unsafe { slice::from_raw_parts(ptr, len) })
}

/// Borrows a length-delimited UTF-8 text: not NULL, not empty, no NUL byte.
///
/// # Safety
/// As for [`bytes`].
pub(crate) unsafe fn text<'a>(ptr: *const c_char, len: usize, what: &str) -> Result<&'a str, Failure> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { bytes(ptr.cast::<u8>(), len, what) }?;
    if let Some(at) = bytes.iter().position(|&byte| byte == 0) {
        return Err(Failure::invalid(format!("{what} contains a NUL byte at offset {at}")));
    }
    std::str::from_utf8(bytes).map_err(|error| {
        Failure::invalid(format!("{what} is not valid UTF-8 (at byte offset {})", error.valid_up_to()))
    })
}

/// Fails when a required out-parameter is NULL.
pub(crate) fn require<T>(out: *mut T, what: &str) -> Result<(), Failure> {
    if out.is_null() {
        Err(Failure::null(what))
    } else {
        Ok(())
    }
}

/// A library-owned C string ready to hand out, with its length in bytes.
pub(crate) struct OwnedString {
    string: CString,
    len: usize,
}

impl OwnedString {
    /// Prepares `text` for C; fails (as a bug) if it holds a NUL byte.
    pub(crate) fn new(text: String) -> Result<Self, Failure> {
        let len = text.len();
        let string = CString::new(text)
            .map_err(|_| Failure::new(kubeward_status::Internal, "output text contains a NUL byte"))?;
        Ok(OwnedString { string, len })
    }

    /// Hands the string to C: writes it to `*out` and its length to `*out_len`
    /// (when `out_len` is not NULL). The caller frees it with `kubeward_string_free`.
    ///
    /// # Safety
    /// `out` is non-NULL and valid for one write; `out_len` is NULL or valid for one write.
    pub(crate) unsafe fn write(self, out: *mut *mut c_char, out_len: *mut usize) {
        if !out_len.is_null() {
            // SAFETY: checked non-NULL; the caller promises it is valid for one write.
            unsafe { out_len.write(self.len) };
        }
        // SAFETY: the caller promises `out` is non-NULL and valid for one write.
        unsafe { out.write(self.string.into_raw()) };
    }
}
