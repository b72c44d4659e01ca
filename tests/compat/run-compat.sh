#!/usr/bin/env bash
# The compatibility test: installs the pinned Twilio helper library (npm ci, package-lock.json),
# starts the twilio-sandbox binary on a free loopback port, runs sandbox_compat.js against it,
# and stops it. Usage: run-compat.sh PATH/TO/twilio-sandbox
set -euo pipefail
sandbox=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
(
  flock 9  # the integration suite's run-node.sh may be installing at the same time
  if [[ ! -d node_modules/twilio ]] || ! npm ls --silent twilio >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
) 9>"$here/.npm.lock"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
account=AC0123456789abcdef0123456789abcdef
token=compat-token-$RANDOM
log=$(mktemp)
"$sandbox" --listen "127.0.0.1:$port" --account-sid "$account" --auth-token "$token" \
  --number-count 12 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do grep -q '^ready' "$log" && break; sleep 0.05; done
grep -q '^ready' "$log" || { cat "$log"; exit 1; }
node sandbox_compat.js "http://127.0.0.1:$port" "$account" "$token"
