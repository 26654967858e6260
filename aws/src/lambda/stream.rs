//! DynamoDB Streams into typed changes, for stream-triggered Lambda functions.
//!
//! A stream-triggered function receives `aws_lambda_events`' DynamoDB [`Event`]. [`changes`]
//! reads each record into a [`Change`] of a model, or the [`RecordError`] that says why it
//! could not: the keys and images are decoded by the model's own one-pass codec, by value,
//! straight from the event's attribute values. [`Changes::process`] hands the changes to an
//! async function in order and returns the `batchItemFailures` response Lambda reads for
//! partial batch failures: it stops at the first record that does not decode or whose
//! function fails, and names that record's sequence number, so Lambda retries from there and
//! not the whole batch. Such a record is logged (its sequence number and error
//! chain; never its values) and reported, never skipped. (Turn on `ReportBatchItemFailures`
//! in the event source mapping, or Lambda ignores the response and retries the whole batch.)
//!
//! ```
//! use awstin::lambda::stream::{self, ChangeKind, Changes};
//! use awstin::lambda::{lambda_handler, Context};
//! use aws_lambda_events::event::dynamodb::Event;
//!
//! awstin::dynamo_model! {
//!     #[derive(Debug)]
//!     pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: Option<f64> }
//! }
//!
//! async fn audit(changes: Changes<Movie>) -> Result<stream::Response, std::convert::Infallible> {
//!     Ok(changes
//!         .process(|change| async move {
//!             let (year, title) = &change.key;
//!             match (change.kind, &change.new) {
//!                 (ChangeKind::Remove, _) => println!("{title} ({year}) removed"),
//!                 (_, Some(movie)) => println!("{title} ({year}) rated {:?}", movie.rating),
//!                 (_, None) => println!("{title} ({year}) changed"),
//!             }
//!             Ok::<_, std::convert::Infallible>(())
//!         })
//!         .await)
//! }
//!
//! let event: Event = serde_json::from_value(serde_json::json!({"Records": [{
//!     "eventID": "1", "eventName": "INSERT", "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
//!     "dynamodb": {
//!         "Keys": {"year": {"N": "2013"}, "title": {"S": "Rush"}},
//!         "NewImage": {"year": {"N": "2013"}, "title": {"S": "Rush"}, "rating": {"N": "8.1"}},
//!         "SequenceNumber": "100", "SizeBytes": 40, "StreamViewType": "NEW_AND_OLD_IMAGES"
//!     }
//! }]}))?;
//! let runtime = tokio::runtime::Builder::new_current_thread().build()?;
//! let response = runtime.block_on(audit(stream::changes::<Movie>(event)))?;
//! assert!(response.batch_item_failures.is_empty());
//! // In `main`: lambda_handler(stream::parse::<Movie>, audit).run().await
//! # let _ = lambda_handler(stream::parse::<Movie>, audit);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::time::SystemTime;

/// The answer of a stream-triggered function: the batch response of every batch source.
pub use super::batch::BatchResponse as Response;
use super::batch::{Batch, BatchRecord, Retry};
pub use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::dynamodb::{EventRecord, StreamViewType};
use awstin_core::decode::{DecodeErrorKind, DecodeOwned, ValueOwned};
use awstin_core::model::DecodeKey;
use awstin_core::{AttributeType, DecodeError, Model, ValueRead};
use serde_dynamo::AttributeValue;

use super::{Context, ParseError};
use crate::dynamodb::codec::attribute_value_views;

/// The members of an image or of a record's keys, as the event carries them.
pub type Image = HashMap<String, AttributeValue>;

attribute_value_views! {
    value: AttributeValue, item: Image, unknown: unknown_type,
    /// A stream record's image or value read by value: strings and lists move out of the
    /// event into the model.
    ///
    /// ```
    /// use awstin::lambda::stream::ImageValue;
    /// use awstin::expr::decode::DecodeOwned;
    /// let list = serde_dynamo::AttributeValue::L(vec![serde_dynamo::AttributeValue::S("Moe".into())]);
    /// let names: Vec<String> = DecodeOwned::decode_owned(ImageValue::Value(list))?;
    /// assert_eq!(names, ["Moe"]);
    /// # Ok::<(), awstin::expr::DecodeError>(())
    /// ```
    owned: ImageValue,
    /// A [`ValueRead`] view of a stream record's values.
    ///
    /// ```
    /// use awstin::lambda::stream::ImageRef;
    /// use awstin::expr::ValueRead;
    /// let value = serde_dynamo::AttributeValue::N("12".into());
    /// assert_eq!(ImageRef::Value(&value).as_number(), Some("12"));
    /// ```
    view: ImageRef,
}

/// What happened to the item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A new item was written (`INSERT`).
    Insert,
    /// An existing item was changed (`MODIFY`).
    Modify,
    /// The item was deleted (`REMOVE`), by a call or by its time to live.
    Remove,
}

/// One record of a table's stream, read into model `M`.
///
/// The images present are those the stream's view type keeps: `NEW_AND_OLD_IMAGES` gives
/// `new` for inserts and modifications and `old` for modifications and removals;
/// `NEW_IMAGE` gives `new` only, `OLD_IMAGE` `old` only, and `KEYS_ONLY` neither: the `key`
/// is always there.
///
/// ```
/// # awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin::lambda::stream::{changes, ChangeKind, Event};
/// let event: Event = serde_json::from_value(serde_json::json!({"Records": [{
///     "eventID": "7", "eventName": "REMOVE", "awsRegion": "us-east-1",
///     "dynamodb": {"Keys": {"year": {"N": "2013"}, "title": {"S": "Rush"}},
///                  "SequenceNumber": "300", "SizeBytes": 20, "StreamViewType": "KEYS_ONLY"}
/// }]}))?;
/// let change = changes::<Movie>(event).into_iter().next().unwrap().change?;
/// assert_eq!(change.kind, ChangeKind::Remove);
/// assert_eq!(change.key, (2013, "Rush".to_string()));
/// assert_eq!((change.old, change.new), (None, None));
/// assert_eq!(change.sequence_number, "300");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Change<M: Model> {
    /// Insert, modify or remove.
    pub kind: ChangeKind,
    /// The item's key: a [`KeyOf`](awstin_core::KeyOf) `M`, so `table.get(change.key)`
    /// reads the item again.
    pub key: M::Key,
    /// The item before the change, if the stream keeps old images.
    pub old: Option<M>,
    /// The item after the change, if the stream keeps new images.
    pub new: Option<M>,
    /// The record's event id (`eventID`).
    pub event_id: String,
    /// The record's sequence number in its shard.
    pub sequence_number: String,
    /// When the change was made, as DynamoDB approximates it (to the second, or the
    /// millisecond for Kinesis-delivered records).
    pub created: SystemTime,
}

impl<M: Model + fmt::Debug> fmt::Debug for Change<M>
where
    M::Key: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Change")
            .field("kind", &self.kind)
            .field("key", &self.key)
            .field("old", &self.old)
            .field("new", &self.new)
            .field("event_id", &self.event_id)
            .field("sequence_number", &self.sequence_number)
            .field("created", &self.created)
            .finish()
    }
}

impl<M: Model + PartialEq> PartialEq for Change<M>
where
    M::Key: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.key == other.key
            && self.old == other.old
            && self.new == other.new
            && self.event_id == other.event_id
            && self.sequence_number == other.sequence_number
            && self.created == other.created
    }
}

/// Why a stream record is not a [`Change`]. It names the record part and the model
/// attribute, never a value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RecordError {
    /// `eventName` is not `INSERT`, `MODIFY` or `REMOVE`.
    EventName,
    /// The record has no sequence number.
    NoSequenceNumber,
    /// An image the record's stream view type keeps is missing (`NewImage` or `OldImage`).
    MissingImage {
        /// `NewImage` or `OldImage`.
        image: &'static str,
    },
    /// The keys or an image do not fit the model.
    Decode {
        /// `Keys`, `NewImage` or `OldImage`.
        part: &'static str,
        /// What did not fit.
        source: DecodeError,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::EventName => {
                f.write_str("the record's eventName is not INSERT, MODIFY or REMOVE")
            }
            RecordError::NoSequenceNumber => f.write_str("the record has no sequence number"),
            RecordError::MissingImage { image } => write!(
                f,
                "the record has no {image}, which its stream view type keeps"
            ),
            RecordError::Decode { part: "Keys", .. } => {
                f.write_str("the record's Keys do not fit the model")
            }
            RecordError::Decode { part, .. } => {
                write!(f, "the record's {part} does not fit the model")
            }
        }
    }
}

impl std::error::Error for RecordError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RecordError::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// One record of a batch: its identifiers, and its change or why it has none.
pub struct Record<M: Model> {
    /// The record's event id.
    pub event_id: String,
    /// The record's sequence number, if it has one (every record DynamoDB sends does).
    pub sequence_number: Option<String>,
    /// The change, or why the record could not be read.
    pub change: Result<Change<M>, RecordError>,
}

impl<M: Model + fmt::Debug> fmt::Debug for Record<M>
where
    M::Key: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Record")
            .field("event_id", &self.event_id)
            .field("sequence_number", &self.sequence_number)
            .field("change", &self.change)
            .finish()
    }
}

/// The records of one invocation, in the order of the stream.
pub struct Changes<M: Model> {
    records: Vec<Record<M>>,
}

impl<M: Model + fmt::Debug> fmt::Debug for Changes<M>
where
    M::Key: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.records).finish()
    }
}

/// The bounds a model needs to be read from stream records; every table model
/// `dynamo_model!` declares has them (fields of serde types through `Serde<T>` too).
pub trait StreamModel: Model + DecodeOwned<ImageValue> + DecodeKey<ImageValue> {}
impl<M: Model + DecodeOwned<ImageValue> + DecodeKey<ImageValue>> StreamModel for M {}

/// Reads every record of `event` as a change of `M`, in order.
///
/// ```
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// let event: awstin::lambda::stream::Event = serde_json::from_str(r#"{"Records": []}"#)?;
/// assert!(awstin::lambda::stream::changes::<Movie>(event).is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn changes<M: StreamModel>(event: Event) -> Changes<M> {
    Changes {
        records: event.records.into_iter().map(record).collect(),
    }
}

/// [`changes`] as a parser for [`lambda_handler`](crate::lambda::lambda_handler): a record
/// that does not decode is not a parse error, but a failure [`Changes::process`] reports.
///
/// ```
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin::lambda::Context;
/// let event = serde_json::from_str(r#"{"Records": []}"#)?;
/// assert!(awstin::lambda::stream::parse::<Movie>(event, &Context::default())?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse<M: StreamModel>(event: Event, _context: &Context) -> Result<Changes<M>, ParseError> {
    Ok(changes(event))
}

fn record<M: StreamModel>(r: EventRecord) -> Record<M> {
    let event_id = r.event_id.clone();
    let sequence_number = r.change.sequence_number.clone();
    Record {
        event_id,
        sequence_number,
        change: change(r),
    }
}

fn change<M: StreamModel>(r: EventRecord) -> Result<Change<M>, RecordError> {
    let kind = match r.event_name.as_str() {
        "INSERT" => ChangeKind::Insert,
        "MODIFY" => ChangeKind::Modify,
        "REMOVE" => ChangeKind::Remove,
        _ => return Err(RecordError::EventName),
    };
    let s = r.change;
    let sequence_number = s.sequence_number.ok_or(RecordError::NoSequenceNumber)?;
    // Which images the view type keeps; a record without a view type is read as it comes.
    let (keeps_new, keeps_old) = match s.stream_view_type {
        Some(StreamViewType::NewAndOldImages) => (true, true),
        Some(StreamViewType::NewImage) => (true, false),
        Some(StreamViewType::OldImage) => (false, true),
        _ => (false, false),
    };
    let new_expected = keeps_new && kind != ChangeKind::Remove;
    let old_expected = keeps_old && kind != ChangeKind::Insert;
    let key = decode_part("Keys", s.keys.into_inner(), M::decode_key)?;
    let new = image::<M>("NewImage", s.new_image.into_inner(), new_expected)?;
    let old = image::<M>("OldImage", s.old_image.into_inner(), old_expected)?;
    Ok(Change {
        kind,
        key,
        old,
        new,
        event_id: r.event_id,
        sequence_number,
        created: SystemTime::from(s.approximate_creation_date_time),
    })
}

fn image<M: StreamModel>(
    part: &'static str,
    members: Image,
    expected: bool,
) -> Result<Option<M>, RecordError> {
    if members.is_empty() {
        return match expected {
            true => Err(RecordError::MissingImage { image: part }),
            false => Ok(None),
        };
    }
    decode_part(part, members, M::decode_owned).map(Some)
}

fn decode_part<T>(
    part: &'static str,
    members: Image,
    decode: fn(ImageValue) -> Result<T, DecodeError>,
) -> Result<T, RecordError> {
    let fail = |source| RecordError::Decode { part, source };
    if members.values().any(unknown_type) {
        return Err(fail(DecodeError::new(DecodeErrorKind::UnknownType)));
    }
    decode(ImageValue::Item(members)).map_err(fail)
}

impl<M: Model> Changes<M> {
    /// The number of records.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let event = serde_json::from_str(r#"{"Records": []}"#)?;
    /// assert_eq!(awstin::lambda::stream::changes::<Movie>(event).len(), 0);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// `true` for a batch without records.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let event = serde_json::from_str(r#"{"Records": []}"#)?;
    /// assert!(awstin::lambda::stream::changes::<Movie>(event).is_empty());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Calls `f` with each change, in order, and returns the response that reports partial
    /// batch failures, through the batch mechanism of [`crate::lambda::batch`]. At the first
    /// record that did not decode, or whose `f` failed, it stops: the response names that
    /// record's sequence number, and Lambda retries from it (the records before it are done;
    /// the ones after it come again). A failing record without a sequence number is reported
    /// with an empty identifier, which Lambda answers by retrying the whole batch. Each failure
    /// is logged at `WARN` with the record's sequence number and error chain.
    ///
    /// ```
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let event = serde_json::from_value(serde_json::json!({"Records": [{
    ///     "eventID": "1", "eventName": "INSERT", "awsRegion": "us-east-1",
    ///     "dynamodb": {"Keys": {"year": {"S": "not a number"}, "title": {"S": "Rush"}},
    ///                  "SequenceNumber": "100", "SizeBytes": 20, "StreamViewType": "KEYS_ONLY"}
    /// }]}))?;
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let response = runtime.block_on(
    ///     awstin::lambda::stream::changes::<Movie>(event)
    ///         .process(|_| async { Ok::<_, std::convert::Infallible>(()) }),
    /// );
    /// assert_eq!(response.failed(), ["100"]);
    /// // The function's error may be any error, boxed ones and `lambda_runtime::Error` too.
    /// # let event = serde_json::from_value(serde_json::json!({"Records": [{
    /// #     "eventID": "2", "eventName": "REMOVE", "awsRegion": "us-east-1",
    /// #     "dynamodb": {"Keys": {"year": {"N": "2013"}, "title": {"S": "Rush"}},
    /// #                  "SequenceNumber": "200", "SizeBytes": 20, "StreamViewType": "KEYS_ONLY"}
    /// # }]}))?;
    /// let response = runtime.block_on(
    ///     awstin::lambda::stream::changes::<Movie>(event)
    ///         .process(|_| async { Err::<(), lambda_runtime::Error>("the topic refused it".into()) }),
    /// );
    /// assert_eq!(response.failed(), ["200"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub async fn process<F, Fut, O, E>(self, f: F) -> Response
    where
        F: Fn(Change<M>) -> Fut,
        Fut: Future<Output = Result<O, E>>,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.batch().process(f).await
    }

    /// The changes as a batch of the one mechanism SQS and Kinesis records go through: by
    /// sequence number, retried from the first failure.
    ///
    /// ```
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::lambda::batch::Retry;
    /// let event = serde_json::from_str(r#"{"Records": []}"#)?;
    /// assert_eq!(awstin::lambda::stream::changes::<Movie>(event).batch().retry(), Retry::FromFirstFailure);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn batch(self) -> Batch<Change<M>> {
        let records = self
            .records
            .into_iter()
            .map(|r| BatchRecord {
                id: r.sequence_number.unwrap_or_default(),
                group: None,
                attributes: std::collections::HashMap::new(),
                value: r.change.map_err(|e| Box::new(e) as _),
            })
            .collect();
        Batch::new(Retry::FromFirstFailure, records)
    }
}

impl<M: Model> IntoIterator for Changes<M> {
    type Item = Record<M>;
    type IntoIter = std::vec::IntoIter<Record<M>>;
    /// The records, in order.
    fn into_iter(self) -> Self::IntoIter {
        self.records.into_iter()
    }
}
