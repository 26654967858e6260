//! Item sizes: lower bounds of what DynamoDB counts, so that only items certainly over its
//! limits are refused before sending.

use aws_sdk_dynamodb::types::AttributeValue;

use super::codec::{Item, to_item};
use awstin_core::Encode;

pub use awstin_core::limits::MAX_ITEM_BYTES;

/// A lower bound of the size DynamoDB counts for `item`: the UTF-8 bytes of every attribute
/// name and map key, of strings, and the bytes of binaries, one byte per two significant digits
/// of a number, one byte per boolean and null. DynamoDB adds a little per number, list and
/// map, so an item over [`MAX_ITEM_BYTES`] by this count is over it for DynamoDB too.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// let item = [("name".to_string(), AttributeValue::S("Larry".into()))].into();
/// assert_eq!(awstin::dynamodb::item_size_at_least(&item), 9);
/// ```
pub fn item_size_at_least(item: &Item) -> usize {
    item.iter()
        .map(|(k, v)| k.len() + attribute_size_at_least(v))
        .sum()
}

/// A lower bound of the bytes DynamoDB counts for one attribute value, as in
/// [`item_size_at_least`].
pub(crate) fn attribute_size_at_least(v: &AttributeValue) -> usize {
    /// Significant digits of a number's text (leading and trailing zeros do not count).
    fn digits(n: &str) -> usize {
        let mantissa = n.split(['e', 'E']).next().unwrap_or("");
        mantissa
            .trim_matches(['+', '-', '.', '0'])
            .bytes()
            .filter(u8::is_ascii_digit)
            .count()
    }
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => digits(n) / 2,
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(items) => items.iter().map(attribute_size_at_least).sum(),
        AttributeValue::M(members) => item_size_at_least(members),
        AttributeValue::Ss(items) => items.iter().map(String::len).sum(),
        AttributeValue::Ns(items) => items.iter().map(|n| digits(n) / 2).sum(),
        AttributeValue::Bs(items) => items.iter().map(|b| b.as_ref().len()).sum(),
        _ => 0,
    }
}

/// A model as an item to write: its key checked as DynamoDB checks keys
/// ([`check_key`](awstin_core::model::check_key)), its secondary index keys neither NULL nor
/// empty, and refused when it is certainly over [`MAX_ITEM_BYTES`].
pub(crate) fn item_to_write<M: awstin_core::TableModel + Encode>(
    model: &M,
) -> Result<Item, super::Error> {
    awstin_core::model::check_key::<M, _>(&model.key())?;
    let item = value_to_write(model)?;
    for attribute in M::ATTRIBUTES.iter().filter(|a| a.index_key) {
        let found = match item.get(attribute.name) {
            Some(AttributeValue::S(s)) if s.is_empty() => "an empty string",
            Some(AttributeValue::B(b)) if b.as_ref().is_empty() => "an empty binary",
            Some(AttributeValue::Null(_)) => "NULL",
            _ => continue,
        };
        return Err(awstin_core::Error::IndexKeyValue {
            attribute: attribute.name,
            found,
        }
        .into());
    }
    Ok(item)
}

/// `value` as an item to write, refused when it is certainly over [`MAX_ITEM_BYTES`].
fn value_to_write(value: &dyn Encode) -> Result<Item, super::Error> {
    let item = to_item(value)?;
    let at_least = item_size_at_least(&item);
    if at_least > MAX_ITEM_BYTES {
        return Err(super::Error::ItemTooLarge {
            at_least,
            max: MAX_ITEM_BYTES,
        });
    }
    Ok(item)
}
