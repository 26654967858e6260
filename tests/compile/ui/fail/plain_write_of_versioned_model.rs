// A plain write of a versioned model does not compile: `Table::put`, `update` and `delete`
// require `Unversioned` of their model, as `plain_write` does here (the `awstin` crate's
// rustdoc of `Table::put` has the same write through a table, as a compile-fail doctest).
awstin_macros::dynamo_model! {
    pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 }
}

fn plain_write<M: awstin_core::TableModel + awstin_core::Unversioned>(_: &M) {}

fn main() {
    let doc = Doc { id: "readme".into(), body: "Hello".into(), rev: 0 };
    plain_write(&doc);
}
