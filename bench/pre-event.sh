#!/usr/bin/env bash
# The Conversations pre-event webhook (POST /conversations-pre-event, onMessageAdd) through
# nginx -> worker with valid signatures and 20 content rules (18 block patterns, a length
# limit, phone and e-mail redaction), every body allowed (some redacted), next to the bare
# FastCGI responder behind the same nginx in the same run. Twilio gives the pre-event
# webhook 5 s; the p99 is the figure that matters.
#
#   bench/pre-event.sh [SECONDS_PER_RUN (default 10)]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/stack.sh"

seconds=${1:-10}
public=https://masked.bench.invalid
token=sandbox-auth-token

bench_build_all
BENCH_DIR=$(mktemp -d /tmp/mc-bench.XXXXXX)
bench_start_sandbox "$BENCH_DIR/sandbox.log" 0
patterns='["venmo","cash\\s*app","zelle","paypal\\.me","western\\s+union","wire\\s+me","gift\\s*card","bitcoin","crypto\\s*wallet","whats\\s*app","telegram","signal\\s+me","my\\s+number\\s+is","call\\s+me\\s+at","text\\s+me\\s+at","\\bssn\\b","bank\\s+account","routing\\s+number"]'
bench_start_stack MC_THREADS=16 MC_MODULES=admin,sessions,conversations \
  TWILIO_ACCOUNT_SID=AC00000000000000000000000000000000 "TWILIO_AUTH_TOKEN=$token" \
  "TWILIO_BASE_URL=http://127.0.0.1:$sandbox_port/{product}" "MC_PUBLIC_BASE_URL=$public" \
  MC_TWILIO_RATE_LIMIT=0 "NUMBER_POOL=$sandbox_pool" "MC_MESSAGE_BLOCK_PATTERNS=$patterns" \
  MC_MESSAGE_MAX_LENGTH=1600 MC_MESSAGE_REDACT=phone,email

session=$(curl -sS -u masked:masked -H 'Content-Type: application/json' \
  -d '{"addresses":["+16175551234","+13125554321"]}' "$BENCH_HTTP/sessions")
conversation=$(jq -r .sid <<<"$session")
[[ "$conversation" == CH* ]] || { echo "bench: session not created: $session" >&2; exit 1; }

# 200 signed requests by one participant: ordinary chat, a fifth of it with a phone number
# or an e-mail address to redact.
/usr/bin/python3 - "$public/conversations-pre-event" "$token" "$conversation" \
  >"$BENCH_DIR/pre-event.txt" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
url, token, conversation = sys.argv[1:4]
bodies = ["see you at the gate in ten minutes", "running late, traffic on the bridge",
          "which entrance should I use?", "I'm wearing a red jacket",
          "the lobby door is locked, can you come down", "ok thanks!",
          "if lost, ring (415) 555-0199 from the lobby", "my email is ana@example.org",
          "parking is on level 3, row F", "is it the blue building on the corner?"] * 2
for i in range(200):
    params = {"EventType": "onMessageAdd", "ConversationSid": conversation,
              "Author": "+16175551234", "Body": bodies[i % len(bodies)] + " #" + str(i),
              "Source": "SMS"}
    data = url + "".join(k + params[k] for k in sorted(params))
    signature = base64.b64encode(hmac.new(token.encode(), data.encode(), hashlib.sha1).digest()).decode()
    print(urllib.parse.urlencode(params), signature)
PY

"$bench_build/bench/bare-fcgi-responder" "$BENCH_DIR/bare.sock" 16 &
bench_pids+=($!)
for _ in $(seq 100); do [[ -S "$BENCH_DIR/bare.sock" ]] && break; sleep 0.05; done
bare_http=$(bench_start_nginx "$BENCH_DIR/nginx-bare" "$BENCH_DIR/bare.sock")
bench_wait_for "$bare_http/healthz"

# One by hand: allowed, and redacted where it should be.
read -r body signature < <(sed -n 7p "$BENCH_DIR/pre-event.txt")
answer=$(curl -fsS -X POST -H "X-Twilio-Signature: $signature" \
  -H 'Content-Type: application/x-www-form-urlencoded' --data "$body" "$BENCH_HTTP/conversations-pre-event")
grep -q 'phone removed' <<<"$answer" || { echo "bench: unexpected answer: $answer" >&2; exit 1; }

echo "machine: $(nproc) cores; 20 content rules; worker and bare responder MC_THREADS=16;"
echo "wrk 2 threads, ${seconds}s per run"
echo
printf '%-6s | %12s %8s %8s | %10s %8s | %8s\n' conns "pre-event/s" "p50 ms" "p99 ms" "bare/s" "p99 ms" "/bare"
for c in 1 8 32; do
  read -r bare_rps _ bare_p99 _ < <(BENCH_CALLS_FILE="$BENCH_DIR/pre-event.txt" BENCH_PATH=/conversations-pre-event \
    bench_wrk "$c" "$seconds" "$bare_http/conversations-pre-event" -s "$bench_repo/bench/inbound-call.lua")
  read -r rps p50 p99 bad < <(BENCH_CALLS_FILE="$BENCH_DIR/pre-event.txt" BENCH_PATH=/conversations-pre-event \
    bench_wrk "$c" "$seconds" "$BENCH_HTTP/conversations-pre-event" -s "$bench_repo/bench/inbound-call.lua")
  printf '%-6s | %12s %8s %8s | %10s %8s | %8s\n' "$c" "$rps" "$p50" "$p99" "$bare_rps" "$bare_p99" \
    "$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN { printf "%.3f", a / b }')"
  [[ "$bad" == 0 ]] || echo "  warning: $bad answers were not 2xx"
done
