#!/usr/bin/env bash
# Part "record" of `make bench`: a year of daily snapshots (bench/synth_record.py: a front of
# 10,000 vertices, 0-3 bites a day of 1-6 km, some retaken within days), as a team holds it.
#   bench/record.sh BIN      BIN = a release build of frontline
# Imports the snapshots into a record (docs/record.md: control/record.json, base.geojson,
# changes/YYYY/YYYY-MM-DD.geojson) and measures, in one run, against the targets of issue 9:
#   import    `frontline import SNAPSHOTS_DIR --data RECORD` (whole process): wall time, snapshots/s
#   size      the bytes of the record (every file under RECORD/control) against the snapshots'
#             bytes (target <= 5 %)
#   changes   `frontline changes` on the record between two dates ten months apart (whole process)
#             vs Shapely 2 + pyproj reading just the two snapshot files (km² must agree within
#             0.1 %; target <= 0.3x)
#   validate  `frontline validate` on the record (target <= 5 s)
#   start-up  `frontline serve` on the record to its first /health answer (target <= 1 s)
#   memory    the server's resident size after tiles of 50 different dates (target <= 250 MB)
# Generated snapshots go to .build/bench-record (not in git) and are made again only when the
# generator or its arguments change (BENCH_RECORD_ARGS, e.g. "--days 60" for a quick look). The
# record is imported afresh on every run (RECORD = .build/bench-record/record, emptied but for the
# dataset.json the generator wrote), so that it always comes from these snapshots and this binary.
set -euo pipefail
BIN="${1:?usage: bench/record.sh FRONTLINE_BIN}"
PORT="${BENCH_RECORD_PORT:-18090}"
WORK=".build/bench-record"
ARGS="${BENCH_RECORD_ARGS:-}"
mkdir -p "$WORK"

stamp="$( { sha256sum bench/synth_record.py bench/synth.py; echo "args=$ARGS"; } | sha256sum | cut -c1-16)"
if [[ -f "$WORK/.stamp" && "$(cat "$WORK/.stamp")" == "$stamp" ]]; then
  echo "bench record: data $WORK is up to date (stamp $stamp)"
else
  echo "bench record: generating $WORK"
  rm -rf "$WORK" && mkdir -p "$WORK"
  # shellcheck disable=SC2086
  (cd bench && python3 synth_record.py --out "../$WORK" $ARGS)
  echo "$stamp" > "$WORK/.stamp"
fi

DATA="$WORK/record"
mapfile -t DAYS < <(find "$WORK/snapshots" -maxdepth 1 -name '*.geojson' -printf '%f\n' | sed 's/\.geojson$//' | LC_ALL=C sort)
((${#DAYS[@]} >= 2)) || { echo "bench record: fewer than two snapshots in $WORK/snapshots" >&2; exit 1; }
[[ -f "$DATA/dataset.json" ]] || { echo "bench record: $DATA/dataset.json is missing; remove $WORK/.stamp to generate again" >&2; exit 1; }
A="${DAYS[$(( ${#DAYS[@]} / 12 ))]}"
B="${DAYS[$(( ${#DAYS[@]} * 11 / 12 ))]}"
# seconds and median (bench/timing.sh): whole-process timings into $WORK/NAME.time.
source bench/timing.sh

echo "bench record: import ${#DAYS[@]} snapshots into a fresh $DATA"
find "$DATA" -mindepth 1 -maxdepth 1 ! -name dataset.json -exec rm -rf {} +
seconds import "$BIN" import "$WORK/snapshots" --data "$DATA"
[[ -f "$DATA/control/record.json" ]] || { echo "bench record: the import wrote no $DATA/control/record.json" >&2; cat "$WORK/import.log" >&2; exit 1; }

echo "bench record: changes $A -> $B"
median frontline-changes "$BIN" changes --data "$DATA" --from "$A" --to "$B" -o "$WORK/frontline-changes.geojson"
median shapely-changes python3 bench/changes_shapely.py --data "$DATA" --from "$A" --to "$B" \
  --snapshots "$WORK/snapshots/$A.geojson" "$WORK/snapshots/$B.geojson" -o "$WORK/shapely-changes.json"
compare=agree
python3 bench/compare_changes.py "$WORK/frontline-changes.geojson" "$WORK/shapely-changes.json" > "$WORK/compare.log" 2>&1 || compare=DISAGREE
echo "bench record: validate"
median validate "$BIN" validate --data "$DATA"

echo "bench record: serve start-up and memory over 50 dates"
start=$(date +%s.%N)
"$BIN" serve --port "$PORT" --data "$DATA" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2> /dev/null || true' EXIT
up=""
for _ in $(seq 1 1200); do
  if curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; then up=$(date +%s.%N); break; fi
  kill -0 "$SERVER" 2> /dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.05
done
[[ -n "$up" ]] || { echo "bench record: the server did not answer within 60 s" >&2; exit 1; }
python3 - "$PORT" "${DAYS[@]}" > "$WORK/tiles.txt" <<'PY'
import http.client, sys
port, days = int(sys.argv[1]), sys.argv[2:]
step = max(1, len(days) // 50)
failed = 0
c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
for day in days[::step][:50]:
    for z, x, y in ((8, 160, 97), (10, 641, 390)):
        c.request("GET", f"/styles/default/{day}/{z}/{x}/{y}.png"); r = c.getresponse(); r.read()
        failed += r.status != 200
print(failed)
PY
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")

python3 - "$WORK" "$A" "$B" "$compare" "$start" "$up" "$RSS_KB" "$(cat "$WORK/tiles.txt")" <<'PY'
import json, os, sys
work, a, b, compare, start, up, rss_kb, failed = sys.argv[1:]
startup = float(up) - float(start)
def t(name):
    wall, user, sys_, peak = open(os.path.join(work, f"{name}.time")).read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(peak) / 1024
snapshots = os.path.join(work, "snapshots")
days = len(os.listdir(snapshots))
snap = sum(os.path.getsize(os.path.join(snapshots, f)) for f in os.listdir(snapshots))
control = os.path.join(work, "record", "control")
# The record is what is kept (and versioned in git); control/.cache holds derived checkpoints that
# any writer rebuilds, reported on their own.
files = [os.path.join(d, f) for d, _, fs in os.walk(control) for f in fs
         if os.path.relpath(d, control).split(os.sep)[0] != ".cache" and f != ".lock"]
kept = sum(os.path.getsize(f) for f in files)
cache_dir = os.path.join(control, ".cache")
cache = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(cache_dir) for f in fs)
try:
    record = json.load(open(os.path.join(control, "record.json")))
    shape = f"{len(record['days'])} day files, {record['next_id'] - 1} changes"
except (OSError, ValueError, KeyError, TypeError) as e:
    shape = f"record.json unreadable: {e}"
try:
    bites = json.load(open(os.path.join(work, "bites.json")))
    shape += f" (the generator made {len(bites)} bites, {sum(1 for x in bites if x['retaken'])} retaken)"
except (OSError, ValueError, KeyError, TypeError):
    pass
im, fc, sc, va = t("import"), t("frontline-changes"), t("shapely-changes"), t("validate")
shapely_km2 = json.load(open(os.path.join(work, "shapely-changes.json")))["total_area_km2"]
def met(ok): return "met" if ok else "NOT met"
print()
print(f"record: {days} daily snapshots, {snap / 1e6:.1f} MB; changes {a} -> {b}: {shapely_km2:.3f} km² (Shapely), results {compare}")
print(f"  import     {im[0]:.2f} s wall, {im[1]:.2f} s CPU, {im[2]:.0f} MB peak: {days / max(im[0], 0.01):.1f} snapshots/s; {shape}")
print(f"  size       the record is {kept / 1e6:.2f} MB in {len(files)} files = {kept / snap * 100:.1f} % of the snapshots (target <= 5 %: {met(kept <= 0.05 * snap)});"
      f" its derived checkpoint cache (control/.cache, not kept) {cache / 1e6:.2f} MB")
print(f"  changes    Frontline {fc[0]:.2f} s wall ({fc[2]:.0f} MB peak) vs Shapely on two snapshots {sc[0]:.2f} s: "
      f"{fc[0] / sc[0]:.2f}x (target <= 0.3x: {met(fc[0] <= 0.3 * sc[0])})")
print(f"  validate   {va[0]:.2f} s wall, {va[2]:.0f} MB peak (target <= 5 s: {met(va[0] <= 5)})")
print(f"  start-up   {startup:.2f} s to the first /health (target <= 1 s: {met(startup <= 1)})")
print(f"  memory     {int(rss_kb) / 1024:.0f} MB resident after tiles of 50 dates, {failed} failed (target <= 250 MB: {met(int(rss_kb) <= 250 * 1024)})")
PY
