//! Keys: the key map of a model's key value, the key attributes of an item, and the one
//! detector of two requests on the same item that batches and transactions share.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::{KeyOf, Model};

use super::codec::{Item, to_attribute_value};
use super::error::Error;

/// Builds the key map of `key` for model `M`.
pub(crate) fn key_item<M: Model, K: KeyOf<M> + ?Sized>(key: &K) -> Result<Item, Error> {
    awstin_core::model::check_key::<M, K>(key)?;
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

/// The key attributes of model `M` among `attributes` (a key, or a whole item).
pub(crate) fn key_attributes<M: awstin_core::Model>(attributes: &Item) -> Item {
    let names = [Some(M::KEY.partition.name), M::KEY.sort.map(|s| s.name)];
    attributes
        .iter()
        .filter(|(name, _)| names.contains(&Some(name.as_str())))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// A text naming a key: equal for equal keys (key values are strings, numbers in canonical
/// text, or binaries), whatever the order of the map.
pub(crate) fn key_text(key: &Item) -> String {
    let mut attributes: Vec<_> = key.iter().collect();
    attributes.sort_by_key(|(name, _)| *name);
    attributes
        .iter()
        .fold(String::new(), |text, (name, value)| {
            format!("{text}{name}\0{value:?}\0")
        })
}

/// The key values of one request, borrowed: its table, and its partition and sort key values.
/// Equal when the same attribute values are (numbers by their text, which this crate writes
/// canonically).
#[derive(PartialEq)]
pub(crate) struct KeyView<'a> {
    table: &'a str,
    values: [Option<&'a AttributeValue>; 2],
}

impl<'a> KeyView<'a> {
    /// No key: a request with nothing to act on.
    pub(crate) fn none(table: &'a str) -> KeyView<'a> {
        KeyView {
            table,
            values: [None, None],
        }
    }

    /// The key of model `M` among `attributes` (a key, or a whole item).
    pub(crate) fn of<M: Model>(table: &'a str, attributes: &'a Item) -> KeyView<'a> {
        KeyView {
            table,
            values: [
                attributes.get(M::KEY.partition.name),
                M::KEY.sort.and_then(|s| attributes.get(s.name)),
            ],
        }
    }
}

/// A request's key values, owned: what a transaction keeps of each member to find two on
/// the same item.
#[derive(Debug)]
pub(crate) struct KeyOwned {
    table: String,
    values: [Option<AttributeValue>; 2],
}

impl KeyOwned {
    /// The key of model `M` among `attributes`, on `table`.
    pub(crate) fn of<M: Model>(table: &str, attributes: &Item) -> KeyOwned {
        let view = KeyView::of::<M>(table, attributes);
        KeyOwned {
            table: table.to_owned(),
            values: view.values.map(|v| v.cloned()),
        }
    }

    pub(crate) fn view(&self) -> KeyView<'_> {
        KeyView {
            table: &self.table,
            values: [self.values[0].as_ref(), self.values[1].as_ref()],
        }
    }
}

impl Eq for KeyView<'_> {}

impl Hash for KeyView<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.table.hash(state);
        for value in self.values {
            match value {
                Some(AttributeValue::S(s)) => (0u8, s.as_bytes()).hash(state),
                Some(AttributeValue::N(n)) => (1u8, n.as_bytes()).hash(state),
                Some(AttributeValue::B(b)) => (2u8, b.as_ref()).hash(state),
                Some(_) => 3u8.hash(state),
                None => 4u8.hash(state),
            }
        }
    }
}

/// The positions of the first two requests on the same item, found without copying keys.
pub(crate) fn first_duplicate<'a>(
    keys: impl IntoIterator<Item = KeyView<'a>>,
) -> Option<(usize, usize)> {
    let keys = keys.into_iter();
    let mut seen = HashMap::with_capacity(keys.size_hint().0);
    for (position, key) in keys.enumerate() {
        if let Some(first) = seen.insert(key, position) {
            return Some((first, position));
        }
    }
    None
}
