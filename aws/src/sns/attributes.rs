//! Message attributes: the four types SNS carries, checked at compile time.

use std::collections::BTreeMap;

use aws_sdk_sns::primitives::Blob;
use aws_sdk_sns::types::MessageAttributeValue;
use awstin_core::{Binary, BinaryBuf, Number};

/// One element of a `String.Array` attribute: a string, number, boolean or null.
#[derive(Debug, Clone, PartialEq)]
pub enum ArrayElement {
    /// A string.
    String(String),
    /// A number.
    Number(Number),
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
}

impl From<&str> for ArrayElement {
    fn from(v: &str) -> Self {
        ArrayElement::String(v.to_owned())
    }
}
impl From<String> for ArrayElement {
    fn from(v: String) -> Self {
        ArrayElement::String(v)
    }
}
impl From<bool> for ArrayElement {
    fn from(v: bool) -> Self {
        ArrayElement::Bool(v)
    }
}
impl<T: Into<ArrayElement>> From<Option<T>> for ArrayElement {
    fn from(v: Option<T>) -> Self {
        v.map_or(ArrayElement::Null, Into::into)
    }
}
macro_rules! array_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for ArrayElement {
            fn from(v: $t) -> Self {
                ArrayElement::Number(Number::from(v))
            }
        }
    )*};
}
array_integer!(u8, u16, u32, u64, i8, i16, i32, i64);

/// A value SNS carries as a message attribute: `String` (strings), `Number` (integers and
/// finite floats; a bool is not a number), `String.Array` (slices and vectors of
/// [`ArrayElement`]s) or `Binary` ([`Binary`], [`BinaryBuf`]). Any other type does not compile:
///
/// ```compile_fail
/// let _ = awstin::sns::Attributes::new().with("flag", true);
/// ```
///
/// ```
/// use awstin::sns::MessageAttribute;
/// assert_eq!(12.5.to_attribute().unwrap().string_value(), Some("12.5"));
/// assert_eq!(["a", "b"].to_attribute().unwrap().data_type(), "String.Array");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an SNS message attribute value",
    label = "SNS attributes are strings, numbers, arrays of strings/numbers/booleans/nulls, or Binary/BinaryBuf bytes"
)]
pub trait MessageAttribute {
    /// The attribute, or why SNS cannot carry this value.
    fn to_attribute(&self) -> Result<MessageAttributeValue, String>;
}

fn attribute(
    data_type: &str,
    text: Option<String>,
    binary: Option<Blob>,
) -> Result<MessageAttributeValue, String> {
    MessageAttributeValue::builder()
        .data_type(data_type)
        .set_string_value(text)
        .set_binary_value(binary)
        .build()
        .map_err(|e| e.to_string())
}

impl MessageAttribute for str {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        attribute("String", Some(self.to_owned()), None)
    }
}
impl MessageAttribute for String {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        self.as_str().to_attribute()
    }
}
impl<T: MessageAttribute + ?Sized> MessageAttribute for &T {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        (**self).to_attribute()
    }
}
impl MessageAttribute for Number {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        attribute("Number", Some(self.to_string()), None)
    }
}
macro_rules! number_attribute {
    ($($t:ty),*) => {$(
        impl MessageAttribute for $t {
            fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
                Number::from(*self).to_attribute()
            }
        }
    )*};
}
number_attribute!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize);
impl MessageAttribute for f64 {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        Number::try_from(*self)
            .map_err(|e| e.to_string())?
            .to_attribute()
    }
}
impl MessageAttribute for f32 {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        Number::try_from(*self)
            .map_err(|e| e.to_string())?
            .to_attribute()
    }
}
impl MessageAttribute for Binary<'_> {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        attribute("Binary", None, Some(Blob::new(self.0)))
    }
}
impl MessageAttribute for BinaryBuf {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        attribute("Binary", None, Some(Blob::new(self.0.as_slice())))
    }
}
impl<T: Clone + Into<ArrayElement>> MessageAttribute for [T] {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        let items = self
            .iter()
            .map(|v| match v.clone().into() {
                ArrayElement::String(s) => Ok(serde_json::Value::String(s)),
                ArrayElement::Number(n) => {
                    serde_json::from_str(&n.to_string()).map_err(|e| e.to_string())
                }
                ArrayElement::Bool(b) => Ok(serde_json::Value::Bool(b)),
                ArrayElement::Null => Ok(serde_json::Value::Null),
            })
            .collect::<Result<Vec<_>, String>>()?;
        attribute(
            "String.Array",
            Some(serde_json::Value::Array(items).to_string()),
            None,
        )
    }
}
impl<T: Clone + Into<ArrayElement>> MessageAttribute for Vec<T> {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        self.as_slice().to_attribute()
    }
}
impl<T: Clone + Into<ArrayElement>, const N: usize> MessageAttribute for [T; N] {
    fn to_attribute(&self) -> Result<MessageAttributeValue, String> {
        self.as_slice().to_attribute()
    }
}

/// Message attributes, by name.
#[derive(Debug, Clone, Default)]
pub struct Attributes {
    pub(super) values: BTreeMap<String, MessageAttributeValue>,
    pub(super) error: Option<(String, String)>,
}

impl Attributes {
    /// No attributes.
    pub fn new() -> Attributes {
        Attributes::default()
    }

    /// Adds attribute `name`. A value SNS cannot carry (a NaN) is reported by `publish_with`.
    pub fn with(mut self, name: impl Into<String>, value: impl MessageAttribute) -> Attributes {
        let name = name.into();
        match value.to_attribute() {
            Ok(v) => {
                self.values.insert(name, v);
            }
            Err(reason) => {
                self.error.get_or_insert((name, reason));
            }
        }
        self
    }

    /// The attributes as the SDK's request builders take them: none when empty.
    pub(super) fn into_sdk(
        self,
    ) -> Option<std::collections::HashMap<String, MessageAttributeValue>> {
        (!self.values.is_empty()).then(|| self.values.into_iter().collect())
    }
}
