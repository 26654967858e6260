//! Reading by value: a stored value the reader owns gives its strings and lists away instead of
//! having them copied, so decoding an item a response handed over allocates only what the Rust
//! value needs beyond them (its `Vec`s).
//!
//! [`ValueOwned`] is the owned counterpart of [`ValueRead`]; [`DecodeOwned`] is implemented
//! for the crate's types and for every model `dynamo_model!` declares whose fields all have it.
//! Types read through a view (numbers, booleans, sets, maps) are read as [`DecodeFrom`] reads
//! them.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use crate::decode::{DecodeError, DecodeErrorKind, DecodeFrom, ValueRead};
use crate::value::{AttributeType, BinaryBuf};
use crate::{Null, Number, ValueBuf};

/// A stored value owned by the reader: strings, lists and map members move out of it.
///
/// ```
/// use awstin_core::decode::{DecodeOwned, ValueOwned};
/// use awstin_core::ValueBuf;
/// let list = ValueBuf::L(vec![ValueBuf::S("Larry".into()), ValueBuf::S("Moe".into())]);
/// let names: Vec<String> = DecodeOwned::decode_owned(list)?;
/// assert_eq!(names, ["Larry", "Moe"]);
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub trait ValueOwned: Sized {
    /// The borrowed view of the value, for what is read rather than moved.
    type View<'a>: ValueRead
    where
        Self: 'a;
    /// The view.
    fn view(&self) -> Self::View<'_>;
    /// The string of an `S`, moved out; the value back for another type.
    fn into_string(self) -> Result<String, Self>;
    /// The elements of an `L`, moved out one by one.
    type List: ExactSizeIterator<Item = Self>;
    /// The elements of an `L`, moved out; the value back for another type.
    fn into_list(self) -> Result<Self::List, Self>;
    /// Member `key` of an `M`, moved out (`None` when absent, or not a map).
    fn take(&mut self, key: &str) -> Option<Self>;
    /// The members of an `M`, moved out one by one, in no particular order.
    type Members: Iterator<Item = (String, Self)>;
    /// The members of an `M`, moved out; the value back for another type. A model reads its
    /// attributes in one pass over them, comparing names instead of hashing each one.
    fn into_members(self) -> Result<Self::Members, Self>;
}

/// A type read from a stored value by value (see [`ValueOwned`]).
///
/// ```
/// awstin_macros::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::decode::DecodeOwned;
/// use awstin_core::ValueBuf;
/// let item = ValueBuf::from_item(&Movie { year: 2013, title: "Rush".into() })?;
/// assert_eq!(Movie::decode_owned(item)?, Movie { year: 2013, title: "Rush".into() });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait DecodeOwned<V: ValueOwned>: Sized {
    /// Reads the value, taking what it can from it.
    fn decode_owned(value: V) -> Result<Self, DecodeError>;
    /// The value of a missing attribute, as [`DecodeFrom::missing`] gives it.
    fn missing_owned() -> Result<Self, DecodeError> {
        Err(DecodeError::new(DecodeErrorKind::Missing))
    }
}

/// A model whose key is read by value from a map holding (at least) its key attributes, as
/// a stream record's `Keys` does. `dynamo_model!` implements it for table and index models.
///
/// ```
/// awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: String } }
/// use awstin_core::decode::DecodeKey;
/// use awstin_core::ValueBuf;
/// let keys = ValueBuf::M([
///     ("year".to_string(), ValueBuf::N(2013.into())),
///     ("title".to_string(), ValueBuf::S("Rush".into())),
/// ].into());
/// assert_eq!(Movie::decode_key(keys)?, (2013, "Rush".to_string()));
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub trait DecodeKey<V: ValueOwned>: crate::Model {
    /// Reads the key attributes of `keys`; other members are ignored.
    fn decode_key(keys: V) -> Result<Self::Key, DecodeError>;
}

/// Takes member `name` of the map `item` as a `T`, for generated model code.
///
/// ```
/// use awstin_core::decode::owned_member;
/// use awstin_core::ValueBuf;
/// let mut item = ValueBuf::M([("title".to_string(), ValueBuf::S("Rush".into()))].into());
/// let title: String = owned_member(&mut item, "Movie", "title")?;
/// assert_eq!(title, "Rush");
/// assert!(owned_member::<_, String>(&mut item, "Movie", "title").is_err()); // taken
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub fn owned_member<V: ValueOwned, T: DecodeOwned<V>>(
    item: &mut V,
    model: &'static str,
    name: &'static str,
) -> Result<T, DecodeError> {
    match item.take(name) {
        Some(v) => T::decode_owned(v),
        None => T::missing_owned(),
    }
    .map_err(|e| e.at(model, name))
}

/// The members of the map `value`, for generated model code; a `WrongType` error for
/// another type.
///
/// ```
/// use awstin_core::decode::owned_members;
/// use awstin_core::ValueBuf;
/// assert!(owned_members(ValueBuf::Bool(true)).is_err());
/// assert_eq!(owned_members(ValueBuf::M(Default::default()))?.count(), 0);
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub fn owned_members<V: ValueOwned>(value: V) -> Result<V::Members, DecodeError> {
    value
        .into_members()
        .map_err(|other| DecodeError::wrong_type("M", other.view().attribute_type()))
}

/// Checks that `value` is a map, for generated model code.
///
/// ```
/// use awstin_core::decode::expect_owned_map;
/// assert!(expect_owned_map(&awstin_core::ValueBuf::Bool(true)).is_err());
/// ```
pub fn expect_owned_map<V: ValueOwned>(value: &V) -> Result<(), DecodeError> {
    crate::decode::expect_map(value.view())
}

/// Types read through the view, exactly as [`DecodeFrom`] reads them.
macro_rules! through_view {
    ($($t:ty),* $(,)?) => {$(
        impl<V: ValueOwned> DecodeOwned<V> for $t {
            fn decode_owned(value: V) -> Result<Self, DecodeError> {
                <$t as DecodeFrom<V::View<'_>>>::decode(value.view())
            }
        }
    )*};
}
through_view!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    bool,
    Number,
    Null,
    BinaryBuf,
    ValueBuf,
    crate::Ttl,
);
// The SDK's own types read by value too, so that a model with a date or a blob decodes every
// way (a conflict's current item, stream images, `from_item_owned`).
#[cfg(feature = "aws-smithy-types")]
through_view!(
    aws_smithy_types::Blob,
    aws_smithy_types::DateTime,
    crate::Iso8601
);

impl<V: ValueOwned> DecodeOwned<V> for String {
    fn decode_owned(value: V) -> Result<Self, DecodeError> {
        value
            .into_string()
            .map_err(|v| DecodeError::wrong_type("S", v.view().attribute_type()))
    }
}

/// `NULL` and a missing attribute read as `None`.
impl<V: ValueOwned, T: DecodeOwned<V>> DecodeOwned<V> for Option<T> {
    fn decode_owned(value: V) -> Result<Self, DecodeError> {
        match value.view().attribute_type() {
            AttributeType::NULL => Ok(None),
            _ => T::decode_owned(value).map(Some),
        }
    }
    fn missing_owned() -> Result<Self, DecodeError> {
        Ok(None)
    }
}

impl<V: ValueOwned, T: DecodeOwned<V>> DecodeOwned<V> for Box<T> {
    fn decode_owned(value: V) -> Result<Self, DecodeError> {
        T::decode_owned(value).map(Box::new)
    }
    fn missing_owned() -> Result<Self, DecodeError> {
        T::missing_owned().map(Box::new)
    }
}

impl<V: ValueOwned, T: DecodeOwned<V>> DecodeOwned<V> for Vec<T> {
    fn decode_owned(value: V) -> Result<Self, DecodeError> {
        let items = value
            .into_list()
            .map_err(|v| DecodeError::wrong_type("L", v.view().attribute_type()))?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::decode_owned(item)?);
        }
        Ok(out)
    }
}

/// Sets are read through the view (their elements are copied); a missing set reads as empty.
impl<V: ValueOwned, T: Ord> DecodeOwned<V> for BTreeSet<T>
where
    T: for<'a> DecodeFrom<V::View<'a>>,
{
    fn decode_owned(value: V) -> Result<Self, DecodeError> {
        BTreeSet::decode(value.view())
    }
    fn missing_owned() -> Result<Self, DecodeError> {
        Ok(BTreeSet::new())
    }
}

/// Maps are read through the view (their keys and values are copied).
impl<V: ValueOwned, T> DecodeOwned<V> for BTreeMap<String, T>
where
    T: for<'a> DecodeFrom<V::View<'a>>,
{
    fn decode_owned(value: V) -> Result<Self, DecodeError> {
        BTreeMap::decode(value.view())
    }
}

/// [`ValueBuf`] owns its values: strings and lists move out of it.
impl ValueOwned for ValueBuf {
    type View<'a> = crate::ValueBufRef<'a>;
    fn view(&self) -> crate::ValueBufRef<'_> {
        self.read()
    }
    fn into_string(self) -> Result<String, Self> {
        match self {
            ValueBuf::S(s) => Ok(s),
            other => Err(other),
        }
    }
    type List = alloc::vec::IntoIter<ValueBuf>;
    fn into_list(self) -> Result<Self::List, Self> {
        match self {
            ValueBuf::L(items) => Ok(items.into_iter()),
            other => Err(other),
        }
    }
    fn take(&mut self, key: &str) -> Option<Self> {
        match self {
            ValueBuf::M(members) => members.remove(key),
            _ => None,
        }
    }
    type Members = alloc::collections::btree_map::IntoIter<String, ValueBuf>;
    fn into_members(self) -> Result<Self::Members, Self> {
        match self {
            ValueBuf::M(members) => Ok(members.into_iter()),
            other => Err(other),
        }
    }
}
