use awstin_macros::dynamo_model;
dynamo_model! { pub struct Movie { table "My Movies"; key year: u32 } }
dynamo_model! { pub struct ByGenre { index "bg" on "Movies"; key genre: String } }

fn main() {}
