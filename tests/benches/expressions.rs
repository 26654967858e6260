//! Expressions into what the SDK sends, three ways side by side in one run: awstin's macros,
//! the strings and maps a user would write by hand, and the `dynamodb-expression` crate.
//!
//! Three expressions (the Movies query, a 3-action update, a 10-term filter), each measured
//! twice: into the expression string and its names and values maps, and all the way into the
//! SDK's operation input. Also the core alone: the Movies query rendered into a stack buffer
//! against copying its finished text. All three ways must produce the same request (names and
//! values resolved), which `cargo test --benches` checks.
//!
//! `cargo bench -p awstin-tests --bench expressions` (or `scripts/bench` for every table row).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::collections::HashMap;
use std::hint::black_box;
use std::time::SystemTime;

use aws_sdk_dynamodb::operation::query::QueryInput;
use aws_sdk_dynamodb::operation::scan::ScanInput;
use aws_sdk_dynamodb::operation::update_item::UpdateItemInput;
use aws_sdk_dynamodb::types::AttributeValue;
use awstin::dynamodb::{Expressions, Render};
use awstin::expr::Request;
use awstin::expr::op::ReadSpec;
use awstin::{cond, dynamo_model, update};
use awstin_examples::Movie;
use awstin_tests::bench::{Counting, Row, allocations};
use criterion::Criterion;
use dynamodb_expression::{Expression, Num, Path};

dynamo_model! {
    /// An order of a shared table: composed keys.
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" customer;
        key sk = "ORDER#" placed "#" number;
        attr customer: String;
        attr placed: u32;
        attr number: u32;
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The run-time values every way uses.
struct Inputs {
    year: u32,
    from: String,
    to: String,
    rating: f64,
    plot: String,
    actors: Vec<String>,
    title: String,
    // The filter's.
    years: (u32, u32),
    rank: u32,
    time: u32,
    genre: String,
    prefix: String,
    date: String,
    cast: u32,
    // The composed-key query's.
    customer: String,
    placed: (u32, u32),
}

fn inputs() -> Inputs {
    Inputs {
        year: 1992,
        from: "A".into(),
        to: "L".into(),
        rating: 5.5,
        plot: "Everything happens all at once.".into(),
        actors: ["Larry", "Moe", "Curly"].map(String::from).to_vec(),
        title: "The Big New Movie".into(),
        years: (1990, 1999),
        rank: 100,
        time: 7200,
        genre: "Drama".into(),
        prefix: "The".into(),
        date: "1991-01-01".into(),
        cast: 3,
        customer: "c42".into(),
        placed: (20_260_101, 20_261_231),
    }
}

type Names = HashMap<String, String>;
type Values = HashMap<String, AttributeValue>;
/// An expression, its names and its values, as the SDK's setters take them.
type Parts = (Option<String>, Option<Names>, Option<Values>);

fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}
fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}
fn names<const N: usize>(pairs: [(&str, &str); N]) -> Names {
    let mut m = HashMap::new();
    for (p, name) in pairs {
        m.insert(p.to_owned(), name.to_owned());
    }
    m
}

// ---------------------------------------------------------------------------------------------
// awstin
// ---------------------------------------------------------------------------------------------

fn awstin_query(i: &Inputs) -> Expressions {
    let (y, a, b) = (i.year, &i.from, &i.to);
    let key = Movie::expr(cond!(year == y && title between a..b));
    let mut r = Render::new();
    r.key(&key).expect("renders");
    r.finish().expect("renders")
}

fn awstin_update(i: &Inputs) -> Expressions {
    let (r, p, a) = (i.rating, &i.plot, &i.actors);
    let u = Movie::expr(update!(info.rating = r, info.plot = p, info.actors = a));
    let mut render = Render::new();
    render.update(&u).expect("renders");
    render.finish().expect("renders")
}

fn awstin_filter(i: &Inputs) -> Expressions {
    let ((y0, y1), r, k, t, g, p, d, c) = (
        i.years, i.rating, i.rank, i.time, &i.genre, &i.prefix, &i.date, i.cast,
    );
    let f = Movie::expr(cond!(
        year >= y0
            && year <= y1
            && info.rating >= r
            && info.rank <= k
            && info.running_time_secs < t
            && attribute_exists(info.plot)
            && contains(info.genres, g)
            && begins_with(title, p)
            && info.release_date > d
            && size(info.actors) >= c
    ));
    let mut render = Render::new();
    render.filter(&f).expect("renders");
    render.finish().expect("renders")
}

/// A key condition over composed keys' fields, rendered by a described read.
fn awstin_composed(i: &Inputs) -> Parts {
    let (c, (a, b)) = (i.customer.as_str(), i.placed);
    let key = Order::expr(cond!(customer == c && placed between a..b));
    let e = Expressions::of_read(ReadSpec::query("App", &key)).expect("renders");
    (e.key_condition, e.names, e.values)
}

/// The same query by hand: the keys' texts made with `format!` (the customer needs no
/// escape and the numbers are unsigned, so the texts are the same).
fn hand_composed(i: &Inputs) -> Parts {
    let expression = "#pk = :pk AND #sk BETWEEN :a AND :b".to_owned();
    let names = names([("#pk", "pk"), ("#sk", "sk")]);
    let mut values = HashMap::new();
    values.insert(":pk".to_owned(), s(&format!("CUSTOMER#{}", i.customer)));
    values.insert(":a".to_owned(), s(&format!("ORDER#{:010}", i.placed.0)));
    values.insert(":b".to_owned(), s(&format!("ORDER#{:010}$", i.placed.1)));
    by_hand((expression, names, values))
}

// ---------------------------------------------------------------------------------------------
// By hand: a literal expression and the maps filled one insert at a time.
// ---------------------------------------------------------------------------------------------

fn hand_query(i: &Inputs) -> (String, Names, Values) {
    let expression = "#y = :y AND #t BETWEEN :a AND :b".to_owned();
    let names = names([("#y", "year"), ("#t", "title")]);
    let mut values = HashMap::new();
    values.insert(":y".to_owned(), n(i.year));
    values.insert(":a".to_owned(), s(&i.from));
    values.insert(":b".to_owned(), s(&i.to));
    (expression, names, values)
}

fn hand_update(i: &Inputs) -> (String, Names, Values) {
    let expression = "SET #i.#r = :r, #i.#p = :p, #i.#a = :a".to_owned();
    let names = names([
        ("#i", "info"),
        ("#r", "rating"),
        ("#p", "plot"),
        ("#a", "actors"),
    ]);
    let mut values = HashMap::new();
    values.insert(":r".to_owned(), n(i.rating));
    values.insert(":p".to_owned(), s(&i.plot));
    values.insert(
        ":a".to_owned(),
        AttributeValue::L(i.actors.iter().map(|a| s(a)).collect()),
    );
    (expression, names, values)
}

fn hand_filter(i: &Inputs) -> (String, Names, Values) {
    let expression = "#y >= :y0 AND #y <= :y1 AND #i.#r >= :r AND #i.#k <= :k \
        AND #i.#t < :t AND attribute_exists(#i.#p) AND contains(#i.#g, :g) \
        AND begins_with(#ti, :p) AND #i.#d > :d AND size(#i.#a) >= :c"
        .to_owned();
    let names = names([
        ("#y", "year"),
        ("#i", "info"),
        ("#r", "rating"),
        ("#k", "rank"),
        ("#t", "running_time_secs"),
        ("#p", "plot"),
        ("#g", "genres"),
        ("#ti", "title"),
        ("#d", "release_date"),
        ("#a", "actors"),
    ]);
    let mut values = HashMap::new();
    values.insert(":y0".to_owned(), n(i.years.0));
    values.insert(":y1".to_owned(), n(i.years.1));
    values.insert(":r".to_owned(), n(i.rating));
    values.insert(":k".to_owned(), n(i.rank));
    values.insert(":t".to_owned(), n(i.time));
    values.insert(":g".to_owned(), s(&i.genre));
    values.insert(":p".to_owned(), s(&i.prefix));
    values.insert(":d".to_owned(), s(&i.date));
    values.insert(":c".to_owned(), n(i.cast));
    (expression, names, values)
}

// ---------------------------------------------------------------------------------------------
// The dynamodb-expression crate.
// ---------------------------------------------------------------------------------------------

fn path(p: &str) -> Path {
    p.parse().expect("a path")
}

fn crate_query(i: &Inputs) -> Expression {
    Expression::builder()
        .with_key_condition(
            Path::new_name("year")
                .key()
                .equal(Num::new(i.year))
                .and(Path::new_name("title").key().between(&i.from, &i.to)),
        )
        .build()
}

fn crate_update(i: &Inputs) -> Expression {
    let update = path("info.rating")
        .set(Num::new(i.rating))
        .and(path("info.plot").set(&i.plot))
        .and(
            path("info.actors").set(dynamodb_expression::value::List::from(
                i.actors.iter().map(String::as_str).collect::<Vec<_>>(),
            )),
        );
    Expression::builder().with_update(update).build()
}

fn crate_filter(i: &Inputs) -> Expression {
    let filter = Path::new_name("year")
        .greater_than_or_equal(Num::new(i.years.0))
        .and(Path::new_name("year").less_than_or_equal(Num::new(i.years.1)))
        .and(path("info.rating").greater_than_or_equal(Num::new(i.rating)))
        .and(path("info.rank").less_than_or_equal(Num::new(i.rank)))
        .and(path("info.running_time_secs").less_than(Num::new(i.time)))
        .and(path("info.plot").attribute_exists())
        .and(path("info.genres").contains(&i.genre))
        .and(Path::new_name("title").begins_with(&i.prefix))
        .and(path("info.release_date").greater_than(&i.date))
        .and(
            path("info.actors")
                .size()
                .greater_than_or_equal(Num::new(i.cast)),
        );
    Expression::builder().with_filter(filter).build()
}

// ---------------------------------------------------------------------------------------------
// All the way into the SDK's inputs.
// ---------------------------------------------------------------------------------------------

fn key(i: &Inputs) -> HashMap<String, AttributeValue> {
    let mut k = HashMap::new();
    k.insert("year".to_owned(), n(i.year));
    k.insert("title".to_owned(), s(&i.title));
    k
}

fn query_input(e: Option<String>, names: Option<Names>, values: Option<Values>) -> QueryInput {
    QueryInput::builder()
        .table_name("Movies")
        .set_key_condition_expression(e)
        .set_expression_attribute_names(names)
        .set_expression_attribute_values(values)
        .build()
        .expect("a query input")
}

fn update_input(
    i: &Inputs,
    e: Option<String>,
    names: Option<Names>,
    values: Option<Values>,
) -> UpdateItemInput {
    UpdateItemInput::builder()
        .table_name("Movies")
        .set_key(Some(key(i)))
        .set_update_expression(e)
        .set_expression_attribute_names(names)
        .set_expression_attribute_values(values)
        .build()
        .expect("an update input")
}

fn scan_input(e: Option<String>, names: Option<Names>, values: Option<Values>) -> ScanInput {
    ScanInput::builder()
        .table_name("Movies")
        .set_filter_expression(e)
        .set_expression_attribute_names(names)
        .set_expression_attribute_values(values)
        .build()
        .expect("a scan input")
}

/// The three ways of one expression, as functions of the inputs.
struct Case {
    name: &'static str,
    awstin: fn(&Inputs) -> Parts,
    hand: fn(&Inputs) -> Parts,
    other: fn(&Inputs) -> Parts,
    input: fn(&Inputs, Parts) -> SdkInput,
}

/// One of the SDK inputs built.
#[derive(Debug, PartialEq)]
enum SdkInput {
    Query(Box<QueryInput>),
    Update(Box<UpdateItemInput>),
    Scan(Box<ScanInput>),
}

fn by_hand(t: (String, Names, Values)) -> Parts {
    (Some(t.0), Some(t.1), Some(t.2))
}

fn cases() -> [Case; 3] {
    [
        Case {
            name: "query",
            awstin: |i| {
                let e = awstin_query(i);
                (e.key_condition, e.names, e.values)
            },
            hand: |i| by_hand(hand_query(i)),
            other: |i| {
                let e = crate_query(i);
                (
                    e.key_condition_expression,
                    e.expression_attribute_names,
                    e.expression_attribute_values,
                )
            },
            input: |_, (e, n, v)| SdkInput::Query(Box::new(query_input(e, n, v))),
        },
        Case {
            name: "update",
            awstin: |i| {
                let e = awstin_update(i);
                (e.update, e.names, e.values)
            },
            hand: |i| by_hand(hand_update(i)),
            other: |i| {
                let e = crate_update(i);
                (
                    e.update_expression,
                    e.expression_attribute_names,
                    e.expression_attribute_values,
                )
            },
            input: |i, (e, n, v)| SdkInput::Update(Box::new(update_input(i, e, n, v))),
        },
        Case {
            name: "filter10",
            awstin: |i| {
                let e = awstin_filter(i);
                (e.filter, e.names, e.values)
            },
            hand: |i| by_hand(hand_filter(i)),
            other: |i| {
                let e = crate_filter(i);
                (
                    e.filter_expression,
                    e.expression_attribute_names,
                    e.expression_attribute_values,
                )
            },
            input: |_, (e, n, v)| SdkInput::Scan(Box::new(scan_input(e, n, v))),
        },
    ]
}

/// The expression with each placeholder replaced by its name or value, and without
/// parentheses (one crate brackets each `AND` operand): the request the three ways send.
fn resolved(parts: &Parts) -> String {
    let (e, names, values) = parts;
    let text = e.as_deref().expect("an expression");
    let (empty_n, empty_v) = (HashMap::new(), HashMap::new());
    let (names, values) = (
        names.as_ref().unwrap_or(&empty_n),
        values.as_ref().unwrap_or(&empty_v),
    );
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(['#', ':']) {
        out.push_str(&rest[..at]);
        let end = rest[at + 1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .map_or(rest.len(), |e| at + 1 + e);
        let placeholder = &rest[at..end];
        match names.get(placeholder) {
            Some(name) => out.push_str(name),
            None => out.push_str(&format!(
                "{:?}",
                values
                    .get(placeholder)
                    .expect("every placeholder is defined")
            )),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.replace(['(', ')'], "")
}

fn main() {
    let started = SystemTime::now();
    let i = inputs();
    for case in cases() {
        let ours = (case.awstin)(&i);
        assert_eq!(resolved(&ours), resolved(&(case.hand)(&i)), "{}", case.name);
        assert_eq!(
            resolved(&ours),
            resolved(&(case.other)(&i)),
            "{}",
            case.name
        );
    }
    assert_eq!(
        resolved(&awstin_composed(&i)),
        resolved(&hand_composed(&i)),
        "composed"
    );
    // The core alone: the text it renders equals the literal copied.
    const QUERY_TEXT: &str = "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2";
    let core_render = |i: &Inputs| {
        let (y, a, b) = (i.year, i.from.as_str(), i.to.as_str());
        let key = Movie::expr(cond!(year == y && title between a..b));
        let mut request = Request::<4, 4>::new();
        let mut out = heapless::String::<128>::new();
        request.key_condition(&key, &mut out).expect("renders");
        (out, request.values().len())
    };
    let copy = || {
        let mut out = heapless::String::<128>::new();
        out.push_str(black_box(QUERY_TEXT)).expect("fits");
        out
    };
    assert_eq!(core_render(&i).0, copy());
    assert_eq!(
        allocations(|| core_render(&i)),
        0,
        "the core allocates nothing"
    );

    // Instruction counting (`scripts/count-instructions.sh`): run one way of building a
    // request AWSTIN_COUNT_N times and stop, for callgrind to count.
    if let Ok(which) = std::env::var("AWSTIN_COUNT") {
        let n: usize = std::env::var("AWSTIN_COUNT_N")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let case = cases()
            .into_iter()
            .find(|c| which.starts_with(c.name))
            .expect("AWSTIN_COUNT names a case: query, update or filter, then /awstin or /hand");
        let build = if which.ends_with("/hand") {
            case.hand
        } else {
            case.awstin
        };
        for _ in 0..n {
            black_box(build(black_box(&i)));
        }
        return;
    }

    let mut c = Criterion::default().configure_from_args();
    for case in cases() {
        let mut group = c.benchmark_group(format!("expr_{}", case.name));
        group.bench_function("maps/awstin", |b| b.iter(|| (case.awstin)(black_box(&i))));
        group.bench_function("maps/hand", |b| b.iter(|| (case.hand)(black_box(&i))));
        group.bench_function("maps/dynamodb-expression", |b| {
            b.iter(|| (case.other)(black_box(&i)))
        });
        group.bench_function("input/awstin", |b| {
            b.iter(|| (case.input)(&i, (case.awstin)(black_box(&i))))
        });
        group.bench_function("input/hand", |b| {
            b.iter(|| (case.input)(&i, (case.hand)(black_box(&i))))
        });
        group.bench_function("input/dynamodb-expression", |b| {
            b.iter(|| (case.input)(&i, (case.other)(black_box(&i))))
        });
        group.finish();
    }
    {
        let mut group = c.benchmark_group("expr_composed");
        group.bench_function("maps/awstin", |b| b.iter(|| awstin_composed(black_box(&i))));
        group.bench_function("maps/format", |b| b.iter(|| hand_composed(black_box(&i))));
        group.finish();
    }
    {
        let mut group = c.benchmark_group("core_render");
        group.bench_function("awstin", |b| b.iter(|| core_render(black_box(&i))));
        group.bench_function("copy", |b| b.iter(copy));
        group.finish();
    }
    c.final_summary();

    let mut rows = Vec::new();
    for case in cases() {
        let group = format!("expr_{}", case.name);
        for (stage, what) in [
            ("maps", "expression + maps"),
            ("input", "into the SDK input"),
        ] {
            let ours = format!("{stage}/awstin");
            rows.push(Row::time(
                &format!("{}: {what} vs by hand", case.name),
                &group,
                (&ours, &format!("{stage}/hand")),
                0.87,
                started,
            ));
            rows.push(Row::time(
                &format!("{}: {what} vs dynamodb-expression", case.name),
                &group,
                (&ours, &format!("{stage}/dynamodb-expression")),
                2.0,
                started,
            ));
        }
        rows.push(Row::allocations(
            &format!("{}: allocations, expression + maps", case.name),
            allocations(|| (case.awstin)(&i)) as f64,
            allocations(|| (case.hand)(&i)) as f64,
            "by hand",
        ));
    }
    rows.push(Row::time(
        "composed-key query: expression + maps vs keys by format! by hand",
        "expr_composed",
        ("maps/awstin", "maps/format"),
        0.87,
        started,
    ));
    rows.push(Row::time(
        "core: Movies query into a stack buffer vs copying its text",
        "core_render",
        ("awstin", "copy"),
        0.5,
        started,
    ));
    for row in &rows {
        row.print();
        if matches!(row.target, awstin_tests::bench::Target::AllocationsAtMost) {
            row.assert_met();
        }
    }
}
