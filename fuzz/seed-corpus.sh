#!/usr/bin/env bash
# Builds the seed corpora under fuzz/corpus/<target>/ (not committed) from the
# example manifests, the regression inputs, a few hand-written hostile inputs and,
# when given, a directory of more manifests (e.g. the shared corpora):
#   fuzz/seed-corpus.sh [extra-manifest-dir]
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")"
extra="${1:-}"
corpus="${KUBEWARD_FUZZ_CORPUS:-corpus}"
mkdir -p "$corpus"/scan_bytes "$corpus"/scan_structured "$corpus"/config "$corpus"/ffi "$corpus"/pss

# scan_bytes: the first byte picks the engine (even: default limits, odd: tight limits).
add_scan_seed() { # file name
  { printf '\0'; cat "$1"; } > "$corpus/scan_bytes/$2-default"
  { printf '\1'; cat "$1"; } > "$corpus/scan_bytes/$2-tight"
}
for file in ../examples/manifests/*/*; do
  add_scan_seed "$file" "example-$(basename "$(dirname "$file")")-$(basename "$file")"
  # pss: the first two bytes pick the level (restricted, baseline) and the version (latest, v1.25).
  { printf '\2\51'; cat "$file"; } > "$corpus/pss/example-$(basename "$(dirname "$file")")-$(basename "$file")-restricted"
  { printf '\1\31'; cat "$file"; } > "$corpus/pss/example-$(basename "$(dirname "$file")")-$(basename "$file")-baseline"
done
if [[ -n "$extra" && -d "$extra" ]]; then
  n=0
  while IFS= read -r -d '' file; do
    if (( $(stat -c %s "$file") <= 65536 )); then
      add_scan_seed "$file" "extra-$n"
      n=$((n + 1))
    fi
  done < <(find "$extra" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z | head -z -n 300)
fi
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import sys
out = sys.argv[1]
laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join(['*a%d' % (i - 1)] * 10)}]\n" for i in range(1, 9))
seeds = {
    "laughs": laughs,
    "deep-flow": "k: " + "[" * 300 + "]" * 300 + "\n",
    "deep-block": "".join("  " * d + "k:\n" for d in range(150)),
    "many-docs": "---\n" * 200 + "apiVersion: v1\nkind: Pod\n",
    "merge-chain": "a: &a {x: 1}\n" + "".join(f"b{i}: &b{i} {{<<: [*{'a' if i == 0 else 'b%d' % (i - 1)}, *{'a' if i == 0 else 'b%d' % (i - 1)}], y{i}: 1}}\n" for i in range(12)),
    "list": "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {hostPID: true, containers: [{name: c, image: x, securityContext: {privileged: yes}}]}}\n- 7\n",
    "dup-keys": "apiVersion: v1\nkind: Pod\nmetadata: {name: a, name: b}\nspec: {containers: [], containers: [{name: x}]}\n",
}
for name, text in seeds.items():
    with open(out + "." + name, "w") as f:
        f.write(text)
PY
for file in "$tmp".*; do add_scan_seed "$file" "hostile-${file##*.}"; rm -f "$file"; done
# Every regression input, of every target, seeds its own target again.
for dir in regressions/*/; do
  target="$(basename "$dir")"
  mkdir -p "$corpus/$target"
  cp -f "$dir"* "$corpus/$target/" 2>/dev/null || true
done

# config: configuration examples (docs/configuration.md) and a few edge cases.
printf 'checks:\n  run-as-non-root:\n    severity: critical\n  no-privileged: {enabled: false}\n' > "$corpus"/config/checks
printf 'production:\n  namespaces: [prod-*]\n  excludeNamespaces: [kube-*]\nallowInlineIgnores: false\n' > "$corpus"/config/production
printf 'ignores:\n- check: run-as-non-root\n  kind: Deployment\n  namespace: "*"\n  name: web\n  container: app\n  reason: legacy\n  expires: 2027-01-01\ntoday: 2026-11-23\n' > "$corpus"/config/ignores
printf 'limits:\n  maxFileBytes: 1000\n  maxDepth: 4\n  maxExpandedNodes: 10\n  maxDocuments: 2\n  maxScalarBytes: 8\n  maxFindingsPerObject: 1\n' > "$corpus"/config/limits
printf '{"checks": {"no-privileged": {"severity": "low"}}, "limits": {"maxDepth": 12}}' > "$corpus"/config/json
printf 'base: &b {enabled: false}\nchecks:\n  no-privileged: {<<: *b}\n' > "$corpus"/config/merge
# scan_structured and ffi start from small random inputs; their seeds are built in.
head -c 256 /dev/urandom > "$corpus"/scan_structured/random || true
head -c 512 /dev/urandom > "$corpus"/ffi/random || true
echo "seed corpora: $(for t in "$corpus"/*/; do printf '%s=%s ' "$(basename "$t")" "$(ls "$t" | wc -l)"; done)"
