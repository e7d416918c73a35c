//! Shared pieces of kubeward's fuzz targets: the invariants (the very file the
//! integration tests use, so a regression replayed by `cargo test` is checked as
//! the fuzzer checked it) and the structure-aware generator.

#[path = "../../crates/core/tests/support/invariants.rs"]
pub mod invariants;

pub mod structured;
