//! Writes sent once: [`Write::once`], a write sent as a one-member transaction with an
//! idempotency token, whose repeats DynamoDB answers with the first outcome.

use awstin_core::Model;

use super::{Guard, How, OnceKind, Plan, Settled, Write, WriteKind};
use crate::dynamodb::Table;
use crate::dynamodb::builders::{Cond, sealed};
use crate::dynamodb::error::{Call, Error};

/// A write sent with a token ([`Write::once`]).
pub struct Once<K> {
    pub(crate) kind: K,
    pub(crate) token: String,
}

impl<K: std::fmt::Debug> std::fmt::Debug for Once<K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Once")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl<K> sealed::Kind for Once<K> {}

impl<M, K: OnceKind<M>> WriteKind<M> for Once<K> {
    type Output<G: Guard<M>> = K::OnceOutput<G>;
    type After = K::After;
    fn plan<'c, G: Guard<M>>(
        self,
        table: &Table<M>,
        guard: G,
        how: How<'_>,
    ) -> Result<(Plan<'c>, K::After), Error>
    where
        Cond<G, M>: 'c,
    {
        self.kind.plan(
            table,
            guard,
            How {
                token: Some(&self.token),
                ..how
            },
        )
    }
    fn finish<G: Guard<M>>(
        after: K::After,
        call: &Call,
        settled: Settled,
    ) -> Result<K::OnceOutput<G>, Error> {
        K::finish_once::<G>(after, call, settled)
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
    /// answer. Not offered: on plain puts and deletes, whose repeat leaves the same item, and
    /// on versioned updates, which make the caller's item the one stored after them, which a
    /// transaction does not return. A transaction costs twice the write capacity of a single
    /// write. `token` takes 1 to 36 bytes of UTF-8
    /// ([`InvalidToken`](awstin_core::Error::InvalidToken) when awaited, before sending).
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
    pub fn once(self, token: &str) -> Write<'t, M, Once<K>, G> {
        let (table, kind, guard) = self.into_parts();
        Write::with_guard(
            table,
            Once {
                kind,
                token: token.to_owned(),
            },
            guard,
        )
    }
}
