//! [`ValueBuf`]: an owned DynamoDB value of any type, for documents whose shape is known only
//! at run time.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::decode::{DecodeError, DecodeFrom, ValueRead};
use crate::path::{ListType, MapType};
use crate::value::{AttrType, AttributeType, Container, Encode, Sink};
use crate::{Error, Number, kind};

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
    crate::value::no_duplicates(items)?;
    sink.begin(c)?;
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

impl AttrType for ValueBuf {
    type Kind = kind::Any;
}
impl ListType for ValueBuf {
    type Elem = ValueBuf;
}
impl MapType for ValueBuf {
    type Value = ValueBuf;
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
