#!/usr/bin/env bash
# Session creation through nginx -> worker -> twilio-sandbox with added latency on every
# Twilio request (default 50 ms, as a real round trip would be): sessions/s and p50/p99
# latency for 2, 10 and 50 participants at concurrency 1 and 32. Every session is new people
# (random numbers), so the ledger and the pool fill up as in production. That table runs
# without the client-side rate limit (MC_TWILIO_RATE_LIMIT=0) to show what the worker itself
# does. Then a second worker with the default limits (50 requests/s per endpoint, a burst of
# one second's worth) creates 50-person sessions one a second, and the p50 is also given in
# Twilio round trips (p50 / latency).
#
#   bench/sessions.sh [SECONDS_PER_RUN (default 10)] [TWILIO_LATENCY_MS (default 50)]
# BENCH_SIZES="2 10 50" picks the session sizes of the table; LIMITED_ENV="NAME=value ..."
# adds to the second worker's environment.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-10}
latency=${2:-50}

bench_build_all
BENCH_DIR=$(mktemp -d /tmp/mc-bench.XXXXXX)
bench_start_sandbox "$BENCH_DIR/sandbox.log" "$latency"
pool=$sandbox_pool

bench_start_stack MC_THREADS=40 MC_MODULES=admin,sessions,conversations \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=sandbox-auth-token \
  "TWILIO_BASE_URL=http://127.0.0.1:$sandbox_port/{product}" MC_PUBLIC_BASE_URL=http://127.0.0.1 \
  MC_TWILIO_RATE_LIMIT=0 "NUMBER_POOL=$pool"
export BENCH_API_AUTH
BENCH_API_AUTH=$(printf 'masked:masked' | base64 -w0)

echo "machine: $(nproc) cores; sandbox: 5,000 numbers, 512 threads, ${latency} ms added to every Twilio request;"
echo "worker MC_THREADS=40 (nginx keepalive ${BENCH_KEEPALIVE:-8}); wrk ${seconds}s per run"
echo
printf '%-13s %-6s %12s %10s %10s\n' participants conns "sessions/s" "p50 ms" "p99 ms"
for participants in ${BENCH_SIZES:-2 10 50}; do
  for c in 1 32; do
    read -r rps p50 p99 bad < <(BENCH_PARTICIPANTS=$participants bench_wrk "$c" "$seconds" \
      "$BENCH_HTTP/sessions" -s "$bench_repo/bench/sessions-create.lua" --timeout 30s)
    printf '%-13s %-6s %12s %10s %10s\n' "$participants" "$c" "$rps" "$p50" "$p99"
    [[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
  done
done
echo
open=$(curl -fsS -u masked:masked "$BENCH_HTTP/sessions?status=open&pageSize=1" >/dev/null && echo ok)
read -r rss peak < <(bench_rss "$BENCH_WORKER_PID")
echo "worker memory: RSS ${rss} MiB (peak ${peak} MiB); ledger: $(du -h "$BENCH_DIR/masked-comms.db" | cut -f1) ${open:+(queried ok)}"

# The default rate limit: a second worker on the same ledger, paced creates of 50 people.
env MC_DATABASE="$BENCH_DIR/masked-comms.db" MC_LOG_LEVEL=warn MC_THREADS=8 \
  MC_MODULES=admin,sessions,conversations TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 \
  TWILIO_AUTH_TOKEN=sandbox-auth-token "TWILIO_BASE_URL=http://127.0.0.1:$sandbox_port/{product}" \
  MC_PUBLIC_BASE_URL=http://127.0.0.1 "NUMBER_POOL=$pool" ${LIMITED_ENV:-} \
  "$bench_build/fcgi-app/masked-comms-worker" --socket "$BENCH_DIR/limited.sock" \
  2>"$BENCH_DIR/limited.log" &
bench_pids+=($!)
for _ in $(seq 200); do [[ -S "$BENCH_DIR/limited.sock" ]] && break; sleep 0.05; done
limited_http=$(bench_start_nginx "$BENCH_DIR/nginx-limited" "$BENCH_DIR/limited.sock")
bench_wait_for "$limited_http/healthz"
read -r rps p50 p99 bad < <(BENCH_PARTICIPANTS=50 BENCH_PACE_MS=1000 bench_wrk 1 "$seconds" \
  "$limited_http/sessions" -s "$bench_repo/bench/sessions-create.lua" --timeout 30s)
round_trips=$(awk -v p="$p50" -v l="$latency" 'BEGIN { printf "%.2f", p / l }')
echo "default rate limit, 50 participants, one create a second: p50 ${p50} ms = ${round_trips} round trips, p99 ${p99} ms"
[[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
echo "create_50 p50=${p50} ms round_trips=${round_trips}"
echo
