#!/usr/bin/env python3
"""Check the built dataset (geodata/) against the facts it must hold.

Usage: python3 tools/geodata/check.py [--data DIR]

Prints a table of (place, date, expected party, party found) and checks that
every control polygon is valid, the two parties never overlap (> 0.001 km2),
control has no holes, every date of the temporal extent has control features,
and the pipeline crosses the expected ground on 10 Mar 2022.  Exit 1 on failure.
"""

import argparse
import datetime
import json
import os
import sys

import shapely
from pyproj import Geod
from shapely.geometry import Point, shape

GEOD = Geod(ellps="WGS84")
ARM, AZE, NONE = "karabakh-armenian", "azerbaijani", "none"

# (layer, id, [(date, expected party), ...])
EXPECT = [
    ("villages", "parukh", [("2022-03-01", ARM), ("2022-03-25", AZE), ("2022-03-28", AZE), ("2022-04-15", AZE)]),
    ("villages", "khramort", [("2022-03-25", ARM)]),
    ("villages", "shusha", [("2020-11-10", AZE), ("2022-03-26", AZE)]),
    ("villages", "stepanakert", [("2022-03-26", ARM), ("2023-09-19", ARM), ("2023-09-21", AZE)]),
] + [("villages", v, [("2020-12-05", ARM), ("2022-08-24", ARM), ("2022-08-27", AZE)])
     for v in ("lachin", "aghavno", "sus")] + [
    ("villages", v, [("2020-12-11", ARM), ("2020-12-13", AZE)]) for v in ("hin-tagher", "khtsaberd")] + [
    ("villages", "aghdam", [("2020-11-15", ARM), ("2020-11-21", AZE)]),
    ("villages", "karvachar", [("2020-11-24", ARM), ("2020-11-26", AZE)]),
    ("villages", "hadrut", [("2020-11-10", AZE)]),
] + [("villages", v, [("2022-03-26", ARM)]) for v in (
    "karmir-shuka", "avetaranots", "sghnakh", "dashalty", "krkjan", "shosh", "khachmach", "askeran",
    "khojaly", "martuni", "martakert", "sarushen", "khanabad")] + [
    ("villages", v, [("2022-09-01", ARM), ("2023-09-19", ARM)]) for v in ("lisagor", "mets-shen", "yeghtsahogh")] + [
    ("villages", "zarysly", [("2022-03-10", AZE)]),
] + [("villages", v, [(d, NONE) for d in ("2020-11-10", "2021-06-01", "2022-03-26", "2022-09-01", "2023-06-01",
                                          "2023-12-31")]) for v in ("goris", "kornidzor")] + [
    ("heights", "karaglukh", [("2022-03-01", ARM), ("2022-03-25", AZE)]),
    ("heights", "saribaba", [("2022-08-02", ARM), ("2022-08-04", AZE)]),
    ("heights", "girkhgiz", [("2022-08-02", ARM), ("2022-08-04", AZE)]),
    ("heights", "height-2054", [("2023-03-24", ARM), ("2023-03-26", AZE)]),
    ("heights", "boyuk-kirs", [("2022-03-26", AZE)]),
]


def km2(g):
    return abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6 if not g.is_empty else 0.0


def on(props, d):
    return props["valid_from"] <= d and (props.get("valid_to") is None or d < props["valid_to"])


def main():
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(repo, "geodata"))
    args = ap.parse_args()

    def load(name):
        with open(os.path.join(args.data, name), encoding="utf-8") as fh:
            return json.load(fh)

    ds = load("dataset.json")
    control = [(f["properties"], shape(f["geometry"])) for f in load("control.geojson")["features"]]
    points = {}
    for layer in ("villages", "heights"):
        for f in load(f"{layer}.geojson")["features"]:
            points[(layer, f["properties"]["id"])] = Point(f["geometry"]["coordinates"])
    failures = []

    def party(pt, d):
        found = [p["controlled_by"] for p, g in control if on(p, d) and g.covers(pt)]
        if len(set(found)) > 1:
            failures.append(f"point {pt} held by {found} on {d}")
        return found[0] if found else NONE

    print(f"{'layer':9} {'id':13} {'date':10}  {'expected':18} {'found':18}")
    for layer, pid, checks in EXPECT:
        pt = points[(layer, pid)]
        for d, want in checks:
            got = party(pt, d)
            flag = "" if got == want else "   <-- FAIL"
            if flag:
                failures.append(f"{pid} {d}: expected {want}, found {got}")
            print(f"{layer:9} {pid:13} {d:10}  {want:18} {got:18}{flag}")

    # validity, orientation
    for i, (p, g) in enumerate(control):
        if not g.is_valid:
            failures.append(f"control feature {i} invalid: {shapely.is_valid_reason(g)}")

    # dates: every change date and every day of the extent
    first, last = (datetime.date.fromisoformat(x) for x in ds["temporal_extent"])
    change_dates = sorted({p["valid_from"] for p, _ in control} | {p["valid_to"] for p, _ in control if p["valid_to"]})
    d = first
    while d <= last:
        if not any(on(p, d.isoformat()) for p, _ in control):
            failures.append(f"no control features on {d}")
        d += datetime.timedelta(days=1)

    print("\ndate        armenian km2  azerbaijani km2  overlap km2  holes")
    for d in change_dates + ["2022-03-10", "2022-03-26", "2023-12-31"]:
        if d > ds["temporal_extent"][1]:
            continue
        byp = {}
        for p, g in control:
            if on(p, d):
                byp.setdefault(p["controlled_by"], []).append(g)
        u = {k: shapely.union_all(v) for k, v in byp.items()}
        a, z = u.get(ARM, shapely.Polygon()), u.get(AZE, shapely.Polygon())
        ov = km2(a.intersection(z))
        allu = shapely.union_all(list(u.values()))
        holes = sum(len(pg.interiors) for pg in getattr(allu, "geoms", [allu]))
        print(f"{d}  {km2(a):12.1f}  {km2(z):15.1f}  {ov:11.6f}  {holes}")
        if ov > 0.001:
            failures.append(f"overlap {ov:.6f} km2 on {d}")
        if holes:
            failures.append(f"{holes} holes in the union of control on {d}")
        for k, v in byp.items():
            if len(v) > 1 and km2(shapely.union_all(v)) + 1e-6 < sum(km2(x) for x in v) - 0.001:
                failures.append(f"features of {k} overlap each other on {d}")

    # pipeline on 2022-03-10
    pipe = shape(load("pipeline.geojson")["features"][0]["geometry"])
    d = "2022-03-10"
    lens = {}
    geod_len = lambda g: GEOD.geometry_length(g) / 1000
    held = shapely.Polygon()
    for p, g in control:
        if on(p, d):
            piece = pipe.intersection(g)
            lens[p["controlled_by"]] = lens.get(p["controlled_by"], 0) + geod_len(piece)
            held = held.union(g)
    lens[NONE] = geod_len(pipe.difference(held))
    print(f"\npipeline on {d}: " + ", ".join(f"{k} {v:.1f} km" for k, v in lens.items()))
    segs = {
        "Zarysly section azerbaijani": (Point(46.6761, 39.7172).buffer(0.01), AZE),
        "Shusha azerbaijani": (Point(46.7512, 39.7633).buffer(0.005), AZE),
        "corridor (Aghavno-Lachin) karabakh-armenian": (Point(46.545, 39.615).buffer(0.01), ARM),
        "near Stepanakert karabakh-armenian": (Point(46.750, 39.808).buffer(0.008), ARM),
        "Goris none": (Point(46.3386, 39.5078).buffer(0.02), NONE),
    }
    for name, (area, want) in segs.items():
        piece = pipe.intersection(area)
        mid = piece.interpolate(0.5, normalized=True)
        got = party(mid, d)
        print(f"  {name:45} {got}{'' if got == want else '   <-- FAIL'}")
        if got != want:
            failures.append(f"pipeline {name}: {got}")

    size = sum(os.path.getsize(os.path.join(args.data, f)) for f in os.listdir(args.data))
    print(f"\ngeodata size: {size / 1024:.0f} KiB")
    if size > 2 * 1024 * 1024:
        failures.append("geodata larger than 2 MB")
    if failures:
        print("\nFAILURES:\n  " + "\n  ".join(failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
