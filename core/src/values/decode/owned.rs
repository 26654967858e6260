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

use crate::values::decode::{DecodeError, DecodeErrorKind, DecodeFrom, ValueRead};
use crate::values::value::{AttributeType, BinaryBuf};
use crate::{values::number::Number, values::value::Null};

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
    crate::values::decode::expect_map(value.view())
}

/// Types read through the view, exactly as [`DecodeFrom`] reads them.
macro_rules! through_view {
    ($($t:ty),* $(,)?) => {$(
        impl<V: $crate::values::decode::ValueOwned> $crate::values::decode::DecodeOwned<V> for $t {
            fn decode_owned(value: V) -> Result<Self, $crate::values::decode::DecodeError> {
                <$t as $crate::values::decode::DecodeFrom<V::View<'_>>>::decode(
                    $crate::values::decode::ValueOwned::view(&value),
                )
            }
        }
    )*};
}
pub(crate) use through_view;
through_view!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64, bool, Number, Null,
    BinaryBuf,
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
