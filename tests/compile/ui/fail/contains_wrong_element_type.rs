#![allow(unused_imports)]
use awstin_macros::{cond, dynamo_model, update};
dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info; attr tags: std::collections::BTreeSet<String>; } }
dynamo_model! { pub struct Info { attr rating: f64; attr actors: Vec<String>; attr plot: String; } }

fn main() {
    let _ = Movie::expr(cond!(contains(tags, 5)));
}
