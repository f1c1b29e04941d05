#!/usr/bin/env bash
# Installs what Frontline needs on a Debian machine with Swift, skipping what is present.
#   scripts/setup.sh          libraries for building and running
#   scripts/setup.sh --test   also the real clients the tests drive: GDAL and headless Chromium
#   scripts/setup.sh --bench  also the peers measured by `make bench` (Shapely, pyproj; Mapnik for Debian's python3)
set -euo pipefail

packages=(pkg-config libgeos-dev libproj-dev proj-data libcairo2-dev libpango1.0-dev fonts-dejavu-core zlib1g-dev libjs-leaflet python3)
case "${1:-}" in
  --test) packages+=(gdal-bin chromium) ;;
  --bench) packages+=(time python3-mapnik wrk) ;;
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

if [[ "${1:-}" == "--bench" ]]; then
  if ! python3 -c 'import shapely, pyproj; assert shapely.__version__ >= "2"' 2>/dev/null; then
    echo "setup: installing shapely and pyproj from PyPI"
    python3 -m pip install --quiet 'shapely>=2,<3' 'pyproj>=3.6'
  fi
fi
