//! The Movies tutorial, step by step: the requests each step of AWS's DynamoDB "Getting
//! Started" guide sends, as awstin renders them.

use std::fmt::Write as _;

use awstin::core::json::to_json;
use awstin::{
    Condition, Document, Error, KeyCondition, Projection, Request, Update, cond, dynamo_model,
    update,
};

dynamo_model! {
    /// A film in the Movies table.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "Movies";
        /// Year of release: the partition key.
        key year: u32;
        /// Title: the sort key.
        key title: String;
        /// Everything else.
        attr info: Info;
    }
}

dynamo_model! {
    /// Details of a film.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Info {
        /// Plot summary.
        attr plot: Option<String>;
        /// Rating.
        attr rating: Option<f64>;
        /// Leading actors.
        attr actors: Vec<String>;
    }
}

/// One request's expressions, printed with their placeholder tables.
#[derive(Default)]
struct Step<'a> {
    request: Request<'a, 16, 16>,
    lines: String,
}

impl<'a> Step<'a> {
    fn key<C: KeyCondition<Movie>>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.key_condition(c, &mut s)?;
        let _ = writeln!(self.lines, "  KeyConditionExpression: {s}");
        Ok(self)
    }
    fn condition<C: Condition>(mut self, label: &str, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.condition(c, &mut s)?;
        let _ = writeln!(self.lines, "  {label}: {s}");
        Ok(self)
    }
    fn update<U: Update>(mut self, u: &'a U) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.update(u, &mut s)?;
        let _ = writeln!(self.lines, "  UpdateExpression: {s}");
        Ok(self)
    }
    #[allow(dead_code)]
    fn projection<P: Projection>(mut self, p: &'a P) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.projection(p, &mut s)?;
        let _ = writeln!(self.lines, "  ProjectionExpression: {s}");
        Ok(self)
    }
    fn print(self, title: &str) -> Result<(), Error> {
        println!("{title}");
        print!("{}", self.lines);
        for (placeholder, name) in self.request.names() {
            println!("    {placeholder} -> {name}");
        }
        for (placeholder, value) in self.request.values() {
            let mut json = String::new();
            to_json(value, &mut json)?;
            println!("    {placeholder} -> {json}");
        }
        println!();
        Ok(())
    }
}

fn main() -> Result<(), Error> {
    let (title, year) = ("The Big New Movie".to_string(), 2015u32);

    let (rating, plot, actors) = (
        5.5,
        "Everything happens all at once.",
        vec!["Larry", "Moe", "Curly"],
    );
    let u = Movie::expr(update!(
        info.rating = rating,
        info.plot = plot,
        info.actors = actors
    ));
    Step::default()
        .update(&u)?
        .print(&format!("Update an item ({year}, {title}):"))?;

    let rating_increase = 1;
    let u = Movie::expr(update!(info.rating = attr(info.rating) + rating_increase));
    Step::default()
        .update(&u)?
        .print("Increment an atomic counter:")?;

    let actor_count = 3;
    let u = Movie::expr(update!(remove(info.actors[0])));
    let c = Movie::expr(cond!(size(info.actors) >= actor_count));
    Step::default()
        .update(&u)?
        .condition("ConditionExpression", &c)?
        .print("Update an item conditionally:")?;

    let rating = 5;
    let c = Movie::expr(cond!(info.rating <= rating));
    Step::default()
        .condition("ConditionExpression", &c)?
        .print("Delete an item conditionally:")?;

    let query_year = 1985;
    let k = Movie::expr(cond!(year == query_year));
    Step::default()
        .key(&k)?
        .print(&format!("Query movies from {query_year}:"))?;

    let (query_year, from, to) = (1992, "A", "L");
    let k = Movie::expr(cond!(year == query_year && title between from..to));
    Step::default().key(&k)?.print(&format!(
        "Query movies from {query_year} with titles from {from} to {to}:"
    ))?;

    let (from, to) = (1950, 1959);
    let f = Movie::expr(cond!(year between from..=to));
    Step::default()
        .condition("FilterExpression", &f)?
        .print(&format!("Scan for movies from {from} to {to}:"))?;
    Ok(())
}
