#!/usr/bin/env bash
# Builds and runs bench/selection_bench.cpp: one proxy-number selection with 5,000 pool
# numbers and 1,000,000 active participants in a SQLite ledger.
#   bench/selection.sh [PARTICIPANTS (default 1000000)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"
bench_build_all
dir=$(mktemp -d /tmp/mc-selection.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$bench_build/bench/selection-bench" "$dir" "${1:-1000000}"
