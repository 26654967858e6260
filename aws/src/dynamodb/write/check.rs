//! Condition checks: [`Table::check`], a transaction's member that requires a condition of an
//! item without changing it.

use awstin_core::op::{self, WriteSpec};
use awstin_core::{Condition, KeyOf, TableModel};

use super::{Guard, How, Plan, Settled, Write, WriteKind};
use crate::dynamodb::Table;
use crate::dynamodb::backend;
use crate::dynamodb::builders::{Cond, With, sealed};
use crate::dynamodb::error::{Call, Error};
use crate::dynamodb::transact::{Applied, MemberKind};

/// A condition on the item with a key, for a transaction ([`Table::check`]).
#[derive(Debug)]
pub struct Check<K>(pub(crate) K);

impl<K> sealed::Kind for Check<K> {}

impl<M, K> WriteKind<M> for Check<K>
where
    M: TableModel,
    K: KeyOf<M>,
{
    type Output<G: Guard<M>> = ();
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
        let key = op::Key::of::<M, K>(&self.0);
        let write = match &condition {
            Some(c) => how
                .to(WriteSpec::check(name, key, c))
                .build(backend::write)?,
            None => {
                return Err(Error::UnexpectedAnswer {
                    call: table.call(crate::dynamodb::Operation::TransactWriteItems),
                    missing: "the condition of a condition check",
                });
            }
        };
        Ok((Plan::new(table, write, None, condition), ()))
    }
    fn finish<G: Guard<M>>(_: (), _: &Call, _: Settled) -> Result<(), Error> {
        Ok(())
    }
}

impl<'a, M, K> MemberKind<'a, M> for Check<K>
where
    Check<K>: WriteKind<M, After = ()>,
{
    fn applied((): ()) -> Option<Applied<'a>> {
        None
    }
}

impl<M: TableModel> Table<M> {
    /// A condition on the item with `key`, without changing it: a member of a transaction
    /// ([`TransactWrite::write`](crate::dynamodb::TransactWrite::write)), which fails unless
    /// it holds.
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
    pub fn check<'t, K, G, C>(&'t self, key: K, condition: G) -> Write<'t, M, Check<K>, With<G>>
    where
        K: KeyOf<M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        Write::with_guard(self, Check(key), With(condition))
    }
}
