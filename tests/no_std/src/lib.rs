//! Every DSL macro, in a `#![no_std]` crate without `alloc`.
#![no_std]

use awstin_core::{Error, Request};
use awstin_macros::{cond, dynamo_model, project, update};

dynamo_model! {
    /// A film.
    pub struct Movie { table "Movies"; key year: u32; key title: &'static str; attr info: Info; }
}

dynamo_model! {
    /// Its details.
    pub struct Info { attr rating: f64; attr actors: [&'static str; 3]; }
}

dynamo_model! { index "by-title" on "Movies"; key title: &'static str; }

/// Renders a key condition, a filter, an update and a projection into `out`.
pub fn render_all(out: &mut heapless::String<512>) -> Result<(), Error> {
    let (y, a, b, r) = (1992u32, "A", "L", 5.0);
    let key = Movie::expr(cond!(year == y && title between a..b));
    let filter = Movie::expr(cond!(info.rating > r || !attribute_exists(info.actors)));
    let changes = Movie::expr(update!(info.rating += 1, remove(info.actors[0])));
    let fields = Movie::expr(project!(year, info.rating));
    let by_title = Record::expr(cond!(title == a));
    let mut request = Request::<8, 8>::new();
    request.key_condition(&key, out)?;
    request.filter(&filter, out)?;
    request.update(&changes, out)?;
    request.projection(&fields, out)?;
    Request::<2, 2>::new().key_condition(&by_title, out)
}
