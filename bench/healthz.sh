#!/usr/bin/env bash
# The ceiling every route is measured against. In one run, through the same dev nginx
# configuration, with wrk:
#   fixed-200  an nginx location answering by itself (no FastCGI);
#   bare-fcgi  a libfcgi responder returning a constant (bench/bare_fcgi_responder.cpp):
#              the most any FastCGI route can do on this machine;
#   healthz    GET /healthz on the real worker (routing, metrics, a SQLite ping, JSON).
# Prints requests/s, p50/p99 latency, the ratios, and the worker's memory.
#
#   bench/healthz.sh [SECONDS_PER_RUN (default 10)] [CONNECTIONS... (default 8 32 128)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-10}
shift || true
connections=("$@")
[[ ${#connections[@]} -gt 0 ]] || connections=(8 32 128)

bench_build_all
bench_start_stack MC_THREADS=16
"$bench_build/bench/bare-fcgi-responder" "$BENCH_DIR/bare.sock" 16 &
bench_pids+=($!)
for _ in $(seq 100); do [[ -S "$BENCH_DIR/bare.sock" ]] && break; sleep 0.05; done
bare_http=$(bench_start_nginx "$BENCH_DIR/nginx-bare" "$BENCH_DIR/bare.sock")
bench_wait_for "$bare_http/healthz"

echo "machine: $(nproc) cores; nginx 1 worker process, upstream keepalive ${BENCH_KEEPALIVE:-8};" \
  "worker and bare responder 16 threads; wrk 2 threads, ${seconds}s per run"
echo
printf '%-6s | %10s %8s | %10s %8s | %10s %8s %8s | %9s %9s\n' conns "fixed-200" "p99 ms" \
  "bare-fcgi" "p99 ms" "healthz" "p50 ms" "p99 ms" "/fixed" "/bare"
for c in "${connections[@]}"; do
  read -r nginx_rps _ nginx_p99 _ < <(bench_wrk "$c" "$seconds" "$BENCH_HTTP/__nginx-fixed-200")
  read -r bare_rps _ bare_p99 _ < <(bench_wrk "$c" "$seconds" "$bare_http/healthz")
  read -r worker_rps worker_p50 worker_p99 worker_bad < <(bench_wrk "$c" "$seconds" "$BENCH_HTTP/healthz")
  printf '%-6s | %10s %8s | %10s %8s | %10s %8s %8s | %9s %9s\n' "$c" "$nginx_rps" "$nginx_p99" \
    "$bare_rps" "$bare_p99" "$worker_rps" "$worker_p50" "$worker_p99" \
    "$(awk -v a="$worker_rps" -v b="$nginx_rps" 'BEGIN { printf "%.3f", a / b }')" \
    "$(awk -v a="$worker_rps" -v b="$bare_rps" 'BEGIN { printf "%.3f", a / b }')"
  [[ "$worker_bad" == 0 ]] || echo "  warning: $worker_bad non-2xx answers from /healthz"
done
echo
read -r rss peak < <(bench_rss "$BENCH_WORKER_PID")
echo "worker memory: RSS ${rss} MiB now, peak ${peak} MiB"
