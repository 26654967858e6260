use awstin_macros::dynamo_model;
dynamo_model! {
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" customer;
        attr customer: Option<String>;
    }
}

fn main() {}
