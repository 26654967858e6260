//! The operands handler code has: fields of a parsed input, method calls, references,
//! computed values (owned by the expression), and another attribute in `between` bounds.
use awstin_core::Request;
use awstin_macros::{cond, dynamo_model, update};

dynamo_model! {
    pub struct Movie {
        table "Movies";
        key year: u32;
        key title: String;
        attr genre: String;
        attr rating: f64;
        attr tags: Vec<String>;
        attr plays: u32;
    }
}

struct Input {
    year: u32,
    from: String,
    to: String,
    genres: Vec<String>,
    min: f64,
    title: String,
    pair: (u32, String),
}

impl Input {
    fn next_year(&self) -> u32 {
        self.year + 1
    }
}

fn text<C: awstin_core::Condition>(c: &C) -> String {
    let mut out = String::new();
    Request::<8, 8>::new().condition(c, &mut out).expect("renders");
    out
}

fn main() {
    let input = Input {
        year: 1992,
        from: "A".into(),
        to: "L".into(),
        genres: vec!["Drama".into()],
        min: 2.5,
        title: "T".into(),
        pair: (7, "p".into()),
    };
    let key = Movie::expr(cond!(year == input.year && title between input.from..input.to));
    assert_eq!(text(&key), "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
    let _ = Movie::expr(cond!(year == input.next_year()));
    let _ = Movie::expr(cond!(title == input.title.as_str()));
    let _ = Movie::expr(cond!(title == &input.title));
    let _ = Movie::expr(cond!(year == input.pair.0 && title == input.pair.1));
    let _ = Movie::expr(cond!(year == (input.year + 1)));
    let _ = Movie::expr(cond!(rating > {input.min * 2.0}));
    let _ = Movie::expr(cond!(title == {format!("{}!", input.title)}));
    let _ = Movie::expr(cond!(genre in input.genres));
    let _ = Movie::expr(cond!(title in [attr(genre), "x"]));
    let _ = Movie::expr(cond!(genre in [input.title.as_str(), input.from.as_str()]));
    let _ = Movie::expr(cond!(title between attr(genre).."z"));
    let _ = Movie::expr(cond!(title between input.from..=attr(genre)));
    let _ = Movie::expr(cond!(begins_with(title, input.title.as_str())));
    let _ = Movie::expr(update!(rating = input.min, plays = input.next_year()));
    let _ = Movie::expr(update!(rating += (input.min / 2.0), tags = list_append(attr(tags), input.genres.clone())));
    // `input` is still whole: the fields and temporaries above were borrowed or owned, not
    // moved out of it.
    assert_eq!(input.genres.len(), 1);
}
