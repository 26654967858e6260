//! The core's wire layer against awstin's table on the AWS SDK, doing the same Query of the
//! Movies table side by side in one run: the request made and signed, and its answer read into
//! movies. No network: the SDK's client is given an HTTP client answering at once with the
//! answer the wire side reads, so both sides do the same work but for the transport.
//!
//! `cargo bench -p awstin-tests --bench edge` (or `scripts/bench` for every table row).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;
use std::time::SystemTime;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_smithy_runtime_api::client::http::{
    HttpConnector, HttpConnectorFuture, SharedHttpConnector, http_client_fn,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_types::body::SdkBody;
use awstin::cond;
use awstin::dynamodb::{DynamoDb, Table};
use awstin_core::sigv4::{self, Scope};
use awstin_core::wire::{self, Answer};
use awstin_examples::Movie;
use awstin_tests::bench::{Counting, Row, allocations};
use criterion::Criterion;
use futures::TryStreamExt;

#[global_allocator]
static GLOBAL: Counting = Counting;

/// DynamoDB's answer to the query: three movies of 1992 with titles from A to L.
const ANSWER: &str = r#"{"Count":3,"ScannedCount":3,"Items":[{"year":{"N":"1992"},"title":{"S":"A Few Good Men"},"info":{"M":{"rating":{"N":"7.7"},"genres":{"L":[{"S":"Drama"},{"S":"Thriller"}]}}}},{"year":{"N":"1992"},"title":{"S":"Aladdin"},"info":{"M":{"rating":{"N":"8"},"plot":{"S":"A street urchin and a lamp."}}}},{"year":{"N":"1992"},"title":{"S":"Batman Returns"},"info":{"M":{"rating":{"N":"7.1"},"actors":{"L":[{"S":"Michael Keaton"}]}}}}]}"#;

#[derive(Debug)]
struct Canned;

impl HttpConnector for Canned {
    fn call(&self, _: HttpRequest) -> HttpConnectorFuture {
        let status = 200.try_into().expect("a status");
        HttpConnectorFuture::ready(Ok(HttpResponse::new(status, SdkBody::from(ANSWER))))
    }
}

const TIME: u64 = 1_764_633_600;

/// The wire side: the request made and signed, the answer read.
fn by_wire() -> Vec<Movie> {
    let (year, from, to) = (1992, "A", "L");
    let key = Movie::expr(cond!(year == year && title between from..to));
    let query = awstin_core::op::ReadSpec::query("Movies", &key)
        .build(wire::read)
        .expect("a request");
    let signed = query.sign(
        "dynamodb.us-east-1.amazonaws.com",
        &sigv4::Credentials {
            access_key_id: "AKID",
            secret_access_key: "secret",
            session_token: None,
        },
        &Scope {
            region: "us-east-1",
            service: "dynamodb",
            time: TIME,
        },
    );
    black_box(signed);
    Answer::read(200, ANSWER.as_bytes())
        .expect("an answer")
        .items()
        .expect("movies")
}

/// The std side: the same query through the table, on the SDK.
async fn by_table(movies: &Table<Movie>) -> Vec<Movie> {
    let (year, from, to) = (1992, "A", "L");
    movies
        .query(cond!(year == year && title between from..to))
        .stream()
        .try_collect()
        .await
        .expect("movies")
}

fn main() {
    let started = SystemTime::now();
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "bench"))
        .http_client(http_client_fn(|_, _| SharedHttpConnector::new(Canned)))
        .build();
    let movies =
        DynamoDb::from_client(aws_sdk_dynamodb::Client::from_conf(config)).table::<Movie>();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let std_side = runtime.block_on(by_table(&movies));
    assert_eq!(by_wire(), std_side, "both sides read the same movies");
    assert_eq!(std_side.len(), 3);

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("edge");
    group.bench_function("query/wire", |b| b.iter(by_wire));
    group.bench_function("query/table", |b| {
        b.iter(|| runtime.block_on(by_table(&movies)))
    });
    group.finish();
    c.final_summary();

    let rows = [
        Row::time(
            "edge: a Query signed and its answer read, core wire vs the table on the SDK",
            "edge",
            ("query/wire", "query/table"),
            2.0,
            started,
        ),
        Row::allocations(
            "edge: a Query's allocations, core wire vs the table on the SDK",
            allocations(by_wire) as f64,
            allocations(|| runtime.block_on(by_table(&movies))) as f64,
            "the table on the SDK",
        ),
    ];
    for row in &rows {
        row.print();
    }
    rows[1].assert_met();
}
