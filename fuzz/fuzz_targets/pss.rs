//! Raw bytes through the Pod Security Standards evaluator, at a level and
//! version picked by the first two bytes (every level, every minor, `latest`
//! and minors past the newest).
#![no_main]

use std::sync::OnceLock;

use kubeward::{Engine, PssLevel, PssVersion};
use kubeward_fuzz::invariants::pss_and_check;
use libfuzzer_sys::fuzz_target;

static ENGINE: OnceLock<Engine> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let engine = ENGINE.get_or_init(Engine::default);
    let (level, version, bytes) = match data {
        [a, b, rest @ ..] => {
            let level = [PssLevel::Privileged, PssLevel::Baseline, PssLevel::Restricted][usize::from(*a % 3)];
            let version = match b % 42 {
                41 => PssVersion::LATEST,
                minor => PssVersion::v1(u32::from(minor)),
            };
            (level, version, rest)
        }
        _ => (PssLevel::Restricted, PssVersion::LATEST, data),
    };
    pss_and_check(engine, bytes, level, version);
});
