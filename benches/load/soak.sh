#!/usr/bin/env bash
# Soak test on loopback (issue 6): the release binary on a copy of the bundled data, 64
# connections for SECONDS (default 60) of searches, suggests, gets and listing POSTs (one request
# in ten), with the server's RSS sampled every 5 s. Then the server is stopped and its export
# checked: every acknowledged (201) listing stored exactly once, none lost, none duplicated.
# Usage: benches/load/soak.sh [seconds]   (from the repository root; needs wrk and python3)
secs="${1:-60}"
source "$(dirname "$0")/common.sh"
export SOAK_TOKEN=$($bin token create --owner ent-hkust --data-dir "$work/data" 2>/dev/null)
port=18081
GBA_WRITES_PER_MINUTE=0 start_server $port
(for _ in $(seq $((secs / 5 + 2))); do grep VmRSS /proc/$pid/status 2>/dev/null | awk '{print $2}'; sleep 5; done) >"$work/rss" &
sampler=$!
echo "== soak: 64 connections, ${secs}s, one request in ten a listing POST"
wrk -t2 -c64 -d${secs}s --latency -s benches/load/soak.lua "http://127.0.0.1:$port" | tee "$work/wrk" |
  sed -n '/Latency Distribution/,/Transfer/p;/SOAK/p'
kill $sampler 2>/dev/null || true
echo "== RSS samples (kB, every 5 s): $(tr '\n' ' ' <"$work/rss")"
echo "== peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
kill -TERM $pid; wait $pid || true
$bin export --out "$work/export" --data-dir "$work/data" --index-dir "$work/index" >/dev/null
python3 - "$work/wrk" "$work/export/listings.jsonl" "$work/rss" <<'PY'
import json, re, sys
summary = open(sys.argv[1]).read()
m = re.search(r"SOAK posts_sent=(\d+) created_201=(\d+) status_4xx=(\d+) status_5xx=(\d+)", summary)
sent, created, s4, s5 = map(int, m.groups())
titles = [json.loads(l)["title"] for l in open(sys.argv[2]) if "soakprobe" in l]
dupes = len(titles) - len(set(titles))
rss = [int(x) for x in open(sys.argv[3]).read().split()]
tail = rss[len(rss) // 2:]
growth = (max(tail) - min(tail)) / max(min(tail), 1) if tail else 0
print(f"== listings: {sent} posted, {created} acknowledged, {len(titles)} stored, {dupes} duplicated")
print(f"== 5xx: {s5}, 4xx: {s4}; RSS over the second half of the run varied by {growth:.1%}")
ok = s5 == 0 and dupes == 0 and created <= len(titles) <= sent and growth < 0.10
print("== SOAK " + ("PASSED" if ok else "FAILED"))
sys.exit(0 if ok else 1)
PY
