//! DynamoDB's JSON protocol without the SDK (`awstin_core::wire`), signed by the core's SigV4
//! (`awstin_core::sigv4`) and sent over a plain HTTP connection to the embedded DynamoDB,
//! through the testing proxy that checks every request's signature with the SDK's own signer
//! (`aws-sigv4`), as AWS does (the embedded DynamoDB checks none): the requests the core makes
//! are the ones DynamoDB takes, and what they write the `awstin` crate's table reads.

#![allow(missing_docs)] // a test model: the fields speak for themselves

use awstin::dynamo_model;
use awstin::testing::faults::{FaultPlan, FaultProxy};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_core::sigv4::{Credentials, Scope};
use awstin_core::wire::{self, Answer, CONTENT_TYPE, Failure, Wire};
use futures::TryStreamExt;
use serde_json::Value;
use tokio::io::AsyncWriteExt;

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
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs()
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
    let host = endpoint.trim_start_matches("http://");
    let signed = signed_as.sign(
        host,
        &Credentials {
            access_key_id: "test",
            secret_access_key: secret,
            session_token: None,
        },
        &Scope {
            region: "us-east-1",
            service: "dynamodb",
            time,
        },
    );
    let mut head = format!(
        "POST / HTTP/1.1\r\nhost: {host}\r\ncontent-type: {CONTENT_TYPE}\r\nx-amz-target: {}\r\ncontent-length: {}\r\n",
        request.target,
        request.body.len()
    );
    for (name, value) in signed.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    let mut socket = tokio::net::TcpStream::connect(host)
        .await
        .expect("a connection");
    socket.write_all(head.as_bytes()).await.expect("sent");
    socket
        .write_all(request.body.as_bytes())
        .await
        .expect("sent");
    let mut buf = Vec::new();
    let (status_head, body) = awstin_tests::read_http_message(&mut socket, &mut buf)
        .await
        .expect("an answer");
    let status = status_head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_vec())
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
        let put = wire::put("Films", &f).build().expect("a request");
        assert_eq!(send(&endpoint, &put).await.0, 200, "{}", put.body);
    }
    let absent = Film::expr(awstin_macros::cond!(attribute_not_exists(year)));
    let again = wire::put("Films", &film(2013, "Rush", 1.0))
        .when(&absent)
        .build()
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
    let query = wire::Query::new("Films", &key)
        .filter(&filter)
        .limit(10)
        .build()
        .expect("a request");
    let (status, body) = send(&endpoint, &query).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["Count"], 2, "{body}");
    let one = 1;
    let plays = Film::expr(awstin_macros::update!(plays += one));
    let rated = Film::expr(awstin_macros::cond!(rating > min));
    let update = wire::update("Films", &(2013, "Her"), &plays)
        .when(&rated)
        .build()
        .expect("a request");
    assert_eq!(
        send(&endpoint, &update).await.0,
        400,
        "Her is rated 8.0: the condition is false"
    );
    let update = wire::update("Films", &(2013, "Rush"), &plays)
        .when(&rated)
        .build()
        .expect("a request");
    let (status, body) = send(&endpoint, &update).await;
    assert_eq!(
        (status, &body["Attributes"]["plays"]["N"]),
        (200, &Value::from("1")),
        "{body}"
    );
    let get = wire::get_item::<Film, _>("Films", &(2013, "Rush")).expect("a request");
    assert_eq!(send(&endpoint, &get).await.1["Item"]["plays"]["N"], "1");
    let delete = wire::delete::<Film, _>("Films", &(2013, "Prisoners"))
        .build()
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
    let scan = wire::Scan::<Film>::new("Films")
        .filter(&since)
        .project(&titles)
        .build()
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
    assert!(wire::get_item::<Film, _>("Films", &(2013, long.as_str())).is_err());
    // A table or index name DynamoDB would not take, in every request that names one.
    let named = |r: Result<Wire, awstin_core::Error>| {
        matches!(r, Err(awstin_core::Error::InvalidTableName { .. }))
    };
    let bad = "my films";
    assert!(named(wire::get_item::<Film, _>(bad, &(2013, "Rush"))));
    assert!(named(wire::put(bad, &film(2013, "Rush", 1.0)).build()));
    assert!(named(
        wire::delete::<Film, _>("ab", &(2013, "Rush")).build()
    ));
    assert!(named(wire::update(bad, &(2013, "Rush"), &plays).build()));
    assert!(named(wire::Query::new(bad, &key).build()));
    assert!(named(
        wire::Query::new("Films", &key).index("by rating").build()
    ));
    assert!(named(wire::Scan::<Film>::new(bad).build()));
    assert!(matches!(
        wire::BatchWrite::new().put(bad, &film(2013, "Rush", 1.0)),
        Err(awstin_core::Error::InvalidTableName { .. })
    ));
    assert!(matches!(
        wire::BatchGet::new().get::<Film, _>(bad, &(2013, "Rush")),
        Err(awstin_core::Error::InvalidTableName { .. })
    ));
    assert!(matches!(
        wire::TransactWrite::new().write(&wire::delete::<Film, _>(bad, &(2013, "Rush"))),
        Err(awstin_core::Error::InvalidTableName { .. })
    ));
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
        &wire::put("Films", &rush).build().expect("a request"),
    )
    .await
    .expect("put");

    let get = wire::get_item::<Film, _>("Films", &(2013, "Rush")).expect("a request");
    let got: Option<Film> = answer(&endpoint, &get)
        .await
        .expect("get")
        .item()
        .expect("a film");
    assert_eq!(got, Some(rush.clone()));
    let missing = wire::get_item::<Film, _>("Films", &(1900, "None")).expect("a request");
    assert_eq!(
        answer(&endpoint, &missing)
            .await
            .expect("get")
            .item::<Film>(),
        Ok(None)
    );

    // A false condition: the stored item comes back, typed.
    let absent = Film::expr(awstin_macros::cond!(attribute_not_exists(year)));
    let again = wire::put("Films", &film(2013, "Rush", 1.0))
        .when(&absent)
        .build()
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
    let update = wire::update("Films", &(2013, "Rush"), &plays)
        .when(&rated)
        .build()
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
    let elsewhere = wire::get_item::<Film, _>("NoSuchTable", &(2013, "Rush")).expect("a request");
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
    let mut batch = wire::BatchWrite::new();
    for f in &all {
        batch.put("Films", f).expect("a request");
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
    let mut get = wire::BatchGet::new();
    for f in &all {
        get.get::<Film, _>("Films", &(f.year, f.title.as_str()))
            .expect("a key");
    }
    get.get::<Film, _>("Films", &(1900, "None")).expect("a key");
    let requests = get.build();
    assert_eq!(requests.len(), 1);
    let read = answer(&endpoint, &requests[0]).await.expect("a batch get");
    let mut got: Vec<Film> = read.responses("Films").expect("films");
    got.sort_by(|a, b| a.title.cmp(&b.title));
    assert_eq!(got, all);
    assert_eq!(read.unprocessed().expect("an answer"), None);

    // Deletes by batch.
    let mut deletes = wire::BatchWrite::new();
    for f in &all[..10] {
        deletes
            .delete::<Film, _>("Films", &(f.year, f.title.as_str()))
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
    let update = wire::update("Films", &(2000, "Film 20"), &plays);
    let put = wire::put("Films", &her).when(&absent);
    let check = wire::check("Films", &(2000, "Film 21"), &exists);
    let applied = wire::TransactWrite::new()
        .write(&update)
        .and_then(|t| t.write(&put))
        .and_then(|t| t.write(&check))
        .and_then(|t| t.build())
        .expect("a transaction");
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
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["None", "ConditionalCheckFailed", "None"]);
    let stored = reasons[1].item.as_ref().expect("the stored item");
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
    let mut twice = wire::TransactWrite::new();
    twice.write(&update).expect("a member");
    assert_eq!(
        twice
            .write(&wire::delete::<Film, _>("Films", &(2000, "Film 20")))
            .err(),
        Some(awstin_core::Error::SameItemTwice)
    );
    assert!(wire::TransactWrite::new().build().is_err());
    let mut many = wire::TransactWrite::new();
    let keys: Vec<(u32, String)> = (0..101).map(|i| (3000, format!("k{i}"))).collect();
    let keys: Vec<(u32, &str)> = keys.iter().map(|(y, t)| (*y, t.as_str())).collect();
    let deletes: Vec<_> = keys
        .iter()
        .map(|key| wire::delete::<Film, _>("Films", key))
        .collect();
    for d in &deletes {
        many.write(d).expect("a member");
    }
    assert_eq!(
        many.build().err(),
        Some(awstin_core::Error::TransactionSize {
            count: 101,
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
        &wire::Query::new("Films", &key)
            .limit(3)
            .build()
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
    let last = answer(
        &endpoint,
        &wire::Query::new("Films", &key)
            .after(&cursor)
            .build()
            .expect("the core takes the table's cursor"),
    )
    .await
    .expect("a page");
    seen.extend(last.items::<Film>().expect("films"));
    assert_eq!(last.next::<Film>("Films", None).expect("an answer"), None);
    assert_eq!(seen, all, "every film once, in order");

    // Signed cursors: one signed by the core is taken by a table with the same secret, and
    // refused by one without it or with another.
    let secret = b"an application secret of 32 bytes";
    let signer = wire::CursorKey::new(secret).expect("a key");
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
            matches!(refused, Err(awstin::dynamodb::Error::InvalidCursor { .. })),
            "{refused:?}"
        );
    }
    let query = wire::Query::new("Films", &key).after(&cursor);
    assert!(
        query.cursor_key(&signer).build().is_err(),
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
        refusal(wire::Query::new("Films", &elsewhere).after(&cursor).build()),
        "made for another query"
    );
    assert_eq!(
        refusal(wire::Query::new("Movies", &key).after(&cursor).build()),
        "made for another table or index"
    );
    assert_eq!(
        refusal(wire::Scan::<Film>::new("Films").after("%%%").build()),
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
    let put = wire::put("Films", &film(2013, "Rush", 8.1))
        .build()
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
