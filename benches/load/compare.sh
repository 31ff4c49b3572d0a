#!/usr/bin/env bash
# Compares two builds of the server on the same corpus, back to back, computed (answer cache
# off): the mixed log at 32 connections, alternating between them round by round.
# Usage: benches/load/compare.sh BIN_A BIN_B CORPUS_DIR [rounds (8)] [seconds per run (4)]
#   e.g. git stash; cargo build --release; cp target/release/gba-search /tmp/gba-before;
#        git stash pop; cargo build --release;
#        benches/load/compare.sh /tmp/gba-before target/release/gba-search /tmp/gba-corpus-100000
# The speed of a shared 2-core machine drifts by ±15 % within minutes, more than most changes
# are worth, so separate runs of each build cannot tell them apart. Here both servers are up at
# once and each run of one is followed by a run of the other; the idle server is stopped
# (SIGSTOP), or its background board work would take the CPU from the one measured. B/A per
# round is the figure to read; one build against itself gave 0.94–1.08 (median 0.97), so trust
# a difference over about 5 % that holds with A and B swapped. The second server needs its own
# copy of the corpus (sled locks its database): CORPUS_DIR.b, made here on first use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ $# -ge 3 ] || { sed -n '2,4p' "$0" >&2; exit 2; }
a=$1 b=$2 dir=$3 rounds=${4:-8} secs=${5:-4}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
for f in "$a" "$b"; do [ -x "$f" ] || { echo "not an executable: $f" >&2; exit 2; }; done
[ -d "$dir/data" ] && [ -d "$dir/index" ] || { echo "no corpus in $dir (make one with corpus.sh)" >&2; exit 2; }
if [ ! -d "$dir.b" ]; then
  echo "copying $dir to $dir.b for the second server" >&2
  mkdir -p "$dir.b" && cp -r "$dir/data" "$dir/index" "$dir.b/"
fi
pa="" pb=""
trap 'for p in $pa $pb; do kill -CONT $p 2>/dev/null || true; kill $p 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
serve() { # serve BIN DIR PORT
  GBA_SEARCH_CACHE=0 "$1" serve --addr "127.0.0.1:$3" --data-dir "$2/data" --index-dir "$2/index" 2>"$2/compare.log" &
}
serve "$a" "$dir" 18081; pa=$!
serve "$b" "$dir.b" 18082; pb=$!
for port in 18081 18082; do
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null || { echo "the server on port $port did not start" >&2; exit 1; }
  wrk -t2 -c32 -d3s -s benches/load/mixed.lua "http://127.0.0.1:$port" >/dev/null # warm-up
done
rate() { # rate PORT: req/s of one run
  wrk -t2 -c32 -d"${secs}s" -s benches/load/mixed.lua "http://127.0.0.1:$1" | awk '/Requests\/sec/ {print $2}'
}
ra=() rb=()
for _ in $(seq "$rounds"); do
  kill -STOP $pb; kill -CONT $pa; sleep 0.3; ra+=("$(rate 18081)")
  kill -STOP $pa; kill -CONT $pb; sleep 0.3; rb+=("$(rate 18082)")
done
python3 - "${ra[*]}" "${rb[*]}" <<'PY'
import statistics as st, sys
a = [float(x) for x in sys.argv[1].split()]
b = [float(x) for x in sys.argv[2].split()]
ratio = [y / x for x, y in zip(a, b)]
print("A req/s:", " ".join(f"{x:.0f}" for x in a))
print("B req/s:", " ".join(f"{x:.0f}" for x in b))
print(f"median A {st.median(a):.0f}, B {st.median(b):.0f}; B/A per round: median {st.median(ratio):.3f}, "
      f"min {min(ratio):.3f}, max {max(ratio):.3f}, B faster in {sum(r > 1 for r in ratio)} of {len(ratio)}")
PY
