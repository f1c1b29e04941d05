#!/usr/bin/env bash
# Frontline for many users, on loopback (README, "Running for many users"): a PostgreSQL + PostGIS
# cluster holding the dataset, REPLICAS `frontline serve` replicas on it, and nginx in front as a
# caching load balancer (deploy/nginx.conf.template).
#   scripts/cluster.sh start   starts it all (the database gets geodata/ the first time) and returns
#   scripts/cluster.sh stop    stops it all
#   scripts/cluster.sh run     starts it all, waits, and stops it all on Ctrl-C (`make cluster`)
#   scripts/cluster.sh status  prints what runs
# Environment: CLUSTER_DIR (.build/cluster), REPLICAS (2), PORT (nginx: 8080), REPLICA_PORT (first
# replica: 18101), DB_PORT (55440), FRONTLINE_BIN (default: a release build, made if missing),
# DATA (the folder pushed into an empty database: geodata).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CLUSTER_DIR:-$ROOT/.build/cluster}"
REPLICAS="${REPLICAS:-2}"
PORT="${PORT:-8080}"
REPLICA_PORT="${REPLICA_PORT:-18101}"
DB_PORT="${DB_PORT:-55440}"
DATA="${DATA:-$ROOT/geodata}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

say() { echo "cluster: $*" >&2; }

binary() {
  if [[ -n "${FRONTLINE_BIN:-}" ]]; then echo "$FRONTLINE_BIN"; return; fi
  local bin
  bin="$(cd "$ROOT" && swift build -c release --show-bin-path)/frontline"
  [[ -x "$bin" ]] || (cd "$ROOT" && swift build -c release --product frontline >&2)
  echo "$bin"
}

# alive PID: the process runs (a killed replica whose parent does not reap it is a zombie, which
# kill -0 still finds).
alive() {
  kill -0 "$1" 2> /dev/null && [[ "$(ps -o stat= -p "$1" 2> /dev/null)" != Z* ]]
}
# wait_for URL SECONDS: until URL answers 200.
wait_for() {
  for _ in $(seq 1 $(( $2 * 20 ))); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.05
  done
  return 1
}

start() {
  command -v nginx > /dev/null || bash "$ROOT/scripts/setup.sh" --test >&2
  local bin url
  bin="$(binary)"
  url="$(bash "$ROOT/scripts/postgres.sh" start "$DIR/postgres" "$DB_PORT" | tail -n 1)"
  local base="${url%/*}"
  psql "$url" -Atqc "SELECT 1 FROM pg_database WHERE datname = 'frontline'" | grep -q 1 \
    || psql "$url" -qc "CREATE DATABASE frontline" > /dev/null
  url="$base/frontline"
  echo "$url" > "$DIR/database-url"
  "$bin" db init "$url" >&2
  if ! psql "$url" -Atqc "SELECT count(*) FROM frontline.dataset" | grep -q '^1$'; then
    "$bin" db push "$DATA" "$url" >&2
  fi

  local upstreams=""
  for k in $(seq 1 "$REPLICAS"); do
    local port=$(( REPLICA_PORT + k - 1 ))
    if [[ -f "$DIR/replica-$k.pid" ]] && alive "$(cat "$DIR/replica-$k.pid")"; then
      say "replica $k already runs on port $port"
    else
      "$bin" serve --host 127.0.0.1 --port "$port" --data "$url" > "$DIR/replica-$k.log" 2>&1 &
      echo $! > "$DIR/replica-$k.pid"
    fi
    upstreams+="        server 127.0.0.1:$port max_fails=1 fail_timeout=2s;"$'\n'
  done
  for k in $(seq 1 "$REPLICAS"); do
    local ready=""
    for _ in $(seq 1 1200); do
      curl -sf -o /dev/null "http://127.0.0.1:$(( REPLICA_PORT + k - 1 ))/health" && { ready=1; break; }
      alive "$(cat "$DIR/replica-$k.pid")" || break
      sleep 0.05
    done
    [[ -n "$ready" ]] || { say "replica $k did not start"; tail -n 20 "$DIR/replica-$k.log" >&2; exit 1; }
  done

  mkdir -p "$DIR/cache"
  sed -e "s|@DIR@|$DIR|g" -e "s|@LISTEN@|127.0.0.1:$PORT|g" "$ROOT/deploy/nginx.conf.template" \
    | awk -v upstreams="$upstreams" '{ if ($0 == "@UPSTREAMS@") printf "%s", upstreams; else print }' > "$DIR/nginx.conf"
  if [[ -f "$DIR/nginx.pid" ]] && kill -0 "$(cat "$DIR/nginx.pid")" 2> /dev/null; then
    nginx -c "$DIR/nginx.conf" -s reload
  else
    nginx -c "$DIR/nginx.conf"
  fi
  wait_for "http://127.0.0.1:$PORT/health" 10 || { say "nginx did not start"; cat "$DIR/nginx-error.log" >&2; exit 1; }
  say "database $url, $REPLICAS replicas on ports $REPLICA_PORT-$(( REPLICA_PORT + REPLICAS - 1 )), nginx on http://127.0.0.1:$PORT/"
  echo "http://127.0.0.1:$PORT/"
}

stop() {
  if [[ -f "$DIR/nginx.pid" ]] && kill -0 "$(cat "$DIR/nginx.pid")" 2> /dev/null; then
    nginx -c "$DIR/nginx.conf" -s quit || true
  fi
  for pidfile in "$DIR"/replica-*.pid; do
    [[ -f "$pidfile" ]] || continue
    kill "$(cat "$pidfile")" 2> /dev/null || true
    rm -f "$pidfile"
  done
  bash "$ROOT/scripts/postgres.sh" stop "$DIR/postgres"
}

case "${1:-run}" in
  start) start ;;
  stop) stop ;;
  run)
    trap stop EXIT INT TERM
    start
    say "Ctrl-C stops it all"
    while sleep 3600; do :; done
    ;;
  status)
    for pidfile in "$DIR"/replica-*.pid "$DIR/nginx.pid"; do
      [[ -f "$pidfile" ]] && alive "$(cat "$pidfile")" && echo "$(basename "$pidfile" .pid): running (pid $(cat "$pidfile"))"
    done
    cat "$DIR/database-url" 2> /dev/null || true
    ;;
  *) echo "usage: scripts/cluster.sh start|stop|run|status" >&2; exit 2 ;;
esac
