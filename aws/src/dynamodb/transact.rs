//! Transactions: several writes (or reads) applied all or none.

use std::future::IntoFuture;

use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{Get, TransactGetItem, TransactWriteItem};
use awstin_core::{DecodeFrom, KeyOf, Model, TableModel};

use super::attempts::record;
use super::codec::{AvRef, Item, from_item};
use super::error::{self, Call, Error, Operation, ServiceError, Stored};
use super::explain::Explain;
use super::key::{KeyOwned, first_duplicate, key_item};
use super::size::item_size;
use super::write::{self, Cond, Guard, Plan, Write, WriteFuture, WriteKind, conflict, kind};
use super::{DynamoDb, Table};

use awstin_core::limits::{MAX_TRANSACTION_BYTES, MAX_TRANSACTION_MEMBERS};

/// A TransactWriteItems request being built, from the same writes a table makes
/// ([`Table::put`], [`update`](Table::update), [`delete`](Table::delete), their versioned
/// forms, [`check`](Table::check)), each with its condition; awaited, `()`. Members are
/// numbered from 0 in the order added; a cancelled transaction reports the members that failed
/// by that number. A versioned member moves the caller's item to its next version when the
/// transaction is applied, as the single write does.
///
/// ```no_run
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// # async fn f(db: awstin::dynamodb::DynamoDb, m: Movie) -> Result<(), awstin::dynamodb::Error> {
/// let movies = db.table::<Movie>();
/// let (min, one) = (5, 1);
/// db.transact_write()
///     .write(movies.put(&m))
///     .write(movies.update((2015, "A"), awstin::update!(rating += one)).when(awstin::cond!(rating >= min)))
///     .write(movies.delete((1999, "B")))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until awaited"]
pub struct TransactWrite<'a> {
    db: DynamoDb,
    token: Option<String>,
    members: Vec<Plan<'a>>,
    /// Per member: its caller's condition, to name the clauses a cancellation found false.
    explains: Vec<Option<Explain<'a>>>,
    /// The table and key of each member.
    targets: Vec<Target>,
    /// What each applied member does to the caller's item (a version moved on).
    applied: Vec<Box<dyn FnOnce() + Send + 'a>>,
    error: Option<Error>,
}

impl std::fmt::Debug for TransactWrite<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransactWrite")
            .field("members", &self.members)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

/// A TransactGetItems request being built; awaited, the items read, in the order requested.
///
/// ```no_run
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
/// let movies = db.table::<Movie>();
/// let read = db.transact_get().get(&movies, (2015, "A")).await?;
/// let first: Option<Movie> = read.get(0)?;
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until awaited"]
#[derive(Debug)]
pub struct TransactGet {
    db: DynamoDb,
    /// The table of the first member, named by errors.
    table: Option<std::sync::Arc<str>>,
    items: Vec<TransactGetItem>,
    targets: Vec<Target>,
    error: Option<Error>,
}

impl DynamoDb {
    /// Starts a write transaction.
    ///
    /// ```no_run
    /// # fn f(db: awstin::dynamodb::DynamoDb) { let _t = db.transact_write(); }
    /// ```
    pub fn transact_write<'a>(&self) -> TransactWrite<'a> {
        TransactWrite {
            db: self.clone(),
            token: None,
            members: Vec::new(),
            explains: Vec::new(),
            targets: Vec::new(),
            applied: Vec::new(),
            error: None,
        }
    }

    /// Starts a read transaction.
    ///
    /// ```no_run
    /// # fn f(db: awstin::dynamodb::DynamoDb) { let _t = db.transact_get(); }
    /// ```
    pub fn transact_get(&self) -> TransactGet {
        TransactGet {
            db: self.clone(),
            table: None,
            items: Vec::new(),
            targets: Vec::new(),
            error: None,
        }
    }
}

/// The table and key a member acts on.
type Target = KeyOwned;

/// Checks a transaction's size, and that no two members act on one item.
fn check_members(targets: &[Target]) -> Result<(), Error> {
    if targets.is_empty() || targets.len() > MAX_TRANSACTION_MEMBERS {
        return Err(Error::TransactionMembers {
            members: targets.len(),
            max: MAX_TRANSACTION_MEMBERS,
        });
    }
    match first_duplicate(targets.iter().map(KeyOwned::view)) {
        Some((first, second)) => Err(Error::SameItemTwice { first, second }),
        None => Ok(()),
    }
}

/// A token for a transaction sent without one: 32 random hexadecimal digits, the same for
/// every retry of the request.
fn random_token() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// A write kind that can be a transaction member: all but an update with its own token (the
/// token is the transaction's) and a versioned update (a transaction returns no item, and a
/// versioned update makes the caller's item the one stored after it).
pub trait MemberKind<'a, M>: WriteKind<M> {
    /// What an applied member does to the caller's item.
    #[doc(hidden)]
    fn applied(after: Self::After) -> Option<Box<dyn FnOnce() + Send + 'a>>;
}

impl<'a, 'w, M> MemberKind<'a, M> for kind::Put<'w, M>
where
    kind::Put<'w, M>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        None
    }
}

impl<'a, 'w: 'a, M> MemberKind<'a, M> for kind::PutVersioned<'w, M>
where
    M: awstin_core::Versioned + Send + 'a,
    kind::PutVersioned<'w, M>: WriteKind<M, After = (&'w mut M, u64)>,
{
    fn applied((item, next): (&'w mut M, u64)) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        Some(Box::new(move || item.set_version(next)))
    }
}

impl<'a, M, K, F> MemberKind<'a, M> for kind::Update<K, F>
where
    kind::Update<K, F>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        None
    }
}

impl<'a, M, K> MemberKind<'a, M> for kind::Delete<K>
where
    kind::Delete<K>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        None
    }
}

impl<'a, 'w, M> MemberKind<'a, M> for kind::DeleteVersioned<'w, M>
where
    kind::DeleteVersioned<'w, M>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        None
    }
}

impl<'a, M, K> MemberKind<'a, M> for kind::Check<K>
where
    kind::Check<K>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Box<dyn FnOnce() + Send + 'a>> {
        None
    }
}

impl<'a> TransactWrite<'a> {
    /// Sets the idempotency token (`ClientRequestToken`, 1 to 36 bytes). DynamoDB answers
    /// a transaction whose token it applied in the last ten minutes with that first outcome,
    /// without applying it again, so a transaction sent again after a lost answer takes effect
    /// once. Without a token, one is made up per transaction, which covers the client's
    /// retries; naming the logical operation (the id of the message being handled) covers a
    /// repeated call too.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Counter { table "Counters"; key name: String; attr count: u64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb, message_id: &str) -> Result<(), awstin::dynamodb::Error> {
    /// let counters = db.table::<Counter>();
    /// let one = 1;
    /// db.transact_write()
    ///     .token(message_id)
    ///     .write(counters.update("orders", awstin::update!(count += one)))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn token(mut self, token: &str) -> Self {
        match write::checked_token(token) {
            Ok(()) => self.token = Some(token.to_owned()),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Adds `write` as the next member: a put, update, delete or check of a table, with its
    /// condition, or a versioned put or delete (which then requires its version, as alone).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb, mut a: Doc, mut b: Doc) -> Result<(), awstin::dynamodb::Error> {
    /// let docs = db.table::<Doc>();
    /// db.transact_write().write(docs.put_versioned(&mut a)).write(docs.put_versioned(&mut b)).await?;
    /// // a and b are at their next versions now
    /// # Ok(()) }
    /// ```
    pub fn write<'w, M, K, G>(mut self, write: Write<'w, M, K, G>) -> Self
    where
        M: Model,
        K: MemberKind<'a, M>,
        G: Guard<M>,
        Cond<G, M>: 'a,
    {
        let table = write.table_of().name().to_owned();
        match write.plan() {
            Ok((mut plan, after)) => {
                plan.call.operation = Operation::TransactWriteItems;
                self.targets.push(KeyOwned::of::<M>(&table, plan.key()));
                self.explains.push(plan.explain.take());
                self.members.push(plan);
                if let Some(applied) = K::applied(after) {
                    self.applied.push(applied);
                }
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Sends the transaction. A cancelled transaction is [`Error::TransactionCanceled`],
    /// naming each member that failed, or [`Error::Conflict`] when the only failures are
    /// versioned members that found another version. Retries carry the same token, so the
    /// answer is exact: a retry after an applied attempt is answered as applied. When every
    /// attempt failed and one may have been applied, the error is [`Error::OutcomeUnknown`];
    /// sending the same members with the same [`token`](TransactWrite::token) settles it.
    async fn send(self) -> Result<(), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        check_members(&self.targets)?;
        let at_least = self
            .members
            .iter()
            .filter_map(|plan| match &plan.action {
                write::Action::Put { item, .. } => Some(item_size(item)),
                _ => None,
            })
            .sum();
        if at_least > MAX_TRANSACTION_BYTES {
            return Err(Error::TransactionTooLarge {
                at_least,
                max: MAX_TRANSACTION_BYTES,
            });
        }
        let call = Call::new(
            Operation::TransactWriteItems,
            self.members[0].call.table.clone(),
        );
        let locks: Vec<Option<write::Lock>> = self.members.iter().map(|p| p.lock).collect();
        let items = self
            .members
            .into_iter()
            .map(write::member)
            .collect::<Result<Vec<TransactWriteItem>, Error>>()?;
        let (result, attempts) = record(
            self.db
                .client
                .transact_write_items()
                .set_transact_items(Some(items))
                .client_request_token(self.token.unwrap_or_else(random_token))
                .send(),
        )
        .await;
        match result {
            Ok(_) => {
                for applied in self.applied {
                    applied();
                }
                Ok(())
            }
            Err(e) => {
                if let Some(TransactWriteItemsError::TransactionCanceledException(tce)) =
                    e.as_service_error()
                {
                    let mut reasons = error::cancellations(tce.cancellation_reasons());
                    if let Some(e) = version_conflict(&call, &reasons, &locks, tce) {
                        return Err(e);
                    }
                    let mut explains = self.explains;
                    for reason in &mut reasons {
                        let explain = explains.get_mut(reason.index).and_then(Option::take);
                        if let (Some(explain), Some(stored)) = (explain, &reason.stored) {
                            reason.clauses = explain.on(stored);
                        }
                    }
                    return Err(Error::TransactionCanceled {
                        call,
                        reasons,
                        source: ServiceError::new(e),
                    });
                }
                Err(error::write_failed(
                    call.clone(),
                    &attempts,
                    error::from_sdk(call, e),
                ))
            }
        }
    }
}

impl<'a> IntoFuture for TransactWrite<'a> {
    type Output = Result<(), Error>;
    type IntoFuture = WriteFuture<'a, ()>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A cancelled transaction whose only failures are versioned members whose version no longer
/// holds is a conflict: the first such member's, with the item it found.
fn version_conflict(
    call: &Call,
    reasons: &[error::Cancellation],
    locks: &[Option<write::Lock>],
    e: &aws_sdk_dynamodb::types::error::TransactionCanceledException,
) -> Option<Error> {
    let found = |index: usize| match e.cancellation_reasons().get(index).and_then(|r| r.item()) {
        Some(item) if !item.is_empty() => Stored::Item(item.clone()),
        _ => Stored::Absent,
    };
    let conflicting = |r: &error::Cancellation| {
        r.code == "ConditionalCheckFailed"
            && locks
                .get(r.index)
                .copied()
                .flatten()
                .is_some_and(|lock| !lock.holds(&found(r.index)))
    };
    if reasons.is_empty() || !reasons.iter().all(conflicting) {
        return None;
    }
    let first = &reasons[0];
    let lock = locks.get(first.index).copied().flatten()?;
    Some(conflict(call.clone(), lock.read, found(first.index)))
}

/// The items a read transaction returned, in the order requested.
#[derive(Debug, Clone)]
pub struct TransactGetResult {
    items: Vec<Option<Item>>,
}

impl TransactGetResult {
    /// Member `index` read as model `M`; `None` when there was no item.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// let movies = db.table::<Movie>();
    /// let result = db.transact_get().get(&movies, (2015, "A")).await?;
    /// let first: Option<Movie> = result.get(0)?;
    /// # Ok(()) }
    /// ```
    pub fn get<M: for<'a> DecodeFrom<AvRef<'a>>>(&self, index: usize) -> Result<Option<M>, Error> {
        match self.items.get(index) {
            Some(Some(item)) => Ok(Some(from_item(item)?)),
            _ => Ok(None),
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when the transaction had no members.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl TransactGet {
    /// Reads the item with `key` of `table`.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # fn f(db: awstin::dynamodb::DynamoDb) {
    /// let movies = db.table::<Movie>();
    /// let _reads = db.transact_get().get(&movies, (2015, "A")).get(&movies, (2015, "B"));
    /// # }
    /// ```
    pub fn get<M: TableModel, K: KeyOf<M>>(mut self, table: &Table<M>, key: K) -> Self {
        let member = table.bound().cloned().and_then(|name| {
            let key = key_item::<M, K>(&key)?;
            error::built(
                table.call(Operation::TransactGetItems),
                Get::builder().table_name(&*name).set_key(Some(key)).build(),
            )
        });
        match member {
            Ok(get) => {
                self.table.get_or_insert_with(|| table.name().into());
                self.targets
                    .push(KeyOwned::of::<M>(get.table_name(), get.key()));
                self.items.push(TransactGetItem::builder().get(get).build());
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Sends the transaction.
    async fn send(self) -> Result<TransactGetResult, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        check_members(&self.targets)?;
        let out = self
            .db
            .client
            .transact_get_items()
            .set_transact_items(Some(self.items))
            .send()
            .await
            .map_err(|e| {
                let table = self.table.unwrap_or_else(|| "".into());
                error::from_sdk(Call::new(Operation::TransactGetItems, table), e)
            })?;
        let items = out
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.item.filter(|i| !i.is_empty()))
            .collect();
        Ok(TransactGetResult { items })
    }
}

impl IntoFuture for TransactGet {
    type Output = Result<TransactGetResult, Error>;
    type IntoFuture = WriteFuture<'static, TransactGetResult>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
