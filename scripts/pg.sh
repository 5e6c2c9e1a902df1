#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the hub's tests, on a loopback port.
#   scripts/pg.sh start   install Debian's postgresql when missing, initdb in a temp dir, start;
#                         prints the DATABASE_URL (export it as ENDUSE_TEST_DATABASE_URL)
#   scripts/pg.sh url     print the URL of the running cluster
#   scripts/pg.sh stop    stop it (immediate) and remove its directory
# The cluster's directory is kept in $PG_STATE (default /tmp/enduse-pg.state) between calls.
set -euo pipefail
STATE="${PG_STATE:-/tmp/enduse-pg.state}"
PORT="${PG_PORT:-55432}"

pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && { echo "$dir"; return; }
  done
  return 1
}

install_pg() {
  pg_bin >/dev/null && return
  echo "installing postgresql (Debian package)" >&2
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
}

# Runs a PostgreSQL tool as the cluster's owner: `postgres` when we are root (initdb refuses
# root), ourselves otherwise.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgres://postgres@127.0.0.1:$(cat "$1/port")/postgres"; }

start() {
  if [[ -f "$STATE" ]] && [[ -d "$(cat "$STATE")" ]]; then
    local dir; dir=$(cat "$STATE")
    if as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then url "$dir"; return; fi
  fi
  install_pg
  local bin dir
  bin=$(pg_bin)
  dir=$(mktemp -d /tmp/enduse-pg.XXXXXX)
  chmod 755 "$dir"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
  echo "$PORT" >"$dir/port"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
  # Throwaway: durability off, room for parallel test databases.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o \
    "-p $PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
     -c full_page_writes=off -c max_connections=300" start >/dev/null
  echo "$dir" >"$STATE"
  url "$dir"
}

stop() {
  [[ -f "$STATE" ]] || return 0
  local dir; dir=$(cat "$STATE")
  if [[ -d "$dir" ]]; then
    as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
  fi
  rm -f "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) [[ -f "$STATE" ]] && url "$(cat "$STATE")" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
