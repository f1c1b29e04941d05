#!/usr/bin/env bash
# A private PostgreSQL 15 + PostGIS cluster on loopback, its data in a folder of its own (the system's
# cluster, if any, is left alone), for the tests, `make cluster` and `make bench`.
#   scripts/postgres.sh start DIR [PORT]   initdb DIR/data (once) and start it on 127.0.0.1:PORT
#                                          (default 55432); prints the URL to connect with
#   scripts/postgres.sh stop DIR           stops it (a no-op when it is not running)
#   scripts/postgres.sh url DIR            prints the URL of the cluster in DIR
# The cluster trusts connections from loopback (role `frontline`, no password): it is a test
# cluster that listens on 127.0.0.1 only. Installs Debian's postgresql-15-postgis-3 when missing.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
cmd="${1:?usage: scripts/postgres.sh start|stop|url DIR [PORT]}"
DIR="${2:?usage: scripts/postgres.sh start|stop|url DIR [PORT]}"
PORT="${3:-55432}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

# initdb and postgres refuse to run as root: as root, they run as the postgres user.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

url() { echo "postgresql://frontline@127.0.0.1:$(cat "$DIR/port")/postgres"; }

case "$cmd" in
  start)
    if [[ ! -x "$BIN/initdb" ]] || ! dpkg-query -W -f='${Status}' postgresql-15-postgis-3 2>/dev/null | grep -q "install ok installed"; then
      bash "$(dirname "$0")/setup.sh" --test >&2
    fi
    [[ $(id -u) -eq 0 ]] && chown postgres "$DIR"
    if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
      as_owner "$BIN/initdb" -D "$DIR/data" -A trust -U frontline -E UTF8 --locale=C.UTF-8 > "$DIR/initdb.log" 2>&1 \
        || { cat "$DIR/initdb.log" >&2; exit 1; }
    fi
    if as_owner "$BIN/pg_ctl" -D "$DIR/data" status > /dev/null 2>&1; then
      url
      exit 0
    fi
    echo "$PORT" > "$DIR/port"
    # fsync stays on: the tests kill writers and expect what was committed to be there.
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null \
      || { tail -n 20 "$DIR/log" >&2; exit 1; }
    url
    ;;
  stop)
    if [[ -f "$DIR/data/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status > /dev/null 2>&1; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop > /dev/null
    fi
    ;;
  url) url ;;
  *) echo "scripts/postgres.sh: unknown command $cmd (start, stop, url)" >&2; exit 2 ;;
esac
