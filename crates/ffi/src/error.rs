//! Status codes and the error object handed to C callers.

use std::ffi::{c_char, CString};
use std::ptr;

use crate::boundary::guard;

/// The outcome of a `kubeward_` call that can fail.
///
/// Values are fixed: a value once given a meaning keeps it for the life of the ABI,
/// and new values may be added (treat an unknown non-zero value as a failure).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum kubeward_status {
    /// Success: the out-parameters were written.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullParameter = 1,
    /// An argument was malformed: a zero length, an embedded NUL byte or invalid
    /// UTF-8 in a text argument, a length too large for the platform, an unknown
    /// Pod Security level or version.
    InvalidInput = 2,
    /// The configuration text was rejected (the error object carries its position).
    Config = 3,
    /// The thing asked for does not exist (an unknown check id).
    NotFound = 4,
    /// The library panicked; the panic was caught at the boundary. Please report it.
    Panic = 5,
    /// An internal invariant failed (a bug; please report it).
    Internal = 6,
}

/// A position in a text: 1-based line, 1-based column in Unicode scalar values,
/// and the 0-based byte offset.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(non_camel_case_types)]
pub struct kubeward_position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in Unicode scalar values.
    pub column: u32,
    /// 0-based byte offset.
    pub offset: u32,
}

/// An error: a status, a message and, when known, the position it concerns.
///
/// Opaque to C. Created by a failing `kubeward_` call that was given a non-NULL
/// `out_error`; freed with `kubeward_error_free`.
#[allow(non_camel_case_types)]
pub struct kubeward_error {
    status: kubeward_status,
    message: CString,
    position: Option<kubeward_position>,
}

/// The reason a call failed, before it becomes a [`kubeward_error`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    pub(crate) status: kubeward_status,
    pub(crate) message: String,
    pub(crate) position: Option<kubeward_position>,
}

impl Failure {
    pub(crate) fn new(status: kubeward_status, message: impl Into<String>) -> Self {
        Failure { status, message: message.into(), position: None }
    }

    pub(crate) fn null(what: &str) -> Self {
        Failure::new(kubeward_status::NullParameter, format!("{what} is NULL"))
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Failure::new(kubeward_status::InvalidInput, message)
    }
}

impl From<kubeward::ConfigError> for Failure {
    fn from(error: kubeward::ConfigError) -> Self {
        Failure {
            status: kubeward_status::Config,
            position: error.position.map(|p| kubeward_position { line: p.line, column: p.column, offset: p.offset }),
            message: error.to_string(),
        }
    }
}

impl From<Failure> for kubeward_error {
    fn from(failure: Failure) -> Self {
        // Messages may quote input; a NUL byte cannot be carried in a C string.
        let message = failure.message.replace('\0', "\u{FFFD}");
        kubeward_error {
            status: failure.status,
            message: CString::new(message).unwrap_or_default(),
            position: failure.position,
        }
    }
}

/// The status of `error`; `KUBEWARD_STATUS_NULL_PARAMETER` when `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live pointer returned through an `out_error` parameter.
#[no_mangle]
pub unsafe extern "C" fn kubeward_error_status(error: *const kubeward_error) -> kubeward_status {
    guard(kubeward_status::Panic, || {
        // SAFETY: the caller promises `error` is NULL or a live error object.
        match unsafe { error.as_ref() } {
            Some(error) => error.status,
            None => kubeward_status::NullParameter,
        }
    })
}

/// The message of `error`, a NUL-terminated UTF-8 string; NULL when `error` is NULL.
///
/// The string is borrowed: it stays valid until `kubeward_error_free(error)` and must
/// not be freed by the caller.
///
/// # Safety
/// `error` is NULL or a live pointer returned through an `out_error` parameter.
#[no_mangle]
pub unsafe extern "C" fn kubeward_error_message(error: *const kubeward_error) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: the caller promises `error` is NULL or a live error object.
        match unsafe { error.as_ref() } {
            Some(error) => error.message.as_ptr(),
            None => ptr::null(),
        }
    })
}

/// Writes the position `error` concerns to `*out_position` and returns true, or
/// returns false and writes nothing when the error has no position or an argument is NULL.
///
/// Only configuration errors read from text carry a position.
///
/// # Safety
/// `error` is NULL or a live error object; `out_position` is NULL or valid for one write.
#[no_mangle]
pub unsafe extern "C" fn kubeward_error_position(
    error: *const kubeward_error,
    out_position: *mut kubeward_position,
) -> bool {
    guard(false, || {
        // SAFETY: the caller promises `error` is NULL or a live error object.
        let Some(error) = (unsafe { error.as_ref() }) else {
            return false;
        };
        match (error.position, out_position.is_null()) {
            (Some(position), false) => {
                // SAFETY: checked non-NULL; the caller promises it is valid for one write.
                unsafe { out_position.write(position) };
                true
            }
            _ => false,
        }
    })
}

/// Frees an error object. NULL is ignored. Each error must be freed exactly once.
///
/// # Safety
/// `error` is NULL or a pointer returned through an `out_error` parameter and not yet freed.
#[no_mangle]
pub unsafe extern "C" fn kubeward_error_free(error: *mut kubeward_error) {
    guard((), || {
        if !error.is_null() {
            // SAFETY: the pointer came from `Box::into_raw` in `boundary` and is freed once.
            drop(unsafe { Box::from_raw(error) });
        }
    })
}
