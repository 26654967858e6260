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
    // A sparse key's field is set to `None`, not removed: the key is removed with it.
    let _ = Order::expr(update!(remove(status)));
}
