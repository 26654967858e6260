//! `Table<M>`: single-item operations.

use std::marker::PhantomData;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};
use awstin_core::{Condition, DecodeFrom, Encode, KeyOf, Model, TableModel, Update};

use super::codec::{AvRef, Item, from_item, item_to_write, to_attribute_value};
use super::error::{self, Error};
use super::expr::{Absent, Render};
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
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Table<M> {
    fn clone(&self) -> Self {
        Table {
            db: self.db.clone(),
            _model: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for Table<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("type", &std::any::type_name::<M>())
            .finish()
    }
}

/// Builds the key map of `key` for model `M`.
pub(crate) fn key_item<M: Model, K: KeyOf<M> + ?Sized>(key: &K) -> Result<Item, Error> {
    let mut item = Item::new();
    item.insert(
        M::KEY.partition.name.to_owned(),
        to_attribute_value(key.partition())?,
    );
    if let (Some(attr), Some(value)) = (M::KEY.sort, key.sort()) {
        item.insert(attr.name.to_owned(), to_attribute_value(value)?);
    }
    Ok(item)
}

impl<M: Model> Table<M> {
    pub(crate) fn new(db: DynamoDb) -> Self {
        Table {
            db,
            _model: PhantomData,
        }
    }

    /// The table's name.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32 } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) { assert_eq!(db.table::<Movie>().name(), "Movies"); }
    /// ```
    pub fn name(&self) -> &'static str {
        M::SOURCE.table()
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
    pub fn query<K, C>(&self, key: K) -> Query<'_, M, K, Absent, Absent>
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
    pub fn scan(&self) -> Scan<'_, M, Absent, Absent> {
        Scan::new(self)
    }
}

impl<M> Table<M>
where
    M: TableModel + Encode + for<'a> DecodeFrom<AvRef<'a>>,
{
    /// Reads the item with `key`: the partition key value, `(partition, sort)`, or
    /// [`Model::key`] of an item. `None` when there is none.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let movie: Option<Movie> = movies.get((2015, "The Big New Movie")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get<K: KeyOf<M>>(&self, key: K) -> Result<Option<M>, Error> {
        let key = key_item::<M, K>(&key)?;
        let out = self
            .db
            .client
            .get_item()
            .table_name(self.name())
            .set_key(Some(key))
            .send()
            .await
            .map_err(error::from_sdk)?;
        match out.item {
            Some(item) => Ok(Some(from_item(&item)?)),
            None => Ok(None),
        }
    }

    /// Writes `item`, replacing any item with the same key.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// movies.put(&Movie { year: 2015, title: "The Big New Movie".into() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn put(&self, item: &M) -> Result<(), Error> {
        self.db
            .client
            .put_item()
            .table_name(self.name())
            .set_item(Some(item_to_write(item)?))
            .send()
            .await
            .map_err(error::from_sdk)?;
        Ok(())
    }

    /// Writes `item` if `condition` holds; `false` when it did not (nothing written).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>, m: Movie) -> Result<(), awstin::dynamodb::Error> {
    /// let created = movies.put_if(&m, awstin::cond!(attribute_not_exists(year))).await?;
    /// # Ok(()) }
    /// ```
    pub async fn put_if<F, C>(&self, item: &M, condition: F) -> Result<bool, Error>
    where
        F: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let condition = condition(M::FIELDS);
        let mut render = Render::new();
        render.condition(&condition)?;
        let e = render.finish()?;
        let result = self
            .db
            .client
            .put_item()
            .table_name(self.name())
            .set_item(Some(item_to_write(item)?))
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .send()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(e) if error::is_condition_failed(&e) => Ok(false),
            Err(e) => Err(error::from_sdk(e)),
        }
    }

    /// Applies `update` to the item with `key` (creating it if missing, as DynamoDB does)
    /// and returns the item as it is afterwards.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let updated: Movie = movies.update((2015, "The Big New Movie"), awstin::update!(rating += 1)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update<K, F, U>(&self, key: K, update: F) -> Result<M, Error>
    where
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    {
        let update = update(M::FIELDS);
        let mut render = Render::new();
        render.update(&update)?;
        self.send_update(&key, render)
            .await?
            .ok_or(Error::Unsupported {
                message: "DynamoDB returned no item for an unconditional update",
            })
    }

    /// Applies `update` if `condition` holds, and returns the item as it is afterwards;
    /// `None` when the condition failed (the item is unchanged).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr actors: Vec<String> } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let actor_count = 3;
    /// let updated = movies
    ///     .update_if((2015, "The Big New Movie"), awstin::update!(remove(actors[0])), awstin::cond!(size(actors) >= actor_count))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_if<K, F, U, G, C>(
        &self,
        key: K,
        update: F,
        condition: G,
    ) -> Result<Option<M>, Error>
    where
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let update = update(M::FIELDS);
        let condition = condition(M::FIELDS);
        let mut render = Render::new();
        render.update(&update)?;
        render.condition(&condition)?;
        self.send_update(&key, render).await
    }

    async fn send_update<K: KeyOf<M>>(
        &self,
        key: &K,
        render: Render<'_>,
    ) -> Result<Option<M>, Error> {
        let e = render.finish()?;
        let result = self
            .db
            .client
            .update_item()
            .table_name(self.name())
            .set_key(Some(key_item::<M, K>(key)?))
            .set_update_expression(e.update)
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .return_values(ReturnValue::AllNew)
            .send()
            .await;
        match result {
            Ok(out) => match out.attributes {
                Some(item) => Ok(Some(from_item(&item)?)),
                None => Ok(None),
            },
            Err(e) if error::is_condition_failed(&e) => Ok(None),
            Err(e) => Err(error::from_sdk(e)),
        }
    }

    /// Deletes the item with `key`; `true` when an item was deleted, `false` when there was
    /// none.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let deleted = movies.delete((2015, "The Big New Movie")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete<K: KeyOf<M>>(&self, key: K) -> Result<bool, Error> {
        self.send_delete(&key, Render::new()).await
    }

    /// Deletes the item with `key` if `condition` holds; `true` when deleted, `false` when
    /// the condition failed (or there was no item).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
    /// let rating = 5;
    /// let deleted = movies.delete_if((2015, "The Big New Movie"), awstin::cond!(rating <= rating)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_if<K, G, C>(&self, key: K, condition: G) -> Result<bool, Error>
    where
        K: KeyOf<M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let condition = condition(M::FIELDS);
        let mut render = Render::new();
        render.condition(&condition)?;
        self.send_delete(&key, render).await
    }

    async fn send_delete<K: KeyOf<M>>(&self, key: &K, render: Render<'_>) -> Result<bool, Error> {
        let e = render.finish()?;
        let result = self
            .db
            .client
            .delete_item()
            .table_name(self.name())
            .set_key(Some(key_item::<M, K>(key)?))
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .return_values(ReturnValue::AllOld)
            .send()
            .await;
        match result {
            Ok(out) => Ok(out
                .attributes
                .is_some_and(|a: std::collections::HashMap<String, AttributeValue>| !a.is_empty())),
            Err(e) if error::is_condition_failed(&e) => Ok(false),
            Err(e) => Err(error::from_sdk(e)),
        }
    }
}
