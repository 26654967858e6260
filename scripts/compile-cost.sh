#!/usr/bin/env bash
# Compile cost of the macros: `cargo check` of a crate with 1,000 `cond!`/`update!` invocations
# against the same crate with the strings written by hand, side by side in one run (3 rounds,
# alternating, medians). Prints a ROW line for scripts/bench; the target is at most 1 s more
# per 1,000 invocations.
#   bash scripts/compile-cost.sh [invocations]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=${1:-1000}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
work="$CARGO_TARGET_DIR/compile-cost"
mkdir -p "$work/awstin/src" "$work/hand/src"

manifest() { # name, extra dependencies
  cat <<TOML
[package]
name = "compile-cost-$1"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
awstin-core = { path = "$root/core", features = ["std"] }
awstin-macros = { path = "$root/macros" }
heapless = "0.9.4"

[workspace]
TOML
}
manifest awstin > "$work/awstin/Cargo.toml"
manifest hand > "$work/hand/Cargo.toml"

model='awstin_macros::dynamo_model! {
    /// A film.
    pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info }
}
awstin_macros::dynamo_model! {
    /// Its details.
    pub struct Info { attr rating: f64; attr plot: String; attr rank: u32; }
}
'
{
  echo '//! Generated: half `cond!`, half `update!`, each rendered.'
  echo '#![allow(missing_docs, clippy::all)]'
  echo "$model"
  for i in $(seq 0 $((n - 1))); do
    if [ $((i % 2)) -eq 0 ]; then
      cat <<RS
pub fn f$i(y: u32, a: &str, b: &str) -> usize {
    let c = Movie::expr(awstin_macros::cond!(year == y && title between a..b));
    let mut s = heapless::String::<128>::new();
    awstin_core::Request::<4, 4>::new().key_condition(&c, &mut s).map_or(0, |_| s.len() + $i)
}
RS
    else
      cat <<RS
pub fn f$i(r: f64, p: &str) -> usize {
    let u = Movie::expr(awstin_macros::update!(info.rating = r, info.plot = p, info.rank += 1));
    let mut s = heapless::String::<128>::new();
    awstin_core::Request::<8, 8>::new().update(&u, &mut s).map_or(0, |_| s.len() + $i)
}
RS
    fi
  done
} > "$work/awstin/src/lib.rs"
{
  echo '//! Generated: the same expressions as strings written by hand.'
  echo '#![allow(missing_docs, clippy::all)]'
  echo "$model"
  for i in $(seq 0 $((n - 1))); do
    if [ $((i % 2)) -eq 0 ]; then
      cat <<RS
pub fn f$i(y: u32, a: &str, b: &str) -> usize {
    let e = "#y = :y AND #t BETWEEN :a AND :b";
    let names = [("#y", "year"), ("#t", "title")];
    let values = [(":y", y.to_string()), (":a", a.to_owned()), (":b", b.to_owned())];
    e.len() + names.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>() + $i
}
RS
    else
      cat <<RS
pub fn f$i(r: f64, p: &str) -> usize {
    let e = "SET #i.#r = :r, #i.#p = :p, #i.#k = #i.#k + :one";
    let names = [("#i", "info"), ("#r", "rating"), ("#p", "plot"), ("#k", "rank")];
    let values = [(":r", r.to_string()), (":p", p.to_owned()), (":one", 1.to_string())];
    e.len() + names.len() + values.iter().map(|(_, v)| v.len()).sum::<usize>() + $i
}
RS
    fi
  done
} > "$work/hand/src/lib.rs"

check() { # crate: seconds of `cargo check` after touching its source
  touch "$work/$1/src/lib.rs"
  local start end
  start=$(date +%s.%N)
  CARGO_TARGET_DIR="$work/target" cargo check --quiet --manifest-path "$work/$1/Cargo.toml"
  end=$(date +%s.%N)
  python3 -c "print($end - $start)"
}
# Dependencies built once, outside the measurement.
CARGO_TARGET_DIR="$work/target" cargo check --quiet --manifest-path "$work/awstin/Cargo.toml"
CARGO_TARGET_DIR="$work/target" cargo check --quiet --manifest-path "$work/hand/Cargo.toml"
ours=(); theirs=()
for _ in 1 2 3; do
  ours+=("$(check awstin)")
  theirs+=("$(check hand)")
done
python3 - "$n" "${ours[*]}" "${theirs[*]}" <<'PY'
import statistics, sys
n = int(sys.argv[1])
a = statistics.median(map(float, sys.argv[2].split()))
h = statistics.median(map(float, sys.argv[3].split()))
per = (a - h) * 1000 / n
print(f"ROW\tcompile: cargo check, {n} cond!/update! vs strings by hand\t{a:.2f} s\t"
      f"{h:.2f} s (by hand)\t+{per:.2f} s per 1,000\t≤ +1 s per 1,000\t{'yes' if per <= 1.0 else 'NO'}")
PY
