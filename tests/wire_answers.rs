//! Hostile answers for the core's reader (`awstin_core::wire::Answer`): random bytes, every
//! truncation of real answers, real answers with a byte changed, and random JSON of
//! DynamoDB-like shapes. Each is an answer or a typed failure; none panics, and a truncated
//! answer is never read as a shorter one. What is read is checked against serde_json's
//! reading of the same text: an answer exactly when it is a 200 with a JSON object, an item
//! read only as the values the JSON holds, a failure named by the JSON's `__type`.

#![allow(missing_docs)] // a test model: the fields speak for themselves

use awstin::dynamo_model;
use awstin_core::wire::{Answer, CursorKey, Failure};
use proptest::prelude::*;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Film { table "Films"; key year: u32; key title: String; attr rating: f64; attr tags: Option<std::collections::BTreeSet<String>>; attr cover: Option<awstin_core::BinaryBuf> }
}

/// Answers DynamoDB sends, one of each shape the reader takes.
const ANSWERS: &[(u16, &str)] = &[
    (
        200,
        r#"{"Item":{"year":{"N":"2013"},"title":{"S":"Rush"},"rating":{"N":"8.1"},"tags":{"SS":["f1","drama"]},"cover":{"B":"AAEC"},"extra":{"L":[{"NULL":true},{"BOOL":false},{"M":{"n":{"NS":["1","2.5"]}}},{"BS":["AA=="]}]}}}"#,
    ),
    (
        200,
        r#"{"Items":[{"year":{"N":"2013"},"title":{"S":"Rush"},"rating":{"N":"8.1"}}],"Count":1,"ScannedCount":3,"LastEvaluatedKey":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#,
    ),
    (
        200,
        r#"{"Attributes":{"year":{"N":"2013"},"title":{"S":"Rush"},"rating":{"N":"8.1"}},"ConsumedCapacity":{"TableName":"Films","CapacityUnits":1.0}}"#,
    ),
    (
        200,
        r#"{"Responses":{"Films":[{"year":{"N":"1"},"title":{"S":"a"},"rating":{"N":"1"}}]},"UnprocessedKeys":{"Films":{"Keys":[{"year":{"N":"2"},"title":{"S":"b"}}]}}}"#,
    ),
    (
        200,
        r#"{"UnprocessedItems":{"Films":[{"PutRequest":{"Item":{"year":{"N":"1"},"title":{"S":"a"}}}},{"DeleteRequest":{"Key":{"year":{"N":"2"},"title":{"S":"b"}}}}]},"ConsumedCapacity":[{"TableName":"Films","CapacityUnits":2}]}"#,
    ),
    (
        400,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"year":{"N":"2013"},"title":{"S":"Rush"},"rating":{"N":"8.1"}}}"#,
    ),
    (
        400,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"year":{"N":"1"},"title":{"S":"a"}}}]}"#,
    ),
    (
        400,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#,
    ),
    (
        400,
        r#"{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"}"#,
    ),
    (
        500,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}"#,
    ),
];

/// Reads `body` as every accessor would, and says whether it was taken as a whole answer.
fn read_all(status: u16, body: &[u8]) -> bool {
    let signer = CursorKey::new([7; 32]).expect("a key");
    match Answer::read(status, body) {
        Ok(answer) => {
            let _ = answer.item::<Film>();
            let _ = answer.items::<Film>();
            let _ = answer.responses::<Film>("Films");
            let _ = answer.count();
            let _ = answer.last_key();
            let _ = answer.next::<Film>("Films", None);
            let _ = answer.next::<Film>("Films", Some(&signer));
            let _ = answer.unprocessed();
            let _ = answer.consumed();
            true
        }
        Err(failure) => {
            let _ = failure.item::<Film>();
            let _ = (
                failure.to_string(),
                failure.code(),
                failure.message(),
                failure.is_retryable(),
            );
            false
        }
    }
}

/// A DynamoDB JSON value in a form two readings of it can be compared in: numbers by value,
/// binaries by their bytes, sets in order; `None` when it is not DynamoDB JSON.
fn canonical(v: &serde_json::Value) -> Option<serde_json::Value> {
    use base64::Engine as _;
    use serde_json::{Value, json};
    let object = v.as_object().filter(|o| o.len() == 1)?;
    let (kind, inner) = object.iter().next()?;
    let number = |t: &Value| -> Option<Value> {
        Some(Value::String(
            t.as_str()?.parse::<awstin_core::Number>().ok()?.to_string(),
        ))
    };
    let bytes = |t: &Value| -> Option<Value> {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(t.as_str()?)
            .ok()?;
        Some(json!(decoded))
    };
    let set = |f: &dyn Fn(&Value) -> Option<Value>| -> Option<Value> {
        let mut items: Vec<Value> = inner.as_array()?.iter().map(f).collect::<Option<_>>()?;
        items.sort_by_key(|v| v.to_string());
        Some(Value::Array(items))
    };
    let canonical_value = match kind.as_str() {
        "S" => Value::String(inner.as_str()?.to_owned()),
        "N" => number(inner)?,
        "B" => bytes(inner)?,
        "BOOL" => Value::Bool(inner.as_bool()?),
        "NULL" if inner == &Value::Bool(true) => Value::Null,
        "L" => Value::Array(
            inner
                .as_array()?
                .iter()
                .map(canonical)
                .collect::<Option<_>>()?,
        ),
        "M" => Value::Object(
            inner
                .as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), canonical(v)?)))
                .collect::<Option<_>>()?,
        ),
        "SS" => set(&|t| Some(Value::String(t.as_str()?.to_owned())))?,
        "NS" => set(&number)?,
        "BS" => set(&bytes)?,
        _ => return None,
    };
    Some(json!({ kind: canonical_value }))
}

/// Checks a read of `status` and `body` against serde_json's reading of the same text.
fn check_against_serde_json(status: u16, body: &[u8]) -> Result<(), TestCaseError> {
    use serde_json::Value;
    let json = serde_json::from_slice::<Value>(body).ok();
    let object = matches!(json, Some(Value::Object(_)));
    match Answer::read(status, body) {
        Ok(answer) => {
            prop_assert!(
                status == 200 && object,
                "taken: {}",
                String::from_utf8_lossy(body)
            );
            let json = json.unwrap_or_default();
            // An item read whole (any attributes, any types) is the JSON's item.
            if let Ok(Some(whole)) = answer.item::<awstin_core::ValueBuf>() {
                let mut text = String::new();
                awstin_core::json::to_json(&whole, &mut text).expect("encodes");
                let ours: Value = serde_json::from_str(&text).expect("JSON");
                let theirs = if json.get("Item").is_some() {
                    &json["Item"]
                } else {
                    &json["Attributes"]
                };
                prop_assert_eq!(
                    canonical(&ours),
                    canonical(&serde_json::json!({ "M": theirs })),
                    "{}",
                    String::from_utf8_lossy(body)
                );
            }
            // An item read as the model holds the values the JSON holds, attribute by
            // attribute.
            if let Ok(Some(film)) = answer.item::<Film>() {
                let mut text = String::new();
                awstin_core::json::to_json(&film, &mut text).expect("encodes");
                let ours: Value = serde_json::from_str(&text).expect("JSON");
                // `item` reads GetItem's `Item`, or a write's `Attributes`.
                let theirs = if json.get("Item").is_some() {
                    &json["Item"]
                } else {
                    &json["Attributes"]
                };
                for (name, value) in ours["M"].as_object().expect("a map") {
                    prop_assert_eq!(
                        canonical(value),
                        canonical(&theirs[name]),
                        "attribute {} of {}",
                        name,
                        String::from_utf8_lossy(body)
                    );
                }
            }
        }
        Err(failure) => {
            if !(status == 200 && object) {
                // An error named by the JSON's `__type` is that error.
                if let Some(kind) = json.as_ref().and_then(|j| j["__type"].as_str()) {
                    let code = kind.rsplit('#').next().unwrap_or(kind);
                    // Refused as malformed only for a stored item that is not DynamoDB JSON.
                    let bad_item = |item: &Value| {
                        item.as_object()
                            .is_some_and(|o| o.values().any(|v| canonical(v).is_none()))
                            || !(item.is_null() || item.is_object())
                    };
                    let json = json.as_ref().expect("JSON");
                    let malformed_item = bad_item(&json["Item"])
                        || json["CancellationReasons"]
                            .as_array()
                            .is_some_and(|reasons| {
                                reasons
                                    .iter()
                                    .any(|r| !r.is_object() || bad_item(&r["Item"]))
                            })
                        || !(json["CancellationReasons"].is_null()
                            || json["CancellationReasons"].is_array());
                    prop_assert!(
                        failure.code() == Some(code)
                            || (matches!(failure, Failure::Malformed { .. }) && malformed_item),
                        "{:?} for {}",
                        failure,
                        String::from_utf8_lossy(body)
                    );
                }
                prop_assert_eq!(
                    matches!(failure, Failure::Unavailable { .. }),
                    status >= 500,
                    "{}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }
    Ok(())
}

#[test]
fn the_answers_are_read_whole() {
    // The cases below mean something only if the whole answers are read as DynamoDB means
    // them: items, pages, batches, failures.
    let (status, body) = ANSWERS[0];
    let film: Option<Film> = Answer::read(status, body.as_bytes())
        .expect("an answer")
        .item()
        .expect("a film");
    let film = film.expect("an item");
    assert_eq!(film.cover, Some(awstin_core::BinaryBuf(vec![0, 1, 2])));
    assert_eq!(film.tags.map(|t| t.len()), Some(2));
    let page = Answer::read(200, ANSWERS[1].1.as_bytes()).expect("a page");
    assert_eq!(page.items::<Film>().expect("films").len(), 1);
    assert!(
        page.next::<Film>("Films", None)
            .expect("a cursor")
            .is_some()
    );
    for (status, body) in &ANSWERS[3..5] {
        let again = Answer::read(*status, body.as_bytes())
            .expect("an answer")
            .unprocessed()
            .expect("requests");
        assert!(again.is_some(), "{body}");
    }
    for (status, body) in &ANSWERS[5..] {
        let failure = Answer::read(*status, body.as_bytes()).expect_err("a failure");
        assert!(!matches!(failure, Failure::Malformed { .. }), "{failure:?}");
    }
}

#[test]
fn every_truncation_of_an_answer_is_malformed() {
    let mut cases = 0;
    for (status, body) in ANSWERS {
        for end in 0..body.len() {
            let cut = &body.as_bytes()[..end];
            let read = Answer::read(*status, cut);
            let malformed = match &read {
                Err(Failure::Malformed { .. }) => true,
                // A server error's body may be anything: it stays a server error.
                Err(Failure::Unavailable { code: None, .. }) => *status >= 500,
                _ => false,
            };
            assert!(
                malformed,
                "{status} {:?}: {read:?}",
                String::from_utf8_lossy(cut)
            );
            cases += 1;
        }
    }
    println!("truncated answers: {cases}");
}

/// JSON of DynamoDB-like shapes: the members the reader looks for, with values of any type
/// and depth.
fn json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let key = prop::sample::select(vec![
        "Item",
        "Items",
        "Attributes",
        "Responses",
        "Films",
        "Count",
        "LastEvaluatedKey",
        "UnprocessedItems",
        "UnprocessedKeys",
        "Keys",
        "PutRequest",
        "DeleteRequest",
        "Key",
        "ConsumedCapacity",
        "CapacityUnits",
        "TableName",
        "__type",
        "message",
        "Message",
        "CancellationReasons",
        "Code",
        "year",
        "title",
        "rating",
        "tags",
        "cover",
        "S",
        "N",
        "B",
        "BOOL",
        "NULL",
        "L",
        "M",
        "SS",
        "NS",
        "BS",
        "t",
        "i",
        "k",
    ]);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop::sample::select(vec![
            "2013",
            "8.1",
            "-0",
            "1e400",
            "1E-131",
            "Rush",
            "",
            "AAEC",
            "A",
            "====",
            "x#ConditionalCheckFailedException",
            "TransactionCanceledException",
            "ThrottlingException",
            "None",
            "ConditionalCheckFailed",
            "99999999999999999999999999999999999999999",
        ])
        .prop_map(|s| Value::String(s.into())),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(8, 96, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..5).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_are_a_typed_failure(
        status in prop::sample::select(vec![200u16, 400, 404, 413, 500, 503]),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        // Taken as an answer only when it is a 200 whose body is a JSON object.
        let object = matches!(serde_json::from_slice(&body), Ok(serde_json::Value::Object(_)));
        prop_assert_eq!(read_all(status, &body), status == 200 && object);
    }

    #[test]
    fn answers_with_a_byte_changed_are_read_or_refused(
        which in 0..ANSWERS.len(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let (status, body) = ANSWERS[which];
        let mut body = body.as_bytes().to_vec();
        let at = at.index(body.len());
        body[at] = byte;
        read_all(status, &body);
        check_against_serde_json(status, &body)?;
    }

    #[test]
    fn random_json_of_dynamodb_shapes_is_read_or_refused(
        status in prop::sample::select(vec![200u16, 400, 500]),
        value in json(),
    ) {
        let body = serde_json::to_vec(&value).expect("JSON");
        read_all(status, &body);
        check_against_serde_json(status, &body)?;
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack(depth in 100usize..5000) {
        let body = format!(r#"{{"Item":{{"a":{}{{"NULL":true}}{}}}}}"#, r#"{"L":["#.repeat(depth), "]}".repeat(depth));
        prop_assert!(!read_all(200, body.as_bytes()) || depth < 128);
    }
}

/// The core's JSON reader against serde_json's: the same values, and the same texts refused,
/// but for what the reader refuses on purpose (a member named twice, nesting past its depth).
fn same_as_serde_json(text: &[u8]) -> Result<(), TestCaseError> {
    use awstin_core::json::{self, Json};
    fn equal(ours: &Json, theirs: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (ours, theirs) {
            (Json::Null, Value::Null) => true,
            (Json::Bool(a), Value::Bool(b)) => a == b,
            // The reader keeps a number's text; serde_json reads it into a number of its own.
            (Json::Number(a), Value::Number(_)) => {
                serde_json::from_str::<Value>(a).ok().as_ref() == Some(theirs)
            }
            (Json::String(a), Value::String(b)) => a == b,
            (Json::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y))
            }
            (Json::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| equal(v, w)))
            }
            _ => false,
        }
    }
    let ours = json::parse(text);
    let theirs = serde_json::from_slice::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => prop_assert!(equal(a, b), "{a:?} against {b:?}"),
        (Err(_), Err(_)) => {}
        (Err(_), Ok(b)) => {
            // Refused on purpose, and only so: an object naming a member twice (serde_json
            // keeps the last), or nesting past the reader's depth.
            prop_assert!(
                has_duplicate_members(text) || depth(b) > json::MAX_DEPTH,
                "refused {:?}",
                String::from_utf8_lossy(text)
            );
        }
        // JSON's grammar puts no bound on a number, which the reader keeps as text; serde_json
        // refuses one past f64's range.
        (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
        (Ok(a), Err(e)) => prop_assert!(false, "took {a:?}, which serde_json refuses: {e}"),
    }
    Ok(())
}

/// Whether some object of `text` (JSON serde_json takes) names a member twice.
fn has_duplicate_members(text: &[u8]) -> bool {
    use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
    struct Unique;
    impl<'de> Deserialize<'de> for Unique {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Unique, D::Error> {
            d.deserialize_any(UniqueVisitor)
        }
    }
    struct UniqueVisitor;
    impl<'de> Visitor<'de> for UniqueVisitor {
        type Value = Unique;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_str<E>(self, _: &str) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_unit<E>(self) -> Result<Unique, E> {
            Ok(Unique)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Unique, A::Error> {
            while seq.next_element::<Unique>()?.is_some() {}
            Ok(Unique)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Unique, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key) {
                    return Err(A::Error::custom("a member named twice"));
                }
                map.next_value::<Unique>()?;
            }
            Ok(Unique)
        }
    }
    serde_json::from_slice::<Unique>(text)
        .err()
        .is_some_and(|e| e.to_string().starts_with("a member named twice"))
}

fn depth(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    #[test]
    fn the_json_reader_reads_what_serde_json_reads(value in json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }.expect("JSON");
        same_as_serde_json(&text)?;
    }

    #[test]
    fn the_json_reader_refuses_what_serde_json_refuses(
        value in json(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"{}[]\",:\\ 0-1.eE+tfnu\x00\x1f\x7f\xff".to_vec()),
        cut in any::<bool>(),
    ) {
        let mut text = serde_json::to_vec(&value).expect("JSON");
        let at = at.index(text.len());
        if cut {
            text.truncate(at);
        } else {
            text[at] = byte;
        }
        same_as_serde_json(&text)?;
    }

    #[test]
    fn binary_values_read_as_the_base64_crate_reads_them(
        bytes in prop::collection::vec(any::<u8>(), 1..40),
        text in "[A-Za-z0-9+/=_-]{0,12}",
    ) {
        use base64::Engine as _;
        let standard = base64::engine::general_purpose::STANDARD;
        // Bytes written by the base64 crate read back as the same bytes.
        let body = format!(r#"{{"Item":{{"year":{{"N":"1"}},"title":{{"S":"a"}},"rating":{{"N":"1"}},"cover":{{"B":"{}"}}}}}}"#, standard.encode(&bytes));
        let film: Option<Film> = Answer::read(200, body.as_bytes()).expect("an answer").item().expect("a film");
        prop_assert_eq!(film.and_then(|f| f.cover).map(|c| c.0), Some(bytes));
        // A text is taken exactly when the base64 crate takes it (empty binaries aside).
        let body = format!(r#"{{"Item":{{"year":{{"N":"1"}},"title":{{"S":"a"}},"rating":{{"N":"1"}},"cover":{{"B":"{text}"}}}}}}"#);
        let ours = Answer::read(200, body.as_bytes()).expect("an answer").item::<Film>().map(|f| f.and_then(|f| f.cover).map(|c| c.0));
        match standard.decode(&text) {
            Ok(theirs) => prop_assert_eq!(ours, Ok(Some(theirs))),
            Err(_) => prop_assert!(ours.is_err(), "took {text:?}"),
        }
    }
}
