use awstin_macros::dynamo_model;
dynamo_model! { pub struct Doc { table "Docs"; key id: String; version rev: u64; version other: u64; } }

fn main() {}
