// A literal after a field of a composed key must begin with "#": the field's text would run
// into it, and the key would not split back into its fields.
use awstin_core::key_text::{Piece, Template};

const ORDER: Template = Template::new(&[Piece::Text("ORDER#"), Piece::Field, Piece::Text("-"), Piece::Field]);

fn main() {
    let _ = ORDER;
}
