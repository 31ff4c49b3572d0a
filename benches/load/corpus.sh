#!/usr/bin/env bash
# Builds a synthetic corpus of N records (default 1,000,000) and its index in DIR (default
# /tmp/gba-corpus-N): `gen` writes the JSONL files, then every collection is imported into a copy
# of the bundled data directory. Prints the time of each step; the last line is the total import
# time (the issue's target: ≤ 5 minutes for 1M on a 2-core machine).
#   benches/load/corpus.sh 1000000            # then: serve --data-dir DIR/data --index-dir DIR/index
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
n=${1:-1000000}
dir=${2:-/tmp/gba-corpus-$n}
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/gba-search
rm -rf "$dir"; mkdir -p "$dir"
cp -r data "$dir/data"; rm -rf "$dir/data/listings.sled" "$dir/data/.lock"
t() { local s; s=$(date +%s.%N); "$@" >/dev/null; printf '%6.1f s  %s\n' "$(echo "$(date +%s.%N) - $s" | bc)" "${*: -1}"; }
t "$bin" gen --docs "$n" --seed 1 --out "$dir/gen" --data-dir data
start=$(date +%s.%N)
t "$bin" reindex --data-dir "$dir/data" --index-dir "$dir/index"
for c in entities talents roadmaps industries listings; do
  t "$bin" import --collection "$c" --data-dir "$dir/data" --index-dir "$dir/index" "$dir/gen/$c.jsonl"
done
printf 'import of %s records: %.1f s; corpus in %s (data %s, index %s)\n' "$n" \
  "$(echo "$(date +%s.%N) - $start" | bc)" "$dir" "$(du -sh "$dir/data" | cut -f1)" "$(du -sh "$dir/index" | cut -f1)"
