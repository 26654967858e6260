#!/usr/bin/env bash
# The test command: installs what it needs, then runs every check and test suite.
#   bash scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export INSTA_UPDATE=no          # a changed snapshot fails instead of being rewritten
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
mkdir -p "$CARGO_TARGET_DIR"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components and targets"
rustup component add clippy rustfmt >/dev/null 2>&1 || true
rustup target add thumbv7em-none-eabihf wasm32-unknown-unknown
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  step "installing Node.js and npm (run the WASM modules; npm installs wrangler)"
  apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
fi
if ! command -v cargo-nextest >/dev/null 2>&1; then
  step "installing cargo-nextest"
  cargo install --locked cargo-nextest
fi

step "wrangler 4.86.0 from the npm registry (the local Workers runtime, for the edge Worker's test)"
wrangler_dir="${AWSTIN_WRANGLER_DIR:-$HOME/.cache/awstin/wrangler}"
if ! grep -qs '"version": "4.86.0"' "$wrangler_dir/node_modules/wrangler/package.json"; then
  mkdir -p "$wrangler_dir"
  npm install --prefix "$wrangler_dir" --no-audit --no-fund --loglevel=error wrangler@4.86.0
fi
export AWSTIN_WRANGLER="$wrangler_dir/node_modules/.bin/wrangler"
export WRANGLER_SEND_METRICS=false

step "moto server for the SNS tests (Python venv, bound to 127.0.0.1)"
venv="${AWSTIN_VENV:-$HOME/.cache/awstin/venv}"
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'moto[server]'
fi
moto_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$venv/bin/moto_server" -H 127.0.0.1 -p "$moto_port" > "$CARGO_TARGET_DIR/moto.log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null; true' EXIT
for _ in $(seq 1 100); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $moto_port), 0.2)" 2>/dev/null && break
  sleep 0.2
done
export TEST_SNS_ENDPOINT="http://127.0.0.1:$moto_port"

step "format"
cargo fmt --all --check
cargo fmt --manifest-path examples/edge/Cargo.toml --check

step "clippy (all targets, warnings are errors)"
cargo clippy --workspace --all-targets --all-features -- -D warnings

step "features: each alone, none, all together; the DynamoDB-only crate count"
bash scripts/features.sh

step "dependencies: no duplicate the AWS crates do not carry; re-exports of what the API exposes"
bash scripts/deps.sh

step "packaging: awstin-core, awstin-macros, awstin packaged, verified and published dry"
bash scripts/package.sh

step "rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --all-features --no-deps --quiet

step "no_std: awstin-core (without and with alloc, and its SigV4 signer and JSON protocol) and awstin-macros for thumbv7em-none-eabihf"
cargo build --quiet -p awstin-core -p awstin-macros --target thumbv7em-none-eabihf
cargo build --quiet -p awstin-core --no-default-features --features alloc --target thumbv7em-none-eabihf
cargo build --quiet -p awstin-core --no-default-features --features sigv4,wire --target thumbv7em-none-eabihf
cargo build --quiet --manifest-path tests/no_std/Cargo.toml --target thumbv7em-none-eabihf

step "the edge module (its own workspace, for wasm32): clippy, with and without its writes"
cargo clippy --quiet --manifest-path examples/edge/Cargo.toml --target wasm32-unknown-unknown --target-dir "$CARGO_TARGET_DIR/edge-clippy" -- -D warnings
cargo clippy --quiet --manifest-path examples/edge/Cargo.toml --target wasm32-unknown-unknown --target-dir "$CARGO_TARGET_DIR/edge-clippy" --features writes -- -D warnings

step "WASM: a module rendering and evaluating a condition, run under Node"
cargo build --quiet --release --manifest-path tests/wasm/Cargo.toml --target wasm32-unknown-unknown
wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/awstin_wasm_smoke.wasm"
# The guide states its size (performance chapter): the test fails when the module grows past 22 KB.
AWSTIN_WASM_MAX_BYTES=22528 node tests/wasm/run.mjs "$wasm"

step "doc tests"
cargo test --workspace --doc --quiet

step "tests"
cargo nextest run --workspace --no-fail-fast

step "the deployable Lambda's size against a bare lambda_runtime + aws-sdk-dynamodb function"
bash scripts/size.sh

step "benchmarks, once each in test mode (their assertions run; nothing is timed)"
cargo test --quiet -p awstin-tests --benches | tee "$CARGO_TARGET_DIR/bench-test.log"
python3 scripts/bench-readme.py names < "$CARGO_TARGET_DIR/bench-test.log"
# The check of the performance table fails for a run that misses a target the table marks met;
# the mutation check fails for a missed mutant that is not listed as equivalent.
python3 scripts/bench-readme.py selftest
python3 scripts/mutants-check.py selftest
