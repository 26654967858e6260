//! Websocket pushes against a fake API Gateway Management API on 127.0.0.1 that records each
//! `POST /{stage}/@connections/{id}` body and answers 410 Gone for chosen connection ids.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use awstin::apigateway::websocket::{Delivery, ErrorKind, Websocket};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

type Posts = Arc<Mutex<Vec<(String, String)>>>;

/// Connection ids the fake answers with 429 LimitExceededException.
const THROTTLED: &str = "throttled";

/// Starts the fake; returns its stage URL and the recorded (path, body) posts.
async fn management_api(
    gone: &'static [&'static str],
    failing: &'static [&'static str],
) -> (String, Posts) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let url = format!("http://{}/dev", listener.local_addr().expect("address"));
    let posts: Posts = Arc::default();
    let recorded = posts.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let recorded = recorded.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Some((head, body)) =
                    awstin_tests::read_http_message(&mut socket, &mut buf).await
                {
                    let path = head
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or_default()
                        .replace("%40", "@");
                    let body = String::from_utf8_lossy(&body).to_string();
                    let id = path.rsplit('/').next().unwrap_or_default().to_string();
                    recorded.lock().unwrap().push((path, body));
                    let (status, body) = if gone.contains(&id.as_str()) {
                        ("410 Gone", r#"{"message":"Gone"}"#)
                    } else if failing.contains(&id.as_str()) {
                        ("403 Forbidden", r#"{"message":"Forbidden"}"#)
                    } else if id.starts_with(THROTTLED) {
                        ("429 Too Many Requests", r#"{"message":"Rate exceeded"}"#)
                    } else {
                        ("200 OK", "")
                    };
                    let mut response = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
                        body.len()
                    );
                    if status.starts_with("410") {
                        response.push_str("x-amzn-errortype: GoneException\r\n");
                    }
                    if status.starts_with("429") {
                        response.push_str("x-amzn-errortype: LimitExceededException\r\n");
                    }
                    response.push_str("\r\n");
                    response.push_str(body);
                    let _ = socket.write_all(response.as_bytes()).await;
                }
            });
        }
    });
    (url, posts)
}

/// A client of the fake, with static credentials (the SDK signs every request).
fn socket(url: &str) -> Websocket {
    use aws_sdk_apigatewaymanagement::config::retry::RetryConfig;
    use aws_sdk_apigatewaymanagement::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_apigatewaymanagement::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(2)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .endpoint_url(url)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "fake"))
        .build();
    Websocket::from_client(aws_sdk_apigatewaymanagement::Client::from_conf(config))
}

#[tokio::test(flavor = "current_thread")]
async fn pushes_reach_the_connection_and_closed_ones_are_reported_gone() {
    let (url, posts) = management_api(&["closed-1", "closed-2"], &[]).await;
    let socket = socket(&url);
    assert_eq!(
        socket.send("open-1", "hello").await.unwrap(),
        Delivery::Sent
    );
    assert_eq!(
        socket.send("closed-1", "hello").await.unwrap(),
        Delivery::Gone
    );
    assert_eq!(
        posts.lock().unwrap().clone(),
        [
            ("/dev/@connections/open-1".to_string(), "hello".to_string()),
            (
                "/dev/@connections/closed-1".to_string(),
                "hello".to_string()
            )
        ]
    );

    let ids: Vec<String> = (0..40)
        .map(|i| format!("open-{i}"))
        .chain(["closed-2".into(), "closed-1".into()])
        .collect();
    let outcome = socket.broadcast(ids, br#"{"event":"update"}"#).await;
    assert_eq!(outcome.gone, ["closed-1", "closed-2"]);
    assert_eq!(outcome.sent.len(), 40);
    assert!(outcome.failed.is_empty());
    let broadcast: Vec<(String, String)> = posts.lock().unwrap()[2..].to_vec();
    let mut per_connection: BTreeMap<&str, usize> = BTreeMap::new();
    for (path, _) in &broadcast {
        *per_connection.entry(path.as_str()).or_default() += 1;
    }
    assert_eq!(broadcast.len(), 42, "42 posts");
    assert_eq!(per_connection.len(), 42, "to 42 connections");
    assert!(
        per_connection.values().all(|&n| n == 1),
        "every connection got exactly one post: {per_connection:?}"
    );
    assert!(broadcast.iter().all(|(_, b)| b == r#"{"event":"update"}"#));
}

#[tokio::test(flavor = "current_thread")]
async fn other_failures_are_errors_naming_the_connection() {
    let (url, _posts) = management_api(&[], &["forbidden"]).await;
    let socket = socket(&url);
    let err = socket.send("forbidden", "x").await.unwrap_err();
    assert_eq!(err.connection_id(), "forbidden");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the SDK error is kept as the source"
    );
    assert_eq!(err.kind(), ErrorKind::Other);
    assert!(!err.is_retryable());
}

#[tokio::test(flavor = "current_thread")]
async fn a_broadcast_reports_every_connection_once() {
    let (url, posts) = management_api(&["gone-1"], &["forbidden"]).await;
    let socket = socket(&url);
    let ids = ["ok-1", "forbidden", "gone-1", "ok-2", "throttled-1"];
    let outcome = socket.broadcast(ids, "x").await;
    assert_eq!(outcome.sent, ["ok-1", "ok-2"]);
    assert_eq!(outcome.gone, ["gone-1"]);
    let failed: Vec<(&str, ErrorKind)> = outcome
        .failed
        .iter()
        .map(|e| (e.connection_id(), e.kind()))
        .collect();
    assert_eq!(
        failed,
        [
            ("forbidden", ErrorKind::Other),
            ("throttled-1", ErrorKind::Throttled)
        ]
    );
    assert!(outcome.failed[1].is_retryable(), "throttling is retryable");
    // The throttled push was tried twice (the client's one retry), the others once.
    assert_eq!(posts.lock().unwrap().len(), 6);
}
