#!/usr/bin/env bash
# Builds the npm package of kubeward's WebAssembly binding into crates/wasm/pkg/:
#   1. the crate for wasm32-unknown-unknown with the small `wasm-release` profile;
#   2. the pinned wasm-bindgen CLI, `--target web` (an ES module; Node loads it
#      with `initSync({ module: bytes })`, browsers with `await init()`);
#   3. wasm-opt -Oz (binaryen, from this folder's npm devDependencies);
#   4. package.json with `types` and conditional exports (Node.js: npm/node.mjs,
#      which instantiates the module on import; browsers and bundlers: the
#      wasm-bindgen output), the package's README (npm/README.md) and LICENSE;
#      the TypeScript declarations generated from the Rust types
#      (types/kubeward.d.ts) are part of kubeward_wasm.d.ts.
# Installs what is missing (see scripts/install-wasm-tools.sh). Non-interactive.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

bash scripts/install-wasm-tools.sh
if [ ! -x "$here/node_modules/.bin/wasm-opt" ]; then
    (cd "$here" && npm ci --no-audit --no-fund)
fi

# KUBEWARD_WASM_FEATURES and KUBEWARD_WASM_OUT build a variant elsewhere, and
# KUBEWARD_WASM_NAME names its package (scripts/test-wasm.sh builds one with the
# `test-panic` feature, and kubeward-wasm-policies with `policies` in
# crates/wasm/pkg-policies).
features="${KUBEWARD_WASM_FEATURES:-}"
out="${KUBEWARD_WASM_OUT:-$here/pkg}"
target_dir="$root/target"
if [ -n "$features" ]; then
    # A separate target folder, so the two variants do not rebuild each other.
    target_dir="$root/target/wasm-variant"
fi
cargo build --profile wasm-release --target wasm32-unknown-unknown -p kubeward-wasm \
    --target-dir "$target_dir" ${features:+--features "$features"}
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/kubeward_wasm.wasm"

rm -rf "$out"
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name kubeward_wasm "$wasm"

# wasm-opt must accept the features rustc's wasm32 target enables by default.
# --low-memory-unused lets it fold constant offsets into loads and stores: sound
# here, since no pointer of this module comes within 1 KiB of the 4 GiB wrap
# (about 3.5 KB gzipped); --converge repeats the passes while they still shrink.
# KUBEWARD_WASM_OPT=0 skips wasm-opt (a test build whose size does not matter).
[ "${KUBEWARD_WASM_OPT:-1}" = 0 ] || "$here/node_modules/.bin/wasm-opt" -Oz --low-memory-unused --converge --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-debug --strip-producers \
    "$out/kubeward_wasm_bg.wasm" -o "$out/kubeward_wasm_bg.opt.wasm"
[ "${KUBEWARD_WASM_OPT:-1}" = 0 ] || mv "$out/kubeward_wasm_bg.opt.wasm" "$out/kubeward_wasm_bg.wasm"

version=$(awk -F'"' '/^version = / { print $2; exit }' "$root/Cargo.toml")
homepage=$(awk -F'"' '/^repository = / { print $2; exit }' "$root/Cargo.toml")
# Exports: Node.js gets node.mjs, which instantiates the module on import (so
# `import` and `require` work with no init call); browsers and bundlers get the
# wasm-bindgen output itself, which fetches the .wasm on `await init()`.
cat > "$out/package.json" <<JSON
{
  "name": "${KUBEWARD_WASM_NAME:-kubeward-wasm}",
  "version": "$version",
  "description": "Checks Kubernetes manifests against a security-hardening checklist, in the browser and Node.js (WebAssembly).",
  "license": "Apache-2.0",
  "homepage": "$homepage",
  "keywords": ["kubernetes", "security", "linter", "yaml", "webassembly"],
  "type": "module",
  "main": "kubeward_wasm.js",
  "module": "kubeward_wasm.js",
  "types": "kubeward_wasm.d.ts",
  "exports": {
    ".": {
      "types": "./kubeward_wasm.d.ts",
      "node": "./node.mjs",
      "default": "./kubeward_wasm.js"
    },
    "./web": {
      "types": "./kubeward_wasm.d.ts",
      "default": "./kubeward_wasm.js"
    },
    "./kubeward_wasm_bg.wasm": "./kubeward_wasm_bg.wasm",
    "./package.json": "./package.json"
  },
  "files": ["kubeward_wasm.js", "kubeward_wasm.d.ts", "kubeward_wasm_bg.wasm", "kubeward_wasm_bg.wasm.d.ts", "node.mjs", "snippets/"],
  "sideEffects": ["./node.mjs"]
}
JSON
# The package's own README (install and use; the crate's README is for its
# developers), its Node.js entry and the licence.
cp "$here/npm/README.md" "$here/npm/node.mjs" "$out/"
cp "$root/LICENSE" "$out/LICENSE"

raw=$(wc -c < "$out/kubeward_wasm_bg.wasm")
gz=$(gzip -9 -c "$out/kubeward_wasm_bg.wasm" | wc -c)
echo "build.sh: $out/kubeward_wasm_bg.wasm: $raw bytes, $gz bytes gzipped"
