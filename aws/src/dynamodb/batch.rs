//! Batch reads and writes: split into DynamoDB's request sizes, sent concurrently within a
//! bound, and unprocessed items retried with bounded, jittered backoff. What is still
//! unprocessed after the retries is returned in the error, never dropped.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::{DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest};
use awstin_core::{DecodeFrom, Encode, KeyOf, TableModel};
use futures::stream::{self, StreamExt};

use super::codec::{AvRef, Item, first_duplicate, from_item, item_to_write, key_attributes};
use super::error::{self, Error};
use super::table::{Table, key_item};

/// Requests in one BatchWriteItem.
const WRITE_CHUNK: usize = 25;
/// Keys in one BatchGetItem.
const GET_CHUNK: usize = 100;

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
    /// A delay chosen uniformly in `0..=min(max, base × 2^retry)`.
    fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

impl<M> Table<M>
where
    M: TableModel + Encode + for<'a> DecodeFrom<AvRef<'a>>,
{
    /// Writes `items` with BatchWriteItem (default [`BatchOptions`]). Nothing is sent when an
    /// item is invalid or too large, or when two items have one key
    /// ([`Error::SameItemTwice`]: chunks run concurrently, so which would win is undefined).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, all: Vec<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// movies.batch_put(&all).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_put<'i>(&self, items: impl IntoIterator<Item = &'i M>) -> Result<(), Error>
    where
        M: 'i,
    {
        self.batch_put_with(items, BatchOptions::default()).await
    }

    /// [`batch_put`](Table::batch_put) with chosen options.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, all: Vec<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::BatchOptions;
    /// movies.batch_put_with(&all, BatchOptions { concurrency: 8, ..BatchOptions::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_put_with<'i>(
        &self,
        items: impl IntoIterator<Item = &'i M>,
        options: BatchOptions,
    ) -> Result<(), Error>
    where
        M: 'i,
    {
        let requests = items
            .into_iter()
            .map(|item| {
                let put = PutRequest::builder()
                    .set_item(Some(item_to_write(item)?))
                    .build()
                    .map_err(|e| Error::Service {
                        source: Box::new(e),
                    })?;
                Ok(WriteRequest::builder().put_request(put).build())
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.batch_write(requests, options).await
    }

    /// Deletes the items with `keys` with BatchWriteItem (default [`BatchOptions`]). Keys must
    /// be distinct ([`Error::SameItemTwice`] otherwise).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// movies.batch_delete([(2015, "A"), (2015, "B")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_delete<K: KeyOf<M>>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<(), Error> {
        let requests = keys
            .into_iter()
            .map(|key| {
                let delete = DeleteRequest::builder()
                    .set_key(Some(key_item::<M, K>(&key)?))
                    .build()
                    .map_err(|e| Error::Service {
                        source: Box::new(e),
                    })?;
                Ok(WriteRequest::builder().delete_request(delete).build())
            })
            .collect::<Result<Vec<_>, Error>>()?;
        self.batch_write(requests, BatchOptions::default()).await
    }

    async fn batch_write(
        &self,
        requests: Vec<WriteRequest>,
        options: BatchOptions,
    ) -> Result<(), Error> {
        let table = self.name();
        let keys: Vec<Item> = requests
            .iter()
            .map(|r| match (r.put_request(), r.delete_request()) {
                (Some(p), _) => key_attributes::<M>(p.item()),
                (_, Some(d)) => key_attributes::<M>(d.key()),
                _ => Item::new(),
            })
            .collect();
        if let Some((first, second)) = first_duplicate(keys.iter().map(|k| (table, k))) {
            return Err(Error::SameItemTwice { first, second });
        }
        let chunks: Vec<Vec<WriteRequest>> =
            requests.chunks(WRITE_CHUNK).map(<[_]>::to_vec).collect();
        let results: Vec<Result<(), Error>> = stream::iter(chunks)
            .map(|mut pending| async move {
                for attempt in 0..options.max_attempts {
                    if attempt > 0 {
                        tokio::time::sleep(options.backoff(attempt - 1)).await;
                    }
                    let out = self
                        .db
                        .client
                        .batch_write_item()
                        .request_items(table, pending.clone())
                        .send()
                        .await
                        .map_err(error::from_sdk)?;
                    pending = out
                        .unprocessed_items
                        .and_then(|mut u| u.remove(table))
                        .unwrap_or_default();
                    if pending.is_empty() {
                        return Ok(());
                    }
                    tracing::debug!(
                        table,
                        unprocessed = pending.len(),
                        attempt,
                        "retrying unprocessed batch writes"
                    );
                }
                Err(Error::UnprocessedWrites { requests: pending })
            })
            .buffer_unordered(options.concurrency.max(1))
            .collect()
            .await;
        let mut unprocessed = Vec::new();
        for result in results {
            match result {
                Ok(()) => {}
                Err(Error::UnprocessedWrites { requests }) => unprocessed.extend(requests),
                Err(other) => return Err(other),
            }
        }
        if unprocessed.is_empty() {
            Ok(())
        } else {
            Err(Error::UnprocessedWrites {
                requests: unprocessed,
            })
        }
    }

    /// Reads the items with `keys` with BatchGetItem; missing items are left out and the
    /// order is not kept. Keys must be distinct ([`Error::SameItemTwice`] otherwise).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let found: Vec<Movie> = movies.batch_get([(2015, "A"), (2015, "B")]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_get<K: KeyOf<M>>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Result<Vec<M>, Error> {
        self.batch_get_with(keys, BatchOptions::default()).await
    }

    /// [`batch_get`](Table::batch_get) with chosen options.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::BatchOptions;
    /// let found = movies.batch_get_with([(2015, "A")], BatchOptions { max_attempts: 3, ..BatchOptions::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_get_with<K: KeyOf<M>>(
        &self,
        keys: impl IntoIterator<Item = K>,
        options: BatchOptions,
    ) -> Result<Vec<M>, Error> {
        let table = self.name();
        let keys = keys
            .into_iter()
            .map(|k| key_item::<M, K>(&k))
            .collect::<Result<Vec<Item>, Error>>()?;
        if let Some((first, second)) = first_duplicate(keys.iter().map(|k| (table, k))) {
            return Err(Error::SameItemTwice { first, second });
        }
        let chunks: Vec<Vec<Item>> = keys.chunks(GET_CHUNK).map(<[_]>::to_vec).collect();
        let results: Vec<Result<Vec<Item>, Error>> = stream::iter(chunks)
            .map(|chunk| async move {
                let mut found = Vec::new();
                let mut pending = Some(
                    KeysAndAttributes::builder()
                        .set_keys(Some(chunk))
                        .build()
                        .map_err(|e| Error::Service {
                            source: Box::new(e),
                        })?,
                );
                for attempt in 0..options.max_attempts {
                    let Some(request) = pending.take() else {
                        return Ok(found);
                    };
                    if attempt > 0 {
                        tokio::time::sleep(options.backoff(attempt - 1)).await;
                    }
                    let out = self
                        .db
                        .client
                        .batch_get_item()
                        .request_items(table, request)
                        .send()
                        .await
                        .map_err(error::from_sdk)?;
                    found.extend(
                        out.responses
                            .and_then(|mut r| r.remove(table))
                            .unwrap_or_default(),
                    );
                    pending = out
                        .unprocessed_keys
                        .and_then(|mut u| u.remove(table))
                        .filter(|k| !k.keys().is_empty());
                }
                match pending {
                    None => Ok(found),
                    Some(keys) => Err(Error::UnprocessedReads {
                        keys: HashMap::from([(table.to_owned(), keys)]),
                    }),
                }
            })
            .buffer_unordered(options.concurrency)
            .collect()
            .await;
        let mut found = Vec::new();
        let mut unprocessed: Vec<Item> = Vec::new();
        for result in results {
            match result {
                Ok(items) => found.extend(items),
                Err(Error::UnprocessedReads { mut keys }) => {
                    unprocessed.extend(
                        keys.remove(table)
                            .map(|k| k.keys().to_vec())
                            .unwrap_or_default(),
                    );
                }
                Err(other) => return Err(other),
            }
        }
        if !unprocessed.is_empty() {
            let keys = KeysAndAttributes::builder()
                .set_keys(Some(unprocessed))
                .build()
                .map_err(|e| Error::Service {
                    source: Box::new(e),
                })?;
            return Err(Error::UnprocessedReads {
                keys: HashMap::from([(table.to_owned(), keys)]),
            });
        }
        found
            .iter()
            .map(|item| from_item(item).map_err(Error::from))
            .collect()
    }
}
