#!/usr/bin/env bash
# Part "wms" of `make bench`: WMS GetMap of 1024x768 on the default dataset (geodata/), requests
# per second on this machine's cores, against Mapnik 3.1 rendering the same maps (same size, same
# areas, the equivalent style: bench/tiles-style.json and bench/tiles-style.xml) in as many
# processes, in the same run (target: Frontline >= 2x).
#   bench/wms.sh BIN      BIN = a release build of frontline
# The views: BENCH_WMS_VIEWS (default 16) areas of 1024x768 at about zoom 11 (76 m a pixel) spread
# over the data, each asked BENCH_WMS_ROUNDS (default 20) times, by as many concurrent clients as
# there are cores. Frontline draws every GetMap (it caches the scene, the simplified geometry and
# the labels of a date, never a map), Mapnik loads its map once per process. Both encode PNG.
set -euo pipefail
BIN="${1:?usage: bench/wms.sh FRONTLINE_BIN}"
PORT="${BENCH_WMS_PORT:-18095}"
VIEWS="${BENCH_WMS_VIEWS:-16}"
ROUNDS="${BENCH_WMS_ROUNDS:-20}"
DATE="${BENCH_WMS_DATE:-2022-03-26}"
MAPNIK_PYTHON="${MAPNIK_PYTHON:-/usr/bin/python3}"
CORES="$(nproc)"
WORK=".build/bench-wms"
rm -rf "$WORK" && mkdir -p "$WORK/data" "$WORK/styles"

# Mapnik reads plain files: the layers of geodata/ and the control of the date, which Frontline
# gives as a snapshot (not timed).
for layer in zones villages heights pipeline; do ln -s "$PWD/geodata/$layer.geojson" "$WORK/data/$layer.geojson"; done
"$BIN" snapshot --data geodata --date "$DATE" -o "$WORK/data/mapnik-control-$DATE.geojson" > /dev/null
cp bench/tiles-style.json "$WORK/styles/bench.json"
# The styles are those of the tiles part, written for the synthetic dataset's parties: its first
# two (north, south: party_index 0 and 1 in the Frontline style) are geodata's first two.
sed -e "s/'north'/'karabakh-armenian'/" -e "s/'south'/'azerbaijani'/" bench/tiles-style.xml > "$WORK/style.xml"

python3 - "$VIEWS" > "$WORK/views.txt" <<'PY'
import math, random, sys
# Areas of 1024x768 pixels at zoom 11 over geodata's bbox (45.9-47.5 E, 39.3-40.5 N), seeded.
half = 20037508.342789244
res = 2 * half / (256 * 2 ** 11)
def merc(lon, lat): return lon * half / 180, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * half / math.pi
(x0, y0), (x1, y1) = merc(45.9, 39.3), merc(47.5, 40.5)
rng = random.Random(11)
for _ in range(int(sys.argv[1])):
    cx, cy = rng.uniform(x0 + 512 * res, x1 - 512 * res), rng.uniform(y0 + 384 * res, y1 - 384 * res)
    print(f"{cx - 512 * res:.2f},{cy - 384 * res:.2f},{cx + 512 * res:.2f},{cy + 384 * res:.2f}")
PY

"$BIN" serve --port "$PORT" --data geodata --styles "$WORK/styles" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2> /dev/null || true' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.05; done
curl -sf -o "$WORK/frontline.png" "http://127.0.0.1:$PORT/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=bench&STYLES=&CRS=EPSG:3857&BBOX=$(head -1 "$WORK/views.txt")&WIDTH=1024&HEIGHT=768&FORMAT=image/png&TIME=$DATE" \
  || { cat "$WORK/server.log" >&2; echo "bench wms: the server did not draw a GetMap" >&2; exit 1; }

frontline_line=$(python3 - "$PORT" "$DATE" "$ROUNDS" "$CORES" "$WORK/views.txt" <<'PY'
import http.client, sys, threading, time
port, date, rounds, clients = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
views = [line.strip() for line in open(sys.argv[5]) if line.strip()]
# The first request of each view prepares the date's scene and labels: warm up once, as Mapnik loads its map.
jobs = [v for _ in range(rounds) for v in views]
failed, lock = [0], threading.Lock()
def worker(mine):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for bbox in mine:
        c.request("GET", f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=bench&STYLES=&CRS=EPSG:3857&BBOX={bbox}"
                         f"&WIDTH=1024&HEIGHT=768&FORMAT=image/png&TIME={date}")
        r = c.getresponse(); body = r.read()
        if r.status != 200 or body[:4] != b"\x89PNG":
            with lock: failed[0] += 1
warm = [threading.Thread(target=worker, args=(views[:1],))]
for t in warm: t.start()
for t in warm: t.join()
threads = [threading.Thread(target=worker, args=(jobs[k::clients],)) for k in range(clients)]
start = time.monotonic()
for t in threads: t.start()
for t in threads: t.join()
print(f"maps {len(jobs)} seconds {time.monotonic() - start:.3f} failed {failed[0]}")
PY
)
mapnik_line=$("$MAPNIK_PYTHON" bench/getmap_mapnik.py --data "$WORK/data" --date "$DATE" --style "$WORK/style.xml" --views "$WORK/views.txt" \
  --size 1024x768 --processes "$CORES" --rounds "$ROUNDS" -o "$WORK/mapnik.png")

read -r _ f_maps _ f_secs _ f_failed <<< "$frontline_line"
read -r _ m_maps _ m_secs <<< "$mapnik_line"
awk -v fm="$f_maps" -v fs="$f_secs" -v ff="$f_failed" -v mm="$m_maps" -v ms="$m_secs" -v c="$CORES" 'BEGIN {
  fr = fm / fs; mr = mm / ms
  printf "\nwms: GetMap 1024x768 of geodata/ (%d areas at zoom 11, %d clients / processes on %d cores)\n", fm / '"$ROUNDS"', c, c
  printf "  Frontline  %6.1f maps/s (%d maps in %.2f s, %d failed)\n", fr, fm, fs, ff
  printf "  Mapnik     %6.1f maps/s (%d maps in %.2f s)\n", mr, mm, ms
  printf "  ratio      %.2fx (target >= 2x: %s); first maps to look at: %s/frontline.png, %s/mapnik.png\n", fr / mr, (fr / mr >= 2 ? "met" : "NOT met"), "'"$WORK"'", "'"$WORK"'"
}'
