#!/usr/bin/env bash
# make geodata-check: build the default dataset into a temporary folder and compare it,
# byte for byte, with the committed geodata/, sub-folders included (control/ is a record of
# nested files).  Fails naming the files that differ.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/geodata-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

sh "$root/tools/geodata/python" "$root/tools/geodata/build.py" --quiet --out "$tmp"

# every file, as a path relative to its folder, in a stable order
# control/.lock and control/.cache/ are a record writer's lock and derived checkpoints, not data.
files() { (cd "$1" && find . -type f ! -path './control/.cache/*' ! -path './control/.lock' | sed 's|^\./||' | LC_ALL=C sort); }

differ=()
made=0
while IFS= read -r name; do
  made=$((made + 1))
  if [[ ! -f "$root/geodata/$name" ]]; then
    differ+=("$name (made by the build, missing from geodata/)")
  elif ! cmp -s "$tmp/$name" "$root/geodata/$name"; then
    differ+=("$name")
  fi
done < <(files "$tmp")
while IFS= read -r name; do
  # SOURCES.md is written by hand; every other file must come from the build
  [[ "$name" == SOURCES.md || -f "$tmp/$name" ]] || differ+=("$name (in geodata/, not made by the build)")
done < <(files "$root/geodata")

if ((${#differ[@]})); then
  echo "geodata-check: FAILED: tools/geodata/build.py does not reproduce the committed geodata/:" >&2
  for d in "${differ[@]}"; do echo "  geodata/$d" >&2; done
  echo "See what changed with 'make geodata && git status geodata/ && git diff geodata/'; commit geodata/" >&2
  echo "together with the inputs or code that changed it, or fix them. (build.py warns above if the pinned" >&2
  echo "packages are not in use.)" >&2
  exit 1
fi
echo "geodata-check: geodata/ is exactly what tools/geodata/build.py makes from tools/geodata/inputs/ ($made files)"
