#![allow(unused_imports)]
use awstin::{cond, dynamo_model, Document};
dynamo_model! { pub struct Event { table "Events"; key device: String; key at: u64; } }

fn main() {
    let _ = Event::expr(cond!(device == "d" && begins_with(at, 17)));
}
