//! `Handler::run` on the official `lambda_runtime`, against a fake Lambda Runtime API on
//! 127.0.0.1: events with planted secrets go the way a deployed function's do (the runtime's
//! `/next`, `typed_event`, the parser and the function, then `/response` or `/error`), and
//! neither the log nor what is reported to Lambda holds a secret. One test in its own binary,
//! because the runtime reads its configuration from the process environment.
#![allow(unsafe_code)] // std::env::set_var is unsafe: it runs before any other thread reads the environment

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use awstin::lambda::{Context, ParseError, lambda_handler};
use awstin_tests::{Captured, read_http_message};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// What the function answered or reported for one request id: `response` or `error`, and the
/// body it posted.
type Answers = Arc<Mutex<Vec<(String, String, String)>>>;

/// A fake Runtime API handing out `events` (request id, JSON) on `/next` and recording what
/// comes back; once they are handed out, `/next` never answers. Returns its `host:port`.
async fn runtime_api(events: Vec<(String, String)>, answers: Answers) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("an address").to_string();
    let queue = Arc::new(Mutex::new(VecDeque::from(events)));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (queue, answers) = (queue.clone(), answers.clone());
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Some((head, body)) = read_http_message(&mut socket, &mut buf).await {
                    let line = head.lines().next().unwrap_or_default();
                    let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
                    let reply = if path.ends_with("/runtime/invocation/next") {
                        let Some((id, event)) = queue.lock().expect("the queue").pop_front() else {
                            // Nothing more to hand out: hold the runtime here.
                            std::future::pending::<()>().await;
                            return;
                        };
                        let deadline = SystemTime::now()
                            .duration_since(UNIX_EPOCH)
                            .expect("after 1970")
                            .as_millis()
                            + 60_000;
                        format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nlambda-runtime-aws-request-id: {id}\r\nlambda-runtime-deadline-ms: {deadline}\r\nlambda-runtime-invoked-function-arn: arn:aws:lambda:us-east-1:123456789012:function:test\r\nlambda-runtime-trace-id: Root=1-5759e988-bd862e3fe1be46a994272793\r\ncontent-length: {}\r\n\r\n{event}",
                            event.len()
                        )
                    } else {
                        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
                        if let ["2018-06-01", "runtime", "invocation", id, kind] = parts[..] {
                            answers.lock().expect("the answers").push((
                                id.to_owned(),
                                kind.to_owned(),
                                String::from_utf8_lossy(&body).into_owned(),
                            ));
                        }
                        "HTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\ncontent-length: 16\r\n\r\n{\"status\":\"OK\"}".to_owned()
                    };
                    if socket.write_all(reply.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    address
}

/// An error quoting the request whole, as a careless function might return.
#[derive(Debug)]
struct Quoting(String);

impl std::fmt::Display for Quoting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not reset with {}", self.0)
    }
}

impl std::error::Error for Quoting {}

#[test]
fn events_through_run_leak_no_secret_to_the_log_or_to_lambda() {
    let rest = include_str!("events/rest-v1.json");
    let misfit = r#"{"httpMethod": "GET", "resource": "/reset/{token}", "headers": {"Authorization": "Bearer SECRET-run-misfit-authorization"}, "pathParameters": {"token": ["SECRET-run-misfit-token"]}}"#;
    // The REST event again, for a route that succeeds.
    let mut good: Value = serde_json::from_str(rest).expect("a JSON event");
    good["resource"] = "/ok".into();
    let good = good.to_string();
    let secrets: Vec<String> = [rest, misfit]
        .into_iter()
        .flat_map(awstin_tests::planted_secrets)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();

    let captured = Captured::default();
    let writer = captured.clone();
    tracing::subscriber::set_global_default(
        tracing_subscriber::fmt()
            .json()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .finish(),
    )
    .expect("the only subscriber of this binary");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let answers: Answers = Answers::default();
    runtime.block_on(async {
        let events = vec![
            ("req-rest".to_owned(), rest.to_owned()),
            ("req-misfit".to_owned(), misfit.to_owned()),
            ("req-good".to_owned(), good),
        ];
        let address = runtime_api(events, answers.clone()).await;
        // SAFETY: set before the runtime reads them, while no other thread reads the environment.
        unsafe {
            std::env::set_var("AWS_LAMBDA_RUNTIME_API", &address);
            std::env::set_var("AWS_LAMBDA_FUNCTION_NAME", "test");
            std::env::set_var("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128");
            std::env::set_var("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        }
        let handler = lambda_handler(
            |request: ApiGatewayProxyRequest, _: &Context| Ok::<_, ParseError>(request),
            |request: ApiGatewayProxyRequest| async move {
                if request.resource.as_deref() == Some("/ok") {
                    let mut response = ApiGatewayProxyResponse::default();
                    response.status_code = 200;
                    Ok(response)
                } else {
                    Err(Quoting(
                        serde_json::to_string(&request).expect("a request serializes"),
                    ))
                }
            },
        );
        let answered = async {
            for _ in 0..1_000 {
                if answers.lock().expect("the answers").len() == 3 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        };
        tokio::select! {
            ended = handler.run() => panic!("the runtime stopped: {ended:?}"),
            () = answered => {}
        }
    });

    let answers = answers.lock().expect("the answers").clone();
    let log = captured.text();
    let kinds: Vec<(&str, &str)> = answers
        .iter()
        .map(|(id, kind, _)| (id.as_str(), kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("req-rest", "error"),
            ("req-misfit", "error"),
            ("req-good", "response")
        ],
        "{log}"
    );
    let reported: Vec<Value> = answers
        .iter()
        .map(|(_, _, body)| serde_json::from_str(body).expect("JSON"))
        .collect();
    assert_eq!(reported[0]["errorType"], "FunctionError");
    assert!(
        reported[0]["errorMessage"]
            .as_str()
            .is_some_and(|m| m.starts_with("could not reset with") && m.contains("[REDACTED]")),
        "{}",
        reported[0]
    );
    assert_eq!(reported[1]["errorType"], "EventTypeError");
    assert!(
        reported[1]["errorMessage"]
            .as_str()
            .is_some_and(|m| m.contains("`pathParameters.token`")),
        "{}",
        reported[1]
    );
    assert_eq!(reported[2]["statusCode"], 200);
    let everything = format!("{log}\n{answers:?}");
    let leaked: Vec<&String> = secrets
        .iter()
        .filter(|s| everything.contains(s.as_str()))
        .collect();
    assert_eq!(leaked, Vec::<&String>::new(), "leaked into:\n{everything}");
    for failed_in in ["function", "event type"] {
        assert!(
            log.contains(&format!(r#""failed_in":"{failed_in}""#)),
            "{failed_in}: {log}"
        );
    }
    assert!(
        log.contains(r#""request_id":"req-good""#) && log.contains(r#""status":"200""#),
        "{log}"
    );
    println!(
        "3 events through run: {} secrets planted, {} leaked into the log or the runtime API",
        secrets.len(),
        leaked.len()
    );
}
