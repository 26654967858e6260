//! Reading values back: the inverse of [`Encode`](crate::values::value::Encode).
//!
//! A [`ValueRead`] is a cheap, copyable view of one stored value (the `awstin` crate implements
//! it for the SDK's `AttributeValue` and items); [`DecodeFrom`] builds a Rust value from it in
//! one pass. `dynamo_model!` generates `DecodeFrom` for every model, so an item becomes a model
//! without an intermediate tree. A missing or mistyped attribute is a [`DecodeError`] naming
//! the model and attribute; attributes the model does not declare are ignored.

use core::fmt;

use crate::attribute::AttributeType;
use crate::values::value::Value;
use crate::{error::Error, values::number::Number};

/// A view of one stored value.
pub trait ValueRead: Copy {
    /// The value's type.
    fn attribute_type(&self) -> AttributeType;
    /// The string of an `S`.
    fn as_str(&self) -> Option<&str>;
    /// The text of an `N`.
    fn as_number(&self) -> Option<&str>;
    /// The value of an `N`.
    fn number(&self) -> Option<Result<Number, Error>> {
        self.as_number().map(str::parse)
    }
    /// The bytes of a `B`.
    fn as_binary(&self) -> Option<&[u8]>;
    /// The value of a `BOOL`.
    fn as_bool(&self) -> Option<bool>;
    /// Number of elements of an `L`, `SS`, `NS` or `BS`.
    fn len(&self) -> Option<usize>;
    /// `true` for an empty list or set; `false` for other values.
    fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
    /// Element `index` of an `L`, `SS`, `NS` or `BS` (set elements read as `S`, `N` or `B`).
    fn item(&self, index: usize) -> Option<Self>;
    /// Member `key` of an `M`.
    fn get(&self, key: &str) -> Option<Self>;
    /// Calls `f` with each member of an `M`.
    fn for_each_member(
        &self,
        f: &mut dyn FnMut(&str, Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError>;
}

/// What went wrong reading a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// A required attribute is missing.
    Missing,
    /// The stored type is not the one the Rust type reads.
    WrongType {
        /// What the Rust type reads.
        expected: &'static str,
        /// What was stored.
        found: AttributeType,
    },
    /// A stored number is not valid.
    Number(Error),
    /// A stored number does not fit the Rust type (too large, negative, or fractional).
    OutOfRange {
        /// The Rust type.
        target: &'static str,
    },
    /// A stored value of a type the client does not know (newer than its SDK), which would
    /// otherwise be lost.
    UnknownType,
    /// A stored string is not in the form the Rust type reads (e.g. not an ISO-8601 date).
    Malformed {
        /// The form expected.
        expected: &'static str,
    },
    /// An item of another entity type than the model's (its `entity` line), or of none: a
    /// table shared by several models holds it, and it is not read as this one.
    OtherEntity {
        /// The model's entity type.
        expected: &'static str,
        /// The item's entity type; `None` when the item has none (or not a string).
        found: Option<EntityName>,
    },
}

/// An item's entity type as an error names it: its first 48 bytes (cut at a character
/// boundary, and said to be cut, when longer).
///
/// ```
/// use awstin_core::decode::EntityName;
/// assert_eq!(EntityName::of("Order").to_string(), "Order");
/// let long = "x".repeat(60);
/// assert!(EntityName::of(&long).is_cut());
/// assert_eq!(EntityName::of(&long).to_string(), format!("{}…", "x".repeat(48)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct EntityName {
    bytes: [u8; 48],
    len: u8,
    cut: bool,
}

impl EntityName {
    /// The name of `text`, its first 48 bytes when longer.
    pub fn of(text: &str) -> EntityName {
        let mut end = text.len().min(48);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let mut bytes = [0; 48];
        bytes[..end].copy_from_slice(&text.as_bytes()[..end]);
        EntityName {
            bytes,
            len: end as u8,
            cut: end < text.len(),
        }
    }

    /// The name as kept (see [`is_cut`](EntityName::is_cut)).
    ///
    /// ```
    /// assert_eq!(awstin_core::decode::EntityName::of("Order").as_str(), "Order");
    /// ```
    pub fn as_str(&self) -> &str {
        // Cut at a character boundary of a `str`: always UTF-8.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// Whether the name was longer than what is kept.
    pub fn is_cut(&self) -> bool {
        self.cut
    }
}

impl fmt::Debug for EntityName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)?;
        if self.cut { f.write_str("…") } else { Ok(()) }
    }
}

impl fmt::Display for EntityName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())?;
        if self.cut { f.write_str("…") } else { Ok(()) }
    }
}

/// A value that could not be read, with the model and attribute it belongs to.
///
/// ```
/// use awstin_core::decode::{DecodeError, DecodeErrorKind};
/// let e = DecodeError::new(DecodeErrorKind::Missing).at("Movie", "title");
/// assert_eq!(e.to_string(), "Movie.title: attribute is missing");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeError {
    /// The model whose attribute failed (the innermost, for nested models).
    pub model: Option<&'static str>,
    /// The attribute's DynamoDB name.
    pub attribute: Option<&'static str>,
    /// What went wrong.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    /// An error not yet placed in a model.
    ///
    /// ```
    /// use awstin_core::decode::{DecodeError, DecodeErrorKind};
    /// assert_eq!(DecodeError::new(DecodeErrorKind::Missing).attribute, None);
    /// ```
    pub const fn new(kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            model: None,
            attribute: None,
            kind,
        }
    }

    /// Places the error at `model.attribute`, unless an inner model already did.
    ///
    /// ```
    /// use awstin_core::decode::{DecodeError, DecodeErrorKind};
    /// let inner = DecodeError::new(DecodeErrorKind::Missing).at("Info", "rating");
    /// assert_eq!(inner.at("Movie", "info").model, Some("Info"));
    /// ```
    pub fn at(mut self, model: &'static str, attribute: &'static str) -> DecodeError {
        if self.attribute.is_none() {
            self.model = Some(model);
            self.attribute = Some(attribute);
        }
        self
    }

    /// The wrong-type error for a value of type `found` where `expected` was needed.
    ///
    /// ```
    /// use awstin_core::{AttributeType, decode::DecodeError};
    /// let e = DecodeError::wrong_type("N", AttributeType::S);
    /// assert_eq!(e.to_string(), "expected N, found S");
    /// ```
    pub const fn wrong_type(expected: &'static str, found: AttributeType) -> DecodeError {
        DecodeError::new(DecodeErrorKind::WrongType { expected, found })
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(model), Some(attribute)) = (self.model, self.attribute) {
            write!(f, "{model}.{attribute}: ")?;
        }
        match self.kind {
            DecodeErrorKind::Missing => f.write_str("attribute is missing"),
            DecodeErrorKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            DecodeErrorKind::Number(e) => write!(f, "{e}"),
            DecodeErrorKind::OutOfRange { target } => write!(f, "number does not fit {target}"),
            DecodeErrorKind::UnknownType => {
                f.write_str("a stored value has a type this client's SDK does not know")
            }
            DecodeErrorKind::Malformed { expected } => write!(f, "not {expected}"),
            DecodeErrorKind::OtherEntity {
                expected,
                found: Some(found),
            } => write!(f, "an item of entity type {found} is not a {expected}"),
            DecodeErrorKind::OtherEntity {
                expected,
                found: None,
            } => write!(f, "an item without an entity type is not a {expected}"),
        }
    }
}

impl core::error::Error for DecodeError {}

/// A Rust value read from a stored value `R`.
pub trait DecodeFrom<R: ValueRead>: Sized {
    /// Reads the value.
    fn decode(value: R) -> Result<Self, DecodeError>;

    /// The value of a missing attribute: an error, except for `Option` (`None`) and sets
    /// (empty: DynamoDB does not store empty sets).
    fn missing() -> Result<Self, DecodeError> {
        Err(DecodeError::new(DecodeErrorKind::Missing))
    }
}

/// Reads member `name` of the map `item` as a `T`, for generated model code.
pub fn member<R: ValueRead, T: DecodeFrom<R>>(
    item: R,
    model: &'static str,
    name: &'static str,
) -> Result<T, DecodeError> {
    match item.get(name) {
        Some(v) => T::decode(v),
        None => T::missing(),
    }
    .map_err(|e| e.at(model, name))
}

/// Checks that the item `value` holds entity type `expected` in attribute `attribute`, for
/// generated model code: [`DecodeErrorKind::OtherEntity`] otherwise, placed at the model and
/// the attribute.
///
/// ```
/// use awstin_core::ValueBuf;
/// use awstin_core::decode::{DecodeErrorKind, expect_entity};
/// let item = ValueBuf::M([("_type".to_string(), ValueBuf::S("Order".into()))].into());
/// assert!(expect_entity(item.read(), "Order", "_type", "Order").is_ok());
/// let e = expect_entity(item.read(), "User", "_type", "User").unwrap_err();
/// assert_eq!(e.to_string(), "User._type: an item of entity type Order is not a User");
/// ```
pub fn expect_entity<R: ValueRead>(
    item: R,
    model: &'static str,
    attribute: &'static str,
    expected: &'static str,
) -> Result<(), DecodeError> {
    let found = item.get(attribute);
    expect_entity_value(
        found.as_ref().and_then(ValueRead::as_str),
        model,
        attribute,
        expected,
    )
}

/// Checks an entity type read (`None`: the item has none), for generated model code: see
/// [`expect_entity`].
///
/// ```
/// use awstin_core::decode::expect_entity_value;
/// assert!(expect_entity_value(Some("Order"), "Order", "_type", "Order").is_ok());
/// assert!(expect_entity_value(None, "Order", "_type", "Order").is_err());
/// ```
pub fn expect_entity_value(
    found: Option<&str>,
    model: &'static str,
    attribute: &'static str,
    expected: &'static str,
) -> Result<(), DecodeError> {
    match found {
        Some(found) if found == expected => Ok(()),
        found => Err(DecodeError::new(DecodeErrorKind::OtherEntity {
            expected,
            found: found.map(EntityName::of),
        })
        .at(model, attribute)),
    }
}

/// Checks that `value` is a map, for generated model code.
pub fn expect_map<R: ValueRead>(value: R) -> Result<(), DecodeError> {
    match value.attribute_type() {
        AttributeType::M => Ok(()),
        found => Err(DecodeError::wrong_type("M", found)),
    }
}

fn number<R: ValueRead>(value: R) -> Result<Number, DecodeError> {
    value
        .number()
        .ok_or(DecodeError::wrong_type("N", value.attribute_type()))?
        .map_err(|e| DecodeError::new(DecodeErrorKind::Number(e)))
}

macro_rules! decode_integer {
    ($($t:ty),*) => {$(
        impl<R: ValueRead> DecodeFrom<R> for $t {
            fn decode(value: R) -> Result<Self, DecodeError> {
                let out_of_range = DecodeError::new(DecodeErrorKind::OutOfRange { target: stringify!($t) });
                let n = number(value)?.to_i128().ok_or(out_of_range)?;
                <$t>::try_from(n).map_err(|_| out_of_range)
            }
        }
    )*};
}
decode_integer!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize
);

macro_rules! decode_float {
    ($($t:ty),*) => {$(
        /// The nearest value of this type to the stored decimal.
        impl<R: ValueRead> DecodeFrom<R> for $t {
            fn decode(value: R) -> Result<Self, DecodeError> {
                match value.as_number() {
                    Some(text) => text.parse().map_err(|_| DecodeError::new(DecodeErrorKind::Number(Error::InvalidNumber))),
                    None => Ok(number(value)?.to_f64_lossy() as $t),
                }
            }
        }
    )*};
}
decode_float!(f32, f64);

impl<R: ValueRead> DecodeFrom<R> for Number {
    fn decode(value: R) -> Result<Self, DecodeError> {
        number(value)
    }
}

impl<R: ValueRead> DecodeFrom<R> for bool {
    fn decode(value: R) -> Result<Self, DecodeError> {
        value
            .as_bool()
            .ok_or(DecodeError::wrong_type("BOOL", value.attribute_type()))
    }
}

impl<R: ValueRead> DecodeFrom<R> for crate::values::value::Null {
    fn decode(value: R) -> Result<Self, DecodeError> {
        match value.attribute_type() {
            AttributeType::NULL => Ok(crate::values::value::Null),
            found => Err(DecodeError::wrong_type("NULL", found)),
        }
    }
}

/// `NULL` and a missing attribute read as `None`.
impl<R: ValueRead, T: DecodeFrom<R>> DecodeFrom<R> for Option<T> {
    fn decode(value: R) -> Result<Self, DecodeError> {
        match value.attribute_type() {
            AttributeType::NULL => Ok(None),
            _ => T::decode(value).map(Some),
        }
    }
    fn missing() -> Result<Self, DecodeError> {
        Ok(None)
    }
}

#[cfg(feature = "alloc")]
mod owned;
#[cfg(feature = "alloc")]
pub(crate) use owned::through_view;
#[cfg(feature = "alloc")]
pub use owned::{DecodeOwned, ValueOwned, expect_owned_map, owned_member, owned_members};

/// The [`DecodeOwned`] implementation of a model, for `dynamo_model!` (nothing without the
/// `alloc` feature, which reading by value needs).
#[cfg(feature = "alloc")]
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_owned_model {
    ($name:ident { $( $field:ident : $ty:ty = $attr:expr ),* $(,)? }) => {
        $crate::__decode_owned_model! { $name [] { $( $field : $ty = $attr ),* } }
    };
    ($name:ident [$($entity:expr => $entity_attr:expr)?] { $( $field:ident : $ty:ty = $attr:expr ),* $(,)? }) => {
        impl<__V: $crate::decode::ValueOwned> $crate::decode::DecodeOwned<__V> for $name
        where
            $( $ty: $crate::decode::DecodeOwned<__V>, )*
        {
            fn decode_owned(
                value: __V,
            ) -> ::core::result::Result<Self, $crate::DecodeError> {
                // One pass over the members, each matched by name: no hashing per attribute.
                // Members the model does not declare are dropped.
                $( let mut $field: ::core::option::Option<$ty> = ::core::option::Option::None; )*
                $( let mut entity_seen = false; let _ = $entity; )?
                for (name, member) in $crate::decode::owned_members(value)? {
                    let name: &str = &name;
                    $(
                        if name == $entity_attr {
                            $crate::decode::expect_entity_value(
                                $crate::decode::ValueRead::as_str(
                                    &$crate::decode::ValueOwned::view(&member),
                                ),
                                ::core::stringify!($name),
                                $entity_attr,
                                $entity,
                            )?;
                            entity_seen = true;
                        } else
                    )?
                    $(
                        if name == $attr {
                            $field = ::core::option::Option::Some(
                                <$ty as $crate::decode::DecodeOwned<__V>>::decode_owned(member)
                                    .map_err(|e| e.at(::core::stringify!($name), $attr))?,
                            );
                        } else
                    )* {
                        // Not an attribute of the model.
                        ::core::mem::drop(member);
                    }
                }
                $(
                    if !entity_seen {
                        $crate::decode::expect_entity_value(
                            ::core::option::Option::None,
                            ::core::stringify!($name),
                            $entity_attr,
                            $entity,
                        )?;
                    }
                )?
                ::core::result::Result::Ok($name {
                    $( $field: match $field {
                        ::core::option::Option::Some(v) => v,
                        ::core::option::Option::None => {
                            <$ty as $crate::decode::DecodeOwned<__V>>::missing_owned()
                                .map_err(|e| e.at(::core::stringify!($name), $attr))?
                        }
                    }, )*
                })
            }
        }
    };
}

/// Without `alloc`, models are read through views only.
#[cfg(not(feature = "alloc"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_owned_model {
    ($($t:tt)*) => {};
}

/// The `DecodeKey` implementation of a table or index model, for `dynamo_model!`.
#[cfg(feature = "alloc")]
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_owned_key {
    ($name:ident { $pk:ty = $pkn:expr }) => {
        impl<__V: $crate::decode::ValueOwned> $crate::model::DecodeKey<__V> for $name
        where
            $pk: $crate::decode::DecodeOwned<__V>,
        {
            fn decode_key(
                mut keys: __V,
            ) -> ::core::result::Result<<$name as $crate::Model>::Key, $crate::DecodeError> {
                $crate::decode::expect_owned_map(&keys)?;
                $crate::decode::owned_member::<__V, $pk>(&mut keys, ::core::stringify!($name), $pkn)
            }
        }
    };
    ($name:ident { $pk:ty = $pkn:expr, $sk:ty = $skn:expr }) => {
        impl<__V: $crate::decode::ValueOwned> $crate::model::DecodeKey<__V> for $name
        where
            $pk: $crate::decode::DecodeOwned<__V>,
            $sk: $crate::decode::DecodeOwned<__V>,
        {
            fn decode_key(
                mut keys: __V,
            ) -> ::core::result::Result<<$name as $crate::Model>::Key, $crate::DecodeError> {
                $crate::decode::expect_owned_map(&keys)?;
                let partition = $crate::decode::owned_member::<__V, $pk>(
                    &mut keys,
                    ::core::stringify!($name),
                    $pkn,
                )?;
                let sort = $crate::decode::owned_member::<__V, $sk>(
                    &mut keys,
                    ::core::stringify!($name),
                    $skn,
                )?;
                ::core::result::Result::Ok((partition, sort))
            }
        }
    };
}

/// Without `alloc`, keys are not read by value.
#[cfg(not(feature = "alloc"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __decode_owned_key {
    ($($t:tt)*) => {};
}

#[cfg(feature = "alloc")]
mod alloc_impls {
    use alloc::boxed::Box;
    use alloc::collections::{BTreeMap, BTreeSet};
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::{DecodeError, DecodeFrom, ValueRead};
    use crate::attribute::AttributeType;

    impl<R: ValueRead> DecodeFrom<R> for String {
        fn decode(value: R) -> Result<Self, DecodeError> {
            value
                .as_str()
                .map(String::from)
                .ok_or(DecodeError::wrong_type("S", value.attribute_type()))
        }
    }

    impl<R: ValueRead, T: DecodeFrom<R>> DecodeFrom<R> for Box<T> {
        fn decode(value: R) -> Result<Self, DecodeError> {
            T::decode(value).map(Box::new)
        }
        fn missing() -> Result<Self, DecodeError> {
            T::missing().map(Box::new)
        }
    }

    impl<R: ValueRead, T: DecodeFrom<R>> DecodeFrom<R> for Vec<T> {
        fn decode(value: R) -> Result<Self, DecodeError> {
            if value.attribute_type() != AttributeType::L {
                return Err(DecodeError::wrong_type("L", value.attribute_type()));
            }
            let len = value.len().unwrap_or(0);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                if let Some(item) = value.item(i) {
                    out.push(T::decode(item)?);
                }
            }
            Ok(out)
        }
    }

    pub(super) fn decode_set<R: ValueRead, T: DecodeFrom<R>>(
        value: R,
        mut push: impl FnMut(T),
    ) -> Result<(), DecodeError> {
        match value.attribute_type() {
            AttributeType::SS | AttributeType::NS | AttributeType::BS => {
                for i in 0..value.len().unwrap_or(0) {
                    if let Some(item) = value.item(i) {
                        push(T::decode(item)?);
                    }
                }
                Ok(())
            }
            found => Err(DecodeError::wrong_type("a set", found)),
        }
    }

    /// A missing set reads as empty: DynamoDB does not store empty sets.
    impl<R: ValueRead, T: DecodeFrom<R> + Ord> DecodeFrom<R> for BTreeSet<T> {
        fn decode(value: R) -> Result<Self, DecodeError> {
            let mut out = BTreeSet::new();
            decode_set(value, |v| {
                out.insert(v);
            })?;
            Ok(out)
        }
        fn missing() -> Result<Self, DecodeError> {
            Ok(BTreeSet::new())
        }
    }

    impl<R: ValueRead, V: DecodeFrom<R>> DecodeFrom<R> for BTreeMap<String, V> {
        fn decode(value: R) -> Result<Self, DecodeError> {
            super::expect_map(value)?;
            let mut out = BTreeMap::new();
            value.for_each_member(&mut |k, v| {
                out.insert(String::from(k), V::decode(v)?);
                Ok(())
            })?;
            Ok(out)
        }
    }
}

#[cfg(feature = "std")]
mod std_impls {
    extern crate std;
    use std::collections::{HashMap, HashSet};
    use std::hash::{BuildHasher, Hash};
    use std::string::String;

    use super::{DecodeError, DecodeFrom, ValueRead};

    /// A missing set reads as empty: DynamoDB does not store empty sets.
    impl<R: ValueRead, T: DecodeFrom<R> + Eq + Hash, S: BuildHasher + Default> DecodeFrom<R>
        for HashSet<T, S>
    {
        fn decode(value: R) -> Result<Self, DecodeError> {
            let mut out = HashSet::default();
            super::alloc_impls::decode_set(value, |v| {
                out.insert(v);
            })?;
            Ok(out)
        }
        fn missing() -> Result<Self, DecodeError> {
            Ok(HashSet::default())
        }
    }

    impl<R: ValueRead, V: DecodeFrom<R>, S: BuildHasher + Default> DecodeFrom<R>
        for HashMap<String, V, S>
    {
        fn decode(value: R) -> Result<Self, DecodeError> {
            super::expect_map(value)?;
            let mut out = HashMap::default();
            value.for_each_member(&mut |k, v| {
                out.insert(String::from(k), V::decode(v)?);
                Ok(())
            })?;
            Ok(out)
        }
    }
}

#[cfg(feature = "alloc")]
impl<R: ValueRead> DecodeFrom<R> for crate::values::value::BinaryBuf {
    fn decode(value: R) -> Result<Self, DecodeError> {
        value
            .as_binary()
            .map(|b| crate::values::value::BinaryBuf(b.to_vec()))
            .ok_or(DecodeError::wrong_type("B", value.attribute_type()))
    }
}

/// A borrowed [`Value`] read as an item: conditions evaluate on plain data, without `alloc`.
impl<'a> ValueRead for Value<'a> {
    fn attribute_type(&self) -> AttributeType {
        Value::attribute_type(self)
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::S(s) => Some(s),
            _ => None,
        }
    }
    fn as_number(&self) -> Option<&str> {
        None
    }
    fn number(&self) -> Option<Result<Number, Error>> {
        match self {
            Value::N(n) => Some(Ok(*n)),
            _ => None,
        }
    }
    fn as_binary(&self) -> Option<&[u8]> {
        match self {
            Value::B(b) => Some(b),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn len(&self) -> Option<usize> {
        match self {
            Value::L(v) => Some(v.len()),
            Value::SS(v) => Some(v.len()),
            Value::NS(v) => Some(v.len()),
            Value::BS(v) => Some(v.len()),
            _ => None,
        }
    }
    fn item(&self, index: usize) -> Option<Self> {
        match *self {
            Value::L(v) => v.get(index).copied(),
            Value::SS(v) => v.get(index).map(|s| Value::S(s)),
            Value::NS(v) => v.get(index).map(|n| Value::N(*n)),
            Value::BS(v) => v.get(index).map(|b| Value::B(b)),
            _ => None,
        }
    }
    fn get(&self, key: &str) -> Option<Self> {
        match *self {
            Value::M(members) => members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v),
            _ => None,
        }
    }
    fn for_each_member(
        &self,
        f: &mut dyn FnMut(&str, Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        if let Value::M(members) = *self {
            for (k, v) in members {
                f(k, *v)?;
            }
        }
        Ok(())
    }
}
