#!/usr/bin/env bash
# The dependency tree kept lean, and the re-exports the README promises:
# 1. `cargo tree -d` of a DynamoDB-only awstin, and of the Lambda examples, may list no second
#    version of a crate that the AWS crates they build on (aws-config and the SDKs,
#    lambda_runtime, aws_lambda_events: package `awstin-deps-baseline`, same lockfile) do not
#    already carry on their own.
# 2. Every crate whose types awstin's API exposes is re-exported by awstin, and the examples
#    crate depends on none of them directly: it reaches them through awstin.
#   bash scripts/deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# The crates of which `cargo tree -d` lists a second version. A failing `cargo tree` fails
# the function (an empty list is no duplicate, not a failure).
duplicates() {
  local tree
  tree=$(cargo tree --quiet -d -e normal --depth 0 --prefix none "$@") || {
    echo "cargo tree $* failed" >&2
    return 1
  }
  { grep -v '^$' <<< "$tree" || true; } | sed 's/ (.*//' | sort -u
}

check() {
  local what=$1 baseline=$2
  shift 2
  local ours theirs extra
  # Each list in a variable of its own: a failure inside `<( )` or a nested `$( )` would be
  # an empty list and a pass.
  ours=$(duplicates "$@") || exit 1
  theirs=$(duplicates -p awstin-deps-baseline --features "$baseline") || exit 1
  extra=$(comm -23 <(cat <<< "$ours") <(cat <<< "$theirs"))
  if [ -n "$extra" ]; then
    echo "$what adds a second version of a crate that its AWS dependencies do not already carry:" >&2
    echo "$extra" >&2
    exit 1
  fi
  echo "$what: $(grep -c . <<< "$ours" || true) duplicate versions, all carried by the AWS crates alone ($(tr '\n' ' ' <<< "$theirs"))"
}

check "awstin (DynamoDB only)" dynamodb -p awstin --no-default-features --features dynamodb
check "the Lambda examples" lambda-examples -p awstin-examples
check "the todo service on axum and lambda_http" lambda-http-examples -p awstin-examples --features axum

# The crates whose types the public API exposes, and where awstin re-exports each.
exposed=(
  "aws-config:aws/src/lib.rs:pub use aws_config;"
  "aws-sdk-dynamodb:aws/src/dynamodb/mod.rs:pub use aws_sdk_dynamodb as sdk;"
  "aws-sdk-sns:aws/src/sns/mod.rs:pub use aws_sdk_sns as sdk;"
  "aws-sdk-apigatewaymanagement:aws/src/apigateway/mod.rs:pub use aws_sdk_apigatewaymanagement as sdk;"
  "lambda_runtime:aws/src/lib.rs:pub use lambda_runtime;"
  "aws_lambda_events:aws/src/lib.rs:pub use aws_lambda_events;"
  "serde_json:aws/src/lib.rs:pub use serde_json;"
  "lambda_http:aws/src/lib.rs:pub use lambda_http;"
  "axum:aws/src/lib.rs:pub use axum;"
  "futures:aws/src/lib.rs:pub use futures;"
)
direct=$(set -o pipefail; cargo metadata --quiet --format-version 1 --no-deps | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    if p["name"] == "awstin-examples":
        print("\n".join(d["name"] for d in p["dependencies"] if d["kind"] is None))')
for entry in "${exposed[@]}"; do
  IFS=: read -r crate file line <<< "$entry"
  if ! grep -qF "$line" "$file"; then
    echo "awstin exposes $crate but $file does not re-export it ($line)" >&2
    exit 1
  fi
  if grep -qx "$crate" <<< "$direct"; then
    echo "awstin-examples depends on $crate directly: reach it through awstin's re-export" >&2
    exit 1
  fi
done
echo "awstin re-exports the ${#exposed[@]} crates its API exposes; the examples crate depends directly only on: $(tr '\n' ' ' <<< "$direct")"
