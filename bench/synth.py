#!/usr/bin/env python3
"""Deterministic synthetic dataset generator for the Frontline benchmark.

Writes a dataset folder that follows the Frontline data contract
(see PRODUCT.md, "The data contract"):

    dataset.json       title, attribution, licence, 3 parties, key dates, extent, bbox
    control.geojson    one Polygon per party per date (valid_from/valid_to)
    villages.geojson   Points with id, name, names, population
    heights.geojson    Points with id, name, elevation_m
    zones.geojson      2 zones (a peacekeeping area and a temporary corridor)
    pipeline.geojson   one long LineString crossing both fronts, with status_events

Geometry
--------
The bbox (default 40-50 E, 35-41 N) is split on every date by two fronts:

* front 1 is an x-monotone polyline from the west edge to the east edge
  (``north`` holds the ground above it);
* front 2 is a y-monotone polyline from a fixed junction vertex on front 1
  down to the top of a strip along the southern edge; ``south`` holds the
  ground west of it, ``east`` the ground east of it;
* the strip along the southern edge is held by nobody (the party ``none`` of
  the analyses: bbox minus the union of all parties). Its border is an
  x-monotone line too, on which front 2 ends; now and then ``south`` pushes
  into the strip or pulls back, so ``none`` takes part in the changes.

Because front 1 is x-monotone and front 2 is y-monotone, neither can cross
itself; front 2 stays inside a window around the junction where front 1 is
kept almost straight, so the two fronts cannot cross each other (this is
checked before anything is written). Adjacent polygons are built from the
very same rounded front vertices, so they share edges exactly: no overlap,
no gap. Outer rings are counter-clockwise (RFC 7946).

Each front is a sum of sines plus a small fixed per-vertex jitter (all drawn
from the seed). From one date to the next, a few compactly supported bumps
push parts of each front forward or back (cumulatively), so ground changes
hands between every pair of dates while the rest of the line keeps exactly
the same coordinates. Each date also "redraws" a short stretch of front 1
and of the border of ``east`` by a few decimetres, which makes slivers far
below the 0.01 km2 default ``--min-area`` (east <-> none holds nothing else).

Standard library only. The output depends only on the arguments.

Example::

    python3 bench/synth.py --out .build/bench-data --seed 42
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import math
import os
import random
import sys
import time

GENERATOR_VERSION = "1"

PARTIES = [
    {"id": "north", "name": "Northern Forces"},
    {"id": "south", "name": "Southern Forces"},
    {"id": "east", "name": "Eastern Forces"},
]

# Default geography: bbox [W, S, E, N].
WEST, SOUTH, EAST, NORTH = 40.0, 35.0, 50.0, 41.0
STRIP_TOP = 35.25          # the southern strip [SOUTH, STRIP_TOP] is held by nobody
JUNCTION_X = 46.0          # where front 2 meets front 1 (a vertex of front 1)
JUNCTION_Y = 38.5          # front 1 passes exactly through (JUNCTION_X, JUNCTION_Y)
FRONT1_CALM = 0.45         # |x - JUNCTION_X| below this: front 1 is nearly straight
FRONT1_CALM_RAMP = 0.4     # ... and its wiggle ramps up over this much further
FRONT2_TOP_BAND = 0.3      # front 2 straightens over this band below the junction
FRONT2_MAX_DX = 0.45       # front 2 stays within JUNCTION_X +- this
BORDER_KEEP_OUT = 0.5      # the border does not move within this of the foot of front 2
JITTER = 0.0002            # per-vertex jitter of the fronts (degrees, ~20 m)
DECIMALS = 6


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------

def smoothstep(t: float) -> float:
    """0 for t <= 0, 1 for t >= 1, a smooth S-curve in between."""
    if t <= 0.0:
        return 0.0
    if t >= 1.0:
        return 1.0
    return t * t * (3.0 - 2.0 * t)


def add_bump(values: list[float], grid: list[float], center: float, half_width: float,
             amplitude: float) -> None:
    """Add a raised-cosine bump (exactly zero outside center +- half_width) in place."""
    lo = bisect.bisect_left(grid, center - half_width)
    hi = bisect.bisect_right(grid, center + half_width)
    for i in range(lo, hi):
        u = (grid[i] - center) / half_width
        if -1.0 < u < 1.0:
            values[i] += amplitude * 0.5 * (1.0 + math.cos(math.pi * u))


def sines(rng: random.Random, span: float, total_amplitude: float, terms: int):
    """Return (amplitude, angular frequency, phase) triples of a random sum of sines.

    Amplitudes fall off with frequency and add up to ``total_amplitude``.
    """
    raw = []
    for _ in range(terms):
        cycles = rng.uniform(0.5, 80.0)
        raw.append((rng.uniform(0.5, 1.0) / cycles ** 0.7, 2.0 * math.pi * cycles / span,
                    rng.uniform(0.0, 2.0 * math.pi)))
    scale = total_amplitude / sum(a for a, _, _ in raw)
    return [(a * scale, w, p) for a, w, p in raw]


def eval_sines(terms, t: float) -> float:
    return sum(a * math.sin(w * t + p) for a, w, p in terms)


def add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    return dt.date(d.year + m // 12, m % 12 + 1, min(d.day, 28))


def r6(x: float) -> float:
    return round(x, DECIMALS)


def ring_area(ring) -> float:
    """Signed planar area (shoelace); > 0 for a counter-clockwise ring."""
    s = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        s += x0 * y1 - x1 * y0
    return s / 2.0


# --------------------------------------------------------------------------
# fronts
# --------------------------------------------------------------------------

class Fronts:
    """Base shape and per-date displacement of the two fronts."""

    def __init__(self, rng: random.Random, n1: int, n2: int):
        if n1 < 3 or n2 < 3:
            raise ValueError("fronts need at least 3 vertices")
        # Front 1: x grid with JUNCTION_X exactly on a grid point.
        step = (EAST - WEST) / (n1 - 1)
        self.x1 = [WEST + i * step for i in range(n1)]
        self.j1 = min(range(n1), key=lambda i: abs(self.x1[i] - JUNCTION_X))
        self.x1[self.j1] = JUNCTION_X
        wiggle1 = sines(rng, EAST - WEST, 0.9, 14)
        self.base1 = []
        for x in self.x1:
            d = abs(x - JUNCTION_X)
            calm = smoothstep((d - FRONT1_CALM) / FRONT1_CALM_RAMP)
            jit = JITTER * rng.uniform(-1.0, 1.0) * min(1.0, d / 0.01)
            self.base1.append(JUNCTION_Y + calm * eval_sines(wiggle1, x) + jit)
        self.base1[self.j1] = JUNCTION_Y

        # Front 2: y grid from STRIP_TOP (bottom) to JUNCTION_Y (top).
        step = (JUNCTION_Y - STRIP_TOP) / (n2 - 1)
        self.y2 = [STRIP_TOP + i * step for i in range(n2)]
        self.y2[-1] = JUNCTION_Y
        wiggle2 = sines(rng, JUNCTION_Y - STRIP_TOP, 0.25, 12)
        self.taper2 = [smoothstep((JUNCTION_Y - y) / FRONT2_TOP_BAND) for y in self.y2]
        self.base2 = []
        for y, s in zip(self.y2, self.taper2):
            jit = JITTER * rng.uniform(-1.0, 1.0)
            self.base2.append(JUNCTION_X + s * (eval_sines(wiggle2, y) + jit))
        self.base2[-1] = JUNCTION_X

        # Border of the southern strip: x-monotone, straight at STRIP_TOP until
        # bumps move it; front 2 ends on one of its vertices.
        self.x2b = r6(self.base2[0])
        n3 = max(3, n1 // 10)
        step = (EAST - WEST) / (n3 - 1)
        self.x3 = sorted({WEST + i * step for i in range(n3) if abs(WEST + i * step - self.x2b) > step / 2}
                         | {self.x2b})
        self.j3 = self.x3.index(self.x2b)

        # Cumulative displacement (front 1 in y, front 2 in x, border in y).
        self.disp1 = [0.0] * n1
        self.disp2 = [0.0] * n2
        self.disp3 = [0.0] * len(self.x3)

    def move(self, rng: random.Random) -> None:
        """Advance/retreat a few stretches of both fronts (cumulative)."""
        for _ in range(rng.randint(3, 5)):
            hw = rng.uniform(0.1, 0.6)
            while True:
                c = rng.uniform(WEST + 0.1 + hw, EAST - 0.1 - hw)
                if abs(c - JUNCTION_X) > FRONT1_CALM + hw:
                    break
            amp = rng.choice((-1, 1)) * rng.uniform(0.01, 0.08)
            i = bisect.bisect_left(self.x1, c)
            if abs(self.disp1[i] + amp) > 0.3:
                amp = -amp
            add_bump(self.disp1, self.x1, c, hw, amp)
        for _ in range(rng.randint(2, 4)):
            hw = rng.uniform(0.1, 0.4)
            c = rng.uniform(STRIP_TOP + 0.25 + hw, JUNCTION_Y - FRONT2_TOP_BAND - 0.1 - hw)
            amp = rng.choice((-1, 1)) * rng.uniform(0.01, 0.06)
            i = bisect.bisect_left(self.y2, c)
            if abs(self.disp2[i] + amp) > 0.15:
                amp = -amp
            add_bump(self.disp2, self.y2, c, hw, amp)
        # Now and then ``south`` pushes into the neighbouring state or pulls back.
        for _ in range(rng.choice((0, 1, 1, 2))):
            hw = rng.uniform(0.1, 0.3)
            c = rng.uniform(WEST + 0.3 + hw, self.x2b - BORDER_KEEP_OUT - hw)
            amp = rng.choice((-1, 1)) * rng.uniform(0.01, 0.05)
            i = bisect.bisect_left(self.x3, c)
            if abs(self.disp3[i] + amp) > 0.12:
                amp = -amp
            add_bump(self.disp3, self.x3, c, hw, amp)
        self.disp1 = [max(-0.3, min(0.3, v)) for v in self.disp1]
        self.disp2 = [max(-0.15, min(0.15, v)) for v in self.disp2]
        self.disp3 = [max(-0.12, min(0.12, v)) for v in self.disp3]

    def snapshot(self, rng: random.Random):
        """Rounded vertex lists of front 1, front 2 and the border on the current date.

        A short stretch of front 1 and one of the border are redrawn by a few
        decimetres (not carried to the next date): slivers far below the
        default --min-area.
        """
        redraw1 = [0.0] * len(self.x1)
        hw = rng.uniform(0.05, 0.15)
        while True:
            c = rng.uniform(WEST + 0.1 + hw, EAST - 0.1 - hw)
            if abs(c - JUNCTION_X) > FRONT1_CALM + hw:
                break
        add_bump(redraw1, self.x1, c, hw, rng.choice((-1, 1)) * rng.uniform(1e-6, 4e-6))
        # The border of ``east`` never really moves, it is only redrawn: so the
        # pairs east -> none and none -> east hold nothing but slivers.
        redraw3 = [0.0] * len(self.x3)
        hw = rng.uniform(0.05, 0.15)
        c = rng.uniform(self.x2b + BORDER_KEEP_OUT + hw, EAST - 0.3 - hw)
        add_bump(redraw3, self.x3, c, hw, rng.choice((-1, 1)) * rng.uniform(1e-6, 4e-6))
        f1 = [(r6(x), r6(b + d + e)) for x, b, d, e in zip(self.x1, self.base1, self.disp1, redraw1)]
        f2 = [(r6(b + s * d), r6(y)) for y, b, s, d in zip(self.y2, self.base2, self.taper2, self.disp2)]
        f3 = [(r6(x), r6(STRIP_TOP + d + e)) for x, d, e in zip(self.x3, self.disp3, redraw3)]
        f1[self.j1] = (JUNCTION_X, JUNCTION_Y)
        f2[-1] = (JUNCTION_X, JUNCTION_Y)
        f3[self.j3] = f2[0]
        check_fronts(f1, f2, f3)
        return f1, f2, f3


def y_at(line, xs, x: float) -> float:
    """y of an x-monotone polyline at x (linear interpolation)."""
    i = min(max(bisect.bisect_right(xs, x) - 1, 0), len(line) - 2)
    (xa, ya), (xb, yb) = line[i], line[i + 1]
    return ya + (yb - ya) * (x - xa) / (xb - xa)


def check_fronts(f1, f2, f3) -> None:
    """Fail loudly if the lines leave the bbox, stop being monotone or cross."""
    for line, name in ((f1, "front 1"), (f3, "the border")):
        for (xa, _), (xb, _) in zip(line, line[1:]):
            if not xa < xb:
                raise AssertionError(f"{name} is not x-monotone")
        if line[0][0] != WEST or line[-1][0] != EAST:
            raise AssertionError(f"{name} does not run from the west edge to the east edge")
    if not all(SOUTH + 0.05 < y < STRIP_TOP + 0.2 for _, y in f3):
        raise AssertionError("the border leaves its band")
    for (_, ya), (_, yb) in zip(f2, f2[1:]):
        if not ya < yb:
            raise AssertionError("front 2 is not y-monotone")
    if not all(STRIP_TOP + 0.05 < y < NORTH - 0.05 for _, y in f1):
        raise AssertionError("front 1 leaves the bbox")
    if not all(WEST + 0.05 < x < EAST - 0.05 for x, _ in f2):
        raise AssertionError("front 2 leaves the bbox")
    # Every vertex of front 2 but the junction lies strictly below front 1, and
    # front 1 is flat (within the jitter) where front 2 runs, so no segment can cross.
    xs1, xs3 = [x for x, _ in f1], [x for x, _ in f3]
    for x, y in f2[:-1]:
        if not y < y_at(f1, xs1, x) - 1e-6:
            raise AssertionError(f"front 2 touches front 1 near ({x}, {y})")
    for x, y in f2[1:]:
        if not y > y_at(f3, xs3, x) + 1e-6:
            raise AssertionError(f"front 2 touches the border near ({x}, {y})")
    if f2[0] not in f3:
        raise AssertionError("front 2 does not end on a vertex of the border")
    # front 1 stays far above the border band (checked above: > STRIP_TOP + 0.05 vs < STRIP_TOP + 0.2)
    if min(y for _, y in f1) <= STRIP_TOP + 0.5:
        raise AssertionError("front 1 comes too close to the border")
    if max(abs(x - JUNCTION_X) for x, _ in f2) > FRONT2_MAX_DX:
        raise AssertionError("front 2 leaves the calm window of front 1")


def party_rings(f1, f2, f3, j1: int, j3: int):
    """Counter-clockwise closed outer rings of north, south and east for one date.

    All three are cut from the same vertex lists, so neighbours share edges exactly.
    """
    west1, east1 = f1[: j1 + 1], f1[j1:]          # both include the junction
    west3, east3 = f3[: j3 + 1], f3[j3:]          # both include the foot of front 2
    north = f1 + [(EAST, NORTH), (WEST, NORTH), f1[0]]
    south = west3 + f2[1:] + west1[-2::-1] + [west3[0]]
    east = east3 + east1[::-1] + f2[-2::-1]
    rings = {"north": north, "south": south, "east": east}
    for pid, ring in rings.items():
        if ring[0] != ring[-1] or ring_area(ring) <= 0:
            raise AssertionError(f"ring of {pid} is not a closed counter-clockwise ring")
    return rings


# --------------------------------------------------------------------------
# point layers
# --------------------------------------------------------------------------

SYLLABLES = ["ka", "ra", "shen", "ber", "dag", "lu", "min", "var", "tal", "zor", "ak", "gol",
             "nor", "sar", "vin", "chay", "dzor", "ash", "ter", "mar", "kend", "li", "ov", "har"]


def make_name(rng: random.Random, used: set[str]) -> str:
    """A new made-up name (numbered once the syllable combinations run short)."""
    for attempt in range(1000):
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        if attempt > 20:
            name += f" {len(used) + 1}"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("cannot make a new name")


def front1_y(fronts: Fronts, x: float) -> float:
    i = min(bisect.bisect_left(fronts.x1, x), len(fronts.x1) - 1)
    return fronts.base1[i]


def front2_x(fronts: Fronts, y: float) -> float:
    i = min(bisect.bisect_left(fronts.y2, y), len(fronts.y2) - 1)
    return fronts.base2[i]


def random_site(rng: random.Random, fronts: Fronts, near_share: float, spread: float):
    """A point: near front 1, near front 2, or anywhere in the bbox."""
    u = rng.random()
    if u < near_share * 0.7:
        x = rng.uniform(WEST + 0.01, EAST - 0.01)
        y = front1_y(fronts, x) + rng.gauss(0.0, spread)
    elif u < near_share:
        y = rng.uniform(STRIP_TOP + 0.01, JUNCTION_Y - 0.05)
        x = front2_x(fronts, y) + rng.gauss(0.0, spread)
    else:
        x, y = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
    x = min(max(x, WEST + 0.001), EAST - 0.001)
    y = min(max(y, SOUTH + 0.001), NORTH - 0.001)
    return [r6(x), r6(y)]


def villages(rng: random.Random, fronts: Fronts, count: int):
    used: set[str] = set()
    feats = []
    for i in range(count):
        name = make_name(rng, used)
        feats.append(point_feature(random_site(rng, fronts, 0.45, 0.06), {
            "id": f"v{i + 1:05d}",
            "name": name,
            "names": {"en": name, "hy": name + "avan", "az": name + "kənd", "ru": name + "ovo"},
            "population": int(rng.lognormvariate(6.0, 1.2)),
        }))
    return feats


def heights(rng: random.Random, fronts: Fronts, count: int):
    used: set[str] = set()
    feats = []
    for i in range(count):
        feats.append(point_feature(random_site(rng, fronts, 0.5, 0.05), {
            "id": f"h{i + 1:04d}",
            "name": "Height " + make_name(rng, used),
            "elevation_m": rng.randint(400, 3600),
        }))
    return feats


def point_feature(coords, props):
    return {"type": "Feature", "properties": props, "geometry": {"type": "Point", "coordinates": coords}}


def box_ring(w, s, e, n):
    return [[w, s], [e, s], [e, n], [w, n], [w, s]]


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------

def write_collection(path: str, features, name: str) -> None:
    """A FeatureCollection with one compact feature per line."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"type":"FeatureCollection","name":%s,"features":[\n' % json.dumps(name))
        for i, feat in enumerate(features):
            if i:
                f.write(",\n")
            f.write(json.dumps(feat, separators=(",", ":"), ensure_ascii=False))
        f.write("\n]}\n")


def generate(args) -> dict[str, float]:
    rng = random.Random(args.seed)
    start = dt.date.fromisoformat(args.start)
    dates = [add_months(start, i) for i in range(args.dates)]
    iso = [d.isoformat() for d in dates]
    os.makedirs(args.out, exist_ok=True)

    fronts = Fronts(random.Random(rng.random()), args.front_vertices + 1, args.front_vertices)
    move_rng = random.Random(rng.random())
    redraw_rng = random.Random(rng.random())

    # control.geojson, one date at a time
    control = []
    for i, date in enumerate(iso):
        if i:
            fronts.move(move_rng)
        f1, f2, f3 = fronts.snapshot(redraw_rng)
        rings = party_rings(f1, f2, f3, fronts.j1, fronts.j3)
        valid_to = iso[i + 1] if i + 1 < len(iso) else None
        for party in PARTIES:
            control.append({
                "type": "Feature",
                "properties": {
                    "controlled_by": party["id"],
                    "valid_from": date,
                    "valid_to": valid_to,
                    "source": f"synthetic front lines, generator v{GENERATOR_VERSION}, seed {args.seed}",
                },
                "geometry": {"type": "Polygon", "coordinates": [rings[party["id"]]]},
            })
    write_collection(os.path.join(args.out, "control.geojson"), control, "control")

    pt_rng = random.Random(rng.random())
    write_collection(os.path.join(args.out, "villages.geojson"), villages(pt_rng, fronts, args.villages), "villages")
    write_collection(os.path.join(args.out, "heights.geojson"), heights(pt_rng, fronts, args.heights), "heights")

    mid = iso[len(iso) // 3]
    late = iso[(2 * len(iso)) // 3]
    zones = [
        {"type": "Feature", "properties": {"name": "Junction peacekeeping area", "kind": "peacekeeping",
                                           "valid_from": iso[0], "valid_to": None},
         "geometry": {"type": "Polygon", "coordinates": [box_ring(45.4, 37.9, 46.6, 39.1)]}},
        {"type": "Feature", "properties": {"name": "Eastern corridor", "kind": "corridor",
                                           "valid_from": mid, "valid_to": late},
         "geometry": {"type": "Polygon", "coordinates": [box_ring(47.5, STRIP_TOP, 47.7, 39.6)]}},
    ]
    write_collection(os.path.join(args.out, "zones.geojson"), zones, "zones")

    # none strip -> south -> (front 2) -> east -> (front 1) -> north
    knots = [(41.0, 35.1), (43.5, 36.2), (47.2, 37.0), (48.0, 39.2), (48.6, 40.6)]
    line = []
    per_leg = 100
    for (xa, ya), (xb, yb) in zip(knots, knots[1:]):
        for k in range(per_leg):
            t = k / per_leg
            wob = 0.02 * math.sin(2.0 * math.pi * 3.0 * t)
            line.append([r6(xa + (xb - xa) * t - wob * (yb - ya) / 3.0),
                         r6(ya + (yb - ya) * t + wob * (xb - xa) / 3.0)])
    line.append(list(knots[-1]))
    n = len(line) - 1
    events = []
    for i, date in enumerate(iso):
        if i % 3 == 1:
            events.append({"date": date, "status": "cut", "location": line[n // 2]})
        elif i % 3 == 2:
            events.append({"date": date, "status": "flowing"})
    pipeline = [{"type": "Feature",
                 "properties": {"name": "Trans-front gas pipeline",
                                "status_events": [{"date": iso[0], "status": "flowing"}] + events},
                 "geometry": {"type": "LineString", "coordinates": line}}]
    write_collection(os.path.join(args.out, "pipeline.geojson"), pipeline, "pipeline")

    end = add_months(dates[-1], 1) - dt.timedelta(days=1)   # the last date holds for a month
    dataset = {
        "title": f"Frontline synthetic benchmark (seed {args.seed})",
        "attribution": "Synthetic data generated by bench/synth.py; no real places",
        "license": "CC0-1.0",
        "parties": PARTIES,
        "key_dates": [{"date": d.isoformat(), "label": d.strftime("%B %Y")} for d in dates],
        "temporal_extent": [iso[0], end.isoformat()],
        "default_date": iso[-1],
        "bbox": [WEST, SOUTH, EAST, NORTH],
        "generator": {"name": "bench/synth.py", "version": GENERATOR_VERSION, "seed": args.seed,
                      "dates": args.dates, "front_vertices": args.front_vertices,
                      "villages": args.villages, "heights": args.heights},
    }
    with open(os.path.join(args.out, "dataset.json"), "w", encoding="utf-8") as f:
        json.dump(dataset, f, indent=2, ensure_ascii=False)
        f.write("\n")
    written = ["dataset.json", "control.geojson", "villages.geojson", "heights.geojson",
               "zones.geojson", "pipeline.geojson"]
    return {name: os.path.getsize(os.path.join(args.out, name)) for name in written}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(
        description="Generate a deterministic synthetic Frontline dataset (3 parties, 2 moving fronts, "
                    "a no-man's strip, villages, heights, zones, a pipeline).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument("--seed", type=int, default=42, help="random seed; same seed, same bytes")
    p.add_argument("--dates", type=int, default=12, help="number of monthly dates")
    p.add_argument("--start", default="2021-01-01", help="first date (YYYY-MM-DD)")
    p.add_argument("--front-vertices", type=int, default=20000, help="vertices per front polyline")
    p.add_argument("--villages", type=int, default=5000, help="number of villages")
    p.add_argument("--heights", type=int, default=200, help="number of heights")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    args = p.parse_args(argv)
    if args.dates < 2:
        p.error("--dates must be at least 2")
    t0 = time.perf_counter()
    sizes = generate(args)
    if not args.quiet:
        for name, size in sizes.items():
            print(f"  {name:18s} {size / 1e6:8.2f} MB")
        print(f"synth: wrote {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
