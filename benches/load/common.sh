# Sourced by the load scripts: checks for wrk, builds the release binary, and copies the bundled
# data to $work (removed on exit, with the server $pid stopped). With GBA_CORPUS=DIR (made by
# corpus.sh) the server uses DIR/data and DIR/index in place instead, and leaves them there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-./target}/release/gba-search
pid=""
if [ -n "${GBA_CORPUS:-}" ]; then
  work=$GBA_CORPUS
  trap 'if [ -n "$pid" ]; then kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; fi' EXIT
else
  work=$(mktemp -d)
  trap 'if [ -n "$pid" ]; then kill $pid 2>/dev/null || true; fi; rm -rf "$work"' EXIT
  cp -r data "$work/data"; rm -rf "$work/data/listings.sled" "$work/data/.lock"
fi

# start_server PORT: serves $work in the background (extra settings from the environment) and
# waits until it answers.
start_server() {
  "$bin" serve --addr "127.0.0.1:$1" --data-dir "$work/data" --index-dir "$work/index" 2>"$work/log" &
  pid=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$1/api/health" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not start; its log:" >&2; cat "$work/log" >&2; exit 1
}
