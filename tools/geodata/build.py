#!/usr/bin/env python3
"""Build Frontline's default dataset (geodata/): Nagorno-Karabakh, Nov 2020 - Sep 2023.

Usage:
    python3 tools/geodata/build.py [--reference DIR] [--out DIR]

Inputs are the facts gathered in ../shared/reference (relative to the repository
root; override with --reference):

  ne_borders.geojson          Natural Earth 10m international borders (public domain)
  ne_disputed.geojson         Natural Earth polygon of the Armenian-held area after 2020
  ne_pre2020.geojson          Natural Earth v4.0.0 polygon of the Armenian-held area, 2018
  ne_rivers.geojson           Natural Earth 10m rivers
  ne_nk_features.md           Natural Earth NKAO-1991 boundary lines (transcribed)
  places.csv                  towns, villages and heights (some OSM nodes, ODbL)
  events.md                   dated events with their sources

Nothing from the reference folder is copied into geodata/: every layer is derived
here, from those coordinates plus the hand-drawn coordinate lists below (each
commented with where it comes from).  The rules of the data contract
(docs in /work/shared/PRODUCT.md) that this script guarantees:

  * Azerbaijani-held ground on a date = Azerbaijan's territory within the bbox
    MINUS the Armenian-held ground on that date, so the two parties never
    overlap and leave no gap (the front is one shared line).
  * All geometry is snapped to a 1e-6 degree grid (GEOS overlay with grid_size),
    so writing 6 decimals loses nothing and keeps every polygon valid.
  * Polygons are written with counter-clockwise outer rings (RFC 7946).

Requires python3 with shapely >= 2 and pyproj.
"""

import argparse
import csv
import json
import os
import re
import sys

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import (LineString, MultiLineString, MultiPolygon, Point,
                              Polygon, box, mapping, shape)
from shapely.geometry.polygon import orient
from shapely.ops import nearest_points, polygonize, unary_union

GRID = 1e-6                      # coordinate grid (degrees) of every output geometry
BBOX = (45.9, 39.3, 47.5, 40.5)  # dataset bbox (lon/lat), dataset.json "bbox"
BASEMAP_MARGIN = 0.15            # basemap lines are clipped a little outside the bbox
GEOD = Geod(ellps="WGS84")
# UTM zone 38N: metric buffers (corridor width, small areas around heights).
_UTM = Transformer.from_crs("EPSG:4326", "EPSG:32638", always_xy=True)

ARM = "karabakh-armenian"
AZE = "azerbaijani"

OSM_CREDIT = "© OpenStreetMap contributors (ODbL)"
NE = "Natural Earth (public domain)"

# ---------------------------------------------------------------------------
# Hand-drawn coordinate sets.  lon, lat (WGS84).  All are approximate: the
# Natural Earth lines they correct are themselves off by several km.
# ---------------------------------------------------------------------------

# Armenia-Azerbaijan border at Kornidzor.  Natural Earth 10m runs ~0.6 km WEST of
# Kornidzor (places.csv: 46.53111,39.54806, ru.wikipedia), i.e. it puts an
# Armenian village in Azerbaijan.  The NE vertices (46.524271,39.554641) and
# (46.527268,39.538156) are replaced by a line ~1 km east of the village (the
# Hakari valley, where the Hakari bridge checkpoint of April 2023 stands).
KORNIDZOR_NE_VERTICES = [(46.524271, 39.554641), (46.527268, 39.538156)]
KORNIDZOR_FIXED_VERTICES = [(46.532, 39.562), (46.543, 39.549), (46.536, 39.533)]

# Shusha salient: Shusha (Shushi) was taken by Azerbaijani forces on 8 Nov 2020,
# but NE's 2020 line leaves it inside the Armenian-held area.  This polygon is
# cut out of NE's area.  It runs from NE's southern line (which it overlaps)
# north between Lisagor (46.6431,39.6875, Armenian-held) and Zarysly
# (46.6761,39.7172, Azerbaijani-held, where the pipeline was cut), round Shusha
# town (46.7512,39.7633) ~2.5 km north of its centre, and back south between
# Shusha and Shosh (46.7863,39.7708) / Dashalty=Karintak (46.7438,39.7429),
# which stayed Armenian.  Krkjan (46.7386,39.8020) and Stepanakert stay outside.
SHUSHA_SALIENT = [
    (46.700, 39.640), (46.672, 39.662), (46.668, 39.680), (46.660, 39.700),
    (46.662, 39.715), (46.675, 39.732), (46.700, 39.750), (46.722, 39.768),
    (46.738, 39.783), (46.752, 39.787), (46.766, 39.782), (46.771, 39.770),
    (46.766, 39.757), (46.756, 39.7505), (46.742, 39.7505), (46.730, 39.745),
    (46.724, 39.735), (46.722, 39.715), (46.731104, 39.697017), (46.740, 39.670),
    (46.720, 39.640),
]

# NE's southern 2020 line (ne_id 1746705695) runs north of Sghnakh
# (46.8015,39.7221), Avetaranots (46.8304,39.7036), Karmir Shuka (46.9473,39.6771)
# and (Nerkin) Taghavard (46.9173,39.6661), which stayed Armenian-held until 2023.
# This polygon is added to the Armenian area: its northern edge lies inside NE's
# polygon, its southern edge is the corrected line (1-1.5 km south of the
# villages).  Taghavard was split (Verin Taghavard, west, Azerbaijani-held): the
# line passes just west of the OSM point.
SOUTH_LINE_ADDITION = [
    # northern edge (well inside NE's area), west to east
    (46.738, 39.722), (46.822, 39.745), (46.877, 39.738), (46.960, 39.712), (47.030, 39.712),
    # corrected line, east to west, rejoining NE's line at (47.023777,39.695808)
    (47.023777, 39.695808), (46.985, 39.683), (46.965, 39.671), (46.945, 39.666),
    (46.925, 39.657), (46.911, 39.660), (46.900, 39.671), (46.875, 39.687),
    (46.845, 39.689), (46.825, 39.691), (46.812, 39.699), (46.790, 39.710),
    (46.770, 39.711), (46.745, 39.706),
]

# Lachin corridor, 2020-2022.  NE's corridor (segments 1746705669 / 1746705677)
# leaves Lachin=Berdzor (46.5488,39.6402) and Sus (46.5128,39.6269) outside,
# though both were inside the corridor until 26 Aug 2022.  This polygon widens it
# north to ~1.5 km beyond them, up to the NKAO-1991 west boundary at
# (46.566852,39.659699) (a vertex of NE line 1746705727).
CORRIDOR_LACHIN_SUS = [
    (46.470, 39.575), (46.488, 39.606), (46.499, 39.632), (46.515, 39.643),
    (46.535, 39.652), (46.552, 39.657), (46.566852, 39.659699),
    (46.566852, 39.633189), (46.530, 39.610), (46.500, 39.590),
]

# The old corridor as a piece of control (handed to Azerbaijan 26 Aug 2022):
# everything of the Armenian area west/south of the NKAO-1991 boundary
# (NE lines 1746705713 and 1746705727), i.e. the part that lies in Lachin district.
OLD_CORRIDOR_REGION = [
    (46.40, 39.45), (46.63, 39.45), (46.624439, 39.597373), (46.624166, 39.59773),
    (46.605816, 39.626161), (46.599615, 39.633189), (46.56687, 39.633189),
    (46.566852, 39.659699), (46.550, 39.720), (46.40, 39.720),
]

# New Lachin corridor road (traffic from 30 Aug 2022): Kornidzor - Hin Shen -
# Mets Shen (events.md: news.am 714597, 715668; armenpress 1091062).  Hin Shen's
# point is low-confidence (places.csv, +-4 km); the line between Kornidzor and
# Hin Shen is drawn ~2 km east of Aghavno, which was handed over.
NEW_CORRIDOR_ROAD = [
    (46.53111, 39.54806),   # Kornidzor (places.csv, ru.wikipedia)
    (46.541, 39.553),       # Hakari bridge at the border, approximate
    (46.565, 39.575),
    (46.58, 39.62),         # Hin Shen (places.csv, low confidence)
    (46.595, 39.640),
    (46.60194, 39.65833),   # Mets Shen (places.csv, en.wikipedia)
]
NEW_STRIP_HALF_WIDTH_M = 1200   # Armenian-held strip along the new road (control)
CORRIDOR_HALF_WIDTH_M = 2500    # "Lachin corridor 5 km wide" (10 Nov 2020 statement)

# Old corridor road: Kornidzor - Aghavno - Lachin - Lisagor - Zarysly, then the
# post-2020 bypass of Shusha to Karintak (Dashalty) used by the corridor traffic
# (events.md: "Shushi-Karin Tak section").  Approximate, through places.csv points.
OLD_ROAD_BORDER_TO_LACHIN = [
    (46.53111, 39.54806), (46.541, 39.553), (46.543, 39.575),
    (46.54333, 39.58972),                 # Aghavno = Zabukh
    (46.546, 39.615),
    (46.5488378, 39.6401825),             # Lachin = Berdzor (OSM node 234298960)
]
ROAD_LACHIN_TO_ZARYSLY = [
    (46.5488378, 39.6401825), (46.570, 39.655), (46.600, 39.668), (46.625, 39.680),
    (46.64306, 39.6875),                  # Lisagor = Turshsu
    (46.657, 39.703),
    (46.67611, 39.71722),                 # Zarysly
]
ROAD_SHUSHA_BYPASS = [
    (46.67611, 39.71722), (46.700, 39.728), (46.722, 39.737),
    (46.7438238, 39.742917),              # Dashalty = Karintak (OSM node 1346973643)
]
ROAD_KARINTAK_TO_STEPANAKERT = [
    (46.7438238, 39.742917), (46.765, 39.748), (46.782, 39.760),
    (46.7863342, 39.7708476),             # Shosh (OSM node 1343893908)
    (46.775, 39.795), (46.751063, 39.8182184),
]
ROAD_ZARYSLY_SHUSHA_STEPANAKERT = [
    (46.67611, 39.71722), (46.712, 39.745), (46.735, 39.757),
    (46.7511501, 39.7632567),             # Shusha (OSM node 210333762)
    (46.752, 39.785), (46.749, 39.803),
    (46.751063, 39.8182184),              # Stepanakert (OSM node 4027452036)
]
ROAD_GORIS_KORNIDZOR = [
    (46.33861, 39.50778),                 # Goris (en.wikipedia)
    (46.375, 39.525), (46.420, 39.545), (46.470, 39.556),
    (46.53111, 39.54806),                 # Kornidzor
]
ROAD_STEPANAKERT_AGHDAM = [
    (46.751063, 39.8182184), (46.770, 39.845), (46.790, 39.885),
    (46.7943875, 39.9097028),             # Khojaly = Ivanyan (OSM node 1966237356)
    (46.815, 39.925),
    (46.8353633, 39.9379213),             # Askeran (OSM node 234280798)
    (46.870, 39.955), (46.900, 39.975),
    (46.9304843, 39.9932355),             # Aghdam = Akna (OSM node 1434761991)
]
ROAD_STEPANAKERT_MARTUNI = [
    (46.751063, 39.8182184), (46.790, 39.805), (46.830, 39.790),
    (46.87417, 39.7525),                  # Khachmach (en.wikipedia)
    (46.930, 39.760), (47.000, 39.775), (47.060, 39.785),
    (47.1109875, 39.795152),              # Martuni (OSM node 232215256)
]
ROAD_STEPANAKERT_MARTAKERT = [           # west of the Aghdam-district notch
    (46.751063, 39.8182184), (46.740, 39.860),
    (46.73111, 39.89306),                 # Lusadzor (en.wikipedia)
    (46.700, 39.950), (46.670, 40.010), (46.665, 40.060), (46.700, 40.110),
    (46.740, 40.150), (46.780, 40.190),
    (46.8225075, 40.2096703),             # Martakert (OSM node 234061921)
]
ROAD_METS_SHEN_TO_OLD_ROAD = [(46.60194, 39.65833), (46.625, 39.675), (46.64306, 39.6875)]

# Hadrut pocket: Hin Tagher (46.8226,39.5100, OSM node 1348088566) and
# Khtsaberd (46.7708,39.5458, en.wikipedia) stayed Armenian-held after 10 Nov
# 2020 and were entered by Azerbaijani forces on 12 Dec 2020 (events.md:
# azatutyun 31004105; armenian.usc.edu; vpk.name).  An enclave ~1.5 km round both.
HADRUT_POCKET = [
    (46.752, 39.553), (46.762, 39.563), (46.780, 39.560), (46.800, 39.543),
    (46.832, 39.522), (46.843, 39.508), (46.835, 39.496), (46.815, 39.497),
    (46.795, 39.510), (46.770, 39.530), (46.755, 39.540),
]

# Nov 2020 war line in the south-west: the southern edge of Lachin district
# (with Qubadli district, taken by Azerbaijan in Oct 2020), from the Armenian
# border (NE border vertex 46.491405,39.466429) to the NKAO-1991 corner at
# (46.624439,39.597373).  Approximate district boundary.  East of that the war
# line is the 2020 ceasefire line (NE line 1746705769 and the corrected southern
# line).  SOUTH_WAR_GAINS closes it round the south.
SOUTH_WAR_GAINS = [
    (46.30, 39.44), (46.491405, 39.466429), (46.550, 39.485), (46.600, 39.505),
    (46.630, 39.545), (46.624439, 39.597373),
    # NE 1746705769 (shared with the NKAO boundary), up to the Shusha salient
    (46.638228, 39.603212), (46.655787, 39.610607), (46.661213, 39.630089),
    (46.661607, 39.633606), (46.665141, 39.665229), (46.681471, 39.669053),
    # south of the corrected southern line and of NE's line further east
    (46.745, 39.700), (46.790, 39.700), (46.900, 39.650), (47.023777, 39.690),
    (47.097546, 39.743092), (47.164608, 39.776602), (47.203353, 39.812891),
    (47.220, 39.810), (47.60, 39.80), (47.60, 38.70), (46.30, 38.70),
]

# Kalbajar / Lachin district boundary, approximate (from the Armenian border
# near 45.98,39.77 to the NKAO-1991 west boundary at NE vertex 46.458332,39.961521):
# everything north of it is the Kalbajar piece handed over on 25 Nov 2020.
KALBAJAR_SIDE = [
    (45.50, 39.740), (46.000, 39.770), (46.100, 39.785), (46.250, 39.850),
    (46.380, 39.930), (46.458332, 39.961521), (46.60, 39.990), (46.60, 40.60),
    (45.50, 40.60),
]
# A north-south line through the inside of the post-2020 area separating the
# Aghdam-district piece (east) from the Kalbajar/Lachin piece (west).
EAST_SIDE = [
    (46.60, 40.60), (46.60, 40.15), (46.55, 40.05), (46.65, 39.90), (46.70, 39.75),
    (46.70, 38.70), (47.60, 38.70), (47.60, 40.60),
]

# Parukh (Farukh) and the Karaglukh ridge, taken 24 Mar 2022 (events.md:
# armenianclub/Artsakh InfoCenter; RU MoD via TASS).  From the 2020 line north of
# Parukh (46.8014,40.0186) down the ridge to the Karaglukh height (46.79,39.995,
# places.csv, LOW confidence +-3 km).  Khramort (46.8172,40.0053, evacuated, not
# taken) stays ~1.2 km outside.
PARUKH_KARAGLUKH = [
    (46.782, 40.0245), (46.812, 40.0245), (46.8095, 40.0140), (46.8020, 40.0060),
    (46.7985, 39.9975), (46.7950, 39.9905), (46.7850, 39.9900), (46.7810, 39.9980),
    (46.7860, 40.0100), (46.7880, 40.0170),
]
# From 28 Mar 2022 Armenian forces hold the Karaglukh summit, Azerbaijani forces
# the slopes (civilnet): the southern end of the ridge area, ~0.5 km either side
# of the summit point, returns to Armenian hands.
KARAGLUKH_SUMMIT = [(46.775, 39.985), (46.805, 39.985), (46.805, 39.9995), (46.775, 39.9995)]

# Heights without a sourced coordinate (reference README: place them near the
# sourced villages at their foot and say so).
#  Saribaba: ~2.2 km NW of Yeghtsahogh = Saribaba village (46.5875,39.67722),
#  1.8 km inside the west edge of the 2020 line (NE 1746705727).
SARIBABA = (46.572, 39.692)
#  Girkhgiz (Qirxqiz), Khojaly district: on the west edge of the 2020 line
#  (NE 1746705727 passes 46.552796,39.827544), ~1.2 km inside it.
GIRKHGIZ = (46.567, 39.835)
HEIGHT_AREA_RADIUS_M = 900        # ground taken with each height, Aug 2022
# height 2054: "2.9 km NE of Mt Sarybaba" (turan.az 764206) -> computed below
HEIGHT_2054_RADIUS_M = 700


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
# Reading the reference facts
# ---------------------------------------------------------------------------

def load(ref, name):
    with open(os.path.join(ref, name), encoding="utf-8") as fh:
        return json.load(fh)


def read_places(ref):
    with open(os.path.join(ref, "places.csv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    places = {}
    for r in rows:
        places[r["name"]] = {
            "name": r["name"], "alt": r["alt_names"], "lon": float(r["lon"]),
            "lat": float(r["lat"]), "source": r["source"], "confidence": r["confidence"],
        }
    return places


def read_nkao_lines(ref):
    """NKAO-1991 boundary lines transcribed from Natural Earth in ne_nk_features.md.

    Returns {ne_id: [(lon, lat), ...]}.  Line 1746705625 was transcribed in two
    parts with a few vertices lost between them (one recovered, see the file)."""
    text = open(os.path.join(ref, "ne_nk_features.md"), encoding="utf-8").read().splitlines()
    coord_re = re.compile(r"\[(-?\d+\.\d+),(-?\d+\.\d+)\]")
    lines = {}
    for i, line in enumerate(text):
        m = re.match(r"## ne_id (\d+)(.*)", line)
        if not m:
            continue
        ne_id, rest = m.group(1), m.group(2)
        if not re.search(r"NKAO|oblast|identical geometry as NKAO", rest):
            continue
        # coordinates on the header itself (1746705713) or on the next line
        src = rest if coord_re.search(rest) else (text[i + 1] if i + 1 < len(text) else "")
        pts = [(float(a), float(b)) for a, b in coord_re.findall(src)]
        if ne_id == "1746705625":
            # the continuation line, plus the vertex recovered at the page break
            cont = next(t for t in text if "1746705625 continued" in t)
            pts += [(46.744671, 39.526374)]
            pts_b = [(float(a), float(b)) for a, b in coord_re.findall(cont)]
            lines[ne_id + "a"] = pts
            lines[ne_id + "b"] = pts_b
            continue
        if ne_id == "1746705589":   # 1746705599 (NKAO) has the same geometry
            ne_id = "1746705599"
        if len(pts) >= 2:
            lines[ne_id] = pts
    return lines


def read_events(ref):
    """events.md lines: 'YYYY-MM-DD[..|/]... text [sources]'."""
    out = []
    for line in open(os.path.join(ref, "events.md"), encoding="utf-8"):
        m = re.match(r"(\d{4}-\d{2}-\d{2})(\S*)\s+(.*)", line.strip())
        if m:
            text = m.group(3)
            src = re.findall(r"\[([^\]]+)\]", text)
            title = re.sub(r"\s*\[[^\]]+\]", "", text).strip()
            title = re.sub(r"\.\s*;", ".", title)
            out.append({"date": m.group(1), "suffix": m.group(2), "title": title,
                        "source": "; ".join(src)})
    return out


# ---------------------------------------------------------------------------
# Borders and Azerbaijan's territory
# ---------------------------------------------------------------------------

def corrected_border_lines(borders):
    """NE border lines, with the Kornidzor correction spliced in."""
    out = []
    for f in borders["features"]:
        coords = [tuple(c) for c in f["geometry"]["coordinates"]]
        if all(v in coords for v in KORNIDZOR_NE_VERTICES):
            i = coords.index(KORNIDZOR_NE_VERTICES[0])
            j = coords.index(KORNIDZOR_NE_VERTICES[-1])
            coords = coords[:i] + KORNIDZOR_FIXED_VERTICES + coords[j + 1:]
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


def build_control(ref, terr, places):
    disputed = snap(shape(load(ref, "ne_disputed.geojson")["features"][0]["geometry"]))
    pre2020 = snap(shape(load(ref, "ne_pre2020.geojson")["features"][0]["geometry"]))

    salient = poly(SHUSHA_SALIENT)
    core = union(disputed, poly(SOUTH_LINE_ADDITION), poly(CORRIDOR_LACHIN_SUS))
    core = clean(inter(diff(core, salient), terr))

    # pieces still Armenian-held on 10 Nov 2020, handed over later
    rest = clean(inter(diff(diff(diff(pre2020, core), poly(SOUTH_WAR_GAINS)), salient), terr),
                 min_km2=0.05)
    east = poly(EAST_SIDE)
    aghdam = clean(inter(rest, east))
    west = clean(diff(rest, east))
    kalbajar = clean(inter(west, poly(KALBAJAR_SIDE)))
    lachin = clean(diff(west, poly(KALBAJAR_SIDE)))
    pocket = clean(inter(poly(HADRUT_POCKET), terr))

    parukh = clean(inter(poly(PARUKH_KARAGLUKH), terr))
    summit = clean(inter(poly(KARAGLUKH_SUMMIT), parukh))

    def height_area(peak, radius):
        """Ground round a height reaching out to the nearest edge of the area."""
        edge = nearest_points(core.boundary, Point(peak))[0]
        return geo_buffer(LineString([peak, (edge.x, edge.y)]), radius)
    saribaba_area = height_area(SARIBABA, HEIGHT_AREA_RADIUS_M)
    girkhgiz_area = height_area(GIRKHGIZ, HEIGHT_AREA_RADIUS_M)
    h2054 = destination(SARIBABA, 45.0, 2900.0)
    # Az came from the Saribaba height: the 2054 area joins it.
    h2054_area = geo_buffer(LineString([SARIBABA, h2054]), HEIGHT_2054_RADIUS_M)

    old_corridor = clean(inter(core, poly(OLD_CORRIDOR_REGION)))
    new_strip = clean(inter(geo_buffer(LineString(NEW_CORRIDOR_ROAD), NEW_STRIP_HALF_WIDTH_M), terr))

    src_core = f"{SRC_NE_LINE}; {SRC_BORDERS}"
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

    features = []
    for vf, vt, arm, src_a, src_z in periods:
        az = clean(diff(terr, arm), min_km2=0.0)
        if not arm.is_empty:
            features.append(feature(arm, {"controlled_by": ARM, "valid_from": vf, "valid_to": vt,
                                          "source": src_a}))
        features.append(feature(az, {"controlled_by": AZE, "valid_from": vf, "valid_to": vt,
                                     "source": f"{SRC_BORDERS}; {src_z}"}))
    parts = dict(core=core, salient=salient, aghdam=aghdam, kalbajar=kalbajar, lachin=lachin,
                 pocket=pocket, parukh=parukh, summit=summit, saribaba_area=saribaba_area,
                 girkhgiz_area=girkhgiz_area, h2054_area=h2054_area, old_corridor=old_corridor,
                 new_strip=new_strip, h2054=h2054)
    return features, periods, parts


# ---------------------------------------------------------------------------
# Zones
# ---------------------------------------------------------------------------

def build_zones(terr, parts):
    bb = box(*BBOX)
    old_road = LineString(OLD_ROAD_BORDER_TO_LACHIN + ROAD_LACHIN_TO_ZARYSLY[1:] + ROAD_SHUSHA_BYPASS[1:])
    new_road = LineString(NEW_CORRIDOR_ROAD + ROAD_METS_SHEN_TO_OLD_ROAD[1:] +
                          ROAD_LACHIN_TO_ZARYSLY[ROAD_LACHIN_TO_ZARYSLY.index((46.64306, 39.6875)) + 1:] +
                          ROAD_SHUSHA_BYPASS[1:])
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

# places.csv name -> (id, display name, names).  Azerbaijani names are the Latin
# forms given in places.csv alt_names; Armenian and Russian names are common
# spellings of these place names (only where certain).
VILLAGES = {
    "Stepanakert": ("stepanakert", "Stepanakert", {"hy": "Ստեփանակերտ", "az": "Xankəndi", "ru": "Степанакерт"}),
    "Shusha": ("shusha", "Shusha", {"hy": "Շուշի", "az": "Şuşa", "ru": "Шуша"}),
    "Lachin": ("lachin", "Lachin", {"hy": "Բերձոր", "az": "Laçın", "ru": "Лачин"}),
    "Goris (Armenia)": ("goris", "Goris", {"hy": "Գորիս", "ru": "Горис"}),
    "Kornidzor (Armenia)": ("kornidzor", "Kornidzor", {"hy": "Կոռնիձոր", "ru": "Корнидзор"}),
    "Aghdam": ("aghdam", "Aghdam", {"hy": "Ակնա", "az": "Ağdam", "ru": "Агдам"}),
    "Askeran": ("askeran", "Askeran", {"hy": "Ասկերան", "az": "Əsgəran", "ru": "Аскеран"}),
    "Khojaly": ("khojaly", "Khojaly", {"hy": "Իվանյան", "az": "Xocalı", "ru": "Ходжалы"}),
    "Martuni": ("martuni", "Martuni", {"hy": "Մարտունի", "az": "Xocavənd", "ru": "Мартуни"}),
    "Martakert": ("martakert", "Martakert", {"hy": "Մարտակերտ", "az": "Ağdərə", "ru": "Мартакерт"}),
    "Hadrut": ("hadrut", "Hadrut", {"hy": "Հադրութ", "az": "Hadrud", "ru": "Гадрут"}),
    "Parukh": ("parukh", "Parukh", {"hy": "Փառուխ", "az": "Fərrux", "ru": "Фаррух"}),
    "Khramort": ("khramort", "Khramort", {"hy": "Խրամորթ", "az": "Pirlər"}),
    "Khtsaberd": ("khtsaberd", "Khtsaberd", {"hy": "Խծաբերդ", "az": "Çaylaqqala"}),
    "Hin Tagher": ("hin-tagher", "Hin Tagher", {"hy": "Հին Թաղեր", "az": "Köhnə Tağlar"}),
    "Taghavard": ("taghavard", "Taghavard", {"hy": "Թաղավարդ", "az": "Tağaverd"}),
    "Khanabad": ("khanabad", "Khanabad", {"hy": "Խնապատ", "az": "Xanabad"}),
    "Nakhichevanik": ("nakhichevanik", "Nakhichevanik", {"az": "Naxçıvanik"}),
    "Aygestan (Askeran)": ("aygestan", "Aygestan", {"hy": "Այգեստան", "az": "Ballıca"}),
    "Sarushen": ("sarushen", "Sarushen", {"hy": "Սարուշեն", "az": "Dağyurd"}),
    "Karmir Shuka": ("karmir-shuka", "Karmir Shuka", {"hy": "Կարմիր Շուկա", "az": "Qırmızı Bazar",
                                                      "ru": "Красный Базар"}),
    "Lisagor": ("lisagor", "Lisagor", {"hy": "Լիսագոր", "az": "Turşsu"}),
    "Mets Shen (Shusha)": ("mets-shen", "Mets Shen", {"hy": "Մեծ Շեն", "az": "Böyük Qaladərəsi"}),
    "Hin Shen": ("hin-shen", "Hin Shen", {"hy": "Հին Շեն", "az": "Kiçik Qaladərəsi"}),
    "Sus": ("sus", "Sus", {"hy": "Սուս", "az": "Sus"}),
    "Aghavno": ("aghavno", "Aghavno", {"hy": "Աղավնո", "az": "Zabux"}),
    "Dashalty": ("dashalty", "Dashalty", {"hy": "Քարին Տակ", "az": "Daşaltı"}),
    "Khachen (village)": ("khachen", "Khachen", {"hy": "Խաչեն"}),
    "Yeghtsahogh (Saribaba village)": ("yeghtsahogh", "Yeghtsahogh", {"hy": "Եղցահող", "az": "Sarıbaba"}),
    "Zarysly": ("zarysly", "Zarysly", {"az": "Zarıslı"}),
    "Shosh": ("shosh", "Shosh", {"hy": "Շոշ", "az": "Şuşakənd"}),
    "Khachmach": ("khachmach", "Khachmach", {"hy": "Խաչմաչ", "az": "Xaçmaç"}),
    "Vardadzor": ("vardadzor", "Vardadzor", {"hy": "Վարդաձոր", "az": "Pircamal"}),
    "Khnatsakh": ("khnatsakh", "Khnatsakh", {"hy": "Խնածախ"}),
    "Sarnaghbyur": ("sarnaghbyur", "Sarnaghbyur", {"hy": "Սառնաղբյուր"}),
    "Sardarashen": ("sardarashen", "Sardarashen", {"hy": "Սարդարաշեն"}),
    "Lusadzor": ("lusadzor", "Lusadzor", {"hy": "Լուսաձոր"}),
    "Azokh": ("azokh", "Azokh", {"hy": "Ազոխ", "az": "Azıx"}),
    "Aghjakend": ("aghjakend", "Aghjakend", {"hy": "Խանձաձոր", "az": "Ağcakənd"}),
    "Avetaranots": ("avetaranots", "Avetaranots", {"hy": "Ավետարանոց"}),
    "Sghnakh": ("sghnakh", "Sghnakh", {"hy": "Սղնախ"}),
    "Krkjan": ("krkjan", "Krkjan", {"hy": "Կրկժան", "az": "Kərkicahan"}),
    "Togh": ("togh", "Togh", {"hy": "Տող", "az": "Tuğ"}),
    "Shekher": ("shekher", "Shekher", {"hy": "Շեխեր"}),
    "Karvachar": ("karvachar", "Karvachar", {"hy": "Քարվաճառ", "az": "Kəlbəcər", "ru": "Кельбаджар"}),
}
HEIGHT_PLACES = {"Karaglukh height / hamlet (Askeran)", "Böyük Kirs (peak 2725 m)", "Ukhtasar"}


def place_source(p):
    s = f"places.csv: {p['source']}"
    if "OSM" in p["source"]:
        s += f"; {OSM_CREDIT}"
    return s


def in_bbox(lon, lat):
    return BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]


def build_villages(places):
    feats = []
    for key, p in places.items():
        if key in HEIGHT_PLACES or not in_bbox(p["lon"], p["lat"]):
            continue
        if key not in VILLAGES:
            raise SystemExit(f"build.py: places.csv settlement {key!r} has no entry in VILLAGES")
        vid, name, names = VILLAGES[key]
        props = {"id": vid, "name": name, "names": {"en": name, **names}}
        if p["alt"]:
            props["alt_names"] = p["alt"]
        props["source"] = place_source(p)
        props["approximate"] = p["confidence"].lower().startswith("low")
        props["confidence"] = p["confidence"]
        feats.append(point_feature((p["lon"], p["lat"]), props))
    ids = [f["properties"]["id"] for f in feats]
    assert len(ids) == len(set(ids)), "duplicate village ids"
    return feats


def build_heights(places, parts):
    k = places["Karaglukh height / hamlet (Askeran)"]
    b = places["Böyük Kirs (peak 2725 m)"]
    u = places["Ukhtasar"]
    h2054 = parts["h2054"]
    return [
        point_feature((k["lon"], k["lat"]), {
            "id": "karaglukh", "name": "Karaglukh height", "elevation_m": None, "approximate": True,
            "source": place_source(k) + " - inferred, not a sourced coordinate (+-3 km)"}),
        point_feature(SARIBABA, {
            "id": "saribaba", "name": "Saribaba height", "elevation_m": None, "approximate": True,
            "source": "no sourced coordinate: placed ~2 km NW of Yeghtsahogh = Saribaba village "
                      "(places.csv, en.wikipedia) on the Armenian-held side of the 2020 line; "
                      "taken 3 Aug 2022 (babel.ua 82435; azernews 198827)"}),
        point_feature(GIRKHGIZ, {
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

# The pipeline follows the old road (no public geometry): Goris - Kornidzor - Lachin -
# Lisagor - Zarysly - Shusha - Stepanakert.
PIPELINE_ROUTE = (ROAD_GORIS_KORNIDZOR + OLD_ROAD_BORDER_TO_LACHIN[1:] + ROAD_LACHIN_TO_ZARYSLY[1:]
                  + ROAD_ZARYSLY_SHUSHA_STEPANAKERT[1:])
# Where the pipeline was cut: "Zarsli section of Shushi region" (armenpress 1077373),
# on the pipeline line ~0.8 km west of Zarysly village (places.csv 46.67611,39.71722).
PIPELINE_CUT = [46.666, 39.711]


def build_pipeline():
    events = [
        {"date": "2020-11-10", "status": "flowing"},
        {"date": "2022-03-08", "status": "cut", "location": PIPELINE_CUT,
         "note": "damaged in the Zarysly section near an Azerbaijani position (armenpress 1077373; jam-news)"},
        {"date": "2022-03-19", "status": "flowing",
         "note": "repaired 18 Mar, gas restored 19 Mar (panarmenian 299111; hetq 146048; massispost)"},
        {"date": "2022-03-21", "status": "cut", "location": PIPELINE_CUT,
         "note": "cut again, valve installed during the repair (massispost; jam-news 2022-03-22)"},
        {"date": "2022-03-28", "status": "flowing", "note": "gas unblocked (massispost)"},
        {"date": "2022-12-13", "status": "cut",
         "note": "cut on the evening of 13 Dec, second day of the blockade (news.am 734934; forrights.am)"},
        {"date": "2022-12-16", "status": "flowing",
         "note": "restored after three days (press reports; not in the reference events list) - "
                 "~8 full and ~27 partial interruptions 12 Dec 2022 - 13 Feb 2023 (sardarabad/ArtsakhGas)"},
        {"date": "2023-02-08", "status": "cut",
         "note": "blocked again, partial restores followed (infocom.am 97575); later 2023 outages not dated here"},
    ]
    props = {"name": "Armenia–Stepanakert gas pipeline", "approximate": True,
             "source": "no public geometry: drawn along the road Goris - Kornidzor - Lachin corridor - "
                       "Lachin - Lisagor - Zarysly - Shusha - Stepanakert through places.csv points "
                       f"(OSM nodes: {OSM_CREDIT}); status: events.md sources",
             "status_events": events}
    return [feature(LineString(PIPELINE_ROUTE), props)]


EVENT_PLACES = {   # events.md date(+suffix) -> (place in places.csv or explicit lon/lat, kind, approximate)
    "2020-11-10": ("Stepanakert", "ceasefire"),
    "2020-11-14/15": ("Khachmach", "peacekeeping"),
    "2020-12-01": ("Lachin", "handover"),
    "2020-12-12": ("Hin Tagher", "advance"),
    "2020-12-13..16": ("Hin Shen", "blockade"),
    "2022-03-08": ("Zarysly", "pipeline"),
    "2022-03-18": ("Zarysly", "pipeline"),
    "2022-03-21/22": ("Zarysly", "pipeline"),
    "2022-03-24": ("Parukh", "advance"),
    "2022-03-24/25": ("Parukh", "clash"),
    "2022-03-25": ("Karaglukh height / hamlet (Askeran)", "clash"),
    "2022-03-26": ("Karaglukh height / hamlet (Askeran)", "clash"),
    "2022-03-27": ("Parukh", "peacekeeping"),
    "2022-08-01..03": ("saribaba", "advance"),
    "2022-08-25/26": ("Lachin", "handover"),
    "2022-08-30": ("Kornidzor (Armenia)", "corridor"),
    "2022-12-03": ("Dashalty", "blockade"),
    "2022-12-12": ("Dashalty", "blockade"),
    "2023-02-08": ("Stepanakert", "pipeline"),
    "2023-03-05": ("Lisagor", "clash"),
    "2023-03-25": ("height-2054", "advance"),
    "2023-04-23": ("hakari", "checkpoint"),
    "2023-09-19": ("Sarushen", "offensive"),
    "2023-09-20": ("Stepanakert", "ceasefire"),
    "2023-12-22": ("Khanabad", "visit"),
}
EVENT_LOCATION_NOTES = {
    "2020-11-10": "shown at Stepanakert, HQ of the Russian peacekeepers",
    "2020-11-14/15": "shown at Khachmach (OP No.5); OP No.8 is near Shosh",
    "2022-08-01..03": "shown at the approximate Saribaba height",
    "2023-02-08": "no place named; shown at Stepanakert",
    "2023-03-05": "on the Khankendi - Khalfali - Turshsu road; shown at Turshsu = Lisagor",
    "2023-04-23": "Hakari bridge at the border east of Kornidzor, approximate",
    "2023-09-20": "Janyatag has no coordinate in the reference; shown at Stepanakert",
}
# Events of the 10 Nov statement's timetable not written as lines in events.md.
EXTRA_EVENTS = [
    ("2020-11-20", "Aghdam", "handover",
     "Aghdam district handed over to Azerbaijan under the 10 Nov 2020 statement", SRC_STATEMENT),
    ("2020-11-25", "Karvachar", "handover",
     "Kalbajar district handed over to Azerbaijan under the 10 Nov 2020 statement", SRC_STATEMENT),
]


def build_events(ref, places, parts):
    def where(key):
        if key == "saribaba":
            return SARIBABA, True
        if key == "height-2054":
            return parts["h2054"], True
        if key == "hakari":
            return (46.541, 39.553), True   # Hakari bridge at the border east of Kornidzor
        p = places[key]
        return (p["lon"], p["lat"]), p["confidence"].lower().startswith("low")

    feats = []
    for ev in read_events(ref):
        key = ev["date"] + ev["suffix"]
        if key not in EVENT_PLACES:
            raise SystemExit(f"build.py: events.md line {key} has no place in EVENT_PLACES")
        place, kind = EVENT_PLACES[key]
        lonlat, approx = where(place)
        props = {"date": ev["date"], "kind": kind, "title": ev["title"], "source": ev["source"]}
        m = re.match(r"(?:\.\.|/)(\d{1,2})$", ev["suffix"])
        if m:
            props["date_end"] = ev["date"][:8] + m.group(1).zfill(2)
        if key in EVENT_LOCATION_NOTES:
            props["location_note"] = EVENT_LOCATION_NOTES[key]
        if approx:
            props["approximate"] = True
        feats.append(point_feature(lonlat, props))
    for date, place, kind, title, src in EXTRA_EVENTS:
        p = places[place]
        feats.append(point_feature((p["lon"], p["lat"]),
                                   {"date": date, "kind": kind, "title": title, "source": src}))
    feats.sort(key=lambda f: f["properties"]["date"])
    return feats


def build_basemap(ref, border_lines, nkao):
    feats = []
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
         ROAD_GORIS_KORNIDZOR + OLD_ROAD_BORDER_TO_LACHIN[1:] + ROAD_LACHIN_TO_ZARYSLY[1:]
         + ROAD_ZARYSLY_SHUSHA_STEPANAKERT[1:]),
        ("Shusha bypass: Zarysly – Karintak (Dashalty)", ROAD_SHUSHA_BYPASS),
        ("Karintak – Shosh – Stepanakert", ROAD_KARINTAK_TO_STEPANAKERT),
        ("Stepanakert – Askeran – Aghdam", ROAD_STEPANAKERT_AGHDAM),
        ("Stepanakert – Martuni", ROAD_STEPANAKERT_MARTUNI),
        ("Stepanakert – Martakert", ROAD_STEPANAKERT_MARTAKERT),
        ("Kornidzor – Hin Shen – Mets Shen – Lisagor (Lachin corridor road from 30 Aug 2022)",
         NEW_CORRIDOR_ROAD + ROAD_METS_SHEN_TO_OLD_ROAD[1:]),
    ]
    for name, coords in roads:
        feats.append(feature(snap(LineString(coords)), {
            "class": "road", "name": name, "approximate": True,
            "source": "Frontline contributors: drawn through places.csv points (OSM nodes "
                      f"{OSM_CREDIT}; Wikipedia coordinates), not a surveyed road line"}))
    for f in load(ref, "ne_rivers.geojson")["features"]:
        g = snap(shape(f["geometry"]).intersection(clip))
        if g.is_empty or g.length < 0.01:
            continue
        feats.append(feature(g, {"class": "river", "name": f["properties"]["name"],
                                 "source": f["properties"]["source"]}))
    order = ["1746705575", "1746705583", "1746705369", "1746705599", "1746705567", "1746705365",
             "1746705625a", "1746705625b", "1746705713", "1746705727"]
    missing = [k for k in order if k not in nkao]
    if missing:
        raise SystemExit(f"build.py: NKAO lines missing from ne_nk_features.md: {missing}")
    feats.append(feature(snap(MultiLineString([nkao[k] for k in order])), {
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
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", default=os.path.join(repo, "..", "shared", "reference"),
                    help="folder of reference facts (default: ../shared/reference from the repository)")
    ap.add_argument("--out", default=os.path.join(repo, "geodata"), help="output folder (default: geodata/)")
    args = ap.parse_args(argv)
    ref = os.path.normpath(args.reference)
    if not os.path.isdir(ref):
        ap.error(f"reference folder not found: {ref}")
    os.makedirs(args.out, exist_ok=True)

    places = read_places(ref)
    border_lines = corrected_border_lines(load(ref, "ne_borders.geojson"))
    terr = azerbaijan_in_bbox(border_lines, places)
    control, periods, parts = build_control(ref, terr, places)

    outputs = {
        "control.geojson": control,
        "zones.geojson": build_zones(terr, parts),
        "villages.geojson": build_villages(places),
        "heights.geojson": build_heights(places, parts),
        "pipeline.geojson": build_pipeline(),
        "events.geojson": build_events(ref, places, parts),
        "basemap.geojson": build_basemap(ref, border_lines, read_nkao_lines(ref)),
    }
    for name, feats in outputs.items():
        write_fc(os.path.join(args.out, name), feats)
    with open(os.path.join(args.out, "dataset.json"), "w", encoding="utf-8") as fh:
        json.dump(build_dataset_json(), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    for name, feats in outputs.items():
        print(f"{name:18} {len(feats):3} features")
    for vf, vt, arm, _, _ in periods:
        print(f"  {vf} .. {vt or '':10}  Armenian-held {km2(arm):8.1f} km2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
