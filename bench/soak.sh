#!/usr/bin/env bash
# A bounded soak of the call path: a ledger of SESSIONS active sessions, the worker idle for
# a minute (its CPU measured), then MINUTES of paced inbound calls (CONNS connections, each
# waiting DELAY_MS before every request: about CONNS * 1000 / DELAY_MS calls/s at most),
# every one a new CallSid, recorded by the call log. Every 30 s it prints the database and
# WAL file sizes, the worker's RSS and the entries waiting in the call journal; at the end,
# the calls/s reached, how long the journal took to be applied, and the calls in the
# ledger. Loopback only; stops by itself.
#
#   bench/soak.sh [MINUTES (10)] [SESSIONS (1000000)] [CONNS (24)] [DELAY_MS (4)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

minutes=${1:-10}
sessions=${2:-1000000}
conns=${3:-24}
delay_ms=${4:-4}

bench_build_all
BENCH_DIR=$(mktemp -d /tmp/mc-bench.XXXXXX)
echo "filling a ledger with $sessions sessions..." >&2
pool=$("$bench_build/bench/ledger-fill" "$BENCH_DIR/masked-comms.db" "$sessions" 1000 2>/dev/null)
"$bench_build/bench/signed-calls" https://soak.invalid/inbound-call unused "$sessions" 200000 \
  >"$BENCH_DIR/pairs.txt"
bench_start_stack MC_THREADS=16 MC_MODULES=admin,sessions,conversations,voice \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=soak-token \
  "TWILIO_BASE_URL=http://127.0.0.1:9/{product}" MC_PUBLIC_BASE_URL=https://soak.invalid \
  MC_VALIDATE_WEBHOOKS=false MC_NUMBER_CAPACITY=1000 "NUMBER_POOL=$pool"
for _ in $(seq 600); do
  curl -fsS "$BENCH_HTTP/healthz" | grep -Eq '"loaded" *: *true' && break
  sleep 0.1
done

ticks() { awk '{print $14 + $15}' "/proc/$BENCH_WORKER_PID/stat"; }
hz=$(getconf CLK_TCK)
sleep 10  # start-up settles (the index load)
before=$(ticks)
sleep 60
idle=$(awk -v t=$(($(ticks) - before)) -v hz="$hz" 'BEGIN { printf "%.2f", t / hz / 60 * 100 }')
echo "idle worker CPU with $sessions sessions: ${idle}% of one core over 60 s"

sizes() {
  local db wal rss
  db=$(stat -c %s "$BENCH_DIR/masked-comms.db")
  wal=$(stat -c %s "$BENCH_DIR/masked-comms.db-wal" 2>/dev/null || echo 0)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$BENCH_WORKER_PID/status")
  journal=$(sqlite3 -readonly "file:$BENCH_DIR/masked-comms.db?mode=ro" \
    "SELECT count(*) FROM call_journal" 2>/dev/null || echo '?')
  printf '%6s s  db %6d MiB  wal %5d MiB  rss %5d MiB  journal %7s\n' "$1" $((db >> 20)) \
    $((wal >> 20)) $((rss >> 10)) "$journal"
}
sizes 0
BENCH_CALLS_FILE="$BENCH_DIR/pairs.txt" BENCH_DELAY_MS=$delay_ms \
  wrk -t2 -c"$conns" -d"$((minutes * 60))s" --latency -s "$bench_repo/bench/soak.lua" \
  "$BENCH_HTTP/inbound-call" >"$BENCH_DIR/wrk.txt" 2>&1 &
wrk_pid=$!
for ((t = 30; t <= minutes * 60; t += 30)); do
  sleep 30
  sizes "$t"
done
wait "$wrk_pid"
grep -E 'Requests/sec|Non-2xx|requests in|50%|99%' "$BENCH_DIR/wrk.txt"
sleep 1
sizes end
echo "the call journal was applied within $(bench_wait_for_call_journal "$BENCH_DIR/masked-comms.db") s of the end"
calls=$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM calls').fetchone()[0])" "$BENCH_DIR/masked-comms.db")
echo "calls in the ledger: $calls"
