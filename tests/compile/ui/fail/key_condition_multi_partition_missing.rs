//! A key condition must give every attribute of a multi-attribute partition key with `==`.
use awstin_macros::{cond, dynamo_model};
dynamo_model! { pub struct Sale { table "Sales"; key id: String; index_key region: String; index_key country: String; index_key placed: i64; } }
dynamo_model! { pub struct ByPlace { index "by-place" on Sale; key (region, country); key (placed); attr region: String; attr country: String; attr placed: i64; } }

fn main() {
    fn query<C: awstin_core::KeyCondition<ByPlace>>(_: C) {}
    let (r, t) = ("eu", 5i64);
    query(ByPlace::expr(cond!(region == r && placed == t)));
}
