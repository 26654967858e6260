//! [`ValueBuf`]: an owned DynamoDB value of any type, for documents whose shape is known only
//! at run time.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::values::decode::{DecodeError, DecodeFrom, ValueRead};
use crate::values::value::{AttributeType, Container, DynamoType, Encode, Sink};
use crate::{error::Error, values::kind, values::number::Number};

/// An owned value of any of the ten DynamoDB types.
///
/// ```
/// use awstin_core::{Number, ValueBuf, json::to_json};
/// let v = ValueBuf::M([("n".to_string(), ValueBuf::N(Number::from(1u8)))].into());
/// let mut out = String::new();
/// to_json(&v, &mut out)?;
/// assert_eq!(out, r#"{"M":{"n":{"N":"1"}}}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum ValueBuf {
    /// String.
    S(String),
    /// Number.
    N(Number),
    /// Binary.
    B(Vec<u8>),
    /// Boolean.
    Bool(bool),
    /// Null.
    Null,
    /// List.
    L(Vec<ValueBuf>),
    /// Map.
    M(BTreeMap<String, ValueBuf>),
    /// String set.
    SS(Vec<String>),
    /// Number set.
    NS(Vec<Number>),
    /// Binary set.
    BS(Vec<Vec<u8>>),
}

impl ValueBuf {
    /// The attribute type of this value.
    ///
    /// ```
    /// use awstin_core::{AttributeType, ValueBuf};
    /// assert_eq!(ValueBuf::Null.attribute_type(), AttributeType::NULL);
    /// ```
    pub fn attribute_type(&self) -> AttributeType {
        match self {
            ValueBuf::S(_) => AttributeType::S,
            ValueBuf::N(_) => AttributeType::N,
            ValueBuf::B(_) => AttributeType::B,
            ValueBuf::Bool(_) => AttributeType::BOOL,
            ValueBuf::Null => AttributeType::NULL,
            ValueBuf::L(_) => AttributeType::L,
            ValueBuf::M(_) => AttributeType::M,
            ValueBuf::SS(_) => AttributeType::SS,
            ValueBuf::NS(_) => AttributeType::NS,
            ValueBuf::BS(_) => AttributeType::BS,
        }
    }
}

fn set<T>(
    sink: &mut dyn Sink,
    c: Container,
    items: &[T],
    each: impl Fn(&mut dyn Sink, &T) -> Result<(), Error>,
) -> Result<(), Error>
where
    T: PartialEq,
{
    if items.is_empty() {
        return Err(Error::EmptySet);
    }
    crate::values::value::no_duplicates(items)?;
    sink.begin_sized(c, items.len())?;
    for item in items {
        each(sink, item)?;
    }
    sink.end()
}

impl Encode for ValueBuf {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        match self {
            ValueBuf::S(s) => sink.string(s),
            ValueBuf::N(n) => sink.number(*n),
            ValueBuf::B(b) => sink.binary(b),
            ValueBuf::Bool(b) => sink.boolean(*b),
            ValueBuf::Null => sink.null(),
            ValueBuf::L(items) => items.encode(sink),
            ValueBuf::M(members) => members.encode(sink),
            ValueBuf::SS(items) => set(sink, Container::StringSet, items, |s, v| s.string(v)),
            ValueBuf::NS(items) => set(sink, Container::NumberSet, items, |s, v| s.number(*v)),
            ValueBuf::BS(items) => set(sink, Container::BinarySet, items, |s, v| s.binary(v)),
        }
    }
}

impl DynamoType for ValueBuf {
    type Kind = kind::Any;
}

impl<R: ValueRead> DecodeFrom<R> for ValueBuf {
    fn decode(value: R) -> Result<Self, DecodeError> {
        let items = |value: R| (0..value.len().unwrap_or(0)).filter_map(move |i| value.item(i));
        let text = |v: R, f: fn(&R) -> Option<&str>| f(&v).map(String::from).unwrap_or_default();
        Ok(match value.attribute_type() {
            AttributeType::S => ValueBuf::S(text(value, R::as_str)),
            AttributeType::N => ValueBuf::N(Number::decode(value)?),
            AttributeType::B => {
                ValueBuf::B(value.as_binary().map(<[u8]>::to_vec).unwrap_or_default())
            }
            AttributeType::BOOL => ValueBuf::Bool(value.as_bool().unwrap_or_default()),
            AttributeType::NULL => ValueBuf::Null,
            AttributeType::L => ValueBuf::L(
                items(value)
                    .map(ValueBuf::decode)
                    .collect::<Result<_, _>>()?,
            ),
            AttributeType::M => {
                let mut members = BTreeMap::new();
                value.for_each_member(&mut |k, v| {
                    members.insert(String::from(k), ValueBuf::decode(v)?);
                    Ok(())
                })?;
                ValueBuf::M(members)
            }
            AttributeType::SS => ValueBuf::SS(items(value).map(|v| text(v, R::as_str)).collect()),
            AttributeType::NS => ValueBuf::NS(
                items(value)
                    .map(|v| Number::decode(v).map_err(|e| DecodeError::new(e.kind)))
                    .collect::<Result<_, _>>()?,
            ),
            AttributeType::BS => ValueBuf::BS(
                items(value)
                    .map(|v| v.as_binary().map(<[u8]>::to_vec).unwrap_or_default())
                    .collect(),
            ),
        })
    }
}

impl ValueBuf {
    /// The owned value of anything that encodes, with the checks encoding makes (no empty sets,
    /// no duplicate set elements).
    ///
    /// ```
    /// use awstin_core::{Number, ValueBuf};
    /// let v = ValueBuf::from_encode(&vec![("a", 1u8)].into_iter().collect::<std::collections::BTreeMap<_, _>>())?;
    /// assert_eq!(v, ValueBuf::M([("a".to_string(), ValueBuf::N(Number::from(1u8)))].into()));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn from_encode(value: &dyn Encode) -> Result<ValueBuf, Error> {
        ValueBuf::build(value, 0)
    }

    /// Builds an owned item from a model (or any map): its members are top-level
    /// attributes, at level 1 of [`limits::MAX_VALUE_DEPTH`](crate::limits::MAX_VALUE_DEPTH).
    ///
    /// ```
    /// use awstin_core::ValueBuf;
    /// awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32 } }
    /// let item = ValueBuf::from_item(&Movie { year: 1985 })?;
    /// assert!(matches!(item, ValueBuf::M(_)));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn from_item(item: &dyn Encode) -> Result<ValueBuf, Error> {
        ValueBuf::build(item, 1)
    }

    /// Builds a value whose outermost `base` containers are not counted as levels.
    fn build(value: &dyn Encode, base: usize) -> Result<ValueBuf, Error> {
        let mut builder = Builder {
            open: Vec::new(),
            done: None,
            base,
        };
        value.encode(&mut builder)?;
        match (builder.done, builder.open.is_empty()) {
            (Some(v), true) => Ok(v),
            _ => Err(Error::WrongType {
                expected: "one complete value",
            }),
        }
    }
}

/// A container being built, with the key of the next map member.
struct Open {
    container: Container,
    items: Vec<ValueBuf>,
    members: BTreeMap<String, ValueBuf>,
    key: Option<String>,
}

/// Builds a [`ValueBuf`] from a stream of [`Sink`] calls.
struct Builder {
    open: Vec<Open>,
    done: Option<ValueBuf>,
    /// Outer containers that are not levels (1 for an item's map).
    base: usize,
}

impl Builder {
    /// Refuses a value about to be added deeper than DynamoDB allows.
    fn check_level(&self) -> Result<(), Error> {
        crate::limits::check_level((self.open.len() + 1).saturating_sub(self.base))
    }

    fn push(&mut self, v: ValueBuf) -> Result<(), Error> {
        match self.open.last_mut() {
            None if self.done.is_none() => {
                self.done = Some(v);
                Ok(())
            }
            None => Err(Error::WrongType {
                expected: "one value",
            }),
            Some(open) if open.container == Container::Map => {
                let key = open.key.take().ok_or(Error::WrongType {
                    expected: "a key before each map member",
                })?;
                open.members.insert(key, v);
                Ok(())
            }
            Some(open) => {
                open.items.push(v);
                Ok(())
            }
        }
    }
}

impl Sink for Builder {
    fn string(&mut self, v: &str) -> Result<(), Error> {
        self.check_level()?;
        self.push(ValueBuf::S(String::from(v)))
    }
    fn number(&mut self, v: Number) -> Result<(), Error> {
        self.check_level()?;
        self.push(ValueBuf::N(v))
    }
    fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
        self.check_level()?;
        self.push(ValueBuf::B(v.to_vec()))
    }
    fn boolean(&mut self, v: bool) -> Result<(), Error> {
        self.check_level()?;
        self.push(ValueBuf::Bool(v))
    }
    fn null(&mut self) -> Result<(), Error> {
        self.check_level()?;
        self.push(ValueBuf::Null)
    }
    fn begin(&mut self, container: Container) -> Result<(), Error> {
        self.check_level()?;
        self.open.push(Open {
            container,
            items: Vec::new(),
            members: BTreeMap::new(),
            key: None,
        });
        Ok(())
    }
    fn key(&mut self, key: &str) -> Result<(), Error> {
        crate::limits::check_name(key)?;
        if let Some(open) = self.open.last_mut() {
            open.key = Some(String::from(key));
        }
        Ok(())
    }
    fn end(&mut self) -> Result<(), Error> {
        let open = self.open.pop().ok_or(Error::WrongType {
            expected: "an open container to end",
        })?;
        let wrong = Error::WrongType {
            expected: "set elements of the set's type",
        };
        let items = open.items;
        let value = match open.container {
            Container::List => ValueBuf::L(items),
            Container::Map => ValueBuf::M(open.members),
            Container::StringSet => ValueBuf::SS(
                items
                    .into_iter()
                    .map(|v| match v {
                        ValueBuf::S(s) => Ok(s),
                        _ => Err(wrong),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Container::NumberSet => ValueBuf::NS(
                items
                    .into_iter()
                    .map(|v| match v {
                        ValueBuf::N(n) => Ok(n),
                        _ => Err(wrong),
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Container::BinarySet => ValueBuf::BS(
                items
                    .into_iter()
                    .map(|v| match v {
                        ValueBuf::B(b) => Ok(b),
                        _ => Err(wrong),
                    })
                    .collect::<Result<_, _>>()?,
            ),
        };
        self.push(value)
    }
}

/// A view of a [`ValueBuf`] or of one of its set elements: the [`ValueRead`] of owned values,
/// so conditions evaluate and updates apply on them.
///
/// ```
/// use awstin_core::{ValueBuf, ValueRead};
/// let tags = ValueBuf::SS(vec!["a".into(), "b".into()]);
/// assert_eq!(tags.read().item(1).and_then(|e| e.as_str().map(String::from)), Some("b".into()));
/// ```
#[derive(Debug, Clone, Copy)]
pub enum ValueBufRef<'a> {
    /// A whole value.
    Value(&'a ValueBuf),
    /// An element of a string set.
    Str(&'a str),
    /// An element of a number set.
    Num(Number),
    /// An element of a binary set.
    Bin(&'a [u8]),
    /// A map's members, read as a map without copying them into a [`ValueBuf::M`].
    Map(&'a BTreeMap<String, ValueBuf>),
}

impl ValueBuf {
    /// A [`ValueRead`] view of this value.
    ///
    /// ```
    /// use awstin_core::{AttributeType, ValueBuf, ValueRead};
    /// assert_eq!(ValueBuf::Null.read().attribute_type(), AttributeType::NULL);
    /// ```
    pub fn read(&self) -> ValueBufRef<'_> {
        ValueBufRef::Value(self)
    }
}

impl<'a> ValueRead for ValueBufRef<'a> {
    fn attribute_type(&self) -> AttributeType {
        match self {
            ValueBufRef::Value(v) => v.attribute_type(),
            ValueBufRef::Str(_) => AttributeType::S,
            ValueBufRef::Num(_) => AttributeType::N,
            ValueBufRef::Bin(_) => AttributeType::B,
            ValueBufRef::Map(_) => AttributeType::M,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match *self {
            ValueBufRef::Value(ValueBuf::S(s)) => Some(s),
            ValueBufRef::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_number(&self) -> Option<&str> {
        None
    }
    fn number(&self) -> Option<Result<Number, Error>> {
        match *self {
            ValueBufRef::Value(&ValueBuf::N(n)) | ValueBufRef::Num(n) => Some(Ok(n)),
            _ => None,
        }
    }
    fn as_binary(&self) -> Option<&[u8]> {
        match *self {
            ValueBufRef::Value(ValueBuf::B(b)) => Some(b),
            ValueBufRef::Bin(b) => Some(b),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match *self {
            ValueBufRef::Value(ValueBuf::Bool(b)) => Some(*b),
            _ => None,
        }
    }
    fn len(&self) -> Option<usize> {
        match *self {
            ValueBufRef::Value(ValueBuf::L(v)) => Some(v.len()),
            ValueBufRef::Value(ValueBuf::SS(v)) => Some(v.len()),
            ValueBufRef::Value(ValueBuf::NS(v)) => Some(v.len()),
            ValueBufRef::Value(ValueBuf::BS(v)) => Some(v.len()),
            _ => None,
        }
    }
    fn item(&self, index: usize) -> Option<Self> {
        match *self {
            ValueBufRef::Value(ValueBuf::L(v)) => v.get(index).map(ValueBufRef::Value),
            ValueBufRef::Value(ValueBuf::SS(v)) => v.get(index).map(|s| ValueBufRef::Str(s)),
            ValueBufRef::Value(ValueBuf::NS(v)) => v.get(index).map(|n| ValueBufRef::Num(*n)),
            ValueBufRef::Value(ValueBuf::BS(v)) => v.get(index).map(|b| ValueBufRef::Bin(b)),
            _ => None,
        }
    }
    fn get(&self, key: &str) -> Option<Self> {
        match *self {
            ValueBufRef::Value(ValueBuf::M(members)) | ValueBufRef::Map(members) => {
                members.get(key).map(ValueBufRef::Value)
            }
            _ => None,
        }
    }
    fn for_each_member(
        &self,
        f: &mut dyn FnMut(&str, Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        if let ValueBufRef::Value(ValueBuf::M(members)) | ValueBufRef::Map(members) = *self {
            for (k, v) in members {
                f(k, ValueBufRef::Value(v))?;
            }
        }
        Ok(())
    }
}

/// An owned copy of a stored value.
pub(crate) fn owned<R: ValueRead>(v: R) -> Result<ValueBuf, Error> {
    use crate::values::decode::DecodeErrorKind;
    ValueBuf::decode(v).map_err(|e| match e.kind {
        DecodeErrorKind::Number(e) => e,
        _ => Error::WrongType {
            expected: "a readable stored value",
        },
    })
}

/// [`ValueBuf`] owns its values: strings and lists move out of it.
impl crate::values::decode::ValueOwned for ValueBuf {
    type View<'a> = ValueBufRef<'a>;
    fn view(&self) -> ValueBufRef<'_> {
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

crate::values::decode::through_view!(ValueBuf);
