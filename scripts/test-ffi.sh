#!/usr/bin/env bash
# Builds kubeward's C door (crates/ffi) and runs its consumer suites:
#   c       examples/c: compiled with gcc -Wall -Wextra -Werror, run under valgrind
#   python  examples/python: ctypes wrapper, standard-library unittest
#   go      examples/go: cgo package, go test
# Each consumer's report for examples/manifests/insecure/shop.yaml (and, for the C
# scan example, for every insecure manifest scanned together) must equal the Rust
# core's report for the same input (written by `--example expected_report`); so must
# its Pod Security Standards result for shop.yaml (restricted, latest), its RBAC
# review of examples/rbac-network/insecure/rbac.yaml, and (Python) its report for the
# policy pack of examples/policies over that folder's manifests.
#
# C and Go build against the library installed into a prefix under target/ by
# `make -C crates/ffi install` and found with pkg-config, as users build.
# Missing tools (gcc, valgrind, go, python3, make, pkg-config) are installed with
# apt-get, without prompts. The library is built in the debug profile: it reuses what `cargo test`
# already compiled (no second, LTO-heavy release build on a small machine), keeps
# debug assertions and overflow checks on, and gives valgrind symbols.
#
# Prints "N passed, M failed" (consumer suites) last; exits non-zero on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

passed=0
failed=0
failed_names=()

finish() {
  if [ "${#failed_names[@]}" -gt 0 ]; then
    echo "failed suites: ${failed_names[*]}"
  fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

die() {
  echo "test-ffi: $*" >&2
  failed=$((failed + 3 - passed))
  finish
}

# --- tools -------------------------------------------------------------------
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test-ffi: installing ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install ${missing[*]}"
    SUDO=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq </dev/null || die "apt-get update failed"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null \
    || die "apt-get install ${missing[*]} failed"
fi

# --- library and expected report ----------------------------------------------
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')" \
  || die "cargo metadata failed"
LIB_DIR="$TARGET_DIR/debug"
WORK="$TARGET_DIR/ffi-tests"
mkdir -p "$WORK"

bash scripts/build-debug.sh || die "building the workspace (scripts/build-debug.sh) failed"
[ -f "$LIB_DIR/libkubeward_ffi.so" ] || die "$LIB_DIR/libkubeward_ffi.so was not built"

MANIFEST="$ROOT/examples/manifests/insecure/shop.yaml"
EXPECTED="$WORK/expected-report.json"
ALL_MANIFESTS=("$ROOT"/examples/manifests/insecure/*)
EXPECTED_ALL="$WORK/expected-report-all.json"
"$TARGET_DIR/debug/examples/expected_report" "$MANIFEST" >"$EXPECTED" || die "writing the expected report failed"
"$TARGET_DIR/debug/examples/expected_report" "${ALL_MANIFESTS[@]}" >"$EXPECTED_ALL" \
  || die "writing the expected report (all manifests) failed"
EXPECTED_PSS="$WORK/expected-pss.json"
"$TARGET_DIR/debug/examples/expected_report" --pss restricted latest "$MANIFEST" >"$EXPECTED_PSS" \
  || die "writing the expected Pod Security Standards result failed"
RBAC_MANIFEST="$ROOT/examples/rbac-network/insecure/rbac.yaml"
EXPECTED_RBAC="$WORK/expected-rbac.json"
"$TARGET_DIR/debug/examples/expected_report" --rbac "$RBAC_MANIFEST" >"$EXPECTED_RBAC" \
  || die "writing the expected RBAC review failed"
POLICY_FILES=("$ROOT"/examples/policies/policies/*.yaml)
POLICY_MANIFESTS=("$ROOT"/examples/policies/k8s/*.yaml)
EXPECTED_POLICY_REPORT="$WORK/expected-policy-report.json"
"$TARGET_DIR/debug/examples/expected_report" --policy "${POLICY_FILES[@]}" -- "${POLICY_MANIFESTS[@]}" \
  >"$EXPECTED_POLICY_REPORT" || die "writing the expected report with policies failed"
join_paths() { local IFS=:; echo "$*"; }
export KUBEWARD_EXPECTED_PSS="$EXPECTED_PSS" KUBEWARD_RBAC_MANIFEST="$RBAC_MANIFEST" \
  KUBEWARD_EXPECTED_RBAC="$EXPECTED_RBAC" KUBEWARD_EXPECTED_POLICY_REPORT="$EXPECTED_POLICY_REPORT" \
  KUBEWARD_POLICY_FILES="$(join_paths "${POLICY_FILES[@]}")" \
  KUBEWARD_POLICY_MANIFESTS="$(join_paths "${POLICY_MANIFESTS[@]}")"

# C and Go link the library as users do: installed (here the debug build, into a
# prefix under target/), found through pkg-config, loaded by its SONAME.
PREFIX="$WORK/prefix"
rm -rf "$PREFIX"
make -s -C crates/ffi install PROFILE=dev PREFIX="$PREFIX" CARGO_TARGET_DIR="$TARGET_DIR" >/dev/null || die "make -C crates/ffi install failed"
export PKG_CONFIG_PATH="$PREFIX/lib/pkgconfig"
read -r -a PC_CFLAGS <<<"$(pkg-config --cflags kubeward)" || die "pkg-config --cflags kubeward failed"
read -r -a PC_LIBS <<<"$(pkg-config --libs kubeward)" || die "pkg-config --libs kubeward failed"

run_suite() {
  local name="$1"
  shift
  echo "=== $name"
  if "$@"; then
    echo "=== $name: ok"
    passed=$((passed + 1))
  else
    echo "=== $name: FAILED"
    failed=$((failed + 1))
    failed_names+=("$name")
  fi
}

# --- C -----------------------------------------------------------------------
c_suite() {
  local cflags=(-std=c11 -Wall -Wextra -Werror -g "${PC_CFLAGS[@]}")
  local ldflags=("${PC_LIBS[@]}" -Wl,-rpath,"$PREFIX/lib")
  gcc "${cflags[@]}" -o "$WORK/scan" examples/c/scan.c "${ldflags[@]}" || return 1
  gcc "${cflags[@]}" -pthread -o "$WORK/test_api" examples/c/test_api.c "${ldflags[@]}" || return 1
  local valgrind=(valgrind --leak-check=full --error-exitcode=1)
  "${valgrind[@]}" "$WORK/test_api" "$MANIFEST" "$EXPECTED" "$EXPECTED_PSS" "$RBAC_MANIFEST" "$EXPECTED_RBAC" \
    || return 1
  "${valgrind[@]}" "$WORK/scan" --expect "$EXPECTED_ALL" "${ALL_MANIFESTS[@]}" >"$WORK/scan-output.json" || return 1
  echo "scan: report for ${#ALL_MANIFESTS[@]} manifests equals the Rust core's ($(wc -c <"$EXPECTED_ALL") bytes)"
}

# --- Python ------------------------------------------------------------------
python_suite() {
  (
    cd examples/python &&
      PYTHONDONTWRITEBYTECODE=1 KUBEWARD_LIB="$LIB_DIR/libkubeward_ffi.so" \
        KUBEWARD_MANIFEST="$MANIFEST" KUBEWARD_EXPECTED="$EXPECTED" \
        python3 -m unittest -v test_kubeward
  )
}

# --- Go ----------------------------------------------------------------------
go_suite() {
  (
    cd examples/go &&
      GOPATH="$WORK/go/path" GOCACHE="$WORK/go/cache" GOMODCACHE="$WORK/go/path/pkg/mod" \
        GOENV=off GOPROXY=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=1 \
        CGO_LDFLAGS="-Wl,-rpath,$PREFIX/lib" \
        KUBEWARD_MANIFEST="$MANIFEST" KUBEWARD_EXPECTED="$EXPECTED" \
        go test -count=1 -v ./...
  )
}

run_suite c c_suite
run_suite python python_suite
run_suite go go_suite
finish
