#!/usr/bin/env bash
# The hotline's two latencies, measured in the sandbox through nginx and the worker: the
# inbound webhook to its TwiML answer (50 calls), and the winning answer to the last other
# leg cancelled at the sandbox (polled every millisecond), RUNS times each, on SQLite and,
# with a PostgreSQL server (scripts/dev-postgres), on PostgreSQL. The figures are the test
# cases' own messages; nothing here asserts a time.
#
#   bench/hotline.sh [RUNS (default 5)]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-5}
cmake --build build -j2 --target integration_tests >/dev/null
binary=build/tests/integration/integration_tests
cases="hotline_end_to_end/the_inbound_webhook_answers_in_milliseconds:hotline_end_to_end/the_second_member_answers_first_and_is_connected_while_the_others_stop"

pg_dir=$(mktemp -d /tmp/mc-bench-pg.XXXXXX)
trap 'scripts/dev-postgres stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
scripts/dev-postgres start "$pg_dir" >/dev/null

for backend in sqlite postgresql; do
  url_file=""
  [[ $backend == postgresql ]] && url_file="$pg_dir/url"
  echo "== $backend"
  for run in $(seq "$runs"); do
    MC_TEST_POSTGRES_URL_FILE=$url_file "$binary" --run_test="$cases" --log_level=message 2>&1 |
      grep -E "inbound webhook|last other leg" | sed "s/\x1b\[[0-9;]*m//g; s/^/  run $run: /"
  done
done
