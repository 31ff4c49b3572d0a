#!/usr/bin/env bash
# The representative search log (issue 25): benches/load/search_paths.txt, searches only — needs
# in Chinese and English (a fifth), Hong Kong and mainland wording, English, aliases and
# abbreviations, mixed scripts, sub-words, filtered queries — made by make_search_log.py from the
# project's query sets. Every answer is computed (GBA_SEARCH_CACHE=0). Prints req/s and latency at
# 1 and 32 connections and the server's peak RSS, with its heap and mapped files at the end.
# Usage: [GBA_CORPUS=/tmp/gba-corpus-100000] benches/load/searches.sh [seconds]   (default 20)
secs="${1:-20}"
source "$(dirname "$0")/common.sh"
port=18083
GBA_SEARCH_CACHE=0 start_server $port
export GBA_PATHS_FILE=benches/load/search_paths.txt
echo "== $(wc -l <"$GBA_PATHS_FILE") searches, answer cache off"
for c in 1 32; do
  t=$(( c < 2 ? 1 : 2 ))
  echo "== search log, $c connection(s), $t thread(s), ${secs}s"
  wrk -t$t -c$c -d${secs}s --latency -s benches/load/mixed.lua "http://127.0.0.1:$port" |
    grep -E "^ +(50|90|99)%|Requests/sec|Non-2xx"
done
# RSS counts the memory-mapped index pages the searches touched (RssFile: the kernel can drop
# them) besides the heap (RssAnon).
mem() { awk -v f="$1" '$1 == f":" {printf "%d MB", $2 / 1024}' /proc/$pid/status; }
echo "== peak RSS of the server: $(mem VmHWM) (now: heap $(mem RssAnon), mapped files $(mem RssFile))"
