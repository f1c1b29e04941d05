#!/usr/bin/python3
"""Mapnik peer of `frontline seed` for the tiles part of bench/run.sh.

Run with Debian's /usr/bin/python3, which has python3-mapnik (Mapnik 3.1); a pyenv or venv
python3 on PATH usually has no mapnik module.

    seed_mapnik.py prepare --data DIR --date D
        writes DIR/mapnik-control-D.geojson: the control features valid on D
        (valid_from <= D < valid_to, a missing valid_to meaning open-ended), which Mapnik's
        geojson plugin cannot select itself. Not part of the timed run.

    seed_mapnik.py seed --data DIR --date D --zoom 6-12 --bbox W,S,E,N --style FILE.xml -o OUT
                        [--no-labels] [--processes N] [--format png32]
        renders every XYZ tile covering the bbox at each zoom (the slippy-map formula, as
        `frontline seed` does) into OUT/Z/X/Y.png, 256 px, in one process and one thread by
        default; --processes N splits the tiles between N worker processes (multiprocessing),
        each of which loads the map once. Prints "tiles N" at the end.

    seed_mapnik.py tiles --zoom 6-12 --bbox W,S,E,N
        prints the tile list, one z/x/y a line.

The style's file names are relative to the dataset folder, and @DATE@ in it becomes the date.
"""

import argparse
import json
import math
import os
import sys
import time

HALF_WORLD = 20037508.342789244
MAX_LAT = 85.0511287798066
TILE_SIZE = 256


def tile_list(zooms, bbox):
    """Every (z, x, y) covering bbox = (W, S, E, N) in degrees, zoom by zoom."""
    w, s, e, n = bbox
    s, n = max(s, -MAX_LAT), min(n, MAX_LAT)

    def merc(lon, lat):
        x = lon * HALF_WORLD / 180.0
        y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * HALF_WORLD / math.pi
        return x, y

    minx, miny = merc(w, s)
    maxx, maxy = merc(e, n)
    tiles = []
    for z in zooms:
        count = 1 << z
        size = 2 * HALF_WORLD / count

        def col(x):
            return min(count - 1, max(0, math.floor((x + HALF_WORLD) / size)))

        def row(y):
            return min(count - 1, max(0, math.floor((HALF_WORLD - y) / size)))

        for x in range(col(minx), col(maxx) + 1):
            for y in range(row(maxy), row(miny) + 1):
                tiles.append((z, x, y))
    return tiles


def tile_box(z, x, y):
    size = 2 * HALF_WORLD / (1 << z)
    minx = -HALF_WORLD + x * size
    maxy = HALF_WORLD - y * size
    return minx, maxy - size, minx + size, maxy


def parse_zoom(text):
    lo, _, hi = text.partition("-")
    lo, hi = int(lo), int(hi or lo)
    if not 0 <= lo <= hi <= 22:
        raise argparse.ArgumentTypeError(f"bad zoom range {text!r}")
    return range(lo, hi + 1)


def parse_bbox(text):
    parts = [float(p) for p in text.split(",")]
    if len(parts) != 4 or parts[0] >= parts[2] or parts[1] >= parts[3]:
        raise argparse.ArgumentTypeError(f"bad bbox {text!r}: W,S,E,N")
    return tuple(parts)


def control_file(data, date):
    return os.path.join(data, f"mapnik-control-{date}.geojson")


def prepare(args):
    src = json.load(open(os.path.join(args.data, "control.geojson"), encoding="utf-8"))
    keep = [f for f in src["features"]
            if f["properties"]["valid_from"] <= args.date
            and (f["properties"].get("valid_to") is None or args.date < f["properties"]["valid_to"])]
    if not keep:
        sys.exit(f"seed_mapnik: no control feature is valid on {args.date}")
    out = control_file(args.data, args.date)
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": keep}, f, separators=(",", ":"))
    os.replace(tmp, out)
    print(f"seed_mapnik: {len(keep)} control features valid on {args.date} -> {out}")


# --- rendering (module globals so that worker processes load the map once) ----------

_map = None
_image = None
_out = None
_fmt = None


def _load(style_xml, data, out, fmt):
    global _map, _image, _out, _fmt
    import mapnik
    _map = mapnik.Map(TILE_SIZE, TILE_SIZE)
    mapnik.load_map_from_string(_map, style_xml, True, os.path.abspath(data))
    _image = mapnik.Image(TILE_SIZE, TILE_SIZE)
    _out, _fmt = out, fmt


def _render(tile):
    import mapnik
    z, x, y = tile
    _map.zoom_to_box(mapnik.Box2d(*tile_box(z, x, y)))
    _image.clear()
    mapnik.render(_map, _image)
    folder = os.path.join(_out, str(z), str(x))
    os.makedirs(folder, exist_ok=True)
    _image.save(os.path.join(folder, f"{y}.png"), _fmt)
    return 1


def _render_many(tiles):
    return sum(_render(t) for t in tiles)


def seed(args):
    if not os.path.exists(control_file(args.data, args.date)):
        sys.exit(f"seed_mapnik: {control_file(args.data, args.date)} is missing: "
                 f"run `seed_mapnik.py prepare --data {args.data} --date {args.date}` first")
    xml = open(args.style, encoding="utf-8").read().replace("@DATE@", args.date)
    if args.no_labels:
        label_line = "<StyleName>village-labels</StyleName>"
        if label_line not in xml:
            sys.exit(f"seed_mapnik: {args.style} has no {label_line} to remove for --no-labels")
        xml = xml.replace(label_line, "")
    tiles = tile_list(args.zoom, args.bbox)
    os.makedirs(args.output, exist_ok=True)
    started = time.monotonic()
    if args.processes <= 1:
        _load(xml, args.data, args.output, args.format)
        done = _render_many(tiles)
    else:
        import multiprocessing as mp
        # Small interleaved chunks: every worker gets a mix of zooms and the load stays even.
        chunks = [tiles[i:i + 8] for i in range(0, len(tiles), 8)]
        ctx = mp.get_context("fork")
        with ctx.Pool(args.processes, initializer=_load,
                      initargs=(xml, args.data, args.output, args.format)) as pool:
            done = sum(pool.imap_unordered(_render_many, chunks))
            # Let the workers exit on their own (rather than be terminated), so that their CPU
            # time is certainly in the parent's rusage of waited-for children (/usr/bin/time).
            pool.close()
            pool.join()
    if done != len(tiles):
        sys.exit(f"seed_mapnik: rendered {done} of {len(tiles)} tiles")
    print(f"tiles {done} in {time.monotonic() - started:.2f} s "
          f"({args.processes} process{'es' if args.processes > 1 else ''}, format {args.format})")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    pp = sub.add_parser("prepare", help="write the control features valid on the date")
    pp.add_argument("--data", required=True)
    pp.add_argument("--date", required=True)
    ps = sub.add_parser("seed", help="render the tiles")
    ps.add_argument("--data", required=True)
    ps.add_argument("--date", required=True)
    ps.add_argument("--zoom", type=parse_zoom, default=parse_zoom("6-12"))
    ps.add_argument("--bbox", type=parse_bbox, required=True)
    ps.add_argument("--style", required=True, help="Mapnik XML (bench/tiles-style.xml)")
    ps.add_argument("--no-labels", action="store_true", help="drop the village-labels style")
    ps.add_argument("--processes", type=int, default=1, help="worker processes (default 1: no multiprocessing)")
    ps.add_argument("--format", default="png32", help="Mapnik image format (default png32: 32-bit RGBA PNG)")
    ps.add_argument("-o", "--output", required=True)
    pt = sub.add_parser("tiles", help="print the tile list")
    pt.add_argument("--zoom", type=parse_zoom, default=parse_zoom("6-12"))
    pt.add_argument("--bbox", type=parse_bbox, required=True)
    args = p.parse_args()
    if args.command == "prepare":
        prepare(args)
    elif args.command == "seed":
        seed(args)
    else:
        for z, x, y in tile_list(args.zoom, args.bbox):
            print(f"{z}/{x}/{y}")


if __name__ == "__main__":
    main()
