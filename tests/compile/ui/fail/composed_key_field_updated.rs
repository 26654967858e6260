use awstin_macros::{dynamo_model, update};
dynamo_model! {
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" customer;
        key sk = "ORDER#" number;
        attr customer: String;
        attr number: u32;
        attr total: f64;
    }
}

fn main() {
    let c = "c2".to_string();
    let _ = Order::expr(update!(customer = c));
}
