#!/usr/bin/env python3
"""changes(A, B) with Shapely 2 and pyproj: the peer Frontline is measured against.

Implements the change-of-control analysis of PRODUCT.md on any dataset folder
that follows the Frontline data contract:

* features of control.geojson exist on date D when
  ``valid_from <= D < valid_to`` (a missing or null ``valid_to`` is open);
* snapshot(D)[p] is the union of party p's geometries on D (invalid ones are
  repaired with make_valid first); the party ``none`` is the dataset bbox
  minus the union of all parties on D;
* for every ordered pair (p at A, q at B), p != q, p and q in the dataset's
  parties plus ``none``: piece = snapshot(A)[p] ∩ snapshot(B)[q], keeping its
  polygonal part; area_km2 is its geodesic area on the WGS84 ellipsoid
  (pyproj.Geod.geometry_area_perimeter); pieces under ``--min-area`` km² are
  dropped; villages and heights inside are the points that intersect the piece
  (one vectorised STRtree query for all pieces).

The code is meant to be what a competent Shapely user would write: GEOS does
all the geometry work through Shapely's vectorised functions, on one thread.
The whole process (start-up, JSON parsing included) is what run.sh times.

Output (``-o OUT.json``, or stdout)::

    {"changes": [{"from", "to", "from_date", "to_date", "area_km2",
                  "village_ids": [...sorted], "height_ids": [...sorted]}, ...],
     "total_area_km2": <sum>}

Example::

    python3 bench/changes_shapely.py --data .build/bench-data \\
        --from 2021-03-01 --to 2021-10-01 -o shapely-changes.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time

import numpy as np
import pyproj
import shapely
from shapely.geometry import shape

NONE = "none"
GEOD = pyproj.Geod(ellps="WGS84")


class DataError(Exception):
    """Bad input: reported as one line and exit code 1."""


class Timer:
    """Collects wall time per stage, printed with --timings."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.t0 = self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        if self.enabled:
            print(f"  {stage:28s} {now - self.last:7.3f} s", file=sys.stderr)
        self.last = now

    def total(self) -> None:
        if self.enabled:
            print(f"  {'total (after imports)':28s} {time.perf_counter() - self.t0:7.3f} s", file=sys.stderr)


def load_json(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise DataError(f"{path}: cannot read ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: invalid JSON ({e})") from None


def features(path: str):
    doc = load_json(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise DataError(f"{path}: not a GeoJSON FeatureCollection")
    return doc["features"]


def valid_on(props: dict, date: str) -> bool:
    """valid_from <= date < valid_to (ISO dates compare as strings)."""
    start, end = props.get("valid_from"), props.get("valid_to")
    return (start is None or start <= date) and (end is None or date < end)


def load_points(path: str):
    """(ids, shapely Points array) of a Point layer; a missing file is an empty layer."""
    if not os.path.exists(path):
        return [], shapely.points(np.empty((0, 2)))
    ids, coords = [], []
    for i, feat in enumerate(features(path)):
        geom = feat.get("geometry") or {}
        props = feat.get("properties") or {}
        if geom.get("type") != "Point" or "id" not in props:
            raise DataError(f"{path}: feature {i}: expected a Point with an id")
        ids.append(str(props["id"]))
        coords.append(geom["coordinates"][:2])
    return ids, shapely.points(np.asarray(coords, dtype=float).reshape(-1, 2))


def snapshots(path: str, parties: list[str], dates: list[str]):
    """{date: {party: geometry}} for the given dates (only features valid on them are built)."""
    wanted = {d: {p: [] for p in parties} for d in dates}
    for i, feat in enumerate(features(path)):
        props = feat.get("properties") or {}
        on = [d for d in dates if valid_on(props, d)]
        if not on:
            continue
        party = props.get("controlled_by")
        if party not in wanted[on[0]]:
            raise DataError(f"{path}: feature {i}: controlled_by {party!r} is not a party of dataset.json")
        try:
            geom = shape(feat["geometry"])
        except Exception as e:  # noqa: BLE001 - any malformed geometry is a data error
            raise DataError(f"{path}: feature {i}: bad geometry ({e})") from None
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise DataError(f"{path}: feature {i}: {geom.geom_type} is not a Polygon or MultiPolygon")
        for d in on:
            wanted[d][party].append(geom)

    result = {}
    for d, by_party in wanted.items():
        result[d] = {}
        for p, geoms in by_party.items():
            arr = np.array(geoms, dtype=object)
            bad = ~shapely.is_valid(arr)
            if bad.any():
                print(f"warning: {path}: {int(bad.sum())} invalid polygon(s) of {p} on {d} repaired",
                      file=sys.stderr)
                arr[bad] = shapely.make_valid(arr[bad])
            if len(arr) == 0:
                result[d][p] = shapely.Polygon()
            elif len(arr) == 1:
                result[d][p] = arr[0]
            else:
                result[d][p] = shapely.union_all(arr)
    return result


def polygonal(geom):
    """The polygonal part of an overlay result (drops touching lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = shapely.get_parts(geom)
    polys = []
    for part in parts:
        if part.geom_type == "Polygon":
            polys.append(part)
        elif part.geom_type == "MultiPolygon":
            polys.extend(part.geoms)
    return shapely.MultiPolygon(polys)


def polygon_areas_km2(geom) -> np.ndarray:
    """Geodesic area (km²) of each polygon part of a (Multi)Polygon."""
    parts = shapely.orient_polygons(shapely.get_parts(geom), exterior_cw=False)
    return np.array([abs(GEOD.geometry_area_perimeter(p)[0]) for p in parts]) / 1e6


def changes(data: str, date_a: str, date_b: str, min_area: float, per_part: bool, timer: Timer,
            snapshot_files: list[str] | None = None):
    meta = load_json(os.path.join(data, "dataset.json"))
    try:
        parties = [str(p["id"]) for p in meta["parties"]]
        first, last = meta["temporal_extent"]
        west, south, east, north = meta["bbox"]
    except (KeyError, TypeError, ValueError):
        raise DataError(f"{data}/dataset.json: needs parties, temporal_extent and bbox") from None
    for d in (date_a, date_b):
        try:
            dt.date.fromisoformat(d)
        except ValueError:
            raise DataError(f"{d!r} is not a YYYY-MM-DD date") from None
        if not first <= d <= last:
            raise DataError(f"{d} is outside the temporal extent {first} .. {last}")

    if snapshot_files:
        # Two snapshot files, one per date (what a team exports from its GIS each day): every
        # feature of a file holds on its date.
        snap = {date_a: snapshots(snapshot_files[0], parties, [date_a])[date_a],
                date_b: snapshots(snapshot_files[1], parties, [date_b])[date_b]}
    else:
        snap = snapshots(os.path.join(data, "control.geojson"), parties, sorted({date_a, date_b}))
    village_ids, village_pts = load_points(os.path.join(data, "villages.geojson"))
    height_ids, height_pts = load_points(os.path.join(data, "heights.geojson"))
    timer("load + build geometries")

    frame = shapely.box(west, south, east, north)
    for d in snap:
        snap[d][NONE] = shapely.difference(frame, shapely.union_all(list(snap[d].values())))
    timer("none = bbox - union")

    everyone = parties + [NONE]
    pairs = [(p, q) for p in everyone for q in everyone if p != q]
    a = np.array([snap[date_a][p] for p, _ in pairs], dtype=object)
    b = np.array([snap[date_b][q] for _, q in pairs], dtype=object)
    pieces = shapely.intersection(a, b)
    timer("intersections")

    kept, areas = [], []
    for (p, q), piece in zip(pairs, pieces):
        piece = polygonal(piece)
        if piece.is_empty:
            continue
        part_areas = polygon_areas_km2(piece)
        if per_part:
            keep = part_areas >= min_area
            if not keep.any():
                continue
            if not keep.all():
                piece = shapely.multipolygons(shapely.get_parts(piece)[keep])
            area = float(part_areas[keep].sum())
        else:
            area = float(part_areas.sum())
            if area < min_area:
                continue
        kept.append((p, q, piece))
        areas.append(area)
    timer("geodesic areas")

    geoms = np.array([g for _, _, g in kept], dtype=object)
    inside_v, inside_h = [[] for _ in kept], [[] for _ in kept]
    for ids, pts, inside in ((village_ids, village_pts, inside_v), (height_ids, height_pts, inside_h)):
        if len(kept) and len(pts):
            piece_idx, pt_idx = shapely.STRtree(pts).query(geoms, predicate="intersects")
            for i, j in zip(piece_idx.tolist(), pt_idx.tolist()):
                inside[i].append(ids[j])
    timer("villages + heights")

    out = [{"from": p, "to": q, "from_date": date_a, "to_date": date_b, "area_km2": area,
            "village_ids": sorted(v), "height_ids": sorted(h)}
           for (p, q, _), area, v, h in zip(kept, areas, inside_v, inside_h)]
    return {"changes": out, "total_area_km2": sum(areas)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description="Change of control between two dates (PRODUCT.md changes(A, B)) with Shapely 2 + pyproj.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--data", required=True, help="dataset folder (dataset.json, control.geojson, ...)")
    ap.add_argument("--from", dest="date_a", required=True, metavar="A", help="first date, YYYY-MM-DD")
    ap.add_argument("--to", dest="date_b", required=True, metavar="B", help="second date, YYYY-MM-DD")
    ap.add_argument("--min-area", type=float, default=0.01, help="drop pieces under this many km²")
    ap.add_argument("--per-part", action="store_true",
                    help="apply --min-area to each polygon of a piece rather than to the whole piece")
    ap.add_argument("--snapshots", nargs=2, metavar=("FILE_A", "FILE_B"),
                    help="read control on A and on B from these snapshot files instead of DATA/control.geojson")
    ap.add_argument("-o", "--output", help="output JSON file (default: stdout)")
    ap.add_argument("--timings", action="store_true", help="print the time of each stage to stderr")
    args = ap.parse_args(argv)

    timer = Timer(args.timings)
    try:
        result = changes(args.data, args.date_a, args.date_b, args.min_area, args.per_part, timer, args.snapshots)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    timer("write output")
    timer.total()
    return 0


if __name__ == "__main__":
    sys.exit(main())
