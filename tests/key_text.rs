//! Composed keys' text (`awstin_core::key_text`): the order DynamoDB gives the text is the
//! order of the values, field by field; every text reads back to its values; no value makes
//! another's text or a template's literal. Checked in memory on tens of thousands of random
//! pairs, and on thousands of composed keys stored in the embedded DynamoDB and read back with
//! `between`.

#![allow(missing_docs)] // test models: the fields speak for themselves

use std::cmp::Ordering;

use futures::TryStreamExt as _;

use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{cond, dynamo_model};
use awstin_core::key_text::{self, FromKeyText, Piece, SEPARATOR, Template, ToKeyText};
use awstin_core::{DecodeError, Number};

fn text(v: &dyn ToKeyText) -> String {
    let mut s = String::new();
    v.write_key_text(&mut s).expect("a key part");
    s
}

/// Strings chosen to break a key: the separator alone and at either end, another entity's
/// prefix, the escape character, empty, NUL and the other controls, space, `!` and `"` (below
/// the separator), U+FFFF, astral characters, and plain ones.
const HOSTILE: &[&str] = &[
    "#",
    "#a",
    "a#",
    "##",
    "ORDER#",
    "USER#42#ORDER#1",
    "%",
    "%23",
    "%2",
    "",
    "\0",
    "\u{1}\u{1f}",
    " ",
    "!",
    "\"",
    "$",
    "&",
    "\u{ffff}",
    "\u{10ffff}",
    "😀#😀",
    "a",
    "a ",
    "a!",
    "ab",
    "Z",
    "~",
];

fn random_string(rng: &mut fastrand::Rng) -> String {
    if rng.u8(0..4) == 0 {
        return HOSTILE[rng.usize(..HOSTILE.len())].to_owned();
    }
    (0..rng.usize(0..6))
        .map(|_| match rng.u8(0..6) {
            0 => char::from(rng.u8(0..0x30)),
            1 => rng.char('\u{80}'..='\u{10ffff}'),
            _ => char::from(rng.u8(b'0'..=b'z')),
        })
        .collect()
}

fn random_f64(rng: &mut fastrand::Rng) -> f64 {
    const ENDS: &[f64] = &[
        0.0, -0.0, 1.0, -1.0, 1.5, -1.5, 0.1, -0.1, 1e125, -1e125, 1e-130, -1e-130,
    ];
    match rng.u8(0..8) {
        0 => ENDS[rng.usize(..ENDS.len())],
        1 => f64::from(rng.i32(..)),
        2 => rng.f64() * 10f64.powi(rng.i32(-120..120)),
        _ => (rng.f64() - 0.5) * 10f64.powi(rng.i32(-20..20)),
    }
}

/// The value's order and its text's order agree, and the text reads back to the value.
fn check_pair<T>(a: &T, b: &T, cmp: impl Fn(&T, &T) -> Ordering, same: impl Fn(&T, &T) -> bool)
where
    T: ToKeyText + FromKeyText + std::fmt::Debug,
{
    let (ta, tb) = (text(a), text(b));
    assert_eq!(
        ta.as_bytes().cmp(tb.as_bytes()),
        cmp(a, b),
        "the order of {a:?} and {b:?}: {ta:?}, {tb:?}"
    );
    assert!(
        !ta.contains(SEPARATOR),
        "{a:?}'s text {ta:?} holds the separator"
    );
    let back = T::from_key_text(&ta).expect("reads back");
    assert!(same(&back, a), "{a:?} read back as {back:?} from {ta:?}");
}

const PAIRS: usize = 20_000;

#[test]
fn each_types_text_orders_as_its_values_and_reads_back() {
    let mut rng = fastrand::Rng::with_seed(30);
    for _ in 0..PAIRS {
        let (a, b) = (random_string(&mut rng), random_string(&mut rng));
        check_pair(&a, &b, |a, b| a.as_bytes().cmp(b.as_bytes()), |x, y| x == y);
        let (a, b) = (
            rng.i64(..),
            [rng.i64(..), rng.i64(-5..5), i64::MIN, i64::MAX][rng.usize(0..4)],
        );
        check_pair(&a, &b, Ord::cmp, |x, y| x == y);
        let (a, b) = (rng.u32(..), rng.u32(..));
        check_pair(&a, &b, Ord::cmp, |x, y| x == y);
        let (a, b) = (rng.u64(..), u64::MAX);
        check_pair(&a, &b, Ord::cmp, |x, y| x == y);
        let (a, b) = (random_f64(&mut rng), random_f64(&mut rng));
        // -0.0 and 0.0 are one number, as DynamoDB's are.
        check_pair(
            &a,
            &b,
            |x, y| x.partial_cmp(y).expect("finite"),
            |x, y| x == y,
        );
        let (a, b) = (rng.bool(), rng.bool());
        check_pair(&a, &b, Ord::cmp, |x, y| x == y);
    }
}

#[test]
fn numbers_at_dynamodbs_ends_order_and_read_back() {
    let ends: Vec<Number> = [
        "1e125",
        "9.9999999999999999999999999999999999999e125",
        "-9.9999999999999999999999999999999999999e125",
        "1e-130",
        "-1e-130",
        "12345678901234567890123456789012345678",
        "-12345678901234567890123456789012345678",
        "0",
        "1",
        "-1",
        "10",
        "0.1",
        "-0.1",
        "-10",
    ]
    .iter()
    .map(|s| s.parse().expect("a number"))
    .collect();
    for a in &ends {
        for b in &ends {
            check_pair(
                a,
                b,
                |x, y| x.partial_cmp(y).expect("ordered"),
                |x, y| x == y,
            );
        }
    }
    let mut s = String::new();
    assert!(f64::NAN.write_key_text(&mut s).is_err(), "NaN is refused");
    assert!(
        f64::INFINITY.write_key_text(&mut s).is_err(),
        "infinity is refused"
    );
}

#[test]
fn texts_that_no_value_makes_are_refused() {
    for bad in ["a#b", "%2", "%2g", "%26", "%41", "%ff", "a b", "\0"] {
        assert!(String::from_key_text(bad).is_err(), "{bad:?}");
    }
    for bad in [
        "", "2", "3130", "21300", "2130", "0125:", "012590:", "21301x", "1 ", "01258",
    ] {
        assert!(Number::from_key_text(bad).is_err(), "{bad:?}");
    }
    for bad in ["981", "00000009810", "-000000981", "000000098a"] {
        assert!(u32::from_key_text(bad).is_err(), "{bad:?}");
    }
    assert!(i8::from_key_text(&text(&1000i32)).is_err(), "out of range");
    assert!(bool::from_key_text("1").is_err());
}

const ORDER: Template = Template::new(&[
    Piece::Text("ORDER#"),
    Piece::Field,
    Piece::Text("#"),
    Piece::Field,
]);

fn compose(a: &str, b: i64) -> String {
    let mut key = String::new();
    ORDER.write(&[&a, &b], &mut key).expect("a key");
    key
}

fn decompose(key: &str) -> Result<(String, i64), DecodeError> {
    let mut fields = [""; 2];
    ORDER.split(key, &mut fields)?;
    Ok((key_text::read(fields[0])?, key_text::read(fields[1])?))
}

/// Every hostile string in every position of a two-field template: its key reads back to the
/// same values, differs from every other pair's, and never begins with another template's
/// literal or holds a literal it was not given.
#[test]
fn hostile_values_in_every_position_neither_collide_nor_forge() {
    let numbers = [i64::MIN, -1, 0, 1, i64::MAX];
    let mut seen = std::collections::HashMap::new();
    for a in HOSTILE {
        for b in numbers {
            let key = compose(a, b);
            assert_eq!(decompose(&key).expect("reads back"), ((*a).to_owned(), b));
            assert_eq!(
                key.matches(SEPARATOR).count(),
                2,
                "{key:?}: only the template's separators"
            );
            if let Some(other) = seen.insert(key.clone(), ((*a).to_owned(), b)) {
                panic!("{key:?} made by {other:?} and {:?}", (a, b));
            }
        }
    }
    // The second field a string: a value cannot add a field or reach past its own.
    const TWO: Template = Template::new(&[
        Piece::Text("USER#"),
        Piece::Field,
        Piece::Text("#TODO#"),
        Piece::Field,
    ]);
    for a in HOSTILE {
        for b in HOSTILE {
            let mut key = String::new();
            TWO.write(&[a, b], &mut key).expect("a key");
            let mut fields = [""; 2];
            TWO.split(&key, &mut fields).expect("splits");
            assert_eq!(
                (
                    String::from_key_text(fields[0]).expect("a"),
                    String::from_key_text(fields[1]).expect("b")
                ),
                ((*a).to_owned(), (*b).to_owned())
            );
            assert!(!key["USER#".len()..].starts_with("ORDER#"), "{key:?}");
            if let Some(other) = seen.insert(key.clone(), ((*a).to_owned(), 0)) {
                panic!("{key:?} made twice: {other:?}, {a:?}/{b:?}");
            }
        }
    }
    // A template's prefix written with the first fields only: what `begins_with` takes.
    let mut prefix = String::new();
    ORDER.write(&[&"2026"], &mut prefix).expect("a prefix");
    assert_eq!(prefix, "ORDER#2026#");
    assert!(compose("2026", 5).starts_with(&prefix));
    assert!(
        !compose("2026#", 5).starts_with(&prefix),
        "a value ending in the separator is not the prefix's"
    );
    assert!(
        ORDER
            .write(&[&"a", &1i64, &2i64], &mut String::new())
            .is_err(),
        "more values than fields"
    );
    // Keys of another template are refused, not read as this one's.
    assert!(decompose("USER#42").is_err());
    assert!(decompose("ORDER#a#21301#x").is_err());
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Row { table "Keys"; key pk: String; key sk: String }
}

const STORED: usize = 2_000;
const RANGES: usize = 60;

const FLOAT: Template = Template::new(&[
    Piece::Text("F#"),
    Piece::Field,
    Piece::Text("#"),
    Piece::Field,
]);

/// Stores `STORED` distinct values' keys under partition `pk`, then reads the partition and
/// `RANGES` random `between` ranges back: DynamoDB's order is the values' (`by_value`), every
/// key in a range is returned and no other, every key read decodes to its values. The keys
/// returned over the ranges.
async fn stored_in_order<V: Clone + PartialEq + std::fmt::Debug>(
    rows: &awstin::dynamodb::Table<Row>,
    pk: &str,
    rng: &mut fastrand::Rng,
    make: impl Fn(&mut fastrand::Rng) -> V,
    compose: impl Fn(&V) -> String,
    decompose: impl Fn(&str) -> Result<V, DecodeError>,
    by_value: impl Fn(&V, &V) -> Ordering,
) -> usize {
    let mut values: Vec<V> = Vec::new();
    let mut keys = std::collections::HashSet::new();
    while values.len() < STORED {
        let v = make(rng);
        if keys.insert(compose(&v)) {
            values.push(v);
        }
    }
    let items: Vec<Row> = values
        .iter()
        .map(|v| Row {
            pk: pk.into(),
            sk: compose(v),
        })
        .collect();
    for chunk in items.chunks(25) {
        rows.batch_write(chunk.iter().map(|r| rows.put(r)))
            .await
            .expect("stored");
    }
    let mut sorted = values.clone();
    sorted.sort_by(&by_value);
    let read_all = |rows: Vec<Row>| -> Vec<V> {
        rows.iter()
            .map(|r| decompose(&r.sk).expect("decodes"))
            .collect()
    };
    let all: Vec<Row> = rows
        .query(cond!(pk == pk))
        .stream()
        .try_collect()
        .await
        .expect("a query");
    assert_eq!(
        read_all(all),
        sorted,
        "{pk}: DynamoDB's order of the keys is the values' order"
    );
    let mut returned = 0;
    for _ in 0..RANGES {
        let (mut lo, mut hi) = (
            values[rng.usize(..values.len())].clone(),
            values[rng.usize(..values.len())].clone(),
        );
        if by_value(&lo, &hi) == Ordering::Greater {
            std::mem::swap(&mut lo, &mut hi);
        }
        let (from, to) = (compose(&lo), compose(&hi));
        let got: Vec<Row> = rows
            .query(cond!(pk == pk && sk between from.as_str()..to.as_str()))
            .stream()
            .try_collect()
            .await
            .expect("a query");
        let got = read_all(got);
        let expected: Vec<V> = sorted
            .iter()
            .filter(|v| by_value(v, &lo) != Ordering::Less && by_value(v, &hi) != Ordering::Greater)
            .cloned()
            .collect();
        assert_eq!(got, expected, "{pk}: between {lo:?} and {hi:?}");
        returned += got.len();
    }
    returned
}

/// Composed keys stored in the embedded DynamoDB and read back with `between`: DynamoDB's order
/// of the keys is the order of the values (a string then a signed integer; a float, signs and
/// fractions, then a string), every key in a range is returned and no other, and every key read
/// back decodes to the values it was made of.
#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_orders_composed_keys_as_their_values() {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Row>().expect("a spec"))
        .await
        .expect("a table");
    let rows = local.db().table::<Row>();
    let mut rng = fastrand::Rng::with_seed(3131);
    let strings_then_integers = stored_in_order(
        &rows,
        "P",
        &mut rng,
        |rng| {
            let a = random_string(rng).chars().take(3).collect::<String>();
            let b = match rng.u8(0..3) {
                0 => rng.i64(..),
                1 => rng.i64(-1000..1000),
                _ => [i64::MIN, i64::MAX, 0, -1, 1][rng.usize(0..5)],
            };
            (a, b)
        },
        |(a, b)| compose(a, *b),
        decompose,
        |x, y| x.0.as_bytes().cmp(y.0.as_bytes()).then(x.1.cmp(&y.1)),
    )
    .await;
    let floats_then_strings = stored_in_order(
        &rows,
        "F",
        &mut rng,
        |rng| {
            // -0.0 is 0.0 in DynamoDB, and reads back as it.
            let f = random_f64(rng);
            (
                if f == 0.0 { 0.0 } else { f },
                random_string(rng).chars().take(2).collect::<String>(),
            )
        },
        |(f, s)| {
            let mut key = String::new();
            FLOAT.write(&[f, s], &mut key).expect("a key");
            key
        },
        |key| {
            let mut fields = [""; 2];
            FLOAT.split(key, &mut fields)?;
            Ok((key_text::read(fields[0])?, key_text::read(fields[1])?))
        },
        |x: &(f64, String), y| {
            x.0.partial_cmp(&y.0)
                .expect("finite")
                .then(x.1.as_bytes().cmp(y.1.as_bytes()))
        },
    )
    .await;
    println!(
        "{} composed keys stored; {} ranges read, {} keys returned in the values' order",
        2 * STORED,
        2 * RANGES,
        strings_then_integers + floats_then_strings
    );
    assert!(
        strings_then_integers > RANGES && floats_then_strings > RANGES,
        "the ranges returned keys"
    );
}
