//! The C door through its Rust signatures: arbitrary lengths and bytes for names,
//! contents, configurations and check ids. No call may panic (a panic status is a
//! crash), out-parameters are written only on success, a scan's JSON is exactly
//! the core's report, and every allocation is freed through its free function.
#![no_main]

use std::ffi::{c_char, CStr};
use std::ptr;

use arbitrary::{Arbitrary, Unstructured};
use kubeward::{Engine, Source};
use kubeward_ffi::*;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    config: Option<&'a [u8]>,
    name: &'a [u8],
    sources: Vec<(&'a [u8], &'a [u8])>,
    content: &'a [u8],
    explain_id: &'a [u8],
    /// Lengths passed with NULL pointers (must be rejected, never read).
    null_len: u8,
}

/// Takes an error object, checks it and frees it.
unsafe fn take_error(status: kubeward_status, error: *mut kubeward_error) {
    assert_ne!(status, kubeward_status::Panic, "a call panicked");
    assert_ne!(status, kubeward_status::Ok);
    assert!(!error.is_null(), "a failure without an error object");
    unsafe {
        assert_eq!(kubeward_error_status(error), status);
        let message = CStr::from_ptr(kubeward_error_message(error));
        assert!(!message.to_bytes().is_empty());
        let mut position = kubeward_position { line: 0, column: 0, offset: 0 };
        if kubeward_error_position(error, &mut position) {
            assert!(position.line >= 1 && position.column >= 1);
        }
        kubeward_error_free(error);
    }
}

/// Takes a returned string, checks its length and NUL, and frees it.
unsafe fn take_string(text: *mut c_char, len: usize) -> Vec<u8> {
    assert!(!text.is_null());
    let bytes = unsafe { CStr::from_ptr(text) }.to_bytes().to_vec();
    assert_eq!(bytes.len(), len, "reported length disagrees with the NUL");
    unsafe { kubeward_string_free(text) };
    bytes
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else { return };
    unsafe {
        // The engine.
        let mut engine: *mut kubeward_engine = ptr::null_mut();
        let mut error: *mut kubeward_error = ptr::null_mut();
        let (config_ptr, config_len) = match input.config {
            Some(config) => (config.as_ptr().cast::<c_char>(), config.len()),
            None => (ptr::null(), 0),
        };
        let status = kubeward_engine_new(config_ptr, config_len, &mut engine, &mut error);
        let core_engine = match input.config {
            None => Some(Engine::default()),
            Some(config) => std::str::from_utf8(config)
                .ok()
                .filter(|text| !text.is_empty() && !text.contains('\0'))
                .and_then(|text| Engine::from_config_text(text).ok()),
        };
        if status == kubeward_status::Ok {
            assert!(error.is_null(), "error written on success");
            assert!(!engine.is_null());
            assert!(core_engine.is_some(), "the C door accepted a configuration the core refuses");
        } else {
            assert!(engine.is_null(), "engine written on failure");
            take_error(status, error);
            assert!(core_engine.is_none() || input.config.is_some_and(|c| c.is_empty()));
            engine = ptr::null_mut();
            let status = kubeward_engine_new(ptr::null(), 0, &mut engine, ptr::null_mut());
            assert_eq!(status, kubeward_status::Ok);
        }
        let core_engine = core_engine.unwrap_or_default();

        // One buffer.
        let mut json: *mut c_char = ptr::null_mut();
        let mut json_len = 0usize;
        let mut error: *mut kubeward_error = ptr::null_mut();
        let status = kubeward_engine_scan(
            engine,
            input.name.as_ptr().cast(),
            input.name.len(),
            input.content.as_ptr(),
            input.content.len(),
            &mut json,
            &mut json_len,
            &mut error,
        );
        let name_ok = std::str::from_utf8(input.name).ok().filter(|n| !n.is_empty() && !n.contains('\0'));
        if status == kubeward_status::Ok {
            let name = name_ok.expect("the C door accepted a bad name");
            assert!(!input.content.is_empty());
            let bytes = take_string(json, json_len);
            let expected = core_engine.scan(&[Source::new(name, input.content)]).to_json();
            assert_eq!(bytes, expected.as_bytes(), "the C door's report differs from the core's");
        } else {
            assert!(json.is_null(), "out_json written on failure");
            take_error(status, error);
            assert!(name_ok.is_none() || input.content.is_empty());
        }

        // Many buffers, including NULL pointers with non-zero lengths.
        let mut sources: Vec<kubeward_source> = input
            .sources
            .iter()
            .map(|(name, content)| kubeward_source {
                name: name.as_ptr().cast(),
                name_len: name.len(),
                content: content.as_ptr(),
                content_len: content.len(),
            })
            .collect();
        if input.null_len % 5 == 1 {
            sources.push(kubeward_source {
                name: ptr::null(),
                name_len: usize::from(input.null_len),
                content: ptr::null(),
                content_len: usize::from(input.null_len),
            });
        }
        let mut json: *mut c_char = ptr::null_mut();
        let mut error: *mut kubeward_error = ptr::null_mut();
        let sources_ptr = if sources.is_empty() { ptr::null() } else { sources.as_ptr() };
        let status =
            kubeward_engine_scan_many(engine, sources_ptr, sources.len(), &mut json, ptr::null_mut(), &mut error);
        if status == kubeward_status::Ok {
            let len = CStr::from_ptr(json).to_bytes().len();
            let bytes = take_string(json, len);
            let names: Vec<&str> = input.sources.iter().map(|(n, _)| std::str::from_utf8(n).expect("valid")).collect();
            let core: Vec<Source<'_>> =
                input.sources.iter().zip(&names).map(|((_, content), name)| Source::new(name, content)).collect();
            assert_eq!(bytes, core_engine.scan(&core).to_json().as_bytes());
        } else {
            assert!(json.is_null(), "out_json written on failure");
            take_error(status, error);
        }

        // A NULL pointer with a length is refused, never read.
        let mut json: *mut c_char = ptr::null_mut();
        let status = kubeward_engine_scan(
            engine,
            ptr::null(),
            usize::from(input.null_len),
            ptr::null(),
            usize::from(input.null_len),
            &mut json,
            ptr::null_mut(),
            ptr::null_mut(),
        );
        assert_ne!(status, kubeward_status::Ok);
        assert_ne!(status, kubeward_status::Panic);
        assert!(json.is_null());

        // The catalog.
        let mut text: *mut c_char = ptr::null_mut();
        let mut text_len = 0usize;
        let mut error: *mut kubeward_error = ptr::null_mut();
        let status = kubeward_explain(
            input.explain_id.as_ptr().cast(),
            input.explain_id.len(),
            &mut text,
            &mut text_len,
            &mut error,
        );
        if status == kubeward_status::Ok {
            let id = std::str::from_utf8(input.explain_id).expect("explained a non-UTF-8 id");
            let bytes = take_string(text, text_len);
            assert_eq!(Some(String::from_utf8(bytes).expect("UTF-8")), kubeward::explain(id));
        } else {
            assert!(text.is_null());
            take_error(status, error);
        }

        kubeward_engine_free(engine);
    }
});
