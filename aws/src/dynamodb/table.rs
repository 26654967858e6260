//! `Table<M>`: single-item operations.

use std::marker::PhantomData;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::update_item::{UpdateItemError, UpdateItemOutput};
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
use awstin_core::{Condition, DecodeFrom, Encode, KeyOf, Model, TableModel, Update};

use super::attempts::{Attempts, record};
use super::codec::{AvRef, Item, from_item, items_equal};
use super::error::{self, Call, ConditionFailure, Error, Operation, Stored};
use super::expr::{Expressions, Render, Unset};
use super::key::key_item;
use super::size::item_to_write;
use super::versioned::unversioned;
use super::{DynamoDb, Query, Scan};

/// The table (or index) of model `M`.
///
/// Writes and reads by key need a table model ([`TableModel`]); index models are read with
/// [`query`](Table::query) and [`scan`](Table::scan), and writing through one does not
/// compile:
///
/// ```compile_fail,E0599
/// # awstin::dynamo_model! { pub struct ByGenre { index "by-genre" on "Movies"; key genre: String; key year: u32 } }
/// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
/// db.table::<ByGenre>().put(&ByGenre { genre: "Drama".into(), year: 1990 }).await?;
/// # Ok(()) }
/// ```
///
/// The same write through the table's model compiles:
///
/// ```no_run
/// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key genre: String; key year: u32 } }
/// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
/// db.table::<Movie>().put(&Movie { genre: "Drama".into(), year: 1990 }).await?;
/// # Ok(()) }
/// ```
pub struct Table<M> {
    pub(crate) db: DynamoDb,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Table<M> {
    fn clone(&self) -> Self {
        Table {
            db: self.db.clone(),
            _model: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Table<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("type", &std::any::type_name::<M>())
            .finish()
    }
}

impl<M: Model> Table<M> {
    pub(crate) fn new(db: DynamoDb) -> Self {
        Table {
            db,
            _model: PhantomData,
        }
    }

    /// The table's name.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32 } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) { assert_eq!(db.table::<Movie>().name(), "Movies"); }
    /// ```
    pub fn name(&self) -> &'static str {
        M::SOURCE.table()
    }

    /// The index name, for an index model.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct ByGenre { index "by-genre" on "Movies"; key genre: String } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) { assert_eq!(db.table::<ByGenre>().index(), Some("by-genre")); }
    /// ```
    pub fn index(&self) -> Option<&'static str> {
        M::SOURCE.index()
    }

    /// `operation` on this table (or index), for errors.
    pub(crate) fn call(&self, operation: Operation) -> Call {
        Call::new(operation, self.name()).on_index(self.index())
    }

    /// The client this table is reached through.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32 } }
    /// # fn f(movies: awstin::dynamodb::Table<Movie>) { let _sdk = movies.db().client(); }
    /// ```
    pub fn db(&self) -> &DynamoDb {
        &self.db
    }

    /// Starts a Query with a key condition; only valid key conditions of `M` compile.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// use futures::TryStreamExt;
    /// let (year, from, to) = (1992, "A", "L");
    /// let found: Vec<Movie> = movies.query(awstin::cond!(year == year && title between from..to)).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn query<K, C>(&self, key: K) -> Query<'_, M, K, Unset, Unset, C>
    where
        K: FnOnce(&'static M::Fields) -> C,
        C: awstin_core::KeyCondition<M>,
    {
        Query::new(self, key)
    }

    /// Starts a Scan.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// use futures::TryStreamExt;
    /// let (from, to) = (1950, 1959);
    /// let fifties: Vec<Movie> = movies.scan().filter(awstin::cond!(year between from..=to)).stream().try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn scan(&self) -> Scan<'_, M, Unset, Unset> {
        Scan::new(self)
    }
}

impl<M> Table<M>
where
    M: TableModel + Encode + for<'a> DecodeFrom<AvRef<'a>>,
{
    /// Reads the item with `key`: the partition key value, `(partition, sort)`, or
    /// [`Model::key`] of an item. `None` when there is none.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let movie: Option<Movie> = movies.get((2015, "The Big New Movie")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get<K: KeyOf<M>>(&self, key: K) -> Result<Option<M>, Error> {
        let key = key_item::<M, K>(&key)?;
        let out = self
            .db
            .client
            .get_item()
            .table_name(self.name())
            .set_key(Some(key))
            .send()
            .await
            .map_err(|e| error::from_sdk(self.call(Operation::GetItem), e))?;
        match out.item {
            Some(item) => Ok(Some(from_item(&item)?)),
            None => Ok(None),
        }
    }

    /// Writes `item`, replacing any item with the same key. A put is idempotent, so the
    /// client's retries cannot change its outcome; when every attempt failed and one may
    /// have reached DynamoDB, the error is [`Error::OutcomeUnknown`].
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// movies.put(&Movie { year: 2015, title: "The Big New Movie".into() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn put(&self, item: &M) -> Result<(), Error> {
        unversioned::<M>(self.call(Operation::PutItem))?;
        let request = self
            .db
            .client
            .put_item()
            .table_name(self.name())
            .set_item(Some(item_to_write(item)?));
        let (result, attempts) = record(request.send()).await;
        result.map_err(|e| self.write_failed(Operation::PutItem, &attempts, e))?;
        Ok(())
    }

    /// Writes `item` if `condition` holds; `false` when it did not (nothing written).
    ///
    /// Under retries the answer stays true: when an attempt that may have been applied is
    /// followed by one that finds the condition false, the item DynamoDB holds is compared
    /// with `item` (DynamoDB's `ReturnValuesOnConditionCheckFailure = ALL_OLD`, as AWS
    /// advises). Equal, the answer is `true`: `item` is stored as given (the only other
    /// history, another writer storing the same item in those milliseconds, leaves the same
    /// state). Otherwise the outcome is [`Error::OutcomeUnknown`], carrying the stored item.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, m: Movie) -> Result<(), awstin::dynamodb::Error> {
    /// let created = movies.put_if(&m, awstin::cond!(attribute_not_exists(year))).await?;
    /// # Ok(()) }
    /// ```
    pub async fn put_if<F, C>(&self, item: &M, condition: F) -> Result<bool, Error>
    where
        F: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        unversioned::<M>(self.call(Operation::PutItem))?;
        let condition = condition(M::FIELDS);
        let e = Render::collect(|r| r.condition(&condition))?;
        let written = item_to_write(item)?;
        let (result, attempts) = record(
            self.db
                .client
                .put_item()
                .table_name(self.name())
                .set_item(Some(written.clone()))
                .set_condition_expression(e.condition)
                .set_expression_attribute_names(e.names)
                .set_expression_attribute_values(e.values)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .send(),
        )
        .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if error::is_condition_failed(&e) => {
                match self.condition_failed(Operation::PutItem, &attempts, e) {
                    Ok(()) => Ok(false),
                    Err(Error::OutcomeUnknown {
                        stored: Stored::Item(now),
                        ..
                    }) if items_equal(&now, &written) => Ok(true),
                    Err(e) => Err(e),
                }
            }
            Err(e) => Err(self.write_failed(Operation::PutItem, &attempts, e)),
        }
    }

    /// Applies `update` to the item with `key` (creating it if missing, as DynamoDB does)
    /// and returns the item as it is afterwards.
    ///
    /// Like DynamoDB's UpdateItem under the SDK's retries, this is applied *at least once*:
    /// an attempt whose answer was lost may have been applied before the retry was. That
    /// is harmless for updates that set values or remove attributes; for ones that add to a
    /// number, a set or a list (`+=`, `add`, `list_append`), use
    /// [`update_once`](Table::update_once). When the update was applied but the item it left
    /// does not fit `M`, the error is [`Error::WrittenButUndecodable`].
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let rating = 7.5;
    /// let updated: Movie = movies.update((2015, "The Big New Movie"), awstin::update!(rating = rating)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update<K, F, U>(&self, key: K, update: F) -> Result<M, Error>
    where
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    {
        let update = update(M::FIELDS);
        let e = Render::collect(|r| r.update(&update))?;
        self.send_update(&key, e).await?.ok_or(Error::Unsupported {
            message: "DynamoDB returned no item for an unconditional update",
        })
    }

    /// Applies `update` if `condition` holds, and returns the item as it is afterwards;
    /// `None` when the condition failed (the item is unchanged).
    ///
    /// At least once, like [`update`](Table::update). When an attempt that may have been
    /// applied is followed by one that finds the condition false, whether this call's
    /// update was applied is not known from the answer: the error is
    /// [`Error::OutcomeUnknown`], carrying the stored item.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr actors: Vec<String> } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let actor_count = 3;
    /// let updated = movies
    ///     .update_if((2015, "The Big New Movie"), awstin::update!(remove(actors[0])), awstin::cond!(size(actors) >= actor_count))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_if<K, F, U, G, C>(
        &self,
        key: K,
        update: F,
        condition: G,
    ) -> Result<Option<M>, Error>
    where
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let update = update(M::FIELDS);
        let condition = condition(M::FIELDS);
        let e = Render::collect(|r| {
            r.update(&update)?;
            r.condition(&condition)
        })?;
        self.send_update(&key, e).await
    }

    async fn send_update<K: KeyOf<M>>(&self, key: &K, e: Expressions) -> Result<Option<M>, Error> {
        unversioned::<M>(self.call(Operation::UpdateItem))?;
        let (result, attempts) = self.update_item(key, e).await?;
        match result {
            Ok(out) => out.attributes.map(|item| self.updated(item)).transpose(),
            Err(e) if error::is_condition_failed(&e) => self
                .condition_failed(Operation::UpdateItem, &attempts, e)
                .map(|()| None),
            Err(e) => Err(self.write_failed(Operation::UpdateItem, &attempts, e)),
        }
    }

    /// Sends an UpdateItem of `e` to the item with `key`, asking for the item after it (and,
    /// with a condition, for the item a false condition found): the answer and the attempt
    /// log. Plain and versioned updates both send through it.
    pub(crate) async fn update_item<K: KeyOf<M>>(
        &self,
        key: &K,
        e: Expressions,
    ) -> Result<(UpdateAnswer, Attempts), Error> {
        let conditional = e.condition.is_some();
        let request = self
            .db
            .client
            .update_item()
            .table_name(self.name())
            .set_key(Some(key_item::<M, K>(key)?))
            .set_update_expression(e.update)
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .return_values(ReturnValue::AllNew)
            .set_return_values_on_condition_check_failure(
                conditional.then_some(ReturnValuesOnConditionCheckFailure::AllOld),
            );
        Ok(record(request.send()).await)
    }

    /// The item an applied update returned, as `M`; [`Error::WrittenButUndecodable`] when it
    /// does not fit (the update was applied all the same).
    pub(crate) fn updated(&self, item: Item) -> Result<M, Error> {
        from_item(&item).map_err(|source| Error::WrittenButUndecodable {
            call: self.call(Operation::UpdateItem),
            item,
            source: Box::new(source),
        })
    }

    /// Applies `update` to the item with `key` exactly once, however often the request is
    /// retried: it is sent as a one-member TransactWriteItems whose `ClientRequestToken` is
    /// `token`, and DynamoDB answers a repeat of a token it has applied (within ten minutes)
    /// with that first outcome instead of applying it again. Use it for updates that are not
    /// idempotent (`+=`, `add`, `list_append`); pass a token that names the logical operation
    /// (the id of the message or request being handled), and a repeated invocation of your
    /// handler is deduplicated too. A transaction costs twice the write capacity of an
    /// UpdateItem, and returns no item.
    ///
    /// `token` takes 1 to 36 characters ([`Error::InvalidToken`]). If every attempt failed,
    /// the error is [`Error::OutcomeUnknown`]: calling again with the same token settles it.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Counter { table "Counters"; key name: String; attr count: u64 } }
    /// # async fn f(counters: awstin::dynamodb::Table<Counter>, request_id: &str) -> Result<(), awstin::dynamodb::Error> {
    /// let one = 1;
    /// counters.update_once("visits", awstin::update!(count += one), request_id).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_once<K, F, U>(&self, key: K, update: F, token: &str) -> Result<(), Error>
    where
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    {
        self.db
            .transact_write()
            .token(token)
            .update::<M, K, F, U>(key, update)
            .send()
            .await
    }

    /// [`update_once`](Table::update_once) if `condition` holds: `true` when applied, `false`
    /// when the condition failed. The answer is exact under retries: a repeat of an applied
    /// token is answered as applied, never as a failed condition.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Counter { table "Counters"; key name: String; attr count: u64 } }
    /// # async fn f(counters: awstin::dynamodb::Table<Counter>, request_id: &str) -> Result<(), awstin::dynamodb::Error> {
    /// let (one, max) = (1, 100);
    /// let counted = counters
    ///     .update_once_if("visits", awstin::update!(count += one), awstin::cond!(count < max), request_id)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_once_if<K, F, U, G, C>(
        &self,
        key: K,
        update: F,
        condition: G,
        token: &str,
    ) -> Result<bool, Error>
    where
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let sent = self
            .db
            .transact_write()
            .token(token)
            .update_if::<M, K, F, U, G, C>(key, update, condition)
            .send()
            .await;
        match sent {
            Ok(()) => Ok(true),
            Err(Error::TransactionCanceled { reasons, .. })
                if reasons.len() == 1 && reasons[0].code == "ConditionalCheckFailed" =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Deletes the item with `key`; `true` when an item was deleted, `false` when there was
    /// none. When an attempt that may have been applied is followed by one that finds no
    /// item, which of the two is true is not known: [`Error::OutcomeUnknown`].
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let deleted = movies.delete((2015, "The Big New Movie")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete<K: KeyOf<M>>(&self, key: K) -> Result<bool, Error> {
        self.send_delete(&key, Expressions::default()).await
    }

    /// Deletes the item with `key` if `condition` holds; `true` when deleted, `false` when
    /// the condition failed (or there was no item). When an attempt that may have been
    /// applied is followed by one that finds the condition false, the error is
    /// [`Error::OutcomeUnknown`], carrying the stored item.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let rating = 5;
    /// let deleted = movies.delete_if((2015, "The Big New Movie"), awstin::cond!(rating <= rating)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_if<K, G, C>(&self, key: K, condition: G) -> Result<bool, Error>
    where
        K: KeyOf<M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let condition = condition(M::FIELDS);
        let e = Render::collect(|r| r.condition(&condition))?;
        self.send_delete(&key, e).await
    }

    /// Renders nothing itself: the expressions are finished before any await, so that no
    /// future holds the placeholder tables.
    async fn send_delete<K: KeyOf<M>>(&self, key: &K, e: Expressions) -> Result<bool, Error> {
        unversioned::<M>(self.call(Operation::DeleteItem))?;
        let conditional = e.condition.is_some();
        let (result, attempts) = record(
            self.db
                .client
                .delete_item()
                .table_name(self.name())
                .set_key(Some(key_item::<M, K>(key)?))
                .set_condition_expression(e.condition)
                .set_expression_attribute_names(e.names)
                .set_expression_attribute_values(e.values)
                .return_values(ReturnValue::AllOld)
                .set_return_values_on_condition_check_failure(
                    conditional.then_some(ReturnValuesOnConditionCheckFailure::AllOld),
                )
                .send(),
        )
        .await;
        match result {
            Ok(out) => {
                let deleted = out.attributes.is_some_and(|a| !a.is_empty());
                if !deleted && attempts.earlier_ambiguous() {
                    // The earlier attempt may have deleted what this one did not find.
                    return Err(Error::OutcomeUnknown {
                        call: self.call(Operation::DeleteItem),
                        stored: Stored::Absent,
                        source: Box::new(Error::Unsupported {
                            message: "a retried delete found no item",
                        }),
                    });
                }
                Ok(deleted)
            }
            Err(e) if error::is_condition_failed(&e) => self
                .condition_failed(Operation::DeleteItem, &attempts, e)
                .map(|()| false),
            Err(e) => Err(self.write_failed(Operation::DeleteItem, &attempts, e)),
        }
    }

    /// A write's condition was false. `Ok` when that is the fact: no earlier attempt may
    /// have been applied. Otherwise the false condition may be this call's own earlier
    /// write: [`Error::OutcomeUnknown`], with the item DynamoDB holds.
    fn condition_failed<E>(
        &self,
        operation: Operation,
        attempts: &Attempts,
        e: SdkError<E, HttpResponse>,
    ) -> Result<(), Error>
    where
        E: ConditionFailure + ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        if !attempts.earlier_ambiguous() {
            return Ok(());
        }
        let stored = match e.as_service_error().and_then(ConditionFailure::old_item) {
            Some(Some(item)) if !item.is_empty() => Stored::Item(item.clone()),
            Some(_) => Stored::Absent,
            None => Stored::NotRead,
        };
        let call = self.call(operation);
        Err(Error::OutcomeUnknown {
            call,
            stored,
            source: Box::new(error::from_sdk(call, e)),
        })
    }

    fn write_failed<E>(
        &self,
        operation: Operation,
        attempts: &Attempts,
        e: SdkError<E, HttpResponse>,
    ) -> Error
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let call = self.call(operation);
        error::write_failed(call, attempts, error::from_sdk(call, e))
    }
}

/// What an UpdateItem request was answered with.
pub(crate) type UpdateAnswer = Result<UpdateItemOutput, SdkError<UpdateItemError, HttpResponse>>;
