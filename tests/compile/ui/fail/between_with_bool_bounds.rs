//! A typed value DynamoDB refuses as this operand whatever the item holds does not compile.
use awstin_core::ValueBuf;
use awstin_macros::{cond, dynamo_model};
dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr deep: ValueBuf; } }

fn main() {
    let (flag, n, s) = (true, 1u32, "a");
    let _ = (flag, n, s);
    let _ = Doc::expr(cond!(deep between flag..flag));
}
