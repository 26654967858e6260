//! Local condition evaluation against the embedded DynamoDB: seeded random items (every type,
//! missing attributes, dynamic documents) and conditions drawn from the whole DSL. For each
//! case, the item is written, then deleted with the condition: the server's verdict (deleted
//! or not) must equal the local one.
//!
//! `AWSTIN_DIFF_CASES=10000 cargo test -p awstin-tests --test eval_differential` runs more.

use std::collections::BTreeSet;

use awstin::core::Condition;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, with_temporary_table};
use awstin::dynamodb::{Error, Table, matches};
use awstin::{Number, ValueBuf, cond, dynamo_model};

dynamo_model! {
    /// An item with optional attributes of every type.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Sample {
        table "Samples";
        /// Case number.
        key id: u32;
        /// A number.
        attr n: Option<Number>;
        /// A string.
        attr s: Option<String>;
        /// A binary.
        attr bin: Option<awstin::BinaryBuf>;
        /// A boolean.
        attr flag: Option<bool>;
        /// A string set (absent when empty).
        attr tags: BTreeSet<String>;
        /// A number set (absent when empty).
        attr nums: BTreeSet<Number>;
        /// A list.
        attr list: Option<Vec<u32>>;
        /// A document of any type.
        attr doc: Option<ValueBuf>;
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2.5",
    "-0.001",
    "10",
    "1e10",
    "99999999999999999999999999999999999999",
];
const STRINGS: &[&str] = &["", "a", "ab", "b", "Z", "é", "a.b", "The Big New Movie"];
const TAGS: &[&str] = &["a", "b", "c"];

fn number(rng: &mut fastrand::Rng) -> Number {
    NUMBERS[rng.usize(..NUMBERS.len())]
        .parse()
        .expect("a valid number")
}
fn string(rng: &mut fastrand::Rng) -> String {
    STRINGS[rng.usize(..STRINGS.len())].to_owned()
}
fn maybe<T>(rng: &mut fastrand::Rng, f: impl FnOnce(&mut fastrand::Rng) -> T) -> Option<T> {
    if rng.u8(..10) < 7 { Some(f(rng)) } else { None }
}

fn dynamic(rng: &mut fastrand::Rng, depth: u32) -> ValueBuf {
    match rng.u8(..if depth > 1 { 6 } else { 9 }) {
        0 => ValueBuf::S(string(rng)),
        1 => ValueBuf::N(number(rng)),
        2 => ValueBuf::Bool(rng.bool()),
        3 => ValueBuf::Null,
        4 => ValueBuf::SS(
            TAGS[..rng.usize(1..=TAGS.len())]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
        ),
        5 => ValueBuf::B(vec![rng.u8(..); rng.usize(0..3)]),
        6 => ValueBuf::L(
            (0..rng.usize(0..3))
                .map(|_| dynamic(rng, depth + 1))
                .collect(),
        ),
        7 => ValueBuf::M(
            (0..rng.usize(0..3))
                .map(|i| (format!("k{i}"), dynamic(rng, depth + 1)))
                .collect(),
        ),
        _ => ValueBuf::NS(vec![Number::from(rng.u8(..3))]),
    }
}

fn sample(id: u32, rng: &mut fastrand::Rng) -> Sample {
    Sample {
        id,
        n: maybe(rng, number),
        s: maybe(rng, string),
        bin: maybe(rng, |r| awstin::BinaryBuf(vec![r.u8(..); r.usize(0..3)])),
        flag: maybe(rng, fastrand::Rng::bool),
        tags: TAGS
            .iter()
            .filter(|_| rng.bool())
            .map(|s| (*s).to_owned())
            .collect(),
        nums: (0..rng.usize(0..3)).map(|_| number(rng)).collect(),
        list: maybe(rng, |r| (0..r.usize(0..3)).map(|_| r.u32(0..3)).collect()),
        doc: maybe(rng, |r| dynamic(r, 0)),
    }
}

/// What the cases found.
#[derive(Default)]
struct Outcomes {
    mismatches: Vec<String>,
    /// Cases where the emulator departs from DynamoDB's documentation (see `known_divergence`).
    divergences: Vec<String>,
    /// Per condition template: (held, did not hold), by the server's verdict.
    seen: std::collections::BTreeMap<&'static str, (u32, u32)>,
}

/// Writes `item`, deletes it if `condition` holds, and compares with the local verdict.
async fn agree<F, C>(
    table: &Table<Sample>,
    item: &Sample,
    condition: F,
    label: &'static str,
    out: &mut Outcomes,
) -> Result<(), Error>
where
    F: Fn(&'static <Sample as awstin::Document>::Fields) -> C + Copy,
    C: Condition<Model = Sample>,
{
    let local = matches(item, condition)?;
    table.put(item).await?;
    let server = table.delete_if(item.id, condition).await?;
    let seen = out.seen.entry(label).or_default();
    if server {
        seen.0 += 1
    } else {
        seen.1 += 1
    }
    if local != server {
        let case = format!("{label}: local {local}, server {server}, item {item:?}");
        if known_divergence(label, item) {
            out.divergences.push(case)
        } else {
            out.mismatches.push(case)
        }
    }
    Ok(())
}

/// The emulator counts `size()` of a string in characters; DynamoDB documents it in bytes
/// (UTF-8), which the local evaluation follows (`eval::size_of_a_string_is_its_utf8_byte_length`).
fn known_divergence(label: &str, item: &Sample) -> bool {
    let non_ascii = |s: Option<&str>| s.is_some_and(|s| !s.is_ascii());
    match label {
        "size(s)" => non_ascii(item.s.as_deref()),
        "doc member" => non_ascii(match &item.doc {
            Some(ValueBuf::S(s)) => Some(s),
            _ => None,
        }),
        _ => false,
    }
}

#[tokio::test]
async fn local_evaluation_agrees_with_dynamodb() -> Result<(), Error> {
    let cases: u32 = std::env::var("AWSTIN_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(local.db(), TableSpec::of::<Sample>()?, |table: Table<Sample>| async move {
        let mut rng = fastrand::Rng::with_seed(0x5eed);
        let mut out = Outcomes::default();
        for case in 0..cases {
            let item = sample(case, &mut rng);
            let (x, y, s1, s2) = (number(&mut rng), number(&mut rng), string(&mut rng), string(&mut rng));
            let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
            let tag = TAGS[rng.usize(..TAGS.len())];
            let size = rng.usize(0..4);
            let fresh = dynamic(&mut rng, 0);
            let doc_value = match (&item.doc, rng.u8(..3)) {
                (Some(own), 0) => own.clone(),
                _ => fresh,
            };
            let (t, (lo_s, hi_s)) = (rng.u8(..26), if s1 <= s2 { (&s1, &s2) } else { (&s2, &s1) });
            match t {
                0 => agree(&table, &item, cond!(n == x), "n == x", &mut out).await?,
                1 => agree(&table, &item, cond!(n != x), "n != x", &mut out).await?,
                2 => agree(&table, &item, cond!(n < x), "n < x", &mut out).await?,
                3 => agree(&table, &item, cond!(n >= x), "n >= x", &mut out).await?,
                4 => agree(&table, &item, cond!(n between lo..=hi), "n between", &mut out).await?,
                5 => agree(&table, &item, cond!(s == s1 || s > s2), "s == || s >", &mut out).await?,
                6 => agree(&table, &item, cond!(s between lo_s..=hi_s), "s between", &mut out).await?,
                7 => agree(&table, &item, cond!(begins_with(s, s1)), "begins_with(s)", &mut out).await?,
                8 => agree(&table, &item, cond!(contains(s, s1)), "contains(s)", &mut out).await?,
                9 => agree(&table, &item, cond!(contains(tags, tag)), "contains(tags)", &mut out).await?,
                10 => agree(&table, &item, cond!(size(tags) == size), "size(tags)", &mut out).await?,
                11 => agree(&table, &item, cond!(size(s) > size), "size(s)", &mut out).await?,
                12 => agree(&table, &item, cond!(attribute_exists(doc) && !attribute_exists(flag)), "exists", &mut out).await?,
                13 => agree(&table, &item, cond!(attribute_type(doc, M) || attribute_type(doc, L)), "attribute_type", &mut out).await?,
                14 => agree(&table, &item, cond!(doc == doc_value), "doc == value", &mut out).await?,
                15 => agree(&table, &item, cond!(doc != doc_value), "doc != value", &mut out).await?,
                16 => agree(&table, &item, cond!(doc < x || doc > s1), "doc ordering", &mut out).await?,
                17 => agree(&table, &item, cond!(n in [x, y]), "n in", &mut out).await?,
                18 => agree(&table, &item, cond!(flag == true && !(n < x)), "flag && !", &mut out).await?,
                19 => agree(&table, &item, cond!(contains(list, 1) || size(list) >= size), "list", &mut out).await?,
                20 => agree(&table, &item, cond!(list[0] == 1 || list[1] < 2), "list elements", &mut out).await?,
                21 => agree(&table, &item, cond!(contains(nums, x)), "contains(nums)", &mut out).await?,
                22 => agree(&table, &item, cond!(contains(doc, s1) || contains(doc, x)), "contains(doc)", &mut out).await?,
                23 => agree(&table, &item, cond!(doc["k0"] == doc_value || size(doc) < size), "doc member", &mut out).await?,
                24 => agree(&table, &item, cond!(n == attr(doc) || s < attr(doc)), "path operands", &mut out).await?,
                _ => agree(&table, &item, cond!(begins_with(doc, s1) && size(bin) <= size), "begins_with(doc)", &mut out).await?,
            }
        }
        let (held, failed): (u32, u32) = out.seen.values().fold((0, 0), |(h, f), (a, b)| (h + a, f + b));
        println!("{cases} cases: the condition held in {held}, failed in {failed}; per template (held, failed): {:?}", out.seen);
        assert_eq!(out.seen.len(), 26, "every condition template ran");
        assert!(held >= cases / 5 && failed >= cases / 5, "both outcomes are well represented");
        println!("{} known emulator divergences:\n{}", out.divergences.len(), out.divergences.join("\n"));
        assert!(out.divergences.iter().all(|d| d.starts_with("size(s)") || d.starts_with("doc member")));
        assert!(out.mismatches.is_empty(), "{} of {cases} cases disagree:\n{}", out.mismatches.len(), out.mismatches.join("\n"));
        Ok(())
    })
    .await
}
