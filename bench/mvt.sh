#!/usr/bin/env bash
# Part "mvt" of `make bench`: vector tiles against the PNG tiles of the same pyramid, both from
# `frontline serve` on the synthetic dataset.
#   bench/mvt.sh BIN DATA     BIN = a release build of frontline, DATA = the synthetic dataset
# The tiles part's area and zooms (BENCH_TILES_BBOX, BENCH_TILES_ZOOM) on the dataset's default date.
# For each format, a fresh server: one tile outside the pyramid first (so that the scene of the date,
# which both formats share, is built before the clock starts), then every tile of the pyramid
# requested once by 4 keep-alive clients (each tile is made on request: nothing is cached yet).
# Prints tiles per second and total bytes of each format; keeps them in DATA/mvt-results.json.
set -euo pipefail
BIN="${1:?usage: bench/mvt.sh FRONTLINE_BIN DATA}"
DATA="${2:?usage: bench/mvt.sh FRONTLINE_BIN DATA}"
PORT="${BENCH_PORT:-18091}"
WORK=".build/bench-mvt"
BBOX="${BENCH_TILES_BBOX:-45.03,37.76,47.03,39.26}"
ZOOM="${BENCH_TILES_ZOOM:-6-12}"
DATE="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["default_date"])' "$DATA/dataset.json")"
rm -rf "$WORK" && mkdir -p "$WORK"

# The tile list: the same slippy-map formula as the tiles part (bench/seed_mapnik.py needs no Mapnik for it).
python3 bench/seed_mapnik.py tiles --zoom "$ZOOM" --bbox "$BBOX" > "$WORK/tiles.txt"
TILES=$(wc -l < "$WORK/tiles.txt")
echo "bench mvt: $TILES tiles, zooms $ZOOM, bbox $BBOX, date $DATE"

SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2> /dev/null || true' EXIT

# measure FORMAT PREFIX SUFFIX: a fresh server, the warm-up tile, then the timed pass; prints
# "seconds bytes failed".
measure() {
  local format="$1" prefix="$2" suffix="$3"
  "$BIN" serve --data "$DATA" --port "$PORT" --cache-mib 1024 > "$WORK/server-$format.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done
  curl -sf -o /dev/null "http://127.0.0.1:$PORT$prefix/0/0/0$suffix" || { cat "$WORK/server-$format.log" >&2; exit 1; }
  python3 - "$PORT" "$WORK/tiles.txt" "$prefix" "$suffix" <<'PY'
import http.client, sys, threading, time
port, tiles, prefix, suffix = int(sys.argv[1]), [t.strip() for t in open(sys.argv[2]) if t.strip()], sys.argv[3], sys.argv[4]
urls = [f"{prefix}/{t}{suffix}" for t in tiles]
failed, sizes = [], []
def fetch(part):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for u in part:
        c.request("GET", u); r = c.getresponse(); body = r.read()
        if r.status != 200: failed.append(u)
        sizes.append(len(body))
start = time.perf_counter()
threads = [threading.Thread(target=fetch, args=(urls[i::4],)) for i in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print(f"{time.perf_counter() - start:.3f} {sum(sizes)} {len(failed)}")
PY
  kill "$SERVER" && wait "$SERVER" 2> /dev/null || true
  SERVER=""
}

measure mvt "/tiles/$DATE" ".mvt" > "$WORK/mvt.txt"
measure png "/styles/default/$DATE" ".png" > "$WORK/png.txt"

python3 - "$DATA" "$TILES" "$ZOOM" "$BBOX" "$DATE" "$WORK/mvt.txt" "$WORK/png.txt" <<'PY'
import json, os, sys
data, tiles, zoom, bbox, date, mvt, png = sys.argv[1:]
tiles = int(tiles)
rows = {}
for name, path in (("mvt", mvt), ("png", png)):
    seconds, size, failed = open(path).read().split()
    rows[name] = {"seconds": float(seconds), "bytes": int(size), "failed": int(failed), "tiles_per_s": tiles / float(seconds)}
print(f"\nmvt: {tiles} tiles of the synthetic dataset, zooms {zoom}, bbox {bbox}, date {date}; 4 clients, nothing cached")
print(f"  {'format':8s} {'tiles/s':>8s} {'s':>7s} {'MB':>7s} {'bytes/tile':>11s} {'failed':>7s}")
for name, r in rows.items():
    print(f"  {name:8s} {r['tiles_per_s']:8.1f} {r['seconds']:7.2f} {r['bytes'] / 1e6:7.2f} {r['bytes'] / tiles:11.0f} {r['failed']:7d}")
m, p = rows["mvt"], rows["png"]
print(f"  vector tiles: {m['tiles_per_s'] / p['tiles_per_s']:.2f}x the PNG tiles per second, {m['bytes'] / p['bytes']:.2f}x their bytes")
json.dump({"tiles": tiles, "zoom": zoom, "bbox": bbox, "date": date, **rows}, open(os.path.join(data, "mvt-results.json"), "w"), indent=2)
sys.exit(1 if m["failed"] or p["failed"] else 0)
PY
