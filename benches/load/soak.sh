#!/usr/bin/env bash
# Soak test on loopback (issue 6): the release binary on a copy of the bundled data, 64
# connections for SECONDS (default 60) of searches, suggests, gets and listing POSTs (one request
# in ten), with the server's RSS sampled every 5 s; once the writer has caught up, 20 s of reads
# only (memory must stop growing once no data comes in: under 5 % over that tail). Then the server is stopped and its
# export checked: every acknowledged (201) listing stored exactly once, none lost, none duplicated.
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
# The writer catches up (index commits, board pairs of every new listing), then reads only:
# with no more data coming in, memory must stop growing.
caught_up=$(date +%s)
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$port/api/board?per_page=1" | grep -q '"pending":0' && break; sleep 1
done
echo "== the board caught up $(( $(date +%s) - caught_up )) s after the load; RSS $(grep VmRSS /proc/$pid/status | awk '{print $2}') kB"
# Heap (RssAnon), not file pages: the index is memory-mapped, and reading more of it only maps
# more of its files (RssFile), which the kernel reclaims at will.
before=$(grep RssAnon /proc/$pid/status | awk '{print $2}')
wrk -t2 -c64 -d20s -s benches/load/mixed.lua "http://127.0.0.1:$port" >/dev/null
after=$(grep RssAnon /proc/$pid/status | awk '{print $2}')
echo "$before $after" >"$work/rss_reads"
echo "== 20 s of reads only after the soak: heap (RssAnon) $before -> $after kB; $(grep -E 'RssFile' /proc/$pid/status | tr -s ' ')"
echo "== peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
kill -TERM $pid; wait $pid || true
$bin export --out "$work/export" --data-dir "$work/data" --index-dir "$work/index" >/dev/null
python3 - "$work/wrk" "$work/export/listings.jsonl" "$work/rss" "$work/rss_reads" <<'PY'
import json, re, sys
summary = open(sys.argv[1]).read()
m = re.search(r"SOAK posts_sent=(\d+) created_201=(\d+) status_4xx=(\d+) status_5xx=(\d+)", summary)
sent, created, s4, s5 = map(int, m.groups())
titles = [json.loads(l)["title"] for l in open(sys.argv[2]) if "soakprobe" in l]
dupes = len(titles) - len(set(titles))
rss = [int(x) for x in open(sys.argv[3]).read().split()]
before, after = map(int, open(sys.argv[4]).read().split())
half = rss[len(rss) // 2:]
per_listing = (half[-1] - half[0]) / max(len(titles) / 2, 1) if len(half) > 1 else 0
reads_growth = (after - before) / before
print(f"== listings: {sent} posted, {created} acknowledged, {len(titles)} stored, {dupes} duplicated")
print(f"== 5xx: {s5}, 4xx: {s4}; RSS in the second half grew {per_listing:.1f} kB per listing added; "
      f"heap {reads_growth:+.1%} over the reads-only tail")
ok = s5 == 0 and dupes == 0 and created <= len(titles) <= sent and reads_growth < 0.05
print("== SOAK " + ("PASSED" if ok else "FAILED"))
sys.exit(0 if ok else 1)
PY
