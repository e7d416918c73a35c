//! Raw bytes through the loader and the whole scan, with default and tight limits.
#![no_main]

use std::sync::OnceLock;

use kubeward::Engine;
use kubeward_fuzz::invariants::{engines, scan_and_check};
use libfuzzer_sys::fuzz_target;

static ENGINES: OnceLock<[Engine; 2]> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engines = ENGINES.get_or_init(engines);
    // The first byte picks the engine, so both limit sets see every input shape.
    let (engine, bytes) = match data.split_first() {
        Some((&selector, rest)) => (&engines[usize::from(selector & 1)], rest),
        None => (&engines[0], data),
    };
    scan_and_check(engine, bytes);
});
