//! Transactions: several writes (or reads) applied all or none.

use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, Get, Put, TransactGetItem, TransactWriteItem, Update as SdkUpdate,
};
use awstin_core::{Condition, DecodeFrom, Encode, KeyOf, Model, TableModel, Update, Versioned};

use super::DynamoDb;
use super::attempts::record;
use super::codec::{AvRef, Item, from_item};
use super::error::{self, Call, Error, Operation, ServiceError, Stored};
use super::expr::{Expressions, Render};
use super::key::{KeyOwned, first_duplicate, key_item};
use super::size::{item_size_at_least, item_to_write};
use super::versioned::{conflict, next_version, unversioned, version_checked, version_condition};

/// Renders the condition a member carries, in the member's own placeholder namespace.
fn condition_of<M: Model, G: FnOnce(&'static M::Fields) -> C, C: Condition<Model = M>>(
    condition: G,
) -> Result<Expressions, Error> {
    let condition = condition(M::FIELDS);
    let mut render = Render::new();
    render.condition(&condition)?;
    render.finish()
}

/// The error of building a member of model `M`'s table with the SDK's builders.
fn built<M: Model, T>(r: Result<T, aws_sdk_dynamodb::error::BuildError>) -> Result<T, Error> {
    error::built(
        Call::new(Operation::TransactWriteItems, M::SOURCE.table()),
        r,
    )
}

/// A TransactWriteItems request being built. Members are numbered from 0 in the order added;
/// a cancelled transaction reports the members that failed by that number.
///
/// ```no_run
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// # async fn f(db: awstin::dynamodb::DynamoDb, m: Movie) -> Result<(), awstin::dynamodb::Error> {
/// let min = 5;
/// db.transact_write()
///     .put(&m)
///     .update_if::<Movie, _, _, _, _, _>((2015, "A"), awstin::update!(rating += 1), awstin::cond!(rating >= min))
///     .delete::<Movie, _>((1999, "B"))
///     .send()
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until sent"]
#[derive(Debug)]
pub struct TransactWrite {
    db: DynamoDb,
    /// The table of the first member, named when the outcome is unknown.
    table: &'static str,
    token: Option<String>,
    items: Vec<TransactWriteItem>,
    /// The table and key of each member.
    targets: Vec<Target>,
    /// Per member: the version a versioned member requires.
    versions: Vec<Option<u64>>,
    error: Option<Error>,
}

/// A TransactGetItems request being built.
#[must_use = "a transaction does nothing until sent"]
#[derive(Debug)]
pub struct TransactGet {
    db: DynamoDb,
    /// The table of the first member, named by errors.
    table: &'static str,
    items: Vec<TransactGetItem>,
    targets: Vec<Target>,
    error: Option<Error>,
}

impl DynamoDb {
    /// Starts a write transaction.
    ///
    /// ```no_run
    /// # fn f(db: awstin::dynamodb::DynamoDb) { let _t = db.transact_write(); }
    /// ```
    pub fn transact_write(&self) -> TransactWrite {
        TransactWrite {
            db: self.clone(),
            table: "",
            token: None,
            items: Vec::new(),
            targets: Vec::new(),
            versions: Vec::new(),
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
            table: "",
            items: Vec::new(),
            targets: Vec::new(),
            error: None,
        }
    }
}

use awstin_core::limits::{
    MAX_CLIENT_REQUEST_TOKEN_CHARS as MAX_TOKEN_CHARS, MAX_TRANSACTION_BYTES,
    MAX_TRANSACTION_MEMBERS,
};

/// The table and key a member acts on.
type Target = KeyOwned;

fn target<M: Model>(table: &str, attributes: &Item) -> Target {
    KeyOwned::of::<M>(table, attributes)
}

/// Checks a transaction's size, and that no two members act on one item.
fn check_members(targets: &[Target]) -> Result<(), Error> {
    if targets.is_empty() || targets.len() > MAX_TRANSACTION_MEMBERS {
        return Err(Error::TransactionMembers {
            members: targets.len(),
            max: MAX_TRANSACTION_MEMBERS,
        });
    }
    match first_duplicate(targets.iter().map(KeyOwned::view)) {
        Some((first, second)) => Err(Error::SameItemTwice { first, second }),
        None => Ok(()),
    }
}

/// A token for a transaction sent without one: 32 random hexadecimal digits, the same for
/// every retry of the request.
fn random_token() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

impl TransactWrite {
    /// Sets the idempotency token (`ClientRequestToken`, 1 to 36 characters). DynamoDB answers
    /// a transaction whose token it applied in the last ten minutes with that first outcome,
    /// without applying it again, so a transaction sent again after a lost answer takes effect
    /// once. Without a token, one is made up per [`send`](TransactWrite::send), which covers
    /// the client's retries; naming the logical operation (the id of the message being
    /// handled) covers a repeated call too.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Counter { table "Counters"; key name: String; attr count: u64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb, message_id: &str) -> Result<(), awstin::dynamodb::Error> {
    /// let one = 1;
    /// db.transact_write()
    ///     .token(message_id)
    ///     .update::<Counter, _, _, _>("orders", awstin::update!(count += one))
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn token(mut self, token: &str) -> Self {
        let length = token.chars().count();
        if (1..=MAX_TOKEN_CHARS).contains(&length) {
            self.token = Some(token.to_owned());
        } else {
            self.error.get_or_insert(Error::InvalidToken { length });
        }
        self
    }

    fn push<M: Model>(self, item: Result<TransactWriteItem, Error>) -> Self {
        self.push_versioned::<M>(item, None)
    }

    fn push_versioned<M: Model>(
        mut self,
        item: Result<TransactWriteItem, Error>,
        version: Option<u64>,
    ) -> Self {
        match item {
            Ok(item) => {
                if self.items.is_empty() {
                    self.table = M::SOURCE.table();
                }
                let target = match (
                    item.put(),
                    item.update(),
                    item.delete(),
                    item.condition_check(),
                ) {
                    (Some(p), ..) => target::<M>(p.table_name(), p.item()),
                    (_, Some(u), ..) => target::<M>(u.table_name(), u.key()),
                    (_, _, Some(d), _) => target::<M>(d.table_name(), d.key()),
                    (.., Some(c)) => target::<M>(c.table_name(), c.key()),
                    _ => target::<M>("", &Item::new()),
                };
                self.targets.push(target);
                self.items.push(item);
                self.versions.push(version);
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Puts `item`.
    pub fn put<M: TableModel + Encode>(self, item: &M) -> Self {
        let member = put_member::<M>(item, Ok(Expressions::default()));
        self.push::<M>(member)
    }

    /// Puts `item` if `condition` holds.
    pub fn put_if<
        M: TableModel + Encode,
        F: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    >(
        self,
        item: &M,
        condition: F,
    ) -> Self {
        let member = put_member::<M>(item, condition_of::<M, _, _>(condition));
        self.push::<M>(member)
    }

    /// Updates the item with `key`.
    pub fn update<
        M: TableModel,
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    >(
        self,
        key: K,
        update: F,
    ) -> Self {
        let member = (|| {
            let update = update(M::FIELDS);
            let mut render = Render::new();
            render.update(&update)?;
            update_member::<M, K>(&key, render)
        })();
        self.push::<M>(member)
    }

    /// Updates the item with `key` if `condition` holds.
    pub fn update_if<M, K, F, U, G, C>(self, key: K, update: F, condition: G) -> Self
    where
        M: TableModel,
        K: KeyOf<M>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    {
        let member = (|| {
            let update = update(M::FIELDS);
            let condition = condition(M::FIELDS);
            let mut render = Render::new();
            render.update(&update)?;
            render.condition(&condition)?;
            update_member::<M, K>(&key, render)
        })();
        self.push::<M>(member)
    }

    /// Deletes the item with `key`.
    pub fn delete<M: TableModel, K: KeyOf<M>>(self, key: K) -> Self {
        let member = delete_member::<M, K>(&key, Ok(Expressions::default()));
        self.push::<M>(member)
    }

    /// Deletes the item with `key` if `condition` holds.
    pub fn delete_if<
        M: TableModel,
        K: KeyOf<M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    >(
        self,
        key: K,
        condition: G,
    ) -> Self {
        let member = delete_member::<M, K>(&key, condition_of::<M, _, _>(condition));
        self.push::<M>(member)
    }

    /// A versioned put ([`Table::put_versioned`](super::Table::put_versioned)) as a member:
    /// `item` is stored at the version after the one it was read with, if that is still the
    /// stored version (for version 0, if no item has the key). The caller's `item` keeps its
    /// version: after `send` succeeds, it is one more. A member that finds another version
    /// makes the transaction fail with [`Error::Conflict`], carrying the item as it is now.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb, mut a: Doc, mut b: Doc) -> Result<(), awstin::dynamodb::Error> {
    /// db.transact_write().put_versioned(&a).put_versioned(&b).send().await?;
    /// a.rev += 1;
    /// b.rev += 1;
    /// # Ok(()) }
    /// ```
    pub fn put_versioned<M: Versioned + Encode>(self, item: &M) -> Self {
        let read = item.version();
        let member = (|| {
            let (_, written) = next_version(item)?;
            let put = Put::builder()
                .table_name(M::SOURCE.table())
                .set_item(Some(written));
            let put = built::<M, _>(version_checked!(put, version_condition::<M>(read)).build())?;
            Ok(TransactWriteItem::builder().put(put).build())
        })();
        self.push_versioned::<M>(member, Some(read))
    }

    /// A versioned delete ([`Table::delete_versioned`](super::Table::delete_versioned)) as a
    /// member: the transaction fails with [`Error::Conflict`] when the stored version is not
    /// the one `item` was read with.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; version rev: u64 } }
    /// # async fn f(db: awstin::dynamodb::DynamoDb, old: Doc, mut new: Doc) -> Result<(), awstin::dynamodb::Error> {
    /// db.transact_write().delete_versioned(&old).put_versioned(&new).send().await?;
    /// # Ok(()) }
    /// ```
    pub fn delete_versioned<M: Versioned>(self, item: &M) -> Self {
        let read = item.version();
        let member = (|| {
            let delete = Delete::builder()
                .table_name(M::SOURCE.table())
                .set_key(Some(key_item::<M, _>(&item.key())?));
            let delete =
                built::<M, _>(version_checked!(delete, version_condition::<M>(read)).build())?;
            Ok(TransactWriteItem::builder().delete(delete).build())
        })();
        self.push_versioned::<M>(member, Some(read))
    }

    /// Requires `condition` to hold for the item with `key`, without changing it.
    pub fn check<
        M: TableModel,
        K: KeyOf<M>,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M>,
    >(
        self,
        key: K,
        condition: G,
    ) -> Self {
        let member = (|| {
            let e = condition_of::<M, _, _>(condition)?;
            let check = built::<M, _>(
                ConditionCheck::builder()
                    .table_name(M::SOURCE.table())
                    .set_key(Some(key_item::<M, K>(&key)?))
                    .set_condition_expression(e.condition)
                    .set_expression_attribute_names(e.names)
                    .set_expression_attribute_values(e.values)
                    .build(),
            )?;
            Ok(TransactWriteItem::builder().condition_check(check).build())
        })();
        self.push::<M>(member)
    }

    /// Sends the transaction. A cancelled transaction is [`Error::TransactionCanceled`],
    /// naming each member that failed. Retries carry the same token, so the answer is
    /// exact: a retry after an applied attempt is answered as applied. When every attempt
    /// failed and one may have been applied, the error is [`Error::OutcomeUnknown`]; sending
    /// the same members with the same [`token`](TransactWrite::token) settles it.
    pub async fn send(self) -> Result<(), Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        check_members(&self.targets)?;
        let at_least = self
            .items
            .iter()
            .filter_map(TransactWriteItem::put)
            .map(|p| item_size_at_least(p.item()))
            .sum();
        if at_least > MAX_TRANSACTION_BYTES {
            return Err(Error::TransactionTooLarge {
                at_least,
                max: MAX_TRANSACTION_BYTES,
            });
        }
        let (result, attempts) = record(
            self.db
                .client
                .transact_write_items()
                .set_transact_items(Some(self.items))
                .client_request_token(self.token.unwrap_or_else(random_token))
                .send(),
        )
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => {
                if let Some(TransactWriteItemsError::TransactionCanceledException(tce)) =
                    e.as_service_error()
                {
                    let call = Call::new(Operation::TransactWriteItems, self.table);
                    let reasons = error::cancellations(tce.cancellation_reasons());
                    if let Some(e) = version_conflict(call, &reasons, &self.versions, tce) {
                        return Err(e);
                    }
                    return Err(Error::TransactionCanceled {
                        call,
                        reasons,
                        source: ServiceError::new(e),
                    });
                }
                let call = Call::new(Operation::TransactWriteItems, self.table);
                Err(error::write_failed(
                    call,
                    &attempts,
                    error::from_sdk(call, e),
                ))
            }
        }
    }
}

/// A cancelled transaction whose only failures are versioned members finding another
/// version is a conflict: the first such member's, with the item it found.
fn version_conflict(
    call: Call,
    reasons: &[error::Cancellation],
    versions: &[Option<u64>],
    e: &aws_sdk_dynamodb::types::error::TransactionCanceledException,
) -> Option<Error> {
    let versioned = |r: &error::Cancellation| {
        r.code == "ConditionalCheckFailed" && versions.get(r.index).copied().flatten().is_some()
    };
    if reasons.is_empty() || !reasons.iter().all(versioned) {
        return None;
    }
    let first = &reasons[0];
    let expected = versions.get(first.index).copied().flatten()?;
    let current = match e
        .cancellation_reasons()
        .get(first.index)
        .and_then(|r| r.item())
    {
        Some(item) if !item.is_empty() => Stored::Item(item.clone()),
        _ => Stored::Absent,
    };
    Some(conflict(call, expected, current))
}

fn member_call<M: Model>() -> Call {
    Call::new(Operation::TransactWriteItems, M::SOURCE.table())
}

fn put_member<M: TableModel + Encode>(
    item: &M,
    expressions: Result<Expressions, Error>,
) -> Result<TransactWriteItem, Error> {
    unversioned::<M>(member_call::<M>())?;
    let e = expressions?;
    let put = built::<M, _>(
        Put::builder()
            .table_name(M::SOURCE.table())
            .set_item(Some(item_to_write(item)?))
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .build(),
    )?;
    Ok(TransactWriteItem::builder().put(put).build())
}

/// A delete of the item with `key`, under the condition of `expressions` if it has one.
fn delete_member<M: TableModel, K: KeyOf<M>>(
    key: &K,
    expressions: Result<Expressions, Error>,
) -> Result<TransactWriteItem, Error> {
    unversioned::<M>(member_call::<M>())?;
    let e = expressions?;
    let delete = built::<M, _>(
        Delete::builder()
            .table_name(M::SOURCE.table())
            .set_key(Some(key_item::<M, K>(key)?))
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .build(),
    )?;
    Ok(TransactWriteItem::builder().delete(delete).build())
}

fn update_member<M: Model, K: KeyOf<M>>(
    key: &K,
    render: Render<'_>,
) -> Result<TransactWriteItem, Error> {
    unversioned::<M>(member_call::<M>())?;
    let e = render.finish()?;
    let update = built::<M, _>(
        SdkUpdate::builder()
            .table_name(M::SOURCE.table())
            .set_key(Some(key_item::<M, K>(key)?))
            .set_update_expression(e.update)
            .set_condition_expression(e.condition)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .build(),
    )?;
    Ok(TransactWriteItem::builder().update(update).build())
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
    /// let result = db.transact_get().get::<Movie, _>((2015, "A")).send().await?;
    /// let first: Option<Movie> = result.get(0)?;
    /// # Ok(()) }
    /// ```
    pub fn get<M: for<'a> DecodeFrom<AvRef<'a>>>(&self, index: usize) -> Result<Option<M>, Error> {
        match self.items.get(index) {
            Some(Some(item)) => Ok(Some(from_item(item)?)),
            _ => Ok(None),
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// `true` when the transaction had no members.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl TransactGet {
    /// Reads the item with `key` of model `M`.
    pub fn get<M: TableModel, K: KeyOf<M>>(mut self, key: K) -> Self {
        let member = key_item::<M, K>(&key).and_then(|key| {
            error::built(
                Call::new(Operation::TransactGetItems, M::SOURCE.table()),
                Get::builder()
                    .table_name(M::SOURCE.table())
                    .set_key(Some(key))
                    .build(),
            )
        });
        match member {
            Ok(get) => {
                if self.items.is_empty() {
                    self.table = M::SOURCE.table();
                }
                self.targets.push(target::<M>(get.table_name(), get.key()));
                self.items.push(TransactGetItem::builder().get(get).build());
            }
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        self
    }

    /// Sends the transaction.
    pub async fn send(self) -> Result<TransactGetResult, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        check_members(&self.targets)?;
        let out = self
            .db
            .client
            .transact_get_items()
            .set_transact_items(Some(self.items))
            .send()
            .await
            .map_err(|e| error::from_sdk(Call::new(Operation::TransactGetItems, self.table), e))?;
        let items = out
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.item.filter(|i| !i.is_empty()))
            .collect();
        Ok(TransactGetResult { items })
    }
}
