#!/usr/bin/env python3
"""How analysis/*/expected.json was made and verified (not part of the build or of `swift test`).

For each hand-made dataset it
  1. computes the analyses with shapely (planar set operations in lon/lat, as GEOS does) and measures
     areas and lengths on the WGS84 ellipsoid with pyproj (Geod.geometry_area_perimeter, Geod.line_length);
  2. computes the same numbers from the closed-form formulas of EXPECTED.md (authalic latitude for a
     lon/lat rectangle, N(phi)*cos(phi)*dlambda for a parallel, the meridian arc for a meridian);
  3. asserts that the two agree within 0.1 %, and that expected.json holds the pyproj values.

    python3 check_expected.py           # check expected.json (exit 1 on any mismatch)
    python3 check_expected.py --write   # (re)write expected.json from the pyproj values
Needs python3 with shapely >= 2 and pyproj.
"""
import json, math, os, sys
from shapely.geometry import shape, box, Point
from shapely.geometry.polygon import orient
from shapely import union_all
from pyproj import Geod

HERE = os.path.dirname(os.path.abspath(__file__))
GEOD = Geod(ellps="WGS84")
MIN_AREA_KM2 = 0.01          # the --min-area default of the contract
HAND_TOLERANCE = 0.001       # hand formulas vs pyproj: 0.1 %

# ---------------------------------------------------------------- closed forms (EXPECTED.md)
A_WGS84 = 6378137.0
F_WGS84 = 1 / 298.257223563
E2 = F_WGS84 * (2 - F_WGS84)
E = math.sqrt(E2)
B_WGS84 = A_WGS84 * (1 - F_WGS84)

def f_authalic(phi_deg):
    """f(phi) = sin(phi)/(1 - e^2 sin^2 phi) + 1/(2e) ln((1 + e sin phi)/(1 - e sin phi))."""
    s = math.sin(math.radians(phi_deg))
    return s / (1 - E2 * s * s) + math.log((1 + E * s) / (1 - E * s)) / (2 * E)

def rect_area_km2(lon1, lat1, lon2, lat2):
    """Area of the lon/lat rectangle on the ellipsoid: (b^2/2) * dlambda * [f(phi2) - f(phi1)]."""
    return B_WGS84 ** 2 / 2 * math.radians(lon2 - lon1) * (f_authalic(lat2) - f_authalic(lat1)) / 1e6

def parallel_km(lat, lon1, lon2):
    """Arc of the parallel: N(phi) cos(phi) dlambda, N = a / sqrt(1 - e^2 sin^2 phi)."""
    phi = math.radians(lat)
    n = A_WGS84 / math.sqrt(1 - E2 * math.sin(phi) ** 2)
    return n * math.cos(phi) * math.radians(lon2 - lon1) / 1e3

def meridian_km(lat1, lat2):
    """Meridian arc, midpoint rule: M(phi_m) dphi, M = a (1 - e^2) / (1 - e^2 sin^2 phi)^(3/2)."""
    phi = math.radians((lat1 + lat2) / 2)
    m = A_WGS84 * (1 - E2) / (1 - E2 * math.sin(phi) ** 2) ** 1.5
    return m * math.radians(lat2 - lat1) / 1e3

# ---------------------------------------------------------------- the analyses, with shapely + pyproj
def load(ds, name):
    path = os.path.join(HERE, ds, name)
    return json.load(open(path)) if os.path.exists(path) else None

def active(props, date):
    return props["valid_from"] <= date and (props.get("valid_to") is None or date < props["valid_to"])

def geod_area_km2(geom):
    if geom.is_empty: return 0.0
    parts = getattr(geom, "geoms", [geom])
    return sum(abs(GEOD.geometry_area_perimeter(orient(p, 1.0))[0]) for p in parts if p.geom_type == "Polygon") / 1e6

def geod_length_km(geom):
    if geom.is_empty: return 0.0
    parts = getattr(geom, "geoms", [geom])
    total = 0.0
    for p in parts:
        if p.geom_type == "LineString":
            xs, ys = zip(*p.coords)
            total += GEOD.line_length(xs, ys)
    return total / 1e3

def polygonal(g):
    if g.geom_type in ("Polygon", "MultiPolygon"): return g
    return union_all([p for p in getattr(g, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")])

class Dataset:
    def __init__(self, name):
        self.name = name
        self.meta = load(name, "dataset.json")
        self.parties = [p["id"] for p in self.meta["parties"]] + ["none"]
        self.control = load(name, "control.geojson")["features"]
        self.villages = (load(name, "villages.geojson") or {"features": []})["features"]
        self.heights = (load(name, "heights.geojson") or {"features": []})["features"]
        self.zones = (load(name, "zones.geojson") or {"features": []})["features"]
        self.pipeline = (load(name, "pipeline.geojson") or {"features": []})["features"]
        self.extent = box(*self.meta["bbox"])

    def snapshot(self, date):
        held = {p: [] for p in self.parties}
        for f in self.control:
            if active(f["properties"], date):
                held[f["properties"]["controlled_by"]].append(shape(f["geometry"]))
        snap = {p: union_all(gs) if gs else box(0, 0, 0, 0).buffer(0) for p, gs in held.items() if p != "none"}
        snap["none"] = self.extent.difference(union_all(list(snap.values())))
        return snap

    def points_in(self, feats, geom):
        return [f["properties"] for f in feats if geom.contains(shape(f["geometry"]))]

    def changes(self, a, b):
        sa, sb = self.snapshot(a), self.snapshot(b)
        out = []
        for p in self.parties:
            for q in self.parties:
                if p == q: continue
                piece = polygonal(sa[p].intersection(sb[q]))
                if piece.is_empty: continue
                area = geod_area_km2(piece)
                if area < MIN_AREA_KM2: continue
                vs, hs = self.points_in(self.villages, piece), self.points_in(self.heights, piece)
                out.append({"from_date": a, "to_date": b, "from": p, "to": q, "area_km2": round(area, 6),
                            "villages": [v["name"] for v in vs], "village_ids": [v["id"] for v in vs],
                            "heights": [h["name"] for h in hs], "height_ids": [h["id"] for h in hs],
                            "bounds": [round(c, 9) for c in piece.bounds]})
        return out

    def overlaps(self, date):
        snap = self.snapshot(date)
        zones = []
        for z in self.zones:
            if not active(z["properties"], date): continue
            zg = shape(z["geometry"]); total = geod_area_km2(zg)
            for p in self.parties:
                a = geod_area_km2(polygonal(zg.intersection(snap[p])))
                if a >= MIN_AREA_KM2:
                    zones.append({"name": z["properties"]["name"], "party": p, "area_km2": round(a, 6),
                                  "percent": round(100 * a / total, 4)})
        pipeline_km = {p: 0.0 for p in self.parties}
        for f in self.pipeline:
            line = shape(f["geometry"])
            for p in self.parties:
                pipeline_km[p] += geod_length_km(line.intersection(snap[p]))
        def holder(pt):
            return next(p for p in self.parties if snap[p].contains(Point(pt)))
        return {"date": date, "zones": zones,
                "pipeline_km": {p: round(v, 6) for p, v in pipeline_km.items()},
                "villages": {v["properties"]["id"]: holder(v["geometry"]["coordinates"]) for v in self.villages},
                "heights": {h["properties"]["id"]: holder(h["geometry"]["coordinates"]) for h in self.heights}}

# ---------------------------------------------------------------- what is checked, with the hand values
R = rect_area_km2
SPECS = {
    "squares": {
        "changes": [("2021-01-01", "2021-06-01"), ("2021-06-01", "2021-09-01")],
        "overlaps": "2021-03-01",
        "more_overlaps": ["2021-07-01", "2021-10-01"],
        "hand_changes": {("2021-01-01", "2021-06-01", "red", "blue"): R(0.1, 0.0, 0.2, 0.1),
                         ("2021-06-01", "2021-09-01", "blue", "none"): R(0.25, 0.0, 0.3, 0.1)},
        "hand_zones": {("2021-03-01", "red"): R(0.05, 0.0, 0.15, 0.1),
                       ("2021-07-01", "red"): R(0.05, 0.0, 0.1, 0.1), ("2021-07-01", "blue"): R(0.1, 0.0, 0.15, 0.1),
                       ("2021-10-01", "red"): R(0.05, 0.0, 0.1, 0.1), ("2021-10-01", "blue"): R(0.1, 0.0, 0.15, 0.1)},
        "hand_pipeline": {("2021-03-01", "red"): parallel_km(0.05, 0.0, 0.2), ("2021-03-01", "blue"): parallel_km(0.05, 0.2, 0.3),
                          ("2021-07-01", "red"): parallel_km(0.05, 0.0, 0.1), ("2021-07-01", "blue"): parallel_km(0.05, 0.1, 0.3),
                          ("2021-10-01", "red"): parallel_km(0.05, 0.0, 0.1), ("2021-10-01", "blue"): parallel_km(0.05, 0.1, 0.25),
                          ("2021-10-01", "none"): parallel_km(0.05, 0.25, 0.3)},
    },
    "three-parties": {
        "changes": [("2022-01-01", "2022-06-01")],
        "overlaps": "2022-03-01",
        "more_overlaps": ["2022-07-01"],
        "hand_changes": {("2022-01-01", "2022-06-01", "red", "green"): R(46.3, 39.9, 46.35, 40.0),
                         ("2022-01-01", "2022-06-01", "red", "none"): R(46.0, 39.8, 46.1, 39.85),
                         ("2022-01-01", "2022-06-01", "green", "blue"): R(46.15, 39.85, 46.25, 39.95),
                         ("2022-01-01", "2022-06-01", "none", "green"): R(46.35, 39.8, 46.4, 39.9)},
        "hand_zones": {("2022-03-01", "red"): R(46.05, 39.9, 46.1, 39.95) + R(46.3, 39.9, 46.35, 39.95),
                       ("2022-03-01", "blue"): R(46.1, 39.9, 46.15, 39.95) + R(46.25, 39.9, 46.3, 39.95),
                       ("2022-03-01", "green"): R(46.15, 39.9, 46.25, 39.95),
                       ("2022-07-01", "red"): R(46.05, 39.9, 46.1, 39.95),
                       ("2022-07-01", "blue"): R(46.1, 39.9, 46.3, 39.95),
                       ("2022-07-01", "green"): R(46.3, 39.9, 46.35, 39.95)},
        "hand_pipeline": {("2022-03-01", "red"): parallel_km(39.875, 46.0, 46.1),
                          ("2022-03-01", "blue"): parallel_km(39.875, 46.1, 46.15) + parallel_km(39.875, 46.25, 46.3) + meridian_km(39.8, 40.0),
                          ("2022-03-01", "green"): parallel_km(39.875, 46.15, 46.25) + parallel_km(39.875, 46.3, 46.35),
                          ("2022-03-01", "none"): parallel_km(39.875, 46.35, 46.4),
                          ("2022-07-01", "red"): parallel_km(39.875, 46.0, 46.1),
                          ("2022-07-01", "blue"): parallel_km(39.875, 46.1, 46.3) + meridian_km(39.8, 40.0),
                          ("2022-07-01", "green"): parallel_km(39.875, 46.3, 46.4),
                          ("2022-07-01", "none"): 0.0},
    },
}

def close(a, b, rel):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-9)

def build(name, spec, failures):
    ds = Dataset(name)
    changes = [c for a, b in spec["changes"] for c in ds.changes(a, b)]
    overlaps = [ds.overlaps(d) for d in [spec["overlaps"]] + spec["more_overlaps"]]
    # hand vs pyproj
    got = {(c["from_date"], c["to_date"], c["from"], c["to"]): c["area_km2"] for c in changes}
    if set(got) != set(spec["hand_changes"]):
        failures.append(f"{name}: change pairs {sorted(got)} != hand {sorted(spec['hand_changes'])}")
    for k, hand in spec["hand_changes"].items():
        if k in got and not close(got[k], hand, HAND_TOLERANCE):
            failures.append(f"{name}: change {k}: pyproj {got[k]} vs hand {hand}")
        print(f"  {name} change {k[2]}->{k[3]} {k[0]}..{k[1]}: pyproj {got.get(k, float('nan')):.6f} km2, hand {hand:.6f} km2")
    zones = {(o["date"], z["party"]): z["area_km2"] for o in overlaps for z in o["zones"]}
    if set(zones) != set(spec["hand_zones"]):
        failures.append(f"{name}: zone pieces {sorted(zones)} != hand {sorted(spec['hand_zones'])}")
    for k, hand in spec["hand_zones"].items():
        if k in zones and not close(zones[k], hand, HAND_TOLERANCE):
            failures.append(f"{name}: zone {k}: pyproj {zones[k]} vs hand {hand}")
        print(f"  {name} zone {k}: pyproj {zones.get(k, float('nan')):.6f} km2, hand {hand:.6f} km2")
    for o in overlaps:
        for p, km in o["pipeline_km"].items():
            hand = spec["hand_pipeline"].get((o["date"], p), 0.0)
            if not close(km, hand, HAND_TOLERANCE) and not (hand == 0 and km < 1e-6):
                failures.append(f"{name}: pipeline {o['date']} {p}: pyproj {km} vs hand {hand}")
            print(f"  {name} pipeline {o['date']} {p}: pyproj {km:.6f} km, hand {hand:.6f} km")
    return {"changes": changes, "overlaps": overlaps[0], "more_overlaps": overlaps[1:],
            "tolerance": {"area_relative": HAND_TOLERANCE, "length_relative": HAND_TOLERANCE,
                          "note": "values are pyproj (WGS84, geodesic edges) on the pieces that planar lon/lat set operations give; "
                                  "a correct implementation lands far inside 0.1 %"}}

def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-6 * max(1, abs(a))
    if isinstance(a, dict): return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list): return isinstance(b, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b

def main():
    write = "--write" in sys.argv
    failures = []
    for name, spec in SPECS.items():
        result = build(name, spec, failures)
        path = os.path.join(HERE, name, "expected.json")
        if write:
            with open(path, "w") as f:
                json.dump(result, f, indent=2, ensure_ascii=False); f.write("\n")
        elif not same(result, json.load(open(path))):
            failures.append(f"{name}: expected.json differs from the recomputed pyproj values")
    for f in failures: print("FAIL", f)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)

if __name__ == "__main__":
    main()
