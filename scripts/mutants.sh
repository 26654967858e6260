#!/usr/bin/env bash
# Mutation testing of the expression core: cargo-mutants changes awstin-core one mutant at a
# time and runs the core test package, awstin-core-tests (built without the AWS SDK), against
# each. A mutant that no test notices is "missed": a rule no test names.
#   bash scripts/mutants.sh                      # every core file listed below
#   bash scripts/mutants.sh core/src/expr/eval.rs     # one file
#   bash scripts/mutants.sh codec                # the item codec, with the std test suites
#   bash scripts/mutants.sh std 0/8              # the std layer's writes, batches, transactions
#                                                # and Lambda idempotency and batches: shard 0 of 8
#   bash scripts/mutants.sh std 0/1 'keep_cause'  # those whose names match a regex
# Results land in mutants.out/ (outcomes.json, missed.txt, caught.txt). The run fails when a
# missed mutant is not listed in scripts/mutants-equivalent.md (which says why each listed one
# cannot be noticed); it ends by printing the counts and the minutes it took.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
command -v cargo-mutants >/dev/null 2>&1 || cargo install --locked cargo-mutants
started=$(date +%s)
if [ "${1:-}" = std ]; then
  # The std layer's write path, batches, transactions, idempotency and Lambda batches, against
  # the suites that drive them through the embedded DynamoDB and the fault proxy. Each mutant
  # rebuilds the std crate and links those suites (about a minute): a run takes a shard of the
  # 316 mutants, round-robin so every file is sampled (`std 0/8` .. `std 7/8` cover them all).
  shard="${2:-0/8}"
  # The std crate's own unit tests (`--lib`: its private backoff and failure choice) too.
  suites=(--lib --test dynamodb --test faults --test locking --test batches --test dynamodb_unprocessed
          --test idempotency --test lambda_run --test conformance --test streams)
  filter=()
  [ -n "${3:-}" ] && filter=(--re "$3")
  cargo test --quiet -p awstin -p awstin-tests "${suites[@]}"
  status=0
  # The copy builds in a target dir of its own (its first build takes minutes): cargo does not
  # tell the copy's crates from the tree's, and a shared dir ran one tree's build for the other.
  env -u CARGO_TARGET_DIR cargo mutants --package awstin --test-package awstin-tests,awstin \
    --baseline=skip --timeout 240 --shard "$shard" --sharding round-robin "${filter[@]}" \
    --file aws/src/dynamodb/write/mod.rs --file aws/src/dynamodb/write/send.rs \
    --file aws/src/dynamodb/write/put.rs --file aws/src/dynamodb/write/update.rs \
    --file aws/src/dynamodb/write/delete.rs --file aws/src/dynamodb/write/check.rs \
    --file aws/src/dynamodb/write/once.rs --file aws/src/dynamodb/attempts.rs \
    --file aws/src/dynamodb/batch.rs --file aws/src/dynamodb/transact.rs \
    --file aws/src/lambda/idempotency.rs --file aws/src/lambda/batch.rs \
    -- "${suites[@]}" || status=$?
elif [ "${1:-}" = codec ]; then
  # The codec is the std crate's: each mutant rebuilds it and links the suites that read and
  # write items (about 15 s a mutant once cargo-mutants' copy is built).
  cargo test --quiet -p awstin-tests --test codec --test dynamodb --test dynamodb_unprocessed --test faults
  status=0
  env -u CARGO_TARGET_DIR cargo mutants --package awstin --test-package awstin-tests \
    --baseline=skip --timeout 180 --file aws/src/dynamodb/codec.rs \
    -- --test codec --test dynamodb --test dynamodb_unprocessed --test faults || status=$?
else
  files=("$@")
  if [ ${#files[@]} -eq 0 ]; then
    files=(core/src/expr/eval.rs core/src/expr/apply.rs core/src/values/number.rs core/src/expr/render/mod.rs
           core/src/expr/render/validate.rs core/src/expr/request.rs core/src/expr/cond/mod.rs core/src/expr/cond/key.rs
           core/src/expr/update.rs core/src/values/key_value.rs)
  fi
  args=()
  for f in "${files[@]}"; do args+=(--file "$f"); done
  # cargo-mutants' own baseline ignores --test-package (v27): run the baseline here, then skip it.
  cargo test --quiet -p awstin-core-tests
  # The mutants are built in cargo-mutants' copy of the tree with a target dir of its own: a
  # shared one would let a mutant's build pass for the real tree's.
  status=0
  env -u CARGO_TARGET_DIR cargo mutants --package awstin-core --test-package awstin-core-tests \
    --baseline=skip --timeout 60 "${args[@]}" || status=$?
fi
# cargo-mutants exits 2 when mutants were missed, 3 when some timed out: the list decides.
case "$status" in 0|2|3) ;; *) exit "$status" ;; esac
echo "mutation run: $(( ($(date +%s) - started + 30) / 60 )) minutes"
python3 scripts/mutants-check.py check mutants.out
