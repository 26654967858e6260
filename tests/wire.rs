//! DynamoDB's JSON protocol without the SDK (`awstin_core::wire`), signed by the core's SigV4
//! (`awstin_core::sigv4`) and sent over a plain HTTP connection to the embedded DynamoDB: the
//! requests the core makes are the ones DynamoDB takes, and what they write the `awstin`
//! crate's table reads.

#![allow(missing_docs)] // a test model: the fields speak for themselves

use awstin::dynamo_model;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_core::sigv4::{Credentials, Request, Scope, sign};
use awstin_core::wire::{self, CONTENT_TYPE, Wire};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Film { table "Films"; key year: u32; key title: String; attr rating: f64; attr plays: u64 }
}

/// Signs and sends `request` to `endpoint` (`http://127.0.0.1:port`): the status and the body.
async fn send(endpoint: &str, request: &Wire) -> (u16, Value) {
    let host = endpoint.trim_start_matches("http://");
    let headers = [
        ("content-type", CONTENT_TYPE),
        ("x-amz-target", request.target),
    ];
    let time = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs();
    let signed = sign(
        &Request {
            method: "POST",
            host,
            path: "/",
            query: &[],
            headers: &headers,
            body: request.body.as_bytes(),
        },
        &Credentials {
            access_key_id: "test",
            secret_access_key: "test",
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
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_cores_requests_are_taken_by_dynamodb_and_read_back_by_the_tables() {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Film>().expect("a spec"))
        .await
        .expect("a table");
    let endpoint = local.endpoint().to_owned();
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
}
