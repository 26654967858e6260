//! Optimistic locking: the writes of a versioned model (`version rev: u64` in `dynamo_model!`).
//!
//! Every versioned write ([`Table::put_versioned`], [`Table::update_versioned`],
//! [`Table::delete_versioned`], and the transaction members
//! [`TransactWrite::put_versioned`](super::TransactWrite::put_versioned) and
//! [`TransactWrite::delete_versioned`](super::TransactWrite::delete_versioned)) requires that
//! the stored version is the one the item was read with (for version 0, that no item has the
//! key) and stores the next one. When another writer got there first, the write is refused
//! with [`Error::Conflict`], which carries the item as it is now (DynamoDB's
//! `ReturnValuesOnConditionCheckFailure = ALL_OLD`), so the caller can merge and retry. The model's other writes, which would not check the version, are refused
//! before sending ([`Error::UnversionedWrite`]): a lost update cannot slip in through a plain
//! `put`. (Another model of the same table without the `version` line still writes freely:
//! that is the way out for migrations and repairs.)

use std::collections::HashMap;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::cond::functions as cond_fn;
use awstin_core::cond::{Val, compare, op};
use awstin_core::update::UpdateExt;
use awstin_core::update::functions as update_fn;
use awstin_core::{Condition, DecodeFrom, Encode, Field, Model, NotKey, Update, Versioned};

use super::Table;
use super::attempts::{Attempts, record};
use super::codec::{AvRef, Item, items_equal};
use super::error::{self, Call, ConditionFailure, Conflict, Error, Operation, Stored};
use super::expr::{Expressions, Render};
use super::key::key_item;
use super::size::item_to_write;

/// Refuses a write of a versioned model that would not check its version.
pub(crate) fn unversioned<M: Model>(call: Call) -> Result<(), Error> {
    match M::VERSION {
        Some(version) => Err(Error::UnversionedWrite { call, version }),
        None => Ok(()),
    }
}

/// The condition of a versioned write of an item read at version `read`: no item with the
/// key for 0, else the stored version is `read`.
pub(crate) struct VersionCondition {
    pub(crate) expression: String,
    pub(crate) names: HashMap<String, String>,
    pub(crate) values: Option<HashMap<String, AttributeValue>>,
}

/// Sets a [`VersionCondition`] on a request or transaction member builder (the SDK's
/// builders share these setters but no trait), asking for the stored item when it fails.
macro_rules! version_checked {
    ($builder:expr, $condition:expr) => {{
        let c: $crate::dynamodb::versioned::VersionCondition = $condition;
        $builder
            .condition_expression(c.expression)
            .set_expression_attribute_names(Some(c.names))
            .set_expression_attribute_values(c.values)
            .return_values_on_condition_check_failure(
                aws_sdk_dynamodb::types::ReturnValuesOnConditionCheckFailure::AllOld,
            )
    }};
}
pub(crate) use version_checked;

pub(crate) fn version_condition<M: Versioned>(read: u64) -> VersionCondition {
    match (read, M::VERSION) {
        (0, _) | (_, None) => VersionCondition {
            expression: "attribute_not_exists(#k)".to_owned(),
            names: HashMap::from([("#k".to_owned(), M::KEY.partition.name.to_owned())]),
            values: None,
        },
        (read, Some(version)) => VersionCondition {
            expression: "#v = :v".to_owned(),
            names: HashMap::from([("#v".to_owned(), version.to_owned())]),
            values: Some(HashMap::from([(
                ":v".to_owned(),
                AttributeValue::N(read.to_string()),
            )])),
        },
    }
}

/// The version after `read`; `u64::MAX` has none.
fn after(read: u64) -> Result<u64, Error> {
    read.checked_add(1).ok_or(Error::InvalidOption {
        option: "version",
        value: read,
        allowed: "0 to 18446744073709551614, so that a next version exists",
    })
}

/// `item` as written by a versioned put: at the version after the one read.
pub(crate) fn next_version<M: Versioned + Encode>(item: &M) -> Result<(u64, Item), Error> {
    let next = after(item.version())?;
    // Encoded from a copy of the version only: the caller's item keeps the version read
    // until the write is known to be applied.
    let mut written = item_to_write(item)?;
    if let Some(version) = M::VERSION {
        written.insert(version.to_owned(), AttributeValue::N(next.to_string()));
    }
    Ok((next, written))
}

/// The stored version of an item, if it has a readable one.
fn stored_version<M: Model>(item: &Item) -> Option<u64> {
    match item.get(M::VERSION?)? {
        AttributeValue::N(n) => n.parse().ok(),
        _ => None,
    }
}

pub(crate) fn conflict(call: Call, expected: u64, current: Stored) -> Error {
    Error::Conflict(Box::new(Conflict {
        call,
        expected,
        current,
    }))
}

/// Which versioned write found its condition false.
enum Write<'a> {
    /// A put of this item.
    Put(&'a Item),
    /// An update, whose written item is not known in full.
    Update,
    /// A delete.
    Delete,
}

/// A versioned write found its condition false. Without an earlier attempt that may have
/// been applied, that is a conflict. Otherwise the earlier attempt may be why:
/// - a put whose item is stored as written was applied;
/// - a put that finds the version after `read` stored by another writer was not applied
///   (one write at most moves an item on from a version, and that one was the other's);
/// - a delete that finds no item leaves the state it asked for;
/// - anything else (an update among it: its own result and another writer's look alike) is
///   not known: [`Error::OutcomeUnknown`] with the stored item.
fn refused<M: Model>(
    call: Call,
    read: u64,
    attempts: &Attempts,
    current: Stored,
    write: Write<'_>,
    source: Error,
) -> Result<(), Error> {
    if !attempts.earlier_ambiguous() {
        return Err(conflict(call, read, current));
    }
    match (&current, write) {
        (Stored::Item(now), Write::Put(ours)) if items_equal(now, ours) => Ok(()),
        (Stored::Item(now), Write::Put(_)) if stored_version::<M>(now) == read.checked_add(1) => {
            Err(conflict(call, read, current))
        }
        (Stored::Absent, Write::Delete) => Ok(()),
        _ => Err(Error::OutcomeUnknown {
            call,
            stored: current,
            source: Box::new(source),
        }),
    }
}

/// The expressions of `update` under `condition`.
fn update_if<U: Update, C: Condition>(update: &U, condition: &C) -> Result<Expressions, Error> {
    Render::collect(|r| {
        r.update(update)?;
        r.condition(condition)
    })
}

/// The version attribute of `M` as a typed field, for the DSL.
fn version_field<M: Versioned>() -> Field<M, u64, NotKey> {
    Field::new(M::VERSION.unwrap_or_default())
}

/// A versioned write failed: a false condition goes to [`refused`]; any other failure is the
/// write's error, unknown when an attempt may have been applied.
fn failed<M: Model, E>(
    call: Call,
    read: u64,
    attempts: &Attempts,
    write: Write<'_>,
    e: SdkError<E, HttpResponse>,
) -> Result<(), Error>
where
    E: ConditionFailure + ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if error::is_condition_failed(&e) {
        let current = stored(e.as_service_error().and_then(ConditionFailure::old_item));
        let source = error::from_sdk(call, e);
        refused::<M>(call, read, attempts, current, write, source)
    } else {
        Err(error::write_failed(
            call,
            attempts,
            error::from_sdk(call, e),
        ))
    }
}

fn stored(old: Option<Option<&Item>>) -> Stored {
    match old {
        Some(Some(item)) if !item.is_empty() => Stored::Item(item.clone()),
        Some(_) => Stored::Absent,
        None => Stored::NotRead,
    }
}

impl<M: Versioned + Encode> Table<M> {
    /// Writes `item` if the stored version is the one it was read with, or, for version 0
    /// (never stored), if no item has its key; stores it at the next version, which `item`
    /// then carries. Another writer's change since the read is [`Error::Conflict`], with the
    /// item as it is now.
    ///
    /// Exact under retries: when an attempt that may have been applied is followed by one
    /// that finds the condition false, the stored item decides. Stored as written: applied.
    /// At the next version but not as written: another writer's, so a conflict (one write at
    /// most moves an item on from a version, while every writer of the table writes through
    /// versions). Otherwise [`Error::OutcomeUnknown`].
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
    pub async fn put_versioned(&self, item: &mut M) -> Result<(), Error> {
        let call = self.call(Operation::PutItem);
        let read = item.version();
        let (next, written) = next_version(item)?;
        let request = self
            .db
            .client
            .put_item()
            .table_name(self.name())
            .set_item(Some(written.clone()));
        let (result, attempts) =
            record(version_checked!(request, version_condition::<M>(read)).send()).await;
        if let Err(e) = result {
            failed::<M, _>(call, read, &attempts, Write::Put(&written), e)?;
        }
        item.set_version(next);
        Ok(())
    }

    /// Applies `update` to `item`'s stored copy if the stored version is the one `item` was
    /// read with, and moves the version on in the same request; `item` then becomes the item
    /// as stored after the update (DynamoDB's `ALL_NEW`). For version 0 the update requires
    /// that the stored item has no version attribute (that it is not stored yet, when every
    /// write of the table is versioned). Another writer's change since the read is
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
    pub async fn update_versioned<F, U>(&self, item: &mut M, update: F) -> Result<(), Error>
    where
        M: for<'a> DecodeFrom<AvRef<'a>>,
        F: FnOnce(&'static M::Fields) -> U,
        U: Update<Model = M>,
    {
        let call = self.call(Operation::UpdateItem);
        let read = item.version();
        let next = after(read)?;
        let field = version_field::<M>();
        let update = update(M::FIELDS).then(update_fn::set(field, Val(next)));
        let e = if read == 0 {
            update_if(&update, &cond_fn::attribute_not_exists(field))?
        } else {
            update_if(&update, &compare(field, op::Eq, Val(read)))?
        };
        let (result, attempts) = self.update_item(&item.key(), e).await?;
        match result {
            Ok(out) => {
                *item = self.updated(out.attributes.unwrap_or_default())?;
                Ok(())
            }
            Err(e) => failed::<M, _>(call, read, &attempts, Write::Update, e),
        }
    }

    /// Deletes `item` if the stored version is the one it was read with (for version 0: if
    /// there is still no item, deleting nothing). Another writer's change since the read is
    /// [`Error::Conflict`], with the item as it is now. When an attempt that may have been
    /// applied is followed by one that finds no item, the item is gone as asked: `Ok`.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; version rev: u64 } }
    /// # async fn f(docs: awstin::dynamodb::Table<Doc>) -> Result<(), awstin::dynamodb::Error> {
    /// if let Some(doc) = docs.get("readme").await? {
    ///     docs.delete_versioned(&doc).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn delete_versioned(&self, item: &M) -> Result<(), Error> {
        let call = self.call(Operation::DeleteItem);
        let read = item.version();
        let request = self
            .db
            .client
            .delete_item()
            .table_name(self.name())
            .set_key(Some(key_item::<M, _>(&item.key())?));
        let (result, attempts) =
            record(version_checked!(request, version_condition::<M>(read)).send()).await;
        match result {
            Ok(_) => Ok(()),
            Err(e) => failed::<M, _>(call, read, &attempts, Write::Delete, e),
        }
    }
}
