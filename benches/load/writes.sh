#!/usr/bin/env bash
# Acknowledged-write throughput (issue 26): the release binary on a copy of the bundled data,
# CONNECTIONS (default 16) connections posting listings for SECONDS (default 20); every 201 is a
# listing on disk (sled flushed and its files fsynced). Prints acknowledged writes per second and
# the latency of an acknowledgement.
# Usage: benches/load/writes.sh [seconds] [connections]   (from the repository root; needs wrk)
secs="${1:-20}"
conns="${2:-16}"
source "$(dirname "$0")/common.sh"
export WRITES_TOKEN=$($bin token create --owner ent-hkust --data-dir "$work/data" 2>/dev/null)
port=18082
GBA_WRITES_PER_MINUTE=0 start_server $port
echo "== writes: $conns connections, ${secs}s, listing POSTs only; data on $(df --output=fstype "$work" | tail -1)"
wrk -t2 -c"$conns" -d"${secs}s" -s benches/load/writes.lua "http://127.0.0.1:$port" | grep WRITES
