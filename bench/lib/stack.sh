# Shared by the bench/ scripts: builds the worker and starts worker + dev nginx in a scratch
# directory on free loopback ports. Source it, then call `bench_start_stack [worker env...]`;
# everything started is stopped on exit.
#
# After bench_start_stack: $BENCH_DIR, $BENCH_HTTP (base URL), $BENCH_WORKER_PID.

bench_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench_build=${MC_BUILD_DIR:-$bench_repo/build}
bench_pids=()

bench_stop_all() {
  local pid_file
  for pid_file in "${BENCH_DIR:-/nonexistent}"/*/nginx.pid; do
    [[ -f "$pid_file" ]] && kill -TERM "$(cat "$pid_file")" 2>/dev/null
  done
  for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ -n "${BENCH_DIR:-}" && "${MC_KEEP_BENCH_DIR:-0}" != 1 ]] && rm -rf "$BENCH_DIR"
}
trap bench_stop_all EXIT

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

bench_build_all() {
  "$bench_repo/scripts/setup"
  cmake -S "$bench_repo" -B "$bench_build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$bench_build" -j"$(nproc)" >/dev/null
}

# Renders and starts a dev nginx in front of SOCKET, in DIR; prints its base URL.
# Usage: url=$(bench_start_nginx DIR SOCKET)  (the caller adds nothing to bench_pids: the
# nginx pid file in DIR is used to stop it)
bench_start_nginx() {
  local dir=$1 socket=$2 http_port https_port
  http_port=$(bench_free_port)
  https_port=$(bench_free_port)
  "$bench_repo/scripts/dev-nginx" --prefix "$dir" --http-port "$http_port" \
    --https-port "$https_port" --socket "$socket" --keepalive "${BENCH_KEEPALIVE:-8}"
  nginx -p "$dir" -c "$dir/conf/nginx.conf" -e "$dir/logs/error.log" </dev/null >/dev/null 2>&1 &
  echo "http://127.0.0.1:$http_port"
}

# Waits (up to 10 minutes) until the worker has applied its call journal (calls/call_log.h)
# to the call tables, so the next measurement does not share the CPU with that work; prints
# how many seconds it took.
bench_wait_for_call_journal() {
  local database=$1 started=$SECONDS left
  for _ in $(seq 6000); do
    left=$(sqlite3 -readonly "file:$database?mode=ro" "SELECT count(*) FROM call_journal" 2>/dev/null) || left=
    [[ "$left" == 0 ]] && { echo $((SECONDS - started)); return 0; }
    sleep 0.1
  done
  echo "bench: the call journal was not applied within 10 minutes" >&2
  return 1
}

# Waits until URL answers 2xx.
bench_wait_for() {
  for _ in $(seq 100); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "bench: $1 did not answer; see $BENCH_DIR" >&2
  return 1
}

# Starts one worker (extra `NAME=value` arguments become its environment) and nginx, in
# $BENCH_DIR (made now unless the caller made it already, e.g. with a ledger in it).
bench_start_stack() {
  BENCH_DIR=${BENCH_DIR:-$(mktemp -d /tmp/mc-bench.XXXXXX)}
  local socket="$BENCH_DIR/worker.sock"
  env MC_DATABASE="$BENCH_DIR/masked-comms.db" MC_LOG_LEVEL=warn "$@" \
    "$bench_build/fcgi-app/masked-comms-worker" --socket "$socket" 2>"$BENCH_DIR/worker.log" &
  BENCH_WORKER_PID=$!
  bench_pids+=("$BENCH_WORKER_PID")
  for _ in $(seq 200); do [[ -S "$socket" ]] && break; sleep 0.05; done
  BENCH_HTTP=$(bench_start_nginx "$BENCH_DIR/nginx" "$socket")
  bench_wait_for "$BENCH_HTTP/healthz"
}

# Runs wrk and prints "REQUESTS_PER_SECOND P50_MS P99_MS" (the p-values from --latency).
# Usage: bench_wrk CONNECTIONS SECONDS URL [wrk args...]
bench_wrk() {
  local connections=$1 seconds=$2 url=$3
  shift 3
  local threads=2
  ((connections < threads)) && threads=$connections
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$@" "$url" 2>&1 | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (bad == "" ? 0 : bad) }'
}

# Resident and peak memory of a process, "RSS_MB PEAK_MB".
bench_rss() {
  awk '/^VmRSS/ { rss = $2 } /^VmHWM/ { hwm = $2 } END { printf "%.1f %.1f\n", rss/1024, hwm/1024 }' \
    "/proc/$1/status"
}

# Stops what the last bench_start_stack started (its worker and nginx), so another stack
# can be started in a fresh $BENCH_DIR.
bench_stop_stack() {
  [[ -f "$BENCH_DIR/nginx/nginx.pid" ]] && kill -TERM "$(cat "$BENCH_DIR/nginx/nginx.pid")" 2>/dev/null
  kill -TERM "$BENCH_WORKER_PID" 2>/dev/null || true
  wait "$BENCH_WORKER_PID" 2>/dev/null || true
}

# Starts a twilio-sandbox on a free loopback port with 5,000 numbers, LATENCY_MS added to
# every request and 512 threads, logging to LOG. Sets $sandbox_port, $sandbox_pid and
# $sandbox_pool (its numbers as a NUMBER_POOL JSON array).
# Usage: bench_start_sandbox LOG LATENCY_MS
bench_start_sandbox() {
  local log=$1 latency_ms=$2
  sandbox_port=$(bench_free_port)
  "$bench_build/tools/twilio-sandbox/twilio-sandbox" --listen "127.0.0.1:$sandbox_port" \
    --number-count 5000 --latency-ms "$latency_ms" --threads 512 >"$log" 2>&1 &
  sandbox_pid=$!
  bench_pids+=("$sandbox_pid")
  for _ in $(seq 100); do grep -q '^ready' "$log" && break; sleep 0.05; done
  sandbox_pool=$(curl -fsS "http://127.0.0.1:$sandbox_port/sandbox/numbers" | jq -c '[.[].phone_number]')
}
