//! The Movies API example's handler on a real API Gateway event, against the embedded
//! DynamoDB (the example crate itself carries no emulator unless built with `local`).

use aws_lambda_events::encodings::Body;
use awstin::dynamodb::{Error, Table};
use awstin::lambda::http::HttpRequest;
use awstin::lambda::{Context, LambdaEvent, http_handler, lambda_handler};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table, with_temporary_table};
use awstin_examples::movies_api::{list_movies, parse};
use awstin_examples::{Info, Movie};

const SAMPLE: &str = include_str!("../examples/events/apigw-movies-request.json");

#[tokio::test]
async fn the_handler_answers_a_real_api_gateway_event_from_the_embedded_dynamodb()
-> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(local.db(), TableSpec::of::<Movie>()?, |movies: Table<Movie>| async move {
        for (year, title, rating) in [(1992, "Aladdin", 8.0), (1992, "Hook", 6.8), (1992, "Malcolm X", 7.7), (1993, "Alive", 6.4)] {
            let info = Info { rating: Some(rating), ..Info::default() };
            movies.put(&Movie { year, title: title.into(), info }).await?;
        }
        let event: HttpRequest = serde_json::from_str(SAMPLE).map_err(|e| Error::Configuration { message: e.to_string() })?;
        let handler = http_handler(parse, |query| {
            let movies = movies.clone();
            async move { list_movies(&movies, None, query).await }
        });
        let response = handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
            .map_err(|e| Error::Configuration { message: e.to_string() })?;
        assert_eq!(response.status_code, 200);
        let Some(Body::Text(body)) = response.body else { panic!("a text body was expected") };
        assert_eq!(body, r#"{"movies":[{"year":1992,"title":"Aladdin","rating":8.0},{"year":1992,"title":"Hook","rating":6.8}]}"#);
        Ok(())
    })
    .await
}

/// Reading by value gives what reading a borrowed item gives: the same movies, and for an
/// item that does not fit the model, the same error naming the same attribute.
#[test]
fn decoding_by_value_reads_what_decoding_a_borrowed_item_reads() {
    use aws_sdk_dynamodb::types::AttributeValue;
    use awstin::dynamodb::{from_item, from_item_owned, to_item};
    for movie in awstin_examples::sample_movies(300) {
        let item = to_item(&movie).expect("a movie encodes");
        let borrowed: Movie = from_item(&item).expect("a movie decodes");
        let owned: Movie = from_item_owned(item).expect("a movie decodes by value");
        assert_eq!((&borrowed, &owned), (&movie, &movie));
    }
    let movie = &awstin_examples::sample_movies(1)[0];
    let bad_items = [
        ("title", AttributeValue::N("7".into())),
        ("year", AttributeValue::S("1999".into())),
        ("info", AttributeValue::L(vec![])),
    ];
    for (attribute, value) in bad_items {
        let mut item = to_item(movie).expect("a movie encodes");
        item.insert(attribute.to_owned(), value);
        let borrowed = from_item::<Movie>(&item).expect_err("refused");
        let owned = from_item_owned::<Movie>(item).expect_err("refused");
        assert_eq!(borrowed, owned, "{attribute}");
    }
    let mut item = to_item(movie).expect("a movie encodes");
    if let Some(AttributeValue::M(info)) = item.get_mut("info") {
        info.insert("actors".into(), AttributeValue::Ss(vec!["Moe".into()]));
    }
    assert_eq!(
        from_item::<Movie>(&item).expect_err("refused"),
        from_item_owned::<Movie>(item).expect_err("refused")
    );
}

/// The API pages through 123 movies ten at a time: each comes exactly once, in title order; a
/// cursor altered by a client, or made for other pages, is a 400 and reads nothing.
#[tokio::test]
async fn the_api_pages_through_123_movies_with_signed_cursors() -> Result<(), Error> {
    use awstin::dynamodb::{ClientOptions, CursorKey};
    use awstin::testing::faults::{FaultPlan, FaultProxy};
    use awstin::testing::test_client as quick_client;
    let local = LocalDynamoDb::start().await?;
    let local_endpoint = local.endpoint();
    with_temporary_table(
        local.db(),
        TableSpec::of::<Movie>()?,
        |movies: Table<Movie>| async move {
            let titles: Vec<String> = (0..123).map(|i| format!("Film {i:03}")).collect();
            let all: Vec<Movie> = titles
                .iter()
                .map(|t| Movie {
                    year: 2000,
                    title: t.clone(),
                    info: Info::default(),
                })
                .chain(["Elsewhere", "Elsewhere again"].map(|title| Movie {
                    year: 2001,
                    title: title.into(),
                    info: Info::default(),
                }))
                .collect();
            movies
                .batch_write(all.iter().map(|x| movies.put(x)))
                .await?;
            let key = CursorKey::new(b"the movies api test secret".to_vec())?;
            let call_on = |movies: Table<Movie>, params: Vec<(&'static str, String)>| {
                let key = key.clone();
                async move {
                    let mut event = HttpRequest::default();
                    event.query_string_parameters = params
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<std::collections::HashMap<_, _>>()
                        .into();
                    let handler = http_handler(parse, move |query| {
                        let (movies, key) = (movies.clone(), key.clone());
                        async move { list_movies(&movies, Some(&key), query).await }
                    });
                    let response = handler
                        .call(LambdaEvent::new(event, Context::default()))
                        .await
                        .map_err(|e| Error::Configuration {
                            message: e.to_string(),
                        })?;
                    let Some(Body::Text(body)) = response.body else {
                        panic!("a text body was expected")
                    };
                    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
                    Ok::<_, Error>((response.status_code, json))
                }
            };
            let call = |params| call_on(movies.clone(), params);
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            let mut pages = 0;
            let mut cursors = Vec::new();
            loop {
                let mut params = vec![("year", "2000".to_string()), ("limit", "10".to_string())];
                if let Some(c) = &cursor {
                    params.push(("cursor", c.clone()));
                }
                let (status, json) = call(params).await?;
                assert_eq!(status, 200, "{json}");
                pages += 1;
                let page: Vec<String> = json["movies"]
                    .as_array()
                    .expect("movies")
                    .iter()
                    .map(|m| m["title"].as_str().expect("a title").to_owned())
                    .collect();
                assert!(page.len() <= 10);
                seen.extend(page);
                match json["next"].as_str() {
                    Some(next) => {
                        assert!(
                            next.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                            "URL-safe: {next}"
                        );
                        cursors.push(next.to_owned());
                        cursor = Some(next.to_owned());
                    }
                    None => break,
                }
                assert!(pages <= 14, "the pages end");
            }
            assert_eq!(seen, titles, "each movie once, in order");
            assert_eq!(pages, 13, "123 movies in pages of 10, the last of 3");
            println!("{pages} pages; the first cursor: {}", cursors[0]);
            // A cursor changed by one character, one without its signature, and one this
            // application signed for another year's query of the same table are refused
            // without reading: the calls go through a proxy that counts requests.
            let good = &cursors[0];
            let mut flipped = good.clone().into_bytes();
            flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
            let flipped = String::from_utf8(flipped).expect("ASCII");
            let unsigned = good.split('.').next().expect("a payload").to_owned();
            let other_year = 2001;
            let other_query = movies
                .query(awstin::cond!(year == other_year))
                .page_size(1)
                .cursor_key(key.clone())
                .page(None)
                .await?
                .next
                .expect("a page of 1 of 2 has a cursor");
            let proxy = FaultProxy::start(local_endpoint, FaultPlan::none()).await;
            let counted = quick_client(proxy.endpoint(), ClientOptions::default()).table::<Movie>();
            let refused = [
                (flipped, "not signed by this application"),
                (unsigned, "not signed by this application"),
                (other_query, "made for another query"),
                ("not a cursor".to_string(), "not a cursor"),
                (String::new(), "not signed by this application"),
            ];
            for (bad, reason) in refused {
                let (status, json) = call_on(
                    counted.clone(),
                    vec![
                        ("year", "2000".to_string()),
                        ("limit", "10".to_string()),
                        ("cursor", bad.clone()),
                    ],
                )
                .await?;
                assert_eq!(status, 400, "{bad}: {json}");
                assert_eq!(
                    json["message"].as_str(),
                    Some(format!("cursor refused: {reason}").as_str()),
                    "{bad}"
                );
            }
            assert!(
                proxy.report().requests.is_empty(),
                "read nothing: {:?}",
                proxy.report().requests
            );
            // Through the same proxy, the good cursor reads its page.
            let (status, _) = call_on(
                counted.clone(),
                vec![
                    ("year", "2000".to_string()),
                    ("limit", "10".to_string()),
                    ("cursor", good.clone()),
                ],
            )
            .await?;
            assert_eq!((status, proxy.report().requests["Query"]), (200, 1));
            Ok(())
        },
    )
    .await
}

/// The `stream_audit` example on the Movies table's own stream (the embedded DynamoDB) and
/// moto's SNS: a batch of five changes with a bad record in the middle publishes the two
/// before it, reports the bad one, and the retry from there publishes the rest: every change
/// once, in order. It prints what the handler logged and answered.
#[tokio::test]
async fn stream_audit_publishes_each_rating_once_and_reports_a_bad_record() -> Result<(), Error> {
    use aws_sdk_dynamodb::types::StreamViewType;
    use awstin::lambda::stream;
    use awstin::sns::Topic;
    use awstin::testing::create_table;
    use awstin::testing::sns::published;
    use awstin_examples::stream_audit::audit;

    let fail = |e: &dyn std::fmt::Display| Error::Configuration {
        message: e.to_string(),
    };
    let endpoint = std::env::var("TEST_SNS_ENDPOINT")
        .expect("TEST_SNS_ENDPOINT: run `bash scripts/test.sh`, which starts moto server");
    let sns = awstin::sns::client_from_env().await.map_err(|e| fail(&e))?;
    let created = sns
        .create_topic()
        .name("movie-ratings")
        .send()
        .await
        .map_err(|e| fail(&e))?;
    let arn = created.topic_arn().unwrap_or_default().to_owned();
    let topic = Topic::from_arn(&arn).await.map_err(|e| fail(&e))?;

    let local = LocalDynamoDb::start().await?;
    create_table(
        local.db(),
        &TableSpec::of::<Movie>()?.with_stream(StreamViewType::NewAndOldImages),
    )
    .await?;
    let movies: Table<Movie> = local.db().table();
    for (year, title, rating) in [
        (2013, "Rush", 8.1),
        (2015, "Room", 8.1),
        (2014, "Whiplash", 8.5),
    ] {
        movies
            .put(&Movie {
                year,
                title: title.into(),
                info: Info {
                    rating: Some(rating),
                    ..Info::default()
                },
            })
            .await?;
    }
    let rating = 8.2;
    movies
        .update((2013, "Rush"), awstin::update!(info.rating = rating))
        .await?;
    let _ = movies.delete((2015, "Room")).await?;
    let clean = local.stream_event("Movies")?;
    let mut batch = clean.clone();
    // The third record's new image holds a rating that is not a number.
    batch["Records"][2]["dynamodb"]["NewImage"]["info"]["M"]["rating"] =
        serde_json::json!({"S": "excellent"});
    let third = batch["Records"][2]["dynamodb"]["SequenceNumber"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let handler = lambda_handler(stream::parse, |changes| {
        let topic = topic.clone();
        async move { Ok::<_, std::convert::Infallible>(Box::pin(audit(&topic, changes)).await) }
    });
    let captured = awstin_tests::Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .without_time()
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let invoke = |json: serde_json::Value| async {
        let event: stream::Event = serde_json::from_value(json).map_err(|e| fail(&e))?;
        handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
            .map_err(|e| fail(&e))
    };
    let response = invoke(batch).await?;
    let answer = serde_json::to_value(&response).map_err(|e| fail(&e))?;
    println!("handler log:\n{}handler answer: {answer}", captured.text());
    assert_eq!(
        answer,
        serde_json::json!({"batchItemFailures": [{"itemIdentifier": third}]})
    );
    let log = captured.text();
    assert!(
        log.contains(&format!("item=\"{third}\"")) || log.contains(&format!("item={third}")),
        "{log}"
    );
    assert!(log.contains("status=\"1 failed item\""), "{log}");
    assert!(
        !log.contains("excellent"),
        "a record's values never reach the log: {log}"
    );

    let sent = || async {
        let sent = published(&endpoint, &arn).await.map_err(|e| fail(&e))?;
        Ok::<Vec<String>, Error>(sent.into_iter().map(|p| p.message).collect())
    };
    assert_eq!(
        sent().await?,
        [
            r#"{"change":"INSERT","year":2013,"title":"Rush","before":null,"after":8.1}"#,
            r#"{"change":"INSERT","year":2015,"title":"Room","before":null,"after":8.1}"#,
        ]
    );

    // Lambda retries from the reported record; here the record is read as the table wrote it.
    let mut retry = clean;
    if let Some(records) = retry["Records"].as_array_mut() {
        records.drain(..2);
    }
    let response = invoke(retry).await?;
    drop(guard);
    assert!(response.batch_item_failures.is_empty());
    assert_eq!(
        sent().await?[2..],
        [
            r#"{"change":"INSERT","year":2014,"title":"Whiplash","before":null,"after":8.5}"#
                .to_owned(),
            r#"{"change":"MODIFY","year":2013,"title":"Rush","before":8.1,"after":8.2}"#.to_owned(),
            r#"{"change":"REMOVE","year":2015,"title":"Room","before":8.1,"after":null}"#
                .to_owned(),
        ]
    );
    Ok(())
}

/// The `votes` example's retry loop converges: 8 voters on two threads add 20 votes each to
/// one item at once; every vote lands exactly once, whatever the conflicts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_optimistic_locking_retry_loop_loses_no_vote() -> Result<(), Error> {
    use awstin::testing::create_table;
    use awstin_examples::votes::{Votes, vote_at_once};

    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Votes>()?).await?;
    let table = local.db().table::<Votes>();
    let attempts = vote_at_once(&table, "Rush", 8, 20).await?;
    let votes = table.get("Rush").await?.expect("votes stored");
    assert_eq!((votes.count, votes.total, votes.rev), (160, 20 * 36, 160));
    // Eight voters start together, so some read the same version: conflicts happened and
    // were merged, and still every vote landed once.
    assert!(attempts > 160, "no conflict: the merge path did not run");
    println!(
        "160 votes in {attempts} writes: {} conflicts merged and retried",
        attempts - 160
    );
    Ok(())
}

/// The guide (lambda chapter) says every example sets up `tracing` with `awstin::lambda::init_tracing`: each
/// program under `examples/src/bin` calls it (the bare baseline of the size comparison, in
/// `examples/bare-lambda`, is written without awstin).
#[test]
fn every_example_calls_init_tracing_at_the_default_recursion_limit() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/src/bin");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the examples") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a name")
            .to_owned();
        let source = std::fs::read_to_string(&path).expect("a source file");
        assert!(
            source.contains("awstin::lambda::init_tracing();"),
            "{name} does not call init_tracing"
        );
        // A `main` with a handler, a table and a client compiles at the compiler's default
        // recursion limit: the handler and every write box their futures.
        assert!(
            !source.contains("recursion_limit") && !source.contains("Box::pin"),
            "{name} raises the recursion limit or boxes a future by hand"
        );
        checked.push(name);
    }
    checked.sort();
    assert_eq!(checked.len(), 12, "{checked:?}");
}

/// The SQS worker: each order charged once however often it is delivered, the failures (an
/// order of no amount, a body that is not an order) reported by message id, a failed order
/// charged when it comes again fixed.
#[tokio::test]
async fn the_sqs_worker_charges_each_order_once_and_reports_failures() -> Result<(), Error> {
    use awstin::lambda::idempotency::IdempotencyRecord;
    use awstin_examples::orders::{Charge, Worker};
    use futures::TryStreamExt;
    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Charge>()?).await?;
    create_table(local.db(), &TableSpec::of::<IdempotencyRecord>()?).await?;
    let worker = Worker::new(local.db());
    let deliver = |messages: &[(&str, &str)]| {
        let records: Vec<serde_json::Value> = messages
            .iter()
            .map(|(id, body)| {
                serde_json::json!({"messageId": id, "body": body, "eventSource": "aws:sqs",
                    "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders"})
            })
            .collect();
        let event = serde_json::from_value(serde_json::json!({ "Records": records }));
        let worker = worker.clone();
        async move {
            let batch =
                awstin::lambda::batch::from_sqs(event.map_err(|e| Error::Configuration {
                    message: e.to_string(),
                })?);
            let Ok(response) = worker.handle(batch).await;
            Ok::<Vec<String>, Error>(response.failed().into_iter().map(str::to_owned).collect())
        }
    };
    let a = r#"{"id": "A", "item": "book", "cents": 1200}"#;
    let failed = deliver(&[
        ("m1", a),
        ("m2", r#"{"id": "B", "item": "pen", "cents": 0}"#),
        ("m3", r#"{"id": "C", "item": "ink"}"#),
    ])
    .await?;
    assert_eq!(failed, ["m2", "m3"]);
    let charges = local.db().table::<Charge>();
    assert_eq!(charges.scan().count().await?, 1);
    // A delivered again (SQS redelivers under the same message id), and twice more in one
    // batch; B fixed, D new.
    let failed = deliver(&[
        ("m1", a),
        ("m5", r#"{"id": "B", "item": "pen", "cents": 150}"#),
        ("m6", r#"{"id": "D", "item": "lamp", "cents": 3000}"#),
    ])
    .await?;
    assert!(failed.is_empty(), "{failed:?}");
    let failed = deliver(&[("m1", a), ("m1", a)]).await?;
    assert!(
        failed.len() <= 1,
        "a duplicate in one batch may be told to retry: {failed:?}"
    );
    let mut stored: Vec<(String, u64, u64)> = charges
        .scan()
        .stream()
        .map_ok(|c: Charge| (c.order, c.cents, c.times))
        .try_collect()
        .await?;
    stored.sort();
    // Each order charged once: a second charge would count 2.
    assert_eq!(
        stored,
        [
            ("A".into(), 1200, 1),
            ("B".into(), 150, 1),
            ("D".into(), 3000, 1)
        ]
    );
    Ok(())
}

/// A request the parser refuses is a response of its status with the refusal's text (which
/// names the field, never its value), not a failed invocation API Gateway would answer with a
/// 5xx; the function does not run (its table does not even exist here).
#[tokio::test]
async fn bad_input_to_the_api_is_a_400_response_not_a_failed_invocation() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    let movies = local.db().table::<Movie>(); // never created: the function must not run
    let handler = http_handler(parse, |query| {
        let movies = movies.clone();
        async move { list_movies(&movies, None, query).await }
    });
    for (query, message) in [
        (
            serde_json::json!({}),
            "the query parameter `year` is missing",
        ),
        (
            serde_json::json!({"year": "s3cr3t"}),
            "the query parameter `year` is not a whole number",
        ),
        (
            serde_json::json!({"year": "1992", "from": "A"}),
            "`from` and `to` go together",
        ),
        (
            serde_json::json!({"year": "1992", "limit": "0"}),
            "the query parameter `limit` is not a whole number from 1 to 100",
        ),
    ] {
        let mut event = awstin::testing::events::http_api("GET", "/movies", "/movies");
        for (name, value) in query.as_object().into_iter().flatten() {
            event = event.query(name, value.as_str().unwrap_or_default());
        }
        let event = event.build();
        let response = handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
            .map_err(|e| Error::Configuration {
                message: e.to_string(),
            })?;
        assert_eq!(response.status_code, 400, "{message}");
        let Some(Body::Text(body)) = response.body else {
            panic!("a text body was expected")
        };
        assert_eq!(body, serde_json::json!({ "message": message }).to_string());
        assert!(!body.contains("s3cr3t"));
    }
    Ok(())
}
