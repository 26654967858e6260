//! Puts: [`Table::put`] and [`Table::put_versioned`], their kinds, descriptions and results.

use aws_sdk_dynamodb::types::WriteRequest;
use awstin_core::op::{self, WriteSpec};
use awstin_core::{Encode, TableModel, Unversioned, Versioned};

use super::{Guard, How, OnceKind, Plan, Settled, Write, WriteKind};
use crate::dynamodb::Table;
use crate::dynamodb::backend;
use crate::dynamodb::batch::BatchItem;
use crate::dynamodb::builders::{Cond, Unset, sealed};
use crate::dynamodb::error::{Call, Error};
use crate::dynamodb::transact::{Applied, MemberKind};

/// A put of an item ([`Table::put`]).
#[derive(Debug)]
pub struct Put<'a, M>(pub(crate) &'a M);

/// A versioned put ([`Table::put_versioned`]).
#[derive(Debug)]
pub struct PutVersioned<'a, M>(pub(crate) &'a mut M);

impl<M> sealed::Kind for Put<'_, M> {}
impl<M> sealed::Kind for PutVersioned<'_, M> {}

impl<'a, M: TableModel + Unversioned + Encode> WriteKind<M> for Put<'a, M> {
    type Output<G: Guard<M>> = G::Out<()>;
    type After = ();
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
        how: How<'_>,
    ) -> Result<(Plan<'c>, ()), Error>
    where
        Cond<G, M>: 'c,
    {
        let condition = sealed::Guard::condition(guard);
        let name: &str = table.bound()?;
        let spec = WriteSpec::put(name, self.0).when_opt(condition.as_ref());
        let write = how.to(spec).build(backend::write)?;
        Ok((Plan::new(table, write, None, condition), ()))
    }
    fn finish<G: Guard<M>>(_: (), call: &Call, settled: Settled) -> Result<G::Out<()>, Error> {
        <G as sealed::Guard<M>>::out(settled.written(|_| Ok(()))?, call)
    }
}

impl<'a, M: Versioned + Encode + Send> WriteKind<M> for PutVersioned<'a, M> {
    type Output<G: Guard<M>> = G::Out<()>;
    type After = (&'a mut M, u64);
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
        how: How<'_>,
    ) -> Result<(Plan<'c>, Self::After), Error>
    where
        Cond<G, M>: 'c,
    {
        let lock = op::Lock {
            attribute: M::VERSION,
            read: self.0.version(),
        };
        let next = lock.next()?;
        let condition = sealed::Guard::condition(guard);
        let name: &str = table.bound()?;
        // Described with the next version, which the model derives: the caller's item keeps
        // the version read until the write is known to be applied.
        let spec = WriteSpec::put(name, &*self.0)
            .when_opt(condition.as_ref())
            .locked(lock);
        let write = how.to(spec).build(backend::write)?;
        let plan = Plan::new(table, write, Some(lock), condition);
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
        <G as sealed::Guard<M>>::out(written, call)
    }
}

impl<'a, M: Versioned + Encode + Send> OnceKind<M> for PutVersioned<'a, M> {
    type OnceOutput<G: Guard<M>> = G::Out<()>;
    fn finish_once<G: Guard<M>>(
        after: Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        Self::finish::<G>(after, call, settled)
    }
}

impl<'a, 'w, M> MemberKind<'a, M> for Put<'w, M>
where
    Put<'w, M>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Applied<'a>> {
        None
    }
}

impl<'a, 'w: 'a, M> MemberKind<'a, M> for PutVersioned<'w, M>
where
    M: Versioned + Send + 'a,
    PutVersioned<'w, M>: WriteKind<M, After = (&'w mut M, u64)>,
{
    fn applied((item, next): (&'w mut M, u64)) -> Option<Applied<'a>> {
        Some(Box::new(move || item.set_version(next)))
    }
}

impl<'t, M> BatchItem<'t, M> for Write<'t, M, Put<'t, M>, Unset>
where
    M: TableModel + Unversioned + Encode,
{
    fn table(&self) -> &'t Table<M> {
        self.table_of()
    }
    fn key(&self) -> op::Key<'_> {
        op::Key::of_item(self.kind().0)
    }
    fn request(&self, table: &str, call: &Call) -> Result<WriteRequest, Error> {
        WriteSpec::put(table, self.kind().0)
            .member()
            .build(|w| backend::batch_request(w, call))
    }
}

impl<M: TableModel> Table<M> {
    /// A put of `item`, replacing any item with the same key; awaited, `()`. With
    /// [`when`](Write::when), [`Written`](super::Written). A put is idempotent, so the client's
    /// retries cannot change its outcome; under a condition, an attempt whose answer was lost
    /// followed by one that finds the condition false is [`Error::OutcomeUnknown`], with the
    /// stored item: an item equal to this put's may be its own or another caller's. Send it
    /// with a token, or write what makes the item yours (a claim id) and read the stored item.
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
    pub fn put<'t>(&'t self, item: &'t M) -> Write<'t, M, Put<'t, M>>
    where
        M: Unversioned + Encode,
    {
        Write::new(self, Put(item))
    }
}

impl<M: Versioned + Encode + Send> Table<M> {
    /// A versioned put: writes `item` if the stored version is the one it was read with, or,
    /// for version 0 (never stored), if no item has its key; stores it at the next version,
    /// which `item` then carries. Another writer's change since the read is
    /// [`Error::Conflict`], with the item as it is now. With [`when`](Write::when), the
    /// caller's condition must hold too, and the result is [`Written`](super::Written).
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
    pub fn put_versioned<'t>(&'t self, item: &'t mut M) -> Write<'t, M, PutVersioned<'t, M>> {
        Write::new(self, PutVersioned(item))
    }
}
