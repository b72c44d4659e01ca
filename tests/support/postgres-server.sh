#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suites, on a loopback port:
#   postgres-server.sh start DIR   initdb into DIR/data (as an unprivileged user when run
#                                  as root), start it, write its base URL to DIR/url
#   postgres-server.sh stop DIR    stop it and remove DIR
#   postgres-server.sh stop-server DIR / start-server DIR
#                                  stop it (fast: sessions are cut) or start it again, keeping
#                                  its data (the outage tests)
# The server trusts local connections (loopback only) and keeps nothing after stop.
set -euo pipefail

action=${1:?usage: postgres-server.sh start|stop DIR}
dir=${2:?usage: postgres-server.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "postgres-server.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# initdb and postgres refuse to run as root.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    if [[ -f "$dir/url" ]] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      exit 0  # already running (a second fixture of the same run)
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U mc --auth=trust --locale=C.UTF-8 --encoding=UTF8 >"$dir/initdb.log"
    # fsync stays on: the restart tests rely on what was committed surviving.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
    echo "postgresql://mc@127.0.0.1:$port/postgres" >"$dir/url"
    echo "$dir/data" >"$dir/data-dir"
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  stop-server)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  start-server)
    port=$(sed -E 's#.*:([0-9]+)/.*#\1#' "$dir/url")
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c shared_buffers=256MB" start >/dev/null
    ;;
  *)
    echo "usage: postgres-server.sh start|stop DIR" >&2
    exit 2
    ;;
esac
