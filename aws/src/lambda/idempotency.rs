//! Idempotency: a function that runs once per key, however often its event is delivered.
//!
//! SQS, SNS, EventBridge and retried invocations deliver at least once, so a function with an
//! effect must recognise a repeat. [`Idempotency::wrap`] keys each call by a typed function of
//! its input (checked at compile time: no path strings) and keeps a record per key in a
//! DynamoDB table, written through the table's write path:
//!
//! - before running, an *in progress* record is written if no record holds the key (or the one
//!   there expired, or is an in-progress record of a run that crashed: its time has passed);
//! - a completed run stores its result; a repeat returns that result without running the
//!   function. A result too large for an item (counted as DynamoDB counts it) is not stored:
//!   the completion is, without it, and a repeat is [`IdempotencyError::ResultTooLarge`]
//!   instead of a second run;
//! - the same key with a different input is [`IdempotencyError::PayloadMismatch`] (a SHA-256
//!   of the input, as JSON with sorted keys, is kept);
//! - a duplicate arriving while the first runs is [`IdempotencyError::InProgress`], which is
//!   retryable: one runs, the other is told to come back;
//! - a failed run removes its record, so a retry runs;
//! - the records expire through the table's time to live (`expires`, [`Ttl`]).
//!
//! Every claim carries a claim id of its own call (128 random bits), and the completion and
//! the release of a claim are conditioned on it. A claim whose answer was lost is settled by
//! the record DynamoDB holds: the call's own claim id there, the claim was applied; another,
//! the key is another call's. Two deliveries arriving at once, with answers lost, run the
//! function once. What cannot be settled is an error, never a run on a guess, and a completed
//! run is answered `Ok` only once its completion is stored. Keys are hashed with the
//! function's name (its length first, so that no name and key run into another's), so a key
//! of any length or bytes addresses its record only, and the record never holds the key.
//!
//! ```no_run
//! use awstin::lambda::idempotency::{Idempotency, IdempotencyRecord};
//! use awstin::lambda::batch::{self, Batch, BatchResponse, Json};
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Order { id: String, cents: u64 }
//!
//! async fn charge(order: Order) -> Result<String, std::io::Error> { Ok(format!("charged {}", order.cents)) }
//!
//! # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let records = db.table_named::<IdempotencyRecord>(&std::env::var("IDEMPOTENCY_TABLE")?);
//! let once = Idempotency::new(records, "orders-worker");
//! let charge_once = once.wrap(|order: &Order| order.id.clone(), charge);
//! let work = move |orders: Batch<Json<Order>>| {
//!     let charge_once = charge_once.clone();
//!     async move {
//!         Ok::<BatchResponse, std::convert::Infallible>(
//!             orders.process(|Json(order)| charge_once(order)).await,
//!         )
//!     }
//! };
//! awstin::lambda::lambda_handler(batch::sqs::<Json<Order>>, work).run().await?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use awstin_core::Ttl;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::dynamodb::{self, MAX_ITEM_BYTES, Table, Written};

crate::dynamo_model! {
    /// One key's record in the idempotency table: the table's partition key is `id` (a
    /// string), and its time to live attribute `expires`.
    ///
    /// ```
    /// use awstin::lambda::idempotency::IdempotencyRecord;
    /// use awstin::Model;
    /// assert_eq!(IdempotencyRecord::KEY.partition.name, "id");
    /// ```
    #[derive(Debug, Clone, PartialEq)]
    pub struct IdempotencyRecord {
        table "Idempotency";
        /// A SHA-256 of the function's name and the key, never the key itself.
        key id: String;
        /// `in_progress`, `completed`, or `completed_without_result` (a result too large to
        /// store).
        attr status: String;
        /// A SHA-256 of the input, as JSON with sorted keys.
        attr hash: String;
        /// The claim id of the call that claimed the key: 32 random hexadecimal digits.
        attr claim: String;
        /// When an in-progress run is taken to have crashed.
        attr until: Ttl;
        /// When the record expires: the table's time to live attribute.
        attr expires: Ttl;
        /// A completed run's result, as JSON.
        attr result: Option<String>;
        /// For a result too large to store, the bytes its record would have taken.
        attr result_size: Option<u64>;
    }
}

const IN_PROGRESS: &str = "in_progress";
const COMPLETED: &str = "completed";
const COMPLETED_WITHOUT_RESULT: &str = "completed_without_result";

/// Why an idempotent call did not return the function's result.
#[derive(Debug)]
#[non_exhaustive]
pub enum IdempotencyError<E> {
    /// Another call with the key is running: retry later (retryable).
    InProgress {
        /// The record's id (a hash of the key, never the key).
        id: String,
    },
    /// The key was used before with another input.
    PayloadMismatch {
        /// The record's id.
        id: String,
    },
    /// The function failed; its record was removed, so a retry runs it.
    Function(E),
    /// A repeat of a run whose result was too large to store in its record: the run
    /// completed (its caller got the result) and is not run again.
    ResultTooLarge {
        /// The record's id.
        id: String,
        /// Bytes the record with the result would take, as DynamoDB counts them.
        size: usize,
    },
    /// The function ran and succeeded, but its completion could not be stored: a repeat is
    /// told the key is in progress until the run's time passes, then runs again. Carries the
    /// store's failure.
    NotRecorded {
        /// The record's id.
        id: String,
        /// Why the completion was not stored.
        source: Box<dynamodb::Error>,
    },
    /// A stored result does not read as the function's result type.
    StoredResult(serde_json::Error),
    /// Reading or writing the record failed (or its outcome is unknown): the function was not
    /// run on a guess.
    Store(dynamodb::Error),
}

impl<E> IdempotencyError<E> {
    /// Whether calling again may succeed: another call is running, or the store failed in a
    /// way a retry may mend.
    ///
    /// ```
    /// use awstin::lambda::idempotency::IdempotencyError;
    /// assert!(IdempotencyError::<std::io::Error>::InProgress { id: "x".into() }.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            IdempotencyError::InProgress { .. } => true,
            IdempotencyError::Store(e) => {
                e.is_retryable() || matches!(e, dynamodb::Error::OutcomeUnknown { .. })
            }
            _ => false,
        }
    }
}

impl<E: fmt::Display> fmt::Display for IdempotencyError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdempotencyError::InProgress { id } => {
                write!(
                    f,
                    "idempotency record {id}: another call with the key is running"
                )
            }
            IdempotencyError::PayloadMismatch { id } => write!(
                f,
                "idempotency record {id}: the key was used before with another input"
            ),
            IdempotencyError::Function(e) => write!(f, "{e}"),
            IdempotencyError::ResultTooLarge { id, size } => write!(
                f,
                "idempotency record {id}: the run completed, but its result takes {size} bytes in its record, over DynamoDB's {MAX_ITEM_BYTES}, and was not stored"
            ),
            IdempotencyError::NotRecorded { id, .. } => write!(
                f,
                "idempotency record {id}: the function ran, but its completion was not stored"
            ),
            IdempotencyError::StoredResult(_) => {
                f.write_str("a stored result does not read as the function's result type")
            }
            IdempotencyError::Store(e) => write!(f, "idempotency record: {e}"),
        }
    }
}

/// An `IdempotencyError<E>` is an error for any function error `E` that can be shown
/// (`anyhow::Error` and `lambda_runtime::Error` among them, which are not `std::error::Error`s
/// themselves). Its causes: the store's failure, the stored result's decoding error, and the
/// function's error where it is one whose causes the crate can reach without knowing `E`
/// (awstin's errors, a boxed error such as `lambda_runtime::Error`); for another function
/// error the chain ends at it (its `Display`, which the log shows). A reused key and a key in
/// progress have a cause the [`client_input`](crate::lambda::client_input) mapping answers
/// (422 and 409).
///
/// ```
/// use awstin::lambda::idempotency::IdempotencyError;
/// let e: Box<dyn std::error::Error> = Box::new(IdempotencyError::Function(String::from("declined")));
/// assert_eq!(e.to_string(), "declined");
/// let boxed: lambda_runtime::Error = "a cause".into();
/// let e = IdempotencyError::Function(boxed);
/// assert_eq!(awstin::lambda::error_chain(&e), "a cause");
/// assert!(std::error::Error::source(&e).is_some());
/// ```
impl<E: fmt::Debug + fmt::Display + 'static> std::error::Error for IdempotencyError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IdempotencyError::Function(e) => known_error(e),
            IdempotencyError::StoredResult(e) => Some(e),
            IdempotencyError::Store(e) => Some(e),
            IdempotencyError::NotRecorded { source, .. } => Some(source.as_ref()),
            IdempotencyError::PayloadMismatch { .. } => Some(&KeyReused),
            IdempotencyError::InProgress { .. } => Some(&KeyInProgress),
            IdempotencyError::ResultTooLarge { .. } => None,
        }
    }
}

/// The function's error as an error, where its type is one the crate knows.
fn known_error<E: 'static>(e: &E) -> Option<&(dyn std::error::Error + 'static)> {
    let any: &dyn std::any::Any = e;
    if let Some(e) = any.downcast_ref::<dynamodb::Error>() {
        return Some(e);
    }
    if let Some(e) = any.downcast_ref::<awstin_core::Error>() {
        return Some(e);
    }
    if let Some(e) = any.downcast_ref::<crate::lambda::ParseError>() {
        return Some(e);
    }
    if let Some(e) = any.downcast_ref::<Box<dyn std::error::Error + Send + Sync>>() {
        return Some(e.as_ref());
    }
    if let Some(e) = any.downcast_ref::<Box<dyn std::error::Error + Send>>() {
        return Some(e.as_ref());
    }
    if let Some(e) = any.downcast_ref::<Box<dyn std::error::Error>>() {
        return Some(e.as_ref());
    }
    None
}

/// The cause of [`IdempotencyError::PayloadMismatch`]: the client reused an idempotency key
/// with another request (answered 422 by an HTTP handler).
///
/// ```
/// use awstin::lambda::idempotency::{IdempotencyError, KeyReused};
/// let e = IdempotencyError::<String>::PayloadMismatch { id: "x".into() };
/// assert!(std::error::Error::source(&e).unwrap().is::<KeyReused>());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyReused;

impl fmt::Display for KeyReused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the idempotency key was used with another request")
    }
}

impl std::error::Error for KeyReused {}

/// The cause of [`IdempotencyError::InProgress`]: a request with the idempotency key is
/// running (answered 409 by an HTTP handler, so the client retries later).
///
/// ```
/// use awstin::lambda::idempotency::{IdempotencyError, KeyInProgress};
/// let e = IdempotencyError::<String>::InProgress { id: "x".into() };
/// assert!(std::error::Error::source(&e).unwrap().is::<KeyInProgress>());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInProgress;

impl fmt::Display for KeyInProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a request with the idempotency key is in progress; retry later")
    }
}

impl std::error::Error for KeyInProgress {}

/// The future of an idempotent call.
pub type Once<R, E> =
    std::pin::Pin<Box<dyn Future<Output = Result<R, IdempotencyError<E>>> + Send>>;

/// The idempotency of one function: its records' table, its name (keys are hashed with it, so
/// functions may share a table), how long a run may take, and how long records are kept.
#[derive(Debug, Clone)]
pub struct Idempotency {
    inner: Arc<Settings>,
}

#[derive(Debug, Clone)]
struct Settings {
    table: Table<IdempotencyRecord>,
    name: String,
    in_progress_for: Duration,
    keep_for: Duration,
}

impl Idempotency {
    /// Records of function `name` in `table`; a run may take 15 minutes (Lambda's longest),
    /// a record is kept an hour.
    ///
    /// ```no_run
    /// # fn f(db: awstin::dynamodb::DynamoDb) {
    /// use awstin::lambda::idempotency::{Idempotency, IdempotencyRecord};
    /// let once = Idempotency::new(db.table::<IdempotencyRecord>(), "orders-worker");
    /// # }
    /// ```
    pub fn new(table: Table<IdempotencyRecord>, name: &str) -> Idempotency {
        Idempotency {
            inner: Arc::new(Settings {
                table,
                name: name.to_owned(),
                in_progress_for: Duration::from_secs(15 * 60),
                keep_for: Duration::from_secs(3600),
            }),
        }
    }

    /// How long a run may take: a duplicate within it is told the key is in progress, one
    /// after it (a run that crashed) runs. Set it to the function's timeout.
    #[must_use]
    pub fn in_progress_for(mut self, duration: Duration) -> Self {
        Arc::make_mut(&mut self.inner).in_progress_for = duration;
        self
    }

    /// The same idempotency, with a run's time the invocation's remaining time (from the
    /// context's deadline; at least a second): a duplicate after the invocation's end, which
    /// means the run crashed or timed out, runs.
    ///
    /// ```no_run
    /// # fn f(once: awstin::lambda::idempotency::Idempotency, context: &awstin::lambda::Context) {
    /// let for_this_invocation = once.within(context);
    /// # }
    /// ```
    #[must_use]
    pub fn within(&self, context: &super::Context) -> Idempotency {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let left = u128::from(context.deadline).saturating_sub(now);
        let left = Duration::from_millis(u64::try_from(left).unwrap_or(u64::MAX));
        self.clone()
            .in_progress_for(left.max(Duration::from_secs(1)))
    }

    /// How long a completed run's record answers repeats (its time to live).
    #[must_use]
    pub fn keep_for(mut self, duration: Duration) -> Self {
        Arc::make_mut(&mut self.inner).keep_for = duration;
        self
    }

    /// `f` made idempotent: called with an input, it runs `f` once per key (`key` of the
    /// input) and answers repeats with the first run's result. The input is the payload whose
    /// hash a repeat must match.
    pub fn wrap<I, K, F, Fut, R, E>(
        &self,
        key: K,
        f: F,
    ) -> impl Fn(I) -> Once<R, E> + Clone + Send + Sync + 'static + use<I, K, F, Fut, R, E>
    where
        I: Serialize + Send + 'static,
        K: Fn(&I) -> String + Send + Sync + 'static,
        F: Fn(I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R, E>> + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
        E: Send + 'static,
    {
        let this = self.clone();
        let (key, f) = (Arc::new(key), Arc::new(f));
        move |input: I| {
            let (this, key, f) = (this.clone(), key.clone(), f.clone());
            Box::pin(async move {
                let k = key(&input);
                this.run(&k, input, |input| f(input)).await
            })
        }
    }

    /// Runs `f(input)` once for `key`: see the module documentation.
    pub async fn run<I, F, Fut, R, E>(
        &self,
        key: &str,
        input: I,
        f: F,
    ) -> Result<R, IdempotencyError<E>>
    where
        I: Serialize,
        F: FnOnce(I) -> Fut,
        Fut: Future<Output = Result<R, E>>,
        R: Serialize + DeserializeOwned,
    {
        let s = &self.inner;
        let id = record_id(&s.name, key);
        let hash = payload_hash(&input).map_err(IdempotencyError::StoredResult)?;
        let now = Ttl::at(SystemTime::now()).map_err(store)?;
        let record = IdempotencyRecord {
            id: id.clone(),
            status: IN_PROGRESS.to_owned(),
            hash: hash.clone(),
            claim: claim_id(),
            until: Ttl::after(s.in_progress_for).map_err(store)?,
            expires: Ttl::after(s.keep_for.max(s.in_progress_for)).map_err(store)?,
            result: None,
            result_size: None,
        };
        let in_progress = IN_PROGRESS;
        let claimed = s
            .table
            .put(&record)
            .when(crate::cond!(
                attribute_not_exists(id) || expires < now || (status == in_progress && until < now)
            ))
            .await;
        let held = match claimed {
            Ok(Written::Applied(())) => None,
            Ok(Written::ConditionFalse(failed)) => Some(decode(failed.stored())?),
            // The claim's answer was lost: the record DynamoDB holds settles it. This call's
            // claim id there, its claim was applied (and the retry found it); another's, the
            // key is another call's.
            Err(dynamodb::Error::OutcomeUnknown {
                stored: dynamodb::Stored::Item(item),
                ..
            }) => Some(decode(&item)?).filter(|held| held.claim != record.claim),
            // Nothing said what is stored: read it, consistently.
            Err(e @ dynamodb::Error::OutcomeUnknown { .. }) => {
                match s.table.get(id.as_str()).consistent_read().await {
                    Ok(Some(held)) if held.claim == record.claim => None,
                    Ok(Some(held)) => Some(held),
                    _ => return Err(IdempotencyError::Store(e)),
                }
            }
            Ok(Written::NoItem) => {
                return Err(IdempotencyError::Store(dynamodb::Error::UnexpectedAnswer {
                    call: dynamodb::Call::new(dynamodb::Operation::PutItem, s.table.name()),
                    missing: "the record a refused claim found",
                }));
            }
            Err(e) => return Err(IdempotencyError::Store(e)),
        };
        if let Some(held) = held {
            if held.hash != hash {
                return Err(IdempotencyError::PayloadMismatch { id });
            }
            return match (held.status.as_str(), held.result) {
                (COMPLETED, Some(result)) => {
                    serde_json::from_str(&result).map_err(IdempotencyError::StoredResult)
                }
                (COMPLETED_WITHOUT_RESULT, _) => Err(IdempotencyError::ResultTooLarge {
                    id,
                    size: held
                        .result_size
                        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX)),
                }),
                _ => Err(IdempotencyError::InProgress { id }),
            };
        }
        match f(input).await {
            Ok(result) => {
                let text =
                    serde_json::to_string(&result).map_err(IdempotencyError::StoredResult)?;
                let mut done = IdempotencyRecord {
                    status: COMPLETED.to_owned(),
                    result: Some(text),
                    expires: Ttl::after(s.keep_for).map_err(store)?,
                    ..record
                };
                let size = awstin_core::size::item_size(&done).map_err(store)?;
                if size > MAX_ITEM_BYTES {
                    // Stored without the result, so that a repeat is told so rather than run
                    // again.
                    done.status = COMPLETED_WITHOUT_RESULT.to_owned();
                    done.result = None;
                    done.result_size = Some(size as u64);
                }
                match self.complete(&done).await {
                    Ok(()) => Ok(result),
                    Err(source) => Err(IdempotencyError::NotRecorded {
                        id,
                        source: Box::new(source),
                    }),
                }
            }
            Err(e) => {
                self.release(&record).await;
                Err(IdempotencyError::Function(e))
            }
        }
    }

    /// Stores a completed run over its own claim (the condition: the record is still this
    /// call's claim, in progress). An answer that shows the record completed under this
    /// call's claim id (a lost answer's retry) is the completion stored; the put is sent again
    /// when its outcome is unknown. Another claim there, or no record, means the run outlived
    /// its time and the key was claimed again or expired: the completion is not stored.
    async fn complete(&self, done: &IdempotencyRecord) -> Result<(), dynamodb::Error> {
        let (claim, in_progress) = (done.claim.as_str(), IN_PROGRESS);
        let ours = |item: &dynamodb::Item| {
            dynamodb::from_item::<IdempotencyRecord>(item)
                .is_ok_and(|r| r.claim == done.claim && r.status == done.status)
        };
        let mut last = None;
        for attempt in 0..3 {
            let answer = self
                .inner
                .table
                .put(done)
                .when(crate::cond!(claim == claim && status == in_progress))
                .await;
            let e = match answer {
                Ok(Written::Applied(())) => return Ok(()),
                Ok(Written::ConditionFalse(failed)) if ours(failed.stored()) => return Ok(()),
                Ok(Written::ConditionFalse(failed)) => {
                    return Err(dynamodb::Error::OutcomeUnknown {
                        call: failed.call().clone(),
                        stored: dynamodb::Stored::Item(failed.stored().clone()),
                        source: None,
                    });
                }
                Ok(Written::NoItem) => {
                    return Err(dynamodb::Error::OutcomeUnknown {
                        call: dynamodb::Call::new(
                            dynamodb::Operation::PutItem,
                            self.inner.table.name(),
                        ),
                        stored: dynamodb::Stored::Absent,
                        source: None,
                    });
                }
                Err(dynamodb::Error::OutcomeUnknown {
                    stored: dynamodb::Stored::Item(item),
                    ..
                }) if ours(&item) => return Ok(()),
                Err(e) => e,
            };
            tracing::warn!(
                record = %done.id,
                attempt,
                error = %crate::lambda::error_chain(&e),
                "idempotency record not completed"
            );
            if !(e.is_retryable() || matches!(e, dynamodb::Error::OutcomeUnknown { .. })) {
                return Err(e);
            }
            last = Some(e);
        }
        Err(last.unwrap_or(dynamodb::Error::UnexpectedAnswer {
            call: dynamodb::Call::new(dynamodb::Operation::PutItem, self.inner.table.name()),
            missing: "an answer to the completion",
        }))
    }

    /// Removes this call's in-progress claim, so a retry runs; a claim of another call there
    /// (this run outlived its time) is left alone.
    async fn release(&self, record: &IdempotencyRecord) {
        let (in_progress, claim) = (IN_PROGRESS, record.claim.as_str());
        let removed = self
            .inner
            .table
            .delete(record.id.as_str())
            .when(crate::cond!(status == in_progress && claim == claim))
            .await;
        if let Err(e) = removed {
            tracing::warn!(
                record = %record.id,
                error = %crate::lambda::error_chain(&e),
                "idempotency record not released; a retry waits until its run time passes"
            );
        }
    }
}

fn store<E>(e: awstin_core::Error) -> IdempotencyError<E> {
    IdempotencyError::Store(dynamodb::Error::Refused(e))
}

/// A stored record, read.
fn decode<E>(item: &dynamodb::Item) -> Result<IdempotencyRecord, IdempotencyError<E>> {
    dynamodb::from_item(item).map_err(|e| IdempotencyError::Store(e.into()))
}

/// A claim id: 128 random bits, as 32 hexadecimal digits.
fn claim_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// The record id of `key` for function `name`: a SHA-256 of the name's length (8 bytes, big
/// endian), the name and the key, so that any key addresses its record only, whatever its
/// length or bytes, and no other name and key run together into the same input.
fn record_id(name: &str, key: &str) -> String {
    let mut h = Sha256::new();
    h.update((name.len() as u64).to_be_bytes());
    h.update(name.as_bytes());
    h.update(key.as_bytes());
    hex(&h.finalize())
}

/// A SHA-256 of the input as JSON with its object keys sorted.
fn payload_hash<I: Serialize>(input: &I) -> Result<String, serde_json::Error> {
    let canonical = serde_json::to_value(input)?;
    Ok(hex(&Sha256::digest(serde_json::to_vec(&canonical)?)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
