//! Transactions: several writes (or reads) applied all or none.

use std::future::IntoFuture;

use aws_sdk_dynamodb::types::{Get, TransactGetItem, TransactWriteItem};
use awstin_core::op;
use awstin_core::{DecodeFrom, KeyOf, Model, TableModel};

use super::attempts::record;
use super::backend;
use super::builders::{Cond, Guard};
use super::codec::SdkItems;
use super::codec::{AvRef, Item, from_item, to_item};
use super::error::{self, Call, Error, Operation, ServiceError};
use super::explain::Explain;
use super::write::{Boxed, How, Plan, Write, WriteKind};
use super::{DynamoDb, Table};

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
    /// The checks of the members as a whole, the core's.
    check: op::Transaction,
    /// What each applied member does to the caller's item (a version moved on).
    applied: Vec<Applied<'a>>,
    error: Option<Error>,
}

/// What an applied member does to the caller's item.
pub(crate) type Applied<'a> = Box<dyn FnOnce() + Send + 'a>;

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
    check: op::Transaction,
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
            check: op::Transaction::default(),
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
            check: op::Transaction::default(),
            error: None,
        }
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
    fn applied(after: Self::After) -> Option<Applied<'a>>;
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
        match awstin_core::op::check_token(token) {
            Ok(token) => self.token = Some(token.to_owned()),
            Err(e) => {
                self.error.get_or_insert(e.into());
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
        let planned = write
            .plan(How {
                token: None,
                member: true,
            })
            .and_then(|(mut plan, after)| {
                self.check.add_member(
                    plan.write.identity.as_deref().unwrap_or_default(),
                    plan.write.size,
                )?;
                plan.call.operation = Operation::TransactWriteItems;
                Ok((plan, after))
            });
        match planned {
            Ok((mut plan, after)) => {
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
        self.check.check()?;
        let call = Call::new(
            Operation::TransactWriteItems,
            self.members[0].call.table.clone(),
        );
        let locks: Vec<Option<op::Lock>> = self.members.iter().map(|p| p.lock).collect();
        let items = self
            .members
            .into_iter()
            .map(|plan| backend::member(plan.write, &plan.call))
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
                if let Some(reply) = error::heard(&e).reply() {
                    let source = Some(ServiceError::new(e));
                    let unsettled = match op::settle_members(reply, &locks, &SdkItems) {
                        Err(unsettled) => unsettled,
                        Ok(()) => {
                            op::Unsettled::Unexpected("the reasons of a cancelled transaction")
                        }
                    };
                    let mut failed = error::unsettled(call, unsettled, source);
                    if let Error::TransactionCanceled { reasons, .. } = &mut failed {
                        let mut explains = self.explains;
                        for reason in reasons {
                            let explain = explains.get_mut(reason.index).and_then(Option::take);
                            if let (Some(explain), Some(stored)) = (explain, &reason.stored) {
                                reason.clauses = explain.on(stored);
                            }
                        }
                    }
                    return Err(failed);
                }
                let doubt = op::Attempts {
                    earlier_unanswered: attempts.earlier_ambiguous(),
                    any_unanswered: attempts.any_ambiguous(),
                    exact: true,
                };
                Err(error::write_failed(
                    call.clone(),
                    doubt,
                    error::from_sdk(call, e),
                ))
            }
        }
    }
}

impl<'a> IntoFuture for TransactWrite<'a> {
    type Output = Result<(), Error>;
    type IntoFuture = Boxed<'a, ()>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
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

    /// Number of members: one result each, found or not.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// let movies = db.table::<Movie>();
    /// let read = db.transact_get().get(&movies, (2013, "Rush")).await?;
    /// assert_eq!(read.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when the transaction had no members.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// let movies = db.table::<Movie>();
    /// assert!(!db.transact_get().get(&movies, (2013, "Rush")).await?.is_empty());
    /// # Ok(()) }
    /// ```
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
            let key = op::Key::of::<M, K>(&key);
            key.check()?;
            self.check.add_member(&key.identity(&name)?, 0)?;
            error::built(
                table.call(Operation::TransactGetItems),
                Get::builder()
                    .table_name(&*name)
                    .set_key(Some(to_item(&key)?))
                    .build(),
            )
        });
        match member {
            Ok(get) => {
                self.table.get_or_insert_with(|| table.name().into());
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
        self.check.check()?;
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
    type IntoFuture = Boxed<'static, TransactGetResult>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
