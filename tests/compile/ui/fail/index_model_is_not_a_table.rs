// Writes and reads by key take a table model; the `awstin` crate's `Table` methods carry this
// bound, so writing through an index model does not compile.
use awstin_macros::dynamo_model;
dynamo_model! { pub struct ByGenre { index "by-genre" on "Movies"; key genre: String; key year: u32; attr title: String } }

fn write<M: awstin_core::TableModel>(_: &M) {}

fn main() {
    write(&ByGenre { genre: "Drama".into(), year: 1990, title: "A".into() });
}
