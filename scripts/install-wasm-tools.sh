#!/usr/bin/env bash
# Installs the Rust-side tools the WebAssembly package needs, only when missing:
# the wasm32-unknown-unknown target and the wasm-bindgen CLI whose version equals
# the `wasm-bindgen` crate pinned in Cargo.lock (the two must match exactly).
# Non-interactive; safe to run under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "install-wasm-tools: adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# The version pinned in Cargo.lock: the line after `name = "wasm-bindgen"`.
pinned=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$pinned" ]; then
    echo "install-wasm-tools: wasm-bindgen is not in Cargo.lock" >&2
    exit 1
fi

installed=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$installed" = "$pinned" ]; then
    echo "install-wasm-tools: wasm-bindgen $pinned already installed"
    exit 0
fi

echo "install-wasm-tools: installing wasm-bindgen-cli $pinned (found: ${installed:-none}); this takes minutes"
if ! cargo install wasm-bindgen-cli --version "$pinned" --locked; then
    echo "install-wasm-tools: --locked failed; retrying without --locked"
    cargo install wasm-bindgen-cli --version "$pinned"
fi
wasm-bindgen --version
