use awstin_macros::dynamo_model;
dynamo_model! { pub struct Info { attr plot: String; version rev: u64; } }

fn main() {}
