#!/usr/bin/env bash
# The demo command: the Movies tutorial.
#   bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# The embedded DynamoDB logs each failed condition as a warning; the demo prints its own.
export RUST_LOG="${RUST_LOG:-info,dynoxide=error}"
cargo run --quiet -p awstin-examples --features local --bin movies
