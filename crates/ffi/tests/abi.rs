//! The C ABI called as C would call it: results equal the core's, and every safety
//! rule of the door (NULL pointers, zero lengths, NUL bytes, invalid UTF-8, out-params
//! written only on success, many threads on one engine) holds.

use std::ffi::{c_char, CStr};
use std::ptr;

use kubeward_ffi::*;

const MANIFEST: &[u8] = include_bytes!("../../../examples/manifests/insecure/shop.yaml");
const RBAC: &[u8] = include_bytes!("../../../examples/rbac-network/insecure/rbac.yaml");
const POD: &[u8] =
    b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\nspec:\n  containers:\n  - name: db\n    image: postgres\n";

/// A failed call, read back from its error object.
#[derive(Debug)]
struct Error {
    status: kubeward_status,
    message: String,
    position: Option<kubeward_position>,
}

/// Takes ownership of an error object, reads it and frees it.
fn take_error(status: kubeward_status, error: *mut kubeward_error) -> Error {
    assert_ne!(status, kubeward_status::Ok);
    assert!(!error.is_null(), "a failure with out_error must create an error object");
    // SAFETY: `error` is a live error object, freed once here.
    unsafe {
        assert_eq!(kubeward_error_status(error), status);
        let message = CStr::from_ptr(kubeward_error_message(error)).to_str().expect("UTF-8 message").to_string();
        let mut position = kubeward_position::default();
        let position = kubeward_error_position(error, &mut position).then_some(position);
        kubeward_error_free(error);
        Error { status, message, position }
    }
}

/// Takes ownership of an owned string, checks its length (when one was asked for),
/// copies it and frees it.
fn take_string(string: *mut c_char, len: Option<usize>) -> String {
    assert!(!string.is_null());
    // SAFETY: `string` is an owned, NUL-terminated string, freed once here.
    unsafe {
        let text = CStr::from_ptr(string).to_str().expect("UTF-8 output").to_string();
        if let Some(len) = len {
            assert_eq!(text.len(), len);
        }
        kubeward_string_free(string);
        text
    }
}

/// A sentinel that must survive a failed call untouched.
fn sentinel<T>() -> *mut T {
    std::ptr::dangling_mut::<T>()
}

struct Engine(*mut kubeward_engine);

// SAFETY: the door documents that an engine may be used from many threads at once.
unsafe impl Send for Engine {}
// SAFETY: as above.
unsafe impl Sync for Engine {}

impl Engine {
    fn new(config: Option<&[u8]>) -> Result<Engine, Error> {
        let (text, len) = config.map_or((ptr::null(), 0), |c| (c.as_ptr().cast(), c.len()));
        let mut engine = sentinel();
        let mut error = ptr::null_mut();
        // SAFETY: valid buffer and out-pointers.
        let status = unsafe { kubeward_engine_new(text, len, &mut engine, &mut error) };
        if status == kubeward_status::Ok {
            assert!(error.is_null());
            Ok(Engine(engine))
        } else {
            assert_eq!(engine, sentinel(), "out_engine written on failure");
            Err(take_error(status, error))
        }
    }

    fn scan_raw(
        &self,
        name: *const c_char,
        name_len: usize,
        content: *const u8,
        content_len: usize,
    ) -> Result<String, Error> {
        let mut json = sentinel();
        let mut len = 12345usize;
        let mut error = ptr::null_mut();
        // SAFETY: live engine; the buffers are valid or deliberately NULL.
        let status = unsafe {
            kubeward_engine_scan(self.0, name, name_len, content, content_len, &mut json, &mut len, &mut error)
        };
        if status == kubeward_status::Ok {
            Ok(take_string(json, Some(len)))
        } else {
            assert_eq!((json, len), (sentinel(), 12345), "out-params written on failure");
            Err(take_error(status, error))
        }
    }

    fn scan(&self, name: &[u8], content: &[u8]) -> Result<String, Error> {
        self.scan_raw(name.as_ptr().cast(), name.len(), content.as_ptr(), content.len())
    }

    fn scan_many(&self, sources: &[kubeward_source]) -> Result<String, Error> {
        let mut json = sentinel();
        let mut error = ptr::null_mut();
        // SAFETY: live engine; `sources` is a valid slice.
        let status = unsafe {
            kubeward_engine_scan_many(self.0, sources.as_ptr(), sources.len(), &mut json, ptr::null_mut(), &mut error)
        };
        if status == kubeward_status::Ok {
            Ok(take_string(json, None))
        } else {
            assert_eq!(json, sentinel());
            Err(take_error(status, error))
        }
    }

    /// Calls `kubeward_engine_pss` with the given pointers (which may be NULL on purpose).
    #[allow(clippy::too_many_arguments)]
    fn pss_raw(
        &self,
        sources: *const kubeward_source,
        sources_len: usize,
        level: *const c_char,
        level_len: usize,
        version: *const c_char,
        version_len: usize,
    ) -> Result<String, Error> {
        let mut json = sentinel();
        let mut len = 12345usize;
        let mut error = ptr::null_mut();
        // SAFETY: live engine; the buffers are valid or deliberately NULL.
        let status = unsafe {
            kubeward_engine_pss(
                self.0,
                sources,
                sources_len,
                level,
                level_len,
                version,
                version_len,
                &mut json,
                &mut len,
                &mut error,
            )
        };
        if status == kubeward_status::Ok {
            assert!(error.is_null());
            Ok(take_string(json, Some(len)))
        } else {
            assert_eq!((json, len), (sentinel(), 12345), "out-params written on failure");
            Err(take_error(status, error))
        }
    }

    fn pss(&self, sources: &[kubeward_source], level: &str, version: &str) -> Result<String, Error> {
        self.pss_raw(
            sources.as_ptr(),
            sources.len(),
            level.as_ptr().cast(),
            level.len(),
            version.as_ptr().cast(),
            version.len(),
        )
    }

    fn rbac_review(&self, sources: &[kubeward_source]) -> Result<String, Error> {
        let mut json = sentinel();
        let mut len = 12345usize;
        let mut error = ptr::null_mut();
        // SAFETY: live engine; `sources` is a valid slice.
        let status = unsafe {
            kubeward_engine_rbac_review(self.0, sources.as_ptr(), sources.len(), &mut json, &mut len, &mut error)
        };
        if status == kubeward_status::Ok {
            assert!(error.is_null());
            Ok(take_string(json, Some(len)))
        } else {
            assert_eq!((json, len), (sentinel(), 12345), "out-params written on failure");
            Err(take_error(status, error))
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        // SAFETY: the engine is freed once.
        unsafe { kubeward_engine_free(self.0) };
    }
}

fn source(name: &[u8], content: &[u8]) -> kubeward_source {
    kubeward_source {
        name: name.as_ptr().cast(),
        name_len: name.len(),
        content: content.as_ptr(),
        content_len: content.len(),
    }
}

fn expected(sources: &[(&str, &[u8])]) -> String {
    let sources: Vec<_> = sources.iter().map(|(name, content)| kubeward::Source::new(name, content)).collect();
    let engine = kubeward::Engine::default();
    let mut report = engine.scan(&sources);
    engine.attach_fixes(&sources, &mut report);
    report.to_json()
}

fn core_sources<'a>(sources: &[(&'a str, &'a [u8])]) -> Vec<kubeward::Source<'a>> {
    sources.iter().map(|(name, content)| kubeward::Source::new(name, content)).collect()
}

fn expected_pss(sources: &[(&str, &[u8])], level: &str, version: &str) -> String {
    let (level, version) = (level.parse().unwrap(), version.parse().unwrap());
    kubeward::Engine::default().pss(&core_sources(sources), level, version).to_json()
}

fn expected_rbac(sources: &[(&str, &[u8])]) -> String {
    kubeward::Engine::default().rbac_review(&core_sources(sources)).to_json()
}

#[test]
fn default_engine_report_equals_the_core_report() {
    let engine = Engine::new(None).unwrap();
    let report = engine.scan(b"shop.yaml", MANIFEST).unwrap();
    assert_eq!(report, expected(&[("shop.yaml", MANIFEST)]));
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    let checks: Vec<&str> = json["findings"].as_array().unwrap().iter().map(|f| f["check"].as_str().unwrap()).collect();
    assert!(checks.contains(&"no-privileged"), "{checks:?}");
}

#[test]
fn configuration_text_is_applied() {
    let engine = Engine::new(Some(b"checks:\n  no-privileged:\n    enabled: false\n")).unwrap();
    let report = engine.scan(b"d.yaml", MANIFEST).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["check"] != "no-privileged"));
}

#[test]
fn a_bad_configuration_is_an_error_with_a_position() {
    let error = Engine::new(Some(b"checks:\n  no-privileged:\n    enabled: false\nbogus: 1\n")).err().unwrap();
    assert_eq!(error.status, kubeward_status::Config);
    assert!(error.message.contains("bogus"), "{}", error.message);
    let position = error.position.expect("a position");
    assert_eq!(position.line, 4, "{error:?}");
    assert_eq!(position.column, 1, "{error:?}");
    assert_eq!(position.offset, 44, "{error:?}");
}

#[test]
fn configuration_text_rules() {
    // A pointer with a zero length is an error (NULL, 0 means the default).
    let error = Engine::new(Some(b"")).err().unwrap();
    assert_eq!(error.status, kubeward_status::InvalidInput);
    // NULL with a length.
    let mut engine = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: NULL config with a length is what is being tested; out-pointers valid.
    let status = unsafe { kubeward_engine_new(ptr::null(), 3, &mut engine, &mut error) };
    assert_eq!(engine, sentinel());
    let error = take_error(status, error);
    assert_eq!(error.status, kubeward_status::NullParameter);
    assert!(error.message.contains("config"), "{}", error.message);
    // Embedded NUL and invalid UTF-8.
    assert_eq!(Engine::new(Some(b"checks: {}\0")).err().unwrap().status, kubeward_status::InvalidInput);
    let error = Engine::new(Some(b"checks: {}\n# \xff\n")).err().unwrap();
    assert_eq!(error.status, kubeward_status::InvalidInput);
    assert!(error.message.contains("UTF-8"), "{}", error.message);
    // NULL out_engine.
    let mut error = ptr::null_mut();
    // SAFETY: NULL out_engine is what is being tested.
    let status = unsafe { kubeward_engine_new(ptr::null(), 0, ptr::null_mut(), &mut error) };
    assert!(take_error(status, error).message.contains("out_engine"));
    // No out_error: the status alone.
    // SAFETY: as above, without an error object.
    let status = unsafe { kubeward_engine_new(ptr::null(), 0, ptr::null_mut(), ptr::null_mut()) };
    assert_eq!(status, kubeward_status::NullParameter);
}

#[test]
fn scan_rejects_null_pointers_and_zero_lengths() {
    let engine = Engine::new(None).unwrap();
    let name = b"a.yaml";
    let null_name = engine.scan_raw(ptr::null(), 6, MANIFEST.as_ptr(), MANIFEST.len()).err().unwrap();
    assert_eq!((null_name.status, null_name.message.as_str()), (kubeward_status::NullParameter, "name is NULL"));
    let null_content = engine.scan_raw(name.as_ptr().cast(), name.len(), ptr::null(), 5).err().unwrap();
    assert_eq!(null_content.status, kubeward_status::NullParameter);
    assert_eq!(engine.scan(b"", MANIFEST).err().unwrap().status, kubeward_status::InvalidInput);
    assert_eq!(engine.scan(name, b"").err().unwrap().status, kubeward_status::InvalidInput);

    let mut json = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: NULL engine is what is being tested; other arguments valid.
    let status = unsafe {
        kubeward_engine_scan(
            ptr::null(),
            name.as_ptr().cast(),
            6,
            MANIFEST.as_ptr(),
            MANIFEST.len(),
            &mut json,
            ptr::null_mut(),
            &mut error,
        )
    };
    assert_eq!(json, sentinel());
    assert_eq!(take_error(status, error).message, "engine is NULL");
    let mut error = ptr::null_mut();
    // SAFETY: NULL out_json is what is being tested.
    let status = unsafe {
        kubeward_engine_scan(
            engine.0,
            name.as_ptr().cast(),
            6,
            MANIFEST.as_ptr(),
            MANIFEST.len(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut error,
        )
    };
    assert_eq!(take_error(status, error).message, "out_json is NULL");
}

#[test]
fn names_must_be_utf8_without_nul() {
    let engine = Engine::new(None).unwrap();
    let error = engine.scan(b"a\0b.yaml", MANIFEST).err().unwrap();
    assert_eq!(error.status, kubeward_status::InvalidInput);
    assert_eq!(error.message, "name contains a NUL byte at offset 1");
    let error = engine.scan(b"caf\xe9.yaml", MANIFEST).err().unwrap();
    assert_eq!(error.status, kubeward_status::InvalidInput);
    assert_eq!(error.message, "name is not valid UTF-8 (at byte offset 3)");
    // Non-ASCII UTF-8 names are fine.
    assert!(engine.scan("café.yaml".as_bytes(), MANIFEST).is_ok());
}

#[test]
fn non_utf8_manifest_bytes_become_document_errors() {
    let engine = Engine::new(None).unwrap();
    let content = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\xfe\n";
    let report = engine.scan(b"bad.yaml", content).unwrap();
    assert_eq!(report, expected(&[("bad.yaml", content)]));
    let json: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert!(!json["errors"].as_array().unwrap().is_empty(), "{report}");
    // Embedded NUL bytes in contents are not a door error either.
    let with_nul = b"apiVersion: v1\nkind: Pod\0\n";
    assert_eq!(engine.scan(b"nul.yaml", with_nul).unwrap(), expected(&[("nul.yaml", with_nul)]));
}

#[test]
fn scan_many_equals_the_core_and_names_the_bad_source() {
    let engine = Engine::new(None).unwrap();
    let report = engine.scan_many(&[source(b"pod.yaml", POD), source(b"deploy.yaml", MANIFEST)]).unwrap();
    assert_eq!(report, expected(&[("deploy.yaml", MANIFEST), ("pod.yaml", POD)]));

    let error = engine.scan_many(&[source(b"pod.yaml", POD), source(b"x\0", MANIFEST)]).err().unwrap();
    assert_eq!(error.message, "sources[1].name contains a NUL byte at offset 1");
    let error = engine.scan_many(&[source(b"pod.yaml", b"")]).err().unwrap();
    assert_eq!(error.message, "sources[0].content is empty (length 0)");
    let null_content =
        kubeward_source { name: b"n".as_ptr().cast(), name_len: 1, content: ptr::null(), content_len: 0 };
    assert_eq!(engine.scan_many(&[null_content]).err().unwrap().status, kubeward_status::NullParameter);
    assert_eq!(engine.scan_many(&[]).err().unwrap().message, "sources is empty (length 0)");

    let mut json = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: NULL sources is what is being tested.
    let status = unsafe { kubeward_engine_scan_many(engine.0, ptr::null(), 2, &mut json, ptr::null_mut(), &mut error) };
    assert_eq!(json, sentinel());
    assert_eq!(take_error(status, error).message, "sources is NULL");
}

#[test]
fn catalog_explain_and_versions() {
    let mut json = sentinel();
    let mut len = 0;
    // SAFETY: valid out-pointers.
    let status = unsafe { kubeward_checks_json(&mut json, &mut len, ptr::null_mut()) };
    assert_eq!(status, kubeward_status::Ok);
    let catalog: serde_json::Value = serde_json::from_str(&take_string(json, Some(len))).unwrap();
    assert_eq!(catalog, serde_json::to_value(kubeward::checks()).unwrap());

    let id = "no-privileged";
    let mut text = sentinel();
    // SAFETY: valid id and out-pointers.
    let status = unsafe { kubeward_explain(id.as_ptr().cast(), id.len(), &mut text, ptr::null_mut(), ptr::null_mut()) };
    assert_eq!(status, kubeward_status::Ok);
    assert_eq!(take_string(text, None), kubeward::explain(id).unwrap());

    let unknown = "no-such-check";
    let mut text = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: valid id and out-pointers.
    let status =
        unsafe { kubeward_explain(unknown.as_ptr().cast(), unknown.len(), &mut text, ptr::null_mut(), &mut error) };
    assert_eq!(text, sentinel());
    let error = take_error(status, error);
    assert_eq!(
        (error.status, error.message.as_str()),
        (kubeward_status::NotFound, "unknown check id \"no-such-check\"")
    );
    assert!(error.position.is_none());
    // SAFETY: NULL id / NULL out_text are what is being tested.
    unsafe {
        assert_eq!(
            kubeward_explain(ptr::null(), 0, &mut text, ptr::null_mut(), ptr::null_mut()),
            kubeward_status::NullParameter
        );
        assert_eq!(
            kubeward_explain(id.as_ptr().cast(), id.len(), ptr::null_mut(), ptr::null_mut(), ptr::null_mut()),
            kubeward_status::NullParameter
        );
        assert_eq!(
            kubeward_checks_json(ptr::null_mut(), ptr::null_mut(), ptr::null_mut()),
            kubeward_status::NullParameter
        );
    }

    // SAFETY: `kubeward_version` returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(kubeward_version()) };
    assert_eq!(version.to_str().unwrap(), kubeward::VERSION);
    assert_eq!(kubeward_abi_version(), KUBEWARD_ABI_VERSION);
}

#[test]
fn accessors_and_free_functions_accept_null() {
    // SAFETY: NULL is documented as accepted by each of these.
    unsafe {
        kubeward_engine_free(ptr::null_mut());
        kubeward_string_free(ptr::null_mut());
        kubeward_error_free(ptr::null_mut());
        assert_eq!(kubeward_error_status(ptr::null()), kubeward_status::NullParameter);
        assert!(kubeward_error_message(ptr::null()).is_null());
        let mut position = kubeward_position::default();
        assert!(!kubeward_error_position(ptr::null(), &mut position));
    }
    // A positioned error with a NULL out_position writes nothing and says so.
    let mut engine = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: valid config buffer and out-pointers.
    let status = unsafe { kubeward_engine_new(b"bogus: 1".as_ptr().cast(), 8, &mut engine, &mut error) };
    assert_eq!(status, kubeward_status::Config);
    // SAFETY: `error` is live; NULL out_position is what is being tested.
    unsafe {
        assert!(!kubeward_error_position(error, ptr::null_mut()));
        kubeward_error_free(error);
    }
}

#[test]
fn one_engine_many_threads() {
    let engine = Engine::new(None).unwrap();
    let single = expected(&[("deploy.yaml", MANIFEST)]);
    let pair = expected(&[("deploy.yaml", MANIFEST), ("pod.yaml", POD)]);
    let pss = expected_pss(&[("deploy.yaml", MANIFEST), ("pod.yaml", POD)], "restricted", "latest");
    let rbac = expected_rbac(&[("rbac.yaml", RBAC)]);
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let (engine, single, pair, pss, rbac) = (&engine, &single, &pair, &pss, &rbac);
            scope.spawn(move || {
                for round in 0..25 {
                    let sources = [source(b"pod.yaml", POD), source(b"deploy.yaml", MANIFEST)];
                    match (thread + round) % 4 {
                        0 => assert_eq!(&engine.scan(b"deploy.yaml", MANIFEST).unwrap(), single),
                        1 => assert_eq!(&engine.scan_many(&sources).unwrap(), pair),
                        2 => assert_eq!(&engine.pss(&sources, "restricted", "latest").unwrap(), pss),
                        _ => assert_eq!(&engine.rbac_review(&[source(b"rbac.yaml", RBAC)]).unwrap(), rbac),
                    }
                }
            });
        }
    });
}

#[test]
fn pss_equals_the_core_result_at_every_level_and_version() {
    let engine = Engine::new(None).unwrap();
    let sources = [source(b"pod.yaml", POD), source(b"shop.yaml", MANIFEST)];
    for (level, version) in [("restricted", "latest"), ("baseline", "v1.25"), ("privileged", "v1.99")] {
        let result = engine.pss(&sources, level, version).unwrap();
        assert_eq!(result, expected_pss(&[("shop.yaml", MANIFEST), ("pod.yaml", POD)], level, version));
        let json: serde_json::Value = serde_json::from_str(&result).unwrap();
        assert_eq!((json["level"].as_str(), json["version"].as_str()), (Some(level), Some(version)));
    }
    // The insecure shop breaks the restricted level, at a field with a range.
    let result: serde_json::Value =
        serde_json::from_str(&engine.pss(&sources, "restricted", "latest").unwrap()).unwrap();
    let objects = result["objects"].as_array().unwrap();
    let denied = objects.iter().find(|object| object["allowed"] == false).expect("a denied object");
    let violation = &denied["violations"][0];
    assert!(violation["path"].as_str().unwrap().starts_with('/'), "{violation}");
    assert!(violation["range"]["start"]["line"].as_u64().unwrap() > 1, "{violation}");
}

#[test]
fn pss_rejects_an_unknown_level_or_version_with_the_core_message() {
    let engine = Engine::new(None).unwrap();
    let sources = [source(b"shop.yaml", MANIFEST)];
    for level in ["strict", "Restricted", "restricted "] {
        let error = engine.pss(&sources, level, "latest").err().unwrap();
        assert_eq!(error.status, kubeward_status::InvalidInput);
        assert_eq!(error.message, level.parse::<kubeward::PssLevel>().unwrap_err().message);
        assert!(error.message.contains(level), "{}", error.message);
        assert!(error.position.is_none());
    }
    for version in ["1.25", "v1.05", "v2.0", "newest"] {
        let error = engine.pss(&sources, "baseline", version).err().unwrap();
        assert_eq!(error.status, kubeward_status::InvalidInput);
        assert_eq!(error.message, version.parse::<kubeward::PssVersion>().unwrap_err().message);
    }
    // Level and version are length-delimited text like every other.
    let error = engine.pss(&sources, "", "latest").err().unwrap();
    assert_eq!((error.status, error.message.as_str()), (kubeward_status::InvalidInput, "level is empty (length 0)"));
    let error = engine.pss(&sources, "baseline", "v1.2\u{0}5").err().unwrap();
    assert_eq!(error.message, "version contains a NUL byte at offset 4");
    let (latest, baseline) = ("latest", "baseline");
    let error = engine.pss_raw(sources.as_ptr(), 1, ptr::null(), 8, latest.as_ptr().cast(), 6).err().unwrap();
    assert_eq!((error.status, error.message.as_str()), (kubeward_status::NullParameter, "level is NULL"));
    let error = engine.pss_raw(sources.as_ptr(), 1, baseline.as_ptr().cast(), 8, ptr::null(), 6).err().unwrap();
    assert_eq!((error.status, error.message.as_str()), (kubeward_status::NullParameter, "version is NULL"));
}

#[test]
fn pss_rejects_null_pointers_and_bad_sources() {
    let engine = Engine::new(None).unwrap();
    let (level, version) = ("restricted", "latest");
    let error = engine.pss_raw(ptr::null(), 1, level.as_ptr().cast(), level.len(), version.as_ptr().cast(), 6);
    assert_eq!(error.err().unwrap().message, "sources is NULL");
    assert_eq!(engine.pss(&[], level, version).err().unwrap().message, "sources is empty (length 0)");
    let error = engine.pss(&[source(b"pod.yaml", POD), source(b"x\0", POD)], level, version).err().unwrap();
    assert_eq!(error.message, "sources[1].name contains a NUL byte at offset 1");

    let sources = [source(b"pod.yaml", POD)];
    let mut json = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: NULL engine is what is being tested; other arguments valid.
    let status = unsafe {
        kubeward_engine_pss(
            ptr::null(),
            sources.as_ptr(),
            1,
            level.as_ptr().cast(),
            level.len(),
            version.as_ptr().cast(),
            version.len(),
            &mut json,
            ptr::null_mut(),
            &mut error,
        )
    };
    assert_eq!(json, sentinel());
    assert_eq!(take_error(status, error).message, "engine is NULL");
    let mut error = ptr::null_mut();
    // SAFETY: NULL out_json is what is being tested.
    let status = unsafe {
        kubeward_engine_pss(
            engine.0,
            sources.as_ptr(),
            1,
            level.as_ptr().cast(),
            level.len(),
            version.as_ptr().cast(),
            version.len(),
            ptr::null_mut(),
            ptr::null_mut(),
            &mut error,
        )
    };
    assert_eq!(take_error(status, error).message, "out_json is NULL");
    // No out_error: the status alone.
    // SAFETY: a bad level without an error object is what is being tested.
    let status = unsafe {
        kubeward_engine_pss(
            engine.0,
            sources.as_ptr(),
            1,
            b"bad".as_ptr().cast(),
            3,
            version.as_ptr().cast(),
            version.len(),
            &mut json,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    assert_eq!((status, json), (kubeward_status::InvalidInput, sentinel()));
}

#[test]
fn rbac_review_equals_the_core_review() {
    let engine = Engine::new(None).unwrap();
    let review = engine.rbac_review(&[source(b"shop.yaml", MANIFEST), source(b"rbac.yaml", RBAC)]).unwrap();
    assert_eq!(review, expected_rbac(&[("rbac.yaml", RBAC), ("shop.yaml", MANIFEST)]));
    let json: serde_json::Value = serde_json::from_str(&review).unwrap();
    let subjects = json["subjects"].as_array().unwrap();
    let deployer = subjects.iter().find(|s| s["name"] == "deployer").expect("the deployer service account");
    assert_eq!(deployer["grants"][0]["role"]["name"], "cluster-admin");
    assert_eq!(deployer["grants"][0]["binding"]["file"], "rbac.yaml");
    // Input without RBAC objects: an empty review, not an error.
    let empty: serde_json::Value =
        serde_json::from_str(&engine.rbac_review(&[source(b"pod.yaml", POD)]).unwrap()).unwrap();
    assert_eq!(empty["subjects"], serde_json::json!([]));
}

#[test]
fn rbac_review_rejects_null_pointers_and_bad_sources() {
    let engine = Engine::new(None).unwrap();
    assert_eq!(engine.rbac_review(&[]).err().unwrap().message, "sources is empty (length 0)");
    let error = engine.rbac_review(&[source(b"rbac.yaml", b"")]).err().unwrap();
    assert_eq!(
        (error.status, error.message.as_str()),
        (kubeward_status::InvalidInput, "sources[0].content is empty (length 0)")
    );

    let sources = [source(b"rbac.yaml", RBAC)];
    let mut json = sentinel();
    let mut error = ptr::null_mut();
    // SAFETY: NULL sources is what is being tested.
    let status =
        unsafe { kubeward_engine_rbac_review(engine.0, ptr::null(), 1, &mut json, ptr::null_mut(), &mut error) };
    assert_eq!(json, sentinel());
    assert_eq!(take_error(status, error).message, "sources is NULL");
    let mut error = ptr::null_mut();
    // SAFETY: NULL engine is what is being tested.
    let status = unsafe {
        kubeward_engine_rbac_review(ptr::null(), sources.as_ptr(), 1, &mut json, ptr::null_mut(), &mut error)
    };
    assert_eq!(json, sentinel());
    assert_eq!(take_error(status, error).message, "engine is NULL");
    let mut error = ptr::null_mut();
    // SAFETY: NULL out_json is what is being tested.
    let status = unsafe {
        kubeward_engine_rbac_review(engine.0, sources.as_ptr(), 1, ptr::null_mut(), ptr::null_mut(), &mut error)
    };
    assert_eq!(take_error(status, error).message, "out_json is NULL");
}

#[test]
fn an_expired_exemption_stops_applying_by_the_system_clock() {
    let pod = b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\n  annotations:\n    kubeward.io/ignore: no-host-namespaces@2000-01-01\n    kubeward.io/ignore-reason: node agent\nspec:\n  hostPID: true\n  containers: []\n";
    let suppressed = |report: &str| {
        let json: serde_json::Value = serde_json::from_str(report).unwrap();
        let finding = json["findings"].as_array().unwrap().iter().find(|f| f["check"] == "no-host-namespaces").cloned();
        finding.expect("the finding is reported").get("suppressed").is_some()
    };
    let engine = Engine::new(None).unwrap();
    assert!(!suppressed(&engine.scan(b"agent.yaml", pod).unwrap()), "expired in 2000 by the system clock");
    let engine = Engine::new(Some(b"today: 1999-12-31\n")).unwrap();
    assert!(suppressed(&engine.scan(b"agent.yaml", pod).unwrap()), "the configuration's today wins");
}
