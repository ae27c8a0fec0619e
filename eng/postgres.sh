#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the tests, or stops it.
#   eng/postgres.sh start   prints "export AGNO_TEST_POSTGRES=..." (a connection string) on success
#   eng/postgres.sh stop    stops the server and removes its folder
# Uses Debian's PostgreSQL (installed by .ci/run when missing): a cluster in a temporary folder, on a free loopback
# port, trust authentication for the local user, stopped at the end. Runs the server as the 'postgres' user when
# called as root (PostgreSQL refuses to run as root).
set -uo pipefail
state_file="${TMPDIR:-/tmp}/agno-test-postgres.state"

find_bin() {
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return 0
  return 1
}

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "${1:-}" in
  start)
    bin=$(find_bin) || { echo "no PostgreSQL server binaries (initdb, pg_ctl) found" >&2; exit 1; }
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then echo "running as root and no 'postgres' user to run the server" >&2; exit 1; fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/agno-pg.XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 55432)
    user=$( [ "$(id -u)" -eq 0 ] && echo postgres || id -un )
    as_server_user "$bin/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >/dev/null 2>&1 \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$bin $dir" >"$state_file"
    echo "export AGNO_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=$user;Database=postgres'"
    ;;
  stop)
    [ -f "$state_file" ] || exit 0
    read -r bin dir <"$state_file"
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$dir" "$state_file"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
