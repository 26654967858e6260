// The message of the `Unversioned` bound, which `Table::put`, `update` and `delete` require of
// their model. The writes themselves, through a table, alone, as transaction members and as
// batch requests, are compile-fail doctests of the `awstin` crate (`Table::put`, `update`,
// `delete`), each beside the same write of an unversioned model, which compiles; this
// package builds without the AWS SDK.
awstin_macros::dynamo_model! {
    pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 }
}

fn plain_write<M: awstin_core::TableModel + awstin_core::Unversioned>(_: &M) {}

fn main() {
    let doc = Doc { id: "readme".into(), body: "Hello".into(), rev: 0 };
    plain_write(&doc);
}
