#!/usr/bin/env python3
"""Build Frontline's default dataset (geodata/): Nagorno-Karabakh, Nov 2020 - Sep 2023.

Usage:
    python3 tools/geodata/build.py [--inputs DIR] [--out DIR]
    make geodata          # the same, with the pinned Python packages (tools/geodata/requirements.txt)
    make geodata-check    # build into a temporary folder and compare with geodata/, byte for byte

Everything the build reads is in the repository, in tools/geodata/inputs/ (override
with --inputs); each row or feature there carries its source:

  places.csv                  towns, villages and heights: lon/lat, names (en/hy/az/ru),
                              source, confidence, licence (OSM nodes: ODbL)
  events.csv                  dated events with their sources, where each is shown
  pipeline_status.csv         the gas pipeline's cuts and restores, with their sources
  drawn.geojson               lines, areas and points drawn by hand by Frontline
                              contributors (corrections of Natural Earth, roads, handovers),
                              each with a note saying what it follows
  ne_borders.geojson          Natural Earth 10m international borders (public domain)
  ne_disputed.geojson         Natural Earth polygon of the Armenian-held area after 2020
  ne_pre2020.geojson          Natural Earth v4.0.0 polygon of the Armenian-held area, 2018
  ne_rivers.geojson           Natural Earth 10m rivers
  ne_nkao1991.geojson         Natural Earth NKAO-1991 boundary lines (transcribed)

The Natural Earth layers are trimmed to the dataset's area and to the fields used.
Nothing is copied into geodata/ as it is: every layer is derived here.  The output
depends on the versions of shapely (its bundled GEOS) and pyproj, so they are pinned
in requirements.txt; `make geodata-check` (part of `make test`) proves that the
committed geodata/ is what this script makes.  The rules of the data contract that
this script guarantees:

  * Azerbaijani-held ground on a date = Azerbaijan's territory within the bbox
    MINUS the Armenian-held ground on that date, so the two parties never
    overlap and leave no gap (the front is one shared line).
  * All geometry is snapped to a 1e-6 degree grid (GEOS overlay with grid_size),
    so writing 6 decimals loses nothing and keeps every polygon valid.
  * Polygons are written with counter-clockwise outer rings (RFC 7946).
  * Control is written as a record (docs/record.md), not as dated polygons:
    control/base.geojson is the state on the first date (10 Nov 2020), each
    control/changes/YYYY/YYYY-MM-DD.geojson holds the ground that passed to a party
    (`to`) on that date, and control/record.json lists them with their FNV-1a 64
    hashes.  The build paints the changes back over the base and fails unless every
    period's state comes out as the periods' polygons give it (within 0.01 km2).

geodata/SOURCES.md is written by hand and is not touched by this script.
"""

import argparse
import csv
import importlib.metadata
import json
import os
import sys

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point,
                              Polygon, box, mapping, shape)
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points, polygonize, unary_union

HERE = os.path.dirname(os.path.abspath(__file__))
GRID = 1e-6                      # coordinate grid (degrees) of every output geometry
BBOX = (45.9, 39.3, 47.5, 40.5)  # dataset bbox (lon/lat), dataset.json "bbox"
BASEMAP_MARGIN = 0.15            # basemap lines are clipped a little outside the bbox
GEOD = Geod(ellps="WGS84")
# UTM zone 38N: metric buffers (corridor width, small areas around heights).
_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)

ARM = "karabakh-armenian"
AZE = "azerbaijani"

OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"

# Widths and radii of the areas drawn round lines and points (the lines and
# points themselves are in inputs/drawn.geojson).
NEW_STRIP_HALF_WIDTH_M = 1200   # Armenian-held strip along the new corridor road (control)
CORRIDOR_HALF_WIDTH_M = 2500    # "Lachin corridor 5 km wide" (10 Nov 2020 statement)
HEIGHT_AREA_RADIUS_M = 900      # ground taken with the Saribaba and Girkhgiz heights, Aug 2022
HEIGHT_2054_RADIUS_M = 700      # height 2054: "2.9 km NE of Mt Sarybaba" (turan.az 764206), computed


def check_versions():
    """Warn when the installed packages are not the pinned ones: the bytes depend on them."""
    wrong = []
    with open(os.path.join(HERE, "requirements.txt"), encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#")[0].strip()
            if "==" not in line:
                continue
            name, want = (s.strip() for s in line.split("=="))
            try:
                have = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                have = "not installed"
            if have != want:
                wrong.append(f"{name} {have} (pinned {want})")
    if wrong:
        print("build.py: warning: not the pinned versions, the output may differ from geodata/: "
              + ", ".join(wrong) + " - run `make geodata`, which installs them", file=sys.stderr)


# ---------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------

def snap(g):
    return shapely.set_precision(g, GRID)


def union(*gs):
    return snap(shapely.union_all([g for g in gs if g is not None], grid_size=GRID))


def diff(a, b):
    return shapely.difference(a, b, grid_size=GRID)


def inter(a, b):
    return shapely.intersection(a, b, grid_size=GRID)


def polygonal(g):
    """Only the polygon parts of g, as a (Multi)Polygon."""
    if g.is_empty:
        return MultiPolygon()
    if g.geom_type == "Polygon":
        return g
    if g.geom_type == "MultiPolygon":
        return g
    parts = [p for p in getattr(g, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(parts) if parts else MultiPolygon()


def km2(g):
    """Geodesic area in km2."""
    if g.is_empty:
        return 0.0
    return abs(GEOD.geometry_area_perimeter(g)[0]) / 1e6


def clean(g, min_km2=0.005):
    """Drop polygon parts and holes smaller than min_km2 (grid slivers)."""
    out = []
    for p in getattr(polygonal(g), "geoms", [polygonal(g)]):
        if p.is_empty or km2(p) < min_km2:
            continue
        holes = [h for h in p.interiors if km2(Polygon(h)) >= min_km2]
        out.append(Polygon(p.exterior, holes))
    return snap(unary_union(out)) if out else MultiPolygon()


def geo_buffer(g, metres):
    """Buffer by metres (in UTM 38N), back in lon/lat."""
    def fwd(xy):
        return np.column_stack(_UTM.transform(xy[:, 0], xy[:, 1]))

    def back(xy):
        return np.column_stack(_UTM.transform(xy[:, 0], xy[:, 1], direction="INVERSE"))
    return snap(shapely.transform(shapely.transform(g, fwd).buffer(metres, quad_segs=8), back))


def destination(lonlat, azimuth_deg, metres):
    lon, lat, _ = GEOD.fwd(lonlat[0], lonlat[1], azimuth_deg, metres)
    return (lon, lat)


def poly(coords):
    p = Polygon(coords)
    if not p.is_valid:
        raise SystemExit(f"build.py: hand-drawn polygon is invalid: {coords[:3]}...")
    return snap(p)


def rnd(x):
    return round(x, 6)


def geojson_geometry(g):
    """RFC 7946 geometry: CCW outer rings, CW holes, 6 decimals."""
    if g.geom_type == "Polygon":
        g = orient(g, 1.0)
    elif g.geom_type == "MultiPolygon":
        g = MultiPolygon([orient(p, 1.0) for p in g.geoms])
    m = mapping(g)

    def r(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [rnd(c[0]), rnd(c[1])]
        return [r(x) for x in c]
    return {"type": m["type"], "coordinates": r(m["coordinates"])}


def feature(geom, props):
    return {"type": "Feature", "properties": props, "geometry": geojson_geometry(geom)}


def point_feature(lonlat, props):
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [rnd(lonlat[0]), rnd(lonlat[1])]}}


def write_fc(path, features, note=None):
    """A FeatureCollection with one feature per line (diff-friendly)."""
    lines = ['{"type": "FeatureCollection",']
    if note:
        lines.append(f'"note": {json.dumps(note, ensure_ascii=False)},')
    lines.append('"features": [')
    body = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    lines.append(",\n".join(body))
    lines.append("]}")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------
# Reading the inputs (tools/geodata/inputs/)
# ---------------------------------------------------------------------------

def load(inp, name):
    with open(os.path.join(inp, name), encoding="utf-8") as fh:
        return json.load(fh)


def read_csv(inp, name):
    with open(os.path.join(inp, name), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for i, r in enumerate(rows):
        if not (r.get("source") or "").strip():
            raise SystemExit(f"build.py: {name} row {i + 2} has no source")
    return rows


# The place hierarchy of villages.geojson, largest first (OSM's `place` values).
PLACE_CLASSES = ("city", "town", "village", "hamlet")


def read_places(inp):
    places = {}
    for r in read_csv(inp, "places.csv"):
        names = {k: r["name_" + k] for k in ("hy", "az", "ru") if r["name_" + k]}
        places[r["name"]] = {
            "name": r["name"], "alt": r["alt_names"], "lon": float(r["lon"]),
            "lat": float(r["lat"]), "source": r["source"], "confidence": r["confidence"],
            "licence": r["licence"], "id": r["id"], "display_name": r["display_name"], "names": names,
            "place": r["place"], "capital": r["capital"] == "yes", "place_source": r["place_source"],
            "population": int(r["population"]) if r["population"] else None,
        }
        if r["id"] and r["place"] not in PLACE_CLASSES:
            raise SystemExit(f"build.py: places.csv {r['name']!r}: place must be one of {', '.join(PLACE_CLASSES)}")
        if (r["place"] or r["population"]) and not r["place_source"]:
            raise SystemExit(f"build.py: places.csv {r['name']!r} has a place or population without a place_source")
    return places


class Drawn:
    """inputs/drawn.geojson: the hand-drawn lines, areas and points, by id."""

    def __init__(self, inp):
        self.features = {}
        for i, f in enumerate(load(inp, "drawn.geojson")["features"]):
            p = f["properties"]
            if not p.get("source") or not p.get("note"):
                raise SystemExit(f"build.py: drawn.geojson feature {i} ({p.get('id')}) needs a source and a note")
            self.features[p["id"]] = f

    def _geometry(self, fid, kind):
        if fid not in self.features:
            raise SystemExit(f"build.py: drawn.geojson has no feature {fid!r}")
        g = self.features[fid]["geometry"]
        if g["type"] != kind:
            raise SystemExit(f"build.py: drawn.geojson feature {fid!r} is a {g['type']}, not a {kind}")
        return g["coordinates"]

    def line(self, fid):
        return [tuple(c) for c in self._geometry(fid, "LineString")]

    def ring(self, fid):
        """A polygon's outer ring, without the closing vertex."""
        return [tuple(c) for c in self._geometry(fid, "Polygon")[0][:-1]]

    def point(self, fid):
        return tuple(self._geometry(fid, "Point"))

    def props(self, fid):
        return self.features[fid]["properties"]


def read_nkao_lines(inp):
    """NKAO-1991 boundary lines (Natural Earth, transcribed), in drawing order.

    Line 1746705625 was transcribed in two parts with a few vertices lost
    between them (see the features' notes)."""
    return [[tuple(c) for c in f["geometry"]["coordinates"]]
            for f in load(inp, "ne_nkao1991.geojson")["features"]]


# ---------------------------------------------------------------------------
# Borders and Azerbaijan's territory
# ---------------------------------------------------------------------------

def corrected_border_lines(borders, drawn):
    """NE border lines, with the Kornidzor correction (drawn.geojson) spliced in."""
    fixed = drawn.line("kornidzor-border")
    first, last = (tuple(v) for v in drawn.props("kornidzor-border")["replaces"])
    out = []
    for f in borders["features"]:
        coords = [tuple(c) for c in f["geometry"]["coordinates"]]
        if first in coords and last in coords:
            i = coords.index(first)
            j = coords.index(last)
            coords = coords[:i] + fixed + coords[j + 1:]
        out.append((f["properties"], LineString(coords)))
    return out


def azerbaijan_in_bbox(border_lines, places):
    """Split the bbox by the borders; keep the face containing Stepanakert."""
    bb = box(*BBOX)
    lines = [l for _, l in border_lines if l.intersects(bb)]
    faces = list(polygonize(unary_union([bb.exterior] + lines)))
    faces = [f for f in faces if bb.buffer(1e-9).contains(f)]
    step = places["Stepanakert"]
    az = [f for f in faces if f.contains(Point(step["lon"], step["lat"]))]
    if len(az) != 1:
        raise SystemExit("build.py: could not find Azerbaijan's face in the bbox")
    terr = snap(az[0])
    for p in ("Goris (Armenia)", "Kornidzor (Armenia)"):
        if terr.contains(Point(places[p]["lon"], places[p]["lat"])):
            raise SystemExit(f"build.py: {p} falls in Azerbaijan's territory")
    return terr


# ---------------------------------------------------------------------------
# Control over time
# ---------------------------------------------------------------------------

SRC_NE_LINE = ("Natural Earth 10m 'Ceasefire Line 2020' / disputed area (public domain), "
               "corrected by Frontline contributors (Shusha, Sghnakh/Avetaranots/Karmir Shuka, "
               "Lachin/Sus)")
SRC_BORDERS = "Natural Earth 10m borders (public domain; Kornidzor corrected)"
SRC_STATEMENT = ("trilateral statement of 9/10 Nov 2020 (points 2 and 6; the Kalbajar deadline "
                 "was moved from 15 to 25 Nov)")
SRC_CORE = f"{SRC_NE_LINE}; {SRC_BORDERS}"   # the Armenian-held ground's lines, every period


def build_control(inp, terr, drawn):
    disputed = snap(shape(load(inp, "ne_disputed.geojson")["features"][0]["geometry"]))
    pre2020 = snap(shape(load(inp, "ne_pre2020.geojson")["features"][0]["geometry"]))

    salient = poly(drawn.ring("shusha-salient"))
    core = union(disputed, poly(drawn.ring("south-line-addition")), poly(drawn.ring("corridor-lachin-sus")))
    core = clean(inter(diff(core, salient), terr))

    # pieces still Armenian-held on 10 Nov 2020, handed over later
    rest = clean(inter(diff(diff(diff(pre2020, core), poly(drawn.ring("south-war-gains"))), salient), terr),
                 min_km2=0.05)
    east = poly(drawn.ring("east-side"))
    aghdam = clean(inter(rest, east))
    west = clean(diff(rest, east))
    kalbajar = clean(inter(west, poly(drawn.ring("kalbajar-side"))))
    lachin = clean(diff(west, poly(drawn.ring("kalbajar-side"))))
    pocket = clean(inter(poly(drawn.ring("hadrut-pocket")), terr))

    parukh = clean(inter(poly(drawn.ring("parukh-karaglukh")), terr))
    summit = clean(inter(poly(drawn.ring("karaglukh-summit")), parukh))

    def height_area(peak, radius):
        """Ground round a height reaching out to the nearest edge of the area."""
        edge = nearest_points(core.boundary, Point(peak))[0]
        return geo_buffer(LineString([peak, (edge.x, edge.y)]), radius)
    saribaba, girkhgiz = drawn.point("saribaba-height"), drawn.point("girkhgiz-height")
    saribaba_area = height_area(saribaba, HEIGHT_AREA_RADIUS_M)
    girkhgiz_area = height_area(girkhgiz, HEIGHT_AREA_RADIUS_M)
    h2054 = destination(saribaba, 45.0, 2900.0)
    # Az came from the Saribaba height: the 2054 area joins it.
    h2054_area = geo_buffer(LineString([saribaba, h2054]), HEIGHT_2054_RADIUS_M)

    old_corridor = clean(inter(core, poly(drawn.ring("old-corridor-region"))))
    new_strip = clean(inter(geo_buffer(LineString(drawn.line("new-corridor-road")), NEW_STRIP_HALF_WIDTH_M), terr))

    src_core = SRC_CORE
    periods = []   # (valid_from, valid_to, armenian geometry, armenian source, azerbaijani source)

    a0 = union(core, aghdam, kalbajar, lachin, pocket)
    periods.append(("2020-11-10", "2020-11-20", a0,
                    f"{src_core}; Natural Earth v4.0.0 pre-2020 area (Aghdam, Kalbajar, Lachin "
                    f"districts) minus the ground taken in the war (approximate); Hadrut pocket "
                    f"(events.md: azatutyun 31004105; armenian.usc.edu); {SRC_STATEMENT}",
                    f"{SRC_STATEMENT}; war gains of Oct-Nov 2020 incl. Shusha (approximate)"))
    a1 = clean(diff(a0, aghdam))
    periods.append(("2020-11-20", "2020-11-25", a1, src_core + "; " + SRC_STATEMENT,
                    f"Aghdam district handed over 20 Nov 2020 ({SRC_STATEMENT})"))
    a2 = clean(diff(a1, kalbajar))
    periods.append(("2020-11-25", "2020-12-01", a2, src_core + "; " + SRC_STATEMENT,
                    f"Kalbajar district handed over 25 Nov 2020 ({SRC_STATEMENT})"))
    a3 = clean(diff(a2, lachin))
    periods.append(("2020-12-01", "2020-12-12", a3, src_core + "; Lachin corridor (1news.az citing RU MoD)",
                    "Lachin district (except the corridor) handed over 1 Dec 2020 (1news.az)"))
    a4 = clean(diff(a3, pocket))
    periods.append(("2020-12-12", "2022-03-24", a4, src_core,
                    "Hadrut pocket (Hin Tagher, Khtsaberd) taken 12 Dec 2020 "
                    "(azatutyun 31004105; armenian.usc.edu; vpk.name 470885)"))
    a5 = clean(diff(a4, parukh))
    periods.append(("2022-03-24", "2022-03-28", a5, src_core,
                    "Parukh and the Karaglukh ridge taken 24 Mar 2022 (armenianclub citing Artsakh "
                    "InfoCenter; RU MoD via TASS); Karaglukh point low confidence"))
    a6 = clean(union(a5, summit))
    periods.append(("2022-03-28", "2022-08-03", a6,
                    src_core + "; Karaglukh summit held by Armenian forces from 28 Mar 2022 "
                    "(civilnet via armenianclub 2022-03-29)",
                    "Azerbaijani forces stay at Parukh and on the ridge slopes after 27 Mar 2022 "
                    "(Az MoD; Armenian sources; civilnet) - RU MoD said they withdrew"))
    taken_aug = union(saribaba_area, girkhgiz_area)
    a7 = clean(diff(a6, taken_aug))
    periods.append(("2022-08-03", "2022-08-26", a7, src_core,
                    "Saribaba and Girkhgiz heights taken 3 Aug 2022 (babel.ua 82435; azernews 198827; "
                    "kavkaz-uzel 60997); height positions approximate"))
    a8 = clean(union(diff(a7, old_corridor), diff(new_strip, union(taken_aug, diff(parukh, summit)))))
    periods.append(("2022-08-26", "2023-03-25", a8,
                    src_core + "; new corridor road Kornidzor - Hin Shen - Mets Shen "
                    "(news.am 714597; armenpress 1091062), strip approximate",
                    "old Lachin corridor (Lachin, Aghavno, Sus) handed over 25/26 Aug 2022 "
                    "(civilnet 671866; azernews 198827)"))
    a9 = clean(diff(a8, h2054_area))
    periods.append(("2023-03-25", "2023-09-20", a9, src_core,
                    "height 2054 taken 25 Mar 2023 (turan.az 764206); position approximate"))
    periods.append(("2023-09-20", None, MultiPolygon(), None,
                    "offensive of 19-20 Sep 2023, ceasefire 20 Sep 13:00 (babel.ua 98656, 98679)"))

    parts = dict(core=core, salient=salient, aghdam=aghdam, kalbajar=kalbajar, lachin=lachin,
                 pocket=pocket, parukh=parukh, summit=summit, saribaba_area=saribaba_area,
                 girkhgiz_area=girkhgiz_area, h2054_area=h2054_area, old_corridor=old_corridor,
                 new_strip=new_strip, h2054=h2054)
    return periods, parts


# ---------------------------------------------------------------------------
# Control as a record: a base plus a log of changes (docs/record.md)
# ---------------------------------------------------------------------------

RECORD_FORMAT = "frontline-record/1"
NONE = "none"                 # ground no party holds (outside Azerbaijan's territory in the bbox)
# Parts (and holes) of a change smaller than this are dropped.  Every real change here is a
# handover or a height of 0.2 km2 or more (and clean() keeps no part of the Armenian-held ground
# under 0.005 km2), while the pieces that come from snapping the periods' overlays to the 1e-6
# degree grid are about 1e-5 km2 (e.g. 16 m2 of the 2020-12-01 .. 2022-08-26 Armenian ground that
# pokes out of Azerbaijan's territory): 0.001 km2 lies two orders of magnitude from both, and
# below `frontline changes`' default --min-area (0.01 km2), so nothing a reader sees is lost.
CHANGE_SLIVER_KM2 = 0.001
# The self-check: each period's state painted from the record may differ from the legacy
# state (the periods' polygons) by at most this much per party (symmetric difference).
PAINT_TOLERANCE_KM2 = 0.01


def period_states(periods, terr):
    """Each period's control as the legacy dated polygons gave it: (valid_from, {party: ground},
    {party: source}).  Azerbaijani-held ground is Azerbaijan's territory in the bbox less the
    Armenian-held ground."""
    states = []
    for vf, _, arm, src_a, src_z in periods:
        states.append((vf, {ARM: arm, AZE: clean(diff(terr, arm), min_km2=0.0)},
                       {ARM: src_a, AZE: f"{SRC_BORDERS}; {src_z}"}))
    return states


def armenian_note(src_a):
    """What a period's Armenian source says beyond the lines every period shares (SRC_CORE)."""
    prefix = SRC_CORE + "; "
    return src_a[len(prefix):] if src_a.startswith(prefix) else src_a


def build_control_record(periods, states, terr):
    """The base (the first period's state, one feature per party holding ground) and, for each
    later period, the changes that turn the previous period's state into its own: one change per
    party gaining ground (`none` for ground leaving the Armenian-held area outside Azerbaijan's
    territory), sourced by the note that describes that date's event.
    Returns (base date, base features, [(date, [(to, geometry, source)])])."""
    base_date, ground0, sources0 = states[0]
    base = [feature(ground0[p], {"controlled_by": p, "source": sources0[p]})
            for p in (ARM, AZE) if not ground0[p].is_empty]
    days = []
    for (_, before, _), (date, after, _), period in zip(states, states[1:], periods[1:]):
        _, _, _, src_a, src_z = period
        lost = polygonal(diff(before[ARM], after[ARM]))
        gained = polygonal(diff(after[ARM], before[ARM]))
        # Azerbaijani ground is terr less the Armenian ground and terr is the same on every date,
        # so every change of it is explained by the Armenian ground's change.
        for what, g in (("gained", diff(diff(after[AZE], before[AZE]), lost)),
                        ("lost", diff(diff(before[AZE], after[AZE]), gained))):
            if km2(polygonal(g)) >= CHANGE_SLIVER_KM2:
                raise SystemExit(f"build.py: on {date} Azerbaijani forces {what} {km2(polygonal(g)):.4f} km2 "
                                 "that the Armenian-held ground's change does not explain")
        changes = []
        for to, g, src in ((ARM, gained, armenian_note(src_a) if src_a else None),
                           (AZE, inter(lost, terr), src_z),
                           (NONE, diff(lost, terr), src_z)):
            g = clean(g, min_km2=CHANGE_SLIVER_KM2)
            if g.is_empty:
                continue
            if not src:
                raise SystemExit(f"build.py: the change of {date} to {to} has no source")
            changes.append((to, g, src))
        days.append((date, changes))
    return base_date, base, days


def fnv1a64(data):
    """FNV-1a 64 of bytes, as 16 lowercase hex digits (record.json's hashes)."""
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def number_changes(days):
    """The change features by date: ids 1, 2, ... in (date, order of the day); dates without a
    change have no day."""
    if [d for d, _ in days] != sorted({d for d, _ in days}):
        raise SystemExit("build.py: the periods' dates are not increasing")
    by_date, next_id = {}, 1
    for date, changes in days:
        feats = []
        for to, g, src in changes:
            feats.append(feature(g, {"id": next_id, "date": date, "to": to, "source": src}))
            next_id += 1
        if feats:
            by_date[date] = feats
    return by_date


def write_record(out, base_date, base, by_date):
    """Writes OUT/control/: base.geojson, changes/YYYY/YYYY-MM-DD.geojson (the changes of a date
    in id order) and last record.json, the commit point with each file's hash and the next id.
    Removes what an earlier build left and this one does not make: day files of other dates and
    the legacy OUT/control.geojson.  Returns (the record, [removed paths])."""
    root = os.path.join(out, "control")

    def put(rel, feats):
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_fc(path, feats)
        with open(path, "rb") as fh:
            return {"file": rel, "fnv1a64": fnv1a64(fh.read())}

    record = {"format": RECORD_FORMAT, "base": {"date": base_date, **put("base.geojson", base)},
              "days": [{"date": date, **put(f"changes/{date[:4]}/{date}.geojson", feats)}
                       for date, feats in sorted(by_date.items())]}
    next_id = max((f["properties"]["id"] for feats in by_date.values() for f in feats), default=0) + 1
    record["next_id"] = next_id

    def dumps(x):
        return json.dumps(x, ensure_ascii=False)
    lines = ["{", f'  "format": {dumps(record["format"])},', f'  "base": {dumps(record["base"])},']
    if record["days"]:
        lines.append('  "days": [')
        lines.append(",\n".join("    " + dumps(d) for d in record["days"]))
        lines.append("  ],")
    else:
        lines.append('  "days": [],')
    lines += [f'  "next_id": {next_id}', "}"]
    with open(os.path.join(root, "record.json"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")

    removed = []
    made = {os.path.join(root, *d["file"].split("/")) for d in record["days"]}
    changes_dir = os.path.join(root, "changes")
    for dirpath, _, files in os.walk(changes_dir, topdown=False):
        for name in files:
            path = os.path.join(dirpath, name)
            if name.endswith(".geojson") and path not in made:
                os.remove(path)
                removed.append(path)
        if dirpath != changes_dir and not os.listdir(dirpath):
            os.rmdir(dirpath)
    legacy = os.path.join(out, "control.geojson")
    if os.path.exists(legacy):
        os.remove(legacy)
        removed.append(legacy)
    return record, sorted(removed)


def check_record(states, base, by_date):
    """The self-check: paints the written changes (as written, 6 decimals) over the written base in
    (date, id) order and fails the build unless every geometry is valid and, on every period's first
    date, each party's painted ground is the legacy ground within PAINT_TOLERANCE_KM2.
    Returns [(date, {party: (legacy km2, painted km2, symmetric difference km2)})]."""
    for f in base + [f for feats in by_date.values() for f in feats]:
        if not shape(f["geometry"]).is_valid:
            raise SystemExit(f"build.py: self-check failed: invalid geometry written in the record: "
                             f"{shapely.is_valid_reason(shape(f['geometry']))} ({f['properties']})")
    painted = {ARM: MultiPolygon(), AZE: MultiPolygon()}
    for f in base:
        painted[f["properties"]["controlled_by"]] = shape(f["geometry"])
    dates = [d for d, _, _ in states]
    if not set(by_date) <= set(dates[1:]):
        raise SystemExit("build.py: the record has changes on dates that start no period")
    results = []
    for date, ground, _ in states:
        for f in by_date.get(date, []):
            g, to = shape(f["geometry"]), f["properties"]["to"]
            for p in painted:
                painted[p] = polygonal(diff(painted[p], g))
            if to != NONE:
                painted[to] = polygonal(union(painted[to], g))
        row = {}
        for p in (ARM, AZE):
            off = km2(polygonal(shapely.symmetric_difference(painted[p], ground[p], grid_size=GRID)))
            row[p] = (km2(ground[p]), km2(painted[p]), off)
            if off >= PAINT_TOLERANCE_KM2:
                raise SystemExit(f"build.py: self-check failed: on {date} the record paints {p} "
                                 f"{row[p][1]:.3f} km2, the periods give {row[p][0]:.3f} km2, and they "
                                 f"differ by {off:.4f} km2 (tolerance {PAINT_TOLERANCE_KM2} km2)")
        results.append((date, row))
    return results


# ---------------------------------------------------------------------------
# Zones
# ---------------------------------------------------------------------------

def build_zones(terr, parts, drawn):
    bb = box(*BBOX)
    lachin_zarysly = drawn.line("road-lachin-to-zarysly")
    mets_shen_lisagor = drawn.line("road-mets-shen-to-old-road")
    old_road = LineString(drawn.line("old-road-border-to-lachin") + lachin_zarysly[1:]
                          + drawn.line("road-shusha-bypass")[1:])
    # the new road joins the old one at Lisagor, the last vertex of the Mets Shen road
    new_road = LineString(drawn.line("new-corridor-road") + mets_shen_lisagor[1:] +
                          lachin_zarysly[lachin_zarysly.index(mets_shen_lisagor[-1]) + 1:] +
                          drawn.line("road-shusha-bypass")[1:])
    old_corr = clean(inter(inter(geo_buffer(old_road, CORRIDOR_HALF_WIDTH_M), terr), bb))
    new_corr = clean(inter(inter(geo_buffer(new_road, CORRIDOR_HALF_WIDTH_M), terr), bb))
    core = parts["core"]
    pk_old = clean(union(core, old_corr))
    pk_new = clean(union(diff(core, parts["old_corridor"]), parts["new_strip"], new_corr))
    src_pk = ("no public polygon: bounded by the 2020 line (Natural Earth, corrected), the Lachin "
              "corridor and the posts of the RU MoD bulletin of 14 Nov 2020 (tass.com/defense/1223893); "
              "approximate")
    src_c = ("10 Nov 2020 statement: corridor 5 km wide (nakhchivantoday.com; 1news.az citing RU MoD); "
             "drawn as 2.5 km either side of the road, approximate")
    return [
        feature(pk_old, {"name": "Russian peacekeeping zone", "kind": "peacekeeping",
                         "valid_from": "2020-11-10", "valid_to": "2022-08-30", "source": src_pk}),
        feature(pk_new, {"name": "Russian peacekeeping zone", "kind": "peacekeeping",
                         "valid_from": "2022-08-30", "valid_to": None,
                         "source": src_pk + "; new corridor route from 30 Aug 2022 (news.am 714597)"}),
        feature(old_corr, {"name": "Lachin corridor (Goris - Lachin - Shusha bypass road)", "kind": "corridor",
                           "valid_from": "2020-11-10", "valid_to": "2022-08-30", "source": src_c}),
        feature(new_corr, {"name": "Lachin corridor (Kornidzor - Hin Shen - Mets Shen road)", "kind": "corridor",
                           "valid_from": "2022-08-30", "valid_to": None,
                           "source": src_c + "; route: massispost 2022-08-29; news.am 714597, 715668; "
                                             "armenpress 1091062 (width assumed as in 2020)"}),
    ]


# ---------------------------------------------------------------------------
# Villages and heights
# ---------------------------------------------------------------------------

HEIGHT_PLACES = {"Karaglukh height / hamlet (Askeran)", "Böyük Kirs (peak 2725 m)", "Ukhtasar"}


def place_source(p):
    s = f"places.csv: {p['source']}"
    if p["licence"] == OSM_CREDIT:
        s += f"; {OSM_CREDIT}"
    return s


def in_bbox(lon, lat):
    return BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]


def build_villages(places):
    feats = []
    for key, p in places.items():
        if key in HEIGHT_PLACES or not in_bbox(p["lon"], p["lat"]):
            continue
        if not p["id"] or not p["display_name"]:
            raise SystemExit(f"build.py: places.csv settlement {key!r} has no id or display_name")
        vid, name, names = p["id"], p["display_name"], p["names"]
        props = {"id": vid, "name": name, "names": {"en": name, **names}, "place": p["place"]}
        if p["capital"]:
            props["capital"] = True
        if p["population"] is not None:
            props["population"] = p["population"]
        props["place_source"] = p["place_source"]
        if p["alt"]:
            props["alt_names"] = p["alt"]
        props["source"] = place_source(p)
        props["approximate"] = p["confidence"].lower().startswith("low")
        props["confidence"] = p["confidence"]
        feats.append(point_feature((p["lon"], p["lat"]), props))
    ids = [f["properties"]["id"] for f in feats]
    assert len(ids) == len(set(ids)), "duplicate village ids"
    return feats


def build_heights(places, parts, drawn):
    k = places["Karaglukh height / hamlet (Askeran)"]
    b = places["Böyük Kirs (peak 2725 m)"]
    u = places["Ukhtasar"]
    h2054 = parts["h2054"]
    return [
        point_feature((k["lon"], k["lat"]), {
            "id": "karaglukh", "name": "Karaglukh height", "elevation_m": None, "approximate": True,
            "source": place_source(k) + " - inferred, not a sourced coordinate (+-3 km)"}),
        point_feature(drawn.point("saribaba-height"), {
            "id": "saribaba", "name": "Saribaba height", "elevation_m": None, "approximate": True,
            "source": "no sourced coordinate: placed ~2 km NW of Yeghtsahogh = Saribaba village "
                      "(places.csv, en.wikipedia) on the Armenian-held side of the 2020 line; "
                      "taken 3 Aug 2022 (babel.ua 82435; azernews 198827)"}),
        point_feature(drawn.point("girkhgiz-height"), {
            "id": "girkhgiz", "name": "Girkhgiz height (Qırxqız)", "elevation_m": None,
            "approximate": True,
            "source": "no sourced coordinate: Khojaly district (azernews 198827); placed ~1 km inside "
                      "the west edge of the 2020 line (Natural Earth); taken 3 Aug 2022"}),
        point_feature((b["lon"], b["lat"]), {
            "id": "boyuk-kirs", "name": "Böyük Kirs", "elevation_m": 2725, "approximate": False,
            "source": place_source(b)}),
        point_feature(h2054, {
            "id": "height-2054", "name": "Height 2054", "elevation_m": 2054, "approximate": True,
            "source": "turan.az 764206: 2.9 km NE of Mt Sarybaba (computed from the approximate "
                      "Saribaba point); taken 25 Mar 2023"}),
        point_feature((u["lon"], u["lat"]), {
            "id": "ukhtasar", "name": "Ukhtasar (Armenia)", "elevation_m": None, "approximate": True,
            "source": place_source(u) + " (+-10 km); in Armenia, not Karabakh"}),
    ]


# ---------------------------------------------------------------------------
# Pipeline, events, basemap
# ---------------------------------------------------------------------------

def pipeline_route(drawn):
    """The pipeline follows the old road (no public geometry): Goris - Kornidzor - Lachin -
    Lisagor - Zarysly - Shusha - Stepanakert."""
    return (drawn.line("road-goris-kornidzor") + drawn.line("old-road-border-to-lachin")[1:]
            + drawn.line("road-lachin-to-zarysly")[1:] + drawn.line("road-zarysly-shusha-stepanakert")[1:])


def build_pipeline(inp, drawn):
    events = []
    for r in read_csv(inp, "pipeline_status.csv"):
        ev = {"date": r["date"], "status": r["status"]}
        if r["location"]:
            # where it was cut (drawn.geojson), e.g. "Zarsli section of Shushi region" (armenpress 1077373)
            ev["location"] = list(drawn.point(r["location"]))
        if r["note"]:
            ev["note"] = r["note"]
        events.append(ev)
    props = {"name": "Armenia–Stepanakert gas pipeline", "approximate": True,
             "source": "no public geometry: drawn along the road Goris - Kornidzor - Lachin corridor - "
                       "Lachin - Lisagor - Zarysly - Shusha - Stepanakert through places.csv points "
                       f"(OSM nodes: {OSM_CREDIT}); status: events.md sources",
             "status_events": events}
    return [feature(LineString(pipeline_route(drawn)), props)]


def build_events(inp, places, parts, drawn):
    """events.csv: each event is shown at a place of places.csv, a point of
    drawn.geojson ("drawn:ID") or the computed height 2054 ("height:height-2054")."""
    def where(key):
        if key == "height:height-2054":
            return parts["h2054"], True
        if key.startswith("drawn:"):
            return drawn.point(key[len("drawn:"):]), True
        if key not in places:
            raise SystemExit(f"build.py: events.csv place {key!r} is not in places.csv")
        p = places[key]
        return (p["lon"], p["lat"]), p["confidence"].lower().startswith("low")

    feats = []
    for ev in read_csv(inp, "events.csv"):
        lonlat, approx = where(ev["place"])
        props = {"date": ev["date"], "kind": ev["kind"], "title": ev["title"], "source": ev["source"]}
        if ev["date_end"]:
            props["date_end"] = ev["date_end"]
        if ev["location_note"]:
            props["location_note"] = ev["location_note"]
        if approx:
            props["approximate"] = True
        feats.append(point_feature(lonlat, props))
    feats.sort(key=lambda f: f["properties"]["date"])
    return feats


# Country names by language (the languages of villages.geojson's `names`).
COUNTRY_NAMES = {
    "Armenia": {"hy": "Հայաստան", "az": "Ermənistan", "ru": "Армения"},
    "Azerbaijan": {"hy": "Ադրբեջան", "az": "Azərbaycan", "ru": "Азербайджан"},
    "Iran": {"hy": "Իրան", "az": "İran", "ru": "Иран"},
}


def build_countries(inp, border_lines, places):
    """Each country's ground within the bbox, for its name on maps: the bbox split by the
    borders; Azerbaijan is the face holding Stepanakert, Iran the faces beyond the Aras
    border, Armenia the rest. Azerbaijan's name goes on the ground outside the Armenian-held
    area of 2018 (Natural Earth pre-2020 polygon), so that it does not sit on the disputed
    area; the feature is that ground, not the country's territory."""
    bb = box(*BBOX)
    lines = [l for _, l in border_lines if l.intersects(bb)]
    iran_border = [l for props, l in border_lines if props.get("ne_id") == 1746707227]
    faces = [f for f in polygonize(unary_union([bb.exterior] + lines)) if bb.buffer(1e-9).contains(f)]
    step = places["Stepanakert"]
    groups = {"Armenia": [], "Azerbaijan": [], "Iran": []}
    for f in faces:
        if f.contains(Point(step["lon"], step["lat"])):
            groups["Azerbaijan"].append(f)
        elif any(l.intersects(f.buffer(1e-6)) for l in iran_border):
            groups["Iran"].append(f)
        else:
            groups["Armenia"].append(f)
    pre2020 = snap(shape(load(inp, "ne_pre2020.geojson")["features"][0]["geometry"]))
    feats = []
    for name, parts in groups.items():
        if not parts:
            continue
        g = snap(unary_union(parts))
        note = "its ground within the dataset's bbox"
        if name == "Azerbaijan":
            g = clean(diff(g, pre2020))
            note += ", outside the Armenian-held area of 2018 (Natural Earth v4.0.0 pre-2020 polygon)"
        feats.append(feature(g, {
            "class": "country", "name": name, "names": {"en": name, **COUNTRY_NAMES[name]},
            "source": f"Natural Earth 10m admin-0 boundary lines (public domain): {note}; "
                      "names: the countries' names in Armenian, Azerbaijani and Russian"}))
    return feats


def build_basemap(inp, border_lines, nkao, drawn, places):
    feats = build_countries(inp, border_lines, places)
    clip = box(BBOX[0] - BASEMAP_MARGIN, BBOX[1] - BASEMAP_MARGIN,
               BBOX[2] + BASEMAP_MARGIN, BBOX[3] + BASEMAP_MARGIN)
    for props, line in border_lines:
        g = snap(line.intersection(clip))
        if g.is_empty:
            continue
        src = f"Natural Earth 10m admin-0 boundary lines, ne_id {props.get('ne_id')} (public domain)"
        if props.get("ne_id") == 1746705689:
            src += "; corrected ~1 km east of Kornidzor by Frontline contributors"
        feats.append(feature(g, {"class": "border", "name": props["name"], "source": src}))
    roads = [
        ("Goris – Lachin – Shusha – Stepanakert (Lachin corridor road until Aug 2022)",
         pipeline_route(drawn)),
        ("Shusha bypass: Zarysly – Karintak (Dashalty)", drawn.line("road-shusha-bypass")),
        ("Karintak – Shosh – Stepanakert", drawn.line("road-karintak-to-stepanakert")),
        ("Stepanakert – Askeran – Aghdam", drawn.line("road-stepanakert-aghdam")),
        ("Stepanakert – Martuni", drawn.line("road-stepanakert-martuni")),
        ("Stepanakert – Martakert", drawn.line("road-stepanakert-martakert")),
        ("Kornidzor – Hin Shen – Mets Shen – Lisagor (Lachin corridor road from 30 Aug 2022)",
         drawn.line("new-corridor-road") + drawn.line("road-mets-shen-to-old-road")[1:]),
    ]
    for name, coords in roads:
        feats.append(feature(snap(LineString(coords)), {
            "class": "road", "name": name, "approximate": True,
            "source": "Frontline contributors: drawn through places.csv points (OSM nodes "
                      f"{OSM_CREDIT}; Wikipedia coordinates), not a surveyed road line"}))
    for f in load(inp, "ne_rivers.geojson")["features"]:
        g = snap(shape(f["geometry"]).intersection(clip))
        if g.is_empty or g.length < 0.01:
            continue
        feats.append(feature(g, {"class": "river", "name": f["properties"]["name"],
                                 "source": f["properties"]["source"]}))
    feats.append(feature(snap(MultiLineString(nkao)), {
        "class": "nkao-1991", "name": "Nagorno-Karabakh Autonomous Oblast boundary, c. 1991",
        "approximate": True,
        "source": "Natural Earth 10m boundary_lines_disputed_areas, 'Former USSR oblast in 1991' "
                  "reference lines (public domain), as transcribed: a few vertices of line "
                  "1746705625 (south-west, near 46.75,39.52) were lost in transcription, so the line "
                  "has a gap there"}))
    return feats


# ---------------------------------------------------------------------------

KEY_DATES = [
    ("2020-11-10", "Ceasefire: trilateral statement of 9/10 Nov 2020; Russian peacekeepers deploy"),
    ("2020-11-20", "Aghdam district handed over to Azerbaijan"),
    ("2020-11-25", "Kalbajar district handed over to Azerbaijan"),
    ("2020-12-01", "Lachin district handed over, except the Lachin corridor"),
    ("2020-12-12", "Azerbaijani forces take the Hadrut pocket (Hin Tagher, Khtsaberd)"),
    ("2022-03-08", "Gas pipeline to Stepanakert cut near Zarysly"),
    ("2022-03-24", "Azerbaijani forces take Parukh and the Karaglukh heights"),
    ("2022-03-26", "Fighting for the Karaglukh heights (default date)"),
    ("2022-03-28", "Parukh under Russian peacekeepers; Armenian forces on the Karaglukh summit; gas restored"),
    ("2022-08-03", "Azerbaijani forces take the Saribaba and Girkhgiz heights"),
    ("2022-08-26", "Old Lachin corridor (Lachin, Aghavno, Sus) handed over"),
    ("2022-08-30", "Traffic switches to the new corridor road Kornidzor – Hin Shen – Mets Shen"),
    ("2022-12-12", "Blockade of the Lachin corridor begins near Shusha"),
    ("2023-03-25", "Azerbaijani forces take height 2054"),
    ("2023-04-23", "Azerbaijani checkpoint at the Hakari bridge"),
    ("2023-09-19", "Azerbaijani offensive begins"),
    ("2023-09-20", "Ceasefire: end of Armenian control"),
]


def build_dataset_json():
    return {
        "title": "Nagorno-Karabakh: areas of control, Nov 2020 – Sep 2023",
        "attribution": "Natural Earth; © OpenStreetMap contributors; Frontline contributors — lines approximate",
        "license": "ODbL-1.0 for the layers holding OpenStreetMap-derived coordinates (villages, events, "
                   "pipeline, zones, basemap roads); control, heights and the Natural Earth basemap lines "
                   "CC0-1.0 / public domain",
        "parties": [{"id": ARM, "name": "Karabakh Armenian forces"},
                    {"id": AZE, "name": "Azerbaijani forces"}],
        "key_dates": [{"date": d, "label": l} for d, l in KEY_DATES],
        "temporal_extent": ["2020-11-10", "2023-12-31"],
        "default_date": "2022-03-26",
        "bbox": list(BBOX),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", default=os.path.join(HERE, "inputs"),
                    help="folder of input facts (default: tools/geodata/inputs/)")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(HERE)), "geodata"),
                    help="output folder (default: geodata/)")
    ap.add_argument("--quiet", action="store_true", help="print nothing but warnings and errors")
    args = ap.parse_args(argv)
    inp = os.path.normpath(args.inputs)
    if not os.path.isdir(inp):
        ap.error(f"inputs folder not found: {inp}")
    check_versions()
    os.makedirs(args.out, exist_ok=True)

    places = read_places(inp)
    drawn = Drawn(inp)
    border_lines = corrected_border_lines(load(inp, "ne_borders.geojson"), drawn)
    terr = azerbaijan_in_bbox(border_lines, places)
    periods, parts = build_control(inp, terr, drawn)
    states = period_states(periods, terr)
    base_date, base, days = build_control_record(periods, states, terr)
    by_date = number_changes(days)
    checked = check_record(states, base, by_date)   # fails the build before anything is written

    outputs = {
        "zones.geojson": build_zones(terr, parts, drawn),
        "villages.geojson": build_villages(places),
        "heights.geojson": build_heights(places, parts, drawn),
        "pipeline.geojson": build_pipeline(inp, drawn),
        "events.geojson": build_events(inp, places, parts, drawn),
        "basemap.geojson": build_basemap(inp, border_lines, read_nkao_lines(inp), drawn, places),
    }
    for name, feats in outputs.items():
        write_fc(os.path.join(args.out, name), feats)
    record, removed = write_record(args.out, base_date, base, by_date)
    with open(os.path.join(args.out, "dataset.json"), "w", encoding="utf-8") as fh:
        json.dump(build_dataset_json(), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    if args.quiet:
        return 0
    for path in removed:
        print(f"removed {path} (not made by this build)")
    for name, feats in outputs.items():
        print(f"{name:18} {len(feats):3} features")
    print(f"control/           base {base_date}, {len(record['days'])} days of changes, "
          f"{record['next_id'] - 1} changes (next_id {record['next_id']})")
    worst = max(off for _, row in checked for _, _, off in row.values())
    print(f"  painted from the record = the periods' polygons within {worst * 1e6:.0f} m2 per party "
          f"(tolerance {PAINT_TOLERANCE_KM2 * 1e6:.0f} m2):")
    for date, row in checked:
        if date == base_date:
            what = "base: " + ", ".join(f"{f['properties']['controlled_by']} {km2(shape(f['geometry'])):.1f} km2"
                                        for f in base)
        else:
            what = "; ".join(f"-> {f['properties']['to']} {km2(shape(f['geometry'])):.3f} km2"
                             for f in by_date.get(date, [])) or "no change"
        print(f"  {date}  {what}")
        print("              painted " + ", ".join(f"{p} {painted:.1f} km2" for p, (_, painted, _) in row.items())
              + "; the periods' polygons differ by " + ", ".join(f"{off * 1e6:.0f} m2" for _, _, off in row.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
