//! Optimistic locking: the writes of a versioned model (`version rev: u64` in `dynamo_model!`).
//!
//! Every versioned write requires that the stored version is the one the item was read with
//! (for version 0, that no item has the key) and stores the next one. When another writer
//! got there first, the write is refused with [`Error::Conflict`], which carries the item as
//! it is now (DynamoDB's `ReturnValuesOnConditionCheckFailure = ALL_OLD`), so the caller can
//! merge and retry. The model's other writes, which would not check the version, are refused
//! before sending ([`Error::UnversionedWrite`]): a lost update cannot slip in through a plain
//! `put`. (Another model of the same table without the `version` line still writes freely:
//! that is the way out for migrations and repairs.)

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValuesOnConditionCheckFailure};
use awstin_core::{Encode, Model, Versioned};

use super::Table;
use super::attempts::{Attempts, record};
use super::codec::{Item, items_equal};
use super::error::{self, Call, Conflict, Error, Stored};
use super::size::item_to_write;
use super::table::{ConditionFailure, key_item};

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

/// `item` as written by a versioned put: at the version after the one read.
pub(crate) fn next_version<M: Versioned + Encode>(item: &M) -> Result<(u64, Item), Error> {
    let read = item.version();
    let next = read.checked_add(1).ok_or(Error::InvalidOption {
        option: "version",
        value: read,
        allowed: "0 to 18446744073709551614, so that a next version exists",
    })?;
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

/// A versioned write found its condition false. Without an earlier attempt that may have
/// been applied, that is a conflict. Otherwise the earlier attempt may be why:
/// - a put whose item is stored as written was applied;
/// - a put that finds the version after `read` stored by another writer was not applied
///   (one write at most moves an item on from a version, and that one was the other's);
/// - a delete that finds no item leaves the state it asked for;
/// - anything else is not known: [`Error::OutcomeUnknown`] with the stored item.
fn refused<M: Model>(
    call: Call,
    read: u64,
    attempts: &Attempts,
    current: Stored,
    put: Option<&Item>,
    source: Error,
) -> Result<(), Error> {
    if !attempts.earlier_ambiguous() {
        return Err(conflict(call, read, current));
    }
    match (&current, put) {
        (Stored::Item(now), Some(ours)) if items_equal(now, ours) => Ok(()),
        (Stored::Item(now), Some(_)) if stored_version::<M>(now) == read.checked_add(1) => {
            Err(conflict(call, read, current))
        }
        (Stored::Absent, None) => Ok(()),
        _ => Err(Error::OutcomeUnknown {
            call,
            stored: current,
            source: Box::new(source),
        }),
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
    /// At the next version but not as written: another writer's, so a conflict. Otherwise
    /// [`Error::OutcomeUnknown`].
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
        let call = self.call("PutItem");
        let read = item.version();
        let (next, written) = next_version(item)?;
        let c = version_condition::<M>(read);
        let (result, attempts) = record(
            self.db
                .client
                .put_item()
                .table_name(self.name())
                .set_item(Some(written.clone()))
                .condition_expression(c.expression)
                .set_expression_attribute_names(Some(c.names))
                .set_expression_attribute_values(c.values)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .send(),
        )
        .await;
        match result {
            Ok(_) => {}
            Err(e) if error::is_condition_failed(&e) => {
                let current = stored(e.as_service_error().and_then(ConditionFailure::old_item));
                let source = error::from_sdk(call, e);
                refused::<M>(call, read, &attempts, current, Some(&written), source)?;
            }
            Err(e) => {
                return Err(error::write_failed(
                    call,
                    &attempts,
                    error::from_sdk(call, e),
                ));
            }
        }
        item.set_version(next);
        Ok(())
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
        let call = self.call("DeleteItem");
        let read = item.version();
        let c = version_condition::<M>(read);
        let (result, attempts) = record(
            self.db
                .client
                .delete_item()
                .table_name(self.name())
                .set_key(Some(key_item::<M, _>(&item.key())?))
                .condition_expression(c.expression)
                .set_expression_attribute_names(Some(c.names))
                .set_expression_attribute_values(c.values)
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .send(),
        )
        .await;
        match result {
            Ok(_) => Ok(()),
            Err(e) if error::is_condition_failed(&e) => {
                let current = stored(e.as_service_error().and_then(ConditionFailure::old_item));
                let source = error::from_sdk(call, e);
                refused::<M>(call, read, &attempts, current, None, source)
            }
            Err(e) => Err(error::write_failed(
                call,
                &attempts,
                error::from_sdk(call, e),
            )),
        }
    }
}
