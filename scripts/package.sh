#!/usr/bin/env bash
# The crates as crates.io would take them: `cargo package` of the workspace's publishable
# crates (awstin-core, awstin-macros, awstin; the other members say `publish = false`), with
# its verification build of each packaged crate against the others, then `cargo publish
# --dry-run` of the same, in dependency order. Each package must hold its sources only.
#   bash scripts/package.sh            (AWSTIN_ALLOW_DIRTY=1 to try uncommitted changes)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

members=$(cargo metadata --quiet --format-version 1 --no-deps | python3 -c '
import json, sys
for p in json.load(sys.stdin)["packages"]:
    print(p["name"], "unpublished" if p["publish"] == [] else "published")')
published=$(awk '$2 == "published" { print $1 }' <<< "$members" | sort | tr '\n' ' ')
if [ "$published" != "awstin awstin-core awstin-macros " ]; then
  echo "the publishable crates are awstin-core, awstin-macros and awstin; the workspace publishes: $published" >&2
  exit 1
fi
exclude=()
for name in $(awk '$2 == "unpublished" { print $1 }' <<< "$members"); do exclude+=(--exclude "$name"); done
dirty=()
[ -n "${AWSTIN_ALLOW_DIRTY:-}" ] && dirty=(--allow-dirty)

log="$CARGO_TARGET_DIR/package.log"
# The verification builds the packaged crates as registry crates, and cargo never rebuilds a
# registry crate it has built once: at an unchanged version, yesterday's awstin-core would
# be linked. So they build in a target dir of their own, cleared of the three crates first
# (their dependencies stay built there).
pkg_target="$CARGO_TARGET_DIR/package-check"
cargo clean --quiet --target-dir "$pkg_target" -p awstin-core -p awstin-macros -p awstin 2>/dev/null || true
# The same holds for the sources: cargo extracts a crate of the verification's local registry
# (a registry directory without a host name, `-<hash>`) once, and at an unchanged version an
# earlier run's extracted sources would be compiled. They are removed first.
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
rm -rf "$cargo_home"/registry/src/-*/awstin-core-* "$cargo_home"/registry/src/-*/awstin-macros-* \
  "$cargo_home"/registry/src/-*/awstin-[0-9]* "$cargo_home"/registry/cache/-*/awstin*
export CARGO_TARGET_DIR="$pkg_target"
# cargo's status is kept apart from the summary's grep, so that a failing package step fails
# the script (a pipeline ending in `|| true` would reset it).
status=0
cargo package --workspace "${exclude[@]}" "${dirty[@]}" > "$log" 2>&1 || status=$?
grep -E '^ +(Packaging|Packaged|Verifying)' "$log" || true
[ "$status" -eq 0 ] || { cat "$log" >&2; echo "cargo package failed ($status)" >&2; exit 1; }
cargo publish --dry-run --workspace "${exclude[@]}" "${dirty[@]}" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
grep -q 'aborting upload due to dry run' "$log"

for crate in awstin-core awstin-macros awstin; do
  files=$(cargo package --quiet -p "$crate" --list "${dirty[@]}") || { echo "cargo package --list failed for $crate" >&2; exit 1; }
  stray=$(grep -vE '^(src/.*\.rs|src/guide/.*\.md|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|README\.md|\.cargo_vcs_info\.json)$' <<< "$files" || true)
  if [ -n "$stray" ]; then
    echo "$crate packages more than its sources:" >&2
    echo "$stray" >&2
    exit 1
  fi
done
echo "packaged and verified, and published dry: awstin-core, awstin-macros, awstin (sources, the guide's chapters, manifest, lockfile and README only)"
