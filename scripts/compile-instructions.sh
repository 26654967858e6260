#!/usr/bin/env bash
# The compile cost of the macros as a count: the instructions rustc runs for the re-check
# `scripts/compile-cost.sh` times (`cargo check` after touching a crate of 1,000
# `cond!`/`update!`, against the same strings by hand), counted with cachegrind. A count, not
# seconds: the same for the same code whatever else the machine is doing, so two versions of
# the macros compare where the timed script's spread (a few tenths of a second) hides it.
#   bash scripts/compile-instructions.sh [invocations]     (valgrind from Debian's packages)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
if ! command -v valgrind >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null
fi
# Writes both crates and builds their dependencies (its timing is not used here).
bash scripts/compile-cost.sh "$n" >/dev/null
work="$CARGO_TARGET_DIR/compile-cost"
count() { # crate: rustc's instructions re-checking it after a touch
  local dir="$work/$1" cmd out
  touch "$dir/src/lib.rs"
  cmd=$(cd "$dir" && CARGO_TARGET_DIR="$work/target" cargo check -v 2>&1 | grep 'Running `' | tail -1 \
    | sed 's/^ *Running `//; s/`$//')
  touch "$dir/src/lib.rs"
  out=$(mktemp)
  (cd "$dir" && eval "valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=$out $cmd" >/dev/null 2>&1)
  awk '/^summary:/ {print $2}' "$out"
  rm -f "$out"
}
ours=$(count awstin)
theirs=$(count hand)
python3 - "$n" "$ours" "$theirs" <<'PY'
import sys
n, a, h = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print(f"rustc instructions re-checking {n} cond!/update!: {a:,}; the strings by hand: {h:,}; "
      f"+{(a - h) * 1000 / n / 1e6:,.0f} million per 1,000 invocations")
PY
