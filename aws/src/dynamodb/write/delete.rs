//! Deletes: [`Table::delete`] and [`Table::delete_versioned`], their kinds, descriptions and
//! results.

use aws_sdk_dynamodb::types::WriteRequest;
use awstin_core::op::{self, WriteSpec};
use awstin_core::{KeyOf, TableModel, Unversioned, Versioned};

use super::{Guard, How, OnceKind, Plan, Settled, Write, WriteKind, Written};
use crate::dynamodb::Table;
use crate::dynamodb::backend;
use crate::dynamodb::batch::BatchItem;
use crate::dynamodb::builders::{Cond, Unset, sealed};
use crate::dynamodb::error::{Call, Error};
use crate::dynamodb::transact::{Applied, MemberKind};

/// A delete of the item with a key ([`Table::delete`]).
#[derive(Debug)]
pub struct Delete<K>(pub(crate) K);

/// A versioned delete ([`Table::delete_versioned`]).
#[derive(Debug)]
pub struct DeleteVersioned<'a, M>(pub(crate) &'a M);

impl<K> sealed::Kind for Delete<K> {}
impl<M> sealed::Kind for DeleteVersioned<'_, M> {}

impl<M, K> WriteKind<M> for Delete<K>
where
    M: TableModel + Unversioned,
    K: KeyOf<M>,
{
    type Output<G: Guard<M>> = Written<()>;
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
        let spec =
            WriteSpec::<M>::delete(name, op::Key::of::<M, K>(&self.0)).when_opt(condition.as_ref());
        let write = how.to(spec).build(backend::write)?;
        Ok((Plan::new(table, write, None, condition), ()))
    }
    fn finish<G: Guard<M>>(_: (), _: &Call, settled: Settled) -> Result<Written<()>, Error> {
        settled.written(|_| Ok(()))
    }
}

impl<'a, M: Versioned> WriteKind<M> for DeleteVersioned<'a, M> {
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
        let lock = op::Lock {
            attribute: M::VERSION,
            read: self.0.version(),
        };
        let condition = sealed::Guard::condition(guard);
        let name: &str = table.bound()?;
        let key = self.0.key();
        let spec = WriteSpec::<M>::delete(name, op::Key::of::<M, _>(&key))
            .when_opt(condition.as_ref())
            .locked(lock);
        let write = how.to(spec).build(backend::write)?;
        Ok((Plan::new(table, write, Some(lock), condition), ()))
    }
    fn finish<G: Guard<M>>(_: (), call: &Call, settled: Settled) -> Result<G::Out<()>, Error> {
        <G as sealed::Guard<M>>::out(settled.written(|_| Ok(()))?, call)
    }
}

impl<'a, M: Versioned> OnceKind<M> for DeleteVersioned<'a, M> {
    type OnceOutput<G: Guard<M>> = G::Out<()>;
    fn finish_once<G: Guard<M>>(
        after: Self::After,
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        Self::finish::<G>(after, call, settled)
    }
}

impl<'a, M, K> MemberKind<'a, M> for Delete<K>
where
    Delete<K>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Applied<'a>> {
        None
    }
}

impl<'a, 'w, M> MemberKind<'a, M> for DeleteVersioned<'w, M>
where
    DeleteVersioned<'w, M>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Applied<'a>> {
        None
    }
}

impl<'t, M, K> BatchItem<'t, M> for Write<'t, M, Delete<K>, Unset>
where
    M: TableModel + Unversioned,
    K: KeyOf<M>,
{
    fn table(&self) -> &'t Table<M> {
        self.table_of()
    }
    fn key(&self) -> op::Key<'_> {
        op::Key::of::<M, K>(&self.kind().0)
    }
    fn request(&self, table: &str, call: &Call) -> Result<WriteRequest, Error> {
        WriteSpec::<M>::delete(table, op::Key::of::<M, K>(&self.kind().0))
            .member()
            .build(|w| backend::batch_request(w, call))
    }
}

impl<M: TableModel> Table<M> {
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
    pub fn delete<'t, K: KeyOf<M>>(&'t self, key: K) -> Write<'t, M, Delete<K>>
    where
        M: Unversioned,
    {
        Write::new(self, Delete(key))
    }
}

impl<M: Versioned> Table<M> {
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
    pub fn delete_versioned<'t>(&'t self, item: &'t M) -> Write<'t, M, DeleteVersioned<'t, M>> {
        Write::new(self, DeleteVersioned(item))
    }
}
