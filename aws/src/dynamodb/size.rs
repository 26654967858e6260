//! Item sizes as DynamoDB counts them ([`awstin_core::size`]), so that an item over its limits
//! is refused before sending and no item within them is.

use aws_sdk_dynamodb::types::AttributeValue;

use super::codec::Item;

pub use awstin_core::limits::MAX_ITEM_BYTES;

/// The size DynamoDB counts for `item` against [`MAX_ITEM_BYTES`]: the UTF-8 bytes of every
/// attribute name and string, the bytes of binaries, a number's one byte plus one per two
/// significant digits on either side of its point (and one when negative), one byte per
/// boolean and null, three per list or map plus one per element (and each member's name);
/// see [`awstin_core::size`].
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// let item = [
///     ("name".to_string(), AttributeValue::S("Larry".into())),
///     ("age".to_string(), AttributeValue::N("42".into())),
/// ].into();
/// assert_eq!(awstin::dynamodb::item_size(&item), 4 + 5 + 3 + 2);
/// ```
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + attribute_size(v)).sum()
}

/// The bytes DynamoDB counts for one attribute value, as in [`item_size`].
pub(crate) fn attribute_size(v: &AttributeValue) -> usize {
    /// A number's size by its text; a text that is not a number (DynamoDB never returns one)
    /// counts its digits, two a byte.
    fn number(n: &str) -> usize {
        match n.parse::<awstin_core::Number>() {
            Ok(n) => awstin_core::size::number_size(n),
            Err(_) => n.bytes().filter(u8::is_ascii_digit).count().div_ceil(2) + 1,
        }
    }
    match v {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(items) => 3 + items.iter().map(|v| 1 + attribute_size(v)).sum::<usize>(),
        AttributeValue::M(members) => {
            3 + members
                .iter()
                .map(|(k, v)| k.len() + 1 + attribute_size(v))
                .sum::<usize>()
        }
        AttributeValue::Ss(items) => items.iter().map(String::len).sum(),
        AttributeValue::Ns(items) => items.iter().map(|n| number(n)).sum(),
        AttributeValue::Bs(items) => items.iter().map(|b| b.as_ref().len()).sum(),
        _ => 0,
    }
}
