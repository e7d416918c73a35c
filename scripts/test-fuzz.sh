#!/usr/bin/env bash
# A short smoke run of every fuzz target (a few seconds each, well under two
# minutes with the build cached), exiting non-zero on any crash. Installs
# cargo-fuzz when it is missing. For long runs use fuzz/run.sh.
#   bash scripts/test-fuzz.sh [seconds-per-target]   (default 8)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-8}"

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install --locked cargo-fuzz || cargo install cargo-fuzz
fi

# A fresh, small corpus (seeds and regression inputs), so that a long run's
# corpus left in fuzz/corpus/ does not eat the smoke run's seconds.
export KUBEWARD_FUZZ_CORPUS=corpus-smoke
rm -rf fuzz/corpus-smoke
bash fuzz/run.sh "$seconds"
