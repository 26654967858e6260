//! The one write path. Every write kind (put, update, delete, their versioned forms, and the
//! condition check of a transaction) is a [`Write`] builder: made by a [`Table`] method,
//! configured with [`when`](Write::when) and [`once`](Write::once), then awaited, added to a
//! transaction, or (puts and deletes without a condition) to a batch.
//!
//! Each rule of a write lives once, here:
//! - rendering happens in [`WriteKind::plan`], before anything is awaited, so no future holds
//!   the placeholder tables; a versioned write's version clause is joined to the caller's
//!   condition there ([`Lock`]);
//! - every conditional request asks for the stored item of a false condition (`ALL_OLD`),
//!   in [`expressions!`], the one setter of a request's expressions;
//! - attempts are recorded, and the answer classified, in [`execute`];
//! - a false condition, a missing item, and a lost answer are settled in [`settle`];
//! - a kind turns the settled answer into its result in [`WriteKind::finish`].

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnValue, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update as SdkUpdate,
};
use awstin_core::cond::{And, Val, compare, functions as cond_fn, op};
use awstin_core::update::UpdateExt;
use awstin_core::update::functions as update_fn;
use awstin_core::{
    Condition, DecodeFrom, Encode, Field, KeyOf, Model, NotKey, Renderer, TableModel, Unversioned,
    Update, ValueRead, Versioned,
};

use super::Table;
use super::attempts::{Attempts, record};
use super::codec::{AvRef, Item, from_item, items_equal};
use super::error::{self, Call, ConditionFailure, Error, Operation, ServiceError, Stored};
use super::explain::{Explain, FalseClause};
use super::expr::{Expressions, Render};
use super::key::key_item;
use super::size::item_to_write;

use awstin_core::limits::MAX_CLIENT_REQUEST_TOKEN_BYTES as MAX_TOKEN_BYTES;

/// What a write with a condition did: applied, refused by its condition, or refused because
/// there was no item. The same for every write kind.
///
/// ```
/// use awstin::dynamodb::Written;
/// let w: Written<u32> = Written::Applied(7);
/// assert_eq!(w.applied(), Some(7));
/// assert!(Written::<()>::NoItem.applied().is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a write under a condition may not have been applied"]
pub enum Written<T> {
    /// Applied; `T` is what the write returns (an update's item after it).
    Applied(T),
    /// Not applied: the condition was false on the stored item.
    ConditionFalse(Box<ConditionFailed>),
    /// Not applied: there is no item with the key (a delete, or a write whose condition
    /// needed a stored item). Never a "condition false".
    NoItem,
}

impl<T> Written<T> {
    /// The write's result when it was applied.
    ///
    /// ```
    /// assert_eq!(awstin::dynamodb::Written::Applied("x").applied(), Some("x"));
    /// ```
    pub fn applied(self) -> Option<T> {
        match self {
            Written::Applied(t) => Some(t),
            _ => None,
        }
    }

    /// `true` when the write was applied.
    ///
    /// ```
    /// assert!(awstin::dynamodb::Written::Applied(()).is_applied());
    /// ```
    pub fn is_applied(&self) -> bool {
        matches!(self, Written::Applied(_))
    }
}

/// A write's condition was false on the item DynamoDB holds: the call, the stored item as
/// DynamoDB returned it (`ReturnValuesOnConditionCheckFailure = ALL_OLD`), and the clauses of
/// the condition false on it ([`clauses`](ConditionFailed::clauses)). Its `Display` names the
/// call and the clauses (`info.rating <= :v0`), never stored values; read those through
/// [`stored`](ConditionFailed::stored), [`item`](ConditionFailed::item) or
/// [`FalseClause::described`].
///
/// ```
/// use awstin::dynamodb::{Call, ConditionFailed, Operation, to_item};
/// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Todo { table "Todos"; key id: String; attr done: bool } }
/// let stored = Todo { id: "a".into(), done: false };
/// let failed = ConditionFailed::new(Call::new(Operation::DeleteItem, "Todos"), to_item(&stored)?);
/// assert_eq!(failed.item::<Todo>()?, stored);
/// assert_eq!(failed.to_string(), "DeleteItem on table Todos: the condition was false on the stored item");
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionFailed {
    call: Call,
    stored: Item,
    clauses: Vec<FalseClause>,
}

impl ConditionFailed {
    /// A failure of `call`'s condition on `stored`.
    pub fn new(call: Call, stored: Item) -> ConditionFailed {
        ConditionFailed {
            call,
            stored,
            clauses: Vec::new(),
        }
    }

    /// The same failure, naming the clauses of the condition false on the stored item.
    pub fn with_clauses(mut self, clauses: Vec<FalseClause>) -> ConditionFailed {
        self.clauses = clauses;
        self
    }

    /// The clauses of the condition that are false on the stored item, as the local
    /// evaluator finds them, in the order written (for a versioned write, of the caller's
    /// condition: a version that no longer holds is a conflict instead).
    ///
    /// ```
    /// use awstin::dynamodb::{Call, ConditionFailed, FalseClause, Operation, Item};
    /// let failed = ConditionFailed::new(Call::new(Operation::PutItem, "Todos"), Item::new())
    ///     .with_clauses(vec![FalseClause::new("attribute_not_exists(id)", vec![])]);
    /// assert_eq!(failed.clauses()[0].text(), "attribute_not_exists(id)");
    /// ```
    pub fn clauses(&self) -> &[FalseClause] {
        &self.clauses
    }

    /// The write.
    pub fn call(&self) -> &Call {
        &self.call
    }

    /// The item DynamoDB holds, as it returned it.
    pub fn stored(&self) -> &Item {
        &self.stored
    }

    /// The stored item read as model `M`.
    pub fn item<M: for<'a> DecodeFrom<AvRef<'a>>>(&self) -> Result<M, Error> {
        Ok(from_item(&self.stored)?)
    }
}

impl std::fmt::Display for ConditionFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: the condition was false on the stored item",
            self.call
        )?;
        for (i, clause) in self.clauses.iter().enumerate() {
            f.write_str(if i == 0 { ": " } else { "; " })?;
            f.write_str(clause.text())?;
        }
        Ok(())
    }
}

/// No condition of the caller's: the write's type state before [`Write::when`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Always;

/// A condition of the caller's (a `cond!`), set by [`Write::when`].
#[derive(Debug, Clone, Copy)]
pub struct When<G>(G);

/// The condition a write carries: none ([`Always`]) or the caller's ([`When`]). A write
/// without one cannot find it false, so its result is the write's value itself; a write with
/// one answers [`Written`] (the guard's `Out` type, which is sealed).
pub trait Guard<M>: sealed::Guard<M> {}

impl<M> Guard<M> for Always {}

impl<M, G, C> Guard<M> for When<G>
where
    M: Model,
    G: FnOnce(&'static M::Fields) -> C,
    C: Condition<Model = M> + Send,
{
}

/// The condition of a write without one: no value exists.
pub enum Unconditional<M> {
    #[doc(hidden)]
    Never(std::convert::Infallible, PhantomData<fn() -> M>),
}

impl<M> Condition for Unconditional<M> {
    type Model = M;
    const PRECEDENCE: awstin_core::render::Precedence = awstin_core::render::Precedence::Atom;
    fn render<'a>(&'a self, _: &mut Renderer<'_, 'a>) -> Result<(), awstin_core::Error> {
        match *self {
            Unconditional::Never(never, _) => match never {},
        }
    }
    fn eval<It: ValueRead>(&self, _: It) -> Result<bool, awstin_core::Error> {
        match *self {
            Unconditional::Never(never, _) => match never {},
        }
    }
}

mod sealed {
    use super::*;

    pub trait Guard<M> {
        type Condition: Condition<Model = M> + Send;
        fn condition(self) -> Option<Self::Condition>;
        type Out<T>;
        fn out<T>(written: Written<T>, call: &Call) -> Result<Self::Out<T>, Error>;
    }

    impl<M> Guard<M> for Always {
        type Condition = Unconditional<M>;
        type Out<T> = T;
        fn condition(self) -> Option<Self::Condition> {
            None
        }
        fn out<T>(written: Written<T>, call: &Call) -> Result<T, Error> {
            match written {
                Written::Applied(t) => Ok(t),
                // A write without a condition of the caller's is refused only by its
                // version, which is a conflict, settled before this.
                _ => Err(Error::UnexpectedAnswer {
                    call: call.clone(),
                    missing: "the outcome of a write without a condition",
                }),
            }
        }
    }

    impl<M, G, C> Guard<M> for When<G>
    where
        M: Model,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M> + Send,
    {
        type Condition = C;
        type Out<T> = Written<T>;
        fn condition(self) -> Option<C> {
            Some((self.0)(M::FIELDS))
        }
        fn out<T>(written: Written<T>, _: &Call) -> Result<Written<T>, Error> {
            Ok(written)
        }
    }

    pub trait Kind<M> {}
}

/// What a write does to one item, rendered before anything is awaited.
#[derive(Debug)]
pub(crate) enum Action {
    /// Writes the item (and keeps it when the put is conditional, to recognise it stored).
    Put { item: Item, kept: Option<Item> },
    /// Updates the item with the key.
    Update { key: Item },
    /// Deletes the item with the key.
    Delete { key: Item },
    /// Requires the condition of the item with the key (transactions only).
    Check { key: Item },
}

/// The version a versioned write requires: the one its item was read with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lock {
    /// The version read (0: not stored yet, so no item may have the key).
    pub(crate) read: u64,
    /// The model's version attribute.
    attribute: &'static str,
}

impl Lock {
    fn of<M: Versioned>(read: u64) -> Lock {
        Lock {
            read,
            attribute: M::VERSION,
        }
    }

    /// The version after the one read; `u64::MAX` has none.
    fn next(self) -> Result<u64, Error> {
        self.read.checked_add(1).ok_or(Error::InvalidOption {
            option: "version",
            value: self.read,
            allowed: "0 to 18446744073709551614, so that a next version exists",
        })
    }

    /// The stored version of an item, if it has a readable one.
    fn stored_version(self, item: &Item) -> Option<u64> {
        match item.get(self.attribute)? {
            AttributeValue::N(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// Whether what DynamoDB holds is at the version read: no item for 0.
    pub(crate) fn holds(self, stored: &Stored) -> bool {
        match stored {
            Stored::Absent => self.read == 0,
            Stored::Item(item) => self.read != 0 && self.stored_version(item) == Some(self.read),
            Stored::NotRead => false,
        }
    }
}

/// The condition a versioned write adds: for version 0 no item has the key, else the stored
/// version is the one read.
pub enum VersionClause<M> {
    #[doc(hidden)]
    Absent(awstin_core::cond::NotExists<Field<M, u64, NotKey>>),
    #[doc(hidden)]
    At(awstin_core::cond::Compare<Field<M, u64, NotKey>, op::Eq, Val<u64>>),
}

impl<M: Model> VersionClause<M> {
    fn of(lock: Lock) -> VersionClause<M> {
        if lock.read == 0 {
            // The partition key, which every stored item has, read as a path only.
            VersionClause::Absent(cond_fn::attribute_not_exists(Field::new(
                M::KEY.partition.name,
            )))
        } else {
            VersionClause::At(compare(Field::new(lock.attribute), op::Eq, Val(lock.read)))
        }
    }
}

impl<M: Model> Condition for VersionClause<M> {
    type Model = M;
    const PRECEDENCE: awstin_core::render::Precedence = awstin_core::render::Precedence::Atom;
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), awstin_core::Error> {
        match self {
            VersionClause::Absent(c) => c.render(r),
            VersionClause::At(c) => c.render(r),
        }
    }
    fn eval<It: ValueRead>(&self, item: It) -> Result<bool, awstin_core::Error> {
        match self {
            VersionClause::Absent(c) => c.eval(item),
            VersionClause::At(c) => c.eval(item),
        }
    }
}

/// A write rendered into what DynamoDB is sent: made by [`WriteKind::plan`] before anything
/// is awaited, sent by [`execute`] alone or as a transaction member.
#[derive(Debug)]
pub struct Plan<'c> {
    pub(crate) call: Call,
    pub(crate) action: Action,
    pub(crate) e: Expressions,
    pub(crate) lock: Option<Lock>,
    pub(crate) token: Option<String>,
    /// The caller's condition, to name its false clauses.
    pub(crate) explain: Option<Explain<'c>>,
}

impl Plan<'_> {
    /// The key attributes the write acts on.
    pub(crate) fn key(&self) -> &Item {
        match &self.action {
            Action::Put { item, .. } => item,
            Action::Update { key } | Action::Delete { key } | Action::Check { key } => key,
        }
    }
}

/// Finishes a write's expressions: `r` holds its update, if it has one; the caller's
/// condition (if any) and the version clause (if any) are joined with `AND`, through the same
/// placeholder namespace.
fn render<M: Model, C: Condition<Model = M>>(
    r: Render<'_>,
    condition: Option<C>,
    lock: Option<VersionClause<M>>,
) -> Result<Expressions, Error> {
    // The conditions are this function's own: each arm takes the tables after making its
    // condition, so that they are dropped first, also on an early return.
    match (condition, lock) {
        (Some(c), Some(v)) => {
            let both = And(c, v);
            let mut r = r;
            r.condition(&both)?;
            r.finish()
        }
        (Some(c), None) => {
            let mut r = r;
            r.condition(&c)?;
            r.finish()
        }
        (None, Some(v)) => {
            let mut r = r;
            r.condition(&v)?;
            r.finish()
        }
        (None, None) => r.finish(),
    }
}

/// Sets a rendered write's expressions on one of the SDK's request or member builders (they
/// share these setters but no trait), asking for the stored item when a condition is false.
macro_rules! expressions {
    ($builder:expr, $e:expr) => {{
        let e: Expressions = $e;
        let conditional = e.condition.is_some();
        $builder
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .set_return_values_on_condition_check_failure(
                conditional.then_some(ReturnValuesOnConditionCheckFailure::AllOld),
            )
    }};
}

/// A plan as a member of a TransactWriteItems request.
pub(crate) fn member(plan: Plan<'_>) -> Result<TransactWriteItem, Error> {
    let Plan {
        call, action, e, ..
    } = plan;
    let table = call.table.to_string();
    let built = |r| error::built(call.clone(), r);
    Ok(match action {
        Action::Put { item, .. } => TransactWriteItem::builder()
            .put(built(
                expressions!(Put::builder().table_name(table).set_item(Some(item)), e).build(),
            )?)
            .build(),
        Action::Update { key } => {
            let update = e.update.clone();
            TransactWriteItem::builder()
                .update(error::built(
                    call.clone(),
                    expressions!(
                        SdkUpdate::builder()
                            .table_name(table)
                            .set_key(Some(key))
                            .set_update_expression(update),
                        e
                    )
                    .build(),
                )?)
                .build()
        }
        Action::Delete { key } => TransactWriteItem::builder()
            .delete(error::built(
                call.clone(),
                expressions!(Delete::builder().table_name(table).set_key(Some(key)), e).build(),
            )?)
            .build(),
        Action::Check { key } => TransactWriteItem::builder()
            .condition_check(error::built(
                call.clone(),
                expressions!(
                    ConditionCheck::builder()
                        .table_name(table)
                        .set_key(Some(key)),
                    e
                )
                .build(),
            )?)
            .build(),
    })
}

/// What DynamoDB answered one write with.
enum Answer {
    /// Applied; the attributes it returned (an update's item after, a delete's before).
    Done(Option<Item>),
    /// The condition was false on what DynamoDB holds.
    ConditionFalse(Stored),
    /// Another failure.
    Failed(Error),
}

fn answer<O, E>(
    call: &Call,
    result: Result<O, SdkError<E, HttpResponse>>,
    attributes: impl FnOnce(O) -> Option<Item>,
) -> Answer
where
    E: ConditionFailure + ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    match result {
        Ok(out) => Answer::Done(attributes(out).filter(|a| !a.is_empty())),
        Err(e) if error::is_condition_failed(&e) => Answer::ConditionFalse(stored(
            e.as_service_error().and_then(ConditionFailure::old_item),
        )),
        Err(e) => Answer::Failed(error::from_sdk(call.clone(), e)),
    }
}

fn stored(old: Option<Option<&Item>>) -> Stored {
    match old {
        Some(Some(item)) if !item.is_empty() => Stored::Item(item.clone()),
        Some(_) => Stored::Absent,
        None => Stored::NotRead,
    }
}

/// Optimistic locking refused a write: the stored version is not `expected`.
pub(crate) fn conflict(call: Call, expected: u64, current: Stored) -> Error {
    Error::Conflict(Box::new(super::error::Conflict {
        call,
        expected,
        current,
    }))
}

/// How a write ended, before its kind reads it.
pub enum Settled {
    /// Applied, with the attributes returned.
    Applied(Option<Item>),
    /// The condition was false on this stored item.
    ConditionFalse(Box<ConditionFailed>),
    /// No item with the key.
    NoItem,
}

/// Sends a plan on its own (a one-member transaction when it has a token) and settles the
/// answer.
pub(crate) async fn execute(db: &super::DynamoDb, mut plan: Plan<'_>) -> Result<Settled, Error> {
    let explain = plan.explain.take();
    let settled = if plan.token.is_some() {
        execute_once(db, plan).await
    } else {
        execute_alone(db, plan).await
    };
    match settled? {
        Refusal::Applied(attributes) => Ok(Settled::Applied(attributes)),
        Refusal::NoItem => Ok(Settled::NoItem),
        Refusal::ConditionFalse(call, item) => {
            let clauses = explain.map(|e| e.on(&item)).unwrap_or_default();
            Ok(Settled::ConditionFalse(Box::new(
                ConditionFailed::new(call, item).with_clauses(clauses),
            )))
        }
    }
}

/// How a write ended, as [`settle`] finds it.
enum Refusal {
    Applied(Option<Item>),
    ConditionFalse(Call, Item),
    NoItem,
}

async fn execute_alone(db: &super::DynamoDb, plan: Plan<'_>) -> Result<Refusal, Error> {
    let Plan {
        call,
        action,
        e,
        lock,
        ..
    } = plan;
    let table = call.table.to_string();
    let client = &db.client;
    let (answer, attempts) = match &action {
        Action::Put { item, .. } => {
            let request = expressions!(
                client
                    .put_item()
                    .table_name(table)
                    .set_item(Some(item.clone())),
                e
            );
            let (result, attempts) = record(request.send()).await;
            (answer(&call, result, |_| None), attempts)
        }
        Action::Update { key } => {
            let update = e.update.clone();
            let request = expressions!(
                client
                    .update_item()
                    .table_name(table)
                    .set_key(Some(key.clone()))
                    .set_update_expression(update)
                    .return_values(ReturnValue::AllNew),
                e
            );
            let (result, attempts) = record(request.send()).await;
            (answer(&call, result, |out| out.attributes), attempts)
        }
        Action::Delete { key } => {
            let request = expressions!(
                client
                    .delete_item()
                    .table_name(table)
                    .set_key(Some(key.clone()))
                    .return_values(ReturnValue::AllOld),
                e
            );
            let (result, attempts) = record(request.send()).await;
            (answer(&call, result, |out| out.attributes), attempts)
        }
        Action::Check { .. } => {
            return Err(Error::UnexpectedAnswer {
                call,
                missing: "a transaction for a condition check",
            });
        }
    };
    settle(&call, &action, lock, answer, &attempts, false)
}

/// Sends a plan with a token as a one-member TransactWriteItems: DynamoDB answers a repeat
/// of an applied token with that first outcome, so the answer is exact under retries.
async fn execute_once(db: &super::DynamoDb, mut plan: Plan<'_>) -> Result<Refusal, Error> {
    let token = plan.token.take().unwrap_or_default();
    let (call, lock) = (plan.call.clone(), plan.lock);
    let kind = match plan.action {
        Action::Put { .. } => Kept::Put,
        Action::Update { .. } => Kept::Update,
        Action::Delete { .. } | Action::Check { .. } => Kept::Delete,
    };
    let member = member(plan)?;
    let (result, attempts) = record(
        db.client
            .transact_write_items()
            .transact_items(member)
            .client_request_token(token)
            .send(),
    )
    .await;
    let answer = match result {
        Ok(_) => Answer::Done(None),
        Err(e) => {
            let cancelled = match e.as_service_error() {
                Some(TransactWriteItemsError::TransactionCanceledException(t)) => Some(t),
                _ => None,
            };
            match cancelled.and_then(|t| t.cancellation_reasons().first()) {
                Some(r) if r.code() == Some("ConditionalCheckFailed") => {
                    Answer::ConditionFalse(stored(Some(r.item())))
                }
                Some(_) => {
                    let reasons = error::cancellations(
                        cancelled.map(|t| t.cancellation_reasons()).unwrap_or(&[]),
                    );
                    Answer::Failed(Error::TransactionCanceled {
                        call: call.clone(),
                        reasons,
                        source: ServiceError::new(e),
                    })
                }
                None => Answer::Failed(error::from_sdk(call.clone(), e)),
            }
        }
    };
    settle_kept(&call, kind, lock, answer, &attempts, true)
}

/// Which kind of write was sent, and a conditional put's item, for [`settle`].
#[derive(Clone, Copy)]
enum Kept<'a> {
    Put,
    ConditionalPut(&'a Item),
    Update,
    Delete,
}

fn settle(
    call: &Call,
    action: &Action,
    lock: Option<Lock>,
    answer: Answer,
    attempts: &Attempts,
    exact: bool,
) -> Result<Refusal, Error> {
    let kind = match action {
        Action::Put {
            kept: Some(item), ..
        } => Kept::ConditionalPut(item),
        Action::Put { kept: None, .. } => Kept::Put,
        Action::Update { .. } => Kept::Update,
        Action::Delete { .. } | Action::Check { .. } => Kept::Delete,
    };
    settle_kept(call, kind, lock, answer, attempts, exact)
}

/// The one place a write's answer is settled.
///
/// A false condition is a fact unless an attempt before the last got no answer (and the
/// request has no token, whose retries are answered exactly): then the stored item may be
/// this write's own effect, or another caller's that looks the same, so an item equal to
/// this write's settles nothing. Only a versioned put that finds the version after its own
/// stored with other contents is settled (another writer moved the item on from the version
/// read, so this write's condition could not hold); anything else is
/// [`Error::OutcomeUnknown`], with the stored item. A write that must know sends a token
/// ([`Write::once`]), or carries what makes the stored item its own (as idempotency's claims
/// carry a claim id of their call) and reads the item the unknown outcome holds.
///
/// A fact is then read: a versioned write whose version no longer holds is
/// [`Error::Conflict`]; a false condition on a stored item is `ConditionFalse`, on no item
/// `NoItem`. An applied delete that returned no item deleted nothing: `NoItem`, unless an
/// earlier attempt may have deleted it ([`Error::OutcomeUnknown`]).
fn settle_kept(
    call: &Call,
    kind: Kept<'_>,
    lock: Option<Lock>,
    answer: Answer,
    attempts: &Attempts,
    exact: bool,
) -> Result<Refusal, Error> {
    let doubt = !exact && attempts.earlier_ambiguous();
    let unknown = |stored: Stored| Error::OutcomeUnknown {
        call: call.clone(),
        stored,
        source: None,
    };
    match answer {
        Answer::Failed(e) => Err(error::write_failed(call.clone(), attempts, e)),
        Answer::Done(None) if matches!(kind, Kept::Delete) && !exact => {
            if doubt && lock.is_none() {
                // The earlier attempt may have deleted what this one did not find.
                Err(unknown(Stored::Absent))
            } else if lock.is_some() {
                Ok(Refusal::Applied(None))
            } else {
                Ok(Refusal::NoItem)
            }
        }
        Answer::Done(attributes) => Ok(Refusal::Applied(attributes)),
        Answer::ConditionFalse(stored) => {
            if doubt {
                return match (kind, &stored, lock) {
                    (Kept::ConditionalPut(ours), Stored::Item(now), Some(lock))
                        if !items_equal(now, ours)
                            && lock.stored_version(now) == lock.read.checked_add(1) =>
                    {
                        Err(conflict(call.clone(), lock.read, stored))
                    }
                    _ => Err(unknown(stored)),
                };
            }
            if let Some(lock) = lock
                && !lock.holds(&stored)
            {
                return Err(conflict(call.clone(), lock.read, stored));
            }
            match stored {
                Stored::Item(item) => Ok(Refusal::ConditionFalse(call.clone(), item)),
                Stored::Absent => Ok(Refusal::NoItem),
                Stored::NotRead => Err(Error::UnexpectedAnswer {
                    call: call.clone(),
                    missing: "the stored item of a false condition",
                }),
            }
        }
    }
}

impl Settled {
    /// As the caller sees it: the applied value made by `applied`.
    fn written<T>(
        self,
        applied: impl FnOnce(Option<Item>) -> Result<T, Error>,
    ) -> Result<Written<T>, Error> {
        Ok(match self {
            Settled::Applied(attributes) => Written::Applied(applied(attributes)?),
            Settled::ConditionFalse(failed) => Written::ConditionFalse(failed),
            Settled::NoItem => Written::NoItem,
        })
    }
}

/// A write kind: what [`Write`] does, made by a [`Table`] method. Its methods are the write
/// path's own (sealed).
pub trait WriteKind<M>: sealed::Kind<M> + Sized {
    /// The write's result under guard `G`.
    type Output<G: Guard<M>>;
    /// What the write needs after sending (the caller's item, to move its version on).
    #[doc(hidden)]
    type After;
    /// Renders the write.
    #[doc(hidden)]
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
    ) -> Result<(Plan<'c>, Self::After), Error>
    where
        Cond<G, M>: 'c;
    /// Reads the settled answer as the write's result.
    #[doc(hidden)]
    fn finish<G: Guard<M>>(
        after: Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<Self::Output<G>, Error>;
}

/// A write of one item, configured by modifiers and awaited; also a transaction member
/// ([`TransactWrite::write`](super::TransactWrite::write)) and, for puts and deletes without a
/// condition, a batch request ([`Table::batch_write`]).
///
/// ```no_run
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Todo { table "Todos"; key id: String; attr done: bool; attr views: u64 } }
/// # async fn f(todos: awstin::dynamodb::Table<Todo>, t: Todo, request_id: &str) -> Result<(), awstin::dynamodb::Error> {
/// use awstin::{cond, update};
/// use awstin::dynamodb::Written;
/// todos.put(&t).await?;                                       // ()
/// let created = todos.put(&t).when(cond!(attribute_not_exists(id))).await?;
/// let one = 1;
/// let after: Todo = todos.update("a", update!(views += one)).await?;
/// todos.update("a", update!(views += one)).once(request_id).await?;
/// match todos.delete("a").when(cond!(done == true)).await? {
///     Written::Applied(()) => {}
///     Written::ConditionFalse(failed) => println!("{failed}"),
///     Written::NoItem => {}
/// }
/// # let _ = (created, after); Ok(()) }
/// ```
#[must_use = "a write does nothing until awaited or added to a transaction or batch"]
pub struct Write<'t, M, K, G = Always> {
    table: &'t Table<M>,
    kind: K,
    guard: G,
}

impl<'t, M: Model, K: std::fmt::Debug, G> std::fmt::Debug for Write<'t, M, K, G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Write")
            .field("table", &self.table.name())
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl<'t, M: Model, K: WriteKind<M>> Write<'t, M, K, Always> {
    /// Applies the write only if `condition` holds for the stored item (for a versioned
    /// write, besides its version). The result is then [`Written`]: applied, condition false
    /// (with the stored item), or no item.
    pub fn when<G, C>(self, condition: G) -> Write<'t, M, K, When<G>>
    where
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        Write {
            table: self.table,
            kind: self.kind,
            guard: When(condition),
        }
    }
}

impl<'t, M: Model, K: OnceKind<M>, G> Write<'t, M, K, G> {
    /// Sends the write exactly once, however often the request is retried: as a one-member
    /// TransactWriteItems whose `ClientRequestToken` is `token`, which DynamoDB answers, when it
    /// sees the token again within ten minutes, with the first outcome. The answer is then
    /// exact: a lost answer is never [`Error::OutcomeUnknown`] once a retry got through, and a
    /// repeat of an applied write is answered as applied, never as its condition false.
    ///
    /// Use it for updates that are not idempotent (`+=`, `add`, `list_append`), with a token
    /// naming the logical operation (the id of the message or request being handled), so a
    /// repeated invocation is deduplicated too; an update sent so returns no item (a
    /// transaction returns none). Versioned puts and deletes take a token as well, for an exact
    /// answer. Not offered: on plain puts and deletes, whose repeat leaves the same item (their
    /// lost answers are settled from the stored item), and on versioned updates, which make the
    /// caller's item the one stored after them, which a transaction does not return. A
    /// transaction costs twice the write capacity of a single write. `token` takes 1 to 36
    /// bytes of UTF-8 ([`Error::InvalidToken`] when awaited, before sending).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Counter { table "Counters"; key name: String; attr count: u64 } }
    /// # async fn f(counters: awstin::dynamodb::Table<Counter>, request_id: &str) -> Result<(), awstin::dynamodb::Error> {
    /// let one = 1;
    /// counters.update("visits", awstin::update!(count += one)).once(request_id).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// A versioned update sent once does not compile:
    ///
    /// ```compile_fail,E0599
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; attr views: u64; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>, mut doc: Doc) -> Result<(), awstin::dynamodb::Error> {
    /// let one = 1;
    /// docs.update_versioned(&mut doc, awstin::update!(views += one)).once("t-1").await?;
    /// # Ok(()) }
    /// ```
    pub fn once(self, token: &str) -> Write<'t, M, kind::Once<K>, G> {
        Write {
            table: self.table,
            kind: kind::Once {
                kind: self.kind,
                token: token.to_owned(),
            },
            guard: self.guard,
        }
    }
}

impl<'t, M, K, G> Write<'t, M, K, G>
where
    M: Model,
    K: WriteKind<M>,
    G: Guard<M>,
{
    /// The write rendered, and what its kind needs after sending.
    pub(crate) fn plan<'c>(self) -> Result<(Plan<'c>, K::After), Error>
    where
        Cond<G, M>: 'c,
    {
        self.kind.plan(self.table, self.guard)
    }
}

impl<'t, M, K, G> Write<'t, M, K, G> {
    /// The table that made the write.
    pub(crate) fn table_of(&self) -> &'t Table<M> {
        self.table
    }
}

impl<'t, M, K> Write<'t, M, K, Always> {
    /// The kind of a write without a condition (a batch request).
    pub(crate) fn kind(&self) -> &K {
        &self.kind
    }
}

/// A boxed write future: one allocation per write keeps a handler's future small and its
/// type shallow, so a `main` with a handler, a table and a client compiles at the default
/// recursion limit.
pub type WriteFuture<'t, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 't>>;

impl<'t, M, K, G> IntoFuture for Write<'t, M, K, G>
where
    M: Model + 't,
    K: WriteKind<M> + 't,
    K::After: Send + 't,
    K::Output<G>: Send + 't,
    G: Guard<M> + 't,
{
    type Output = Result<K::Output<G>, Error>;
    type IntoFuture = WriteFuture<'t, K::Output<G>>;

    fn into_future(self) -> Self::IntoFuture {
        let table = self.table;
        let planned = self.plan();
        Box::pin(async move {
            let (plan, after) = planned?;
            let call = plan.call.clone();
            let settled = execute(&table.db, plan).await?;
            K::finish::<G>(after, &call, settled)
        })
    }
}

/// Checks a token: 1 to 36 bytes.
pub(crate) fn checked_token(token: &str) -> Result<(), Error> {
    let bytes = token.len();
    if (1..=MAX_TOKEN_BYTES).contains(&bytes) {
        Ok(())
    } else {
        Err(Error::InvalidToken { bytes })
    }
}

/// The write kinds: what [`Table`]'s write methods make. Their types appear in [`Write`]'s;
/// nothing here is made directly.
pub mod kind {

    /// A put of an item ([`Table::put`](super::super::Table::put)).
    #[derive(Debug)]
    pub struct Put<'a, M>(pub(crate) &'a M);
    /// A versioned put ([`Table::put_versioned`](super::super::Table::put_versioned)).
    #[derive(Debug)]
    pub struct PutVersioned<'a, M>(pub(crate) &'a mut M);
    /// An update of the item with a key ([`Table::update`](super::super::Table::update)).
    pub struct Update<K, F> {
        pub(crate) key: K,
        pub(crate) update: F,
    }
    /// A write sent with a token ([`Write::once`](super::Write::once)).
    pub struct Once<K> {
        pub(crate) kind: K,
        pub(crate) token: String,
    }
    /// A versioned update ([`Table::update_versioned`](super::super::Table::update_versioned)).
    pub struct UpdateVersioned<'a, M, F> {
        pub(crate) item: &'a mut M,
        pub(crate) update: F,
    }
    /// A delete of the item with a key ([`Table::delete`](super::super::Table::delete)).
    #[derive(Debug)]
    pub struct Delete<K>(pub(crate) K);
    /// A versioned delete ([`Table::delete_versioned`](super::super::Table::delete_versioned)).
    #[derive(Debug)]
    pub struct DeleteVersioned<'a, M>(pub(crate) &'a M);
    /// A condition on the item with a key, for a transaction ([`Table::check`](super::super::Table::check)).
    #[derive(Debug)]
    pub struct Check<K>(pub(crate) K);

    impl<K: std::fmt::Debug, F> std::fmt::Debug for Update<K, F> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Update")
                .field("key", &self.key)
                .finish_non_exhaustive()
        }
    }
    impl<K: std::fmt::Debug> std::fmt::Debug for Once<K> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Once")
                .field("kind", &self.kind)
                .finish_non_exhaustive()
        }
    }
    impl<M: std::fmt::Debug, F> std::fmt::Debug for UpdateVersioned<'_, M, F> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("UpdateVersioned")
                .field("item", &self.item)
                .finish_non_exhaustive()
        }
    }
}

impl<M> sealed::Kind<M> for kind::Put<'_, M> {}
impl<M> sealed::Kind<M> for kind::PutVersioned<'_, M> {}
impl<M, K, F> sealed::Kind<M> for kind::Update<K, F> {}
impl<M, K> sealed::Kind<M> for kind::Once<K> {}
impl<M, F> sealed::Kind<M> for kind::UpdateVersioned<'_, M, F> {}
impl<M, K> sealed::Kind<M> for kind::Delete<K> {}
impl<M> sealed::Kind<M> for kind::DeleteVersioned<'_, M> {}
impl<M, K> sealed::Kind<M> for kind::Check<K> {}

/// A plan of `action` on `table` as `operation`.
fn plan<'c, M: Model, C: Condition + Send + 'c>(
    table: &Table<M>,
    operation: Operation,
    action: Action,
    (e, condition): (Expressions, Option<C>),
    lock: Option<Lock>,
) -> Result<Plan<'c>, Error> {
    table.bound()?;
    Ok(Plan {
        call: table.call(operation),
        action,
        e,
        lock,
        token: None,
        explain: Explain::of(condition),
    })
}

/// The caller's condition of a write under guard `G`.
pub type Cond<G, M> = <G as sealed::Guard<M>>::Condition;

/// A write's expressions rendered with the caller's condition, which comes back with them to
/// explain a false answer.
fn conditioned<M: Model, C: Condition<Model = M>>(
    r: Render<'_>,
    condition: Option<C>,
    lock: Option<VersionClause<M>>,
) -> Result<(Expressions, Option<C>), Error> {
    let e = render(r, condition.as_ref(), lock)?;
    Ok((e, condition))
}

impl<'a, M: TableModel + Unversioned + Encode> WriteKind<M> for kind::Put<'a, M> {
    type Output<G: Guard<M>> = G::Out<()>;
    type After = ();
    fn plan<'c, G: Guard<M>>(self, table: &Table<M>, guard: G) -> Result<(Plan<'c>, ()), Error>
    where
        Cond<G, M>: 'c,
    {
        let e = conditioned(Render::new(), guard.condition(), None)?;
        let conditional = e.1.is_some();
        let item = item_to_write(self.0)?;
        let kept = conditional.then(|| item.clone());
        let action = Action::Put { item, kept };
        Ok((plan(table, Operation::PutItem, action, e, None)?, ()))
    }
    fn finish<G: Guard<M>>(_: (), call: &Call, settled: Settled) -> Result<G::Out<()>, Error> {
        G::out(settled.written(|_| Ok(()))?, call)
    }
}

impl<'a, M: Versioned + Encode + Send> WriteKind<M> for kind::PutVersioned<'a, M> {
    type Output<G: Guard<M>> = G::Out<()>;
    type After = (&'a mut M, u64);
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
    ) -> Result<(Plan<'c>, Self::After), Error>
    where
        Cond<G, M>: 'c,
    {
        let lock = Lock::of::<M>(self.0.version());
        let next = lock.next()?;
        let e = conditioned(
            Render::new(),
            guard.condition(),
            Some(VersionClause::of(lock)),
        )?;
        // Encoded with the next version, from a copy: the caller's item keeps the version
        // read until the write is known to be applied.
        let mut item = item_to_write(&*self.0)?;
        item.insert(M::VERSION.to_owned(), AttributeValue::N(next.to_string()));
        let action = Action::Put {
            kept: Some(item.clone()),
            item,
        };
        let plan = plan(table, Operation::PutItem, action, e, Some(lock))?;
        Ok((plan, (self.0, next)))
    }
    fn finish<G: Guard<M>>(
        (item, next): Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        let written = settled.written(|_| {
            item.set_version(next);
            Ok(())
        })?;
        G::out(written, call)
    }
}

/// The item an applied update returned, as `M`; [`Error::WrittenButUndecodable`] when it does
/// not fit (the update was applied all the same).
fn updated<M: for<'a> DecodeFrom<AvRef<'a>>>(call: &Call, item: Option<Item>) -> Result<M, Error> {
    let item = item.ok_or_else(|| Error::UnexpectedAnswer {
        call: call.clone(),
        missing: "the item after an applied update",
    })?;
    from_item(&item).map_err(|source| Error::WrittenButUndecodable {
        call: call.clone(),
        item,
        source: Box::new(source),
    })
}

/// Renders an update of the item with `key`; a versioned one also moves the version on.
fn update_plan<'c, M, K, F, U, G>(
    table: &Table<M>,
    key: &K,
    update: F,
    guard: G,
    lock: Option<Lock>,
) -> Result<Plan<'c>, Error>
where
    Cond<G, M>: 'c,
    M: TableModel,
    K: KeyOf<M>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Update<Model = M>,
    G: Guard<M>,
{
    let update = update(M::FIELDS);
    let e = match lock {
        Some(lock) => {
            let version: Field<M, u64, NotKey> = Field::new(lock.attribute);
            let update = update.then(update_fn::set(version, Val(lock.next()?)));
            let mut r = Render::new();
            r.update(&update)?;
            conditioned(r, guard.condition(), Some(VersionClause::of(lock)))?
        }
        None => {
            let mut r = Render::new();
            r.update(&update)?;
            conditioned(r, guard.condition(), None)?
        }
    };
    let action = Action::Update {
        key: key_item::<M, K>(key)?,
    };
    plan(table, Operation::UpdateItem, action, e, lock)
}

impl<M, K, F, U> WriteKind<M> for kind::Update<K, F>
where
    M: TableModel + Unversioned + for<'a> DecodeFrom<AvRef<'a>>,
    K: KeyOf<M>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Update<Model = M>,
{
    type Output<G: Guard<M>> = G::Out<M>;
    type After = ();
    fn plan<'c, G: Guard<M>>(self, table: &Table<M>, guard: G) -> Result<(Plan<'c>, ()), Error>
    where
        Cond<G, M>: 'c,
    {
        let update = self.update;
        let plan = update_plan(table, &self.key, update, guard, None)?;
        Ok((plan, ()))
    }
    fn finish<G: Guard<M>>(_: (), call: &Call, settled: Settled) -> Result<G::Out<M>, Error> {
        G::out(settled.written(|item| updated(call, item))?, call)
    }
}

/// A write kind that can be sent with a token ([`Write::once`]): its result when sent so.
pub trait OnceKind<M>: WriteKind<M> {
    /// The result under guard `G` of the write sent with a token.
    type OnceOutput<G: Guard<M>>;
    /// Reads the settled answer of the write sent with a token.
    #[doc(hidden)]
    fn finish_once<G: Guard<M>>(
        after: Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<Self::OnceOutput<G>, Error>;
}

impl<M, K: OnceKind<M>> WriteKind<M> for kind::Once<K> {
    type Output<G: Guard<M>> = K::OnceOutput<G>;
    type After = K::After;
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
    ) -> Result<(Plan<'c>, K::After), Error>
    where
        Cond<G, M>: 'c,
    {
        checked_token(&self.token)?;
        let (mut plan, after) = self.kind.plan(table, guard)?;
        plan.call.operation = Operation::TransactWriteItems;
        plan.token = Some(self.token);
        Ok((plan, after))
    }
    fn finish<G: Guard<M>>(
        after: K::After,
        call: &Call,
        settled: Settled,
    ) -> Result<K::OnceOutput<G>, Error> {
        K::finish_once::<G>(after, call, settled)
    }
}

impl<M, K, F, U> OnceKind<M> for kind::Update<K, F>
where
    kind::Update<K, F>: WriteKind<M, After = ()>,
    M: TableModel + Unversioned,
    K: KeyOf<M>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Update<Model = M>,
{
    type OnceOutput<G: Guard<M>> = G::Out<()>;
    fn finish_once<G: Guard<M>>(
        (): (),
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        G::out(settled.written(|_| Ok(()))?, call)
    }
}

impl<'a, M: Versioned + Encode + Send> OnceKind<M> for kind::PutVersioned<'a, M> {
    type OnceOutput<G: Guard<M>> = G::Out<()>;
    fn finish_once<G: Guard<M>>(
        after: Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        Self::finish::<G>(after, call, settled)
    }
}

impl<'a, M: Versioned> OnceKind<M> for kind::DeleteVersioned<'a, M> {
    type OnceOutput<G: Guard<M>> = G::Out<()>;
    fn finish_once<G: Guard<M>>(
        after: Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        Self::finish::<G>(after, call, settled)
    }
}

impl<'a, M, F, U> WriteKind<M> for kind::UpdateVersioned<'a, M, F>
where
    M: Versioned + Encode + Send + for<'b> DecodeFrom<AvRef<'b>>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Update<Model = M>,
{
    type Output<G: Guard<M>> = G::Out<()>;
    type After = &'a mut M;
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
    ) -> Result<(Plan<'c>, &'a mut M), Error>
    where
        Cond<G, M>: 'c,
    {
        let lock = Lock::of::<M>(self.item.version());
        let plan = update_plan(table, &self.item.key(), self.update, guard, Some(lock))?;
        Ok((plan, self.item))
    }
    fn finish<G: Guard<M>>(
        item: &'a mut M,
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        let written = settled.written(|after| {
            *item = updated(call, after)?;
            Ok(())
        })?;
        G::out(written, call)
    }
}

impl<M, K> WriteKind<M> for kind::Delete<K>
where
    M: TableModel + Unversioned,
    K: KeyOf<M>,
{
    type Output<G: Guard<M>> = Written<()>;
    type After = ();
    fn plan<'c, G: Guard<M>>(self, table: &Table<M>, guard: G) -> Result<(Plan<'c>, ()), Error>
    where
        Cond<G, M>: 'c,
    {
        let e = conditioned(Render::new(), guard.condition(), None)?;
        let action = Action::Delete {
            key: key_item::<M, K>(&self.0)?,
        };
        Ok((plan(table, Operation::DeleteItem, action, e, None)?, ()))
    }
    fn finish<G: Guard<M>>(_: (), _: &Call, settled: Settled) -> Result<Written<()>, Error> {
        settled.written(|_| Ok(()))
    }
}

impl<'a, M: Versioned> WriteKind<M> for kind::DeleteVersioned<'a, M> {
    type Output<G: Guard<M>> = G::Out<()>;
    type After = ();
    fn plan<'c, G: Guard<M>>(self, table: &Table<M>, guard: G) -> Result<(Plan<'c>, ()), Error>
    where
        Cond<G, M>: 'c,
    {
        let lock = Lock::of::<M>(self.0.version());
        let e = conditioned(
            Render::new(),
            guard.condition(),
            Some(VersionClause::of(lock)),
        )?;
        let action = Action::Delete {
            key: key_item::<M, _>(&self.0.key())?,
        };
        Ok((
            plan(table, Operation::DeleteItem, action, e, Some(lock))?,
            (),
        ))
    }
    fn finish<G: Guard<M>>(_: (), call: &Call, settled: Settled) -> Result<G::Out<()>, Error> {
        G::out(settled.written(|_| Ok(()))?, call)
    }
}

impl<M, K> WriteKind<M> for kind::Check<K>
where
    M: TableModel,
    K: KeyOf<M>,
{
    type Output<G: Guard<M>> = ();
    type After = ();
    fn plan<'c, G: Guard<M>>(self, table: &Table<M>, guard: G) -> Result<(Plan<'c>, ()), Error>
    where
        Cond<G, M>: 'c,
    {
        let e = conditioned(Render::new(), guard.condition(), None)?;
        let action = Action::Check {
            key: key_item::<M, K>(&self.0)?,
        };
        let mut plan = plan(table, Operation::TransactWriteItems, action, e, None)?;
        plan.call.operation = Operation::TransactWriteItems;
        Ok((plan, ()))
    }
    fn finish<G: Guard<M>>(_: (), _: &Call, _: Settled) -> Result<(), Error> {
        Ok(())
    }
}

impl<M: TableModel> Table<M> {
    /// A put of `item`, replacing any item with the same key; awaited, `()`. With
    /// [`when`](Write::when), [`Written`]. A put is idempotent, so the client's retries cannot
    /// change its outcome; under a condition, an attempt whose answer was lost followed by one
    /// that finds the condition false is [`Error::OutcomeUnknown`], with the stored item: an
    /// item equal to this put's may be its own or another caller's. Send it with a token, or
    /// write what makes the item yours (a claim id) and read the stored item.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, m: Movie) -> Result<(), awstin::dynamodb::Error> {
    /// movies.put(&m).await?;
    /// let created = movies.put(&m).when(awstin::cond!(attribute_not_exists(year))).await?.is_applied();
    /// # Ok(()) }
    /// ```
    ///
    /// A plain write of a versioned model does not compile; its message names the versioned
    /// writes:
    ///
    /// ```compile_fail,E0277
    /// # awstin::dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>, doc: Doc) -> Result<(), awstin::dynamodb::Error> {
    /// docs.put(&doc).await?; // `Doc` is versioned: write it with `put_versioned`, ...
    /// # Ok(()) }
    /// ```
    pub fn put<'t>(&'t self, item: &'t M) -> Write<'t, M, kind::Put<'t, M>>
    where
        M: Unversioned + Encode,
    {
        self.write(kind::Put(item))
    }

    /// An update of the item with `key` (creating it if missing, as DynamoDB does); awaited,
    /// the item as it is afterwards. With [`when`](Write::when), [`Written`] of it.
    ///
    /// Like DynamoDB's UpdateItem under the SDK's retries, this is applied *at least once*:
    /// an attempt whose answer was lost may have been applied before the retry was. That is
    /// harmless for updates that set values or remove attributes; for ones that add to a
    /// number, a set or a list (`+=`, `add`, `list_append`), use [`once`](Write::once). When
    /// the update was applied but the item it left does not fit `M`, the error is
    /// [`Error::WrittenButUndecodable`].
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let rating = 7.5;
    /// let updated: Movie = movies.update((2015, "The Big New Movie"), awstin::update!(rating = rating)).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// A plain update of a versioned model does not compile, alone or as a transaction
    /// member:
    ///
    /// ```compile_fail,E0277
    /// # awstin::dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// let docs = db.table::<Doc>();
    /// let body = "x".to_string();
    /// db.transact_write().write(docs.update("readme", awstin::update!(body = body))).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// The same update of a model without a version compiles:
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// let docs = db.table::<Doc>();
    /// let body = "x".to_string();
    /// db.transact_write().write(docs.update("readme", awstin::update!(body = body))).await?;
    /// # Ok(()) }
    /// ```
    pub fn update<'t, K, F, U>(&'t self, key: K, update: F) -> Write<'t, M, kind::Update<K, F>>
    where
        M: Unversioned,
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    {
        self.write(kind::Update { key, update })
    }

    /// A delete of the item with `key`; awaited, [`Written::Applied`] when an item was
    /// deleted and [`Written::NoItem`] when there was none. When an attempt that may have been
    /// applied is followed by one that finds no item, which of the two is true is not known:
    /// [`Error::OutcomeUnknown`].
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let deleted = movies.delete((2015, "The Big New Movie")).await?.is_applied();
    /// # Ok(()) }
    /// ```
    ///
    /// A plain delete of a versioned model does not compile (its own, as a transaction
    /// member, or as a batch request: all are made by this method):
    ///
    /// ```compile_fail,E0277
    /// # awstin::dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>) -> Result<(), awstin::dynamodb::Error> {
    /// docs.batch_write([docs.delete("readme")]).await?; // `Doc` is versioned: delete_versioned
    /// # Ok(()) }
    /// ```
    ///
    /// The same delete of a model without a version compiles:
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Doc { table "Docs"; key id: String; attr body: String } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>) -> Result<(), awstin::dynamodb::Error> {
    /// docs.batch_write([docs.delete("readme")]).await?;
    /// # Ok(()) }
    /// ```
    pub fn delete<'t, K: KeyOf<M>>(&'t self, key: K) -> Write<'t, M, kind::Delete<K>>
    where
        M: Unversioned,
    {
        self.write(kind::Delete(key))
    }
}

impl<M: Model> Table<M> {
    fn write<K>(&self, kind: K) -> Write<'_, M, K> {
        Write {
            table: self,
            kind,
            guard: Always,
        }
    }
}

impl<M: TableModel> Table<M> {
    /// A condition on the item with `key`, without changing it: a member of a transaction
    /// ([`TransactWrite::write`](super::TransactWrite::write)), which fails unless it holds.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb, m: Movie) -> Result<(), awstin::dynamodb::Error> {
    /// let movies = db.table::<Movie>();
    /// let min = 5;
    /// db.transact_write()
    ///     .write(movies.check((1999, "B"), awstin::cond!(rating >= min)))
    ///     .write(movies.put(&m))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn check<'t, K, G, C>(
        &'t self,
        key: K,
        condition: G,
    ) -> Write<'t, M, kind::Check<K>, When<G>>
    where
        K: KeyOf<M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        Write {
            table: self,
            kind: kind::Check(key),
            guard: When(condition),
        }
    }
}

impl<M: Versioned + Encode + Send> Table<M> {
    /// A versioned put: writes `item` if the stored version is the one it was read with, or,
    /// for version 0 (never stored), if no item has its key; stores it at the next version,
    /// which `item` then carries. Another writer's change since the read is
    /// [`Error::Conflict`], with the item as it is now. With [`when`](Write::when), the
    /// caller's condition must hold too, and the result is [`Written`].
    ///
    /// Under lost answers: when an attempt that may have been applied is followed by one that
    /// finds the condition false, an item at the next version but not as written is another
    /// writer's, so a conflict (one write at most moves an item on from a version, while every
    /// writer of the table writes through versions); anything else, the item as written
    /// included (another writer may have written the same), is [`Error::OutcomeUnknown`] with
    /// the stored item. With [`once`](Write::once), the answer is exact.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>) -> Result<(), awstin::dynamodb::Error> {
    /// let mut doc = Doc { id: "readme".into(), body: "Hello".into(), rev: 0 };
    /// docs.put_versioned(&mut doc).await?; // created: no item had the key
    /// assert_eq!(doc.rev, 1);
    /// doc.body.push_str(", world");
    /// docs.put_versioned(&mut doc).await?; // stored version 1, now 2
    /// # Ok(()) }
    /// ```
    pub fn put_versioned<'t>(&'t self, item: &'t mut M) -> Write<'t, M, kind::PutVersioned<'t, M>> {
        self.write(kind::PutVersioned(item))
    }

    /// A versioned update: applies `update` to `item`'s stored copy if the stored version is
    /// the one `item` was read with (for version 0, if no item has its key), and moves the
    /// version on in the same request; `item` then becomes the item as stored after the
    /// update (DynamoDB's `ALL_NEW`). Another writer's change since the read is
    /// [`Error::Conflict`], with the item as it is now. When an attempt that may have been
    /// applied is followed by one that finds another version, this update's own result and
    /// another writer's look alike: [`Error::OutcomeUnknown`].
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; attr body: String; attr views: u64; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>) -> Result<(), awstin::dynamodb::Error> {
    /// if let Some(mut doc) = docs.get("readme").await? {
    ///     let one = 1;
    ///     docs.update_versioned(&mut doc, awstin::update!(views += one)).await?;
    ///     println!("{} views at version {}", doc.views, doc.rev);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn update_versioned<'t, F, U>(
        &'t self,
        item: &'t mut M,
        update: F,
    ) -> Write<'t, M, kind::UpdateVersioned<'t, M, F>>
    where
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    {
        self.write(kind::UpdateVersioned { item, update })
    }

    /// A versioned delete: deletes `item` if the stored version is the one it was read with
    /// (for version 0: if there is still no item, deleting nothing). Another writer's change
    /// since the read is [`Error::Conflict`], with the item as it is now. When an attempt that
    /// may have been applied is followed by one that finds no item, this delete or another
    /// writer's removed it: [`Error::OutcomeUnknown`] (with [`once`](Write::once), exact).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; attr done: bool; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>) -> Result<(), awstin::dynamodb::Error> {
    /// if let Some(doc) = docs.get("readme").await? {
    ///     docs.delete_versioned(&doc).when(awstin::cond!(done == true)).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn delete_versioned<'t>(
        &'t self,
        item: &'t M,
    ) -> Write<'t, M, kind::DeleteVersioned<'t, M>> {
        self.write(kind::DeleteVersioned(item))
    }
}
