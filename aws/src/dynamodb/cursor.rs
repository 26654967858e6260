//! Page cursors for APIs: the key a query or scan stopped at, encoded as an opaque, URL-safe
//! string a client can hand back for the next page.
//!
//! A cursor names the table (by the runtime name the read used) and index it was made for and holds the last evaluated key as
//! DynamoDB JSON, in URL-safe base64 without padding. One coming back is checked before any
//! request is made: it must decode, be for this table and index, and hold exactly the key
//! attributes of the model (for an index, also at most two more: the table's own key), each of
//! its key type and not empty. With a [`CursorKey`], cursors also carry an HMAC-SHA-256 tag
//! and only cursors this application signed are taken, so a client cannot craft one.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::{AttributeType, Model};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::codec::Item;
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

/// A secret that signs and checks page cursors (HMAC-SHA-256): clients cannot make or alter a
/// cursor. At least 16 bytes; keep it out of logs (its `Debug` shows nothing of it).
///
/// ```
/// use awstin::dynamodb::CursorKey;
/// let key = CursorKey::new(b"an application secret of 32 bytes".to_vec())?;
/// assert_eq!(format!("{key:?}"), "CursorKey(..)");
/// assert!(CursorKey::new(b"short".to_vec()).is_err());
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
#[derive(Clone)]
pub struct CursorKey(Arc<[u8]>);

impl CursorKey {
    /// Bytes a key has at least.
    pub const MIN_BYTES: usize = 16;

    /// A key from a secret of at least [`MIN_BYTES`](CursorKey::MIN_BYTES) bytes
    /// ([`Error::InvalidOption`] otherwise).
    ///
    /// ```
    /// assert!(awstin::dynamodb::CursorKey::new(vec![7u8; 16]).is_ok());
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
        Ok(CursorKey(secret.into()))
    }

    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
        mac.update(payload);
        mac
    }
}

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

/// Why a cursor was refused.
fn refused(reason: &'static str) -> Error {
    Error::InvalidCursor { reason }
}

/// The cursor of `last`, the last evaluated key of a page of model `M` on table `table` (by
/// its runtime name).
pub(crate) fn encode<M: Model>(
    table: &str,
    last: &Item,
    key: Option<&CursorKey>,
) -> Result<String, Error> {
    let source = M::SOURCE;
    let mut attributes = serde_json::Map::new();
    for (name, value) in last {
        let typed = match value {
            AttributeValue::S(s) => ("S", s.clone()),
            AttributeValue::N(n) => ("N", n.clone()),
            AttributeValue::B(b) => ("B", URL_SAFE_NO_PAD.encode(b.as_ref())),
            _ => {
                return Err(refused(
                    "a key value that is not a string, number or binary",
                ));
            }
        };
        attributes.insert(name.clone(), serde_json::json!({ typed.0: typed.1 }));
    }
    let payload = serde_json::json!({
        "t": table,
        "i": source.index(),
        "k": attributes,
    })
    .to_string();
    let mut cursor = URL_SAFE_NO_PAD.encode(payload.as_bytes());
    if let Some(key) = key {
        cursor.push('.');
        cursor
            .push_str(&URL_SAFE_NO_PAD.encode(key.mac(payload.as_bytes()).finalize().into_bytes()));
    }
    Ok(cursor)
}

/// The key of `item`, by the attribute names of `after`, a key DynamoDB returned for a later
/// item of the same read (for an index, its key and the table's).
pub(crate) fn key_of(after: &Item, item: &Item) -> Result<Item, Error> {
    after
        .keys()
        .map(|name| {
            item.get(name)
                .map(|value| (name.clone(), value.clone()))
                .ok_or(Error::InvalidCursor {
                    reason: "an item of the page lacks a key attribute",
                })
        })
        .collect()
}

/// The start key a cursor names, checked against model `M` on table `table` (by its runtime
/// name) and `key`, when cursors are signed, before any request is made.
pub(crate) fn decode<M: Model>(
    table: &str,
    cursor: &str,
    key: Option<&CursorKey>,
) -> Result<Item, Error> {
    let (payload, tag) = match cursor.split_once('.') {
        Some((payload, tag)) => (payload, Some(tag)),
        None => (cursor, None),
    };
    let payload = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| refused("not a cursor"))?;
    match (key, tag) {
        (Some(key), Some(tag)) => {
            let tag = URL_SAFE_NO_PAD
                .decode(tag)
                .map_err(|_| refused("not a cursor"))?;
            key.mac(&payload)
                .verify_slice(&tag)
                .map_err(|_| refused("not signed by this application"))?;
        }
        (Some(_), None) => return Err(refused("not signed by this application")),
        (None, Some(_)) => return Err(refused("signed, but no cursor key is set")),
        (None, None) => {}
    }
    let json: serde_json::Value =
        serde_json::from_slice(&payload).map_err(|_| refused("not a cursor"))?;
    let source = M::SOURCE;
    if json["t"].as_str() != Some(table) || json["i"].as_str() != source.index() {
        return Err(refused("made for another table or index"));
    }
    let attributes = json["k"].as_object().ok_or(refused("not a cursor"))?;
    let mut start: Item = HashMap::with_capacity(attributes.len());
    for (name, typed) in attributes {
        let (kind, text) = typed
            .as_object()
            .filter(|o| o.len() == 1)
            .and_then(|o| o.iter().next())
            .and_then(|(kind, text)| Some((kind.as_str(), text.as_str()?)))
            .ok_or(refused("not a cursor"))?;
        let value = match kind {
            "S" if !text.is_empty() => AttributeValue::S(text.to_owned()),
            "N" if text.parse::<awstin_core::Number>().is_ok() => {
                AttributeValue::N(text.to_owned())
            }
            "B" => {
                let bytes = URL_SAFE_NO_PAD
                    .decode(text)
                    .map_err(|_| refused("not a cursor"))?;
                if bytes.is_empty() {
                    return Err(refused("an empty key value"));
                }
                AttributeValue::B(Blob::new(bytes))
            }
            _ => {
                return Err(refused(
                    "a key value that is not a string, number or binary",
                ));
            }
        };
        start.insert(name.clone(), value);
    }
    check_key::<M>(&start)?;
    Ok(start)
}

/// The start key holds the model's key attributes, of their types, and for an index at most
/// the two attributes of the table's own key besides.
fn check_key<M: Model>(start: &Item) -> Result<(), Error> {
    let schema = M::KEY;
    let mut own = 0;
    for attribute in std::iter::once(schema.partition).chain(schema.sort) {
        let found = start
            .get(attribute.name)
            .ok_or(refused("not this model's key"))?;
        let matches = matches!(
            (attribute.attribute_type, found),
            (AttributeType::S, AttributeValue::S(_))
                | (AttributeType::N, AttributeValue::N(_))
                | (AttributeType::B, AttributeValue::B(_))
        );
        if !matches {
            return Err(refused("a key value of the wrong type"));
        }
        own += 1;
    }
    let others = start.len() - own;
    let allowed = if M::SOURCE.index().is_some() { 2 } else { 0 };
    if others > allowed {
        return Err(refused("not this model's key"));
    }
    Ok(())
}
