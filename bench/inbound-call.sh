#!/usr/bin/env bash
# POST /inbound-call through nginx -> worker with valid signatures, 1,000,000 active
# two-person sessions in the ledger (the lookup path of a 1:1 call: index lookups, the call
# recorded as an interaction, TwiML; no Twilio round trip). In the same run, the same signed
# POSTs to the bare libfcgi responder behind the same nginx configuration (the FastCGI
# ceiling), and nginx's fixed 200. Every concurrency point sends calls of its own (fresh
# CallSids: a replayed CallSid skips its insert and would look cheaper than real traffic).
# Prints requests/s, p50/p99, the worker's memory, and one line per concurrency:
#   ratio_to_bare conns=N inbound=R/s bare=B/s ratio=X p99=Y ms
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
calls_per_point=${MC_BENCH_CALLS:-300000}
connections=(8 32 128)
for i in "${!connections[@]}"; do
  "$bench_build/bench/signed-calls" "$public/inbound-call" "$token" "$sessions" \
    "$calls_per_point" $((i * calls_per_point)) >"$BENCH_DIR/calls-$i.txt"
done
# The hand-made check call below has a CallSid of its own.
"$bench_build/bench/signed-calls" "$public/inbound-call" "$token" "$sessions" 1 \
  $((${#connections[@]} * calls_per_point)) >"$BENCH_DIR/check.txt"

bench_start_stack MC_THREADS=16 MC_MODULES=admin,sessions,conversations,voice \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 "TWILIO_AUTH_TOKEN=$token" \
  "TWILIO_BASE_URL=http://127.0.0.1:9/{product}" "MC_PUBLIC_BASE_URL=$public" \
  MC_NUMBER_CAPACITY=1000 "NUMBER_POOL=$pool" ${BENCH_WORKER_ENV:-}

# The worker answers from its in-memory index once it has loaded the ledger.
for _ in $(seq 600); do
  curl -fsS "$BENCH_HTTP/healthz" | grep -Eq '"loaded" *: *true' && break
  sleep 0.1
done
curl -fsS "$BENCH_HTTP/healthz" | grep -Eq '"loaded" *: *true' || { echo "bench: index not loaded" >&2; exit 1; }
echo "index loaded $SECONDS s into the run: $(curl -fsS "$BENCH_HTTP/healthz")" >&2

# One call by hand: it must be answered with a <Dial>.
read -r body signature <"$BENCH_DIR/check.txt"
answer=$(curl -fsS -X POST -H "X-Twilio-Signature: $signature" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$BENCH_HTTP/inbound-call")
grep -q '<Dial callerId=' <<<"$answer" || { echo "bench: unexpected answer: $answer" >&2; exit 1; }

"$bench_build/bench/bare-fcgi-responder" "$BENCH_DIR/bare.sock" 16 &
bench_pids+=($!)
for _ in $(seq 100); do [[ -S "$BENCH_DIR/bare.sock" ]] && break; sleep 0.05; done
bare_http=$(bench_start_nginx "$BENCH_DIR/nginx-bare" "$BENCH_DIR/bare.sock")
bench_wait_for "$bare_http/healthz"

echo "machine: $(nproc) cores; ledger: $sessions active sessions ($((sessions * 2)) participants), 5,000 numbers;"
echo "worker and bare responder MC_THREADS=16, nginx 1 worker process, keepalive ${BENCH_KEEPALIVE:-8};"
echo "wrk 2 threads, ${seconds}s per run; $calls_per_point fresh signed calls per concurrency"
echo
printf '%-6s | %12s %8s %8s | %10s %8s | %12s %8s | %8s %8s\n' conns "inbound/s" "p50 ms" \
  "p99 ms" "bare/s" "p99 ms" "fixed-200/s" "p99 ms" "/bare" "/fixed"
ratios=()
for i in "${!connections[@]}"; do
  c=${connections[$i]}
  read -r nginx_rps _ nginx_p99 _ < <(bench_wrk "$c" "$seconds" "$BENCH_HTTP/__nginx-fixed-200")
  read -r bare_rps _ bare_p99 _ < <(BENCH_CALLS_FILE="$BENCH_DIR/calls-$i.txt" \
    bench_wrk "$c" "$seconds" "$bare_http/inbound-call" -s "$bench_repo/bench/inbound-call.lua")
  read -r rps p50 p99 bad < <(BENCH_CALLS_FILE="$BENCH_DIR/calls-$i.txt" \
    bench_wrk "$c" "$seconds" "$BENCH_HTTP/inbound-call" -s "$bench_repo/bench/inbound-call.lua")
  folded_in=$(bench_wait_for_call_journal "$BENCH_DIR/masked-comms.db")
  to_bare=$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN { printf "%.3f", a / b }')
  printf '%-6s | %12s %8s %8s | %10s %8s | %12s %8s | %8s %8s\n' "$c" "$rps" "$p50" "$p99" \
    "$bare_rps" "$bare_p99" "$nginx_rps" "$nginx_p99" "$to_bare" \
    "$(awk -v a="$rps" -v b="$nginx_rps" 'BEGIN { printf "%.3f", a / b }')"
  [[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
  echo "  the calls were applied from the call journal within ${folded_in} s of the run's end"
  ratios+=("ratio_to_bare conns=$c inbound=$rps/s bare=$bare_rps/s ratio=$to_bare p99=$p99 ms")
done
echo
read -r rss peak < <(bench_rss "$BENCH_WORKER_PID")
echo "worker memory: RSS ${rss} MiB (peak ${peak} MiB); ledger $(du -h "$BENCH_DIR/masked-comms.db" | cut -f1)"
printf '%s\n' "${ratios[@]}"
