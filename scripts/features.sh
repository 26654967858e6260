#!/usr/bin/env bash
# Checks `awstin` with each feature alone, with none, and with all together, and that a
# DynamoDB-only build and a build with every feature but `testing` have the crate counts the
# README states. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# The features, read from aws/Cargo.toml, so a new one is checked alone and counted below.
all=$(cargo metadata --no-deps --format-version 1 | python3 -c '
import json, sys
package = next(p for p in json.load(sys.stdin)["packages"] if p["name"] == "awstin")
print(" ".join(sorted(f for f in package["features"] if f != "default")))')
but_testing=$(printf '%s\n' $all | grep -vx testing | paste -sd, -)
for features in "" $all "sns,testing"; do
  echo "cargo check -p awstin --no-default-features --features '$features'"
  cargo check --quiet -p awstin --no-default-features --features "$features"
done
echo "cargo check -p awstin --all-features"
cargo check --quiet -p awstin --all-features

count() {
  cargo tree -p awstin --no-default-features --features "$1" -e normal --prefix none \
    | sed 's/ (\*)$//' | sort -u | wc -l
}
# Each figure the README states, beside the features that give it.
check_count() {
  local features=$1 pattern=$2 measured stated
  measured=$(count "$features")
  stated=$(grep -Eo "$pattern" README.md | grep -Eo '[0-9]+')
  echo "features '$features' compile $measured crates (README: $stated)"
  if [ "$measured" != "$stated" ]; then
    echo "the README's crate count for '$features' is stale: update it to $measured" >&2
    exit 1
  fi
}
check_count dynamodb 'DynamoDB-only build compiles [0-9]+ crates'
check_count "$but_testing" 'every feature but `testing` it compiles [0-9]+ crates'

# The Lambda examples are built without the emulator: what is deployed carries no dynoxide,
# SQLite or axum (the `local` feature brings them, for the tutorial and local runs; the
# `axum` feature brings axum, for the todo service's router, to that example alone).
leaked=$(cargo tree -p awstin-examples -e normal --prefix none \
  | sed 's/ (\*)$//' | grep -E '^(dynoxide-rs|rusqlite|libsqlite3-sys|axum) ' | sort -u || true)
if [ -n "$leaked" ]; then
  echo "the Lambda examples' dependencies include the emulator: $leaked" >&2
  exit 1
fi
echo "the Lambda examples' dependencies hold no dynoxide, rusqlite or axum"
with_local=$(cargo tree -p awstin-examples --features local -e normal --prefix none \
  | grep -cE '^dynoxide-rs ' || true)
if [ "$with_local" = "0" ]; then
  echo "the local feature should bring the embedded DynamoDB" >&2
  exit 1
fi
