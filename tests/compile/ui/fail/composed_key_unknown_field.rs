use awstin_macros::dynamo_model;
dynamo_model! {
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" custmer;
        attr customer: String;
    }
}

fn main() {}
