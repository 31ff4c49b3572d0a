#!/usr/bin/env bash
# Compares the answers of two builds on one corpus: every search of search_paths.txt and the
# matches (in three scripts) of the first 30 listings those searches find, computed (answer cache
# off), JSON compared with `took_ms` left out. For a change that must not change answers.
# Usage: benches/load/answers.sh BIN_A BIN_B CORPUS_DIR
#   e.g. benches/load/answers.sh /tmp/gba-before target/release/gba-search /tmp/gba-corpus-100000
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ $# -eq 3 ] || { sed -n '5,6p' "$0" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for side in a b; do
  bin=$1; [ "$side" = b ] && bin=$2
  GBA_SEARCH_CACHE=0 "$bin" serve --addr 127.0.0.1:18090 --data-dir "$3/data" --index-dir "$3/index" 2>"$out/$side.log" &
  pid=$!
  for _ in $(seq 1 300); do curl -sf http://127.0.0.1:18090/api/health >/dev/null && break; sleep 0.3; done
  python3 - "$out/$side.json" <<'PY'
import json, sys, urllib.error, urllib.request

def get(path):
    try:
        r = urllib.request.urlopen("http://127.0.0.1:18090" + path)
        code, body = r.status, r.read()
    except urllib.error.HTTPError as e:
        code, body = e.code, e.read()
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k != "took_ms"}
        return [strip(v) for v in x] if isinstance(x, list) else x
    return code, strip(json.loads(body))

answers, listings = {}, []
for path in (l.strip() for l in open("benches/load/search_paths.txt")):
    if path and path not in answers:
        answers[path] = get(path)
        for hit in answers[path][1].get("hits", [])[:1]:
            if hit["collection"] == "listings" and hit["id"] not in listings and len(listings) < 30:
                listings.append(hit["id"])
for id in listings:
    for lang in ("", "?lang=en", "?lang=zh-Hant"):
        path = f"/api/listings/{id}/matches{lang}"
        answers[path] = get(path)
json.dump(answers, open(sys.argv[1], "w"), ensure_ascii=False, sort_keys=True)
PY
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
python3 - "$out/a.json" "$out/b.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
differ = [p for p in a if a[p] != b.get(p)]
print(f"{len(a) - len(differ)} of {len(a)} answers identical")
for p in differ[:10]:
    print("differs:", p)
sys.exit(1 if differ or set(a) != set(b) else 0)
PY
