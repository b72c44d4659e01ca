#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its seed corpus (read only: what the
# fuzzer finds goes to a scratch directory, and a crashing input is kept for the report).
# Usage: run-fuzz.sh TARGET_BINARY SEED_CORPUS_DIR SECONDS
set -euo pipefail
binary=$(realpath "$1") seeds=$(realpath "$2") seconds=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
mkdir corpus
# -rss_limit_mb (libFuzzer's default) guards against runaway inputs; -print_final_stats shows the execution count.
exec "$binary" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="${MC_FUZZ_ARTIFACTS:-$scratch}/" corpus "$seeds"
