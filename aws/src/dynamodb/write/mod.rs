//! Writes. Every write kind (put, update, delete, their versioned forms, and the condition
//! check of a transaction) is a [`Write`] builder, made by a [`Table`] method, configured with
//! [`when`](Write::when) and [`once`](Write::once), then awaited, added to a transaction, or
//! (puts and deletes without a condition) to a batch.
//!
//! A kind's parts sit in its own file (`put.rs`, `update.rs`, `delete.rs`, `check.rs`,
//! `once.rs`): the kind, the [`Table`] method that makes it, how it is described (an
//! [`op::WriteSpec`], the description the JSON backend writes too, with everything the model
//! derives and every check) and what its settled answer becomes. The rest is shared:
//! - [`Plan`]: a described write written into the SDK's types (by the SDK backend,
//!   `backend.rs`);
//! - [`send::execute`]: sends a plan alone and settles its answer with the core's
//!   [`op::settle`], the one place answers are settled.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use awstin_core::op;
use awstin_core::{Condition, DecodeFrom, Model, Update};

use super::Table;
use super::backend;
use super::builders::sealed;
use super::builders::{Cond, Guard, Unset, With};
use super::codec::{AvRef, Item, from_item};
use super::error::{Call, Error, Operation};
use super::explain::Explain;
pub use written::{ConditionFailed, Written};

mod check;
mod delete;
mod once;
mod put;
pub(crate) mod send;
mod update;
pub(crate) mod written;

/// The write kinds: what [`Table`]'s write methods make. Their types appear in [`Write`]'s;
/// nothing here is made directly.
pub mod kind {
    pub use super::check::Check;
    pub use super::delete::{Delete, DeleteVersioned};
    pub use super::once::Once;
    pub use super::put::{Put, PutVersioned};
    pub use super::update::{Update, UpdateVersioned};
}

/// How a write is sent: alone (asking back its item) or as a transaction's member, and with
/// an idempotency token or not.
#[derive(Debug, Clone, Copy, Default)]
#[doc(hidden)]
pub struct How<'a> {
    pub(crate) token: Option<&'a str>,
    pub(crate) member: bool,
}

impl<'a> How<'a> {
    /// Applies this to a spec.
    pub(crate) fn to<'s, M, U, C>(
        self,
        spec: op::WriteSpec<'s, M, U, C>,
    ) -> op::WriteSpec<'s, M, U, C>
    where
        'a: 's,
        M: Model,
        U: Update<Model = M>,
        C: Condition<Model = M>,
    {
        // The token is checked (1 to 36 bytes) when the spec is built.
        let spec = match self.token {
            Some(token) => spec.once(token),
            None => spec,
        };
        if self.member { spec.member() } else { spec }
    }
}

/// A write described and written for the SDK, before anything is awaited: sent by
/// [`send::execute`] alone, or as a transaction member.
#[derive(Debug)]
pub struct Plan<'c> {
    pub(crate) call: Call,
    pub(crate) write: backend::SdkWrite,
    pub(crate) lock: Option<op::Lock>,
    /// The caller's condition, to name its false clauses.
    pub(crate) explain: Option<Explain<'c>>,
}

impl<'c> Plan<'c> {
    /// The plan of a write to `table`, described and written ([`backend::write`]), with the
    /// caller's `condition` kept to explain a false answer.
    pub(crate) fn new<M: Model, C: Condition<Model = M> + Send + 'c>(
        table: &Table<M>,
        write: backend::SdkWrite,
        lock: Option<op::Lock>,
        condition: Option<C>,
    ) -> Plan<'c> {
        Plan {
            call: table.call(Operation::of(write.operation)),
            write,
            lock,
            explain: Explain::of(condition),
        }
    }
}

/// A write kind: what [`Write`] does, made by a [`Table`] method. Its methods are the write
/// path's own (sealed).
pub trait WriteKind<M>: sealed::Kind + Sized {
    /// The write's result under guard `G`.
    type Output<G: Guard<M>>;
    /// What the write needs after sending (the caller's item, to move its version on).
    #[doc(hidden)]
    type After;
    /// Describes the write.
    #[doc(hidden)]
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
        how: How<'_>,
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

/// How a write ended, settled, before its kind reads it.
#[doc(hidden)]
pub enum Settled {
    /// Applied, with the attributes returned.
    Applied(Option<Item>),
    /// The condition was false on this stored item.
    ConditionFalse(Box<ConditionFailed>),
    /// No item with the key.
    NoItem,
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
pub struct Write<'t, M, K, G = Unset> {
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

impl<'t, M: Model, K: WriteKind<M>> Write<'t, M, K, Unset> {
    /// Applies the write only if `condition` holds for the stored item (for a versioned
    /// write, besides its version). The result is then [`Written`]: applied, condition false
    /// (with the stored item), or no item.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Todo { table "Todos"; key id: String; attr done: bool } }
    /// # async fn f(todos: awstin::dynamodb::Table<Todo>) -> Result<(), awstin::dynamodb::Error> {
    /// let deleted = todos.delete("a").when(awstin::cond!(done == true)).await?.is_applied();
    /// # Ok(()) }
    /// ```
    pub fn when<G, C>(self, condition: G) -> Write<'t, M, K, With<G>>
    where
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        Write {
            table: self.table,
            kind: self.kind,
            guard: With(condition),
        }
    }
}

impl<'t, M, K> Write<'t, M, K, Unset> {
    /// A write (of `kind`) of `table`, without a condition yet.
    pub(crate) fn new(table: &'t Table<M>, kind: K) -> Self {
        Write {
            table,
            kind,
            guard: Unset,
        }
    }

    /// The kind of a write without a condition (a batch request).
    pub(crate) fn kind(&self) -> &K {
        &self.kind
    }
}

impl<'t, M, K, G> Write<'t, M, K, G> {
    /// A write of `table` under guard `guard`.
    pub(crate) fn with_guard(table: &'t Table<M>, kind: K, guard: G) -> Self {
        Write { table, kind, guard }
    }

    /// The table that made the write.
    pub(crate) fn table_of(&self) -> &'t Table<M> {
        self.table
    }

    /// The parts, for a modifier that changes the kind.
    pub(crate) fn into_parts(self) -> (&'t Table<M>, K, G) {
        (self.table, self.kind, self.guard)
    }
}

impl<'t, M, K, G> Write<'t, M, K, G>
where
    M: Model,
    K: WriteKind<M>,
    G: Guard<M>,
{
    /// The write described and written for the SDK, and what its kind needs after sending.
    pub(crate) fn plan<'c>(self, how: How<'_>) -> Result<(Plan<'c>, K::After), Error>
    where
        Cond<G, M>: 'c,
    {
        self.kind.plan(self.table, self.guard, how)
    }
}

/// The future of a write, boxed: one allocation per write keeps a handler's future small and
/// its type shallow, so a `main` with a handler, a table and a client compiles at the default
/// recursion limit.
pub(crate) type Boxed<'t, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 't>>;

impl<'t, M, K, G> IntoFuture for Write<'t, M, K, G>
where
    M: Model + 't,
    K: WriteKind<M> + 't,
    K::After: Send + 't,
    K::Output<G>: Send + 't,
    G: Guard<M> + 't,
{
    type Output = Result<K::Output<G>, Error>;
    type IntoFuture = Boxed<'t, K::Output<G>>;

    fn into_future(self) -> Self::IntoFuture {
        let table = self.table;
        let planned = self.plan(How::default());
        Box::pin(async move {
            let (plan, after) = planned?;
            let call = plan.call.clone();
            let settled = send::execute(&table.db, plan).await?;
            K::finish::<G>(after, &call, settled)
        })
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
