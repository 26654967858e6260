//! Page cursors (feature `cursor`): the key a Query or Scan stopped at, as an opaque,
//! URL-safe string a client hands back for the next page. The `awstin` crate's tables and the
//! JSON protocol ([`wire`](crate::protocol::wire)) make and take them through these functions, so a
//! page read at the edge continues on a Lambda and back.
//!
//! A cursor is the URL-safe base64 (no padding) of a small JSON object naming the table (by
//! the name the read used) and index, and holding the last evaluated key as DynamoDB JSON
//! (binary in URL-safe base64); with a [`CursorKey`], a `.` and the HMAC-SHA-256 tag of that
//! JSON follow. One coming back is checked before any request is made: it must decode, be for
//! this table and index, and hold exactly the key attributes of the model (for an index, the
//! table's own key besides: exactly, when the index model names its table's model, else at
//! most two more), each of its key type, not empty, and within DynamoDB's key sizes (2,048
//! bytes for a partition key, 1,024 for a sort key).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::limits::{MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
use crate::values::base64::{Alphabet, decode, encode};
use crate::values::json::{self, Json};
use crate::{
    error::Error, expr::model::KeySchema, expr::model::Model, values::number::Number,
    values::value_buf::ValueBuf,
};

pub use crate::op::StartKey;

/// A secret that signs and checks page cursors (HMAC-SHA-256): clients cannot make or alter a
/// cursor. At least [`MIN_BYTES`](CursorKey::MIN_BYTES) bytes; its `Debug` shows nothing of it.
///
/// ```
/// use awstin_core::cursor::CursorKey;
/// let key = CursorKey::new(b"an application secret of 32 bytes".to_vec())?;
/// assert_eq!(format!("{key:?}"), "CursorKey(..)");
/// assert!(CursorKey::new(b"short".to_vec()).is_err());
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Clone)]
pub struct CursorKey(Vec<u8>);

impl CursorKey {
    /// Bytes a key has at least.
    pub const MIN_BYTES: usize = 16;

    /// A key from `secret`: [`Error::InvalidOption`] when it is shorter than
    /// [`MIN_BYTES`](CursorKey::MIN_BYTES).
    ///
    /// ```
    /// assert!(awstin_core::cursor::CursorKey::new(vec![7u8; 16]).is_ok());
    /// ```
    pub fn new(secret: impl Into<Vec<u8>>) -> Result<CursorKey, Error> {
        let secret = secret.into();
        if secret.len() < CursorKey::MIN_BYTES {
            return Err(Error::InvalidOption {
                option: "CursorKey",
                value: secret.len() as u64,
                allowed: "a secret of 16 bytes or more",
            });
        }
        Ok(CursorKey(secret))
    }

    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        // HMAC takes a key of any length: the error case does not occur.
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC takes a key of any length"),
        };
        mac.update(payload);
        mac
    }
}

impl core::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

fn refused(reason: &'static str) -> Error {
    Error::InvalidCursor { reason }
}

/// The cursor of `last`, the last evaluated key of a page of model `M` read from `table` (the
/// name the read used), signed with `key` if given.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Number, ValueBuf, cursor};
/// let last: cursor::StartKey = [
///     ("year".into(), ValueBuf::N(Number::from(2013u32))),
///     ("title".into(), ValueBuf::S("Rush".into())),
/// ].into();
/// let cursor = cursor::cursor_of::<Movie>("Movies", &last, None)?;
/// assert_eq!(cursor::start_of::<Movie>("Movies", &cursor, None)?, last);
/// assert!(cursor::start_of::<Movie>("Films", &cursor, None).is_err());
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn cursor_of<M: Model>(
    table: &str,
    last: &StartKey,
    key: Option<&CursorKey>,
) -> Result<String, Error> {
    let mut attributes = Vec::new();
    for (name, value) in last {
        let (kind, text) = match value {
            ValueBuf::S(s) => ("S", s.clone()),
            ValueBuf::N(n) => ("N", n.to_string()),
            ValueBuf::B(b) => ("B", encode(b, Alphabet::UrlSafe)),
            _ => {
                return Err(refused(
                    "a key value that is not a string, number or binary",
                ));
            }
        };
        attributes.push((
            name.clone(),
            Json::Object(alloc::vec![(kind.into(), Json::String(text))]),
        ));
    }
    let index = M::SOURCE
        .index()
        .map_or(Json::Null, |i| Json::String(i.into()));
    let mut payload = String::new();
    Json::Object(alloc::vec![
        ("t".into(), Json::String(table.into())),
        ("i".into(), index),
        ("k".into(), Json::Object(attributes)),
    ])
    .write(&mut payload);
    let mut cursor = encode(payload.as_bytes(), Alphabet::UrlSafe);
    if let Some(key) = key {
        cursor.push('.');
        cursor.push_str(&encode(
            &key.mac(payload.as_bytes()).finalize().into_bytes(),
            Alphabet::UrlSafe,
        ));
    }
    Ok(cursor)
}

/// The start key `cursor` names, checked against model `M` on `table` (the name the read
/// uses) and, when cursors are signed, `key`: [`Error::InvalidCursor`] otherwise.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Error, cursor};
/// let refused = cursor::start_of::<Movie>("Movies", "bm90IGEgY3Vyc29y", None).unwrap_err();
/// assert_eq!(refused, Error::InvalidCursor { reason: "not a cursor" });
/// ```
pub fn start_of<M: Model>(
    table: &str,
    cursor: &str,
    key: Option<&CursorKey>,
) -> Result<StartKey, Error> {
    start_of_in::<M>(table, cursor, key, None)
}

/// [`start_of`] for an index model reached through its table, whose key `table_key` is known
/// at run time (the `awstin` crate's `Table::index_model`).
#[doc(hidden)]
pub fn start_of_in<M: Model>(
    table: &str,
    cursor: &str,
    key: Option<&CursorKey>,
    table_key: Option<KeySchema>,
) -> Result<StartKey, Error> {
    let (payload, tag) = match cursor.split_once('.') {
        Some((payload, tag)) => (payload, Some(tag)),
        None => (cursor, None),
    };
    let payload = decode(payload, Alphabet::UrlSafe).ok_or(refused("not a cursor"))?;
    match (key, tag) {
        (Some(key), Some(tag)) => {
            let tag = decode(tag, Alphabet::UrlSafe).ok_or(refused("not a cursor"))?;
            key.mac(&payload)
                .verify_slice(&tag)
                .map_err(|_| refused("not signed by this application"))?;
        }
        (Some(_), None) => return Err(refused("not signed by this application")),
        (None, Some(_)) => return Err(refused("signed, but no cursor key is set")),
        (None, None) => {}
    }
    let json = json::parse(&payload).map_err(|_| refused("not a cursor"))?;
    let index = match json.get("i") {
        Some(Json::Null) => None,
        Some(Json::String(i)) => Some(i.as_str()),
        _ => return Err(refused("not a cursor")),
    };
    if json.get("t").and_then(Json::as_str) != Some(table) || index != M::SOURCE.index() {
        return Err(refused("made for another table or index"));
    }
    let attributes = json
        .get("k")
        .and_then(Json::as_object)
        .ok_or(refused("not a cursor"))?;
    let mut start = StartKey::new();
    for (name, typed) in attributes {
        let (kind, text) = typed
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.first())
            .and_then(|(kind, text)| Some((kind.as_str(), text.as_str()?)))
            .ok_or(refused("not a cursor"))?;
        let value = match kind {
            "S" if !text.is_empty() => ValueBuf::S(text.into()),
            "N" => ValueBuf::N(
                text.parse::<Number>()
                    .map_err(|_| refused("not a cursor"))?,
            ),
            "B" => {
                let bytes = decode(text, Alphabet::UrlSafe).ok_or(refused("not a cursor"))?;
                if bytes.is_empty() {
                    return Err(refused("an empty key value"));
                }
                ValueBuf::B(bytes)
            }
            "S" => return Err(refused("an empty key value")),
            _ => {
                return Err(refused(
                    "a key value that is not a string, number or binary",
                ));
            }
        };
        start.insert(name.clone(), value);
    }
    check_key::<M>(&start, table_key)?;
    Ok(start)
}

/// The start key holds the model's key attributes, of their types and within DynamoDB's key
/// sizes; for an index, the table's key besides: exactly its attributes that the index key
/// does not hold, when the table's key is known ([`Model::TABLE_KEY`], or `table_key`), else at
/// most two more key values.
fn check_key<M: Model>(start: &StartKey, table_key: Option<KeySchema>) -> Result<(), Error> {
    let schema = M::KEY;
    let table_key = table_key.or(M::TABLE_KEY);
    let mut own = 0;
    let roles = [
        (Some(schema.partition), MAX_PARTITION_KEY_BYTES),
        (schema.sort, MAX_SORT_KEY_BYTES),
    ];
    // A multi-attribute key's other attributes (its first ones are `KEY`'s).
    let multi = M::MULTI_KEY.into_iter().flat_map(|k| {
        let partition = k
            .partition
            .iter()
            .skip(1)
            .map(|a| (Some(*a), MAX_PARTITION_KEY_BYTES));
        let sort = k
            .sort
            .iter()
            .skip(1)
            .map(|a| (Some(*a), MAX_SORT_KEY_BYTES));
        partition.chain(sort)
    });
    let is_key_of = |schema: &KeySchema, name: &str| {
        is_key_of(schema, name) || M::MULTI_KEY.is_some_and(|k| k.holds(name))
    };
    let table_roles = [
        (table_key.map(|k| k.partition), MAX_PARTITION_KEY_BYTES),
        (table_key.and_then(|k| k.sort), MAX_SORT_KEY_BYTES),
    ];
    for (attribute, max) in roles.into_iter().chain(multi).chain(
        // The table's key attributes that the index key does not hold.
        table_roles
            .into_iter()
            .filter(|(a, _)| a.is_some_and(|a| !is_key_of(&schema, a.name))),
    ) {
        let Some(attribute) = attribute else { continue };
        let found = start
            .get(attribute.name)
            .ok_or(refused("not this model's key"))?;
        if found.attribute_type() != attribute.attribute_type {
            return Err(refused("a key value of the wrong type"));
        }
        check_size(found, max)?;
        own += 1;
    }
    let others = start.len() - own;
    let allowed = match (M::SOURCE.index(), table_key) {
        (Some(_), None) => 2,
        _ => 0,
    };
    if others > allowed {
        return Err(refused("not this model's key"));
    }
    // Key values of unknown role: at most a partition key's size.
    for (name, value) in start {
        if !is_key_of(&schema, name) && !table_key.is_some_and(|k| is_key_of(&k, name)) {
            check_size(value, MAX_PARTITION_KEY_BYTES)?;
        }
    }
    Ok(())
}

fn is_key_of(schema: &KeySchema, name: &str) -> bool {
    schema.partition.name == name || schema.sort.is_some_and(|s| s.name == name)
}

/// A key value within `max` bytes (a number's text is far shorter than any key limit).
fn check_size(value: &ValueBuf, max: usize) -> Result<(), Error> {
    let len = match value {
        ValueBuf::S(s) => s.len(),
        ValueBuf::B(b) => b.len(),
        _ => 0,
    };
    if len > max {
        return Err(refused("a key value over DynamoDB's key size"));
    }
    Ok(())
}
