#!/usr/bin/env bash
# Mutation testing of the expression core: cargo-mutants changes awstin-core one mutant at a
# time and runs the core test package, awstin-core-tests (built without the AWS SDK), against
# each. A mutant that no test notices is "missed": a rule no test names.
#   bash scripts/mutants.sh                      # every core file listed below
#   bash scripts/mutants.sh core/src/eval.rs     # one file
#   bash scripts/mutants.sh codec                # the item codec, with the std test suites
# Results land in mutants.out/ (outcomes.json, missed.txt, caught.txt). The run fails when a
# missed mutant is not listed in scripts/mutants-equivalent.md (which says why each listed one
# cannot be noticed); it ends by printing the counts and the minutes it took.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
command -v cargo-mutants >/dev/null 2>&1 || cargo install --locked cargo-mutants
started=$(date +%s)
if [ "${1:-}" = codec ]; then
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
    files=(core/src/eval.rs core/src/apply.rs core/src/number.rs core/src/render/mod.rs
           core/src/render/validate.rs core/src/request.rs core/src/cond/mod.rs core/src/cond/key.rs
           core/src/update.rs core/src/key_value.rs)
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
