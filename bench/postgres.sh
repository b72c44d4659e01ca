#!/usr/bin/env bash
# The PostgreSQL ledger next to SQLite, in the same run, through nginx -> worker:
#   1. POST /sessions, 2 people, with TWILIO_LATENCY_MS added to every Twilio request (the
#      sandbox), at 1 and 32 connections;
#   2. POST /inbound-call with valid signatures on a ledger of SESSIONS open two-person
#      sessions (answered from the in-memory index; the call recorded), at 8 and 32
#      connections, with the bare libfcgi responder behind the same nginx as the ceiling.
# PostgreSQL is a private server (scripts/dev-postgres) on a loopback port, with fsync on,
# on this machine: the worker and the database share its cores, as they would not in a
# deployment of several hosts.
#
#   bench/postgres.sh [SECONDS_PER_RUN (default 10)] [SESSIONS (default 100000)]
#                     [TWILIO_LATENCY_MS (default 50)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-10}
sessions=${2:-100000}
latency=${3:-50}
public=https://masked.bench.invalid
token=bench-auth-token

bench_build_all
root=$(mktemp -d /tmp/mc-bench-pg.XXXXXX)
chmod 755 "$root"  # the server runs as the postgres user when this runs as root
"$bench_repo/scripts/dev-postgres" start "$root/pg"
pg_base=$(cat "$root/pg/url")
pg_database() {  # a fresh database named $1; prints its URL
  psql -q "$pg_base" -c "CREATE DATABASE $1" >/dev/null
  echo "${pg_base%/*}/$1"
}
cleanup() {
  bench_stop_all
  "$bench_repo/scripts/dev-postgres" stop "$root/pg" || true
  rm -rf "$root"
}
trap cleanup EXIT

# A Twilio account (sandbox) per ledger: two ledgers on one account would each pick pairs
# the other holds there, and Twilio refuses a participant already bound to that number.
export BENCH_API_AUTH
BENCH_API_AUTH=$(printf 'masked:masked' | base64 -w0)

# Fresh signed calls for every run (a replayed CallSid would skip its insert).
calls_per_run=${MC_BENCH_CALLS:-200000}
run=0
calls_file() {
  run=$((run + 1))
  "$bench_build/bench/signed-calls" "$public/inbound-call" "$token" "$sessions" \
    "$calls_per_run" $((run * calls_per_run)) >"$root/calls-$run.txt"
  echo "$root/calls-$run.txt"
}

declare -A create_rows inbound_rows pg_cpu

# CPU seconds used so far by the PostgreSQL server's processes (postmaster and backends).
pg_cpu_seconds() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 == "(postgres)" { t += $14 + $15 } END { printf "%.2f", t / 100 }'
}
# "CPU ms of PostgreSQL per operation" over a run of RPS operations/s for $seconds.
pg_cpu_per_op() {
  awk -v a="$1" -v b="$2" -v rps="$3" -v s="$seconds" 'BEGIN { printf "%.3f", (b - a) * 1000 / (rps * s) }'
}

for backend in sqlite postgresql; do
  # Session creates.
  bench_start_sandbox "$root/sandbox-$backend.log" "$latency"
  BENCH_DIR="$root/create-$backend"
  mkdir -p "$BENCH_DIR"
  database="$BENCH_DIR/masked-comms.db"
  [[ $backend == postgresql ]] && database=$(pg_database create_bench)
  bench_start_stack "MC_DATABASE=$database" MC_THREADS=40 MC_MODULES=admin,sessions,conversations \
    TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 TWILIO_AUTH_TOKEN=sandbox-auth-token \
    "TWILIO_BASE_URL=http://127.0.0.1:$sandbox_port/{product}" MC_PUBLIC_BASE_URL=http://127.0.0.1 \
    MC_TWILIO_RATE_LIMIT=0 MC_DB_POOL_SIZE=32 "NUMBER_POOL=$sandbox_pool"
  for c in 1 32; do
    before=$(pg_cpu_seconds)
    read -r rps p50 p99 bad < <(BENCH_PARTICIPANTS=2 bench_wrk "$c" "$seconds" \
      "$BENCH_HTTP/sessions" -s "$bench_repo/bench/sessions-create.lua" --timeout 30s)
    create_rows[$backend,$c]="$rps $p50 $p99 $bad"
    pg_cpu[create,$backend,$c]=$(pg_cpu_per_op "$before" "$(pg_cpu_seconds)" "$rps")
  done
  bench_stop_stack
  kill -TERM "$sandbox_pid"

  # Inbound calls on a filled ledger.
  BENCH_DIR="$root/inbound-$backend"
  mkdir -p "$BENCH_DIR"
  database="$BENCH_DIR/masked-comms.db"
  [[ $backend == postgresql ]] && database=$(pg_database inbound_bench)
  echo "filling the $backend ledger with $sessions sessions..." >&2
  pool=$("$bench_build/bench/ledger-fill" "$database" "$sessions" 1000 2>/dev/null)
  bench_start_stack "MC_DATABASE=$database" MC_THREADS=16 MC_MODULES=admin,sessions,conversations,voice \
    TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 "TWILIO_AUTH_TOKEN=$token" \
    "TWILIO_BASE_URL=http://127.0.0.1:9/{product}" "MC_PUBLIC_BASE_URL=$public" \
    MC_NUMBER_CAPACITY=1000 MC_DB_POOL_SIZE=16 "NUMBER_POOL=$pool"
  for _ in $(seq 600); do
    curl -fsS "$BENCH_HTTP/healthz" | grep -Eq '"loaded" *: *true' && break
    sleep 0.1
  done
  for c in 8 32; do
    file=$(calls_file)
    before=$(pg_cpu_seconds)
    read -r rps p50 p99 bad < <(BENCH_CALLS_FILE=$file bench_wrk "$c" "$seconds" \
      "$BENCH_HTTP/inbound-call" -s "$bench_repo/bench/inbound-call.lua")
    inbound_rows[$backend,$c]="$rps $p50 $p99 $bad"
    pg_cpu[inbound,$backend,$c]=$(pg_cpu_per_op "$before" "$(pg_cpu_seconds)" "$rps")
  done
  read -r rss _ < <(bench_rss "$BENCH_WORKER_PID")
  inbound_rows[$backend,rss]=$rss
  bench_stop_stack
done

# The ceiling, once: the bare responder behind the same nginx configuration.
BENCH_DIR="$root/bare"
mkdir -p "$BENCH_DIR"
"$bench_build/bench/bare-fcgi-responder" "$BENCH_DIR/bare.sock" 16 &
bench_pids+=($!)
for _ in $(seq 100); do [[ -S "$BENCH_DIR/bare.sock" ]] && break; sleep 0.05; done
bare_http=$(bench_start_nginx "$BENCH_DIR/nginx" "$BENCH_DIR/bare.sock")
bench_wait_for "$bare_http/healthz"
declare -A bare_rows
for c in 8 32; do
  read -r rps _ p99 _ < <(BENCH_CALLS_FILE=$(calls_file) bench_wrk "$c" "$seconds" \
    "$bare_http/inbound-call" -s "$bench_repo/bench/inbound-call.lua")
  bare_rows[$c]="$rps $p99"
done

echo "machine: $(nproc) cores (worker, nginx, sandbox and PostgreSQL share them); wrk ${seconds}s per run"
echo
echo "POST /sessions, 2 people, ${latency} ms added to every Twilio request:"
printf '%-11s %-6s %12s %10s %10s %14s\n' ledger conns "sessions/s" "p50 ms" "p99 ms" "pg cpu ms/op"
for backend in sqlite postgresql; do
  for c in 1 32; do
    read -r rps p50 p99 bad <<<"${create_rows[$backend,$c]}"
    cpu="${pg_cpu[create,$backend,$c]}"
    [[ $backend == sqlite ]] && cpu=-
    printf '%-11s %-6s %12s %10s %10s %14s\n' "$backend" "$c" "$rps" "$p50" "$p99" "$cpu"
    [[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
  done
done
echo
echo "POST /inbound-call, $sessions open sessions, signed, answered from the index:"
printf '%-11s %-6s %12s %8s %8s | %10s %8s | %8s %14s\n' ledger conns "calls/s" "p50 ms" "p99 ms" \
  "bare/s" "p99 ms" "/bare" "pg cpu ms/op"
for backend in sqlite postgresql; do
  for c in 8 32; do
    read -r rps p50 p99 bad <<<"${inbound_rows[$backend,$c]}"
    read -r bare bare_p99 <<<"${bare_rows[$c]}"
    cpu="${pg_cpu[inbound,$backend,$c]}"
    [[ $backend == sqlite ]] && cpu=-
    printf '%-11s %-6s %12s %8s %8s | %10s %8s | %8s %14s\n' "$backend" "$c" "$rps" "$p50" "$p99" \
      "$bare" "$bare_p99" "$(awk -v a="$rps" -v b="$bare" 'BEGIN { printf "%.3f", a / b }')" "$cpu"
    [[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
  done
  echo "  $backend worker RSS ${inbound_rows[$backend,rss]} MiB"
done
echo
echo "pg cpu ms/op: CPU time of the PostgreSQL server's processes per operation; one primary"
echo "with N cores to itself tops out near N * 1000 / (ms/op) operations a second."
