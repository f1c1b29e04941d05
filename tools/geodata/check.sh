#!/usr/bin/env bash
# make geodata-check: build the default dataset into a temporary folder and compare it,
# byte for byte, with the committed geodata/.  Fails naming the files that differ.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/geodata-check.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

sh "$root/tools/geodata/python" "$root/tools/geodata/build.py" --quiet --out "$tmp"

differ=()
for f in "$tmp"/*; do
  name="$(basename "$f")"
  if [[ ! -f "$root/geodata/$name" ]]; then
    differ+=("$name (made by the build, missing from geodata/)")
  elif ! cmp -s "$f" "$root/geodata/$name"; then
    differ+=("$name")
  fi
done
for f in "$root"/geodata/*; do
  name="$(basename "$f")"
  # SOURCES.md is written by hand; every other file must come from the build
  [[ "$name" == SOURCES.md || -e "$tmp/$name" ]] || differ+=("$name (in geodata/, not made by the build)")
done

if ((${#differ[@]})); then
  echo "geodata-check: FAILED: tools/geodata/build.py does not reproduce the committed geodata/:" >&2
  for d in "${differ[@]}"; do echo "  geodata/$d" >&2; done
  echo "See what changed with 'make geodata && git diff geodata/'; commit geodata/ together with the" >&2
  echo "inputs or code that changed it, or fix them. (build.py warns above if the pinned packages are not in use.)" >&2
  exit 1
fi
echo "geodata-check: geodata/ is exactly what tools/geodata/build.py makes from tools/geodata/inputs/ ($(ls "$tmp" | wc -l) files)"
