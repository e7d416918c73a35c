#!/usr/bin/env bash
# Drives `kubeward lsp` from a real editor: Neovim (Debian's package), headless,
# with scripts/lsp/nvim-test.lua. In a workspace of two files (a Deployment and
# a NetworkPolicy) it opens the Deployment, waits for the diagnostics and checks
# their codes and ranges (a line with non-ASCII text before the flagged field),
# hovers one, applies the "exempt" code action and checks the new text and that
# the diagnostic is gone, then edits the NetworkPolicy in another buffer and waits
# for the Deployment's network-policy diagnostic to go.
#
# Neovim is installed with apt-get, without prompts, when missing. The server is
# the debug build of the CLI (scripts/build-debug.sh).
# Exits non-zero on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

die() {
  echo "test-lsp: $*" >&2
  exit 1
}

if ! command -v nvim >/dev/null 2>&1; then
  echo "test-lsp: installing neovim"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root or sudo to install neovim"
    SUDO=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -qq </dev/null || die "apt-get update failed"
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends neovim </dev/null || die "apt-get install neovim failed"
fi

bash scripts/build-debug.sh || die "cargo build failed"
BIN="$ROOT/target/debug/kubeward"

WORK="$ROOT/target/lsp-test"
rm -rf "$WORK"
mkdir -p "$WORK/apps" "$WORK/policies"
cat >"$WORK/apps/workload.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - {name: "api-é😀", image: nginx, securityContext: {privileged: true}}
YAML
cat >"$WORK/policies/netpol.yaml" <<'YAML'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-only
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  policyTypes: [Ingress]
YAML

echo "test-lsp: $(nvim --version | head -1), headless"
KUBEWARD_BIN="$BIN" KUBEWARD_WORK="$WORK" timeout 120 \
  nvim --headless --clean -c "luafile $ROOT/scripts/lsp/nvim-test.lua" </dev/null
status=$?
[ "$status" -eq 0 ] || die "the Neovim test failed (exit $status)"
echo "test-lsp: passed"
