//! One batch mechanism for SQS (standard and FIFO), Kinesis and DynamoDB Streams: partial
//! failure responses, bounded concurrency, order within a FIFO message group and along a
//! stream, bodies that do not decode reported as failures, logs that name records and never
//! hold bodies.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awstin::lambda::batch::{self, Batch, BatchResponse, Json};
use awstin::lambda::{Context, LambdaEvent, lambda_handler};
use awstin_tests::Captured;
use serde_json::{Value, json};

#[derive(Debug, serde::Deserialize)]
struct Order {
    id: u64,
}

fn sqs(queue: &str, messages: &[(&str, &str, &str)]) -> aws_lambda_events::event::sqs::SqsEvent {
    let records: Vec<Value> = messages
        .iter()
        .map(|(id, group, body)| {
            json!({
                "messageId": id, "body": body, "eventSource": "aws:sqs",
                "eventSourceARN": format!("arn:aws:sqs:us-east-1:123456789012:{queue}"),
                "attributes": {"MessageGroupId": group},
            })
        })
        .collect();
    serde_json::from_value(json!({ "Records": records })).expect("an SQS event")
}

/// A standard queue: records run at once within the bound, each failure is reported by its
/// message id in the batch's order, and a body that does not decode is a failure of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standard_queue_runs_records_at_once_within_the_bound_and_reports_each_failure() {
    let bodies: Vec<(String, String)> = (0..20)
        .map(|i| {
            let body = match i {
                5 => "not json".to_owned(),
                9 => r#"{"id": "s3cr3t-9"}"#.to_owned(),
                _ => format!(r#"{{"id": {i}}}"#),
            };
            (format!("m{i:02}"), body)
        })
        .collect();
    let messages: Vec<(&str, &str, &str)> = bodies
        .iter()
        .map(|(id, body)| (id.as_str(), "", body.as_str()))
        .collect();
    let event = sqs("orders", &messages);
    let (in_flight, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let ran: Arc<Mutex<std::collections::BTreeMap<u64, usize>>> = Arc::default();
    let response = batch::from_sqs::<Json<Order>>(event)
        .concurrency(4)
        .process(|Json(order)| {
            let (in_flight, most, ran) = (in_flight.clone(), most.clone(), ran.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                in_flight.fetch_sub(1, Ordering::SeqCst);
                *ran.lock()
                    .map_err(|_| "poisoned")?
                    .entry(order.id)
                    .or_default() += 1;
                match order.id % 7 {
                    3 => Err("refused"),
                    _ => Ok(()),
                }
            }
        })
        .await;
    // Orders 3, 10 and 17 fail in the function; 5 and 9 do not decode.
    assert_eq!(response.failed(), ["m03", "m05", "m09", "m10", "m17"]);
    let ran = ran.lock().expect("not poisoned").clone();
    let expected: std::collections::BTreeMap<u64, usize> = (0..20)
        .filter(|i| ![5, 9].contains(i))
        .map(|i| (i, 1))
        .collect();
    assert_eq!(ran, expected, "every decoded record ran once, each");
    let most = most.load(Ordering::SeqCst);
    assert!(
        (2..=4).contains(&most),
        "{most} records ran at once, the bound is 4"
    );
}

/// A FIFO queue: a group's records run in order; after a failure the rest of the group is
/// reported without running, so nothing overtakes the failed message; other groups go on.
#[tokio::test]
async fn a_fifo_group_stops_at_its_first_failure_and_other_groups_go_on() {
    let event = sqs(
        "orders.fifo",
        &[
            ("a1", "A", r#"{"id": 1}"#),
            ("b1", "B", r#"{"id": 101}"#),
            ("a2", "A", r#"{"id": 2}"#),
            ("b2", "B", r#"{"id": 102}"#),
            ("a3", "A", r#"{"id": 3}"#),
            ("c1", "C", r#"{"id": 201}"#),
            ("a4", "A", r#"{"id": 4}"#),
            ("b3", "B", r#"{"id": 103}"#),
        ],
    );
    let ran = Arc::new(Mutex::new(Vec::new()));
    let b: Batch<Json<Order>> = batch::from_sqs(event);
    assert_eq!(b.retry(), batch::Retry::RestOfGroup);
    let response = b
        .process(|Json(order)| {
            let ran = ran.clone();
            async move {
                ran.lock().map_err(|_| "poisoned")?.push(order.id);
                if order.id == 2 {
                    Err("order 2 failed")
                } else {
                    Ok(())
                }
            }
        })
        .await;
    assert_eq!(
        response.failed(),
        ["a2", "a3", "a4"],
        "A's rest is held back"
    );
    let ran = ran.lock().expect("not poisoned").clone();
    let group = |low: u64, high: u64| -> Vec<u64> {
        ran.iter()
            .copied()
            .filter(|id| (low..high).contains(id))
            .collect()
    };
    assert_eq!(group(0, 100), [1, 2], "A stopped at its failure");
    assert_eq!(group(100, 200), [101, 102, 103], "B ran whole, in order");
    assert_eq!(group(200, 300), [201]);
}

/// Kinesis: records run in order; the first failure stops the batch and is the one reported
/// (Lambda retries from its sequence number).
#[tokio::test]
async fn a_kinesis_batch_stops_at_the_first_failure_and_reports_its_sequence_number() {
    use base64::Engine as _;
    let records: Vec<Value> = (1..=5)
        .map(|i| {
            let data = base64::engine::general_purpose::STANDARD.encode(format!(r#"{{"id": {i}}}"#));
            json!({
                "eventID": format!("shardId-0:{i}"), "eventSource": "aws:kinesis",
                "kinesis": {"data": data, "sequenceNumber": format!("4955{i}"), "partitionKey": "p",
                            "approximateArrivalTimestamp": 1700000000.0, "kinesisSchemaVersion": "1.0"}
            })
        })
        .collect();
    let event = serde_json::from_value(json!({ "Records": records })).expect("a Kinesis event");
    let ran = Arc::new(Mutex::new(Vec::new()));
    let response = batch::from_kinesis::<Json<Order>>(event)
        .concurrency(8)
        .process(|Json(order)| {
            let ran = ran.clone();
            async move {
                ran.lock().map_err(|_| "poisoned")?.push(order.id);
                if order.id == 3 {
                    Err("order 3 failed")
                } else {
                    Ok(())
                }
            }
        })
        .await;
    assert_eq!(response.failed(), ["49553"]);
    assert_eq!(
        *ran.lock().expect("not poisoned"),
        [1, 2, 3],
        "nothing after the failure ran"
    );
}

/// Through a handler: the response Lambda reads, the summary line naming the source, and a
/// failure's log line naming the record, never its body.
#[tokio::test]
async fn the_handler_answers_batch_item_failures_and_logs_ids_never_bodies() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    async fn work(orders: Batch<Json<Order>>) -> Result<BatchResponse, std::convert::Infallible> {
        Ok(orders
            .process(|Json(order)| async move {
                if order.id == 0 {
                    Err("order 0 is refused")
                } else {
                    Ok(())
                }
            })
            .await)
    }
    let handler = lambda_handler(batch::sqs::<Json<Order>>, work);
    let event = sqs(
        "orders",
        &[
            ("m1", "", r#"{"id": 7}"#),
            ("m2", "", r#"{"id": 0, "card": "4111-s3cr3t"}"#),
            ("m3", "", r#"{"id": "s3cr3t-text"}"#),
        ],
    );
    let response = handler
        .call(LambdaEvent::new(event, Context::default()))
        .await
        .expect("a batch never fails the invocation");
    assert_eq!(
        serde_json::to_value(&response).expect("serialises"),
        json!({"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]})
    );
    let logs = captured.text();
    assert!(
        logs.contains(r#""item":"m2""#) && logs.contains(r#""item":"m3""#),
        "{logs}"
    );
    assert!(logs.contains(r#""source":"sqs""#), "{logs}");
    assert!(logs.contains(r#""status":"2 failed items""#), "{logs}");
    assert!(!logs.contains("s3cr3t"), "a body reached the log: {logs}");
}

/// An HTTP API handler written with the helpers and tested with the event builders: a request
/// without the JWT claim is a 401, a body of the wrong shape a 400 naming the field, a good
/// one reaches the function; each a response, none a failed invocation.
#[tokio::test]
async fn an_http_api_handler_answers_401_400_and_201_from_built_events() {
    use awstin::lambda::http::{self, HttpApiResponse, HttpRequest};
    use awstin::lambda::{ParseError, http_handler};
    use awstin::testing::events;

    #[derive(serde::Deserialize)]
    struct NewTodo {
        title: String,
    }
    fn parse(request: HttpRequest, _: &Context) -> Result<(String, String, NewTodo), ParseError> {
        Ok((
            http::claim(&request, "sub")?.to_owned(),
            http::path_param(&request, "list")?.to_owned(),
            http::json_body(&request)?,
        ))
    }
    async fn create(
        (owner, list, todo): (String, String, NewTodo),
    ) -> Result<HttpApiResponse, std::convert::Infallible> {
        Ok(http::json(
            201,
            &json!({"owner": owner, "list": list, "title": todo.title}),
        ))
    }
    let handler = http_handler(parse, create);
    let request = |claim: bool, body: &str| {
        let r = events::http_api("POST", "/lists/{list}/todos", "/lists/home/todos")
            .path_param("list", "home")
            .body(body);
        if claim { r.claim("sub", "ann") } else { r }.build()
    };
    let answer = |r: HttpApiResponse| {
        let body = match r.body {
            Some(aws_lambda_events::encodings::Body::Text(t)) => t,
            other => panic!("a text body was expected, got {other:?}"),
        };
        (r.status_code, body)
    };
    let cases = [
        (
            request(false, r#"{"title": "milk"}"#),
            401,
            json!({"message": "the request carries no verified token"}),
        ),
        (
            request(true, r#"{"title": ["s3cr3t"]}"#),
            400,
            json!({"message": "the body field `title` is not of the expected type"}),
        ),
        (
            request(true, r#"{"name": "milk"}"#),
            400,
            json!({"message": "the body field `title` is missing"}),
        ),
        (
            request(true, "{not json"),
            400,
            json!({"message": "the body is not JSON"}),
        ),
        (
            request(true, r#"{"title": "milk"}"#),
            201,
            json!({"owner": "ann", "list": "home", "title": "milk"}),
        ),
    ];
    for (event, status, body) in cases {
        let response = handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
            .expect("a response, never a failed invocation");
        let (code, text) = answer(response);
        assert_eq!(code, status);
        assert_eq!(serde_json::from_str::<Value>(&text).expect("JSON"), body);
    }
}

/// The event builders make what the batch parsers read.
#[tokio::test]
async fn built_sqs_and_stream_events_go_through_the_batch_mechanism() {
    use awstin::testing::events;
    let event = events::sqs("jobs.fifo")
        .fifo_message("a1", "A", r#"{"id": 1}"#)
        .fifo_message("a2", "A", r#"{"id": 2}"#)
        .message("b1", r#"{"id": 3}"#)
        .build();
    let response = batch::from_sqs::<Json<Order>>(event)
        .process(|Json(order)| async move { if order.id == 1 { Err("no") } else { Ok(()) } })
        .await;
    assert_eq!(response.failed(), ["a1", "a2"]);
    let sns = events::sns("alerts", "disk full");
    assert_eq!(sns.records[0].sns.message, "disk full");
    let bus = events::eventbridge("orders", "OrderPlaced", &json!({"id": 9}));
    assert_eq!(
        awstin::lambda::Summary::of_event(&serde_json::to_value(&bus).expect("JSON")).source,
        awstin::lambda::EventSource::EventBridge
    );
}

/// A DynamoDB Streams event built by the event builders (an insert, a modify, a remove) goes
/// through the stream parser and the batch mechanism: typed changes in order, the first
/// failure stops the batch and is reported by its sequence number.
#[tokio::test]
async fn a_built_dynamodb_stream_event_is_read_as_typed_changes() {
    use awstin::lambda::stream::{self, ChangeKind};
    use awstin::testing::events;
    awstin::dynamo_model! {
        #[derive(Debug, Clone, PartialEq)]
        pub struct Film { table "Films"; key year: u32; key title: String; attr rating: f64 }
    }
    let film = |title: &str, rating: f64| Film {
        year: 2013,
        title: title.into(),
        rating,
    };
    let event = events::dynamodb_stream()
        .insert(&film("Rush", 8.1))
        .modify(&film("Rush", 8.1), &film("Rush", 8.2))
        .remove(&film("Her", 8.0))
        .insert(&film("Gravity", 7.7))
        .build();
    assert_eq!(
        awstin::lambda::EventSource::of_event(&serde_json::to_value(&event).expect("JSON")),
        awstin::lambda::EventSource::DynamoDbStreams
    );
    let seen = Arc::new(Mutex::new(Vec::new()));
    let response = stream::changes::<Film>(event)
        .process(|change| {
            let seen = seen.clone();
            async move {
                let kind = change.kind;
                let rating = change.new.as_ref().map(|f| f.rating);
                seen.lock()
                    .map_err(|_| "poisoned")?
                    .push((kind, change.key.1.clone(), rating));
                if kind == ChangeKind::Remove {
                    Err("a removal is refused")
                } else {
                    Ok(())
                }
            }
        })
        .await;
    assert_eq!(
        *seen.lock().expect("not poisoned"),
        [
            (ChangeKind::Insert, "Rush".to_owned(), Some(8.1)),
            (ChangeKind::Modify, "Rush".to_owned(), Some(8.2)),
            (ChangeKind::Remove, "Her".to_owned(), None),
        ],
        "in order, and nothing after the failure"
    );
    assert_eq!(response.failed(), ["103"], "the removal's sequence number");
}

/// Every source the handler tells apart, from an event of its shape: the summary line's
/// `source` is the enum's name.
#[test]
fn every_event_source_is_named_from_its_shape() {
    use awstin::lambda::EventSource;
    use awstin::testing::events;
    fn value<T: serde::Serialize>(event: &T) -> Value {
        serde_json::to_value(event).expect("JSON")
    }
    awstin::dynamo_model! {
        pub struct Note { table "Notes"; key id: String }
    }
    let kinesis = json!({"Records": [{"eventSource": "aws:kinesis", "kinesis": {"data": "e30="}}]});
    let cases: Vec<(Value, EventSource, &str)> = vec![
        (
            value(&events::http_api("GET", "/t", "/t").build()),
            EventSource::ApiGatewayHttp,
            "apigateway-http",
        ),
        (
            value(&events::rest("GET", "/t", "/t").build()),
            EventSource::ApiGatewayRest,
            "apigateway-rest",
        ),
        (
            value(&events::sqs("q").message("m", "b").build()),
            EventSource::Sqs,
            "sqs",
        ),
        (value(&events::sns("t", "m")), EventSource::Sns, "sns"),
        (
            value(&events::eventbridge("s", "d", &json!({}))),
            EventSource::EventBridge,
            "eventbridge",
        ),
        (kinesis, EventSource::Kinesis, "kinesis"),
        (
            value(
                &events::dynamodb_stream()
                    .insert(&Note { id: "n".into() })
                    .build(),
            ),
            EventSource::DynamoDbStreams,
            "dynamodb-streams",
        ),
        (
            json!({"requestContext": {"eventType": "CONNECT", "routeKey": "$connect",
                "connectionId": "c-1", "apiId": "a1", "stage": "dev"}}),
            EventSource::ApiGatewayWebsocket,
            "apigateway-websocket",
        ),
        (
            json!({"type": "TOKEN", "methodArn": "arn:aws:execute-api:us-east-1:1:a1/dev/GET/t",
                "authorizationToken": "Bearer t"}),
            EventSource::ApiGatewayAuthorizer,
            "apigateway-authorizer",
        ),
        (
            json!({"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1"}},
                "httpMethod": "GET", "path": "/t"}),
            EventSource::Alb,
            "alb",
        ),
        (json!({"unknown": true}), EventSource::Other, "other"),
    ];
    for (event, source, name) in cases {
        assert_eq!(EventSource::of_event(&event), source, "{event}");
        assert_eq!(source.as_str(), name);
    }
}

#[test]
fn a_batch_counts_its_records() {
    use awstin::lambda::batch::{BatchRecord, Retry};
    let empty = Batch::<u32>::new(Retry::EachRecord, Vec::new());
    assert_eq!((empty.len(), empty.is_empty()), (0, true));
    let one = Batch::new(Retry::FromFirstFailure, vec![BatchRecord::new("a", 1u32)]);
    assert_eq!((one.len(), one.is_empty()), (1, false));
}

/// A batch function gets each record with its metadata and the invocation's context: the
/// message id (which SQS keeps on redelivery: the key of idempotency by message), the receive
/// count, the attributes (message attributes' text included), the FIFO group, the request id.
#[test]
fn records_come_with_their_metadata_and_the_invocations_context() {
    use awstin::lambda::Context;
    use awstin::lambda::batch::{self, Record};
    use std::sync::Mutex;
    let event = serde_json::from_value(serde_json::json!({"Records": [
        {"messageId": "m1", "body": "a", "eventSourceARN": "arn:aws:sqs:us-east-1:1:jobs.fifo",
         "attributes": {"ApproximateReceiveCount": "1", "MessageGroupId": "g1", "SentTimestamp": "1700000000000"},
         "messageAttributes": {"tenant": {"stringValue": "acme", "dataType": "String"}}},
        {"messageId": "m2", "body": "b", "eventSourceARN": "arn:aws:sqs:us-east-1:1:jobs.fifo",
         "attributes": {"ApproximateReceiveCount": "4", "MessageGroupId": "g2"}},
    ]}))
    .expect("an event");
    let mut context = Context::default();
    context.request_id = "req-7".into();
    let batch = batch::sqs::<String>(event, &context).expect("a batch");
    let seen = Mutex::new(Vec::new());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let response = runtime.block_on(batch.process_records(|r: Record<String>| {
        seen.lock().expect("lock").push((
            r.id.clone(),
            r.group.clone(),
            r.receive_count,
            r.attributes.get("tenant").cloned(),
            r.attributes.get("SentTimestamp").cloned(),
            r.context.request_id.clone(),
            r.value.clone(),
        ));
        async move {
            match r.receive_count {
                Some(n) if n > 3 => Err("came back too often"),
                _ => Ok(()),
            }
        }
    }));
    assert_eq!(response.failed(), ["m2"]);
    let mut seen = seen.into_inner().expect("lock");
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                "m1".to_owned(),
                Some("g1".to_owned()),
                Some(1),
                Some("acme".to_owned()),
                Some("1700000000000".to_owned()),
                "req-7".to_owned(),
                "a".to_owned()
            ),
            (
                "m2".to_owned(),
                Some("g2".to_owned()),
                Some(4),
                None,
                None,
                "req-7".to_owned(),
                "b".to_owned()
            ),
        ]
    );
}

/// Path parameters that address an item, hostile ones included, are checked as DynamoDB checks
/// key values: a typed refusal naming the field, never a panic; the limit counts bytes.
#[test]
fn hostile_path_keys_are_refused_by_their_bytes() {
    use awstin::lambda::http::{HttpRequest, path_key};
    let cases: Vec<(String, bool)> = vec![
        (String::new(), false),
        ("x".repeat(1024), true),
        ("x".repeat(1025), false),
        ("é".repeat(512), true),                   // 1,024 bytes
        (format!("{}é", "x".repeat(1023)), false), // 1,025 bytes
        ("😀".repeat(256), true),                  // 1,024 bytes
        ("\0".into(), true),
        ("#".into(), true),
        ("\u{ffff}".into(), true),
    ];
    for (value, taken) in cases {
        let mut request = HttpRequest::default();
        request.path_parameters.insert("id".into(), value.clone());
        match path_key(&request, "id") {
            Ok(v) => {
                assert!(taken, "{} bytes taken", value.len());
                assert_eq!(v, value);
            }
            Err(e) => {
                assert!(!taken, "{} bytes refused: {e}", value.len());
                assert!(e.to_string().contains("pathParameters.id"), "{e}");
            }
        }
    }
    assert!(path_key(&HttpRequest::default(), "id").is_err(), "missing");
}

awstin::dynamo_model! {
    /// A note of a list.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        table "Notes";
        /// The list.
        key list: String;
        /// The note.
        key id: String;
        /// Its text.
        attr text: String;
    }
}

/// Errors the client's request causes, met deep in the function (a cursor refused by the
/// table, a key value DynamoDB would refuse), are 400s naming what was wrong in the client's
/// words; a mapping of the user's adds its own (409); any other error is a failed invocation.
#[tokio::test]
async fn client_input_errors_are_4xx_wherever_they_are_met() {
    use awstin::dynamodb::{Error, Table};
    use awstin::lambda::http::{self, HttpApiResponse, HttpRequest};
    use awstin::lambda::{ParseError, http_handler};
    use awstin::testing::{LocalDynamoDb, TableSpec, create_table, events};
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Note>().expect("a spec"))
        .await
        .expect("a table");
    let notes: Table<Note> = local.db().table::<Note>();
    fn parse(request: HttpRequest, _: &Context) -> Result<(String, Option<String>), ParseError> {
        Ok((
            http::path_param(&request, "list")?.to_owned(),
            http::query(&request, "cursor").map(str::to_owned),
        ))
    }
    #[derive(Debug)]
    struct Busy;
    impl std::fmt::Display for Busy {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the list is being moved")
        }
    }
    impl std::error::Error for Busy {}
    #[derive(Debug)]
    enum Failure {
        Table(Error),
        Busy(Busy),
    }
    impl std::fmt::Display for Failure {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("listing failed")
        }
    }
    impl std::error::Error for Failure {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                Failure::Table(e) => Some(e),
                Failure::Busy(b) => Some(b),
            }
        }
    }
    let handler = http_handler(parse, move |(list, cursor): (String, Option<String>)| {
        let notes = notes.clone();
        async move {
            if list == "moving" {
                return Err(Failure::Busy(Busy));
            }
            if list == "broken" {
                return Err(Failure::Table(Error::UnexpectedAnswer {
                    call: awstin::dynamodb::Call::new(awstin::dynamodb::Operation::Query, "Notes"),
                    missing: "a test's failure",
                }));
            }
            let page = notes
                .query(awstin::cond!(list == list))
                .page_size(10)
                .page(cursor.as_deref())
                .await
                .map_err(Failure::Table)?;
            Ok::<HttpApiResponse, Failure>(http::json(200, &page.items.len()))
        }
    })
    .client_errors(|e| e.downcast_ref::<Busy>().map(|b| (409, b.to_string())));
    let call = |list: &str, cursor: Option<&str>| {
        let mut r = events::http_api("GET", "/lists/{list}", &format!("/lists/{list}"))
            .path_param("list", list);
        if let Some(c) = cursor {
            r = r.query("cursor", c);
        }
        handler.call(LambdaEvent::new(r.build(), Context::default()))
    };
    let body = |r: &HttpApiResponse| match &r.body {
        Some(aws_lambda_events::encodings::Body::Text(t)) => t.clone(),
        _ => String::new(),
    };
    let ok = call("home", None).await.expect("answered");
    assert_eq!(ok.status_code, 200);
    for hostile in ["x", "", "%%%", "eyJ0Ijoi", &"A".repeat(5000)] {
        let r = call("home", Some(hostile))
            .await
            .expect("answered, not failed");
        assert_eq!(
            (r.status_code, body(&r)),
            (400, r#"{"message":"the cursor is not valid"}"#.to_owned()),
            "{hostile:?}"
        );
    }
    let r = call("", None).await.expect("answered, not failed");
    assert_eq!(
        (r.status_code, body(&r)),
        (400, r#"{"message":"`list` may not be empty"}"#.to_owned())
    );
    let long = "l".repeat(2049);
    let r = call(&long, None).await.expect("answered, not failed");
    assert_eq!(r.status_code, 400, "{}", body(&r));
    let r = call("moving", None)
        .await
        .expect("answered by the user's mapping");
    assert_eq!(
        (r.status_code, body(&r)),
        (409, r#"{"message":"the list is being moved"}"#.to_owned())
    );
    assert!(
        call("broken", None).await.is_err(),
        "another error fails the invocation"
    );
}

/// Body refusals name the field in the client's words, never a value: a missing member (nested
/// too), an unknown one (a model that denies them), a mistyped one; a long unknown name is cut.
#[test]
fn body_refusals_name_the_field_never_a_value() {
    use awstin::lambda::batch::{Body, Json};
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        sku: String,
        count: u32,
    }
    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Order {
        id: String,
        line: Line,
    }
    let long = "k".repeat(500);
    let cases = [
        (
            r#"{"line": {"sku": "a", "count": 1}}"#.to_owned(),
            "the body field `id` is missing".to_owned(),
        ),
        (
            r#"{"id": "s3cr3t", "line": {"sku": "a"}}"#.to_owned(),
            "the body field `line.count` is missing".to_owned(),
        ),
        (
            r#"{"id": "o", "line": {"sku": "a", "count": "s3cr3t"}}"#.to_owned(),
            "the body field `line.count` is not of the expected type".to_owned(),
        ),
        (
            r#"{"id": "o", "line": {"sku": "a", "count": 1}, "extra": "s3cr3t"}"#.to_owned(),
            "the body field `extra` is not expected".to_owned(),
        ),
        (
            format!(r#"{{"id": "o", "line": {{"sku": "a", "count": 1}}, "{long}": 1}}"#),
            format!("the body field `{}` is not expected", "k".repeat(64)),
        ),
        (
            "[1, 2]".to_owned(),
            "the body field `[0]` is not of the expected type".to_owned(),
        ),
        (
            r#""s3cr3t""#.to_owned(),
            "the body is not of the expected shape".to_owned(),
        ),
        ("s3cr3t".to_owned(), "the body is not JSON".to_owned()),
    ];
    for (body, message) in cases {
        let e = Json::<Order>::from_body(body.as_bytes()).expect_err("refused");
        assert_eq!(e.to_string(), message, "{body}");
        assert!(!e.to_string().contains("s3cr3t"));
    }
}
