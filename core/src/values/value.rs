//! Values: how Rust data reaches DynamoDB without an intermediate tree.
//!
//! A value is anything that implements [`Encode`]: it describes itself to a [`Sink`] as a stream
//! of scalars and containers. Validation, rendering to DynamoDB JSON and (in the `awstin` crate)
//! building SDK `AttributeValue`s are sinks, so user data is read once, in place, with no copy.
//! [`Value`] is the borrowed dynamic form covering all ten DynamoDB types, for data whose shape
//! is only known at run time.

use crate::values::kind;
use crate::{error::Error, values::number::Number};

pub use crate::attribute::{AttributeType, Container};

/// Receives one value as a stream: scalars, and containers opened with [`begin`](Sink::begin)
/// and closed with [`end`](Sink::end). Inside a map, each value is preceded by
/// [`key`](Sink::key).
///
/// ```
/// use awstin_core::{Container, Encode, Error, Number, Sink};
///
/// /// Counts the scalars of a value.
/// struct Count(usize);
/// impl Sink for Count {
///     fn string(&mut self, _: &str) -> Result<(), Error> { self.0 += 1; Ok(()) }
///     fn number(&mut self, _: Number) -> Result<(), Error> { self.0 += 1; Ok(()) }
///     fn binary(&mut self, _: &[u8]) -> Result<(), Error> { self.0 += 1; Ok(()) }
///     fn boolean(&mut self, _: bool) -> Result<(), Error> { self.0 += 1; Ok(()) }
///     fn null(&mut self) -> Result<(), Error> { self.0 += 1; Ok(()) }
///     fn begin(&mut self, _: Container) -> Result<(), Error> { Ok(()) }
///     fn key(&mut self, _: &str) -> Result<(), Error> { Ok(()) }
///     fn end(&mut self) -> Result<(), Error> { Ok(()) }
/// }
/// let mut count = Count(0);
/// [1u8, 2, 3].encode(&mut count)?;
/// assert_eq!(count.0, 3);
/// # Ok::<(), Error>(())
/// ```
pub trait Sink {
    /// A string (`S`), or an element of a string set.
    fn string(&mut self, v: &str) -> Result<(), Error>;
    /// A number (`N`), or an element of a number set.
    fn number(&mut self, v: Number) -> Result<(), Error>;
    /// A binary (`B`), or an element of a binary set.
    fn binary(&mut self, v: &[u8]) -> Result<(), Error>;
    /// A boolean (`BOOL`).
    fn boolean(&mut self, v: bool) -> Result<(), Error>;
    /// `NULL`.
    fn null(&mut self) -> Result<(), Error>;
    /// Opens a list, map or set.
    fn begin(&mut self, container: Container) -> Result<(), Error>;
    /// Opens a list, map or set that will hold about `len` elements or members: a hint
    /// for sinks that build the value (at most `len`, and may be fewer; never trusted for
    /// more than sizing). The default ignores it.
    ///
    /// ```
    /// use awstin_core::{Container, Encode, Sink};
    /// let mut out = heapless::String::<64>::new();
    /// awstin_core::json::to_json(&vec![1u8, 2], &mut out)?; // calls `begin_sized(List, 2)`
    /// assert_eq!(out, r#"{"L":[{"N":"1"},{"N":"2"}]}"#);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    fn begin_sized(&mut self, container: Container, len: usize) -> Result<(), Error> {
        let _ = len;
        self.begin(container)
    }
    /// The key of the next map member.
    fn key(&mut self, key: &str) -> Result<(), Error>;
    /// Closes the innermost open container.
    fn end(&mut self) -> Result<(), Error>;
    /// A member of the open map that is one scalar ([`Encode::scalar`]), for a sink that
    /// builds it straight from the value as its type holds it (an SDK backend's string, or
    /// an integer's digits); `Ok(false)` (the default) when it takes the member the usual
    /// way, [`Sink::key`] and then the value, which [`encode_member`] then does.
    #[doc(hidden)]
    fn scalar_member(&mut self, key: &str, value: Scalar<'_>) -> Result<bool, Error> {
        let _ = (key, value);
        Ok(false)
    }
}

/// Writes the map member `key`: `value` as one scalar where the sink takes it so
/// ([`Sink::scalar_member`]), else its key and then the value. What `dynamo_model!`'s
/// encoding calls for each field.
///
/// ```
/// use awstin_core::{Container, Error, Number, Sink};
/// /// Counts keys and values: takes no member as one scalar.
/// #[derive(Default)]
/// struct Count(usize, usize);
/// impl Sink for Count {
///     fn string(&mut self, _: &str) -> Result<(), Error> { self.1 += 1; Ok(()) }
///     fn number(&mut self, _: Number) -> Result<(), Error> { self.1 += 1; Ok(()) }
///     fn binary(&mut self, _: &[u8]) -> Result<(), Error> { self.1 += 1; Ok(()) }
///     fn boolean(&mut self, _: bool) -> Result<(), Error> { self.1 += 1; Ok(()) }
///     fn null(&mut self) -> Result<(), Error> { self.1 += 1; Ok(()) }
///     fn begin(&mut self, _: Container) -> Result<(), Error> { Ok(()) }
///     fn key(&mut self, _: &str) -> Result<(), Error> { self.0 += 1; Ok(()) }
///     fn end(&mut self) -> Result<(), Error> { Ok(()) }
/// }
/// let mut count = Count::default();
/// awstin_core::encode_member(&mut count, "year", &2013u32)?;
/// assert_eq!((count.0, count.1), (1, 1));
/// # Ok::<(), Error>(())
/// ```
#[doc(hidden)]
pub fn encode_member(sink: &mut dyn Sink, key: &str, value: &dyn Encode) -> Result<(), Error> {
    if let Some(scalar) = value.scalar()
        && sink.scalar_member(key, scalar)?
    {
        return Ok(());
    }
    sink.key(key)?;
    value.encode(sink)
}

/// A Rust value that DynamoDB can store.
///
/// ```
/// use awstin_core::{Encode, Value};
/// use awstin_core::json::to_json;
///
/// let mut out = heapless::String::<64>::new();
/// to_json(&("Larry", 3u8).1, &mut out)?;
/// assert_eq!(out, r#"{"N":"3"}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub trait Encode {
    /// Describes the value to `sink`.
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error>;

    /// `true` when a model field holding this value is left out of the item (`None`).
    fn is_absent(&self) -> bool {
        false
    }

    /// At most the bytes DynamoDB counts for the value
    /// ([`size::value_size`](crate::values::size::value_size)), where the type knows it
    /// without encoding the value (a number's largest size, a string's length); `None`
    /// otherwise. A size check adds these up first and encodes the values only when the sum
    /// could pass a limit.
    ///
    /// ```
    /// use awstin_core::Encode;
    /// assert_eq!(1.5f64.size_at_most(), Some(22));
    /// assert_eq!("abc".size_at_most(), Some(3));
    /// assert_eq!(true.size_at_most(), None);
    /// ```
    fn size_at_most(&self) -> Option<usize> {
        None
    }

    /// The value as its type gives it, when it is a string, an integer or a bool: a backend
    /// writes it straight into its own value type (`AttributeValue::N` from the integer's
    /// digits), without a [`Sink`] and without making a [`Number`] first. `None` for any
    /// other value, which the backend encodes through a sink.
    #[doc(hidden)]
    fn scalar(&self) -> Option<Scalar<'_>> {
        None
    }

    /// Where the value is and what it is: a borrowed value's referent (a reference gives its
    /// target's), its size and its type's name. Two values of one identity are one value (a
    /// renderer gives them one placeholder): the same bytes read as the same type.
    #[doc(hidden)]
    fn identity(&self) -> Identity {
        let name = core::any::type_name::<Self>();
        Identity {
            at: (self as *const Self).cast::<u8>() as usize,
            size: core::mem::size_of_val(self),
            name: (name.as_ptr() as usize, name.len()),
        }
    }
}

/// A value that is one string, integer or bool ([`Encode::scalar`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    /// A string (`S`).
    S(&'a str),
    /// An unsigned integer (`N`).
    U(u64),
    /// A signed integer (`N`).
    I(i64),
    /// A bool (`BOOL`).
    Bool(bool),
    /// An `f64` (`N`): NaN, the infinities and magnitudes outside DynamoDB's range are
    /// refused where it is checked or written.
    F64(f64),
}

/// A value's identity ([`Encode::identity`]): its address, its size, and its type's name (by
/// where the name is: two types' names are two texts, so one name's place is one type, or
/// types that differ in lifetimes only, which encode alike).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identity {
    at: usize,
    size: usize,
    name: (usize, usize),
}

/// The DynamoDB type a Rust type is stored as, known at compile time; the DSL uses it to reject
/// a value of the wrong type for an attribute.
///
/// ```
/// use awstin_core::{DynamoType, kind};
/// fn number_kind<T: DynamoType<Kind = kind::N> + ?Sized>() {}
/// number_kind::<u32>();
/// number_kind::<Option<f64>>();
/// ```
pub trait DynamoType {
    /// One of the marker types of [`kind`].
    type Kind: kind::Kind;
    /// Whether a value may be of another DynamoDB type than its kind says: `None` is a NULL.
    /// (A value of kind `Any` may be of any type.) Checks of a value's type when a condition
    /// is rendered run only for such values.
    const NULLABLE: bool = false;
    /// What the renderer checks of a value of the type before it is sent: nothing where every
    /// value is one DynamoDB takes (a string, an integer, a bool, a binary, a `Number`, valid
    /// by construction, or an `Option` or reference of one); a float's magnitude; anything
    /// else in full (an empty set, nesting past 32 levels).
    #[doc(hidden)]
    const CHECK: ValueCheck = ValueCheck::Full;
}

/// What a value's type leaves to check ([`DynamoType::CHECK`]).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueCheck {
    /// Every value of the type is one DynamoDB takes.
    None,
    /// A float: finite and within DynamoDB's range.
    Magnitude,
    /// Encoded and checked as DynamoDB would.
    Full,
}

/// Binary data (`B`), borrowed.
///
/// Byte slices and `Vec<u8>` are lists of numbers like any other sequence; wrap bytes in
/// `Binary` (or `BinaryBuf` with the `alloc` feature) to store them as binary.
///
/// ```
/// use awstin_core::{Binary, json::to_json};
/// let mut out = heapless::String::<32>::new();
/// to_json(&Binary(b"hi"), &mut out)?;
/// assert_eq!(out, r#"{"B":"aGk="}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Binary<'a>(pub &'a [u8]);

/// The `NULL` value.
///
/// ```
/// use awstin_core::{Null, json::to_json};
/// let mut out = heapless::String::<32>::new();
/// to_json(&Null, &mut out)?;
/// assert_eq!(out, r#"{"NULL":true}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Null;

/// A borrowed DynamoDB value of any of the ten types, for data whose shape is known only at run
/// time. Sets must be non-empty and free of duplicates; that is checked when the value is
/// encoded.
///
/// ```
/// use awstin_core::{Number, Value, json::to_json};
/// let info = Value::M(&[
///     ("rating", Value::N(Number::from(7u8))),
///     ("genres", Value::SS(&["Drama", "Comedy"])),
/// ]);
/// let mut out = heapless::String::<128>::new();
/// to_json(&info, &mut out)?;
/// assert_eq!(out, r#"{"M":{"rating":{"N":"7"},"genres":{"SS":["Drama","Comedy"]}}}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// String.
    S(&'a str),
    /// Number.
    N(Number),
    /// Binary.
    B(&'a [u8]),
    /// Boolean.
    Bool(bool),
    /// Null.
    Null,
    /// List.
    L(&'a [Value<'a>]),
    /// Map, as (key, value) pairs.
    M(&'a [(&'a str, Value<'a>)]),
    /// String set.
    SS(&'a [&'a str]),
    /// Number set.
    NS(&'a [Number]),
    /// Binary set.
    BS(&'a [&'a [u8]]),
}

impl Value<'_> {
    /// The attribute type of this value.
    ///
    /// ```
    /// use awstin_core::{AttributeType, Value};
    /// assert_eq!(Value::Bool(true).attribute_type(), AttributeType::BOOL);
    /// ```
    pub fn attribute_type(&self) -> AttributeType {
        match self {
            Value::S(_) => AttributeType::S,
            Value::N(_) => AttributeType::N,
            Value::B(_) => AttributeType::B,
            Value::Bool(_) => AttributeType::BOOL,
            Value::Null => AttributeType::NULL,
            Value::L(_) => AttributeType::L,
            Value::M(_) => AttributeType::M,
            Value::SS(_) => AttributeType::SS,
            Value::NS(_) => AttributeType::NS,
            Value::BS(_) => AttributeType::BS,
        }
    }
}

/// Refuses a set given the same element twice.
pub(crate) fn no_duplicates<T: PartialEq>(items: &[T]) -> Result<(), Error> {
    for (i, a) in items.iter().enumerate() {
        if items[i + 1..].contains(a) {
            return Err(Error::DuplicateSetElement);
        }
    }
    Ok(())
}

impl Encode for Value<'_> {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        match *self {
            Value::S(s) => sink.string(s),
            Value::N(n) => sink.number(n),
            Value::B(b) => sink.binary(b),
            Value::Bool(b) => sink.boolean(b),
            Value::Null => sink.null(),
            Value::L(items) => {
                sink.begin_sized(Container::List, items.len())?;
                for item in items {
                    item.encode(sink)?;
                }
                sink.end()
            }
            Value::M(members) => {
                // A slice can hold one key twice; a map cannot.
                for (i, (key, _)) in members.iter().enumerate() {
                    if members[..i].iter().any(|(k, _)| k == key) {
                        return Err(Error::DuplicateKey);
                    }
                }
                sink.begin_sized(Container::Map, members.len())?;
                for (key, value) in members {
                    sink.key(key)?;
                    value.encode(sink)?;
                }
                sink.end()
            }
            Value::SS(items) => {
                no_duplicates(items)?;
                sink.begin_sized(Container::StringSet, items.len())?;
                for item in items {
                    sink.string(item)?;
                }
                sink.end()
            }
            Value::NS(items) => {
                no_duplicates(items)?;
                sink.begin_sized(Container::NumberSet, items.len())?;
                for item in items {
                    sink.number(*item)?;
                }
                sink.end()
            }
            Value::BS(items) => {
                no_duplicates(items)?;
                sink.begin_sized(Container::BinarySet, items.len())?;
                for item in items {
                    sink.binary(item)?;
                }
                sink.end()
            }
        }
    }
}

impl DynamoType for Value<'_> {
    type Kind = kind::Any;
}

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

macro_rules! exact_number {
    ($($t:ty => $scalar:ident as $wide:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
                sink.number(Number::from(*self))
            }
            #[allow(clippy::cast_lossless, clippy::cast_possible_wrap, reason = "every integer type here fits its 64-bit scalar")]
            fn scalar(&self) -> Option<Scalar<'_>> {
                Some(Scalar::$scalar(*self as $wide))
            }
            fn size_at_most(&self) -> Option<usize> {
                Some(crate::limits::MAX_NUMBER_BYTES)
            }
        }
        impl DynamoType for $t {
            type Kind = kind::N;
            const CHECK: ValueCheck = ValueCheck::None;
        }
    )*};
}
exact_number!(
    u8 => U as u64, u16 => U as u64, u32 => U as u64, u64 => U as u64, usize => U as u64,
    i8 => I as i64, i16 => I as i64, i32 => I as i64, i64 => I as i64, isize => I as i64
);

macro_rules! checked_number {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
                sink.number(Number::try_from(*self)?)
            }
            fn size_at_most(&self) -> Option<usize> {
                Some(crate::limits::MAX_NUMBER_BYTES)
            }
        }
        impl DynamoType for $t {
            type Kind = kind::N;
        }
    )*};
}
checked_number!(u128, i128, f32);

impl Encode for f64 {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.number(Number::try_from(*self)?)
    }
    fn size_at_most(&self) -> Option<usize> {
        Some(crate::limits::MAX_NUMBER_BYTES)
    }
    fn scalar(&self) -> Option<Scalar<'_>> {
        Some(Scalar::F64(*self))
    }
}
impl DynamoType for f64 {
    type Kind = kind::N;
    const CHECK: ValueCheck = ValueCheck::Magnitude;
}

impl Encode for Number {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.number(*self)
    }
}
impl DynamoType for Number {
    type Kind = kind::N;
    const CHECK: ValueCheck = ValueCheck::None;
}

impl Encode for str {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.string(self)
    }
    /// A string's size is its UTF-8 length, known without encoding it.
    fn size_at_most(&self) -> Option<usize> {
        Some(self.len())
    }
    fn scalar(&self) -> Option<Scalar<'_>> {
        Some(Scalar::S(self))
    }
}
impl DynamoType for str {
    type Kind = kind::S;
    const CHECK: ValueCheck = ValueCheck::None;
}

impl Encode for char {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        let mut buf = [0u8; 4];
        sink.string(self.encode_utf8(&mut buf))
    }
}
impl DynamoType for char {
    type Kind = kind::S;
    const CHECK: ValueCheck = ValueCheck::None;
}

impl Encode for bool {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.boolean(*self)
    }
    fn scalar(&self) -> Option<Scalar<'_>> {
        Some(Scalar::Bool(*self))
    }
}
impl DynamoType for bool {
    type Kind = kind::Bool;
    const CHECK: ValueCheck = ValueCheck::None;
}

impl Encode for Null {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.null()
    }
}
impl DynamoType for Null {
    type Kind = kind::Null;
    const CHECK: ValueCheck = ValueCheck::None;
}

impl Encode for Binary<'_> {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.binary(self.0)
    }
}
impl DynamoType for Binary<'_> {
    type Kind = kind::B;
    const CHECK: ValueCheck = ValueCheck::None;
}

impl DynamoType for AttributeType {
    type Kind = kind::S;
    const CHECK: ValueCheck = ValueCheck::None;
}
impl Encode for AttributeType {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.string(self.code())
    }
}

// ---------------------------------------------------------------------------------------------
// Wrappers and sequences
// ---------------------------------------------------------------------------------------------

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        (**self).encode(sink)
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
    fn size_at_most(&self) -> Option<usize> {
        (**self).size_at_most()
    }
    fn scalar(&self) -> Option<Scalar<'_>> {
        (**self).scalar()
    }
    fn identity(&self) -> Identity {
        (**self).identity()
    }
}
impl<T: DynamoType + ?Sized> DynamoType for &T {
    type Kind = T::Kind;
    const NULLABLE: bool = T::NULLABLE;
    const CHECK: ValueCheck = T::CHECK;
}

/// `None` is `NULL` where a value is required, and is left out of a model's item.
impl<T: Encode> Encode for Option<T> {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        match self {
            Some(v) => v.encode(sink),
            None => sink.null(),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
    fn scalar(&self) -> Option<Scalar<'_>> {
        self.as_ref()?.scalar()
    }
}
impl<T: DynamoType> DynamoType for Option<T> {
    type Kind = T::Kind;
    const NULLABLE: bool = true;
    const CHECK: ValueCheck = T::CHECK;
}

impl<T: Encode> Encode for [T] {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.begin_sized(Container::List, self.len())?;
        for item in self {
            item.encode(sink)?;
        }
        sink.end()
    }
}
impl<T: DynamoType> DynamoType for [T] {
    type Kind = kind::L;
}

impl<T: Encode, const N: usize> Encode for [T; N] {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        self.as_slice().encode(sink)
    }
}
impl<T: DynamoType, const N: usize> DynamoType for [T; N] {
    type Kind = kind::L;
}

/// Encodes the elements of a set, after checking it is not empty.
#[cfg(feature = "alloc")]
pub(crate) fn encode_set<'a, T, I>(sink: &mut dyn Sink, len: usize, items: I) -> Result<(), Error>
where
    T: Encode + DynamoType + 'a + ?Sized,
    T::Kind: kind::SetElement,
    I: IntoIterator<Item = &'a T>,
{
    if len == 0 {
        return Err(Error::EmptySet);
    }
    sink.begin_sized(<T::Kind as kind::SetElement>::CONTAINER, len)?;
    for item in items {
        item.encode(sink)?;
    }
    sink.end()
}

#[cfg(feature = "alloc")]
mod alloc_impls {
    use alloc::boxed::Box;
    use alloc::collections::{BTreeMap, BTreeSet};
    use alloc::string::String;
    use alloc::vec::Vec;

    use super::{Container, DynamoType, Encode, Sink, encode_set};
    use crate::{error::Error, values::kind};

    /// Binary data (`B`), owned.
    ///
    /// ```
    /// use awstin_core::{BinaryBuf, json::to_json};
    /// let mut out = heapless::String::<32>::new();
    /// to_json(&BinaryBuf(vec![0xff]), &mut out)?;
    /// assert_eq!(out, r#"{"B":"/w=="}"#);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
    pub struct BinaryBuf(pub Vec<u8>);

    impl Encode for BinaryBuf {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            sink.binary(&self.0)
        }
    }
    impl DynamoType for BinaryBuf {
        type Kind = kind::B;
        const CHECK: super::ValueCheck = super::ValueCheck::None;
    }

    impl Encode for String {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            sink.string(self)
        }
        fn size_at_most(&self) -> Option<usize> {
            Some(self.len())
        }
        fn scalar(&self) -> Option<super::Scalar<'_>> {
            Some(super::Scalar::S(self))
        }
    }
    impl DynamoType for String {
        type Kind = kind::S;
        const CHECK: super::ValueCheck = super::ValueCheck::None;
    }

    impl<T: Encode + ?Sized> Encode for Box<T> {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            (**self).encode(sink)
        }
        fn is_absent(&self) -> bool {
            (**self).is_absent()
        }
        fn size_at_most(&self) -> Option<usize> {
            (**self).size_at_most()
        }
        fn scalar(&self) -> Option<super::Scalar<'_>> {
            (**self).scalar()
        }
        fn identity(&self) -> super::Identity {
            (**self).identity()
        }
    }
    impl<T: DynamoType + ?Sized> DynamoType for Box<T> {
        type Kind = T::Kind;
        const NULLABLE: bool = T::NULLABLE;
        const CHECK: super::ValueCheck = T::CHECK;
    }

    impl<T: Encode> Encode for Vec<T> {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            self.as_slice().encode(sink)
        }
    }
    impl<T: DynamoType> DynamoType for Vec<T> {
        type Kind = kind::L;
    }

    impl<T: Encode + DynamoType> Encode for BTreeSet<T>
    where
        T::Kind: kind::SetElement,
    {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            encode_set(sink, self.len(), self)
        }
        /// DynamoDB has no empty sets: a model leaves an empty set out of the item.
        fn is_absent(&self) -> bool {
            self.is_empty()
        }
    }
    impl<T: DynamoType> DynamoType for BTreeSet<T>
    where
        T::Kind: kind::SetElement,
    {
        type Kind = <T::Kind as kind::SetElement>::Set;
    }

    impl<K: AsRef<str>, V: Encode> Encode for BTreeMap<K, V> {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            sink.begin_sized(Container::Map, self.len())?;
            for (k, v) in self {
                sink.key(k.as_ref())?;
                v.encode(sink)?;
            }
            sink.end()
        }
    }
    impl<K: AsRef<str>, V: DynamoType> DynamoType for BTreeMap<K, V> {
        type Kind = kind::M;
    }
}
#[cfg(feature = "alloc")]
pub use alloc_impls::BinaryBuf;

#[cfg(feature = "std")]
mod std_impls {
    extern crate std;
    use std::collections::{HashMap, HashSet};
    use std::hash::BuildHasher;

    use super::{Container, DynamoType, Encode, Sink, encode_set};
    use crate::{error::Error, values::kind};

    impl<T: Encode + DynamoType, S: BuildHasher> Encode for HashSet<T, S>
    where
        T::Kind: kind::SetElement,
    {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            encode_set(sink, self.len(), self)
        }
        /// DynamoDB has no empty sets: a model leaves an empty set out of the item.
        fn is_absent(&self) -> bool {
            self.is_empty()
        }
    }
    impl<T: DynamoType, S> DynamoType for HashSet<T, S>
    where
        T::Kind: kind::SetElement,
    {
        type Kind = <T::Kind as kind::SetElement>::Set;
    }

    /// Members are encoded in the map's iteration order.
    impl<K: AsRef<str>, V: Encode, S: BuildHasher> Encode for HashMap<K, V, S> {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            sink.begin_sized(Container::Map, self.len())?;
            for (k, v) in self {
                sink.key(k.as_ref())?;
                v.encode(sink)?;
            }
            sink.end()
        }
    }
    impl<K: AsRef<str>, V: DynamoType, S> DynamoType for HashMap<K, V, S> {
        type Kind = kind::M;
    }
}
