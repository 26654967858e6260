#!/usr/bin/env bash
# The size of the deployable Movies API Lambda against the same query written with
# lambda_runtime and aws-sdk-dynamodb alone (bin `bare_lambda`): both built in release mode
# for this machine and stripped. Fails when awstin adds more than the README states.
#   bash scripts/size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p awstin-examples --bin movies_api --bin bare_lambda
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for bin in movies_api bare_lambda; do
  strip -o "$tmp/$bin" "$CARGO_TARGET_DIR/release/$bin"
done
with=$(stat -c %s "$tmp/movies_api")
bare=$(stat -c %s "$tmp/bare_lambda")
python3 - "$with" "$bare" <<'PY'
import re, sys
with_, bare = int(sys.argv[1]), int(sys.argv[2])
added = (with_ - bare) / bare * 100
print(f"stripped, {__import__('platform').machine()}: movies_api {with_/1e6:.2f} MB, "
      f"bare lambda_runtime + aws-sdk-dynamodb {bare/1e6:.2f} MB: awstin adds {added:+.1f}%")
stated = re.search(r"awstin adds\s+at\s+most\s+(\d+)%", open("README.md").read())
if not stated or added > int(stated.group(1)):
    sys.exit(f"the README states awstin adds at most {stated.group(1) if stated else '?'}%: update it")
PY
