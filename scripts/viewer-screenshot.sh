#!/usr/bin/env bash
# Loads the viewer in headless Chromium against a running `frontline serve` and saves a
# screenshot, to look at what a user sees:
#   scripts/viewer-screenshot.sh [URL] [OUT.png]
# Installs Debian's chromium when missing. Fails when the page comes out blank.
set -euo pipefail
URL="${1:-http://127.0.0.1:8080/#date=2022-03-26&style=default&from=2022-03-01}"
OUT="${2:-viewer.png}"
if ! command -v chromium > /dev/null; then
  apt-get install -y -qq --no-install-recommends chromium > /dev/null
fi
rm -f "$OUT"
chromium --headless=new --no-sandbox --disable-gpu --window-size=1280,800 \
  --virtual-time-budget=8000 --screenshot="$OUT" "$URL" 2> /dev/null || true
[[ -s "$OUT" ]] || { echo "viewer-screenshot: no screenshot was written" >&2; exit 1; }
# A blank page compresses to a few kilobytes; a map with tiles and panels to far more.
size=$(stat -c %s "$OUT")
(( size > 40000 )) || { echo "viewer-screenshot: $OUT looks blank ($size bytes)" >&2; exit 1; }
echo "viewer-screenshot: $OUT ($size bytes) from $URL"
