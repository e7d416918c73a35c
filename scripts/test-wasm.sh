#!/usr/bin/env bash
# Runs every test of the WebAssembly door, installing what is missing:
#   the wasm32 target and the pinned wasm-bindgen CLI (scripts/install-wasm-tools.sh),
#   npm packages (npm ci), and Debian's chromium when /usr/bin/chromium is absent.
# Non-interactive (works with CI=true and no stdin); exits non-zero on failure.
set -euo pipefail
export CI="${CI:-true}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
exec </dev/null

step() { printf '\n==> %s\n' "$*"; }

step "tools"
bash scripts/install-wasm-tools.sh
npm_ci() { (cd "$1" && npm ci --no-audit --no-fund --loglevel=error); }
if [ ! -x /usr/bin/chromium ]; then
    echo "installing Debian's chromium"
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo -n"; fi
    $sudo_cmd apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y chromium
fi

step "Rust: format, lints and host tests of kubeward-wasm"
# The whole suite (scripts/test.sh) has formatted, linted and tested the workspace,
# this crate's host code included (its only target-specific code is a `cfg!`,
# which the host build compiles too); alone, this script does it for this crate.
if [ -z "${KUBEWARD_WHOLE_SUITE:-}" ]; then
    cargo fmt -p kubeward-wasm -- --check
    # --no-deps: lint this crate only (the core's own warnings are the core's business).
    cargo clippy -p kubeward-wasm --all-targets --no-deps -- -D warnings
    cargo clippy -p kubeward-wasm --target wasm32-unknown-unknown --all-features --no-deps -- -D warnings
    cargo test -p kubeward-wasm
fi

step "expected reports from the Rust core"
bash scripts/build-debug.sh --features kubeward-wasm/policies
"${CARGO_TARGET_DIR:-$root/target}/debug/examples/expected_reports"

step "build the npm package"
npm_ci crates/wasm
bash crates/wasm/build.sh
gz=$(gzip -9 -c crates/wasm/pkg/kubeward_wasm_bg.wasm | wc -c)
if [ "$gz" -ge 409600 ]; then
    echo "kubeward_wasm_bg.wasm is $gz bytes gzipped, over the 400 KB budget" >&2
    exit 1
fi

step "TypeScript declarations (tsc --noEmit)"
(cd crates/wasm && npx --no-install tsc --noEmit -p tests/js/tsconfig.json)

step "Node tests of the package"
(cd crates/wasm && node --test tests/js/)

step "the package with policies (a second build: CEL takes it over the budget)"
KUBEWARD_WASM_FEATURES=policies KUBEWARD_WASM_OUT="$root/crates/wasm/pkg-policies" KUBEWARD_WASM_NAME=kubeward-wasm-policies \
    bash crates/wasm/build.sh
(cd crates/wasm && KUBEWARD_POLICIES_PKG="$root/crates/wasm/pkg-policies" node --test tests/js-policies/)

step "the package's fixes (engine.fixes)"
(cd crates/wasm && KUBEWARD_FIXES_PKG="$root/crates/wasm/pkg" node --test tests/js-fixes/)

step "panic hook (a build with the test-panic feature)"
# With the policies variant's features, so that its build of the core is reused; not optimised.
KUBEWARD_WASM_FEATURES=policies,test-panic KUBEWARD_WASM_OPT=0 KUBEWARD_WASM_OUT="$root/target/wasm-panic-pkg" \
    bash crates/wasm/build.sh
(cd crates/wasm && KUBEWARD_PANIC_PKG="$root/target/wasm-panic-pkg" node --test tests/js-panic/)

step "web editor: build and real-browser test"
npm_ci examples/web-editor
# The editor offers the package's fixes as quick fixes.
(cd examples/web-editor && npm run build --silent && node --test tests/)

step "all WebAssembly tests passed"
