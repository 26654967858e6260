#![allow(unused_imports)]
use awstin_macros::{cond, dynamo_model};
dynamo_model! { pub struct Event { table "Events"; key device: String; key at: u64; } }

fn main() {
    let _ = Event::expr(cond!(device == "d" && begins_with(at, 17)));
}
