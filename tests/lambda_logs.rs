//! What the Lambda handler logs: a corpus of events (`tests/events/`: 11 shapes of AWS
//! services, API Gateway REST and HTTP APIs, websocket connect and message, token and request
//! authorizers, ALB, SQS, SNS, DynamoDB Streams, EventBridge, and a custom event), each with
//! secrets planted in every place a credential travels. No planted secret may reach the log,
//! by default or with the full event logged, when the invocation succeeds or when its parser
//! or function fails with an error quoting the event; a failed call's log carries the SDK's
//! error code, and awstin's own errors carry no stored value. (`tests/lambda_run.rs` drives
//! events through `Handler::run` on `lambda_runtime`.)

use std::collections::BTreeSet;

use awstin::lambda::{Context, EventLog, LambdaEvent, ParseError, lambda_handler};
use awstin::testing::LocalDynamoDb;
use awstin_tests::{Captured, Movie};
use serde_json::{Value, json};

/// A subscriber writing every level as JSON lines to the returned buffer, for this thread.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

const EVENTS: [(&str, &str); 12] = [
    ("rest-v1", include_str!("events/rest-v1.json")),
    ("http-v2", include_str!("events/http-v2.json")),
    (
        "websocket-connect",
        include_str!("events/websocket-connect.json"),
    ),
    (
        "websocket-message",
        include_str!("events/websocket-message.json"),
    ),
    (
        "authorizer-token",
        include_str!("events/authorizer-token.json"),
    ),
    (
        "authorizer-request",
        include_str!("events/authorizer-request.json"),
    ),
    ("alb", include_str!("events/alb.json")),
    ("sqs", include_str!("events/sqs.json")),
    ("sns", include_str!("events/sns.json")),
    (
        "dynamodb-streams",
        include_str!("events/dynamodb-streams.json"),
    ),
    ("eventbridge", include_str!("events/eventbridge.json")),
    ("custom", include_str!("events/custom.json")),
];

/// Secrets planted in the results: a response's cookie and body, an authorizer's usage key
/// and context.
fn result_for(event: &Value) -> Value {
    if event.get("type").is_some() {
        json!({
            "principalId": "user-1",
            "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]},
            "usageIdentifierKey": "SECRET-result-usage-identifier-key",
            "context": {"jwt": "SECRET-result-context-jwt", "tier": "gold"},
        })
    } else {
        json!({
            "statusCode": 201,
            "headers": {"Set-Cookie": "session=SECRET-result-set-cookie", "Content-Type": "application/json"},
            "body": "{\"token\":\"SECRET-result-body-token\",\"id\":\"visible-id\"}",
        })
    }
}

/// Every planted secret: the `SECRET-…` texts of the events and results (one of them, the
/// HTTP API's form password, only inside its base64 body).
fn secrets() -> BTreeSet<String> {
    let mut secrets = BTreeSet::new();
    let mut texts: Vec<String> = EVENTS.iter().map(|(_, e)| e.to_string()).collect();
    texts.push(result_for(&json!({"type": "TOKEN"})).to_string());
    texts.push(result_for(&json!({})).to_string());
    for text in texts {
        secrets.extend(awstin_tests::planted_secrets(&text));
    }
    // The HTTP API event's body is base64 of a form holding this password.
    secrets.insert("SECRET-v2-form-password".into());
    secrets
}

/// The base64 body of the HTTP API event, which holds a secret and must not be logged either.
const ENCODED_SECRET: &str = "cGFzc3dvcmQ9U0VDUkVULXYyLWZvcm0tcGFzc3dvcmQmaXRlbT1ib29r";

/// What must never be logged: every secret, and the encoded body holding one.
fn planted() -> BTreeSet<String> {
    let mut all = secrets();
    all.insert(ENCODED_SECRET.into());
    all
}

/// Runs every event of the corpus through a handler logging as `log`; returns the log.
async fn log_of_corpus(log: EventLog) -> String {
    let (captured, _guard) = capture();
    let handler = lambda_handler(
        |event: Value, _: &Context| Ok::<_, ParseError>(event),
        |event: Value| async move { Ok::<_, std::convert::Infallible>(result_for(&event)) },
    )
    .log_events(log);
    for (name, text) in EVENTS {
        let event: Value = serde_json::from_str(text).expect("a JSON event");
        let mut context = Context::default();
        context.request_id = format!("req-{name}");
        handler
            .call(LambdaEvent::new(event, context))
            .await
            .expect("the handler answers");
    }
    captured.text()
}

fn leaks(log: &str) -> Vec<String> {
    planted()
        .into_iter()
        .filter(|s| log.contains(s.as_str()))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn the_default_log_is_a_summary_without_secrets() {
    let log = log_of_corpus(EventLog::default()).await;
    let secrets = secrets();
    assert_eq!(
        secrets.len(),
        55,
        "the guide (lambda chapter) counts 55 planted secrets"
    );
    assert!(
        EVENTS.iter().any(|(_, e)| e.contains(ENCODED_SECRET)),
        "the encoded body is in the corpus"
    );
    assert_eq!(leaks(&log), Vec::<String>::new(), "leaked into:\n{log}");
    assert_eq!(log.lines().count(), EVENTS.len(), "one line an invocation");
    for expected in [
        r#""source":"apigateway-rest""#,
        r#""route":"POST /reset/{token}""#,
        r#""route":"POST /orders""#,
        r#""kind":"CONNECT""#,
        r#""route":"$connect""#,
        r#""kind":"TOKEN""#,
        r#""source":"alb""#,
        r#""source":"sqs""#,
        r#""records":1"#,
        r#""kind":"MODIFY""#,
        r#""kind":"com.example.keys CredentialsRotated""#,
        r#""status":"201""#,
        r#""status":"Allow""#,
        r#""request_id":"req-custom""#,
        "duration_ms",
    ] {
        assert!(log.contains(expected), "{expected} missing from:\n{log}");
    }
    println!(
        "{} secrets planted in {} events and 2 results, {} leaked; a default line:\n{}",
        secrets.len(),
        EVENTS.len(),
        leaks(&log).len(),
        log.lines().next().unwrap_or_default()
    );
}

/// An event that does not fit the API Gateway event type, in a field holding a secret.
const MISFIT: &str = r#"{"httpMethod": "GET", "headers": {"Authorization": "Bearer SECRET-misfit-authorization"}, "pathParameters": {"token": ["SECRET-misfit-token"]}}"#;

/// An error with a cause, both quoting the event: what a careless function might return.
#[derive(Debug)]
struct Quoting {
    event: String,
    cause: std::io::Error,
}

impl std::fmt::Display for Quoting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not handle {}", self.event)
    }
}

impl std::error::Error for Quoting {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

/// Parsers and functions that fail, their errors quoting the event whole: every failure's
/// log line is there, names where it failed, and holds none of the planted secrets.
#[tokio::test(flavor = "current_thread")]
async fn failing_parsers_and_functions_log_no_secret_of_the_event() {
    use aws_lambda_events::apigw::ApiGatewayProxyRequest;
    let (captured, _guard) = capture();
    // The parser reads the event as API Gateway's request type, and refuses what has no token.
    let strict = lambda_handler(
        |event: Value, _: &Context| {
            let request: ApiGatewayProxyRequest = awstin::lambda::typed_event(event)?;
            request
                .path_parameters
                .get("token")
                .map(|_| ())
                .ok_or(ParseError::missing("pathParameters.token"))
        },
        |()| async { Ok::<_, std::convert::Infallible>(()) },
    );
    // The function fails quoting the event, in its message and in its cause's.
    let quoting = lambda_handler(
        |event: Value, _: &Context| Ok::<_, ParseError>(event),
        |event: Value| async move {
            Err::<(), _>(Quoting {
                event: event.to_string(),
                cause: std::io::Error::other(format!("{event:?}")),
            })
        },
    );
    let mut events: Vec<(&str, &str)> = EVENTS.to_vec();
    events.push(("misfit", MISFIT));
    let mut failures = 0;
    for (name, text) in &events {
        let event: Value = serde_json::from_str(text).expect("a JSON event");
        let mut context = Context::default();
        context.request_id = format!("req-{name}");
        if strict
            .call(LambdaEvent::new(event.clone(), context.clone()))
            .await
            .is_err()
        {
            failures += 1;
        }
        quoting
            .call(LambdaEvent::new(event, context))
            .await
            .expect_err("the function fails");
        failures += 1;
    }
    let log = captured.text();
    let mut planted = planted();
    planted.extend([
        "SECRET-misfit-authorization".into(),
        "SECRET-misfit-token".into(),
    ]);
    let leaked: Vec<&String> = planted
        .iter()
        .filter(|s| log.contains(s.as_str()))
        .collect();
    assert_eq!(leaked, Vec::<&String>::new(), "leaked into:\n{log}");
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("lambda invocation failed"))
        .collect();
    assert_eq!(errors.len(), failures, "one error line per failure");
    assert!(failures > events.len(), "the parser failed too: {failures}");
    let misfit = errors
        .iter()
        .find(|l| l.contains("req-misfit") && l.contains(r#""failed_in":"parser""#))
        .expect("the misfit's parser line");
    assert!(misfit.contains("pathParameters.token"), "{misfit}");
    let quoted = errors
        .iter()
        .find(|l| l.contains("req-rest-v1") && l.contains(r#""failed_in":"function""#))
        .expect("the REST event's function line");
    assert!(
        quoted.contains("could not handle") && quoted.contains("[REDACTED]"),
        "the error is logged, its secrets cut: {quoted}"
    );
    println!(
        "{failures} failed invocations ({} events), {} secrets planted, {} leaked",
        events.len(),
        planted.len(),
        leaked.len()
    );
}

/// awstin's own errors carry stored values and a client's input behind accessors, never in
/// their messages: a version conflict whose stored item holds a secret, and a cursor made of
/// one, fail the function without the secret reaching the log.
#[tokio::test(flavor = "current_thread")]
async fn awstins_errors_put_no_stored_value_in_the_log() {
    use awstin_tests::Doc;
    let (local, docs) = awstin_tests::local_table::<Doc>().await;
    let movies = local.db().table::<Movie>();
    let mut stored = Doc {
        id: "d".into(),
        body: "SECRET-stored-body".into(),
        editors: vec!["SECRET-stored-editor".into()],
        rev: 0,
    };
    docs.put_versioned(&mut stored).await.expect("stored");
    let (captured, _guard) = capture();
    let handler = lambda_handler(
        |event: Value, _: &Context| {
            event["cursor"]
                .as_str()
                .map(str::to_owned)
                .ok_or(ParseError::missing("cursor"))
        },
        |cursor: String| {
            let (docs, movies) = (docs.clone(), movies.clone());
            async move {
                if cursor == "conflict" {
                    let mut stale = Doc {
                        id: "d".into(),
                        body: "mine".into(),
                        editors: Vec::new(),
                        rev: 0,
                    };
                    docs.put_versioned(&mut stale).await?;
                } else {
                    let year = 2000;
                    movies
                        .query(awstin::cond!(year == year))
                        .page(Some(&cursor))
                        .await?;
                }
                Ok::<_, awstin::dynamodb::Error>(())
            }
        },
    );
    for (i, cursor) in [
        "conflict",
        "SECRET-cursor-text",
        "eyJTRUNSRVQtaW4tYS1jdXJzb3IiOjF9",
    ]
    .into_iter()
    .enumerate()
    {
        let mut context = Context::default();
        context.request_id = format!("req-{i}");
        handler
            .call(LambdaEvent::new(json!({ "cursor": cursor }), context))
            .await
            .expect_err("the function fails");
    }
    let log = captured.text();
    for secret in [
        "SECRET-stored-body",
        "SECRET-stored-editor",
        "SECRET-cursor-text",
        "SECRET-in-a-cursor",
        "eyJTRUNSRVQtaW4tYS1jdXJzb3IiOjF9",
    ] {
        assert!(!log.contains(secret), "{secret} leaked into:\n{log}");
    }
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("lambda invocation failed"))
        .collect();
    assert_eq!(errors.len(), 3, "{log}");
    assert!(errors[0].contains("version conflict"), "{}", errors[0]);
    assert!(errors[1].contains("cursor"), "{}", errors[1]);
}

#[tokio::test(flavor = "current_thread")]
async fn the_full_log_is_redacted_and_still_readable() {
    let log = log_of_corpus(EventLog::Redacted).await;
    assert_eq!(leaks(&log), Vec::<String>::new(), "leaked into:\n{log}");
    assert_eq!(
        log.lines().count(),
        3 * EVENTS.len(),
        "event, summary, result"
    );
    for kept in [
        "visible-note",
        "visible-text",
        "visible-name",
        "visible-user",
        "visible-id",
        "lobby",
        "item=book",
        "abc123.execute-api.us-east-1.amazonaws.com",
        "[REDACTED]",
    ] {
        assert!(log.contains(kept), "{kept} should stay readable:\n{log}");
    }
}

#[test]
fn an_event_that_does_not_fit_names_the_field_not_the_value() {
    use aws_lambda_events::apigw::ApiGatewayProxyRequest;
    let event = json!({"httpMethod": "GET", "pathParameters": {"token": ["SECRET-in-a-list"]}});
    let e = awstin::lambda::typed_event::<ApiGatewayProxyRequest>(event)
        .expect_err("a list is not a path parameter");
    let text = e.to_string();
    assert!(text.contains("`pathParameters.token`"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
    // serde's own message quotes the value: the reason for `typed_event`.
    let serde_message = serde_json::from_value::<ApiGatewayProxyRequest>(
        json!({"pathParameters": {"token": "SECRET-x"}, "httpMethod": 1}),
    )
    .map(|_| ())
    .map_err(|e| e.to_string());
    assert!(serde_message.is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_call_logs_the_operation_table_and_sdk_code() {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let movies = local.db().table::<Movie>(); // no table was created
    let (captured, _guard) = capture();
    let handler = lambda_handler(
        |event: Value, _: &Context| {
            event["year"]
                .as_u64()
                .map(|y| y as u32)
                .ok_or(ParseError::missing("year"))
        },
        |year: u32| {
            let movies = movies.clone();
            async move {
                let found = movies.get((year, "Missing")).await?;
                Ok::<_, awstin::dynamodb::Error>(found.map(|m| m.title))
            }
        },
    );
    let mut context = Context::default();
    context.request_id = "req-failing".into();
    let e = handler
        .call(LambdaEvent::new(json!({"year": 1999}), context))
        .await
        .expect_err("there is no table");
    assert_eq!(
        e.to_string(),
        "GetItem on table Movies: no such table or index"
    );
    let log = captured.text();
    assert!(log.contains("ResourceNotFoundException"), "{log}");
    assert!(log.contains("GetItem on table Movies"), "{log}");
    assert!(log.contains(r#""failed_in":"function""#), "{log}");
    let line = log
        .lines()
        .find(|l| l.contains("lambda invocation failed"))
        .expect("an error line");
    println!("an error line:\n{line}");
}
