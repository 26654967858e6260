//! Updates: [`Table::update`] and [`Table::update_versioned`], their kinds, descriptions and
//! results.

use awstin_core::op::{self, WriteSpec};
use awstin_core::{
    DecodeFrom, Encode, KeyOf, TableModel, Unversioned, Update as Actions, Versioned,
};

use super::{Guard, How, OnceKind, Plan, Settled, Write, WriteKind, updated};
use crate::dynamodb::Table;
use crate::dynamodb::backend;
use crate::dynamodb::builders::{Cond, sealed};
use crate::dynamodb::codec::AvRef;
use crate::dynamodb::error::{Call, Error};
use crate::dynamodb::transact::{Applied, MemberKind};

/// An update of the item with a key ([`Table::update`]).
pub struct Update<K, F> {
    pub(crate) key: K,
    pub(crate) update: F,
}

/// A versioned update ([`Table::update_versioned`]).
pub struct UpdateVersioned<'a, M, F> {
    pub(crate) item: &'a mut M,
    pub(crate) update: F,
}

impl<K: std::fmt::Debug, F> std::fmt::Debug for Update<K, F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Update")
            .field("key", &self.key)
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

impl<K, F> sealed::Kind for Update<K, F> {}
impl<M, F> sealed::Kind for UpdateVersioned<'_, M, F> {}

impl<M, K, F, U> WriteKind<M> for Update<K, F>
where
    M: TableModel + Unversioned + for<'a> DecodeFrom<AvRef<'a>>,
    K: KeyOf<M>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Actions<Model = M>,
{
    type Output<G: Guard<M>> = G::Out<M>;
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
        let update = (self.update)(M::FIELDS);
        let condition = sealed::Guard::condition(guard);
        let name: &str = table.bound()?;
        let spec = WriteSpec::update(name, op::Key::of::<M, K>(&self.key), &update)
            .when_opt(condition.as_ref());
        let write = how.to(spec).build(backend::write)?;
        Ok((Plan::new(table, write, None, condition), ()))
    }
    fn finish<G: Guard<M>>(_: (), call: &Call, settled: Settled) -> Result<G::Out<M>, Error> {
        <G as sealed::Guard<M>>::out(settled.written(|item| updated(call, item))?, call)
    }
}

impl<M, K, F, U> OnceKind<M> for Update<K, F>
where
    Update<K, F>: WriteKind<M, After = ()>,
    M: TableModel + Unversioned,
    K: KeyOf<M>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Actions<Model = M>,
{
    type OnceOutput<G: Guard<M>> = G::Out<()>;
    fn finish_once<G: Guard<M>>(
        (): (),
        call: &Call,
        settled: Settled,
    ) -> Result<G::Out<()>, Error> {
        <G as sealed::Guard<M>>::out(settled.written(|_| Ok(()))?, call)
    }
}

impl<'a, M, F, U> WriteKind<M> for UpdateVersioned<'a, M, F>
where
    M: Versioned + Encode + Send + for<'b> DecodeFrom<AvRef<'b>>,
    F: FnOnce(&'static M::Fields) -> U,
    U: Actions<Model = M>,
{
    type Output<G: Guard<M>> = G::Out<()>;
    type After = &'a mut M;
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
        how: How<'_>,
    ) -> Result<(Plan<'c>, &'a mut M), Error>
    where
        Cond<G, M>: 'c,
    {
        let lock = op::Lock {
            attribute: M::VERSION,
            read: self.item.version(),
        };
        let update = (self.update)(M::FIELDS);
        let condition = sealed::Guard::condition(guard);
        let name: &str = table.bound()?;
        let spec = WriteSpec::update(name, op::Key::of_item(&*self.item), &update)
            .when_opt(condition.as_ref())
            .locked(lock);
        let write = how.to(spec).build(backend::write)?;
        Ok((Plan::new(table, write, Some(lock), condition), self.item))
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
        <G as sealed::Guard<M>>::out(written, call)
    }
}

impl<'a, M, K, F> MemberKind<'a, M> for Update<K, F>
where
    Update<K, F>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Applied<'a>> {
        None
    }
}

impl<M: TableModel> Table<M> {
    /// An update of the item with `key` (creating it if missing, as DynamoDB does); awaited,
    /// the item as it is afterwards. With [`when`](Write::when), [`Written`](super::Written) of
    /// it.
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
    pub fn update<'t, K, F, U>(&'t self, key: K, update: F) -> Write<'t, M, Update<K, F>>
    where
        M: Unversioned,
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Actions<Model = M>,
    {
        Write::new(self, Update { key, update })
    }
}

impl<M: Versioned + Encode + Send> Table<M> {
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
    ) -> Write<'t, M, UpdateVersioned<'t, M, F>>
    where
        F: FnOnce(&'static M::Fields) -> U,
        U: Actions<Model = M>,
    {
        Write::new(self, UpdateVersioned { item, update })
    }
}
