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
        read_all(status, &body);
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
