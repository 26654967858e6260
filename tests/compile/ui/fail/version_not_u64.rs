use awstin_macros::dynamo_model;
dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: String; } }

fn main() {}
