//! Shared models and helpers of the test suite.
#![allow(missing_docs)] // test models: the fields speak for themselves

pub mod faults;

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt::Write as _;

use awstin::core::json::to_json;
use awstin::{
    BinaryBuf, Condition, Error, KeyCondition, Projection, Request, Update, Value, dynamo_model,
};

dynamo_model! {
    /// A film, as in AWS's Movies tutorial.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "Movies";
        key year: u32;
        key title: String;
        attr info: Info;
    }
}

dynamo_model! {
    /// The nested details of a film.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Info {
        attr directors: Vec<String>;
        attr release_date: Option<String>;
        attr rating: Option<f64>;
        attr genres: Vec<String>;
        attr plot: Option<String>;
        attr rank: Option<u32>;
        attr running_time_secs: Option<u32>;
        attr actors: Vec<String>;
    }
}

dynamo_model! {
    /// Movies by genre: an index model.
    #[derive(Debug, Clone, PartialEq)]
    pub struct MovieByGenre {
        index "by-genre" on "Movies";
        key genre: String;
        key year: u32;
        attr title: String;
    }
}

dynamo_model! {
    /// Every value type, renames and reserved words.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Thing {
        table "Things";
        key id: String;
        key data: BinaryBuf;
        attr name: String;
        attr status: Option<String>;
        attr size: u64;
        attr ttl: Option<u64> as "expires-at";
        attr flag: bool;
        attr tags: BTreeSet<String>;
        attr scores: BTreeSet<i64>;
        attr blobs: BTreeSet<BinaryBuf>;
        attr matrix: Vec<Vec<u8>>;
        attr labels: BTreeMap<String, String>;
        attr doc: Value<'static>;
        attr deep: Option<Node>;
        attr r#type: String;
    }
}

dynamo_model! {
    /// A self-nesting document, for path depth.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Node {
        attr next: Option<Box<Node>>;
        attr value: u32;
    }
}

dynamo_model! {
    /// A table with only a partition key.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Counter {
        table "Counters";
        key name: String;
        attr count: u64;
    }
}

/// Renders the expressions of one request, sharing its placeholder tables, into a readable
/// text: each expression, then the names and values (as DynamoDB JSON).
pub struct Shown<'a> {
    request: Request<'a, 64, 256>,
    text: String,
}

impl Default for Shown<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Shown<'a> {
    /// An empty request.
    pub fn new() -> Self {
        Shown {
            request: Request::new(),
            text: String::new(),
        }
    }

    fn line(&mut self, label: &str, body: String) {
        let _ = writeln!(self.text, "{label}: {body}");
    }

    /// Adds a key condition.
    pub fn key<M, C: KeyCondition<M>>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.key_condition(c, &mut s)?;
        self.line("KeyConditionExpression", s);
        Ok(self)
    }

    /// Adds a filter.
    pub fn filter<C: Condition>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.filter(c, &mut s)?;
        self.line("FilterExpression", s);
        Ok(self)
    }

    /// Adds a write condition.
    pub fn condition<C: Condition>(mut self, c: &'a C) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.condition(c, &mut s)?;
        self.line("ConditionExpression", s);
        Ok(self)
    }

    /// Adds an update.
    pub fn update<U: Update>(mut self, u: &'a U) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.update(u, &mut s)?;
        self.line("UpdateExpression", s);
        Ok(self)
    }

    /// Adds a projection.
    pub fn projection<P: Projection>(mut self, p: &'a P) -> Result<Self, Error> {
        let mut s = String::new();
        self.request.projection(p, &mut s)?;
        self.line("ProjectionExpression", s);
        Ok(self)
    }

    /// The expressions, names and values.
    pub fn finish(self) -> String {
        let mut text = self.text;
        for (placeholder, name) in self.request.names() {
            let _ = writeln!(text, "{placeholder} = {name:?}");
        }
        for (placeholder, value) in self.request.values() {
            let mut json = String::new();
            match to_json(value, &mut json) {
                Ok(()) => {
                    let _ = writeln!(text, "{placeholder} = {json}");
                }
                Err(e) => {
                    let _ = writeln!(text, "{placeholder} = <{e}>");
                }
            }
        }
        text
    }
}

/// Renders a lone condition (as a write condition) into its text, or the error.
pub fn condition_text<C: Condition>(c: &C) -> Result<String, Error> {
    let mut s = String::new();
    Request::<64, 256>::new().condition(c, &mut s)?;
    Ok(s)
}

/// Renders a lone update into its text, or the error.
pub fn update_text<U: Update>(u: &U) -> Result<String, Error> {
    let mut s = String::new();
    Request::<64, 256>::new().update(u, &mut s)?;
    Ok(s)
}

/// A sample film.
pub fn big_new_movie() -> Movie {
    Movie {
        year: 2015,
        title: "The Big New Movie".into(),
        info: Info {
            plot: Some("Nothing happens at all.".into()),
            rating: Some(0.0),
            ..Info::default()
        },
    }
}

/// Reads the next HTTP/1.1 request from `socket` (keeping any bytes of the request after it in
/// `buf`): its head (request line and headers) and its body. `None` when the peer closes.
pub async fn read_http_request(
    socket: &mut tokio::net::TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(String, Vec<u8>)> {
    use tokio::io::AsyncReadExt;
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0usize);
            if buf.len() >= end + 4 + length {
                let body = buf[end + 4..end + 4 + length].to_vec();
                buf.drain(..end + 4 + length);
                return Some((head, body));
            }
        }
        let mut chunk = [0u8; 8192];
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A client of `endpoint` for fault tests: static test credentials, quick retries (4 attempts,
/// 1 to 20 ms apart) with a retry quota of its own that never runs out, so that one test's
/// faults do not stop another test's retries, and the given timeouts.
pub fn quick_client(
    endpoint: &str,
    options: awstin::dynamodb::ClientOptions,
) -> awstin::dynamodb::DynamoDb {
    use aws_sdk_dynamodb::config::retry::{RetryConfig, RetryPartition, TokenBucket};
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    use std::time::Duration;
    static PARTITION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PARTITION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "quick"))
        .retry_partition(
            RetryPartition::custom(format!("awstin-test-{n}"))
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    let db = awstin::dynamodb::DynamoDb::with_options(client, options);
    let config = db
        .client()
        .config()
        .to_builder()
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(options.max_retries + 1)
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build();
    awstin::dynamodb::DynamoDb::new(aws_sdk_dynamodb::Client::from_conf(config))
}
