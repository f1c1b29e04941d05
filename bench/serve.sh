#!/usr/bin/env bash
# Part "serve" of `make bench`: `frontline serve` on loopback.
#   bench/serve.sh BIN      BIN = a release build of frontline
# Measures, in one run on the default dataset (zooms 8-12 over its bbox):
#   cold tiles   every tile requested once by 4 keep-alive clients (as a web map asks for several
#                tiles at once), against `frontline seed`
#                writing the same tiles (tiles/s; target: serve >= 90 % of seed)
#   cached tiles wrk (2 threads, 64 connections, 10 s) over the same URLs: requests/s and p99
#                (targets: >= 20,000/s, p99 < 10 ms)
#   memory       the server's resident size after warm-up and after 100,000 more requests
#                (target: at most 1.1x)
set -euo pipefail
BIN="${1:?usage: bench/serve.sh FRONTLINE_BIN}"
PORT="${BENCH_PORT:-18089}"
WORK=".build/bench-serve"
rm -rf "$WORK" && mkdir -p "$WORK"
command -v wrk > /dev/null || { echo "bench serve: wrk not found: run scripts/setup.sh --bench" >&2; exit 1; }

DATE=2022-03-26
BBOX=45.9,39.3,47.5,40.5
echo "bench serve: seeding the same tiles with frontline seed (zooms 8-12)"
/usr/bin/time -f "%e %U %S" -o "$WORK/seed.time" "$BIN" seed --date "$DATE" --zoom 8-12 --bbox "$BBOX" -o "$WORK/seed" 2> /dev/null
( cd "$WORK/seed" && find . -name '*.png' | sed "s|^\./|/styles/default/$DATE/|" | sort ) > "$WORK/urls.txt"
TILES=$(wc -l < "$WORK/urls.txt")

"$BIN" serve --port "$PORT" --cache-mib 512 > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done
rss() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }

# Cold: each tile once, four keep-alive clients, so that both render workers always have work.
python3 - "$PORT" "$WORK/urls.txt" > "$WORK/cold.txt" <<'PY'
import http.client, sys, threading, time
port, urls = int(sys.argv[1]), [u.strip() for u in open(sys.argv[2]) if u.strip()]
failed = []
def fetch(part):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for u in part:
        c.request("GET", u); r = c.getresponse(); body = r.read()
        if r.status != 200 or not body.startswith(b"\x89PNG"): failed.append(u)
start = time.perf_counter()
threads = [threading.Thread(target=fetch, args=(urls[i::4],)) for i in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print(f"{time.perf_counter() - start:.3f} {len(failed)}")
PY
read -r COLD_S COLD_FAILED < "$WORK/cold.txt"
RSS_WARM=$(rss)

# Cached: wrk over the same URLs.
cat > "$WORK/urls.lua" <<LUA
local urls = {}
for line in io.lines("$WORK/urls.txt") do urls[#urls + 1] = line end
local i = 0
request = function()
  i = i % #urls + 1
  return wrk.format("GET", urls[i])
end
LUA
wrk -t2 -c64 -d10s --latency -s "$WORK/urls.lua" "http://127.0.0.1:$PORT" > "$WORK/wrk.txt"
# More requests until at least 100,000 have been served since the warm-up, then the memory again.
DONE=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
while (( DONE < 100000 )); do
  wrk -t2 -c64 -d5s -s "$WORK/urls.lua" "http://127.0.0.1:$PORT" > "$WORK/wrk-more.txt"
  DONE=$(( DONE + $(awk '/requests in/ {print $1}' "$WORK/wrk-more.txt") ))
done
RSS_AFTER=$(rss)

python3 - "$WORK" "$TILES" "$COLD_S" "$COLD_FAILED" "$RSS_WARM" "$RSS_AFTER" "$DONE" <<'PY'
import re, sys
work, tiles, cold_s, cold_failed, rss_warm, rss_after, done = sys.argv[1:]
tiles, cold_s, rss_warm, rss_after, done = int(tiles), float(cold_s), int(rss_warm), int(rss_after), int(done)
seed_wall = float(open(f"{work}/seed.time").read().split()[0])
wrk = open(f"{work}/wrk.txt").read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
def ms(v, unit): return float(v) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p99 = ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", wrk).groups())
cold_rate, seed_rate = tiles / cold_s, tiles / seed_wall
print(f"\nserve: {tiles} tiles of the default dataset, zooms 8-12, {sys.argv[1]}")
print(f"  cold tiles     {cold_rate:8.1f} tiles/s  (frontline seed {seed_rate:.1f} tiles/s; ratio {cold_rate / seed_rate:.2f}, target >= 0.90; {cold_failed} failed)")
print(f"  cached tiles   {rps:8.0f} requests/s, p99 {p99:.2f} ms  (targets >= 20,000/s, p99 < 10 ms)")
print(f"  memory         {rss_warm / 1024:.1f} MiB after warm-up, {rss_after / 1024:.1f} MiB after {done:,} more requests (ratio {rss_after / rss_warm:.2f}, target <= 1.10)")
PY
