#!/usr/bin/env bash
# Runs every fuzz target in turn, for SECONDS each (default 600), on one core:
#   fuzz/run.sh [seconds-per-target] [target...]
# Builds with cargo-fuzz on the stable toolchain: no sanitizer (`-s none`; the
# core forbids unsafe code) and debug assertions on (`-a`), so integer overflow
# panics too. Set KUBEWARD_FUZZ_SANITIZER=address to build with AddressSanitizer,
# which needs nightly flags (RUSTC_BOOTSTRAP=1 is set for it).
# Corpora grow in fuzz/corpus/<target>/ (or $KUBEWARD_FUZZ_CORPUS/<target>/,
# relative to fuzz/; seeded by fuzz/seed-corpus.sh, never committed); a crash stops its target, is saved under fuzz/artifacts/<target>/
# and makes this script exit non-zero: keep the input in fuzz/regressions/.
set -uo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then targets=(scan_bytes scan_structured config ffi pss fix); fi
sanitizer="${KUBEWARD_FUZZ_SANITIZER:-none}"
if [[ "$sanitizer" != none ]]; then export RUSTC_BOOTSTRAP=1; fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz is missing: cargo install --locked cargo-fuzz" >&2
  exit 2
fi
# fuzz/Cargo.lock is its own lock (this is its own workspace): when the core's
# dependencies change it must be updated and committed with them, or every fuzz
# build would rewrite it. Fail here instead of leaving the tree modified.
if ! lock_check=$(cargo metadata --locked --format-version 1 2>&1 >/dev/null); then
  echo "$lock_check" >&2
  echo "fuzz/Cargo.lock is out of date: run \`cargo metadata --manifest-path fuzz/Cargo.toml --format-version 1 >/dev/null\` and commit fuzz/Cargo.lock" >&2
  exit 2
fi
corpus="${KUBEWARD_FUZZ_CORPUS:-corpus}"
export KUBEWARD_FUZZ_CORPUS="$corpus"
[[ -d "$corpus/scan_bytes" ]] || bash seed-corpus.sh "${KUBEWARD_EXTRA_SEEDS:-}"
cargo fuzz build -s "$sanitizer" -a -O || exit 2

failed=()
for target in "${targets[@]}"; do
  mkdir -p "$corpus/$target" "artifacts/$target"
  log="artifacts/$target/last-run.log"
  echo "==> $target for ${seconds}s (log: fuzz/$log)"
  cargo fuzz run -s "$sanitizer" -a -O "$target" "$corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 >"$log" 2>&1
  status=$?
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" | sed 's/^/    /'
  grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1 | sed 's/^/    final /'
  if [[ $status -ne 0 ]]; then
    echo "    CRASH (exit $status):"
    grep -E 'panicked at|Test unit written to|ERROR: libFuzzer' "$log" | head -n 5 | sed 's/^/    /'
    failed+=("$target")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "crashed: ${failed[*]}" >&2
  exit 1
fi
echo "no crash in ${targets[*]}"
