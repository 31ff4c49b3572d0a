#!/usr/bin/env bash
# Latency of matching, one request at a time: the matches of 40 judged listings
# (/api/listings/{id}/matches) and 40 free-text needs in Chinese and English (/api/match), each
# computed (GBA_SEARCH_CACHE=0), after 5 warm-up requests. Prints the median and p90 of each.
# Usage: [GBA_CORPUS=/tmp/gba-corpus-100000] benches/load/matches.sh
source "$(dirname "$0")/common.sh"
port=18084
GBA_SEARCH_CACHE=0 start_server $port
python3 - "$port" <<'PY'
import json, statistics, sys, time, urllib.parse, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
rel = "tests/relevance/"
ids = [c["listing"] for c in map(json.loads, open(rel + "matches.jsonl")) if c["type"] == "listing"][:40]
needs = list(map(json.loads, open(rel + "parity_needs.jsonl")))
texts = [n["zh"] for n in needs[:20]] + [n["en"] for n in needs[:20]]
def run(paths):
    took = []
    for p in paths:
        t = time.perf_counter()
        urllib.request.urlopen(base + p).read()
        took.append((time.perf_counter() - t) * 1000)
    return took
for name, paths in [
    ("listing matches", [f"/api/listings/{i}/matches?limit=10" for i in ids]),
    ("free-text needs", ["/api/match?limit=10&text=" + urllib.parse.quote(t) for t in texts]),
]:
    run(paths[:5])
    took = sorted(run(paths))
    print(f"{name}: median {statistics.median(took):.1f} ms, p90 {took[int(len(took) * 0.9)]:.1f} ms ({len(took)} requests)")
PY
