#!/usr/bin/env bash
# Installs each door of kubeward the way its ecosystem expects, into throwaway
# places (a temporary folder, fresh virtual environments, fresh npm projects),
# and uses it there:
#   cargo       `cargo install --path crates/cli --profile dist`: runs, scans, exit codes
#   wheel       the Python wheel (maturin, reusing the dist build) pip-installed into a fresh venv
#   address     SARIF informationUri and helpUri, crate, wheel, npm and pkg-config metadata all
#               carry Cargo.toml's `repository`, and no other file writes that address
#   c           `make -C crates/ffi install` (release) into a temporary PREFIX: SONAME, kubeward.pc;
#               examples/c/scan.c built from another directory with pkg-config (shared and
#               static), its report equal to the CLI's; `make uninstall` removes every file
#   npm         `npm pack` of crates/wasm/pkg; a fresh project installs the tarball: `import`
#               and `require` with no initialisation; Vite 7 and webpack 5 builds of a page,
#               run; findings equal to the CLI's
#   pre-commit  pre-commit (from PyPI, pinned) `try-repo` in a fresh git repository
#   action      action.yml run step by step as a runner would (tests/packaging/run_action.py)
#   gitlab      integrations/kubeward.gitlab-ci.yml's script in a fresh project, with the wheel
#
# Installs what is missing, without prompts: Debian's gcc, make, pkg-config, git
# and binutils; the Python tools pinned in tests/packaging/requirements.txt (into
# a venv under target/); the npm packages locked in tests/packaging/npm. The
# pre-commit suite installs the hook at the commit checked out (HEAD), so it
# does not see uncommitted changes.
#
# Prints "N passed, M failed" last; exits non-zero on any failure.
#   bash scripts/test-packaging.sh [SUITE...]   (default: every suite)
set -uo pipefail
export CI="${CI:-true}"
exec </dev/null

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

passed=0
failed=0
failed_names=()
finish() {
  if [ "${#failed_names[@]}" -gt 0 ]; then echo "failed suites: ${failed_names[*]}"; fi
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}
die() {
  echo "test-packaging: $*" >&2
  failed=$((failed + 1))
  finish
}
fail() {
  echo "FAILED: $*" >&2
  return 1
}

# --- tools -------------------------------------------------------------------
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v readelf >/dev/null 2>&1 || missing+=(binutils)
command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "test-packaging: installing ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo -n); fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq || die "apt-get update failed"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" || die "apt-get install failed"
fi

TARGET_DIR="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')" || die "cargo metadata failed"
export CARGO_TARGET_DIR="$TARGET_DIR"
PK="$TARGET_DIR/packaging"
mkdir -p "$PK"
TMP="$(mktemp -d -t kubeward-packaging.XXXXXX)" || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# The pinned Python tools (pre-commit, maturin and their dependencies), in a venv
# made again whenever requirements.txt changes.
TOOLS="$PK/tools-venv"
REQUIREMENTS="$ROOT/tests/packaging/requirements.txt"
if ! cmp -s "$REQUIREMENTS" "$TOOLS/requirements.txt"; then
  rm -rf "$TOOLS"
  python3 -m venv "$TOOLS" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS" \
    || die "pip install -r tests/packaging/requirements.txt failed"
  cp "$REQUIREMENTS" "$TOOLS/requirements.txt"
fi

VERSION="$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)"
REPOSITORY="$(awk -F'"' '/^repository = / { print $2; exit }' Cargo.toml)"
INSECURE="$ROOT/examples/manifests/insecure"
HARDENED="$ROOT/examples/manifests/hardened"

# The shipped binary, and the CLI's reports that the other doors must equal (with
# the default configuration, as the doors have: --no-config, or examples/kubeward.yaml
# above the manifests would be found).
cargo build --profile dist -p kubeward-cli || die "cargo build --profile dist -p kubeward-cli failed"
DIST_BIN="$TARGET_DIR/dist/kubeward"
EXPECTED="$PK/expected"
mkdir -p "$EXPECTED"
(cd "$INSECURE" && "$DIST_BIN" scan --no-config --format json shop.yaml >"$EXPECTED/shop.json"; [ $? -eq 1 ]) \
  || die "the CLI's report of shop.yaml"
(cd "$INSECURE" && "$DIST_BIN" scan --no-config --format json *.json *.yaml >"$EXPECTED/insecure.json"; [ $? -eq 1 ]) \
  || die "the CLI's report of the insecure manifests"
# The C example compares the report without the newline the CLI ends it with.
[ "$(tail -c 1 "$EXPECTED/insecure.json" | od -An -c | tr -d ' ')" = '\n' ] && truncate -s -1 "$EXPECTED/insecure.json" \
  || die "the CLI's report does not end with a newline"
python3 tests/packaging/npm/summarize-cli.py <"$EXPECTED/shop.json" >"$EXPECTED/shop-rows.json" \
  || die "summarize-cli.py failed"

# `bash scripts/test-packaging.sh SUITE...` runs only those suites (wheel before gitlab).
only=("$@")
run_suite() {
  local name="$1"
  shift
  if [ "${#only[@]}" -gt 0 ] && [[ " ${only[*]} " != *" $name "* ]]; then return 0; fi
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    echo "=== $name: ok ($((SECONDS - start)) s)"
    passed=$((passed + 1))
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed=$((failed + 1))
    failed_names+=("$name")
  fi
}

# Runs "$@", expecting exit code $1 (the rest is the command).
expect_exit() {
  local expected="$1"
  shift
  local status=0
  "$@" || status=$?
  [ "$status" -eq "$expected" ] || fail "$* exited with $status, expected $expected"
}

# --- cargo install -------------------------------------------------------------
cargo_suite() {
  local root="$TMP/cargo-root"
  # CARGO_TARGET_DIR is exported: cargo install reuses the dist build above.
  cargo install --locked --profile dist --path crates/cli --root "$root" || return 1
  local bin="$root/bin/kubeward"
  [ "$("$bin" --version)" = "kubeward $VERSION" ] || fail "kubeward --version: $("$bin" --version)" || return 1
  expect_exit 1 "$bin" scan "$INSECURE" >/dev/null || return 1
  expect_exit 0 "$bin" scan "$HARDENED" >/dev/null || return 1
  expect_exit 2 "$bin" scan --fail-on dire "$HARDENED" 2>/dev/null || return 1
  echo "cargo install: $(wc -c <"$bin") bytes; needs: $(readelf -d "$bin" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
}

# --- Python wheel ----------------------------------------------------------------
WHEEL_DIR="$PK/wheels"
wheel_suite() {
  rm -rf "$WHEEL_DIR"
  "$TOOLS/bin/maturin" build --out "$WHEEL_DIR" || return 1
  local wheels=("$WHEEL_DIR"/kubeward-"$VERSION"-*.whl)
  [ -f "${wheels[0]}" ] || fail "no wheel in $WHEEL_DIR" || return 1
  WHEEL="${wheels[0]}"
  local venv="$TMP/wheel-venv"
  python3 -m venv "$venv" || return 1
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$WHEEL" || return 1
  local bin="$venv/bin/kubeward"
  [ "$("$bin" --version)" = "kubeward $VERSION" ] || fail "kubeward --version from the wheel" || return 1
  cmp -s "$bin" "$DIST_BIN" || fail "the wheel's kubeward is not the dist build" || return 1
  expect_exit 1 "$bin" scan "$INSECURE" >/dev/null || return 1
  expect_exit 0 "$bin" scan "$HARDENED" >/dev/null || return 1
  local metadata
  metadata="$("$venv/bin/pip" show kubeward)" || return 1
  grep -qx "Version: $VERSION" <<<"$metadata" || fail "pip show: version" || return 1
  grep -q "License-Expression: Apache-2.0\|License: Apache-2.0" <<<"$metadata" || fail "pip show: licence" || return 1
  unzip -p "$WHEEL" "kubeward-$VERSION.dist-info/METADATA" | grep -qF "$REPOSITORY" \
    || fail "the wheel's metadata does not name $REPOSITORY" || return 1
  echo "wheel: $(basename "$WHEEL"), $(wc -c <"$WHEEL") bytes"
}

# --- the project's address ---------------------------------------------------------
address_suite() {
  # One place writes it.
  local writers
  writers="$(git grep -l -F "$REPOSITORY" -- . || true)"
  [ "$writers" = "Cargo.toml" ] || fail "files writing $REPOSITORY: $writers" || return 1
  # Every crate's metadata carries it.
  cargo metadata --format-version 1 --no-deps | python3 -c '
import json, sys
repository = sys.argv[1]
for package in json.load(sys.stdin)["packages"]:
    assert package["repository"] == repository, (package["name"], package["repository"])
' "$REPOSITORY" || return 1
  # SARIF: informationUri, and a helpUri per rule to its CHECKS.md heading.
  "$DIST_BIN" scan --format sarif "$INSECURE" >"$TMP/insecure.sarif"
  python3 - "$TMP/insecure.sarif" "$REPOSITORY" CHECKS.md <<'PYTHON' || return 1
import json, re, sys
sarif, repository, catalog = sys.argv[1:]
driver = json.load(open(sarif))["runs"][0]["tool"]["driver"]
assert driver["informationUri"] == repository, driver["informationUri"]
headings = set(re.findall(r"^### ([a-z0-9-]+)$", open(catalog).read(), re.M))
for rule in driver["rules"]:
    assert rule["helpUri"] == f"{repository}/blob/main/CHECKS.md#{rule['id']}", rule["helpUri"]
    assert rule["id"] in headings, f"CHECKS.md has no heading for {rule['id']}"
print(f"SARIF: informationUri and {len(driver['rules'])} helpUri links from Cargo.toml")
PYTHON
}

# --- C library ---------------------------------------------------------------------
c_suite() {
  local prefix="$TMP/c-prefix" elsewhere="$TMP/c-consumer"
  make -C crates/ffi || return 1
  make -C crates/ffi install PREFIX="$prefix" || return 1
  local abi soname
  abi="$(sed -n 's/^#define KUBEWARD_ABI_VERSION \([0-9]*\)$/\1/p' crates/ffi/include/kubeward.h)"
  soname="$(readelf -d "$prefix/lib/libkubeward.so.$abi" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')"
  [ "$soname" = "libkubeward.so.$abi" ] || fail "SONAME is '$soname', expected libkubeward.so.$abi" || return 1
  [ "$(readlink "$prefix/lib/libkubeward.so")" = "libkubeward.so.$abi" ] || fail "libkubeward.so link" || return 1
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  [ "$(pkg-config --modversion kubeward)" = "$VERSION" ] || fail "pkg-config --modversion" || return 1
  grep -qx "URL: $REPOSITORY" "$prefix/lib/pkgconfig/kubeward.pc" || fail "kubeward.pc URL" || return 1

  # The example, built from a directory of its own with nothing but pkg-config.
  mkdir -p "$elsewhere" && cp "$ROOT/examples/c/scan.c" "$INSECURE"/* "$elsewhere/" || return 1
  (
    cd "$elsewhere" || exit 1
    # shellcheck disable=SC2046 # pkg-config's flags are words
    cc -std=c11 -Wall -Wextra -Werror -o scan scan.c $(pkg-config --cflags --libs kubeward) || exit 1
    readelf -d scan | grep -q "NEEDED.*\[libkubeward.so.$abi\]" || { echo "scan does not need libkubeward.so.$abi" >&2; exit 1; }
    LD_LIBRARY_PATH="$prefix/lib" ./scan --expect "$EXPECTED/insecure.json" *.json *.yaml >/dev/null || exit 1
    # The static library, with the system libraries kubeward.pc lists as Libs.private.
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -Werror -o scan-static scan.c $(pkg-config --cflags kubeward) \
      "$prefix/lib/libkubeward.a" $(pkg-config --static --libs-only-l kubeward | sed 's/-lkubeward //') || exit 1
    ! readelf -d scan-static | grep -q "libkubeward" || { echo "scan-static needs libkubeward" >&2; exit 1; }
    ./scan-static --expect "$EXPECTED/insecure.json" *.json *.yaml >/dev/null || exit 1
  ) || return 1
  # Python's ctypes example finds the installed library by name when there is no build.
  (cd "$elsewhere" && CARGO_TARGET_DIR=/nonexistent LD_LIBRARY_PATH="$prefix/lib" PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH="$ROOT/examples/python" python3 -c '
import json, sys, kubeward
assert kubeward._find_library() == "libkubeward.so.1", kubeward._find_library()
report = kubeward.Engine().scan("shop.yaml", open("shop.yaml", "rb").read())
assert report["findings"] and report["tool"]["version"] == kubeward.version()
') || fail "examples/python with the installed library" || return 1
  echo "C: libkubeward.so.$abi $(wc -c <"$prefix/lib/libkubeward.so.$abi") bytes, libkubeward.a $(wc -c <"$prefix/lib/libkubeward.a") bytes; reports equal the CLI's"
  make -C crates/ffi uninstall PREFIX="$prefix" >/dev/null || return 1
  local left
  left="$(find "$prefix" -type f -o -type l)"
  [ -z "$left" ] || fail "make uninstall left: $left" || return 1
}

# --- npm package ---------------------------------------------------------------------
# crates/wasm/pkg is up to date when nothing it is made from is newer: the
# module cargo builds (a no-op when fresh), build.sh and npm/.
wasm_pkg_fresh() {
  [ -f crates/wasm/pkg/package.json ] || return 1
  cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown -p kubeward-wasm 2>/dev/null || return 1
  [ -z "$(find "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/kubeward_wasm.wasm" crates/wasm/build.sh crates/wasm/npm \
    -newer crates/wasm/pkg/package.json)" ]
}

npm_suite() {
  # scripts/test.sh runs test-wasm.sh, which builds the package, just before.
  if ! wasm_pkg_fresh; then
    bash crates/wasm/build.sh || return 1
  fi
  local packed="$TMP/npm-pack"
  mkdir -p "$packed"
  (cd crates/wasm/pkg && npm pack --silent --pack-destination "$packed") >/dev/null || return 1
  local tarball="$packed/kubeward-wasm-$VERSION.tgz"
  [ -f "$tarball" ] || fail "npm pack wrote no $tarball" || return 1
  # The package's README is npm/README.md (no benchmark figures), with LICENSE and the Node.js entry.
  tar -xzf "$tarball" -C "$packed" || return 1
  cmp -s "$packed/package/README.md" crates/wasm/npm/README.md || fail "the packed README is not crates/wasm/npm/README.md" || return 1
  for file in LICENSE node.mjs kubeward_wasm.js kubeward_wasm_bg.wasm kubeward_wasm.d.ts; do
    [ -f "$packed/package/$file" ] || fail "the tarball has no $file" || return 1
  done
  python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["homepage"] == sys.argv[2]' \
    "$packed/package/package.json" "$REPOSITORY" || fail "package.json homepage" || return 1

  # Node.js: a fresh project, `npm install <tarball>`, then import and require.
  local project="$TMP/npm-node"
  mkdir -p "$project"
  printf '{ "name": "consumer", "version": "1.0.0", "private": true }\n' >"$project/package.json"
  (cd "$project" && npm install --no-audit --no-fund --loglevel=error "$tarball") || return 1
  cp tests/packaging/npm/node-import.mjs tests/packaging/npm/node-require.cjs tests/packaging/npm/src/summarize.mjs \
    "$project/" || return 1
  (cd "$project" && node node-import.mjs "$INSECURE/shop.yaml" "$EXPECTED/shop-rows.json") || return 1
  (cd "$project" && node node-require.cjs "$INSECURE/shop.yaml" "$EXPECTED/shop-rows.json") || return 1

  # Bundlers: a page built by Vite and by webpack, run with its .wasm fetched from beside it.
  local bundlers="$TMP/npm-bundlers"
  mkdir -p "$bundlers"
  (cd tests/packaging/npm && cp -r package.json package-lock.json index.html vite.config.mjs build-webpack.mjs run-bundle.mjs src "$bundlers/") \
    || return 1
  (
    cd "$bundlers" || exit 1
    npm ci --no-audit --no-fund --loglevel=error || exit 1
    npm install --no-save --no-audit --no-fund --loglevel=error "$tarball" || exit 1
    npx --no-install vite build || exit 1
    local vite_bundle=(dist-vite/assets/index-*.js)
    node run-bundle.mjs "${vite_bundle[0]}" "$INSECURE/shop.yaml" "$EXPECTED/shop-rows.json" || exit 1
    node build-webpack.mjs || exit 1
    node run-bundle.mjs dist-webpack/main.mjs "$INSECURE/shop.yaml" "$EXPECTED/shop-rows.json" || exit 1
  ) || return 1
}

# --- pre-commit --------------------------------------------------------------------
precommit_suite() {
  "$TOOLS/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml || return 1
  local repo="$TMP/pre-commit-repo"
  mkdir -p "$repo/insecure" "$repo/hardened"
  cp "$INSECURE"/* "$repo/insecure/" && cp "$HARDENED"/* "$repo/hardened/" || return 1
  # YAML that is not Kubernetes, as every repository has: skipped, not a failure.
  printf 'title: release notes
items: [one, two]
' >"$repo/notes.yaml"
  git -C "$repo" init -q && git -C "$repo" add . || return 1
  # A fresh pre-commit home: the hook's environment is built from scratch (pip
  # builds the wheel from the repository at HEAD, with maturin from PyPI).
  export PRE_COMMIT_HOME="$PK/pre-commit-home"
  # The hook's wheel is built in the dev profile, in this checkout's target
  # folder (CARGO_TARGET_DIR, exported above), so that it reuses the
  # dependencies `cargo test` compiled: the hook's mechanics are under test
  # here, the shipped build in the wheel suite. (The hook's build replaces
  # target/debug/kubeward with the same program built from HEAD; the next
  # cargo build links its own again.)
  local -x MATURIN_PEP517_ARGS="--profile dev"
  rm -rf "$PRE_COMMIT_HOME"
  local head
  head="$(git rev-parse HEAD)" || return 1
  local out="$TMP/pre-commit.out" status=0
  (cd "$repo" && "$TOOLS/bin/pre-commit" try-repo "$ROOT" kubeward --ref "$head" --files insecure/*) \
    >"$out" 2>&1 || status=$?
  cat "$out"
  [ "$status" -eq 1 ] || fail "the hook on an insecure manifest: exit $status, expected 1" || return 1
  # The text output for people: the finding, then where it is.
  grep -q '^critical\[no-privileged\]: container "web" runs privileged' "$out" \
    && grep -q -- '--> insecure/shop.yaml:30:11' "$out" || fail "no finding in the hook's output" || return 1
  status=0
  (cd "$repo" && "$TOOLS/bin/pre-commit" try-repo "$ROOT" kubeward --ref "$head" --files hardened/* notes.yaml) \
    >"$out" 2>&1 || status=$?
  cat "$out"
  [ "$status" -eq 0 ] || fail "the hook on a hardened manifest: exit $status, expected 0" || return 1
  grep -q "^kubeward.*Passed" "$out" || fail "the hook did not report Passed" || return 1
  rm -rf "$PRE_COMMIT_HOME"
}

# --- GitHub Action -------------------------------------------------------------------
action_case() {
  local name="$1" inputs="$2" expected_status="$3" expected_code="$4" expect_upload="$5"
  local workspace="$TMP/action-$name" result="$TMP/action-$name.json"
  mkdir -p "$workspace/k8s" "$workspace/hardened"
  cp "$INSECURE"/* "$workspace/k8s/" && cp "$HARDENED"/* "$workspace/hardened/" || return 1
  printf '%s\n' "$inputs" >"$TMP/action-$name-inputs.json"
  local status=0
  RUNNER_TEMP="$TMP/runner-temp-$name" PATH="$TMP/runner-temp-insecure/kubeward/bin:$PATH" \
    "$TOOLS/bin/python" tests/packaging/run_action.py action.yml "$workspace" \
    "$TMP/action-$name-inputs.json" "$result" >"$TMP/action-$name.log" 2>&1 || status=$?
  [ "$status" -eq "$expected_status" ] || { cat "$TMP/action-$name.log"; fail "action ($name): job status $status"; } || return 1
  python3 - "$result" "$expected_code" "$expect_upload" "$workspace" <<'PYTHON' || return 1
import json, os, sys
result, code, upload, workspace = sys.argv[1], sys.argv[2], sys.argv[3] == "yes", sys.argv[4]
record = json.load(open(result))
assert record["outputs"]["exit-code"] == code, record["outputs"]
uploads = record["uses"].get("github/codeql-action/upload-sarif@v3")
assert bool(uploads) == upload, record["steps"]
if upload:
    sarif = json.load(open(os.path.join(workspace, uploads["sarif_file"])))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert (len(results) > 0) == (code == "1"), len(results)
PYTHON
  if [ "$expected_code" = 1 ]; then
    grep -q "^::error file=k8s/shop.yaml,line=[0-9]*,col=[0-9]*" "$TMP/action-$name.log" \
      || fail "action ($name): no annotation" || return 1
  fi
  echo "action ($name): exit code $expected_code, job $( [ "$expected_status" -eq 0 ] && echo passed || echo failed)"
}
action_suite() {
  # The install step builds with cargo install (reusing the dist build here).
  action_case insecure '{"paths": "k8s"}' 1 1 yes || return 1
  [ -x "$TMP/runner-temp-insecure/kubeward/bin/kubeward" ] || fail "the install step installed nothing" || return 1
  # Later cases skip the install step and use what the first one installed.
  action_case hardened '{"paths": "hardened", "install": "false"}' 0 0 yes || return 1
  action_case fail-on-critical '{"paths": "k8s hardened", "install": "false", "fail-on": "critical"}' 1 1 yes || return 1
  action_case bad-config '{"paths": "k8s", "install": "false", "config": "missing.yaml"}' 1 2 no || return 1
  action_case no-upload '{"paths": "k8s", "install": "false", "upload-sarif": "false"}' 1 1 no || return 1
}

# --- GitLab CI -------------------------------------------------------------------------
gitlab_suite() {
  [ -n "${WHEEL:-}" ] || fail "the wheel suite did not build a wheel" || return 1
  local project="$TMP/gitlab-project" venv="$TMP/gitlab-venv"
  mkdir -p "$project/k8s" && cp "$INSECURE"/* "$project/k8s/" || return 1
  python3 -m venv "$venv" || return 1
  # The job's script, as the runner runs it: one shell, stopping at the first failing line.
  "$TOOLS/bin/python" - integrations/kubeward.gitlab-ci.yml "$TMP/gitlab-job.sh" <<'PYTHON' || return 1
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))["kubeward"]
with open(sys.argv[2], "w") as out:
    out.write("set -eo pipefail\n")
    for name, value in job["variables"].items():
        out.write(f': "${{{name}:={value}}}"\n')
    for line in job["script"]:
        out.write(line + "\n")
assert job["artifacts"]["when"] == "always"
assert job["artifacts"]["reports"] == {"junit": "kubeward-junit.xml", "codequality": "gl-code-quality-report.json"}
PYTHON
  local status=0
  (cd "$project" && PATH="$venv/bin:$PATH" CI_PROJECT_DIR="$project" KUBEWARD_PATHS=k8s KUBEWARD_INSTALL="$WHEEL" \
    bash "$TMP/gitlab-job.sh") >"$TMP/gitlab.log" 2>&1 || status=$?
  cat "$TMP/gitlab.log"
  [ "$status" -eq 1 ] || fail "the GitLab job exited $status, expected 1 (findings)" || return 1
  python3 - "$project" <<'PYTHON' || return 1
import json, os, sys, xml.etree.ElementTree as ET
project = sys.argv[1]
report = json.load(open(os.path.join(project, "kubeward.json")))
issues = json.load(open(os.path.join(project, "gl-code-quality-report.json")))
active = [f for f in report["findings"] if not f.get("suppressed")]
assert len(issues) == len(active) + len(report["errors"]) > 0, (len(issues), len(active))
for issue in issues:
    assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert issue["location"]["path"].startswith("k8s/") and issue["location"]["lines"]["begin"] >= 1
    assert len(issue["fingerprint"]) == 64
assert len({i["fingerprint"] for i in issues}) == len(issues), "fingerprints must be unique"
ET.parse(os.path.join(project, "kubeward-junit.xml"))
assert json.load(open(os.path.join(project, "kubeward.sarif")))["version"] == "2.1.0"
print(f"GitLab: {len(issues)} code quality issues, JUnit and SARIF written")
PYTHON
  # Without KUBEWARD_INSTALL the job stops with a message and exit code 2.
  status=0
  (cd "$project" && PATH="$venv/bin:$PATH" bash "$TMP/gitlab-job.sh") >"$TMP/gitlab-unset.log" 2>&1 || status=$?
  [ "$status" -eq 2 ] && grep -q "set KUBEWARD_INSTALL" "$TMP/gitlab-unset.log" \
    || fail "the GitLab job without KUBEWARD_INSTALL: exit $status" || return 1
}

run_suite cargo cargo_suite
run_suite wheel wheel_suite
run_suite address address_suite
run_suite c c_suite
run_suite npm npm_suite
run_suite pre-commit precommit_suite
run_suite action action_suite
run_suite gitlab gitlab_suite
finish
