//! Items: models to and from the SDK's `HashMap<String, AttributeValue>` in one pass.
//!
//! Writing runs a model's [`Encode`] into a sink that builds `AttributeValue`s directly;
//! reading gives the generated `DecodeFrom` a [`ValueRead`] view of the SDK's values. No
//! intermediate tree is built either way.

use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::decode::{DecodeErrorKind, DecodeOwned, ValueOwned};
use awstin_core::{
    AttributeType, Container, DecodeError, DecodeFrom, Encode, Error as CoreError, Number, Sink,
    ValueRead,
};

/// One item as the SDK carries it.
pub type Item = HashMap<String, AttributeValue>;

use awstin_core::Scalar;
use awstin_core::limits::check_level;

enum Frame {
    List(Vec<AttributeValue>),
    Map(HashMap<String, AttributeValue>, Option<String>),
    StringSet(Vec<String>),
    NumberSet(Vec<String>),
    BinarySet(Vec<Blob>),
}

/// The open containers: the first few on the stack, deeper ones (rare) on the heap.
#[derive(Default)]
struct Frames {
    near: heapless::Vec<Frame, 4>,
    deep: Vec<Frame>,
}

impl Frames {
    fn len(&self) -> usize {
        self.near.len() + self.deep.len()
    }
    fn last_mut(&mut self) -> Option<&mut Frame> {
        match self.deep.last_mut() {
            Some(frame) => Some(frame),
            None => self.near.last_mut(),
        }
    }
    fn push(&mut self, frame: Frame) {
        if let Err(frame) = self.near.push(frame) {
            self.deep.push(frame);
        }
    }
    fn pop(&mut self) -> Option<Frame> {
        self.deep.pop().or_else(|| self.near.pop())
    }
}

/// The most elements or members a size hint reserves room for: a hint is never trusted
/// further (a hand-written `Encode` may claim any length).
const MAX_RESERVED: usize = 1024;

/// Builds one `AttributeValue` from an [`Encode`] stream.
#[derive(Default)]
struct AttributeValueSink {
    /// Open containers: an item's map and at most `MAX_VALUE_DEPTH` levels.
    stack: Frames,
    done: Option<AttributeValue>,
    /// Outer containers that are not levels (1 for an item's map).
    base: usize,
}

impl AttributeValueSink {
    /// Refuses a value about to be added deeper than DynamoDB allows.
    fn check_level(&self) -> Result<(), CoreError> {
        check_level((self.stack.len() + 1).saturating_sub(self.base))
    }

    fn put(&mut self, v: AttributeValue) -> Result<(), CoreError> {
        self.check_level()?;
        match self.stack.last_mut() {
            // One value: a second one after it would be lost.
            None if self.done.is_some() => Err(CoreError::WrongType {
                expected: "one value, not several",
            }),
            None => {
                self.done = Some(v);
                Ok(())
            }
            Some(Frame::List(items)) => {
                items.push(v);
                Ok(())
            }
            Some(Frame::Map(members, key)) => {
                let key = key.take().ok_or(CoreError::WrongType {
                    expected: "a key before each map member",
                })?;
                match members.entry(key) {
                    std::collections::hash_map::Entry::Occupied(_) => Err(CoreError::DuplicateKey),
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(v);
                        Ok(())
                    }
                }
            }
            Some(_) => Err(CoreError::WrongType {
                expected: "set elements of the set's type",
            }),
        }
    }
}

impl Sink for AttributeValueSink {
    fn string(&mut self, v: &str) -> Result<(), CoreError> {
        if let Some(Frame::StringSet(items)) = self.stack.last_mut() {
            items.push(v.to_owned());
            return Ok(());
        }
        self.put(AttributeValue::S(v.to_owned()))
    }
    fn number(&mut self, v: Number) -> Result<(), CoreError> {
        if let Some(Frame::NumberSet(items)) = self.stack.last_mut() {
            items.push(v.to_text());
            return Ok(());
        }
        self.put(AttributeValue::N(v.to_text()))
    }
    fn binary(&mut self, v: &[u8]) -> Result<(), CoreError> {
        if let Some(Frame::BinarySet(items)) = self.stack.last_mut() {
            items.push(Blob::new(v));
            return Ok(());
        }
        self.put(AttributeValue::B(Blob::new(v)))
    }
    fn boolean(&mut self, v: bool) -> Result<(), CoreError> {
        self.put(AttributeValue::Bool(v))
    }
    fn null(&mut self) -> Result<(), CoreError> {
        self.put(AttributeValue::Null(true))
    }
    fn begin(&mut self, container: Container) -> Result<(), CoreError> {
        self.begin_sized(container, 0)
    }
    fn begin_sized(&mut self, container: Container, len: usize) -> Result<(), CoreError> {
        self.check_level()?;
        let len = len.min(MAX_RESERVED);
        self.stack.push(match container {
            Container::List => Frame::List(Vec::with_capacity(len)),
            Container::Map => Frame::Map(HashMap::with_capacity(len), None),
            Container::StringSet => Frame::StringSet(Vec::with_capacity(len)),
            Container::NumberSet => Frame::NumberSet(Vec::with_capacity(len)),
            Container::BinarySet => Frame::BinarySet(Vec::with_capacity(len)),
        });
        Ok(())
    }
    fn key(&mut self, key: &str) -> Result<(), CoreError> {
        awstin_core::limits::check_name(key)?;
        match self.stack.last_mut() {
            Some(Frame::Map(_, pending)) => {
                *pending = Some(key.to_owned());
                Ok(())
            }
            _ => Err(CoreError::WrongType {
                expected: "map keys only inside a map",
            }),
        }
    }
    fn scalar_member(&mut self, key: &str, value: Scalar<'_>) -> Result<bool, CoreError> {
        let level = (self.stack.len() + 1).saturating_sub(self.base);
        let Some(Frame::Map(members, None)) = self.stack.last_mut() else {
            return Ok(false);
        };
        awstin_core::limits::check_name(key)?;
        let value = from_scalar(value)?;
        check_level(level)?;
        match members.entry(key.to_owned()) {
            std::collections::hash_map::Entry::Occupied(_) => Err(CoreError::DuplicateKey),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(value);
                Ok(true)
            }
        }
    }
    fn end(&mut self) -> Result<(), CoreError> {
        let value = match self.stack.pop() {
            Some(Frame::List(items)) => AttributeValue::L(items),
            Some(Frame::Map(members, _)) => AttributeValue::M(members),
            Some(Frame::StringSet(items)) if !items.is_empty() => AttributeValue::Ss(items),
            Some(Frame::NumberSet(items)) if !items.is_empty() => AttributeValue::Ns(items),
            Some(Frame::BinarySet(items)) if !items.is_empty() => AttributeValue::Bs(items),
            Some(_) => return Err(CoreError::EmptySet),
            None => {
                return Err(CoreError::WrongType {
                    expected: "an open container to close",
                });
            }
        };
        self.put(value)
    }
}

/// Converts a value to an SDK `AttributeValue`, checking it as DynamoDB would.
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue;
/// let v = awstin::dynamodb::to_attribute_value(&vec![1.5, 2.0])?;
/// assert_eq!(v, AttributeValue::L(vec![AttributeValue::N("1.5".into()), AttributeValue::N("2".into())]));
/// # Ok::<(), awstin::expr::Error>(())
/// ```
pub fn to_attribute_value(value: &dyn Encode) -> Result<AttributeValue, CoreError> {
    encode(value, 0)
}

/// A value that is one scalar, built without the container machinery; `None` for a list, a
/// map or a set (or an ill-formed stream), which [`encode`] then builds.
fn scalar(value: &dyn Encode) -> Option<AttributeValue> {
    #[derive(Default)]
    struct One(Option<AttributeValue>);
    /// Not one scalar: the caller encodes the value again, in full.
    const NOT_SCALAR: CoreError = CoreError::WrongType {
        expected: "one scalar",
    };
    impl One {
        fn set(&mut self, v: AttributeValue) -> Result<(), CoreError> {
            match self.0 {
                None => {
                    self.0 = Some(v);
                    Ok(())
                }
                Some(_) => Err(NOT_SCALAR),
            }
        }
    }
    impl Sink for One {
        fn string(&mut self, v: &str) -> Result<(), CoreError> {
            self.set(AttributeValue::S(v.to_owned()))
        }
        fn number(&mut self, v: Number) -> Result<(), CoreError> {
            self.set(AttributeValue::N(v.to_text()))
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), CoreError> {
            self.set(AttributeValue::B(Blob::new(v)))
        }
        fn boolean(&mut self, v: bool) -> Result<(), CoreError> {
            self.set(AttributeValue::Bool(v))
        }
        fn null(&mut self) -> Result<(), CoreError> {
            self.set(AttributeValue::Null(true))
        }
        fn begin(&mut self, _: Container) -> Result<(), CoreError> {
            Err(NOT_SCALAR)
        }
        fn key(&mut self, _: &str) -> Result<(), CoreError> {
            Err(NOT_SCALAR)
        }
        fn end(&mut self) -> Result<(), CoreError> {
            Err(NOT_SCALAR)
        }
    }
    let mut one = One::default();
    value.encode(&mut one).ok()?;
    one.0
}

/// A string, an integer, a bool or an `f64` as its type gives it: no sink, no `Number` made
/// first for an integer (its digits straight into `N`).
fn from_scalar(v: Scalar<'_>) -> Result<AttributeValue, CoreError> {
    Ok(match v {
        Scalar::S(s) => AttributeValue::S(s.to_owned()),
        Scalar::U(n) => AttributeValue::N(itoa::Buffer::new().format(n).to_owned()),
        Scalar::I(n) => AttributeValue::N(itoa::Buffer::new().format(n).to_owned()),
        Scalar::Bool(b) => AttributeValue::Bool(b),
        Scalar::F64(v) => AttributeValue::N(Number::try_from(v)?.to_text()),
    })
}

/// Encodes `value`, its outermost `base` containers not counting as levels.
fn encode(value: &dyn Encode, base: usize) -> Result<AttributeValue, CoreError> {
    if base == 0 {
        // A string, an integer or a bool as its type gives it: no sink, no `Number` made
        // first (an integer's digits straight into `N`).
        if let Some(v) = value.scalar() {
            return from_scalar(v);
        }
        if let Some(v) = scalar(value) {
            return Ok(v);
        }
    }
    let mut sink = AttributeValueSink {
        base,
        ..AttributeValueSink::default()
    };
    value.encode(&mut sink)?;
    sink.done.ok_or(CoreError::WrongType {
        expected: "a complete value",
    })
}

/// Converts a model (or any map value) to an item. `None` fields are left out.
///
/// ```
/// awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: Option<String> } }
/// let item = awstin::dynamodb::to_item(&Movie { year: 2015, title: "T".into(), plot: None })?;
/// assert_eq!(item.len(), 2);
/// # Ok::<(), awstin::expr::Error>(())
/// ```
pub fn to_item(value: &dyn Encode) -> Result<Item, CoreError> {
    match encode(value, 1)? {
        AttributeValue::M(members) => Ok(members),
        _ => Err(CoreError::WrongType {
            expected: "a map (a model) as an item",
        }),
    }
}

/// The SDK's items, for the core's settlement.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SdkItems;

impl awstin_core::op::Items<Item> for SdkItems {
    fn version(&self, item: &Item, attribute: &str) -> Option<u64> {
        match item.get(attribute)? {
            AttributeValue::N(n) => n.parse().ok(),
            _ => None,
        }
    }
    fn same(&self, a: &Item, b: &Item) -> bool {
        items_equal(a, b)
    }
    fn is_empty(&self, item: &Item) -> bool {
        item.is_empty()
    }
}

/// Whether two items hold the same attributes with equal values, as DynamoDB compares them
/// (numbers by value, sets in any order).
pub(crate) fn items_equal(a: &Item, b: &Item) -> bool {
    awstin_core::eval::stored_values_equal(AvRef::Item(a), AvRef::Item(b)).unwrap_or(false)
}

/// A value read from an SDK item, owned again.
pub(crate) fn owned_value(value: AvRef<'_>) -> AttributeValue {
    match value {
        AvRef::Value(v) => v.clone(),
        AvRef::Item(item) => AttributeValue::M(item.clone()),
        AvRef::SetString(s) => AttributeValue::S(s.to_owned()),
        AvRef::SetNumber(n) => AttributeValue::N(n.to_owned()),
        AvRef::SetBinary(b) => AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(b)),
    }
}

/// Reads a model (or any `DecodeFrom` type) from an item.
///
/// ```
/// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// let m = Movie { year: 2015, title: "T".into() };
/// let back: Movie = awstin::dynamodb::from_item(&awstin::dynamodb::to_item(&m)?)?;
/// assert_eq!(back, m);
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub fn from_item<T: for<'a> DecodeFrom<AvRef<'a>>>(item: &Item) -> Result<T, DecodeError> {
    if item.values().any(unknown_type) {
        return Err(DecodeError::new(DecodeErrorKind::UnknownType));
    }
    T::decode(AvRef::Item(item))
}

/// Reads a model (or any [`DecodeOwned`] type) from an item it consumes: strings and lists
/// move out of the item instead of being copied, as when decoding what a response handed over.
///
/// ```
/// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// let m = Movie { year: 2015, title: "T".into() };
/// let back: Movie = awstin::dynamodb::from_item_owned(awstin::dynamodb::to_item(&m)?)?;
/// assert_eq!(back, m);
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub fn from_item_owned<T: DecodeOwned<AvOwned>>(item: Item) -> Result<T, DecodeError> {
    if item.values().any(unknown_type) {
        return Err(DecodeError::new(DecodeErrorKind::UnknownType));
    }
    T::decode_owned(AvOwned::Item(item))
}

/// The [`ValueRead`] view and the [`ValueOwned`] value of an `AttributeValue` enum: the
/// SDK's, and serde_dynamo's, which Lambda events carry. Both have the same variants.
macro_rules! attribute_value_views {
    (
        value: $av:ident, item: $item:ty, unknown: $unknown:ident,
        $(#[$owned_doc:meta])* owned: $owned:ident,
        $(#[$view_doc:meta])* view: $view:ident $(,)?
    ) => {
        $(#[$owned_doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $owned {
            /// One attribute value.
            Value($av),
            /// A whole item, read as a map.
            Item($item),
        }

        impl ValueOwned for $owned {
            type View<'a> = $view<'a>;
            type List = std::iter::Map<std::vec::IntoIter<$av>, fn($av) -> $owned>;
            fn view(&self) -> $view<'_> {
                match self {
                    $owned::Value(v) => $view::Value(v),
                    $owned::Item(item) => $view::Item(item),
                }
            }
            fn into_string(self) -> Result<String, Self> {
                match self {
                    $owned::Value($av::S(s)) => Ok(s),
                    other => Err(other),
                }
            }
            fn into_list(self) -> Result<Self::List, Self> {
                match self {
                    $owned::Value($av::L(items)) => Ok(items
                        .into_iter()
                        .map($owned::Value as fn($av) -> $owned)),
                    other => Err(other),
                }
            }
            type Members = std::iter::Map<
                std::collections::hash_map::IntoIter<String, $av>,
                fn((String, $av)) -> (String, $owned),
            >;
            fn into_members(self) -> Result<Self::Members, Self> {
                fn member((name, value): (String, $av)) -> (String, $owned) {
                    (name, $owned::Value(value))
                }
                match self {
                    $owned::Item(members) | $owned::Value($av::M(members)) => Ok(members
                        .into_iter()
                        .map(member as fn((String, $av)) -> (String, $owned))),
                    other => Err(other),
                }
            }
            fn take(&mut self, key: &str) -> Option<Self> {
                match self {
                    $owned::Item(members) | $owned::Value($av::M(members)) => {
                        members.remove(key).map($owned::Value)
                    }
                    $owned::Value(_) => None,
                }
            }
        }

        /// Whether `v` holds a variant newer than this enum's crate knows, which no model reads.
        #[allow(unreachable_patterns)]
                pub(crate) fn $unknown(v: &$av) -> bool {
            match v {
                $av::L(items) => items.iter().any($unknown),
                $av::M(members) => members.values().any($unknown),
                $av::S(_)
                | $av::N(_)
                | $av::B(_)
                | $av::Bool(_)
                | $av::Null(_)
                | $av::Ss(_)
                | $av::Ns(_)
                | $av::Bs(_) => false,
                _ => true,
            }
        }

        $(#[$view_doc])*
        #[derive(Debug, Clone, Copy)]
        pub enum $view<'a> {
            /// One attribute value.
            Value(&'a $av),
            /// A whole item, read as a map.
            Item(&'a $item),
            /// An element of a string set.
            SetString(&'a str),
            /// An element of a number set.
            SetNumber(&'a str),
            /// An element of a binary set.
            SetBinary(&'a [u8]),
        }

        impl<'a> $view<'a> {
            fn members(&self) -> Option<&'a $item> {
                match *self {
                    $view::Item(item) => Some(item),
                    $view::Value($av::M(m)) => Some(m),
                    _ => None,
                }
            }
        }

        impl ValueRead for $view<'_> {
            fn attribute_type(&self) -> AttributeType {
                match *self {
                    $view::Item(_) => AttributeType::M,
                    $view::SetString(_) => AttributeType::S,
                    $view::SetNumber(_) => AttributeType::N,
                    $view::SetBinary(_) => AttributeType::B,
                    $view::Value(v) => match v {
                        $av::S(_) => AttributeType::S,
                        $av::N(_) => AttributeType::N,
                        $av::B(_) => AttributeType::B,
                        $av::Bool(_) => AttributeType::BOOL,
                        $av::L(_) => AttributeType::L,
                        $av::M(_) => AttributeType::M,
                        $av::Ss(_) => AttributeType::SS,
                        $av::Ns(_) => AttributeType::NS,
                        $av::Bs(_) => AttributeType::BS,
                        // `Null`; variants newer than this SDK also read as NULL here, and `from_item`
                        // refuses items holding them.
                        _ => AttributeType::NULL,
                    },
                }
            }
            fn as_str(&self) -> Option<&str> {
                match *self {
                    $view::Value($av::S(s)) => Some(s),
                    $view::SetString(s) => Some(s),
                    _ => None,
                }
            }
            fn as_number(&self) -> Option<&str> {
                match *self {
                    $view::Value($av::N(s)) => Some(s),
                    $view::SetNumber(s) => Some(s),
                    _ => None,
                }
            }
            fn as_binary(&self) -> Option<&[u8]> {
                match *self {
                    $view::Value($av::B(b)) => Some(b.as_ref()),
                    $view::SetBinary(b) => Some(b),
                    _ => None,
                }
            }
            fn as_bool(&self) -> Option<bool> {
                match *self {
                    $view::Value($av::Bool(b)) => Some(*b),
                    _ => None,
                }
            }
            fn len(&self) -> Option<usize> {
                match *self {
                    $view::Value($av::L(v)) => Some(v.len()),
                    $view::Value($av::Ss(v)) => Some(v.len()),
                    $view::Value($av::Ns(v)) => Some(v.len()),
                    $view::Value($av::Bs(v)) => Some(v.len()),
                    _ => None,
                }
            }
            fn item(&self, index: usize) -> Option<Self> {
                match *self {
                    $view::Value($av::L(v)) => v.get(index).map($view::Value),
                    $view::Value($av::Ss(v)) => v.get(index).map(|s| $view::SetString(s)),
                    $view::Value($av::Ns(v)) => v.get(index).map(|s| $view::SetNumber(s)),
                    $view::Value($av::Bs(v)) => {
                        v.get(index).map(|b| $view::SetBinary(b.as_ref()))
                    }
                    _ => None,
                }
            }
            fn get(&self, key: &str) -> Option<Self> {
                self.members()?.get(key).map($view::Value)
            }
            fn for_each_member(
                &self,
                f: &mut dyn FnMut(&str, Self) -> Result<(), DecodeError>,
            ) -> Result<(), DecodeError> {
                if let Some(members) = self.members() {
                    for (k, v) in members {
                        f(k, $view::Value(v))?;
                    }
                }
                Ok(())
            }
        }
    };
}
#[cfg(feature = "streams")]
pub(crate) use attribute_value_views;

attribute_value_views! {
    value: AttributeValue, item: Item, unknown: unknown_type,
    /// An SDK item or value read by value (see [`from_item_owned`]).
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// use awstin::expr::decode::DecodeOwned;
    /// use awstin::dynamodb::AvOwned;
    /// let list = AttributeValue::L(vec![AttributeValue::S("Moe".into())]);
    /// let names: Vec<String> = DecodeOwned::decode_owned(AvOwned::Value(list))?;
    /// assert_eq!(names, ["Moe"]);
    /// # Ok::<(), awstin::expr::DecodeError>(())
    /// ```
    owned: AvOwned,
    /// A [`ValueRead`] view of SDK values: conditions evaluate on SDK items through it.
    ///
    /// A value of a type newer than the SDK (`AttributeValue`'s unknown variant) reads as NULL
    /// here; [`from_item`] refuses items holding one.
    ///
    /// ```
    /// use aws_sdk_dynamodb::types::AttributeValue;
    /// use awstin::{Condition, Document, cond};
    /// awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let item = [("year".to_string(), AttributeValue::N("2015".into()))].into();
    /// let since = 2000;
    /// assert!(Movie::expr(cond!(year >= since)).eval(awstin::dynamodb::AvRef::Item(&item))?);
    /// # Ok::<(), awstin::expr::Error>(())
    /// ```
    view: AvRef,
}
