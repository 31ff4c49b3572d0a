#!/usr/bin/env bash
# Load test on loopback: serves a copy of the bundled data (or GBA_CORPUS, see corpus.sh) with the
# release binary and replays the mixed query log with wrk (apt-get install wrk) at 1 and 32
# connections, then searches only and suggests only at one connection.
# Usage: [GBA_CORPUS=/tmp/gba-corpus-1000000] benches/load/run.sh [seconds]   (default 20 s per run)
# The log repeats its 247 requests, so most answers come from the server's answer cache; with
# GBA_SEARCH_CACHE=0 the server computes every one (docs/PERFORMANCE.md gives both).
secs="${1:-20}"
source "$(dirname "$0")/common.sh"
port=18080
start_server $port
for c in 1 32; do
  t=$(( c < 2 ? 1 : 2 ))
  echo "== mixed log, $c connection(s), $t thread(s), ${secs}s"
  wrk -t$t -c$c -d${secs}s --latency -s benches/load/mixed.lua "http://127.0.0.1:$port" | sed -n '/Latency Distribution/,/Transfer/p'
done
for kind in /api/search /api/suggest; do
  echo "== $kind only, 1 connection, ${secs}s"
  GBA_PATHS_MATCH=$kind wrk -t1 -c1 -d${secs}s --latency -s benches/load/mixed.lua "http://127.0.0.1:$port" \
    | sed -n '/Latency Distribution/,/Requests\/sec/p' | grep -E "50%|99%|Requests/sec"
done
echo "== peak RSS of the server: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
