#!/usr/bin/env bash
# Load test on loopback: serves a copy of the bundled data with the release binary and replays
# the mixed query log with wrk (apt-get install wrk) at 1 and 32 connections.
# Usage: benches/load/run.sh [seconds]   (from the repository root; default 20 s per run)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-20}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cp -r data "$work/data"; rm -rf "$work/data/listings.sled"
port=18080
./target/release/gba-search serve --addr 127.0.0.1:$port --data-dir "$work/data" --index-dir "$work/index" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.2; done
for c in 1 32; do
  t=$(( c < 2 ? 1 : 2 ))
  echo "== mixed log, $c connection(s), $t thread(s), ${secs}s"
  wrk -t$t -c$c -d${secs}s --latency -s benches/load/mixed.lua "http://127.0.0.1:$port" | sed -n '/Latency Distribution/,/Transfer/p'
done
echo "== peak RSS of the server: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
