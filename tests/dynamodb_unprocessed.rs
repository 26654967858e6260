//! Answers the embedded DynamoDB never gives, from a fake endpoint on 127.0.0.1, to show that
//! nothing is dropped: unprocessed batch items are retried a bounded number of times and then
//! returned in the error (every batch request is handed back as unprocessed), and a stored
//! value of a type newer than the SDK is an error rather than an absent attribute.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use awstin::dynamodb::{BatchOptions, DynamoDb, Error};
use awstin_tests::{Info, Movie};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// Serves HTTP/1.1 on 127.0.0.1; echoes batch requests back as unprocessed; counts requests.
async fn refusing_dynamodb() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while let Some((head, body)) =
                    awstin_tests::read_http_message(&mut socket, &mut buf).await
                {
                    counter.fetch_add(1, Ordering::SeqCst);
                    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    let reply = if head.contains("BatchWriteItem") {
                        serde_json::json!({ "UnprocessedItems": body["RequestItems"] })
                    } else if head.contains("DynamoDB_20120810.GetItem") {
                        // `FUTURE` stands for a value type added after this SDK.
                        serde_json::json!({ "Item": {
                            "year": { "N": "2015" },
                            "title": { "S": "T" },
                            "info": { "M": { "plot": { "FUTURE": "?" } } },
                        } })
                    } else {
                        serde_json::json!({ "Responses": {}, "UnprocessedKeys": body["RequestItems"] })
                    }
                    .to_string();
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: {}\r\n\r\n{reply}",
                        reply.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                }
            });
        }
    });
    (endpoint, requests)
}

fn client(endpoint: &str) -> DynamoDb {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "fake"))
        .build();
    DynamoDb::from_client(aws_sdk_dynamodb::Client::from_conf(config))
}

const QUICK: BatchOptions = BatchOptions {
    concurrency: 2,
    max_attempts: 3,
    base_delay: Duration::from_millis(1),
    max_delay: Duration::from_millis(4),
};

#[tokio::test]
async fn writes_never_taken_are_returned_in_the_error() {
    let (endpoint, requests) = refusing_dynamodb().await;
    let movies = client(&endpoint).table::<Movie>();
    let all: Vec<Movie> = (0..60)
        .map(|i| Movie {
            year: 2000,
            title: format!("M{i}"),
            info: Info::default(),
        })
        .collect();
    match movies
        .batch_write(all.iter().map(|x| movies.put(x)))
        .options(QUICK)
        .await
    {
        Err(Error::UnprocessedWrites {
            call,
            requests: left,
            unknown,
            cause,
        }) => {
            assert_eq!(
                (call.operation, &*call.table),
                (awstin::dynamodb::Operation::BatchWriteItem, "Movies")
            );
            assert_eq!(left.len(), 60, "every item comes back");
            assert!(unknown.is_empty(), "every answer was definite");
            assert!(
                cause.is_none(),
                "no request failed: they were all unprocessed"
            );
            let mut titles: Vec<String> = left
                .iter()
                .filter_map(|w| w.put_request()?.item().get("title")?.as_s().ok().cloned())
                .collect();
            titles.sort();
            let mut expected: Vec<String> = all.iter().map(|m| m.title.clone()).collect();
            expected.sort();
            assert_eq!(titles, expected);
        }
        other => panic!("expected unprocessed writes, got {other:?}"),
    }
    // 60 items are 3 chunks of at most 25, each tried 3 times.
    assert_eq!(requests.load(Ordering::SeqCst), 9);
}

#[tokio::test]
async fn reads_never_taken_are_returned_in_the_error() {
    let (endpoint, requests) = refusing_dynamodb().await;
    let movies = client(&endpoint).table::<Movie>();
    let keys: Vec<(u32, String)> = (0..150).map(|i| (2000, format!("M{i}"))).collect();
    match movies
        .batch_get(keys.iter().map(|(y, t)| (*y, t.as_str())))
        .options(QUICK)
        .await
    {
        Err(Error::UnprocessedReads {
            keys: left,
            read,
            cause: None,
        }) => {
            assert!(read.is_empty());
            let count: usize = left.values().map(|k| k.keys().len()).sum();
            assert_eq!(count, 150, "the keys of both chunks come back");
        }
        other => panic!("expected unprocessed reads, got {other:?}"),
    }
    // 150 keys are 2 chunks of at most 100, each tried 3 times.
    assert_eq!(requests.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn a_value_of_a_type_newer_than_the_sdk_is_an_error_not_an_absent_attribute() {
    let (endpoint, _) = refusing_dynamodb().await;
    let movies = client(&endpoint).table::<Movie>();
    let read = movies.get((2015, "T")).await;
    assert!(
        matches!(
            &read,
            Err(Error::Decode(e)) if e.kind == awstin::expr::decode::DecodeErrorKind::UnknownType
        ),
        "{read:?}"
    );
}
