#!/usr/bin/env bash
# Validates real reports, the example configuration and SARIF output against
# the JSON Schemas (the checked-in ones, and the official SARIF 2.1.0 schema).
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/schema-check
mkdir -p "$out"
bash scripts/build-debug.sh
bin=target/debug/kubeward
# Exit code 1 means "findings": expected here; 2 (input that cannot be read) only where said.
scan() { "$bin" scan "$@" || [ $? -eq 1 ]; }
scan_unreadable() { "$bin" scan "$@" || [ $? -eq 2 ]; }
scan --format json examples/manifests > "$out/examples.json"
scan --config examples/kubeward.yaml --format json examples/manifests/insecure > "$out/insecure.json"
scan --format json examples/manifests/hardened > "$out/hardened.json"
printf 'kind: [broken\n---\n- a\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n' > "$out/broken.yaml"
scan_unreadable --format json "$out/broken.yaml" does-not-exist.yaml > "$out/broken.json"
# An exempted finding, so that SARIF suppressions are exercised.
cat > "$out/exempt.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: agent
  annotations:
    kubeward.io/ignore: no-host-namespaces
    kubeward.io/ignore-reason: node agent
spec:
  hostPID: true
  containers: []
YAML
scan --format sarif examples/manifests/insecure "$out/exempt.yaml" > "$out/insecure.sarif"
# A baseline of the insecure examples.
scan --write-baseline "$out/baseline.json" --format json examples/manifests/insecure > /dev/null

cd tests/schema
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi
node --test
