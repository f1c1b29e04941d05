#!/usr/bin/env bash
# Frontline benchmark on a synthetic dataset, in two parts:
#   changes  changes(A, B): Frontline vs Shapely 2 + pyproj
#   tiles    seeding XYZ PNG tiles: `frontline seed` vs Mapnik 3.1 (bench/seed_mapnik.py, bench/tiles.sh)
#   serve    the tile server under wrk (bench/serve.sh)
#   wms      WMS GetMap 1024x768 of geodata/: requests per second vs Mapnik rendering the same maps (bench/wms.sh)
#   record   a year of daily snapshots imported into a record (docs/record.md): import time, the
#            record's size, changes vs Shapely on two snapshots, validate, start-up, memory over
#            50 dates (bench/record.sh, bench/synth_record.py)
#   store    that record in PostgreSQL + PostGIS: changes from the database vs the folder vs SQL,
#            cold tiles from the database vs the folder, cached tiles through nginx vs nginx
#            serving a file (bench/store.sh; runs after part record, whose record it pushes)
#   mvt      vector tiles from `frontline serve` against its PNG tiles of the same pyramid (the tiles
#            part's area and zooms): tiles per second and bytes (bench/mvt.sh)
#
#   bench/run.sh                    build, generate data (once), time both parts, compare, print tables
#   SKIP_FRONTLINE=1 bench/run.sh   data + the peers only (no Swift build, no comparison)
#   BENCH_PARTS=tiles bench/run.sh  one part only
#
# Environment:
#   BENCH_PARTS=changes,tiles  parts to run
#   BENCH_RUNS=3        runs per tool; the median wall and CPU times are reported
#   BENCH_SEED=42       seed of bench/synth.py
#   BENCH_SYNTH_ARGS    extra arguments for bench/synth.py (e.g. "--front-vertices 50000")
#   MIN_AREA            if set, passed as --min-area to both tools (default: their default, 0.01 km²)
#   BENCH_STRICT=1      exit 1 when the ratio misses the target (<= 0.5)
#   FRONTLINE_BIN=PATH  time this frontline binary instead of building one
# Tiles part:
#   BENCH_TILES_BBOX=45.03,37.76,47.03,39.26  area seeded (2 x 1.5 degrees over the fronts' junction)
#   BENCH_TILES_ZOOM=6-12     zoom levels
#   BENCH_TILES_DATE          date drawn (default: the dataset's default_date)
#   BENCH_TILES_RUNS=2        runs per tool and variant; the best wall and best CPU time are kept
#   BENCH_MAPNIK_PROCESSES=2  Mapnik worker processes for the wall-clock run
#   MAPNIK_PYTHON=/usr/bin/python3  a python3 with python3-mapnik (Debian's)
#   BENCH_TILES_STRICT=1      exit 1 when Frontline misses 2x Mapnik's tiles per CPU-second
#
# Whole-process times are measured with /usr/bin/time (Debian package `time`,
# installed by `scripts/setup.sh --bench`): start-up, JSON parsing and output
# included. Everything generated goes to .build/bench-data/ (not in git).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${BENCH_RUNS:-3}"
SEED="${BENCH_SEED:-42}"
SYNTH_ARGS="${BENCH_SYNTH_ARGS:-}"
SKIP_FRONTLINE="${SKIP_FRONTLINE:-0}"
DATA=".build/bench-data"
TARGET="0.5"

die() { echo "bench: $*" >&2; exit 1; }

PARTS=",${BENCH_PARTS:-changes,tiles,serve,wms,record,store,mvt},"
part() { [[ "$PARTS" == *",$1,"* ]]; }
part changes || part tiles || part serve || part wms || part record || part store || part mvt || die "BENCH_PARTS=${BENCH_PARTS:-} names no part (changes, tiles, serve, wms, record, store, mvt)"
MAPNIK_PYTHON="${MAPNIK_PYTHON:-/usr/bin/python3}"

[[ -x /usr/bin/time ]] || die "/usr/bin/time not found: run scripts/setup.sh --bench (Debian package 'time')"
if part changes || part record; then
  python3 -c 'import shapely, pyproj; assert shapely.__version__ >= "2"' 2>/dev/null \
    || die "python3 needs Shapely >= 2 and pyproj: run scripts/setup.sh --bench"
fi
if part tiles; then
  "$MAPNIK_PYTHON" -c 'import mapnik' 2>/dev/null \
    || die "$MAPNIK_PYTHON cannot import mapnik: run scripts/setup.sh --bench (Debian package python3-mapnik, for Debian's /usr/bin/python3; set MAPNIK_PYTHON if another python3 has it)"
fi

min_area_args=()
[[ -n "${MIN_AREA:-}" ]] && min_area_args=(--min-area "$MIN_AREA")

# --- (a) build -----------------------------------------------------------------
if [[ "$SKIP_FRONTLINE" != 1 ]]; then
  if [[ -n "${FRONTLINE_BIN:-}" ]]; then
    BIN="$FRONTLINE_BIN"
  else
    echo "bench: swift build -c release --product frontline"
    swift build -c release --product frontline
    BIN="$(swift build -c release --show-bin-path)/frontline"
  fi
  [[ -x "$BIN" ]] || die "no frontline binary at $BIN"
fi

# --- (b) synthetic dataset (regenerated only when synth.py or its arguments change)
mkdir -p "$DATA"
stamp="$( { sha256sum bench/synth.py; echo "seed=$SEED args=$SYNTH_ARGS"; } | sha256sum | cut -c1-16)"
if [[ -f "$DATA/.stamp" && "$(cat "$DATA/.stamp")" == "$stamp" && -f "$DATA/control.geojson" ]]; then
  echo "bench: dataset $DATA is up to date (stamp $stamp)"
else
  echo "bench: generating $DATA (seed $SEED)"
  rm -f "$DATA/.stamp"
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e %U %S" -o "$DATA/times-synth.txt" python3 bench/synth.py --out "$DATA" --seed "$SEED" $SYNTH_ARGS
  echo "bench: generated in $(cut -d' ' -f1 "$DATA/times-synth.txt") s"
  echo "$stamp" > "$DATA/.stamp"
fi

# timed NAME CMD...: run CMD $RUNS times, appending "wall user sys" lines to $DATA/times-NAME.txt
timed() {
  local name="$1"; shift
  local times="$DATA/times-$name.txt" one="$DATA/.time-one" log="$DATA/$name.log"
  : > "$times"
  for ((i = 1; i <= RUNS; i++)); do
    if ! /usr/bin/time -f "%e %U %S" -o "$one" "$@" > "$log" 2>&1; then
      cat "$log" >&2
      die "$name failed (run $i): $*"
    fi
    tail -n 1 "$one" >> "$times"
    echo "  $name run $i: $(tail -n 1 "$one" | awk '{printf "%.2f s wall, %.2f s cpu", $1, $2 + $3}')"
  done
}

compare_rc=0
table_rc=0
if part changes; then
echo "bench: === part changes ==="
# --- (c) time both tools on the 3rd and 10th key dates ------------------------------
read -r DATE_A DATE_B < <(python3 -c '
import json, sys
dates = [d["date"] for d in json.load(open(sys.argv[1]))["key_dates"]]
print(dates[min(2, len(dates) - 1)], dates[min(9, len(dates) - 1)])' "$DATA/dataset.json")
[[ -n "${DATE_B:-}" ]] || die "cannot read the key dates of $DATA/dataset.json"
echo "bench: changes from $DATE_A to $DATE_B, $RUNS run(s) each"

FRONTLINE_OUT="$DATA/frontline-changes.geojson"
SHAPELY_OUT="$DATA/shapely-changes.json"

rm -f "$DATA/times-frontline.txt" "$DATA/times-shapely.txt" "$DATA/results.json"
if [[ "$SKIP_FRONTLINE" != 1 ]]; then
  rm -f "$FRONTLINE_OUT"
  timed frontline "$BIN" changes --data "$DATA" --from "$DATE_A" --to "$DATE_B" \
    --format geojson "${min_area_args[@]}" -o "$FRONTLINE_OUT"
fi
timed shapely python3 bench/changes_shapely.py --data "$DATA" --from "$DATE_A" --to "$DATE_B" \
  "${min_area_args[@]}" -o "$SHAPELY_OUT"

# --- (d) compare -----------------------------------------------------------------
if [[ "$SKIP_FRONTLINE" != 1 ]]; then
  python3 bench/compare_changes.py "$FRONTLINE_OUT" "$SHAPELY_OUT" || compare_rc=$?
else
  echo "bench: SKIP_FRONTLINE=1: Frontline not built, run nor compared"
fi

# --- (e) table -------------------------------------------------------------------
python3 - "$DATA" "$SHAPELY_OUT" "$TARGET" "$compare_rc" "$DATE_A" "$DATE_B" <<'EOF' || table_rc=$?
import json, os, statistics, sys

data, shapely_out, target, compare_rc, date_a, date_b = sys.argv[1:]
target = float(target)

def medians(name):
    path = os.path.join(data, f"times-{name}.txt")
    if not os.path.exists(path):
        return None
    runs = [list(map(float, line.split())) for line in open(path) if line.strip()]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] + r[2] for r in runs), len(runs)

res = json.load(open(shapely_out))
rows = {name: medians(name) for name in ("frontline", "shapely")}
print()
print(f"changes {date_a} -> {date_b}: {len(res['changes'])} changes, "
      f"{res['total_area_km2']:.3f} km² (Shapely)")
print(f"  {'tool':10s} {'wall s':>8s} {'cpu s':>8s}   (median of runs)")
for name, m in rows.items():
    if m:
        print(f"  {name:10s} {m[0]:8.2f} {m[1]:8.2f}   ({m[2]})")
    else:
        print(f"  {name:10s} {'-':>8s} {'-':>8s}   (not run)")
summary = {"from": date_a, "to": date_b, "changes": len(res["changes"]),
           "total_area_km2": round(res["total_area_km2"], 6), "target_ratio": target}
for name, m in rows.items():
    summary[name] = {"wall_s": round(m[0], 3), "cpu_s": round(m[1], 3), "runs": m[2]} if m else None
rc = 0
if rows["frontline"] and rows["shapely"]:
    ratio = rows["frontline"][0] / rows["shapely"][0]
    met = ratio <= target
    agree = compare_rc == "0"
    print(f"  Frontline wall / Shapely wall = {ratio:.2f}  (target <= {target:g}: "
          f"{'met' if met else 'NOT met'}; results {'agree' if agree else 'DISAGREE'})")
    cpu_ratio = rows["frontline"][1] / rows["shapely"][1]
    print(f"  Frontline cpu  / Shapely cpu  = {cpu_ratio:.2f}  (Frontline uses every core; Shapely one)")
    summary.update(ratio=round(ratio, 4), cpu_ratio=round(cpu_ratio, 4), target_met=met, agree=agree)
    rc = 0 if met else 3
with open(os.path.join(data, "results.json"), "w") as f:
    json.dump(summary, f, indent=2)
sys.exit(rc)
EOF
fi  # part changes

# --- (f) tiles: frontline seed vs Mapnik (bench/tiles.sh sets tiles_rc) -------------
tiles_rc=0
if part tiles; then
  echo
  echo "bench: === part tiles ==="
  # shellcheck source=bench/tiles.sh
  source bench/tiles.sh
fi

# --- (g) serve: the tile server under wrk (bench/serve.sh) --------------------------
if part serve && [[ "${SKIP_FRONTLINE:-0}" != 1 ]]; then
  echo
  echo "bench: === part serve ==="
  bash bench/serve.sh "$BIN"
fi

# --- (g2) wms: GetMap 1024x768 vs Mapnik (bench/wms.sh) ---------------------------------
if part wms && [[ "${SKIP_FRONTLINE:-0}" != 1 ]]; then
  echo
  echo "bench: === part wms ==="
  bash bench/wms.sh "$BIN"
fi

# --- (g3) mvt: vector tiles vs the PNG tiles of the same pyramid (bench/mvt.sh) --------
if part mvt && [[ "${SKIP_FRONTLINE:-0}" != 1 ]]; then
  echo
  echo "bench: === part mvt ==="
  bash bench/mvt.sh "$BIN" "$DATA"
fi

# --- (h) record: a year of daily snapshots (bench/record.sh) ---------------------------
if part record && [[ "${SKIP_FRONTLINE:-0}" != 1 ]]; then
  echo
  echo "bench: === part record ==="
  bash bench/record.sh "$BIN"
fi

if ((compare_rc != 0)); then
  die "Frontline and Shapely disagree (see above)"
fi
if ((table_rc == 3)) && [[ "${BENCH_STRICT:-0}" == 1 ]]; then
  die "ratio above the target $TARGET"
elif ((table_rc != 0 && table_rc != 3)); then
  die "could not summarise the results"
fi
if ((tiles_rc == 3)) && [[ "${BENCH_TILES_STRICT:-0}" == 1 ]]; then
  die "tiles: Frontline below 2x Mapnik's tiles per CPU-second"
elif ((tiles_rc != 0 && tiles_rc != 3)); then
  die "tiles: could not compare or summarise (see above)"
fi

# --- (i) store: the record in PostgreSQL + PostGIS behind nginx (bench/store.sh) ------------
if part store && [[ "${SKIP_FRONTLINE:-0}" != 1 ]]; then
  echo
  echo "bench: === part store ==="
  bash bench/store.sh "$BIN"
fi
