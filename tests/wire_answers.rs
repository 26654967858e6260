//! Hostile answers for the core's reader (`awstin_core::wire::Answer`): random bytes, every
//! truncation of real answers, real answers with a byte changed, and random JSON of
//! DynamoDB-like shapes. Each is an answer or a typed failure; none panics, and a truncated
//! answer is never read as a shorter one.

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
    let signer = CursorKey::new(&[7; 32]).expect("a key");
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
    }

    #[test]
    fn random_json_of_dynamodb_shapes_is_read_or_refused(
        status in prop::sample::select(vec![200u16, 400, 500]),
        value in json(),
    ) {
        let body = serde_json::to_vec(&value).expect("JSON");
        read_all(status, &body);
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
    use awstin_core::wire::json::{self, Json};
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
            // Refused on purpose: duplicate members (serde_json keeps the last) or too deep.
            let written = serde_json::to_vec(b).expect("JSON");
            prop_assert!(
                written.len() < text.len() || depth(b) > json::MAX_DEPTH,
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
