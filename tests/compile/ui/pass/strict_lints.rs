//! Expansions add no warnings to a crate that denies them, documented fields aside.
#![deny(warnings, missing_docs, clippy::pedantic)]

use awstin_macros::{cond, dynamo_model, project, update};

dynamo_model! {
    /// A film.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "Movies";
        /// Year.
        key year: u32;
        /// Title.
        key title: String;
        /// Details.
        attr info: Info;
    }
}

dynamo_model! {
    /// Details.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Info {
        /// Rating.
        attr rating: Option<f64> as "ratingValue";
        /// Actors.
        attr actors: Vec<String>;
    }
}

fn main() {
    let (y, a, b, n) = (1992u32, "A", "L", 3usize);
    let _ = Movie::expr(cond!(year == y && title between a..b));
    let _ = Movie::expr(cond!(
        size(info.actors) >= n || !attribute_exists(info.rating)
    ));
    let _ = Movie::expr(update!(remove(info.actors[0]), info.rating += 1));
    let _ = Movie::expr(project!(title, info.actors[0]));
}
