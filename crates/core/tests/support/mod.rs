//! Shared test support.
pub mod invariants;
