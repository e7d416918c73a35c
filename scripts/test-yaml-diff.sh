#!/usr/bin/env bash
# Differential test of kubeward's YAML loader against PyYAML read the way kubectl
# reads (go-yaml v2's rules): every document of ../shared/corpora, the Pod Security
# fixtures, a generated corpus, generated quirky documents and crates/core/tests/yaml-quirks.
# Installs a pinned PyYAML in a venv under target/ when it is missing. Prints one summary
# line; fails on any difference the allowlist does not name (see docs/yaml.md).
#
#   bash scripts/test-yaml-diff.sh [--verbose]
#
# With CI=true a missing ../shared is a failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pyyaml_version="6.0.3"
work="$root/target/yaml-diff"
venv="$work/venv"
if ! "$venv/bin/python" -c "import yaml, sys; sys.exit(yaml.__version__ != '$pyyaml_version')" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input "PyYAML==$pyyaml_version"
fi
bash scripts/build-debug.sh
target_dir="$(cargo metadata --format-version 1 --no-deps | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
exec "$venv/bin/python" scripts/yaml_diff.py \
    --tool "$target_dir/debug/examples/yaml_json" \
    --shared "$root/../shared" \
    --quirks crates/core/tests/yaml-quirks \
    --allowlist crates/core/tests/yaml-quirks/allowlist.tsv \
    --work "$work" \
    "$@"
