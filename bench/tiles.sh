# Tiles part of bench/run.sh: `frontline seed` vs Mapnik 3.1 (bench/seed_mapnik.py) seeding the
# same XYZ tiles of the synthetic dataset, with and without labels.
#
# Sourced by bench/run.sh, not run on its own: it uses ROOT (the current directory), DATA, BIN,
# SKIP_FRONTLINE, MAPNIK_PYTHON and die() from there, and sets tiles_rc (0 ok, 3 target
# missed, anything else: failure). See bench/README.md, "Tiles".

TILES_BBOX="${BENCH_TILES_BBOX:-45.03,37.76,47.03,39.26}"
TILES_ZOOM="${BENCH_TILES_ZOOM:-6-12}"
TILES_RUNS="${BENCH_TILES_RUNS:-2}"
MAPNIK_PROCS="${BENCH_MAPNIK_PROCESSES:-2}"
TILES_DATE="${BENCH_TILES_DATE:-$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["default_date"])' "$DATA/dataset.json")}"
TILES_OUT="$DATA/tiles"
TILES_COMPARE="$DATA/tiles-compare"
CORES="$(nproc)"

# The no-label Frontline style must be the labelled one without its symbol layers.
python3 - bench/tiles-style.json bench/tiles-style-nolabels.json <<'EOF' || die "bench/tiles-style-nolabels.json is not bench/tiles-style.json without its symbol layers: regenerate it (bench/README.md)"
import json, sys
full, bare = (json.load(open(p)) for p in sys.argv[1:])
sys.exit(0 if [l for l in full["layers"] if l["type"] != "symbol"] == bare["layers"] else 1)
EOF

read -r LOAD1 _ < /proc/loadavg
if awk -v l="$LOAD1" -v c="$CORES" 'BEGIN { exit !(l > c / 2) }'; then
  echo "bench: tiles: load average $LOAD1 on $CORES cores before starting: other work on this machine will inflate the wall times (and, less, the CPU times)"
fi

TILES_COUNT="$("$MAPNIK_PYTHON" bench/seed_mapnik.py tiles --zoom "$TILES_ZOOM" --bbox "$TILES_BBOX" | wc -l)"
echo "bench: tiles: $TILES_COUNT tiles of 256 px, zooms $TILES_ZOOM, bbox $TILES_BBOX, date $TILES_DATE; $TILES_RUNS run(s) each"

# Not timed: Mapnik cannot select the control features valid on the date, so they are written out.
"$MAPNIK_PYTHON" bench/seed_mapnik.py prepare --data "$DATA" --date "$TILES_DATE"

# timed_tiles NAME OUTDIR CMD...: run CMD $TILES_RUNS times into an emptied OUTDIR, appending
# "wall user sys" lines to $DATA/times-tiles-NAME.txt
timed_tiles() {
  local name="$1" out="$2"; shift 2
  local times="$DATA/times-tiles-$name.txt" one="$DATA/.time-one" log="$DATA/tiles-$name.log"
  : > "$times"
  for ((i = 1; i <= TILES_RUNS; i++)); do
    rm -rf "$out"
    if ! /usr/bin/time -f "%e %U %S" -o "$one" "$@" > "$log" 2>&1; then
      cat "$log" >&2
      die "tiles: $name failed (run $i): $*"
    fi
    tail -n 1 "$one" >> "$times"
    echo "  $name run $i: $(tail -n 1 "$one" | awk -v n="$TILES_COUNT" \
      '{printf "%.2f s wall, %.2f s cpu: %.1f tiles/cpu-s, %.1f tiles/s", $1, $2 + $3, n / ($2 + $3), n / $1}')"
  done
  if grep -qi "warning" "$log"; then
    echo "  $name warned:"; grep -i "warning" "$log" | sort -u | sed 's/^/    /'
  fi
}

rm -f "$DATA"/times-tiles-*.txt "$DATA/tiles-results.json"
seed_args=(--data "$DATA" --date "$TILES_DATE" --zoom "$TILES_ZOOM" --bbox "$TILES_BBOX")
for variant in labels nolabels; do
  if [[ $variant == labels ]]; then json=bench/tiles-style.json; nolabel=(); else json=bench/tiles-style-nolabels.json; nolabel=(--no-labels); fi
  if [[ "$SKIP_FRONTLINE" != 1 ]]; then
    timed_tiles "frontline-$variant" "$TILES_OUT/frontline-$variant" \
      "$BIN" seed "${seed_args[@]}" --style "$json" -o "$TILES_OUT/frontline-$variant"
  fi
  timed_tiles "mapnik-$variant" "$TILES_OUT/mapnik-$variant" \
    "$MAPNIK_PYTHON" bench/seed_mapnik.py seed "${seed_args[@]}" --style bench/tiles-style.xml "${nolabel[@]}" \
    --processes 1 -o "$TILES_OUT/mapnik-$variant"
  timed_tiles "mapnik-$variant-${MAPNIK_PROCS}p" "$TILES_OUT/mapnik-$variant-${MAPNIK_PROCS}p" \
    "$MAPNIK_PYTHON" bench/seed_mapnik.py seed "${seed_args[@]}" --style bench/tiles-style.xml "${nolabel[@]}" \
    --processes "$MAPNIK_PROCS" -o "$TILES_OUT/mapnik-$variant-${MAPNIK_PROCS}p"
done

python3 - "$DATA" "$TILES_OUT" "$TILES_COMPARE" "$TILES_COUNT" "$MAPNIK_PROCS" "$CORES" \
  "$TILES_ZOOM" "$TILES_BBOX" "$TILES_DATE" <<'EOF' || tiles_rc=$?
import json, math, os, shutil, struct, sys

data, out, compare, count, procs, cores, zoom, bbox, date = sys.argv[1:]
count, procs, cores = int(count), int(procs), int(cores)
TARGET = 2.0

def times(name):
    path = os.path.join(data, f"times-tiles-{name}.txt")
    if not os.path.exists(path):
        return None
    runs = [list(map(float, line.split())) for line in open(path) if line.strip()]
    return {"wall_s": min(r[0] for r in runs), "cpu_s": min(r[1] + r[2] for r in runs), "runs": len(runs)}

def png_tiles(folder):
    """z/x/y of every file that is a non-empty 256 x 256 PNG, the number of other files, total bytes."""
    good, bad, size = set(), 0, 0
    for root, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(root, f)
            size += os.path.getsize(path)
            with open(path, "rb") as fh:
                head = fh.read(24)
            if (f.endswith(".png") and len(head) == 24 and head[:8] == b"\x89PNG\r\n\x1a\n"
                    and head[12:16] == b"IHDR" and struct.unpack(">II", head[16:24]) == (256, 256)):
                z, x = os.path.relpath(root, folder).split(os.sep)
                good.add((int(z), int(x), int(f[:-4])))
            else:
                bad += 1
    return good, bad, size

rows = [("frontline", "labels", f"all {cores} cores"), ("mapnik", "labels", "1 process"),
        ("mapnik", f"labels-{procs}p", f"{procs} processes"),
        ("frontline", "nolabels", f"all {cores} cores"), ("mapnik", "nolabels", "1 process"),
        ("mapnik", f"nolabels-{procs}p", f"{procs} processes")]
ok = True
results = {"tiles": count, "zoom": zoom, "bbox": bbox, "date": date, "target_cpu_ratio": TARGET,
           "png": {"frontline": "its own zlib PNG encoder, 8-bit RGB when opaque", "mapnik": "png32, 8-bit RGBA, default zlib settings"}, "runs": {}}
sets = {}
print()
print(f"tiles: {count} tiles, zooms {zoom}, bbox {bbox}, date {date}")
print(f"  {'run':24s} {'uses':>13s} {'wall s':>7s} {'cpu s':>7s} {'tiles/cpu-s':>12s} {'tiles/s':>8s} {'PNGs ok':>8s} {'MB':>6s}")
for tool, variant, uses in rows:
    name = f"{tool}-{variant}"
    t = times(name)
    if not t:
        continue
    good, bad, size = png_tiles(os.path.join(out, name))
    sets[name] = good
    t.update(tiles_per_cpu_s=count / t["cpu_s"], tiles_per_wall_s=count / t["wall_s"], uses=uses,
             png_tiles=len(good), other_files=bad, megabytes=size / 1e6)
    results["runs"][name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in t.items()}
    flag = "" if len(good) == count and bad == 0 else f"  <- expected {count} PNGs" + (f", {bad} bad files" if bad else "")
    ok &= not flag
    print(f"  {tool + ' ' + variant:24s} {uses:>13s} {t['wall_s']:7.2f} {t['cpu_s']:7.2f} "
          f"{t['tiles_per_cpu_s']:12.1f} {t['tiles_per_wall_s']:8.1f} {len(good):8d} {size / 1e6:6.2f}{flag}")

# Same tiles from both tools?
for variant in ("labels", "nolabels"):
    f, m = sets.get(f"frontline-{variant}"), sets.get(f"mapnik-{variant}")
    if f is not None and m is not None and f != m:
        ok = False
        print(f"  {variant}: the tools wrote different tiles: {len(f - m)} only by Frontline, {len(m - f)} only by Mapnik")

rc = 0
r = results["runs"]
if "frontline-labels" in r:
    print("  Frontline / Mapnik, tiles per CPU-second (user + sys; Mapnik's better of its 1- and "
          f"{procs}-process runs), target >= {TARGET:g}:")
    met_all = True
    for variant in ("labels", "nolabels"):
        fl = r[f"frontline-{variant}"]
        mp = max((r[k] for k in (f"mapnik-{variant}", f"mapnik-{variant}-{procs}p") if k in r),
                 key=lambda x: x["tiles_per_cpu_s"])
        ratio = fl["tiles_per_cpu_s"] / mp["tiles_per_cpu_s"]
        met = ratio >= TARGET
        met_all &= met
        results[f"cpu_ratio_{variant}"] = round(ratio, 3)
        print(f"    {'with labels' if variant == 'labels' else 'no labels':12s} {ratio:5.2f}  "
              f"({fl['tiles_per_cpu_s']:.1f} vs {mp['tiles_per_cpu_s']:.1f} tiles/cpu-s: {'met' if met else 'NOT met'})")
    print(f"  Frontline / Mapnik, tiles per wall-second (Frontline on all {cores} cores, Mapnik on {procs} processes):")
    for variant in ("labels", "nolabels"):
        fl, mp = r[f"frontline-{variant}"], r[f"mapnik-{variant}-{procs}p"]
        ratio = fl["tiles_per_wall_s"] / mp["tiles_per_wall_s"]
        results[f"wall_ratio_{variant}"] = round(ratio, 3)
        print(f"    {'with labels' if variant == 'labels' else 'no labels':12s} {ratio:5.2f}  "
              f"({fl['tiles_per_wall_s']:.1f} vs {mp['tiles_per_wall_s']:.1f} tiles/s)")
    results["target_met"] = met_all
    rc = 0 if met_all else 3
print("  PNG: Frontline 8-bit RGB (its own zlib encoder: Sub filter, run-length strategy); "
      "Mapnik png32 (8-bit RGBA, its default zlib settings)")

# Samples for a person to look at: the same tiles from each tool, side by side by name.
shutil.rmtree(compare, ignore_errors=True)
os.makedirs(compare)
w, s, e, n = map(float, bbox.split(","))
lon, lat = (w + e) / 2, (s + n) / 2
zs = sorted({int(k) for k in zoom.split("-")})
lo, hi = zs[0], zs[-1]
def tile_at(z):
    k = 1 << z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * k
    return z, int((lon + 180) / 360 * k), int(y)
picks = [tile_at(z) for z in sorted({lo + (hi - lo) // 3, lo + 2 * (hi - lo) // 3})]
ref = next((sets[k] for k in ("frontline-labels", "mapnik-labels") if k in sets), set())
ref_name = "frontline-labels" if "frontline-labels" in sets else "mapnik-labels"
top = [t for t in ref if t[0] == hi]
if top:   # the busiest tile of the highest zoom (largest PNG)
    picks.append(max(sorted(top), key=lambda t: os.path.getsize(os.path.join(out, ref_name, *map(str, t[:2]), f"{t[2]}.png"))))
for z, x, y in picks:
    for variant in ("labels", "nolabels"):
        for tool in ("frontline", "mapnik"):
            src = os.path.join(out, f"{tool}-{variant}", str(z), str(x), f"{y}.png")
            if os.path.exists(src):
                shutil.copy(src, os.path.join(compare, f"{z}-{x}-{y}-{variant}-{tool}.png"))
print(f"  sample tiles {', '.join(f'{z}/{x}/{y}' for z, x, y in picks)} from each tool: {compare}/Z-X-Y-VARIANT-TOOL.png")
print(f"  all tiles: {out}/TOOL-VARIANT/Z/X/Y.png")

with open(os.path.join(data, "tiles-results.json"), "w") as f:
    json.dump(results, f, indent=2)
if not ok:
    print("tiles: the tools did not write the same set of valid tiles (see above)", file=sys.stderr)
    sys.exit(1)
sys.exit(rc)
EOF
