use awstin_macros::{dynamo_model, update};
dynamo_model! {
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" customer;
        key sk = "ORDER#" number;
        index_key gsi1pk = "STATUS#" status;
        attr customer: String;
        attr number: u32;
        attr status: Option<String>;
    }
}

fn main() {
    let s = Some("shipped".to_string());
    let _ = Order::expr(update!(status = s));
}
