"""OWSLib as a client of Frontline's WMS 1.3.0 and WMTS 1.0.0.

    owslib_check.py BASE_URL
Prints one JSON line: the WMS layers, the default layer's time positions and default, the size
and format of a GetMap, the WMTS layers, their Time dimension and tile template, and a GetTile.
"""
import json, sys
from owslib.wms import WebMapService
from owslib.wmts import WebMapTileService

base = sys.argv[1]
wms = WebMapService(base + "/wms", version="1.3.0")
layer = wms["default"]
image = wms.getmap(layers=["default"], styles=[""], srs="EPSG:4326", bbox=(39.98, 46.75, 40.04, 46.85), size=(400, 300),
                   format="image/png", time="2022-03-28").read()
wmts = WebMapTileService(base + "/wmts/1.0.0/WMTSCapabilities.xml")
tiled = wmts.contents["default"]
tile = wmts.gettile(layer="default", tilematrixset="GoogleMapsCompatible", tilematrix="10", row=390, column=641,
                    format="image/png").read()
print(json.dumps({
    "wms_title": wms.identification.title,
    "wms_layers": sorted(wms.contents),
    "time_default": layer.defaulttimeposition,
    "time_positions": layer.timepositions,
    "crs": sorted(layer.crsOptions),
    "getmap_png": image[:8] == b"\x89PNG\r\n\x1a\n",
    "getmap_size": [int.from_bytes(image[16:20], "big"), int.from_bytes(image[20:24], "big")],
    "wmts_layers": sorted(wmts.contents),
    "wmts_time": tiled.dimensions.get("Time", {}),
    "wmts_template": tiled.resourceURLs[0]["template"] if tiled.resourceURLs else None,
    "gettile_png": tile[:8] == b"\x89PNG\r\n\x1a\n",
}))
