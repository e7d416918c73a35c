//! The checked-in C header must be what cbindgen generates from the sources.
//!
//! Regenerate it with `UPDATE_GENERATED=1 cargo test -p kubeward-ffi --test header`.

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("read cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");

    let path = crate_dir.join("include").join("kubeward.h");
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &generated).expect("write include/kubeward.h");
        return;
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "crates/ffi/include/kubeward.h is out of date with crates/ffi/src.\n\
         Regenerate it with: UPDATE_GENERATED=1 cargo test -p kubeward-ffi --test header\n\
         --- generated ---\n{generated}"
    );
    for function in [
        "kubeward_engine_new",
        "kubeward_engine_scan",
        "kubeward_engine_pss",
        "kubeward_engine_rbac_review",
        "kubeward_string_free",
        "kubeward_error_free",
    ] {
        assert!(generated.contains(function), "{function} missing from the header");
    }
}
