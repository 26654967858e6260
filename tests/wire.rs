//! DynamoDB's JSON protocol without the SDK (`awstin_core::wire`), signed by the core's SigV4
//! (`awstin_core::sigv4`) and sent over a plain HTTP connection to the embedded DynamoDB,
//! through the testing proxy that checks every request's signature with the SDK's own signer
//! (`aws-sigv4`), as AWS does (the embedded DynamoDB checks none): the requests the core makes
//! are the ones DynamoDB takes, and what they write the `awstin` crate's table reads.

#![allow(missing_docs)] // a test model: the fields speak for themselves

use awstin::dynamo_model;
use awstin::testing::faults::{FaultPlan, FaultProxy};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_core::op::{Key, ReadSpec, WriteSpec};
use awstin_core::wire::{self, Answer, Failure, Wire};
use futures::TryStreamExt;
use serde_json::Value;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Film { table "Films"; key year: u32; key title: String; attr rating: f64; attr plays: u64 }
}

/// Signs and sends `request` to `endpoint`, and reads the answer with the core.
async fn answer(endpoint: &str, request: &Wire) -> Result<Answer, Failure> {
    let (status, body) = send_raw(endpoint, request).await;
    Answer::read(status, &body)
}

/// Signs and sends `request` to `endpoint` (`http://127.0.0.1:port`): the status and the body
/// as JSON.
async fn send(endpoint: &str, request: &Wire) -> (u16, Value) {
    let (status, body) = send_raw(endpoint, request).await;
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// The secret the requests are signed with, and the proxy checks.
const SECRET: &str = "test";

/// A proxy in front of `local` that refuses any request not signed with [`SECRET`] (HTTP 403
/// `InvalidSignatureException`), and fails the test when it checked none.
async fn verifying(local: &LocalDynamoDb) -> FaultProxy {
    FaultProxy::start(local.endpoint(), FaultPlan::none().check_signatures(SECRET)).await
}

fn now() -> u64 {
    awstin_tests::now()
}

/// Signs and sends `request` to `endpoint`: the status and the body.
async fn send_raw(endpoint: &str, request: &Wire) -> (u16, Vec<u8>) {
    send_signed(endpoint, request, request, SECRET, now()).await
}

/// Sends `request` to `endpoint` with the signature of `signed_as` by `secret` at `time`: the
/// status and the body.
async fn send_signed(
    endpoint: &str,
    request: &Wire,
    signed_as: &Wire,
    secret: &str,
    time: u64,
) -> (u16, Vec<u8>) {
    awstin_tests::send_wire(endpoint, request, signed_as, secret, time).await
}

#[tokio::test]
async fn the_cores_requests_are_taken_by_dynamodb_and_read_back_by_the_tables() {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Film>().expect("a spec"))
        .await
        .expect("a table");
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
    let films = local.db().table::<Film>();
    let film = |year: u32, title: &str, rating: f64| Film {
        year,
        title: title.into(),
        rating,
        plays: 0,
    };

    // Puts, one under a condition that holds and one under one that does not.
    for f in [
        film(2013, "Rush", 8.1),
        film(2013, "Prisoners", 8.1),
        film(2013, "Her", 8.0),
    ] {
        let put = WriteSpec::put("Films", &f)
            .build(wire::write)
            .expect("a request");
        assert_eq!(send(&endpoint, &put).await.0, 200, "{}", put.body);
    }
    let absent = Film::expr(awstin_macros::cond!(attribute_not_exists(year)));
    let rush_again = film(2013, "Rush", 1.0);
    let again = WriteSpec::put("Films", &rush_again)
        .when(&absent)
        .build(wire::write)
        .expect("a request");
    let (status, body) = send(&endpoint, &again).await;
    assert_eq!(status, 400);
    assert!(
        body["__type"]
            .as_str()
            .is_some_and(|t| t.ends_with("ConditionalCheckFailedException")),
        "{body}"
    );
    assert_eq!(
        body["Item"]["rating"]["N"], "8.1",
        "the stored item comes back: {body}"
    );

    // Read by the std layer: the core wrote what the model reads.
    assert_eq!(
        films.get((2013, "Rush")).await.expect("a get"),
        Some(film(2013, "Rush", 8.1))
    );

    // A Query with a filter and a limit, an update under a condition, a get, a delete.
    let (year, min) = (2013, 8.05);
    let key = Film::expr(awstin_macros::cond!(year == year));
    let filter = Film::expr(awstin_macros::cond!(rating >= min));
    let query = ReadSpec::query("Films", &key)
        .filter(&filter)
        .limit(10)
        .and_then(|q| q.build(wire::read))
        .expect("a request");
    let (status, body) = send(&endpoint, &query).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Count"], 2, "{body}");
    let one = 1;
    let plays = Film::expr(awstin_macros::update!(plays += one));
    let rated = Film::expr(awstin_macros::cond!(rating > min));
    let update = WriteSpec::update("Films", Key::of::<Film, _>(&(2013, "Her")), &plays)
        .when(&rated)
        .build(wire::write)
        .expect("a request");
    assert_eq!(
        send(&endpoint, &update).await.0,
        400,
        "Her is rated 8.0: the condition is false"
    );
    let update = WriteSpec::update("Films", Key::of::<Film, _>(&(2013, "Rush")), &plays)
        .when(&rated)
        .build(wire::write)
        .expect("a request");
    let (status, body) = send(&endpoint, &update).await;
    assert_eq!(
        (status, &body["Attributes"]["plays"]["N"]),
        (200, &Value::from("1")),
        "{body}"
    );
    let get = get("Films", 2013, "Rush").expect("a request");
    assert_eq!(send(&endpoint, &get).await.1["Item"]["plays"]["N"], "1");
    let delete = WriteSpec::<Film>::delete("Films", Key::of::<Film, _>(&(2013, "Prisoners")))
        .build(wire::write)
        .expect("a request");
    let (status, body) = send(&endpoint, &delete).await;
    assert_eq!(
        (status, &body["Attributes"]["title"]["S"]),
        (200, &Value::from("Prisoners"))
    );
    assert_eq!(films.get((2013, "Prisoners")).await.expect("a get"), None);

    // A Scan with a filter on the key and a projection.
    let from = 2013;
    let since = Film::expr(awstin_macros::cond!(year >= from));
    let titles = Film::expr(awstin_macros::project!(title));
    let scan = ReadSpec::<Film>::scan("Films")
        .filter(&since)
        .project(&titles)
        .build(wire::read)
        .expect("a request");
    let (status, body) = send(&endpoint, &scan).await;
    assert_eq!((status, &body["Count"]), (200, &Value::from(2)), "{body}");
    assert!(
        body["Items"].as_array().is_some_and(|items| items
            .iter()
            .all(|i| i.as_object().is_some_and(|o| o.len() == 1))),
        "only the projected attribute: {body}"
    );

    // What the core refuses, it refuses before anything is sent, as the tables do.
    let long = "x".repeat(2000);
    assert!(self::get("Films", 2013, &long).is_err());
    // A table or index name DynamoDB would not take, in every request that names one.
    let named = |r: Result<Wire, awstin_core::Error>| {
        matches!(r, Err(awstin_core::Error::InvalidTableName { .. }))
    };
    let bad = "my films";
    let rush_key = (2013, "Rush");
    let rush_key = || Key::of::<Film, _>(&rush_key);
    assert!(named(self::get(bad, 2013, "Rush")));
    assert!(named(WriteSpec::put(bad, &rush_again).build(wire::write)));
    assert!(named(
        WriteSpec::<Film>::delete("ab", rush_key()).build(wire::write)
    ));
    assert!(named(
        WriteSpec::update(bad, rush_key(), &plays).build(wire::write)
    ));
    assert!(named(ReadSpec::query(bad, &key).build(wire::read)));
    assert!(named(
        ReadSpec::query("Films", &key)
            .index("by rating")
            .build(wire::read)
    ));
    assert!(named(ReadSpec::<Film>::scan(bad).build(wire::read)));
    assert!(matches!(
        wire::BatchWriteItem::new().add(WriteSpec::put(bad, &rush_again)),
        Err(awstin_core::Error::InvalidTableName { .. })
    ));
    assert!(matches!(
        wire::BatchGetItem::new().get(bad, rush_key()),
        Err(awstin_core::Error::InvalidTableName { .. })
    ));
    assert!(matches!(
        wire::TransactWriteItems::new().add(WriteSpec::<Film>::delete(bad, rush_key())),
        Err(awstin_core::Error::InvalidTableName { .. })
    ));
}

/// The GetItem of film (`year`, `title`) of `table`.
fn get(table: &str, year: u32, title: &str) -> Result<Wire, awstin_core::Error> {
    ReadSpec::<Film>::get(table, Key::of::<Film, _>(&(year, title))).build(wire::read)
}

fn film(year: u32, title: &str, rating: f64) -> Film {
    Film {
        year,
        title: title.into(),
        rating,
        plays: 0,
    }
}

/// A local DynamoDB with the Films table.
async fn films_table() -> LocalDynamoDb {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Film>().expect("a spec"))
        .await
        .expect("a table");
    local
}

#[tokio::test]
async fn answers_read_back_into_models_and_typed_failures() {
    let local = films_table().await;
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
    let rush = film(2013, "Rush", 8.1);
    answer(
        &endpoint,
        &WriteSpec::put("Films", &rush)
            .build(wire::write)
            .expect("a request"),
    )
    .await
    .expect("put");

    let get = get("Films", 2013, "Rush").expect("a request");
    let got: Option<Film> = answer(&endpoint, &get)
        .await
        .expect("get")
        .item()
        .expect("a film");
    assert_eq!(got, Some(rush.clone()));
    let missing = self::get("Films", 1900, "None").expect("a request");
    assert_eq!(
        answer(&endpoint, &missing)
            .await
            .expect("get")
            .item::<Film>(),
        Ok(None)
    );

    // A false condition: the stored item comes back, typed.
    let absent = Film::expr(awstin_macros::cond!(attribute_not_exists(year)));
    let rush_again = film(2013, "Rush", 1.0);
    let again = WriteSpec::put("Films", &rush_again)
        .when(&absent)
        .build(wire::write)
        .expect("a request");
    let failure = answer(&endpoint, &again)
        .await
        .expect_err("the condition is false");
    assert!(
        matches!(failure, Failure::ConditionFalse { .. }),
        "{failure:?}"
    );
    assert_eq!(failure.item::<Film>(), Ok(Some(rush.clone())));
    assert!(!failure.is_retryable());

    // An update under a condition that holds answers the item after it.
    let one = 1;
    let plays = Film::expr(awstin_macros::update!(plays += one));
    let rated = Film::expr(awstin_macros::cond!(rating > 8));
    let update = WriteSpec::update("Films", Key::of::<Film, _>(&(2013, "Rush")), &plays)
        .when(&rated)
        .build(wire::write)
        .expect("a request");
    let after: Option<Film> = answer(&endpoint, &update)
        .await
        .expect("update")
        .item()
        .expect("a film");
    assert_eq!(after.map(|f| f.plays), Some(1));

    // The consumed capacity, when asked.
    let counted = answer(&endpoint, &get.clone().consumed_capacity())
        .await
        .expect("get");
    let consumed = counted.consumed().expect("capacity");
    assert_eq!(consumed.len(), 1, "{consumed:?}");
    assert_eq!(consumed[0].table, "Films");
    assert!(consumed[0].units > 0.0);
    assert!(
        answer(&endpoint, &get)
            .await
            .expect("get")
            .consumed()
            .expect("none")
            .is_empty()
    );

    // DynamoDB's refusals, typed: an undeployed table, a request DynamoDB will not take.
    let elsewhere = self::get("NoSuchTable", 2013, "Rush").expect("a request");
    let failure = answer(&endpoint, &elsewhere)
        .await
        .expect_err("no such table");
    assert!(matches!(failure, Failure::NotFound { .. }), "{failure:?}");
    let mut invalid = get.clone();
    invalid.body = invalid.body.replace(r#""year":{"N":"2013"},"#, "");
    let failure = answer(&endpoint, &invalid).await.expect_err("half a key");
    assert!(matches!(failure, Failure::Validation { .. }), "{failure:?}");
    assert_eq!(failure.code(), Some("ValidationException"));
    // A model the item does not read as is a decode error, naming the attribute.
    dynamo_model! {
        #[derive(Debug)]
        pub struct Strict { table "Films"; key year: u32; key title: String; attr director: String }
    }
    let failure = answer(&endpoint, &get)
        .await
        .expect("get")
        .item::<Strict>()
        .expect_err("no director");
    assert!(failure.to_string().contains("Strict.director"), "{failure}");
}

#[tokio::test]
async fn batches_and_transactions_by_the_core() {
    let local = films_table().await;
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
    let films = local.db().table::<Film>();

    // 30 puts are two requests (25 and 5); every item lands.
    let all: Vec<Film> = (0..30)
        .map(|i| film(2000, &format!("Film {i:02}"), f64::from(i) / 4.0))
        .collect();
    let mut batch = wire::BatchWriteItem::new();
    for f in &all {
        batch.add(WriteSpec::put("Films", f)).expect("a request");
    }
    let requests = batch.build();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        let done = answer(&endpoint, request).await.expect("a batch write");
        assert_eq!(done.unprocessed().expect("an answer"), None);
    }
    let year = 2000;
    let stored: Vec<Film> = films
        .query(awstin_macros::cond!(year == year))
        .stream()
        .try_collect()
        .await
        .expect("a query");
    assert_eq!(stored, all);

    // A batch get of 30 keys, one of none: the 30 films, read as models.
    let mut get = wire::BatchGetItem::new();
    for f in &all {
        get.get("Films", Key::of::<Film, _>(&(f.year, f.title.as_str())))
            .expect("a key");
    }
    get.get("Films", Key::of::<Film, _>(&(1900, "None")))
        .expect("a key");
    let requests = get.build();
    assert_eq!(requests.len(), 1);
    let read = answer(&endpoint, &requests[0]).await.expect("a batch get");
    let mut got: Vec<Film> = read.responses("Films").expect("films");
    got.sort_by(|a, b| a.title.cmp(&b.title));
    assert_eq!(got, all);
    assert_eq!(read.unprocessed().expect("an answer"), None);

    // Deletes by batch.
    let mut deletes = wire::BatchWriteItem::new();
    for f in &all[..10] {
        deletes
            .add(WriteSpec::<Film>::delete(
                "Films",
                Key::of::<Film, _>(&(f.year, f.title.as_str())),
            ))
            .expect("a key");
    }
    answer(&endpoint, &deletes.build()[0])
        .await
        .expect("a batch delete");
    assert_eq!(films.get((2000, "Film 03")).await.expect("a get"), None);

    // A transaction that holds: an update, a put under a condition, a check.
    let (one, her) = (1, film(2013, "Her", 8.0));
    let plays = Film::expr(awstin_macros::update!(plays += one));
    let absent = Film::expr(awstin_macros::cond!(attribute_not_exists(year)));
    let exists = Film::expr(awstin_macros::cond!(attribute_exists(year)));
    let (film_20, film_21) = ((2000, "Film 20"), (2000, "Film 21"));
    let update = || WriteSpec::update("Films", Key::of::<Film, _>(&film_20), &plays);
    let mut applied = wire::TransactWriteItems::new();
    applied
        .add(update())
        .and_then(|t| t.add(WriteSpec::put("Films", &her).when(&absent)))
        .and_then(|t| {
            t.add(WriteSpec::check(
                "Films",
                Key::of::<Film, _>(&film_21),
                &exists,
            ))
        })
        .expect("members");
    let applied = applied.build().expect("a transaction");
    answer(&endpoint, &applied).await.expect("applied");
    assert_eq!(
        films
            .get((2000, "Film 20"))
            .await
            .expect("a get")
            .map(|f| f.plays),
        Some(1)
    );
    assert_eq!(
        films.get((2013, "Her")).await.expect("a get"),
        Some(her.clone())
    );

    // The same again: the put's condition is false now; nothing is applied, and the reason
    // of each member says which failed, with the stored item.
    let failure = answer(&endpoint, &applied).await.expect_err("cancelled");
    let Failure::TransactionCanceled { reasons } = &failure else {
        panic!("a cancellation: {failure:?}");
    };
    let codes: Vec<(usize, &str)> = reasons.iter().map(|r| (r.index, r.code.as_str())).collect();
    assert_eq!(codes, [(1, "ConditionalCheckFailed")]);
    let stored = reasons[0].stored.as_ref().expect("the stored item");
    assert_eq!(
        <Film as awstin_core::DecodeFrom<_>>::decode(stored.read()),
        Ok(her)
    );
    assert_eq!(
        failure.to_string(),
        "the transaction was cancelled; member 1 failed: ConditionalCheckFailed"
    );
    assert_eq!(
        films
            .get((2000, "Film 20"))
            .await
            .expect("a get")
            .map(|f| f.plays),
        Some(1)
    );

    // Refused before sending: the same item twice, a transaction of none or of 101.
    let mut twice = wire::TransactWriteItems::new();
    twice.add(update()).expect("a member");
    assert_eq!(
        twice
            .add(WriteSpec::<Film>::delete(
                "Films",
                Key::of::<Film, _>(&film_20)
            ))
            .err(),
        Some(awstin_core::Error::SameItemTwice {
            first: 0,
            second: 1
        })
    );
    assert!(wire::TransactWriteItems::new().build().is_err());
    let mut many = wire::TransactWriteItems::new();
    let keys: Vec<(u32, String)> = (0..101).map(|i| (3000, format!("k{i}"))).collect();
    let keys: Vec<(u32, &str)> = keys.iter().map(|(y, t)| (*y, t.as_str())).collect();
    for key in &keys {
        many.add(WriteSpec::<Film>::delete("Films", Key::of::<Film, _>(key)))
            .expect("a member");
    }
    assert_eq!(
        many.build().err(),
        Some(awstin_core::Error::TransactionMembers {
            members: 101,
            max: 100
        })
    );
}

#[tokio::test]
async fn pages_go_on_between_the_core_and_the_tables() {
    let local = films_table().await;
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
    let films = local.db().table::<Film>();
    let all: Vec<Film> = (0..7).map(|i| film(1999, &format!("F{i}"), 5.0)).collect();
    films
        .batch_write(all.iter().map(|f| films.put(f)))
        .await
        .expect("a batch");
    let year = 1999;
    let key = Film::expr(awstin_macros::cond!(year == year));

    // The core's first page; its cursor taken by the table's page; that page's cursor taken
    // by the core again.
    let first = answer(
        &endpoint,
        &ReadSpec::query("Films", &key)
            .limit(3)
            .and_then(|q| q.build(wire::read))
            .expect("a request"),
    )
    .await
    .expect("a page");
    let mut seen: Vec<Film> = first.items().expect("films");
    let cursor = first
        .next::<Film>("Films", None)
        .expect("a cursor")
        .expect("more");
    let page = films
        .query(awstin_macros::cond!(year == year))
        .page_size(2)
        .page(Some(&cursor))
        .await
        .expect("the table takes the core's cursor");
    seen.extend(page.items);
    let cursor = page.next.expect("more");
    let start =
        wire::start_of::<Film>("Films", &cursor, None).expect("the core takes the table's cursor");
    let last = answer(
        &endpoint,
        &ReadSpec::query("Films", &key)
            .after(Some(&start))
            .expect("a start of this query")
            .build(wire::read)
            .expect("a request"),
    )
    .await
    .expect("a page");
    seen.extend(last.items::<Film>().expect("films"));
    assert_eq!(last.next::<Film>("Films", None).expect("an answer"), None);
    assert_eq!(seen, all, "every film once, in order");

    // Signed cursors: one signed by the core is taken by a table with the same secret, and
    // refused by one without it or with another.
    let secret = b"an application secret of 32 bytes";
    let signer = wire::CursorKey::new(secret.to_vec()).expect("a key");
    let signed = first
        .next::<Film>("Films", Some(&signer))
        .expect("a cursor")
        .expect("more");
    let key_of = |s: &[u8]| awstin::dynamodb::CursorKey::new(s.to_vec()).expect("a key");
    let page = films
        .query(awstin_macros::cond!(year == year))
        .page_size(2)
        .cursor_key(key_of(secret))
        .page(Some(&signed))
        .await
        .expect("a signed cursor");
    assert_eq!(page.items, all[3..5]);
    for refused in [
        films
            .query(awstin_macros::cond!(year == year))
            .page(Some(&signed))
            .await,
        films
            .query(awstin_macros::cond!(year == year))
            .cursor_key(key_of(b"another secret of 32 bytes......"))
            .page(Some(&signed))
            .await,
    ] {
        assert!(
            matches!(
                refused,
                Err(awstin::dynamodb::Error::Refused(
                    awstin::dynamodb::Refusal::InvalidCursor { .. }
                ))
            ),
            "{refused:?}"
        );
    }
    assert!(
        wire::start_of::<Film>("Films", &cursor, Some(&signer)).is_err(),
        "an unsigned cursor where signed are asked"
    );

    // Cursors refused by the core before anything is sent.
    let other_year = 2013;
    let elsewhere = Film::expr(awstin_macros::cond!(year == other_year));
    let refusal = |r: Result<Wire, awstin_core::Error>| match r {
        Err(awstin_core::Error::InvalidCursor { reason }) => reason,
        other => panic!("refused: {other:?}"),
    };
    assert_eq!(
        refusal(
            ReadSpec::query("Films", &elsewhere)
                .after(Some(&start))
                .and_then(|q| q.build(wire::read))
        ),
        "made for another query"
    );
    assert_eq!(
        refusal(wire::start_of::<Film>("Movies", &cursor, None).map(|_| unreachable!())),
        "made for another table or index"
    );
    assert_eq!(
        refusal(wire::start_of::<Film>("Films", "%%%", None).map(|_| unreachable!())),
        "not a cursor"
    );
}

/// The proxy checks signatures as AWS does: a request signed for an empty body but sent with
/// its own (the mutant of `Wire::sign` that signs no body), for another target, with another
/// secret, or 20 minutes ago is refused with 403 `InvalidSignatureException`, and nothing of it
/// reaches the table; the same request signed right is taken.
#[tokio::test]
async fn a_bad_signature_is_refused_as_aws_refuses_it() {
    let local = films_table().await;
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
    let rush = film(2013, "Rush", 8.1);
    let put = WriteSpec::put("Films", &rush)
        .build(wire::write)
        .expect("a request");
    let empty = Wire {
        target: put.target,
        body: String::new(),
    };
    let other_target = Wire {
        target: "DynamoDB_20120810.DeleteItem",
        body: put.body.clone(),
    };
    for (what, signed_as, secret, time) in [
        ("signed for an empty body", &empty, SECRET, now()),
        ("signed for another target", &other_target, SECRET, now()),
        ("signed with another secret", &put, "not the secret", now()),
        ("signed 20 minutes ago", &put, SECRET, now() - 20 * 60),
    ] {
        let (status, body) = send_signed(&endpoint, &put, signed_as, secret, time).await;
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        assert_eq!(status, 403, "{what}: {body}");
        assert!(
            body["__type"]
                .as_str()
                .is_some_and(|t| t.ends_with("#InvalidSignatureException")),
            "{what}: {body}"
        );
        assert!(
            matches!(
                Answer::read(status, &serde_json::to_vec(&body).expect("json")),
                Err(Failure::Service { status: 403, .. })
            ),
            "{what}: the core reads it as a refusal"
        );
    }
    assert_eq!(
        local
            .db()
            .table::<Film>()
            .get((2013, "Rush"))
            .await
            .expect("a get"),
        None,
        "no badly signed request reached the table"
    );
    let (status, _) = send_raw(&endpoint, &put).await;
    assert_eq!(status, 200, "signed right, it is taken");
    let report = proxy.report();
    assert_eq!(
        (report.signatures_refused, report.signatures_verified),
        (4, 1)
    );
    // The SDK's own requests pass the same check: the checker is the SDK's signer.
    let through = proxy.client().table::<Film>();
    assert_eq!(
        through
            .get((2013, "Rush"))
            .await
            .expect("the SDK's signature is taken"),
        Some(film(2013, "Rush", 8.1))
    );
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Task { table "Tasks"; entity "Task"; key id: String; attr title: String; attr done: bool }
}

/// The entity type a model derives (`entity "Task"`), declared once, reaches every write of
/// both backends: puts, updates, transaction members and batch requests through the SDK
/// (`awstin::dynamodb`) and through the JSON layer (`awstin_core::wire`).
#[tokio::test]
async fn a_derived_attribute_reaches_every_write_of_both_backends() {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Task>().expect("a spec"))
        .await
        .expect("a table");
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
    let task = |id: &str| Task {
        id: id.into(),
        title: format!("task {id}"),
        done: false,
    };
    let (title, done) = ("an update", true);
    let finish = Task::expr(awstin::update!(title = title, done = done));

    // The SDK backend.
    let tasks = local.db().table::<Task>();
    tasks.put(&task("sdk-put")).await.expect("put");
    tasks
        .update("sdk-update", awstin::update!(title = title, done = done))
        .await
        .expect("update");
    local
        .db()
        .transact_write()
        .write(tasks.put(&task("sdk-member-put")))
        .write(tasks.update(
            "sdk-member-update",
            awstin::update!(title = title, done = done),
        ))
        .await
        .expect("a transaction");
    tasks
        .batch_write([tasks.put(&task("sdk-batch"))])
        .await
        .expect("a batch");

    // The JSON backend.
    let put = task("wire-put");
    answer(
        &endpoint,
        &WriteSpec::put("Tasks", &put)
            .build(wire::write)
            .expect("a put"),
    )
    .await
    .expect("put");
    let update = WriteSpec::update("Tasks", Key::of::<Task, _>(&"wire-update"), &finish)
        .build(wire::write)
        .expect("an update");
    answer(&endpoint, &update).await.expect("update");
    let member = task("wire-member-put");
    let mut transaction = wire::TransactWriteItems::new();
    transaction
        .add(WriteSpec::put("Tasks", &member))
        .expect("a member");
    transaction
        .add(WriteSpec::update(
            "Tasks",
            Key::of::<Task, _>(&"wire-member-update"),
            &finish,
        ))
        .expect("a member");
    answer(&endpoint, &transaction.build().expect("a transaction"))
        .await
        .expect("a transaction");
    let batched = task("wire-batch");
    let mut batch = wire::BatchWriteItem::new();
    batch
        .add(WriteSpec::put("Tasks", &batched))
        .expect("a request");
    for request in batch.build() {
        answer(&endpoint, &request).await.expect("a batch");
    }

    // Every item holds the entity type, read raw.
    let scanned = local
        .db()
        .client()
        .scan()
        .table_name("Tasks")
        .send()
        .await
        .expect("a scan");
    let mut types: Vec<(String, String)> = scanned
        .items()
        .iter()
        .map(|item| {
            let id = item["id"].as_s().expect("an id").clone();
            let kind = item
                .get("_type")
                .map(|v| v.as_s().expect("a string").clone())
                .unwrap_or_default();
            (id, kind)
        })
        .collect();
    types.sort();
    let expected: Vec<(String, String)> = [
        "sdk-batch",
        "sdk-member-put",
        "sdk-member-update",
        "sdk-put",
        "sdk-update",
        "wire-batch",
        "wire-member-put",
        "wire-member-update",
        "wire-put",
        "wire-update",
    ]
    .iter()
    .map(|id| ((*id).to_owned(), "Task".to_owned()))
    .collect();
    assert_eq!(types, expected);
    // The field-side of the model reads back, the derived attribute aside.
    assert_eq!(
        tasks.get("sdk-put").await.expect("a get"),
        Some(task("sdk-put"))
    );
}
