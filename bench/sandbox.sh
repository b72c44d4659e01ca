#!/usr/bin/env bash
# How fast the twilio-sandbox answers a conversation create (POST /conversations/v1/
# Conversations) with no added latency: it must never be the bottleneck of the other
# benchmarks. Also reports a ConversationWithParticipants create (2 participants) and the
# sandbox's memory after the run.
#
#   bench/sandbox.sh [SECONDS_PER_RUN (default 5)] [CONNECTIONS... (default 1 8 32)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-5}
shift || true
connections=("$@")
[[ ${#connections[@]} -gt 0 ]] || connections=(1 8 32)

bench_build_all
BENCH_DIR=$(mktemp -d /tmp/mc-bench.XXXXXX)
port=$(bench_free_port)
"$bench_build/tools/twilio-sandbox/twilio-sandbox" --listen "127.0.0.1:$port" --number-count 50 \
  --threads 64 >"$BENCH_DIR/sandbox.log" 2>&1 &
sandbox_pid=$!
bench_pids+=("$sandbox_pid")
for _ in $(seq 100); do grep -q '^ready' "$BENCH_DIR/sandbox.log" && break; sleep 0.05; done
export BENCH_SANDBOX_AUTH
BENCH_SANDBOX_AUTH=$(printf '%s' "AC00000000000000000000000000000000:sandbox-auth-token" | base64 -w0)
url="http://127.0.0.1:$port/conversations/v1/Conversations"

echo "machine: $(nproc) cores; sandbox 64 HTTP threads; wrk 2 threads, ${seconds}s per run"
echo
printf '%-6s %14s %8s %8s\n' conns "creates/s" "p50 ms" "p99 ms"
for c in "${connections[@]}"; do
  read -r rps p50 p99 bad < <(bench_wrk "$c" "$seconds" "$url" -s "$bench_repo/bench/sandbox-create.lua")
  printf '%-6s %14s %8s %8s\n' "$c" "$rps" "$p50" "$p99"
  [[ "$bad" == 0 ]] || echo "  warning: $bad non-2xx answers"
done
conversations=$(curl -fsS "http://127.0.0.1:$port/sandbox/stats" | sed -E 's/.*"active":([0-9]+).*/\1/')
read -r rss peak < <(bench_rss "$sandbox_pid")
echo
echo "sandbox after the runs: $conversations conversations, RSS ${rss} MiB (peak ${peak} MiB)"
