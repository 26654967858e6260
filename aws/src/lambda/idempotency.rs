//! Idempotency: a function that runs once per key, however often its event is delivered.
//!
//! SQS, SNS, EventBridge and retried invocations deliver at least once, so a function with an
//! effect must recognise a repeat. [`Idempotency::wrap`] keys each call by a typed function of
//! its input (checked at compile time: no path strings) and keeps a record per key in a
//! DynamoDB table, written through the table's write path:
//!
//! - before running, an *in progress* record is written if no record holds the key (or the one
//!   there expired, or is an in-progress record of a run that crashed: its time has passed);
//! - a completed run stores its result, size-checked against DynamoDB's item limit; a repeat
//!   returns that result without running the function;
//! - the same key with a different input is [`IdempotencyError::PayloadMismatch`] (a SHA-256
//!   of the input, as JSON with sorted keys, is kept);
//! - a duplicate arriving while the first runs is [`IdempotencyError::InProgress`], which is
//!   retryable: one runs, the other is told to come back;
//! - a failed run removes its record, so a retry runs;
//! - the records expire through the table's time to live (`expires`, [`Ttl`]).
//!
//! Lost answers on the record writes are settled by the write path (a conditional put stored
//! as written was applied), and what it cannot settle is an error, never a run on a guess.
//! Keys are hashed with the function's name, so a key of any length or bytes addresses its
//! record only, and the record never holds the key itself.
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
        /// `in_progress` or `completed`.
        attr status: String;
        /// A SHA-256 of the input, as JSON with sorted keys.
        attr hash: String;
        /// When an in-progress run is taken to have crashed.
        attr until: Ttl;
        /// When the record expires: the table's time to live attribute.
        attr expires: Ttl;
        /// A completed run's result, as JSON.
        attr result: Option<String>;
    }
}

const IN_PROGRESS: &str = "in_progress";
const COMPLETED: &str = "completed";

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
    /// The result does not fit in a DynamoDB item; the record was removed.
    ResultTooLarge {
        /// Bytes the record would take at least.
        at_least: usize,
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
            IdempotencyError::ResultTooLarge { at_least } => write!(
                f,
                "the result takes at least {at_least} bytes in its record; DynamoDB stores at most {MAX_ITEM_BYTES}"
            ),
            IdempotencyError::StoredResult(_) => {
                f.write_str("a stored result does not read as the function's result type")
            }
            IdempotencyError::Store(e) => write!(f, "idempotency record: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for IdempotencyError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IdempotencyError::Function(e) => Some(e),
            IdempotencyError::StoredResult(e) => Some(e),
            IdempotencyError::Store(e) => Some(e),
            _ => None,
        }
    }
}

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
            until: Ttl::after(s.in_progress_for).map_err(store)?,
            expires: Ttl::after(s.keep_for.max(s.in_progress_for)).map_err(store)?,
            result: None,
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
            Ok(Written::ConditionFalse(failed)) => Some(failed.stored().clone()),
            // The claim's answer was lost and the record there is not the one written: another
            // run's, which says what happened as well as a refusal does (only this call could
            // complete or remove a claim of its own within its run time).
            Err(dynamodb::Error::OutcomeUnknown {
                stored: dynamodb::Stored::Item(item),
                ..
            }) => Some(item),
            // Nothing said what is stored: read it. The record written is this call's alone
            // (its times are this call's): found, the claim was applied.
            Err(e @ dynamodb::Error::OutcomeUnknown { .. }) => match s.table.get(id.as_str()).await
            {
                Ok(Some(stored)) if stored == record => None,
                Ok(Some(stored)) => Some(dynamodb::to_item(&stored).map_err(store)?),
                _ => return Err(IdempotencyError::Store(e)),
            },
            Ok(Written::NoItem) => {
                return Err(IdempotencyError::Store(dynamodb::Error::UnexpectedAnswer {
                    call: dynamodb::Call::new(dynamodb::Operation::PutItem, s.table.name()),
                    missing: "the record a refused claim found",
                }));
            }
            Err(e) => return Err(IdempotencyError::Store(e)),
        };
        if let Some(item) = held {
            let held: IdempotencyRecord =
                dynamodb::from_item(&item).map_err(|e| IdempotencyError::Store(e.into()))?;
            if held.hash != hash {
                return Err(IdempotencyError::PayloadMismatch { id });
            }
            return match (held.status.as_str(), held.result) {
                (COMPLETED, Some(result)) => {
                    serde_json::from_str(&result).map_err(IdempotencyError::StoredResult)
                }
                _ => Err(IdempotencyError::InProgress { id }),
            };
        }
        match f(input).await {
            Ok(result) => {
                let text =
                    serde_json::to_string(&result).map_err(IdempotencyError::StoredResult)?;
                let done = IdempotencyRecord {
                    status: COMPLETED.to_owned(),
                    result: Some(text),
                    expires: Ttl::after(s.keep_for).map_err(store)?,
                    ..record
                };
                let at_least =
                    dynamodb::item_size_at_least(&dynamodb::to_item(&done).map_err(store)?);
                if at_least > MAX_ITEM_BYTES {
                    self.release(&id, &hash).await;
                    return Err(IdempotencyError::ResultTooLarge { at_least });
                }
                self.complete(&done).await;
                Ok(result)
            }
            Err(e) => {
                self.release(&id, &hash).await;
                Err(IdempotencyError::Function(e))
            }
        }
    }

    /// Stores a completed run. A put of the same record is idempotent, so it is sent again
    /// when its outcome is unknown; if it never lands, the record stays in progress until its
    /// time passes, and a repeat meanwhile is told to wait (logged).
    async fn complete(&self, done: &IdempotencyRecord) {
        for attempt in 0..3 {
            match self.inner.table.put(done).await {
                Ok(()) => return,
                Err(e) => tracing::warn!(
                    record = %done.id,
                    attempt,
                    error = %crate::lambda::error_chain(&e),
                    "idempotency record not completed"
                ),
            }
        }
    }

    /// Removes this run's in-progress record, so a retry runs.
    async fn release(&self, id: &str, hash: &str) {
        let (in_progress, hash) = (IN_PROGRESS, hash.to_owned());
        let removed = self
            .inner
            .table
            .delete(id)
            .when(crate::cond!(status == in_progress && hash == hash))
            .await;
        if let Err(e) = removed {
            tracing::warn!(
                record = %id,
                error = %crate::lambda::error_chain(&e),
                "idempotency record not released; a retry waits until its run time passes"
            );
        }
    }
}

fn store<E>(e: awstin_core::Error) -> IdempotencyError<E> {
    IdempotencyError::Store(dynamodb::Error::Expression(e))
}

/// The record id of `key` for function `name`: a SHA-256, so that any key addresses its
/// record only, whatever its length or bytes.
fn record_id(name: &str, key: &str) -> String {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0]);
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
