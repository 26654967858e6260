use awstin_macros::{dynamo_collection, dynamo_model};
dynamo_model! { pub struct Customer { table "App"; entity "Customer"; key pk = "C#" id; key sk = "PROFILE"; attr id: String } }
dynamo_model! { pub struct Order { table "Orders"; entity "Order"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 } }
dynamo_collection! { pub enum CustomerItems { Customer(Customer), Order(Order) } }

fn main() {}
