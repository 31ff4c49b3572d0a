#!/usr/bin/env bash
# Generates API clients from gba-search's OpenAPI document with third-party generators, used as
# they come, and runs a smoke test through each against a running server:
#   Python      openapi-python-client  -> python/smoke.py
#   TypeScript  openapi-typescript (+ openapi-fetch at run time) -> typescript/smoke.ts
# A generator warning, a type error or a failed check fails the run.
#
# Usage: tests/clients/run.sh SPEC_JSON BASE_URL TOKEN
#   SPEC_JSON  the document, e.g. saved from GET /api/openapi.json (or `gba-search openapi`)
#   BASE_URL   the server, e.g. http://127.0.0.1:8080
#   TOKEN      a bearer token of an organisation (`gba-search token create --owner ent-hkust`)
# Tools (see README.md): python3 -m pip install -r tests/clients/python/requirements.txt
#                        npm ci --prefix tests/clients/typescript   (run here when node_modules is missing)
# KEEP_TMP=1 keeps the generated Python client and logs for a look afterwards.
set -euo pipefail

if [[ $# -ne 3 ]]; then
  echo "usage: $0 SPEC_JSON BASE_URL TOKEN" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SPEC="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
BASE_URL="${2%/}"
TOKEN="$3"
export NO_COLOR=1 FORCE_COLOR=0 PYTHONIOENCODING=utf-8 PYTHONDONTWRITEBYTECODE=1

TMP="$(mktemp -d "${TMPDIR:-/tmp}/gba-clients.XXXXXX")"
if [[ "${KEEP_TMP:-}" == 1 ]]; then
  echo "(keeping $TMP)"
else
  trap 'rm -rf "$TMP"' EXIT
fi

python3 - "$SPEC" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert str(doc.get("openapi", "")).startswith("3."), "not an OpenAPI 3 document"
ops = sum(1 for item in doc["paths"].values() for m in item if m in ("get", "put", "post", "delete", "patch"))
print(f"spec: {sys.argv[1]} (OpenAPI {doc['openapi']}, {len(doc['paths'])} paths, {ops} operations)")
EOF
echo "server: $BASE_URL"

# Prints the output of a generator, and fails when it has any line but the expected ones.
only_expected_lines() { # LOG REGEX_OF_EXPECTED_LINES
  sed -e 's/\x1b\[[0-9;]*m//g' "$1" >"$1.plain"
  sed 's/^/    | /' "$1.plain"
  if grep -Ev "$2" "$1.plain" | grep -q '[^[:space:]]'; then
    echo "  the generator printed warnings or other unexpected output (above): failing" >&2
    return 1
  fi
}

# ---- steps (each runs in its own `set -e` subshell: the first failing command ends the step)

py_generate() {
  local want have
  want="$(sed -n 's/^openapi-python-client==//p' "$HERE/python/requirements.txt")"
  have="$(python3 -m openapi_python_client --version 2>/dev/null | sed 's/.*version: //')" || true
  if [[ "$have" != "$want" ]]; then
    echo "  openapi-python-client $want is needed, found '${have:-none}':" >&2
    echo "  python3 -m pip install -r tests/clients/python/requirements.txt" >&2
    return 1
  fi
  echo "  \$ openapi-python-client $have generate --path $SPEC --output-path $TMP/py --overwrite --fail-on-warning --config python/generator-config.yaml"
  local rc=0
  python3 -m openapi_python_client generate --path "$SPEC" --output-path "$TMP/py" --overwrite \
    --fail-on-warning --config "$HERE/python/generator-config.yaml" >"$TMP/py-generate.log" 2>&1 || rc=$?
  only_expected_lines "$TMP/py-generate.log" '^Generating ' || rc=1
  [[ $rc -eq 0 ]] || { echo "  openapi-python-client failed (exit $rc)" >&2; return 1; }
  test -f "$TMP/py/gba_search_client/__init__.py"
  echo "  generated $(find "$TMP/py/gba_search_client/api" -name '*.py' ! -name '__init__.py' | wc -l) operations, $(find "$TMP/py/gba_search_client/models" -name '*.py' ! -name '__init__.py' | wc -l) models"
}

py_smoke() {
  echo "  \$ PYTHONPATH=$TMP/py python3 python/smoke.py"
  PYTHONPATH="$TMP/py" BASE_URL="$BASE_URL" TOKEN="$TOKEN" python3 "$HERE/python/smoke.py"
}

ts_install() {
  cd "$HERE/typescript"
  if [[ ! -d node_modules ]]; then
    echo "  \$ npm ci --no-audit --no-fund   (node_modules is missing)"
    npm ci --no-audit --no-fund
  fi
  echo "  node $(node --version), openapi-typescript $(npx --no-install openapi-typescript --version | tr -d v), tsc $(npx --no-install tsc --version | sed 's/Version //'), tsx $(npx --no-install tsx --version | sed -n 's/^tsx v//p')"
}

ts_generate() {
  cd "$HERE/typescript"
  mkdir -p generated
  rm -f generated/schema.d.ts
  echo "  \$ npx openapi-typescript $SPEC -o typescript/generated/schema.d.ts"
  local rc=0
  npx --no-install openapi-typescript "$SPEC" -o generated/schema.d.ts >"$TMP/ts-generate.log" 2>&1 || rc=$?
  only_expected_lines "$TMP/ts-generate.log" '^(✨ openapi-typescript [0-9.]+|🚀 .* → .*\[[0-9.]+m?s\])[[:space:]]*$' || rc=1
  [[ $rc -eq 0 ]] || { echo "  openapi-typescript failed (exit $rc)" >&2; return 1; }
  test -s generated/schema.d.ts
  echo "  generated typescript/generated/schema.d.ts ($(wc -l <generated/schema.d.ts) lines)"
}

ts_no_empty_objects() {
  cd "$HERE/typescript"
  # `{"type": "object"}` without properties or additionalProperties comes out as
  # Record<string, never>, an object with no keys: no body can be sent as one, no field read.
  # (`webhooks` and `$defs` are always emitted so, for a document that has none.)
  if grep -n 'Record<string, never>' generated/schema.d.ts | grep -Ev 'export type (webhooks|\$defs) = '; then
    echo "  free-form objects typed Record<string, never> (above): the document should give them" >&2
    echo "  properties, or say \"additionalProperties\": true (or a schema) for open objects" >&2
    return 1
  fi
  echo "  no object schema typed Record<string, never>"
}

ts_typecheck() {
  cd "$HERE/typescript"
  echo "  \$ npx tsc --noEmit -p tsconfig.json   (strict)"
  npx --no-install tsc --noEmit -p tsconfig.json
  echo "  smoke.ts type-checks against the generated types"
}

ts_smoke() {
  cd "$HERE/typescript"
  echo "  \$ npx tsx smoke.ts"
  BASE_URL="$BASE_URL" TOKEN="$TOKEN" npx --no-install tsx smoke.ts
}

# ---- runner

passed=0
failed=0
failures=()
declare -A ok=()
run_step() { # NAME FUNCTION [REQUIRED_STEP...]
  local name="$1" fn="$2" need
  shift 2
  echo
  echo "== $name"
  for need in "$@"; do
    if [[ -z "${ok[$need]:-}" ]]; then
      echo "  skipped: '$need' failed"
      failed=$((failed + 1))
      failures+=("$name (skipped)")
      return 0
    fi
  done
  local start=$SECONDS rc=0
  # The step runs in a subshell with `set -e` on, so its first failing command ends it
  # (not `if "$fn"`: bash turns -e off inside a function called as a condition).
  set +e
  (
    set -e
    "$fn"
  )
  rc=$?
  set -e
  if [[ $rc -eq 0 ]]; then
    ok[$name]=1
    passed=$((passed + 1))
    echo "  -> ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "  -> FAILED ($((SECONDS - start)) s)"
  fi
}

total_start=$SECONDS
run_step "python: generate the client (openapi-python-client)" py_generate
run_step "python: smoke test through the generated client" py_smoke "python: generate the client (openapi-python-client)"
run_step "typescript: tools (node_modules)" ts_install
run_step "typescript: generate the types (openapi-typescript)" ts_generate "typescript: tools (node_modules)"
run_step "typescript: no empty-object types" ts_no_empty_objects "typescript: generate the types (openapi-typescript)"
run_step "typescript: type-check smoke.ts (tsc --noEmit, strict)" ts_typecheck "typescript: generate the types (openapi-typescript)"
run_step "typescript: smoke test through openapi-fetch" ts_smoke "typescript: generate the types (openapi-typescript)"

echo
echo "== generated clients: $passed steps passed, $failed failed, in $((SECONDS - total_start)) s"
for f in "${failures[@]}"; do echo "  failed: $f"; done
echo "clients: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
