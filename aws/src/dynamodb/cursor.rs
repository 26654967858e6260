//! Page cursors for APIs: the key a query or scan stopped at, encoded as an opaque, URL-safe
//! string a client can hand back for the next page.
//!
//! The cursors are the core's ([`awstin_core::cursor::cursor_of`] and
//! [`awstin_core::cursor::start_of`]), so a page begun at the edge goes on here and back. A cursor
//! names the table (by the runtime name the read used) and index it was made for and holds
//! the last evaluated key. One coming back is checked before any request is made: it must
//! decode, be for this table and index, and hold exactly the key attributes of the model (for
//! an index, also the table's own key: exactly, when the index is reached through its table's
//! model, [`Table::index_model`](super::Table::index_model), or names it, else at most two
//! more), each of its key type, not empty and within DynamoDB's key sizes.
//! With a [`CursorKey`], cursors also carry an HMAC-SHA-256 tag and only cursors this
//! application signed are taken, so a client cannot craft one.

use awstin_core::cursor::{self as wire, StartKey};
use awstin_core::{DecodeFrom, Model, ValueBuf};

use super::codec::{AvRef, Item, to_attribute_value};
use super::error::Error;

/// One page of a query or scan, for an API that pages its clients: the items and, unless this
/// was the last page, the cursor of the next one.
///
/// ```
/// # awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// let page = awstin::dynamodb::Page::<Movie> { items: vec![], next: None };
/// assert!(page.next.is_none());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Page<M> {
    /// The items of this page, in the order DynamoDB returned them.
    pub items: Vec<M>,
    /// The cursor to pass to get the next page; `None` after the last.
    pub next: Option<String>,
}

/// A secret that signs and checks page cursors (HMAC-SHA-256): the core's, shared with the
/// JSON backend, so a page begun at the edge goes on here.
///
/// ```
/// use awstin::dynamodb::CursorKey;
/// let key = CursorKey::new(b"an application secret of 32 bytes".to_vec())?;
/// assert_eq!(format!("{key:?}"), "CursorKey(..)");
/// assert!(CursorKey::new(b"short".to_vec()).is_err());
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub use awstin_core::cursor::CursorKey;

/// The cursor of `last`, the last evaluated key of a page of model `M` on table `table` (by
/// its runtime name).
pub(crate) fn encode<M: Model>(
    table: &str,
    last: &Item,
    key: Option<&CursorKey>,
) -> Result<String, Error> {
    let last = last
        .iter()
        .map(|(name, value)| {
            let value = ValueBuf::decode(AvRef::Value(value)).map_err(|_| {
                Error::from(awstin_core::Error::InvalidCursor {
                    reason: "a key value that is not a string, number or binary",
                })
            })?;
            Ok((name.clone(), value))
        })
        .collect::<Result<StartKey, Error>>()?;
    wire::cursor_of::<M>(table, &last, key).map_err(Error::from)
}

/// The key of `item`, by the attribute names of `after`, a key DynamoDB returned for a later
/// item of the same read (for an index, its key and the table's).
pub(crate) fn key_of(after: &Item, item: &Item) -> Result<Item, Error> {
    after
        .keys()
        .map(|name| {
            item.get(name)
                .map(|value| (name.clone(), value.clone()))
                .ok_or(Error::from(awstin_core::Error::InvalidCursor {
                    reason: "an item of the page lacks a key attribute",
                }))
        })
        .collect()
}

/// The names of the attributes of an item's key in a read of model `M`: its own key's, and
/// the table's for an index model (when declared on the table's model).
pub(crate) fn key_names<M: Model>() -> Vec<&'static str> {
    let mut names = Vec::with_capacity(4);
    // A multi-attribute key's attributes, each.
    for attribute in M::MULTI_KEY
        .into_iter()
        .flat_map(|k| k.partition.iter().chain(k.sort))
    {
        if !names.contains(&attribute.name) {
            names.push(attribute.name);
        }
    }
    for schema in [Some(M::KEY), M::TABLE_KEY].into_iter().flatten() {
        for name in [Some(schema.partition.name), schema.sort.map(|s| s.name)]
            .into_iter()
            .flatten()
        {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The key of `item` by attribute `names` ([`key_names`]).
pub(crate) fn key_by_names(names: &[&str], item: &Item) -> Result<Item, Error> {
    names
        .iter()
        .map(|name| {
            item.get(*name)
                .map(|value| ((*name).to_owned(), value.clone()))
                .ok_or(Error::from(awstin_core::Error::InvalidCursor {
                    reason: "an item of the page lacks a key attribute",
                }))
        })
        .collect()
}

/// The start key a cursor names, checked against model `M` on table `table` (by its runtime
/// name) and `key`, when cursors are signed, before any request is made.
pub(crate) fn decode<M: Model>(
    table: &str,
    cursor: &str,
    key: Option<&CursorKey>,
    table_key: Option<awstin_core::KeySchema>,
) -> Result<StartKey, Error> {
    Ok(wire::start_of_in::<M>(table, cursor, key, table_key)?)
}

/// A start key as the SDK's item.
pub(crate) fn to_sdk(start: &StartKey) -> Result<Item, Error> {
    start
        .iter()
        .map(|(name, value)| Ok((name.clone(), to_attribute_value(value)?)))
        .collect()
}
