#!/usr/bin/env bash
# Part "store" of `make bench`: the one-year record of part "record" (.build/bench-record/record,
# imported there) pushed into PostgreSQL + PostGIS, measured in one run:
#   push      `frontline db push` of the record (whole process)
#   changes   `frontline changes` between the record part's two far-apart dates, from the database
#             vs from the folder, vs the same question asked of PostGIS directly in SQL
#             (ST_Intersection of the two dates' snapshots, loaded as tables; geodesic area)
#   cold      `frontline seed` of the same tiles from the database vs from the folder: tiles/s
#             (target: the database >= 0.8x the folder)
#   write     a push to the database: milliseconds until both replicas serve the new version
#   cached    one versioned tile through nginx in front of two replicas on the database
#             (scripts/cluster.sh), vs nginx serving the same PNG file from disk: wrk requests/s
#   bench/store.sh BIN      BIN = a release build of frontline
set -euo pipefail
BIN="${1:?usage: bench/store.sh FRONTLINE_BIN}"
ROOT="$(pwd)"
WORK="$ROOT/.build/bench-store"
RECORD="$ROOT/.build/bench-record/record"
SNAPSHOTS="$ROOT/.build/bench-record/snapshots"
[[ -f "$RECORD/control/record.json" ]] || { echo "bench store: no record in $RECORD: run part record first (BENCH_PARTS=record,store)" >&2; exit 1; }
command -v wrk > /dev/null || { echo "bench store: wrk not found: run scripts/setup.sh --bench" >&2; exit 1; }
command -v nginx > /dev/null || bash scripts/setup.sh --test
# What an earlier run left running goes before its folder does.
CLUSTER_DIR="$WORK/cluster" bash scripts/cluster.sh stop > /dev/null 2>&1 || true
bash scripts/postgres.sh stop "$WORK/postgres" > /dev/null 2>&1 || true
rm -rf "$WORK" && mkdir -p "$WORK"

mapfile -t DAYS < <(find "$SNAPSHOTS" -maxdepth 1 -name '*.geojson' -printf '%f\n' | sed 's/\.geojson$//' | LC_ALL=C sort)
A="${DAYS[$(( ${#DAYS[@]} / 12 ))]}"
B="${DAYS[$(( ${#DAYS[@]} * 11 / 12 ))]}"
source bench/timing.sh

PGDIR="$WORK/postgres"
base="$(bash scripts/postgres.sh start "$PGDIR" "${BENCH_STORE_DB_PORT:-55450}" | tail -n 1)"
trap 'bash "$ROOT/scripts/postgres.sh" stop "$PGDIR" > /dev/null 2>&1 || true' EXIT
psql "$base" -qc "DROP DATABASE IF EXISTS bench" -qc "CREATE DATABASE bench" > /dev/null
URL="${base%/*}/bench"
"$BIN" db init "$URL" > /dev/null

echo "bench store: push the record ($RECORD)"
seconds push "$BIN" db push "$RECORD" "$URL"

echo "bench store: changes $A -> $B from the database, the folder and SQL"
median db-changes "$BIN" changes --data "$URL" --from "$A" --to "$B" -o "$WORK/db-changes.geojson"
median folder-changes "$BIN" changes --data "$RECORD" --from "$A" --to "$B" -o "$WORK/folder-changes.geojson"
# The two snapshots as tables, as a PostGIS user would hold them (loading them is not timed).
python3 - "$SNAPSHOTS/$A.geojson" "$SNAPSHOTS/$B.geojson" > "$WORK/snapshots.sql" <<'PY'
import json, sys
print("CREATE TABLE snap_a (party text, geom geometry(Geometry, 4326)); CREATE TABLE snap_b (LIKE snap_a);")
for table, path in (("snap_a", sys.argv[1]), ("snap_b", sys.argv[2])):
    for f in json.load(open(path))["features"]:
        g = json.dumps(f["geometry"]).replace("'", "''")
        print(f"INSERT INTO {table} VALUES ('{f['properties']['controlled_by']}', ST_SetSRID(ST_GeomFromGeoJSON('{g}'), 4326));")
print("CREATE INDEX ON snap_a USING gist (geom); CREATE INDEX ON snap_b USING gist (geom); ANALYZE;")
PY
psql "$URL" -q -f "$WORK/snapshots.sql" > /dev/null
cat > "$WORK/changes.sql" <<'SQL'
SELECT a.party, b.party, sum(ST_Area(ST_Intersection(a.geom, b.geom)::geography)) / 1e6 AS km2
FROM snap_a a JOIN snap_b b ON a.party <> b.party AND ST_Intersects(a.geom, b.geom)
GROUP BY 1, 2 ORDER BY 1, 2;
SQL
median sql-changes psql "$URL" -Atq -f "$WORK/changes.sql"
python3 - "$WORK" <<'PY'
import json, sys, os
work = sys.argv[1]
def km2(path):
    return sum(f["properties"]["area_km2"] for f in json.load(open(path))["features"] if f["properties"]["from"] != "none" and f["properties"]["to"] != "none")
sql = sum(float(line.split("|")[2]) for line in open(os.path.join(work, "sql-changes.1.log")) if line.strip())
db, folder = km2(os.path.join(work, "db-changes.geojson")), km2(os.path.join(work, "folder-changes.geojson"))
ok = abs(db - folder) < 1e-9 and abs(db - sql) <= 0.001 * sql
open(os.path.join(work, "agree.txt"), "w").write(f"{db:.3f} km² (database) {folder:.3f} (folder) {sql:.3f} (SQL): {'agree' if ok else 'DISAGREE'}\n")
PY

echo "bench store: cold tiles from the database and the folder"
SEED=(--date "$B" --zoom "${BENCH_STORE_ZOOM:-7-10}" --bbox 44.0,38.5,46.0,40.5)
median db-seed "$BIN" seed --data "$URL" "${SEED[@]}" -o "$WORK/tiles-db"
median folder-seed "$BIN" seed --data "$RECORD" "${SEED[@]}" -o "$WORK/tiles-folder"
TILES=$(find "$WORK/tiles-folder" -name '*.png' | wc -l)

echo "bench store: cached tiles through nginx, and nginx serving a file"
CLUSTER_DIR="$WORK/cluster" PORT=18480 REPLICA_PORT=18481 DB_PORT=55451 FRONTLINE_BIN="$BIN" DATA="$RECORD" \
  bash scripts/cluster.sh start > "$WORK/cluster.log" 2>&1 || { cat "$WORK/cluster.log" >&2; exit 1; }
trap 'CLUSTER_DIR="$WORK/cluster" bash "$ROOT/scripts/cluster.sh" stop > /dev/null 2>&1 || true; bash "$ROOT/scripts/postgres.sh" stop "$PGDIR" > /dev/null 2>&1 || true' EXIT
tile=$(curl -sf "http://127.0.0.1:18480/styles/default/$B.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tiles"][0].replace("{z}/{x}/{y}", "9/320/194").split("18480", 1)[1])')
curl -sf -o "$WORK/tile.png" "http://127.0.0.1:18480$tile"
curl -sf -o /dev/null "http://127.0.0.1:18480$tile"
wrk -t2 -c64 -d5s --latency "http://127.0.0.1:18480$tile" > "$WORK/wrk-cluster.txt"
# A write reaching the replicas: push again (a new version), then time until both serve it.
version() { curl -sf "http://127.0.0.1:$1/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data_version"])'; }
before=$(version 18481)
start=$(date +%s%N)
"$BIN" db push "$RECORD" "$(cat "$WORK/cluster/database-url")" > /dev/null
pushed=$(date +%s%N)
for _ in $(seq 1 400); do
  [[ "$(version 18481)" != "$before" && "$(version 18482)" != "$before" ]] && break
  sleep 0.01
done
seen=$(date +%s%N)
echo "$(( (pushed - start) / 1000000 )) $(( (seen - pushed) / 1000000 ))" > "$WORK/propagation.txt"
mkdir -p "$WORK/static/t" && cp "$WORK/tile.png" "$WORK/static/t/tile.png"
cat > "$WORK/static/nginx.conf" <<EOF
worker_processes 2;
pid $WORK/static/nginx.pid;
error_log $WORK/static/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/static/body; proxy_temp_path $WORK/static/proxy;
  fastcgi_temp_path $WORK/static/fastcgi; uwsgi_temp_path $WORK/static/uwsgi; scgi_temp_path $WORK/static/scgi;
  server { listen 127.0.0.1:18490; root $WORK/static; }
}
EOF
nginx -c "$WORK/static/nginx.conf"
sleep 0.3
wrk -t2 -c64 -d5s --latency "http://127.0.0.1:18490/t/tile.png" > "$WORK/wrk-static.txt"
nginx -c "$WORK/static/nginx.conf" -s quit

python3 - "$WORK" "$TILES" <<'PY'
import os, re, sys
work, tiles = sys.argv[1], int(sys.argv[2])
t = lambda name: float(open(os.path.join(work, f"{name}.time")).read().split()[0])
def wrk(name):
    text = open(os.path.join(work, name)).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", text).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, p99, int(errors.group(1)) if errors else 0
print()
print(f"store: the one-year record in PostgreSQL + PostGIS; {open(os.path.join(work, 'agree.txt')).read().strip()}")
print(f"  push       {t('push'):.2f} s wall (frontline db push of the record)")
db, folder, sql = t("db-changes"), t("folder-changes"), t("sql-changes")
print(f"  changes    database {db:.2f} s, folder {folder:.2f} s, PostGIS SQL on two snapshots {sql:.2f} s (whole processes)")
dbs, fos = t("db-seed"), t("folder-seed")
ratio = (tiles / dbs) / (tiles / fos)
print(f"  cold       {tiles} tiles: database {tiles / dbs:.0f} tiles/s, folder {tiles / fos:.0f} tiles/s: {ratio:.2f}x (target >= 0.8x: {'met' if ratio >= 0.8 else 'NOT met'})")
(c, cp, ce), (s, sp, se) = wrk("wrk-cluster.txt"), wrk("wrk-static.txt")
push_ms, seen_ms = open(os.path.join(work, "propagation.txt")).read().split()
print(f"  write      after a push's commit ({push_ms} ms), both replicas served the new version {seen_ms} ms later (target <= 1000 ms)")
print(f"  cached     nginx + 2 replicas {c:,.0f} req/s (p99 {cp}, {ce} non-2xx) vs nginx serving the file {s:,.0f} req/s (p99 {sp}): {c / s:.2f}x")
PY
