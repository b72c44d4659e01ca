#!/usr/bin/env bash
# POST /inbound-call through nginx -> worker with valid signatures, 1,000,000 active
# two-person sessions in the ledger (the lookup path of a 1:1 call: index lookups, the call
# recorded as an interaction, TwiML; no Twilio round trip). In the same run, nginx's fixed
# 200 for the ratio. Prints requests/s, p50/p99 at a few concurrencies and the worker's memory.
#
#   bench/inbound-call.sh [SECONDS_PER_RUN (default 10)] [SESSIONS (default 1000000)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-10}
sessions=${2:-1000000}
public=https://masked.bench.invalid
token=bench-auth-token

bench_build_all
BENCH_DIR=$(mktemp -d /tmp/mc-bench.XXXXXX)
echo "filling a ledger with $sessions sessions..." >&2
pool=$("$bench_build/bench/ledger-fill" "$BENCH_DIR/masked-comms.db" "$sessions" 1000 2>/dev/null)
"$bench_build/bench/signed-calls" "$public/inbound-call" "$token" "$sessions" 100000 \
  >"$BENCH_DIR/calls.txt"
export BENCH_CALLS_FILE="$BENCH_DIR/calls.txt"

bench_start_stack MC_THREADS=16 MC_MODULES=admin,sessions,conversations,voice \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 "TWILIO_AUTH_TOKEN=$token" \
  "TWILIO_BASE_URL=http://127.0.0.1:9/{product}" "MC_PUBLIC_BASE_URL=$public" \
  MC_NUMBER_CAPACITY=1000 "NUMBER_POOL=$pool"

# One call by hand: it must be answered with a <Dial>.
read -r body signature <"$BENCH_CALLS_FILE"
answer=$(curl -fsS -X POST -H "X-Twilio-Signature: $signature" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$BENCH_HTTP/inbound-call")
grep -q '<Dial callerId=' <<<"$answer" || { echo "bench: unexpected answer: $answer" >&2; exit 1; }

echo "machine: $(nproc) cores; ledger: $sessions active sessions ($((sessions * 2)) participants), 5,000 numbers;"
echo "worker MC_THREADS=16, nginx 1 worker process, keepalive ${BENCH_KEEPALIVE:-8}; wrk 2 threads, ${seconds}s per run"
echo
printf '%-6s | %12s %8s %8s | %12s %8s | %8s\n' conns "inbound/s" "p50 ms" "p99 ms" "fixed-200/s" "p99 ms" ratio
for c in 8 32 128; do
  read -r nginx_rps _ nginx_p99 _ < <(bench_wrk "$c" "$seconds" "$BENCH_HTTP/__nginx-fixed-200")
  read -r rps p50 p99 bad < <(bench_wrk "$c" "$seconds" "$BENCH_HTTP/inbound-call" \
    -s "$bench_repo/bench/inbound-call.lua")
  printf '%-6s | %12s %8s %8s | %12s %8s | %8s\n' "$c" "$rps" "$p50" "$p99" "$nginx_rps" "$nginx_p99" \
    "$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.3f", a / b }')"
  [[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
done
echo
read -r rss peak < <(bench_rss "$BENCH_WORKER_PID")
echo "worker memory: RSS ${rss} MiB (peak ${peak} MiB); ledger $(du -h "$BENCH_DIR/masked-comms.db" | cut -f1)"
