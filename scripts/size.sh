#!/usr/bin/env bash
# The size of the deployable Movies API Lambda against the same query written with
# lambda_runtime and aws-sdk-dynamodb alone (bin `bare_lambda`): both built in release mode
# for this machine and stripped. Fails when awstin adds more than the guide states, or when
# the sizes and addition the guide quotes (aws/src/guide/lambda.md) are stale.
#   bash scripts/size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --quiet -p awstin-examples -p awstin-bare-lambda --bin movies_api --bin bare_lambda
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
readme = open("aws/src/guide/lambda.md").read()  # the guide's deployment section
stated = re.search(r"awstin adds\s+at\s+most\s+(\d+)%", readme)
if not stated or added > int(stated.group(1)):
    sys.exit(f"the guide (aws/src/guide/lambda.md) states awstin adds at most {stated.group(1) if stated else '?'}%: update it")
# The measured figures the guide quotes: the sizes to 0.1 MB, the addition to half a point.
quoted = re.search(r"([\d.]+) MB against ([\d.]+) MB", readme)
pct = re.search(r"\(\+([\d.]+)% measured\)", readme)
if not quoted or not pct:
    sys.exit("the guide (aws/src/guide/lambda.md) no longer quotes the measured sizes and addition")
if (abs(float(quoted.group(1)) - with_ / 1e6) > 0.1 or abs(float(quoted.group(2)) - bare / 1e6) > 0.1
        or abs(float(pct.group(1)) - added) > 0.5):
    sys.exit(f"the guide (aws/src/guide/lambda.md) quotes {quoted.group(1)} MB against {quoted.group(2)} MB, +{pct.group(1)}%: "
             f"update it to {with_/1e6:.2f} MB against {bare/1e6:.2f} MB, {added:+.1f}%")
PY
