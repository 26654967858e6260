// Two fields of a composed key side by side would not split back.
use awstin_core::key_text::{Piece, Template};

const PAIR: Template = Template::new(&[Piece::Text("P#"), Piece::Field, Piece::Field]);

fn main() {
    let _ = PAIR;
}
