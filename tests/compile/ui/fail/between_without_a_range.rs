use awstin_macros::{cond, dynamo_model};

dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }

fn main() {
    let a = "A";
    let _ = Movie::expr(cond!(title between a));
}
