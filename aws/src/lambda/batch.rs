//! Batches of records with partial failure responses: SQS (standard and FIFO), Kinesis and
//! DynamoDB Streams through one mechanism.
//!
//! A batch-triggered function gets many records at once and answers which of them failed
//! (`{"batchItemFailures": [{"itemIdentifier": ...}]}`; turn on `ReportBatchItemFailures` in
//! the event source mapping, or Lambda retries the whole batch). How failures are retried
//! depends on the source, and [`Batch::process`] follows it:
//!
//! - a standard SQS queue redelivers each failed message alone: the records run concurrently
//!   (at most [`Batch::concurrency`] at once, 8 by default) and each failure is reported;
//! - a FIFO queue keeps order within a message group: the records of a group run in order, and
//!   after a failure the rest of its group is reported failed without running, so no message
//!   overtakes one that failed (the groups run concurrently);
//! - Kinesis and DynamoDB Streams retry from a sequence number: the records run in order, and
//!   the first failure stops the batch and is the one reported (the records before it are
//!   done, the ones after it come again).
//!
//! A record whose body does not decode is a failure of its own, never a failed invocation. Each
//! failure is logged at `WARN` with the record's identifier and the error chain, never a body.
//!
//! [`Batch::process_records`] hands the function each record with its metadata ([`Record`]):
//! its identifier (SQS keeps a message's id when it delivers it again, so
//! `idempotency.run(&record.id, ...)` makes the function run once per message), its group, its
//! receive count, its attributes, and the invocation's context (for
//! [`Idempotency::within`](super::idempotency::Idempotency::within)). Two records of one batch
//! with the same idempotency key (the same order sent twice) run at once on a standard queue:
//! one runs, the other is told `InProgress`, a retryable failure, so it is reported for retry
//! and answered from the first run's record when it comes back. Run them one at a time
//! ([`Batch::concurrency`] of 1) to have the second answered from the record in the same
//! invocation.
//!
//! ```
//! use awstin::lambda::batch::{self, Batch, Json};
//! use aws_lambda_events::event::sqs::SqsEvent;
//!
//! #[derive(serde::Deserialize)]
//! struct Order { id: u64 }
//!
//! async fn work(orders: Batch<Json<Order>>) -> Result<batch::BatchResponse, std::convert::Infallible> {
//!     Ok(orders
//!         .process(|Json(order)| async move {
//!             if order.id == 0 { Err("order 0 is refused") } else { Ok(()) }
//!         })
//!         .await)
//! }
//!
//! let event: SqsEvent = serde_json::from_value(serde_json::json!({"Records": [
//!     {"messageId": "m1", "body": "{\"id\": 7}", "eventSourceARN": "arn:aws:sqs:us-east-1:1:orders"},
//!     {"messageId": "m2", "body": "{\"id\": 0}", "eventSourceARN": "arn:aws:sqs:us-east-1:1:orders"},
//!     {"messageId": "m3", "body": "not json", "eventSourceARN": "arn:aws:sqs:us-east-1:1:orders"},
//! ]}))?;
//! let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! let response = runtime.block_on(work(batch::from_sqs(event)))?;
//! assert_eq!(response.failed(), ["m2", "m3"]);
//! // In `main`: lambda_handler(batch::sqs::<Json<Order>>, work).run().await
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;

use aws_lambda_events::event::kinesis::KinesisEvent;
use aws_lambda_events::event::sqs::SqsEvent;
use futures::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Context, ParseError, error_chain};

/// The answer of a batch-triggered function: the records to retry.
///
/// ```
/// use awstin::lambda::batch::{BatchItemFailure, BatchResponse};
/// let r = BatchResponse { batch_item_failures: vec![BatchItemFailure { item_identifier: "m2".into() }] };
/// assert_eq!(serde_json::to_value(&r)?, serde_json::json!({"batchItemFailures": [{"itemIdentifier": "m2"}]}));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchResponse {
    /// The records that failed, in the order of the batch.
    pub batch_item_failures: Vec<BatchItemFailure>,
}

/// One failed record: its message id (SQS) or sequence number (Kinesis, DynamoDB Streams).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItemFailure {
    /// The record's identifier.
    pub item_identifier: String,
}

impl BatchResponse {
    /// The identifiers of the failed records, in order.
    ///
    /// ```
    /// assert!(awstin::lambda::batch::BatchResponse::default().failed().is_empty());
    /// ```
    pub fn failed(&self) -> Vec<&str> {
        self.batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_str())
            .collect()
    }
}

/// How a source retries failed records, which decides how a batch runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Retry {
    /// Each failed record alone (a standard SQS queue): records run concurrently.
    EachRecord,
    /// Each failed record with the rest of its message group (a FIFO queue): a group's
    /// records run in order.
    RestOfGroup,
    /// From the first failed record on (Kinesis, DynamoDB Streams): records run in order.
    FromFirstFailure,
}

/// A message body as a record carries it, read into a Rust value.
pub trait Body: Sized {
    /// Reads the body.
    fn from_body(body: &[u8]) -> Result<Self, BodyError>;
}

/// A body that does not read as the handler's type: what it should have held, never what it
/// held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    message: String,
}

impl BodyError {
    /// A refusal saying what the body should have been.
    ///
    /// ```
    /// assert_eq!(awstin::lambda::batch::BodyError::new("not an order").to_string(), "not an order");
    /// ```
    pub fn new(message: &'static str) -> BodyError {
        BodyError {
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BodyError {}

/// A JSON body read through serde. A mismatch names the field, never its value.
///
/// ```
/// use awstin::lambda::batch::{Body, Json};
/// #[derive(serde::Deserialize, Debug)]
/// struct Order { id: u64 }
/// let Json(order) = Json::<Order>::from_body(br#"{"id": 3}"#)?;
/// assert_eq!(order.id, 3);
/// let e = Json::<Order>::from_body(br#"{"id": "s3cr3t"}"#).unwrap_err();
/// assert!(!e.to_string().contains("s3cr3t"), "{e}");
/// # Ok::<(), awstin::lambda::batch::BodyError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned> Body for Json<T> {
    fn from_body(body: &[u8]) -> Result<Self, BodyError> {
        let mut de = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.inner().to_string();
            // serde names a missing or unknown member in its message (never a value there);
            // other mismatches are named by their path alone, as their messages quote values.
            // A missing member's path is its object's; an unknown member's path is its own.
            // A name is cut at 64 characters (it is the client's text).
            let named = |kind: &str, own_path: bool| {
                let rest = inner.strip_prefix(kind)?.strip_prefix(" `")?;
                let name = rest.split('`').next()?;
                let field = match (path.as_str(), own_path) {
                    (".", _) => name.to_owned(),
                    (_, true) => path.clone(),
                    (_, false) => format!("{path}.{name}"),
                };
                Some(field.chars().take(64).collect::<String>())
            };
            let message = match e.inner().classify() {
                serde_json::error::Category::Data => {
                    if let Some(field) = named("missing field", false) {
                        format!("the body field `{field}` is missing")
                    } else if let Some(field) = named("unknown field", true) {
                        format!("the body field `{field}` is not expected")
                    } else if path != "." {
                        format!("the body field `{path}` is not of the expected type")
                    } else {
                        "the body is not of the expected shape".to_owned()
                    }
                }
                _ => "the body is not JSON".to_owned(),
            };
            BodyError { message }
        })?;
        de.end()
            .map_err(|_| BodyError::new("the body has more after its JSON value"))?;
        Ok(Json(value))
    }
}

/// A text body, as sent.
impl Body for String {
    fn from_body(body: &[u8]) -> Result<Self, BodyError> {
        String::from_utf8(body.to_vec()).map_err(|_| BodyError::new("the body is not UTF-8 text"))
    }
}

/// A binary body (a Kinesis record's data), as sent.
impl Body for Vec<u8> {
    fn from_body(body: &[u8]) -> Result<Self, BodyError> {
        Ok(body.to_vec())
    }
}

/// One record of a batch: its identifier, its message group (FIFO queues), what its source
/// says of it, and its value or why it has none.
#[derive(Debug)]
pub struct BatchRecord<T> {
    /// The identifier the response names it by: the message id (which SQS keeps when it
    /// delivers a message again), or the sequence number.
    pub id: String,
    /// The message group of a FIFO queue's message.
    pub group: Option<String>,
    /// What the source says of the record: SQS's attributes (`ApproximateReceiveCount`,
    /// `SentTimestamp`, `SenderId`, ...) and message attributes' text values; for a stream
    /// record, its partition key (`PartitionKey`).
    pub attributes: HashMap<String, String>,
    /// The record's value, or why it could not be read.
    pub value: Result<T, Box<dyn std::error::Error + Send + Sync>>,
}

impl<T> BatchRecord<T> {
    /// A record of `id` holding `value`, without a group or attributes.
    ///
    /// ```
    /// use awstin::lambda::batch::BatchRecord;
    /// let r = BatchRecord::new("m1", 5);
    /// assert_eq!((r.id.as_str(), r.value.ok()), ("m1", Some(5)));
    /// ```
    pub fn new(id: impl Into<String>, value: T) -> BatchRecord<T> {
        BatchRecord {
            id: id.into(),
            group: None,
            attributes: HashMap::new(),
            value: Ok(value),
        }
    }

    /// How many times SQS has delivered the message, this time included
    /// (`ApproximateReceiveCount`); `None` when the source does not say.
    ///
    /// ```
    /// use awstin::lambda::batch::BatchRecord;
    /// let mut r = BatchRecord::new("m1", ());
    /// r.attributes.insert("ApproximateReceiveCount".into(), "3".into());
    /// assert_eq!(r.receive_count(), Some(3));
    /// ```
    pub fn receive_count(&self) -> Option<u32> {
        receive_count(&self.attributes)
    }
}

/// SQS's `ApproximateReceiveCount` among a record's attributes.
fn receive_count(attributes: &HashMap<String, String>) -> Option<u32> {
    attributes
        .get("ApproximateReceiveCount")
        .and_then(|n| n.parse().ok())
}

/// A record as [`Batch::process_records`] hands it to the function: its value, what its source
/// says of it, and the invocation's [`Context`].
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// The identifier the response names it by: the message id, or the sequence number. A
    /// key of idempotency by message: `idempotency.run(&record.id, ...)`.
    pub id: String,
    /// The message group of a FIFO queue's message.
    pub group: Option<String>,
    /// How many times SQS has delivered the message, this time included.
    pub receive_count: Option<u32>,
    /// What the source says of the record (see [`BatchRecord::attributes`]).
    pub attributes: HashMap<String, String>,
    /// The invocation's context (its request id, its deadline:
    /// [`Idempotency::within`](super::idempotency::Idempotency::within)).
    pub context: Context,
    /// The record's value.
    pub value: T,
}

/// The records of one invocation, in the order of the event, and how their source retries.
#[derive(Debug)]
pub struct Batch<T> {
    retry: Retry,
    records: Vec<BatchRecord<T>>,
    concurrency: usize,
    context: Context,
}

/// Records of a standard queue processed at once, by default.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// The records of an SQS event. A FIFO queue's (its ARN ends in `.fifo`) keep their message
/// groups.
///
/// ```
/// use awstin::lambda::batch::{self, Retry};
/// let event = serde_json::from_value(serde_json::json!({"Records": [
///     {"messageId": "m1", "body": "hi", "eventSourceARN": "arn:aws:sqs:us-east-1:1:jobs.fifo", "attributes": {"MessageGroupId": "g"}},
/// ]}))?;
/// let b = batch::from_sqs::<String>(event);
/// assert_eq!((b.retry(), b.len()), (Retry::RestOfGroup, 1));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn from_sqs<T: Body>(event: SqsEvent) -> Batch<T> {
    let fifo = event.records.iter().any(|r| {
        r.event_source_arn
            .as_deref()
            .is_some_and(|arn| arn.ends_with(".fifo"))
    });
    let records = event
        .records
        .into_iter()
        .map(|mut r| {
            let group = fifo
                .then(|| r.attributes.get("MessageGroupId").cloned())
                .flatten();
            let mut attributes = std::mem::take(&mut r.attributes);
            for (name, attribute) in r.message_attributes {
                if let Some(text) = attribute.string_value {
                    attributes.entry(name).or_insert(text);
                }
            }
            BatchRecord {
                id: r.message_id.unwrap_or_default(),
                group,
                attributes,
                value: T::from_body(r.body.unwrap_or_default().as_bytes())
                    .map_err(|e| Box::new(e) as _),
            }
        })
        .collect();
    Batch::new(
        if fifo {
            Retry::RestOfGroup
        } else {
            Retry::EachRecord
        },
        records,
    )
}

/// [`from_sqs`] as a parser for [`lambda_handler`](super::lambda_handler): a body that does
/// not decode is not a parse error but a failure of its record.
///
/// ```
/// use awstin::lambda::{batch, Context};
/// let event = serde_json::from_str(r#"{"Records": []}"#)?;
/// assert!(batch::sqs::<String>(event, &Context::default())?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sqs<T: Body>(event: SqsEvent, context: &Context) -> Result<Batch<T>, ParseError> {
    Ok(from_sqs(event).with_context(context.clone()))
}

/// The records of a Kinesis event, by sequence number, their data read as `T`.
///
/// ```
/// use awstin::lambda::batch::{self, Retry};
/// let event = serde_json::from_value(serde_json::json!({"Records": [{
///     "eventID": "shardId-0:1", "kinesis": {"data": "aGk=", "sequenceNumber": "101", "partitionKey": "p",
///     "approximateArrivalTimestamp": 1700000000.0, "kinesisSchemaVersion": "1.0"}
/// }]}))?;
/// let b = batch::from_kinesis::<String>(event);
/// assert_eq!(b.retry(), Retry::FromFirstFailure);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn from_kinesis<T: Body>(event: KinesisEvent) -> Batch<T> {
    let records = event
        .records
        .into_iter()
        .map(|r| BatchRecord {
            value: T::from_body(&r.kinesis.data.0).map_err(|e| Box::new(e) as _),
            id: r.kinesis.sequence_number,
            group: None,
            attributes: HashMap::from([("PartitionKey".to_owned(), r.kinesis.partition_key)]),
        })
        .collect();
    Batch::new(Retry::FromFirstFailure, records)
}

/// [`from_kinesis`] as a parser for [`lambda_handler`](super::lambda_handler).
///
/// ```
/// use awstin::lambda::{batch, Context};
/// let event = serde_json::from_str(r#"{"Records": []}"#)?;
/// assert!(batch::kinesis::<Vec<u8>>(event, &Context::default())?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn kinesis<T: Body>(event: KinesisEvent, context: &Context) -> Result<Batch<T>, ParseError> {
    Ok(from_kinesis(event).with_context(context.clone()))
}

impl<T> Batch<T> {
    /// A batch of `records` from a source that retries as `retry` says.
    ///
    /// ```
    /// use awstin::lambda::batch::{Batch, BatchRecord, Retry};
    /// let b = Batch::new(Retry::EachRecord, vec![BatchRecord::new("a", 1)]);
    /// assert_eq!(b.len(), 1);
    /// ```
    pub fn new(retry: Retry, records: Vec<BatchRecord<T>>) -> Batch<T> {
        Batch {
            retry,
            records,
            concurrency: DEFAULT_CONCURRENCY,
            context: Context::default(),
        }
    }

    /// The batch with the invocation's context, which [`process_records`](Self::process_records)
    /// hands each record (the parsers [`sqs`] and [`kinesis`] set it).
    ///
    /// ```
    /// use awstin::lambda::{Context, batch::{Batch, Retry}};
    /// let b = Batch::<u8>::new(Retry::EachRecord, vec![]).with_context(Context::default());
    /// # let _ = b;
    /// ```
    #[must_use]
    pub fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }

    /// How the source retries failed records.
    pub fn retry(&self) -> Retry {
        self.retry
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// `true` for a batch without records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Runs at most `n` records (or FIFO groups) at once; 0 is taken as 1. Records of a
    /// stream run one at a time whatever `n` is.
    ///
    /// ```
    /// use awstin::lambda::batch::{Batch, Retry};
    /// let b = Batch::<u8>::new(Retry::EachRecord, vec![]).concurrency(32);
    /// # let _ = b;
    /// ```
    #[must_use]
    pub fn concurrency(mut self, n: usize) -> Self {
        self.concurrency = n.max(1);
        self
    }

    /// Calls `f` with each record's value, as the source's retries require (see the module
    /// documentation; what `f` answers when it succeeds is dropped), and returns the response naming the records to retry: those whose
    /// value did not decode or whose `f` failed, and those a failure before them holds back
    /// (a FIFO group's rest; a stream's first failure stands for the records after it).
    pub async fn process<F, Fut, O, E>(self, f: F) -> BatchResponse
    where
        F: Fn(T) -> Fut,
        Fut: Future<Output = Result<O, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.run(|_, value| f(value)).await
    }

    /// [`process`](Self::process), with each record's value handed with its identifier, group,
    /// receive count, attributes and the invocation's context ([`Record`]): idempotency by
    /// message id, a deadline from the context, a receive count that says a message has come
    /// back too often.
    ///
    /// ```
    /// use awstin::lambda::batch::{self, Record};
    /// let event = serde_json::from_value(serde_json::json!({"Records": [
    ///     {"messageId": "m1", "body": "a", "attributes": {"ApproximateReceiveCount": "1"}},
    ///     {"messageId": "m2", "body": "b", "attributes": {"ApproximateReceiveCount": "5"}},
    /// ]}))?;
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let response = runtime.block_on(batch::from_sqs::<String>(event).process_records(
    ///     |record: Record<String>| async move {
    ///         match record.receive_count {
    ///             Some(n) if n > 3 => Err(format!("{} came back {n} times", record.id)),
    ///             _ => Ok(()),
    ///         }
    ///     },
    /// ));
    /// assert_eq!(response.failed(), ["m2"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn process_records<F, Fut, O, E>(mut self, f: F) -> BatchResponse
    where
        F: Fn(Record<T>) -> Fut,
        Fut: Future<Output = Result<O, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let context = std::mem::take(&mut self.context);
        self.run(|meta: &Meta, value| {
            f(Record {
                id: meta.id.clone(),
                group: meta.group.clone(),
                receive_count: receive_count(&meta.attributes),
                attributes: meta.attributes.clone(),
                context: context.clone(),
                value,
            })
        })
        .await
    }

    /// Runs the records through `f` (given each one's metadata and value) as the source's
    /// retries require, and answers the records to retry.
    async fn run<F, Fut, O, E>(self, f: F) -> BatchResponse
    where
        F: Fn(&Meta, T) -> Fut,
        Fut: Future<Output = Result<O, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let Batch {
            retry,
            records,
            concurrency,
            ..
        } = self;
        let f = &f;
        // The failed records: their positions in the batch and their identifiers.
        let mut failed: Vec<(usize, String)> = match retry {
            Retry::EachRecord => {
                stream::iter(records.into_iter().enumerate())
                    .map(|(i, r)| {
                        let f = &f;
                        async move { run_one(r, f).await.map(|id| (i, id)) }
                    })
                    .buffer_unordered(concurrency)
                    .filter_map(|failed| async move { failed })
                    .collect()
                    .await
            }
            Retry::RestOfGroup => {
                let mut groups: Vec<Vec<(usize, BatchRecord<T>)>> = Vec::new();
                let mut index: HashMap<Option<String>, usize> = HashMap::new();
                for (i, r) in records.into_iter().enumerate() {
                    let g = *index.entry(r.group.clone()).or_insert_with(|| {
                        groups.push(Vec::new());
                        groups.len() - 1
                    });
                    groups[g].push((i, r));
                }
                let per_group: Vec<Vec<(usize, String)>> = stream::iter(groups)
                    .map(|group| {
                        let f = &f;
                        async move {
                            let mut failed = Vec::new();
                            for (i, r) in group {
                                if !failed.is_empty() {
                                    held_back(&r.id, "an earlier message of its group failed");
                                    failed.push((i, r.id));
                                } else if let Some(id) = run_one(r, f).await {
                                    failed.push((i, id));
                                }
                            }
                            failed
                        }
                    })
                    .buffer_unordered(concurrency)
                    .collect()
                    .await;
                per_group.into_iter().flatten().collect()
            }
            Retry::FromFirstFailure => {
                let mut first = Vec::new();
                for (i, r) in records.into_iter().enumerate() {
                    if let Some(id) = run_one(r, &f).await {
                        first.push((i, id));
                        break;
                    }
                }
                first
            }
        };
        failed.sort_unstable_by_key(|(i, _)| *i);
        BatchResponse {
            batch_item_failures: failed
                .into_iter()
                .map(|(_, item_identifier)| BatchItemFailure { item_identifier })
                .collect(),
        }
    }
}

/// What a record carries besides its value.
struct Meta {
    id: String,
    group: Option<String>,
    attributes: HashMap<String, String>,
}

/// Runs one record; its identifier when it failed (logged).
async fn run_one<T, F, Fut, O, E>(record: BatchRecord<T>, f: &F) -> Option<String>
where
    F: Fn(&Meta, T) -> Fut,
    Fut: Future<Output = Result<O, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let BatchRecord {
        id,
        group,
        attributes,
        value,
    } = record;
    let meta = Meta {
        id,
        group,
        attributes,
    };
    let failed = match value {
        Ok(value) => f(&meta, value).await.err().map(|e| {
            let e: Box<dyn std::error::Error + Send + Sync> = e.into();
            ("function", error_chain(e.as_ref()))
        }),
        Err(e) => Some(("body", error_chain(e.as_ref()))),
    };
    let (stage, error) = failed?;
    tracing::warn!(
        item = %meta.id,
        failed_in = stage,
        error = %error,
        "batch record failed; reported for retry"
    );
    Some(meta.id)
}

fn held_back(id: &str, why: &'static str) {
    tracing::warn!(item = %id, reason = why, "batch record not run; reported for retry");
}
