//! The item codec against the core's own value type, without a server: every value the core
//! can hold is written to an SDK `AttributeValue` and read back through the borrowed view
//! (`AvRef`) and by value (`AvOwned`) unchanged; what DynamoDB refuses is refused with the
//! core's error; and the helpers batches and transactions use to compare items and keys
//! compare them as DynamoDB does.
#![allow(missing_docs)] // a test model: the fields speak for themselves

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use awstin::dynamodb::{
    AvOwned, AvRef, Item, from_item, from_item_owned, to_attribute_value, to_item,
};
use awstin::expr::Container;
use awstin::expr::Error;
use awstin::expr::decode::DecodeOwned;
use awstin::expr::{DecodeFrom, Encode, Sink};
use awstin::{Number, ValueBuf, dynamo_model};
use proptest::prelude::*;

/// The SDK value a core value is written as, built independently of the codec.
fn expected(v: &ValueBuf) -> AttributeValue {
    match v {
        ValueBuf::S(s) => AttributeValue::S(s.clone()),
        ValueBuf::N(n) => AttributeValue::N(n.to_string()),
        ValueBuf::B(b) => AttributeValue::B(Blob::new(b.clone())),
        ValueBuf::Bool(b) => AttributeValue::Bool(*b),
        ValueBuf::Null => AttributeValue::Null(true),
        ValueBuf::L(items) => AttributeValue::L(items.iter().map(expected).collect()),
        ValueBuf::M(members) => AttributeValue::M(
            members
                .iter()
                .map(|(k, v)| (k.clone(), expected(v)))
                .collect(),
        ),
        ValueBuf::SS(items) => AttributeValue::Ss(items.clone()),
        ValueBuf::NS(items) => AttributeValue::Ns(items.iter().map(Number::to_string).collect()),
        ValueBuf::BS(items) => {
            AttributeValue::Bs(items.iter().map(|b| Blob::new(b.clone())).collect())
        }
    }
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        (any::<i64>(), -130i64..=100).prop_filter_map("in range", |(m, e)| {
            Number::from_parts(m < 0, u128::from(m.unsigned_abs()), e).ok()
        }),
    ]
}

fn scalar() -> impl Strategy<Value = ValueBuf> {
    prop_oneof![
        ".{0,6}".prop_map(ValueBuf::S),
        number().prop_map(ValueBuf::N),
        prop::collection::vec(any::<u8>(), 0..4).prop_map(ValueBuf::B),
        any::<bool>().prop_map(ValueBuf::Bool),
        Just(ValueBuf::Null),
        prop::collection::btree_set("[a-z]{1,3}", 1..4)
            .prop_map(|s| ValueBuf::SS(s.into_iter().collect())),
        prop::collection::btree_set(any::<i32>(), 1..4)
            .prop_map(|s| ValueBuf::NS(s.into_iter().map(Number::from).collect())),
        prop::collection::btree_set(prop::collection::vec(any::<u8>(), 0..3), 1..4)
            .prop_map(|s| ValueBuf::BS(s.into_iter().collect())),
    ]
}

/// Any value, lists and maps nested up to five levels.
fn value() -> impl Strategy<Value = ValueBuf> {
    scalar().prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(ValueBuf::L),
            prop::collection::btree_map("[a-z.#:]{1,4}", inner, 0..4).prop_map(ValueBuf::M),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Written, then read through the view and by value: the same value.
    #[test]
    fn every_value_is_written_and_read_back_unchanged(v in value()) {
        let av = to_attribute_value(&v).expect("a valid value");
        prop_assert_eq!(&av, &expected(&v));
        prop_assert_eq!(ValueBuf::decode(AvRef::Value(&av)).expect("reads"), v.clone());
        prop_assert_eq!(ValueBuf::decode_owned(AvOwned::Value(av)).expect("reads"), v);
    }

    /// A map is an item: written with `to_item`, read with `from_item` and `from_item_owned`.
    #[test]
    fn every_map_is_an_item(members in prop::collection::btree_map("[a-z]{1,4}", value(), 0..5)) {
        let v = ValueBuf::M(members.clone());
        let item = to_item(&v).expect("a valid item");
        let expected: Item = members.iter().map(|(k, v)| (k.clone(), expected(v))).collect();
        prop_assert_eq!(&item, &expected);
        prop_assert_eq!(from_item::<ValueBuf>(&item).expect("reads"), v.clone());
        prop_assert_eq!(from_item_owned::<ValueBuf>(item).expect("reads"), v);
    }
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Rec {
        table "Recs";
        key id: String;
        key at: u64;
        attr names: Vec<String>;
        attr nested: Option<Vec<Vec<String>>>;
        attr note: Option<String>;
    }
}

#[test]
fn a_model_reads_by_value_with_its_strings_and_lists_moved() {
    let rec = Rec {
        id: "r".into(),
        at: 7,
        names: vec!["a".into(), "b".into()],
        nested: Some(vec![vec!["x".into()], vec![]]),
        note: None,
    };
    let item = to_item(&rec).expect("writes");
    assert!(!item.contains_key("note"), "None is left out");
    assert_eq!(from_item_owned::<Rec>(item.clone()).expect("reads"), rec);
    assert_eq!(from_item::<Rec>(&item).expect("reads"), rec);
    // NULL reads as None by value too.
    let mut with_null = item.clone();
    with_null.insert("note".into(), AttributeValue::Null(true));
    assert_eq!(from_item_owned::<Rec>(with_null).expect("reads").note, None);
    // A missing required attribute and a wrong type are the view's errors, naming the field.
    let mut missing = item.clone();
    missing.remove("names");
    assert_eq!(
        from_item_owned::<Rec>(missing.clone()).expect_err("refused"),
        from_item::<Rec>(&missing).expect_err("refused")
    );
    let mut wrong = item;
    wrong.insert("id".into(), AttributeValue::L(vec![]));
    let err = from_item_owned::<Rec>(wrong.clone()).expect_err("refused");
    assert_eq!(err, from_item::<Rec>(&wrong).expect_err("refused"));
    assert!(err.to_string().contains("Rec.id"), "{err}");
    // Not a map at all.
    assert!(Rec::decode_owned(AvOwned::Value(AttributeValue::S("x".into()))).is_err());
    assert!(Vec::<String>::decode_owned(AvOwned::Value(AttributeValue::S("x".into()))).is_err());
    assert!(String::decode_owned(AvOwned::Value(AttributeValue::L(vec![]))).is_err());
}

/// A value given by steps, to write what no Rust type would.
struct Steps(Vec<Step>);
enum Step {
    S(&'static str),
    Begin(Container),
    Sized(Container, usize),
    Key(&'static str),
    End,
}
impl Encode for Steps {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        for step in &self.0 {
            match step {
                Step::S(s) => sink.string(s)?,
                Step::Begin(c) => sink.begin(*c)?,
                Step::Sized(c, n) => sink.begin_sized(*c, *n)?,
                Step::Key(k) => sink.key(k)?,
                Step::End => sink.end()?,
            }
        }
        Ok(())
    }
}

#[test]
fn ill_formed_values_are_refused_with_the_cores_errors() {
    use Step::*;
    let write = |steps: Vec<Step>| to_attribute_value(&Steps(steps));
    assert_eq!(
        write(vec![
            Begin(Container::Map),
            Key("a"),
            S("1"),
            Key("a"),
            S("2"),
            End
        ]),
        Err(Error::DuplicateKey)
    );
    assert_eq!(
        write(vec![Begin(Container::StringSet), End]),
        Err(Error::EmptySet)
    );
    assert_eq!(
        write(vec![Begin(Container::NumberSet), End]),
        Err(Error::EmptySet)
    );
    assert_eq!(
        write(vec![Begin(Container::BinarySet), End]),
        Err(Error::EmptySet)
    );
    assert!(write(vec![Begin(Container::Map), S("no key"), End]).is_err());
    assert!(write(vec![Key("outside"), S("x")]).is_err());
    assert!(write(vec![End]).is_err());
    assert!(write(vec![Begin(Container::List)]).is_err(), "never closed");
    assert!(write(vec![]).is_err(), "nothing written");
    assert!(write(vec![S("a"), S("b")]).is_err(), "two values");
    assert!(
        write(vec![
            Begin(Container::StringSet),
            Begin(Container::List),
            End,
            End
        ])
        .is_err(),
        "a list in a set"
    );
    // A size hint is only a hint: a lie in either direction changes nothing.
    assert_eq!(
        write(vec![Sized(Container::List, usize::MAX), S("a"), End]),
        Ok(AttributeValue::L(vec![AttributeValue::S("a".into())]))
    );
    assert_eq!(
        write(vec![Sized(Container::StringSet, 0), S("a"), S("b"), End]),
        Ok(AttributeValue::Ss(vec!["a".into(), "b".into()]))
    );
    // A value is 32 levels deep at most; an item's own map is not a level.
    let nested = |levels: usize| {
        let mut steps: Vec<Step> = (0..levels).map(|_| Begin(Container::List)).collect();
        steps.push(S("x"));
        steps.extend((0..levels).map(|_| End));
        Steps(steps)
    };
    assert!(to_attribute_value(&nested(31)).is_ok());
    assert_eq!(
        to_attribute_value(&nested(32)),
        Err(Error::NestingTooDeep { depth: 33, max: 32 })
    );
    let in_item = |levels: usize| {
        let mut steps = vec![Begin(Container::Map), Key("a")];
        steps.extend(nested(levels).0);
        steps.push(End);
        Steps(steps)
    };
    assert!(to_item(&in_item(31)).is_ok());
    assert_eq!(
        to_item(&in_item(32)),
        Err(Error::NestingTooDeep { depth: 33, max: 32 })
    );
    // Deeper than the frames kept on the stack, and back.
    let deep = to_attribute_value(&nested(10)).expect("10 levels");
    assert_eq!(
        ValueBuf::decode(AvRef::Value(&deep)).map(|v| v.attribute_type()),
        Ok(awstin::AttributeType::L)
    );
    assert!(
        to_item(&ValueBuf::S("x".into())).is_err(),
        "an item is a map"
    );
}

#[test]
fn the_view_reads_every_type_and_set_element() {
    let item: Item = HashMap::from([
        ("s".to_string(), AttributeValue::S("x".into())),
        ("n".to_string(), AttributeValue::N("1.50".into())),
        ("b".to_string(), AttributeValue::B(Blob::new(vec![1, 2]))),
        ("t".to_string(), AttributeValue::Bool(true)),
        ("z".to_string(), AttributeValue::Null(true)),
        (
            "ss".to_string(),
            AttributeValue::Ss(vec!["p".into(), "q".into()]),
        ),
        ("ns".to_string(), AttributeValue::Ns(vec!["2".into()])),
        (
            "bs".to_string(),
            AttributeValue::Bs(vec![Blob::new(vec![9])]),
        ),
        (
            "m".to_string(),
            AttributeValue::M(HashMap::from([(
                "k".to_string(),
                AttributeValue::N("3".into()),
            )])),
        ),
    ]);
    let read = from_item::<BTreeMap<String, ValueBuf>>(&item).expect("reads");
    let n = |t: &str| ValueBuf::N(t.parse().expect("a number"));
    assert_eq!(read["s"], ValueBuf::S("x".into()));
    assert_eq!(read["n"], n("1.5"));
    assert_eq!(read["b"], ValueBuf::B(vec![1, 2]));
    assert_eq!(read["t"], ValueBuf::Bool(true));
    assert_eq!(read["z"], ValueBuf::Null);
    assert_eq!(read["ss"], ValueBuf::SS(vec!["p".into(), "q".into()]));
    assert_eq!(read["ns"], ValueBuf::NS(vec![Number::from(2u8)]));
    assert_eq!(read["bs"], ValueBuf::BS(vec![vec![9]]));
    assert_eq!(read["m"], ValueBuf::M([("k".to_string(), n("3"))].into()));
    assert_eq!(
        from_item_owned::<BTreeMap<String, ValueBuf>>(item).expect("reads"),
        read
    );
}

#[test]
fn a_number_that_does_not_parse_is_a_decode_error() {
    let item: Item = HashMap::from([("n".to_string(), AttributeValue::N("12abc".into()))]);
    assert!(from_item::<ValueBuf>(&item).is_err());
    assert!(from_item_owned::<ValueBuf>(item).is_err());
}

awstin::dynamo_model! {
    /// A model that is also an API body: its time to live and its date read and write JSON.
    #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
    pub struct Session { table "Sessions"; key id: String; attr expires: awstin_core::Ttl; attr started: awstin_core::Iso8601 }
}

#[test]
fn a_model_holding_times_is_an_api_body_too() {
    let session = Session {
        id: "s-1".into(),
        expires: awstin_core::Ttl::from_secs(1_700_003_600).expect("seconds"),
        started: awstin_core::Iso8601(aws_smithy_types::DateTime::from_secs(1_700_000_000)),
    };
    let json = serde_json::to_string(&session).expect("JSON");
    assert_eq!(
        json,
        r#"{"id":"s-1","expires":1700003600,"started":"2023-11-14T22:13:20Z"}"#
    );
    assert_eq!(
        serde_json::from_str::<Session>(&json).expect("read"),
        session
    );
    // What the types refuse as DynamoDB values, they refuse as JSON: milliseconds, a bad date.
    let e = serde_json::from_str::<Session>(
        r#"{"id":"s-1","expires":1700003600000,"started":"2023-11-14T22:13:20Z"}"#,
    )
    .expect_err("milliseconds");
    assert!(e.to_string().contains("milliseconds"), "{e}");
    assert!(
        serde_json::from_str::<Session>(r#"{"id":"s-1","expires":1,"started":"soon"}"#).is_err()
    );
}

dynamo_model! {
    /// Integers of every width at their limits, a float, a string and a bool: fields each
    /// backend writes as its type holds them (an integer's digits, without a `Number`).
    pub struct Limits {
        attr u: u64;
        attr i: i64;
        attr small: i8;
        attr byte: u8;
        attr ratio: f64;
        attr name: String;
        attr on: bool;
    }
}

proptest! {
    /// A model's scalar fields, written straight into the SDK's item and into DynamoDB JSON,
    /// are the values a `Number` and the sink would write: every integer of every width (its
    /// limits among them), floats, strings and bools; a float DynamoDB refuses is refused.
    #[test]
    fn scalar_fields_are_written_as_their_values(
        u in prop_oneof![Just(u64::MAX), Just(0u64), any::<u64>()],
        i in prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(-1i64), any::<i64>()],
        small in any::<i8>(),
        byte in any::<u8>(),
        ratio in prop_oneof![Just(f64::NAN), Just(1e300), Just(-0.0), any::<f64>()],
        name in ".{0,8}",
        on in any::<bool>(),
    ) {
        let m = Limits { u, i, small, byte, ratio, name: name.clone(), on };
        let written = to_item(&m);
        let mut json = String::new();
        let json = awstin::expr::json::to_json(&m, &mut json).map(|()| json);
        match Number::try_from(ratio) {
            Err(e) => {
                prop_assert_eq!(written, Err(e));
                prop_assert_eq!(json, Err(e));
            }
            Ok(r) => {
                let item = written.expect("a valid model is written");
                let n = |v: Number| AttributeValue::N(v.to_string());
                let expected: Item = [
                    ("u", n(Number::from(u))),
                    ("i", n(Number::from(i))),
                    ("small", n(Number::from(small))),
                    ("byte", n(Number::from(byte))),
                    ("ratio", n(r)),
                    ("name", AttributeValue::S(name.clone())),
                    ("on", AttributeValue::Bool(on)),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect();
                prop_assert_eq!(&item, &expected);
                let text = |v: Number| v.to_string();
                let expected_json = format!(
                    r#"{{"M":{{"u":{{"N":"{}"}},"i":{{"N":"{}"}},"small":{{"N":"{}"}},"byte":{{"N":"{}"}},"ratio":{{"N":"{}"}},"name":{{"S":{}}},"on":{{"BOOL":{}}}}}}}"#,
                    text(Number::from(u)),
                    text(Number::from(i)),
                    text(Number::from(small)),
                    text(Number::from(byte)),
                    text(r),
                    serde_json::to_string(&name).expect("a string"),
                    on
                );
                // Compared as JSON values: a string's escapes may be written either way.
                let parse = |t: &str| serde_json::from_str::<serde_json::Value>(t).expect("JSON");
                let json = json.expect("a valid model is written");
                prop_assert_eq!(parse(&json), parse(&expected_json));
                // The numbers as written, digit for digit.
                for (field, value) in [("u", u.to_string()), ("i", i.to_string()), ("small", small.to_string()), ("byte", byte.to_string())] {
                    let member = format!(r#""{field}":{{"N":"{value}"}}"#);
                    prop_assert!(json.contains(&member), "{} in {}", member, json);
                }
            }
        }
    }
}
