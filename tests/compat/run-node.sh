#!/usr/bin/env bash
# Runs a script of tests/compat with the pinned Twilio helper library installed (npm ci from
# package-lock.json when node_modules is missing or stale; under a lock, since the compat
# test and the integration suite may both ask at once). Usage: run-node.sh SCRIPT.js ARGS...
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
(
  flock 9
  if [[ ! -d node_modules/twilio ]] || ! npm ls --silent twilio >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
) 9>"$here/.npm.lock"
exec node "$@"
