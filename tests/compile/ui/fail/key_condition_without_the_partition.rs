//! A key condition the composed keys' templates cannot express is refused by `cargo check`.
use awstin_macros::{cond, dynamo_model};
dynamo_model! { pub struct Order { table "App"; key pk = "CUSTOMER#" customer; key sk = "ORDER#" placed "#" number; attr customer: String; attr placed: i64; attr number: u32; } }

fn main() {
    fn query<C: awstin_core::KeyCondition<Order>>(_: C) {}
    let (c, t, n) = ("c1", 5i64, 7u32);
    let _ = (c, t, n);
    query(Order::expr(cond!(placed == t)));
}
