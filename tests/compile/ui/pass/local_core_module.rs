//! Expansions never name a bare `core`: a local `mod core` does not break them.
mod core {}

use awstin_macros::{cond, dynamo_model, project, update};

dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: Option<f64>; } }

fn main() {
    let (y, r) = (1999u32, 1.5);
    let _ = Movie::expr(cond!(year == y && rating > r));
    let _ = Movie::expr(update!(rating += r));
    let _ = Movie::expr(project!(year, rating));
}
