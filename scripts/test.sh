#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust tests (unit, integration, doc,
# property and corpus tests), and the suites of the other doors.
# Usage: bash scripts/test.sh   (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."

suites=0
timings=""
step_started=$SECONDS
suite_started=$SECONDS
step() {
  # Every step runs under `set -e`: reaching the next one means the previous suite passed.
  if [ -n "${current:-}" ]; then
    suites=$((suites + 1))
    timings+="$(printf '%5ds  %s' $((SECONDS - step_started)) "$current")"$'\n'
  fi
  current="$*"
  step_started=$SECONDS
  printf '\n==> %s\n' "$*"
}

# The suites must leave the tree as they found it (on a fresh clone: clean).
tree_before="$(git status --porcelain --untracked-files=all 2>/dev/null || true)"

# A fresh machine has the Rust toolchain and nothing else we can count on.
if ! cargo fmt --version >/dev/null 2>&1; then rustup component add rustfmt; fi
if ! cargo clippy --version >/dev/null 2>&1; then rustup component add clippy; fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo doc (warnings are errors)"
# With the examples, which bring the dev-dependencies: the dependencies are then
# resolved with the features clippy's build used, and not checked a second time.
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --lib --examples --quiet

step "cargo test (workspace)"
cargo test --workspace
# The door suites below take the binaries, examples and libraries of this build
# (scripts/build-debug.sh), so the suite builds the workspace once.
export KUBEWARD_WHOLE_SUITE=1

step "YAML as kubectl reads it: the loader against PyYAML set to go-yaml's rules"
bash scripts/test-yaml-diff.sh

step "the C door: C (under valgrind), Python and Go consumers"
bash scripts/test-ffi.sh

step "schemas: reports, configuration and SARIF validated against their JSON Schemas"
bash scripts/test-schemas.sh

step "the WebAssembly door: package build, Node tests and a real-browser test"
bash scripts/test-wasm.sh

step "the language server in a real editor: Debian's Neovim, headless, drives kubeward lsp"
bash scripts/test-lsp.sh

step "packaging: each door installed as its ecosystem expects (cargo, wheel, npm tarball, pkg-config), pre-commit, Action, GitLab"
bash scripts/test-packaging.sh

step "fuzz smoke run: every target for a few seconds (fuzz/run.sh runs longer)"
bash scripts/test-fuzz.sh

step "the tree is as the suites found it (git status --porcelain)"
tree_after="$(git status --porcelain --untracked-files=all)"
if [ "$tree_after" != "$tree_before" ]; then
  echo "the test suites changed the tree:" >&2
  diff <(printf '%s\n' "$tree_before") <(printf '%s\n' "$tree_after") >&2 || true
  exit 1
fi
suites=$((suites + 1))
timings+="$(printf '%5ds  %s' $((SECONDS - step_started)) "$current")"$'\n'

printf '\ntime per suite:\n%s' "$timings"
printf 'suites: %d passed, 0 failed in %ds\n' "$suites" $((SECONDS - suite_started))
