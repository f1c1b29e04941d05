#!/usr/bin/env python3
"""Check that Frontline's changes(A, B) agrees with the Shapely peer.

Usage::

    python3 bench/compare_changes.py FRONTLINE.geojson SHAPELY.json

FRONTLINE.geojson is what ``frontline changes --format geojson`` writes: a
FeatureCollection with one feature per (from, to) pair, whose properties are
``from``, ``to``, ``from_date``, ``to_date``, ``area_km2``, ``villages``,
``village_ids``, ``heights``, ``height_ids``. SHAPELY.json is what
``bench/changes_shapely.py`` writes: ``{"changes": [...], "total_area_km2"}``.

They agree when

* both are about the same two dates, and no pair appears twice in either;
* the total areas differ by at most ``--rel-tol`` (0.1 %);
* every pair above ``--pair-km2`` (1 km²) on either side is on both sides,
  with areas within ``--rel-tol``; smaller pairs may be missing on one side
  (they are near the --min-area cut) as long as they hold no village or height;
* each pair present on both sides has the same village ids and height ids,
  and so do the two outputs overall.

Prints a short verdict. Exit status: 0 agree, 1 disagree, 2 unreadable input.
"""

from __future__ import annotations

import argparse
import json
import sys


class InputError(Exception):
    pass


def load(path: str):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: {e}") from None


def pairs_of(records, path: str):
    """{(from, to): record}, with every record normalised to the same keys."""
    out = {}
    for i, r in enumerate(records):
        try:
            key = (str(r["from"]), str(r["to"]))
            rec = {
                "from_date": r.get("from_date"),
                "to_date": r.get("to_date"),
                "area_km2": float(r["area_km2"]),
                "village_ids": set(map(str, r.get("village_ids") or [])),
                "height_ids": set(map(str, r.get("height_ids") or [])),
            }
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"{path}: change {i}: missing or bad property ({e})") from None
        if key in out:
            raise InputError(f"{path}: pair {key[0]} -> {key[1]} appears more than once")
        out[key] = rec
    return out


def load_frontline(path: str):
    doc = load(path)
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError(f"{path}: not a GeoJSON FeatureCollection")
    return pairs_of([(f or {}).get("properties") or {} for f in doc.get("features") or []], path)


def load_shapely(path: str):
    doc = load(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("changes"), list):
        raise InputError(f"{path}: no 'changes' list")
    return pairs_of(doc["changes"], path)


def rel_diff(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return 0.0 if scale == 0 else abs(a - b) / scale


def ids_diff(kind: str, fl: set, sh: set) -> str | None:
    if fl == sh:
        return None
    only_f, only_s = sorted(fl - sh), sorted(sh - fl)
    def show(ids):
        return ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "") if ids else "-"
    return f"{kind}: only Frontline {len(only_f)} ({show(only_f)}), only Shapely {len(only_s)} ({show(only_s)})"


def compare(fl: dict, sh: dict, rel_tol: float, pair_km2: float):
    """(problems, notes, table rows)."""
    problems, notes, rows = [], [], []

    dates = {(r["from_date"], r["to_date"]) for r in list(fl.values()) + list(sh.values())}
    if len(dates) > 1:
        problems.append("the outputs are about different dates: " +
                        ", ".join(f"{a} -> {b}" for a, b in sorted(dates, key=str)))

    for key in sorted(set(fl) | set(sh)):
        f, s = fl.get(key), sh.get(key)
        name = f"{key[0]} -> {key[1]}"
        fa = f["area_km2"] if f else None
        sa = s["area_km2"] if s else None
        status = "ok"
        if f is None or s is None:
            present, side = (f, "Frontline") if f else (s, "Shapely")
            area = present["area_km2"]
            if area > pair_km2:
                problems.append(f"{name}: {area:.3f} km² only in {side}")
                status = "MISSING"
            else:
                notes.append(f"{name}: {area:.4f} km² only in {side} (under {pair_km2:g} km², tolerated)")
                status = "small"
            if present["village_ids"] or present["height_ids"]:
                problems.append(f"{name}: only in {side}, with {len(present['village_ids'])} villages "
                                f"and {len(present['height_ids'])} heights")
                status = "MISSING"
        else:
            d = rel_diff(fa, sa)
            if max(fa, sa) > pair_km2 and d > rel_tol:
                problems.append(f"{name}: area {fa:.3f} vs {sa:.3f} km² ({d * 100:.3f} %)")
                status = "AREA"
            for kind in ("village_ids", "height_ids"):
                msg = ids_diff(kind, f[kind], s[kind])
                if msg:
                    problems.append(f"{name}: {msg}")
                    status = "IDS"
        rows.append((name, fa, sa, len((f or s)["village_ids"]), status))

    tf, ts = sum(r["area_km2"] for r in fl.values()), sum(r["area_km2"] for r in sh.values())
    d = rel_diff(tf, ts)
    if d > rel_tol:
        problems.append(f"total area {tf:.3f} vs {ts:.3f} km² ({d * 100:.3f} %)")
    rows.append(("total", tf, ts, None, f"{d * 100:.4f} %"))

    for kind in ("village_ids", "height_ids"):
        all_f = set().union(*(r[kind] for r in fl.values()))
        all_s = set().union(*(r[kind] for r in sh.values()))
        msg = ids_diff(kind + " overall", all_f, all_s)
        if msg:
            problems.append(msg)
    return problems, notes, rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Compare Frontline's changes GeoJSON with the Shapely peer's JSON.")
    ap.add_argument("frontline", help="FeatureCollection written by `frontline changes --format geojson`")
    ap.add_argument("shapely", help="JSON written by bench/changes_shapely.py")
    ap.add_argument("--rel-tol", type=float, default=0.001, help="relative area tolerance (default 0.001 = 0.1 %%)")
    ap.add_argument("--pair-km2", type=float, default=1.0,
                    help="pairs above this area must match in area (default 1 km²)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the verdict")
    args = ap.parse_args(argv)

    try:
        fl, sh = load_frontline(args.frontline), load_shapely(args.shapely)
    except InputError as e:
        print(f"compare: error: {e}", file=sys.stderr)
        return 2
    problems, notes, rows = compare(fl, sh, args.rel_tol, args.pair_km2)

    if not args.quiet:
        print(f"  {'pair':18s} {'Frontline km²':>14s} {'Shapely km²':>14s} {'villages':>8s}  status")
        for name, fa, sa, nv, status in rows:
            fmt = lambda v: f"{v:14.3f}" if v is not None else f"{'-':>14s}"  # noqa: E731
            print(f"  {name:18s} {fmt(fa)} {fmt(sa)} {'' if nv is None else nv:>8}  {status}")
        for n in notes:
            print(f"  note: {n}")
    if problems:
        print(f"compare: DISAGREE ({len(problems)} problem(s))")
        for p in problems:
            print(f"  - {p}")
        return 1
    print(f"compare: AGREE ({len(sh)} Shapely / {len(fl)} Frontline pairs, "
          f"area within {args.rel_tol * 100:g} %, same villages and heights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
