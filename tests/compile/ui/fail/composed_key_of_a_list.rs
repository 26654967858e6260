use awstin_macros::dynamo_model;
dynamo_model! {
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" customer;
        key sk = "TAGS#" tags;
        attr customer: String;
        attr tags: Vec<String>;
    }
}

fn main() {}
