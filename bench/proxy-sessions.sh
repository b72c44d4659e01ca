#!/usr/bin/env bash
# The Proxy API's session set-up (POST .../Sessions + two POST .../Participants, the calls
# of Twilio's Proxy tutorial) through nginx -> worker -> twilio-sandbox with added latency
# on every Twilio request (default 50 ms): units/s and p50/p99 of the three requests at 1
# and 16 connections, and the p50 in Twilio round trips (a unit needs three: the
# conversation, then each participant). The SQLite ledger; fresh identifiers every time.
#
#   bench/proxy-sessions.sh [SECONDS_PER_RUN (default 10)] [TWILIO_LATENCY_MS (default 50)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-10}
latency=${2:-50}

bench_build_all
BENCH_DIR=$(mktemp -d /tmp/mc-bench.XXXXXX)
bench_start_sandbox "$BENCH_DIR/sandbox.log" "$latency"
bench_start_stack MC_THREADS=40 MC_MODULES=admin,sessions,conversations,voice,proxy \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=sandbox-auth-token \
  "TWILIO_BASE_URL=http://127.0.0.1:$sandbox_port/{product}" MC_PUBLIC_BASE_URL=http://127.0.0.1 \
  MC_TWILIO_RATE_LIMIT=0 "NUMBER_POOL=$sandbox_pool"
service=$(curl -fsS -u masked:masked "$BENCH_HTTP/v1/Services" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["services"][0]["sid"])')

echo "machine: $(nproc) cores; sandbox: 5,000 numbers, ${latency} ms added to every Twilio request;"
echo "worker MC_THREADS=40; ${seconds}s per run; unit = POST Sessions + 2 POST Participants"
echo
printf '%-6s %10s %10s %10s %12s %9s\n' conns "units/s" "p50 ms" "p99 ms" "round trips" failures
for c in 1 16; do
  read -r rps p50 p99 failed < <(/usr/bin/python3 "$bench_repo/bench/proxy-sessions.py" \
    "$BENCH_HTTP" "$service" "$c" "$seconds")
  trips=$(awk -v p="$p50" -v l="$latency" 'BEGIN { printf "%.2f", p / l }')
  printf '%-6s %10s %10s %10s %12s %9s\n' "$c" "$rps" "$p50" "$p99" "$trips" "$failed"
done
read -r rss peak < <(bench_rss "$BENCH_WORKER_PID")
echo "worker memory: RSS ${rss} MiB (peak ${peak} MiB)"
