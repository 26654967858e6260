// The entity type's attribute (`_type` unless renamed) cannot be a field's too: a put would
// write one over the other.
use awstin_macros::dynamo_model;
dynamo_model! { pub struct Todo { table "App"; entity "Todo"; key id: String; attr _type: String } }
dynamo_model! { pub struct Note { table "App"; entity "Note" as "kind"; key id: String; attr kind: String } }
dynamo_model! { pub struct Empty { table "App"; entity ""; key id: String } }

fn main() {}
