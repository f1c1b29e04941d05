#!/usr/bin/env bash
# Installs what Frontline needs on a Debian machine with Swift, skipping what is present.
#   scripts/setup.sh          libraries for building and running, the fonts the styles name (DejaVu; Noto
#                             for Armenian, Azerbaijani and Cyrillic labels), and ffmpeg (`frontline animate`)
#   scripts/setup.sh --test   also the real clients and servers the tests drive: GDAL, headless Chromium,
#                             PostgreSQL with PostGIS (scripts/postgres.sh starts a private cluster), nginx,
#                             poppler-utils (pdftotext and pdfinfo read the PDF maps back),
#                             QGIS headless (python3-qgis), OWSLib and the mapbox-vector-tile
#                             decoder (PyPI)
#   scripts/setup.sh --bench  also the peers measured by `make bench` (Shapely, pyproj; Mapnik for Debian's python3;
#                             PostgreSQL with PostGIS and nginx for the part `store`)
#   scripts/setup.sh --geodata  only the pinned Python packages of the data build (`make geodata`)
set -euo pipefail

packages=(pkg-config libgeos-dev libproj-dev proj-data libcairo2-dev libpango1.0-dev libgdal-dev libpq-dev fonts-dejavu-core fonts-noto-core zlib1g-dev libjs-leaflet python3 ffmpeg)
case "${1:-}" in
  --test) packages+=(gdal-bin chromium postgresql-15-postgis-3 nginx-light python3-qgis qgis-providers poppler-utils) ;;
  --bench) packages+=(time python3-mapnik wrk postgresql-15-postgis-3 nginx-light) ;;
  --geodata) packages=(python3 python3-venv) ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The GIS clients the tests drive from Python (PyPI): OWSLib reads WMS and WMTS capabilities.
if [[ "${1:-}" == "--test" ]]; then
  if ! python3 -c 'import owslib' 2>/dev/null; then
    echo "setup: installing OWSLib from PyPI"
    python3 -m pip install --quiet 'OWSLib>=0.29'
  fi
fi

if [[ "${1:-}" == "--bench" ]]; then
  if ! python3 -c 'import shapely, pyproj; assert shapely.__version__ >= "2"' 2>/dev/null; then
    echo "setup: installing shapely and pyproj from PyPI"
    python3 -m pip install --quiet 'shapely>=2,<3' 'pyproj>=3.6'
  fi
fi

# The second vector tile decoder of the tests (Tests/FrontlineTilesTests/VectorTileClientTests.swift),
# for the python3 on the PATH, which the tests run.
if [[ "${1:-}" == "--test" ]]; then
  if ! python3 -c 'import mapbox_vector_tile' 2>/dev/null; then
    echo "setup: installing mapbox-vector-tile from PyPI"
    python3 -m pip install --quiet 'mapbox-vector-tile>=2,<3'
  fi
fi

# The data build's pinned packages (tools/geodata/requirements.txt: the bytes of geodata/ depend on
# them), as wheels (a source build would link the system's GEOS): nothing to do when the Python that
# tools/geodata/python picks has exactly those versions, else they go into tools/geodata/.venv.
if [[ "${1:-}" == "--geodata" ]]; then
  geodata="$(cd "$(dirname "$0")/.." && pwd)/tools/geodata"
  pinned() {
    "$@" - "$geodata/requirements.txt" <<'PY' 2>/dev/null
import importlib.metadata as md, sys
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if "==" in line:
        name, version = (s.strip() for s in line.split("=="))
        if md.version(name) != version:
            sys.exit(1)
PY
  }
  if ! pinned sh "$geodata/python"; then
    echo "setup: installing the data build's pinned Python packages in tools/geodata/.venv"
    python3 -m venv --clear "$geodata/.venv"
    "$geodata/.venv/bin/python" -m pip install --quiet --disable-pip-version-check --only-binary=:all: \
      -r "$geodata/requirements.txt"
  fi
fi
