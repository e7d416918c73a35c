#!/usr/bin/env bash
# Builds the workspace's libraries, binaries and examples in the debug profile,
# for the door suites (the CLI, the C library, the examples that write expected
# reports). One command for all of them, with the examples (and so the
# dev-dependencies) included: the features are then those `cargo test
# --workspace` resolves, and after it this build compiles nothing. A suite that
# built one package with `-p` would get other features and compile the core and
# its dependencies again.
#   bash scripts/build-debug.sh [extra cargo arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --workspace --lib --bins --examples "$@"
