#!/usr/bin/env bash
# Builds the edge Worker's module (examples/edge, for wasm32) with features "$1" into target
# dir "$2", and prints the module's path. tests/edge.rs and scripts/bench build it here.
#
# Its size must not depend on where the repository or the cargo registry sits: the paths in
# its panic locations are remapped to fixed short ones. RUSTFLAGS replaces the example's
# .cargo/config.toml rustflags, so they are repeated here (SHA-256 rounds in a loop: a smaller
# module for the few blocks a request's signature hashes).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
export RUSTFLAGS="--cfg sha2_backend_soft=\"compact\" --remap-path-prefix=$root=/a --remap-path-prefix=$registry=/r"
cd "$root/examples/edge"
cargo build --quiet --release --target wasm32-unknown-unknown --features "$1" --target-dir "$2"
echo "$2/wasm32-unknown-unknown/release/awstin_edge.wasm"
