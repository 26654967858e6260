//! Batch reads and writes: split into DynamoDB's request sizes, sent concurrently within a
//! bound, and unprocessed items retried with bounded, jittered backoff.
//!
//! Every request is accounted for. A write batch either applied everything, or its error
//! holds each request not applied for certain and, apart, each whose outcome is unknown (an
//! attempt carrying it got no answer, and no later attempt applied it): the rule of a single
//! write. A read batch either read every key, or its error holds the items read and the keys
//! not read.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use std::future::IntoFuture;

use aws_sdk_dynamodb::types::{KeysAndAttributes, WriteRequest};
use awstin_core::op;
use awstin_core::{DecodeFrom, KeyOf, TableModel};
use futures::stream::{self, StreamExt};

use super::attempts::record;
use super::codec::{AvRef, Item, from_item, to_item};
use super::error::{self, Call, Error, Operation};
use super::key::{key_attributes, key_text};
use super::table::Table;
use super::write::Boxed;

use awstin_core::limits::{
    MAX_BATCH_GET_KEYS as GET_CHUNK, MAX_BATCH_WRITE_REQUESTS as WRITE_CHUNK,
};

/// How batches are sent and retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    /// Requests in flight at once (default 4).
    pub concurrency: usize,
    /// Attempts per chunk, the first included (default 8).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubled each time, with full jitter (default 25 ms).
    pub base_delay: Duration,
    /// Longest backoff (default 2 s).
    pub max_delay: Duration,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            concurrency: 4,
            max_attempts: 8,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl BatchOptions {
    /// Refuses options that would never send anything.
    fn check(&self) -> Result<(), Error> {
        if self.concurrency == 0 {
            return Err(Error::from(awstin_core::Error::InvalidOption {
                option: "BatchOptions::concurrency",
                value: 0,
                allowed: "1 or more requests in flight",
            }));
        }
        if self.max_attempts == 0 {
            return Err(Error::from(awstin_core::Error::InvalidOption {
                option: "BatchOptions::max_attempts",
                value: 0,
                allowed: "1 or more attempts",
            }));
        }
        Ok(())
    }

    /// Waits out the backoff before `attempt` of a chunk with `left` requests or keys (none
    /// before the first); `false` when the attempt is not to be made: nothing is left, or
    /// the batch was stopped.
    async fn before_attempt(&self, attempt: u32, left: usize, stop: &AtomicBool) -> bool {
        if left == 0 || stop.load(Ordering::Relaxed) {
            return false;
        }
        if attempt > 0 {
            tokio::time::sleep(self.backoff(attempt - 1)).await;
        }
        true
    }

    /// A delay chosen uniformly in `0..=min(max, base × 2^retry)`.
    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// How one chunk of a batch ended.
struct ChunkEnd<T> {
    /// What is left: requests not confirmed applied, or keys not read.
    left: Vec<T>,
    /// Items read (reads only).
    found: Vec<Item>,
    /// Whether an attempt carrying `left` got no definite answer, so that they may have
    /// been applied (writes only).
    maybe_applied: bool,
    /// The failure of the last attempt, if it failed.
    cause: Option<Error>,
}

impl<T> ChunkEnd<T> {
    fn new(left: Vec<T>) -> Self {
        ChunkEnd {
            left,
            found: Vec::new(),
            maybe_applied: false,
            cause: None,
        }
    }

    /// Records a failed attempt; one that retrying cannot mend stops every chunk.
    fn failed(&mut self, e: Error, stop: &AtomicBool) {
        if !e.is_retryable() {
            stop.store(true, Ordering::Relaxed);
        }
        self.cause = Some(e);
    }
}

/// Keeps the failure that says most: one that stopped the batch over a passing one.
fn keep_cause(kept: &mut Option<Error>, new: Option<Error>) {
    match (&kept, new) {
        (None, new) => *kept = new,
        (Some(k), Some(n)) if k.is_retryable() && !n.is_retryable() => *kept = Some(n),
        _ => {}
    }
}

/// The requests of one chunk not yet applied: their positions in the batch, and the requests
/// themselves while held (an attempt that failed took them along).
struct Pending {
    positions: Positions,
    /// Empty, or one request per position, in the same order.
    requests: Vec<WriteRequest>,
}

impl Pending {
    /// The requests, to send or to report; made again with `build` when not held.
    fn take<B>(&mut self, build: &B) -> Result<Vec<WriteRequest>, Error>
    where
        B: Fn(usize) -> Result<WriteRequest, Error>,
    {
        if self.requests.len() == self.positions.len() {
            return Ok(std::mem::take(&mut self.requests));
        }
        self.positions.iter().map(build).collect()
    }

    /// Keeps what DynamoDB returned unprocessed, finding each request's position by its key
    /// (a request it cannot place keeps the whole chunk pending, made again next time:
    /// writing an item or deleting a key twice leaves the same table).
    fn unprocessed<M, B>(&mut self, unprocessed: Vec<WriteRequest>, build: &B)
    where
        M: TableModel,
        B: Fn(usize) -> Result<WriteRequest, Error>,
    {
        if unprocessed.is_empty() {
            self.positions = Positions::Listed(Vec::new());
            self.requests = unprocessed;
            return;
        }
        let by_key: HashMap<String, usize> = self
            .positions
            .iter()
            .filter_map(|i| Some((key_text(&write_key::<M>(&build(i).ok()?)), i)))
            .collect();
        let positions: Option<Vec<usize>> = unprocessed
            .iter()
            .map(|r| by_key.get(&key_text(&write_key::<M>(r))).copied())
            .collect();
        match positions {
            Some(positions) => {
                self.positions = Positions::Listed(positions);
                self.requests = unprocessed;
            }
            None => self.requests.clear(),
        }
    }
}

/// Positions in a batch: a chunk's run of them as first sent, or those left after
/// DynamoDB returned some unprocessed.
enum Positions {
    Run(std::ops::Range<usize>),
    Listed(Vec<usize>),
}

impl Positions {
    fn len(&self) -> usize {
        match self {
            Positions::Run(run) => run.len(),
            Positions::Listed(list) => list.len(),
        }
    }
    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (run, list) = match self {
            Positions::Run(run) => (run.clone(), &[][..]),
            Positions::Listed(list) => (0..0, &list[..]),
        };
        run.chain(list.iter().copied())
    }
}

/// The key attributes a write request acts on.
fn write_key<M: TableModel>(request: &WriteRequest) -> Item {
    match (request.put_request(), request.delete_request()) {
        (Some(p), _) => key_attributes::<M>(p.item()),
        (_, Some(d)) => key_attributes::<M>(d.key()),
        _ => Item::new(),
    }
}

/// A request of a batch write: a put or a delete of a table without a condition (a batch
/// takes none), as the table's own [`put`](Table::put) and [`delete`](Table::delete) make
/// it. A batch holds requests of one kind: puts, or deletes with one key type. Each request
/// is described again (by the core, with its checks) from the item or key it borrows when an
/// attempt that carried it failed, so a batch keeps no copy of what it sends.
pub trait BatchItem<'t, M>: sealed::BatchItem {
    /// The table that made the request.
    #[doc(hidden)]
    fn table(&self) -> &'t Table<M>;
    /// The key of the item it acts on.
    #[doc(hidden)]
    fn key(&self) -> op::Key<'_>;
    /// The request, described anew and written for the SDK.
    #[doc(hidden)]
    fn request(&self, table: &str, call: &Call) -> Result<WriteRequest, Error>;
}

pub(crate) mod sealed {
    pub trait BatchItem {}
}

impl<M, K> sealed::BatchItem for super::Write<'_, M, K, super::builders::Unset> {}

/// A BatchWriteItem of puts or deletes of one table, split into DynamoDB's request sizes and
/// sent concurrently within a bound ([`BatchOptions`]); awaited, `()` when every request was
/// applied. Made by [`Table::batch_write`].
#[must_use = "a batch does nothing until awaited"]
#[derive(Debug)]
pub struct BatchWrite<'t, M, R> {
    table: &'t Table<M>,
    requests: Vec<R>,
    options: BatchOptions,
}

impl<M, R> BatchWrite<'_, M, R> {
    /// Sends with `options` instead of the default ones.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, all: Vec<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::BatchOptions;
    /// movies
    ///     .batch_write(all.iter().map(|m| movies.put(m)))
    ///     .options(BatchOptions { concurrency: 8, ..BatchOptions::default() })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn options(mut self, options: BatchOptions) -> Self {
        self.options = options;
        self
    }
}

impl<'t, M, R> IntoFuture for BatchWrite<'t, M, R>
where
    M: TableModel + Sync + for<'a> DecodeFrom<AvRef<'a>>,
    R: BatchItem<'t, M> + Send + Sync + 't,
{
    type Output = Result<(), Error>;
    type IntoFuture = Boxed<'t, ()>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let BatchWrite {
                table,
                requests,
                options,
            } = self;
            if let Some(position) = requests
                .iter()
                .position(|r| r.table().name() != table.name())
            {
                return Err(Error::from(awstin_core::Error::InvalidOption {
                    option: "Table::batch_write",
                    value: position as u64,
                    allowed: "requests made by the batch's own table",
                }));
            }
            let name = table.bound()?.clone();
            let call = table.call(Operation::BatchWriteItem);
            // Each request checked in order, then against those before it: two requests of
            // one item (chunks run concurrently, so which would win is undefined, and
            // DynamoDB refuses the two in one chunk) are refused at the second.
            let mut items = op::Distinct::with_capacity(requests.len());
            let build = |i: usize| requests[i].request(&name, &call);
            let sent = requests
                .iter()
                .enumerate()
                .map(|(i, request)| {
                    let built = build(i)?;
                    items.add(&name, &request.key())?;
                    Ok(built)
                })
                .collect::<Result<Vec<_>, Error>>()?;
            table.batch_write_requests(sent, &build, options).await
        })
    }
}

/// A BatchGetItem of keys of one table; awaited, the items found (missing ones left out, the
/// order not kept). Made by [`Table::batch_get`].
#[must_use = "a batch does nothing until awaited"]
#[derive(Debug)]
pub struct BatchGet<'t, M> {
    table: &'t Table<M>,
    keys: Result<Vec<Item>, Error>,
    options: BatchOptions,
}

impl<M> BatchGet<'_, M> {
    /// Reads with `options` instead of the default ones.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::BatchOptions;
    /// let found = movies.batch_get([(2015, "A")]).options(BatchOptions { max_attempts: 3, ..BatchOptions::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub fn options(mut self, options: BatchOptions) -> Self {
        self.options = options;
        self
    }
}

impl<'t, M> IntoFuture for BatchGet<'t, M>
where
    M: TableModel + Send + for<'a> DecodeFrom<AvRef<'a>>,
{
    type Output = Result<Vec<M>, Error>;
    type IntoFuture = Boxed<'t, Vec<M>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.table.batch_read(self.keys?, self.options).await })
    }
}

impl<M> Table<M>
where
    M: TableModel + for<'a> DecodeFrom<AvRef<'a>>,
{
    /// A batch write of `requests`, puts or deletes of this table made by its own
    /// [`put`](Table::put) and [`delete`](Table::delete) (without a condition: a batch takes
    /// none; one kind of request per batch). Nothing is sent when an item is invalid or too large, or when two requests act
    /// on one item ([`Refusal::SameItemTwice`](crate::dynamodb::Refusal::SameItemTwice): chunks run concurrently, so which would win is
    /// undefined). Every request is accounted for: the batch applied all of them, or its error
    /// ([`Error::UnprocessedWrites`]) holds each request not applied for certain.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, all: Vec<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// movies.batch_write(all.iter().map(|m| movies.put(m))).await?;
    /// movies.batch_write([movies.delete((2015, "A")), movies.delete((2015, "B"))]).await?;
    /// # Ok(()) }
    /// ```
    pub fn batch_write<'t, R>(
        &'t self,
        requests: impl IntoIterator<Item = R>,
    ) -> BatchWrite<'t, M, R>
    where
        R: BatchItem<'t, M>,
    {
        BatchWrite {
            table: self,
            requests: requests.into_iter().collect(),
            options: BatchOptions::default(),
        }
    }

    /// A batch read of the items with `keys`; missing items are left out and the order is not
    /// kept. Keys must be distinct ([`Refusal::SameItemTwice`](crate::dynamodb::Refusal::SameItemTwice) otherwise). When some keys could
    /// not be read, the error ([`Error::UnprocessedReads`]) holds them and the items that were
    /// read.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let found: Vec<Movie> = movies.batch_get([(2015, "A"), (2015, "B")]).await?;
    /// # Ok(()) }
    /// ```
    pub fn batch_get<K: KeyOf<M>>(&self, keys: impl IntoIterator<Item = K>) -> BatchGet<'_, M> {
        BatchGet {
            table: self,
            keys: self.bound().cloned().and_then(|name| {
                let mut items = op::Distinct::default();
                keys.into_iter()
                    .map(|k| {
                        let key = op::Key::of::<M, K>(&k);
                        key.check()?;
                        items.add(&name, &key)?;
                        Ok(to_item(&key)?)
                    })
                    .collect()
            }),
            options: BatchOptions::default(),
        }
    }

    /// Sends `requests` in chunks, and accounts for each: on success all were applied; on
    /// error, each request not applied for certain is in the error.
    ///
    /// Requests are moved into the attempt that sends them, never copied. After an attempt
    /// that failed (and so took its requests along), they are made again with `build` from
    /// the items or keys given, which encode the same way each time.
    async fn batch_write_requests<B>(
        &self,
        requests: Vec<WriteRequest>,
        build: &B,
        options: BatchOptions,
    ) -> Result<(), Error>
    where
        B: Fn(usize) -> Result<WriteRequest, Error>,
    {
        options.check()?;
        let table = &**self.bound()?;
        let stop = AtomicBool::new(false);
        let mut chunks = Vec::with_capacity(requests.len().div_ceil(WRITE_CHUNK));
        let mut requests = requests.into_iter();
        let mut next = 0;
        loop {
            let chunk: Vec<WriteRequest> = requests.by_ref().take(WRITE_CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            let len = chunk.len();
            chunks.push(Pending {
                positions: Positions::Run(next..next + len),
                requests: chunk,
            });
            next += len;
        }
        let mut not_applied = Vec::new();
        let mut unknown = Vec::new();
        let mut cause = None;
        let mut ends = stream::iter(chunks)
            .map(|chunk| self.write_chunk(chunk, build, options, &stop))
            .buffer_unordered(options.concurrency);
        while let Some(end) = ends.next().await {
            // A request left after its attempts is settled by the rule of single writes: unknown
            // when an attempt that carried it got no answer (reading it back would not settle
            // it: an item equal to the request's may be another writer's), else not applied.
            let attempts = op::Attempts {
                any_unanswered: end.maybe_applied,
                ..op::Attempts::default()
            };
            match op::unconfirmed(attempts) {
                op::Unconfirmed::Unknown => unknown.extend(end.left),
                op::Unconfirmed::NotApplied => not_applied.extend(end.left),
            }
            keep_cause(&mut cause, end.cause);
        }
        drop(ends);
        if not_applied.is_empty() && unknown.is_empty() {
            return Ok(());
        }
        Err(Error::UnprocessedWrites {
            call: Call::new(Operation::BatchWriteItem, table),
            requests: not_applied,
            unknown,
            cause: cause.map(Box::new),
        })
    }

    /// Sends one chunk until DynamoDB has applied all of it, the attempts run out, a failure
    /// that retrying cannot mend stops it (and every chunk after it), or another chunk did.
    async fn write_chunk<B>(
        &self,
        mut chunk: Pending,
        build: &B,
        options: BatchOptions,
        stop: &AtomicBool,
    ) -> ChunkEnd<WriteRequest>
    where
        B: Fn(usize) -> Result<WriteRequest, Error>,
    {
        let table = self.name();
        let mut end = ChunkEnd::new(Vec::new());
        for attempt in 0..options.max_attempts {
            if !options
                .before_attempt(attempt, chunk.positions.len(), stop)
                .await
            {
                break;
            }
            let requests = match chunk.take(build) {
                Ok(requests) => requests,
                Err(e) => {
                    end.failed(e, stop);
                    break;
                }
            };
            let (result, attempts) = record(
                self.db
                    .client
                    .batch_write_item()
                    .request_items(table, requests)
                    .send(),
            )
            .await;
            // Requests sent without a definite answer may have been applied (also when
            // the client's retry then answered); once they may have been, a later
            // "unprocessed" does not undo that.
            end.maybe_applied |= attempts.any_ambiguous();
            match result {
                Ok(out) => {
                    end.cause = None;
                    let unprocessed = out
                        .unprocessed_items
                        .and_then(|mut u| u.remove(table))
                        .unwrap_or_default();
                    if !unprocessed.is_empty() {
                        tracing::debug!(
                            table,
                            unprocessed = unprocessed.len(),
                            attempt,
                            "retrying unprocessed batch writes"
                        );
                    }
                    chunk.unprocessed::<M, B>(unprocessed, build);
                }
                Err(e) => end.failed(
                    error::from_sdk(self.call(Operation::BatchWriteItem), e),
                    stop,
                ),
            }
        }
        match chunk.take(build) {
            Ok(left) => end.left = left,
            Err(e) => end.failed(e, stop),
        }
        end
    }

    /// Reads `keys` in chunks of 100; what could not be read is left over, never dropped.
    async fn read_keys(&self, keys: Vec<Item>, options: BatchOptions) -> ChunkEnd<Item> {
        let stop = AtomicBool::new(false);
        let chunks: Vec<Vec<Item>> = keys.chunks(GET_CHUNK).map(<[_]>::to_vec).collect();
        let ends: Vec<ChunkEnd<Item>> = stream::iter(chunks)
            .map(|chunk| self.read_chunk(chunk, options, &stop))
            .buffer_unordered(options.concurrency)
            .collect()
            .await;
        let mut all = ChunkEnd::new(Vec::new());
        for end in ends {
            all.left.extend(end.left);
            all.found.extend(end.found);
            keep_cause(&mut all.cause, end.cause);
        }
        all
    }

    async fn read_chunk(
        &self,
        chunk: Vec<Item>,
        options: BatchOptions,
        stop: &AtomicBool,
    ) -> ChunkEnd<Item> {
        let table = self.name();
        let mut end = ChunkEnd::new(chunk);
        for attempt in 0..options.max_attempts {
            if !options.before_attempt(attempt, end.left.len(), stop).await {
                break;
            }
            let request = KeysAndAttributes::builder()
                .set_keys(Some(end.left.clone()))
                .build();
            let request = match error::built(self.call(Operation::BatchGetItem), request) {
                Ok(request) => request,
                Err(e) => {
                    end.failed(e, stop);
                    break;
                }
            };
            let result = self
                .db
                .client
                .batch_get_item()
                .request_items(table, request)
                .send()
                .await;
            match result {
                Ok(out) => {
                    end.cause = None;
                    end.found.extend(
                        out.responses
                            .and_then(|mut r| r.remove(table))
                            .unwrap_or_default(),
                    );
                    end.left = out
                        .unprocessed_keys
                        .and_then(|mut u| u.remove(table))
                        .map(|k| k.keys)
                        .unwrap_or_default();
                }
                Err(e) => end.failed(error::from_sdk(self.call(Operation::BatchGetItem), e), stop),
            }
        }
        end
    }

    /// Reads `keys` (distinct), accounting for each.
    async fn batch_read(&self, keys: Vec<Item>, options: BatchOptions) -> Result<Vec<M>, Error> {
        options.check()?;
        let table = &**self.bound()?;
        let read = self.read_keys(keys, options).await;
        if !read.left.is_empty() {
            let keys = error::built(
                self.call(Operation::BatchGetItem),
                KeysAndAttributes::builder()
                    .set_keys(Some(read.left))
                    .build(),
            )?;
            return Err(Error::UnprocessedReads {
                keys: HashMap::from([(table.to_owned(), keys)]),
                read: read.found,
                cause: read.cause.map(Box::new),
            });
        }
        read.found
            .iter()
            .map(|item| from_item(item).map_err(Error::from))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamodb::ServiceError;

    /// The delay before retry `n` is drawn from `0..=min(max, base × 2^n)`: it grows with
    /// the retries and never passes its ceiling.
    #[test]
    fn backoff_doubles_to_its_ceiling() {
        let options = BatchOptions {
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(1),
            ..BatchOptions::default()
        };
        for (retry, ceiling) in [(0, 10), (3, 80), (20, 1000)] {
            let ceiling = Duration::from_millis(ceiling);
            let drawn: Vec<Duration> = (0..400).map(|_| options.backoff(retry)).collect();
            assert!(drawn.iter().all(|d| *d <= ceiling), "retry {retry}");
            // 400 uniform draws all in the lower half: a chance of 2^-400.
            assert!(
                drawn.iter().any(|d| *d > ceiling / 2),
                "retry {retry}: {drawn:?}"
            );
        }
    }

    fn error(retryable: bool) -> Error {
        let call = Call::new(Operation::BatchWriteItem, "T");
        let source = ServiceError::uncoded(std::io::Error::other("an answer"));
        if retryable {
            Error::Unavailable { call, source }
        } else {
            Error::Validation {
                call,
                message: "refused".into(),
                source,
            }
        }
    }

    /// The failure kept is the first, unless a later one stopped the batch where the first
    /// would have passed (a retryable failure gives way to one that is not).
    #[test]
    fn the_cause_kept_is_the_first_unless_a_later_one_says_more() {
        let mut kept = None;
        keep_cause(&mut kept, None);
        assert!(kept.is_none());
        keep_cause(&mut kept, Some(error(true)));
        assert!(matches!(kept, Some(Error::Unavailable { .. })));
        // Another retryable one does not replace it.
        let timeout = Error::Timeout {
            call: Call::new(Operation::BatchWriteItem, "T"),
            source: ServiceError::uncoded(std::io::Error::other("late")),
        };
        assert!(timeout.is_retryable());
        keep_cause(&mut kept, Some(timeout));
        keep_cause(&mut kept, None);
        assert!(matches!(kept, Some(Error::Unavailable { .. })));
        // One that is not retryable does.
        keep_cause(&mut kept, Some(error(false)));
        assert!(matches!(kept, Some(Error::Validation { .. })));
        // And stays, whatever follows.
        keep_cause(&mut kept, Some(error(true)));
        keep_cause(&mut kept, Some(error(false)));
        assert!(matches!(kept, Some(Error::Validation { .. })));
    }
}
