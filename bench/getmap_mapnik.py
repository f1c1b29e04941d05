#!/usr/bin/python3
"""Mapnik peer of Frontline's WMS GetMap for the `wms` part of bench/run.sh (Debian's
/usr/bin/python3, which has python3-mapnik).

    getmap_mapnik.py --data DIR --date D --style FILE.xml --views FILE --size 1024x768
                     [--processes 2] [--rounds 3] [-o OUT]
renders each view of FILE (one "minx,miny,maxx,maxy" in EPSG:3857 metres a line) --rounds
times at the size, encoding each map as a 32-bit PNG in memory (as a GetMap answer is), in N
worker processes that each load the map once, and prints "maps N seconds S". With -o it also
writes the first view's PNG there, to look at. The style's file names are relative to DIR, and
@DATE@ in it becomes D (as for bench/seed_mapnik.py).
"""
import argparse
import multiprocessing as mp
import os
import time

_map = None


def _load(xml, data, width, height):
    global _map
    import mapnik
    _map = mapnik.Map(width, height)
    mapnik.load_map_from_string(_map, xml, True, os.path.abspath(data))


def _render(box):
    import mapnik
    _map.zoom_to_box(mapnik.Box2d(*box))
    image = mapnik.Image(_map.width, _map.height)
    mapnik.render(_map, image)
    return len(image.tostring("png32"))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True)
    p.add_argument("--date", required=True)
    p.add_argument("--style", required=True)
    p.add_argument("--views", required=True)
    p.add_argument("--size", default="1024x768")
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("-o", "--output")
    args = p.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    xml = open(args.style, encoding="utf-8").read().replace("@DATE@", args.date)
    views = [tuple(float(v) for v in line.split(",")) for line in open(args.views) if line.strip()]
    if args.output:
        import mapnik
        _load(xml, args.data, width, height)
        _map.zoom_to_box(mapnik.Box2d(*views[0]))
        image = mapnik.Image(width, height)
        mapnik.render(_map, image)
        image.save(args.output, "png32")
    jobs = views * args.rounds
    started = time.monotonic()
    with mp.get_context("fork").Pool(args.processes, initializer=_load, initargs=(xml, args.data, width, height)) as pool:
        sizes = list(pool.imap_unordered(_render, jobs))
        pool.close()
        pool.join()
    print(f"maps {len(sizes)} seconds {time.monotonic() - started:.3f}")


if __name__ == "__main__":
    main()
