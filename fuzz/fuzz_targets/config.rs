//! The configuration parser (`kubeward::Config::from_text`) on any UTF-8 text:
//! see `check_config_text` for what must hold.
#![no_main]

use kubeward_fuzz::invariants::check_config_text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check_config_text(text);
    }
});
