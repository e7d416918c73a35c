//! CEL for admission policies: the environment and libraries, compiling with
//! checks and metering, and the cost meter.

pub(crate) mod compile;
pub(crate) mod cost;
pub(crate) mod library;

pub(crate) use compile::{compile, Compiled, Declared};
