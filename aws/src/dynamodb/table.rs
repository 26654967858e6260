//! [`Table`]: a model's table (or index), where its reads and writes begin.

use std::marker::PhantomData;
use std::sync::Arc;

use awstin_core::{DecodeFrom, KeyOf, Model, TableModel};

use awstin_core::op::{Key, ReadSpec};

use super::backend;
use super::builders::Unset;
use super::codec::{AvRef, from_item};
use super::error::{self, Call, Error, Operation};
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
    /// The name requests use: the model's literal, or the runtime name it is bound to.
    name: Arc<str>,
    /// Why this binding is refused (an index model of another table), found when the table
    /// was bound and reported by every call before sending.
    refused: Option<Refusal>,
    /// The table's key, for an index model reached through its table's model.
    table_key: Option<awstin_core::KeySchema>,
    _model: PhantomData<fn() -> M>,
}

/// Why a table binding is refused.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    IndexOfAnotherTable,
}

impl<M> Clone for Table<M> {
    fn clone(&self) -> Self {
        Table {
            db: self.db.clone(),
            name: self.name.clone(),
            refused: self.refused,
            table_key: self.table_key,
            _model: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Table<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("type", &std::any::type_name::<M>())
            .field("name", &self.name)
            .finish()
    }
}

impl<M: Model> Table<M> {
    pub(crate) fn new(db: DynamoDb, name: Arc<str>) -> Self {
        Table {
            db,
            refused: None,
            name,
            table_key: M::TABLE_KEY,
            _model: PhantomData,
        }
    }

    /// The name of the table requests go to: the model's literal (`table "Todos"`), the name
    /// the client's [`TableNames`](super::TableNames) give it, or the one it was bound to
    /// with [`DynamoDb::table_named`]. For an index model, the name of its table.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32 } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) {
    /// assert_eq!(db.table::<Movie>().name(), "Movies");
    /// assert_eq!(db.table_named::<Movie>("prod-Movies-1A2B").name(), "prod-Movies-1A2B");
    /// # }
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The table's name as requests send it (their description checks it), or
    /// [`IndexOfAnotherTable`](awstin_core::Error::IndexOfAnotherTable) for an index model
    /// bound to another model's table.
    pub(crate) fn bound(&self) -> Result<&Arc<str>, Error> {
        match self.refused {
            None => Ok(&self.name),
            Some(Refusal::IndexOfAnotherTable) => {
                Err(Error::from(awstin_core::Error::IndexOfAnotherTable {
                    index: M::SOURCE.index().unwrap_or_default(),
                    table: M::SOURCE.table(),
                }))
            }
        }
    }

    /// Index model `I` of this table, bound to the same runtime name. An index model of
    /// another table (or a table model) is [`Refusal::IndexOfAnotherTable`](crate::dynamodb::Refusal::IndexOfAnotherTable) at its first call,
    /// before sending.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr genre: String } }
    /// # awstin::dynamo_model! { pub struct ByGenre { index "by-genre" on "Movies"; key genre: String; key year: u32 } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) {
    /// let movies = db.table_named::<Movie>("prod-Movies");
    /// assert_eq!(movies.index_model::<ByGenre>().name(), "prod-Movies");
    /// # }
    /// ```
    pub fn index_model<I: Model>(&self) -> Table<I> {
        let mut index = Table::new(self.db.clone(), self.name.clone());
        let ours = I::SOURCE.index().is_some() && I::SOURCE.table() == M::SOURCE.table();
        if !ours {
            index.refused = Some(Refusal::IndexOfAnotherTable);
        }
        index.table_key = M::TABLE_KEY;
        index
    }

    /// The key of the table, where known: see [`Model::TABLE_KEY`].
    pub(crate) fn table_key(&self) -> Option<awstin_core::KeySchema> {
        self.table_key
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
        Call::new(operation, self.name.clone()).on_index(self.index())
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

impl<M: TableModel> Table<M> {
    /// Reads the item with `key`: the partition key value, `(partition, sort)`, or
    /// [`Model::key`] of an item; awaited, `None` when there is none. Eventually consistent
    /// unless [`consistent_read`](Get::consistent_read) is asked for.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let movie: Option<Movie> = movies.get((2015, "The Big New Movie")).await?;
    /// let now: Option<Movie> = movies.get((2015, "The Big New Movie")).consistent_read().await?;
    /// # Ok(()) }
    /// ```
    pub fn get<K: KeyOf<M>>(&self, key: K) -> Get<'_, M, K> {
        Get {
            table: self,
            key,
            consistent: false,
        }
    }
}

/// A GetItem of one item by key, made by [`Table::get`]; awaited, the item or `None`.
#[must_use = "a read does nothing until awaited"]
#[derive(Debug)]
pub struct Get<'t, M, K> {
    table: &'t Table<M>,
    key: K,
    consistent: bool,
}

impl<M, K> Get<'_, M, K> {
    /// A strongly consistent read: it reflects every write DynamoDB acknowledged before it.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let movie = movies.get((2015, "The Big New Movie")).consistent_read().await?;
    /// # Ok(()) }
    /// ```
    pub fn consistent_read(mut self) -> Self {
        self.consistent = true;
        self
    }
}

impl<'t, M, K> std::future::IntoFuture for Get<'t, M, K>
where
    M: TableModel + Send + for<'a> DecodeFrom<AvRef<'a>> + 't,
    K: KeyOf<M>,
{
    type Output = Result<Option<M>, Error>;
    type IntoFuture = super::write::Boxed<'t, Option<M>>;

    fn into_future(self) -> Self::IntoFuture {
        let Get {
            table,
            key,
            consistent,
        } = self;
        // Described and checked now: the future holds the request, not the key.
        let request = table.bound().and_then(|name| {
            ReadSpec::<M>::get(name, Key::of::<M, K>(&key))
                .consistent(consistent)
                .build(|read| backend::get(&table.db.client, read))
        });
        Box::pin(async move {
            let out = request?
                .send()
                .await
                .map_err(|e| error::from_sdk(table.call(Operation::GetItem), e))?;
            match out.item {
                Some(item) => Ok(Some(from_item(&item)?)),
                None => Ok(None),
            }
        })
    }
}
