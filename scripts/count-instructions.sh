#!/usr/bin/env bash
# Counts the instructions of building a request's expressions and maps, per call, with
# callgrind (instructions, not seconds: the same count on a busy machine): each case of
# tests/benches/expressions.rs built with the macros and by hand, run 0 and N times in the
# bench binary; the difference over N is one call.
#   bash scripts/count-instructions.sh [N]     (valgrind from Debian's packages)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if ! command -v valgrind >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
bin=$(cargo bench --quiet -p awstin-tests --bench expressions --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "expressions" and m.get("executable"):
        print(m["executable"])')
count() {
  local out
  out=$(mktemp)
  AWSTIN_COUNT="$1" AWSTIN_COUNT_N="$2" valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" >/dev/null 2>&1
  python3 - "$out" <<'PY'
import sys
for line in open(sys.argv[1]):
    if line.startswith("summary:") or line.startswith("totals:"):
        print(line.split()[1]); break
PY
  rm -f "$out"
}
printf '%-16s %14s %14s %8s\n' case "awstin/call" "hand/call" ratio
for case in query update filter10; do
  per() {
    local zero many
    zero=$(count "$case/$1" 0)
    many=$(count "$case/$1" "$n")
    echo $(( (many - zero) / n ))
  }
  a=$(per awstin)
  h=$(per hand)
  python3 -c "print(f'{\"$case\":<16} {$a:>14,} {$h:>14,} {$h / $a:>8.2f}')"
done
