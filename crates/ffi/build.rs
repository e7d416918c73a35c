//! Gives the shared library its SONAME on ELF platforms: `libkubeward.so.N`,
//! where N is `KUBEWARD_ABI_VERSION` (src/lib.rs), the version of the C ABI. A
//! program linked against the installed library (`make -C crates/ffi install`,
//! see the README) then records `libkubeward.so.N` and keeps working across
//! releases of the same ABI.

use std::fs;

fn main() {
    println!("cargo:rerun-if-changed=src/lib.rs");
    let source = fs::read_to_string("src/lib.rs").expect("read src/lib.rs");
    let abi = source
        .lines()
        .find_map(|line| line.strip_prefix("pub const KUBEWARD_ABI_VERSION: u32 = "))
        .and_then(|rest| rest.strip_suffix(';'))
        .and_then(|value| value.parse::<u32>().ok())
        .expect("src/lib.rs declares `pub const KUBEWARD_ABI_VERSION: u32 = N;`");
    // Only targets whose linker takes `-soname` (ELF); macOS and Windows name
    // their libraries differently.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos" | "solaris"
    );
    if elf {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libkubeward.so.{abi}");
    }
}
