//! The serde bridge (feature `serde`): nested documents of any serde type, through
//! `serde_dynamo`.

use aws_sdk_dynamodb::types::AttributeValue;
use awstin_core::decode::{DecodeErrorKind, DecodeOwned, ValueOwned};
use awstin_core::kind;
use awstin_core::{
    AttributeType, Container, DecodeError, DecodeFrom, DynamoType, Encode, Error as CoreError,
    Sink, ValueRead,
};
use serde::{Serialize, de::DeserializeOwned};

use super::codec::{AvOwned, AvRef};

/// A nested document of any serde type, stored as a DynamoDB map or value through
/// `serde_dynamo`.
///
/// ```
/// use awstin::dynamodb::Serde;
/// #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
/// struct Extra { tags: Vec<String> }
/// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Doc { table "Docs"; key id: String; attr extra: Serde<Extra> } }
/// let d = Doc { id: "1".into(), extra: Serde(Extra { tags: vec!["a".into()] }) };
/// let back: Doc = awstin::dynamodb::from_item(&awstin::dynamodb::to_item(&d)?)?;
/// assert_eq!(back, d);
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
///
/// It is written to serde and read from it as `T` itself, so a model holding one can be an
/// API body:
///
/// ```
/// use awstin::dynamodb::Serde;
/// let s = Serde(vec![1, 2]);
/// assert_eq!(awstin::serde_json::to_string(&s)?, "[1,2]");
/// assert_eq!(awstin::serde_json::from_str::<Serde<Vec<u8>>>("[1,2]")?, s);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Serde<T>(pub T);

fn encode_attribute_value(v: &AttributeValue, sink: &mut dyn Sink) -> Result<(), CoreError> {
    match v {
        AttributeValue::S(s) => sink.string(s),
        AttributeValue::N(n) => sink.number(n.parse()?),
        AttributeValue::B(b) => sink.binary(b.as_ref()),
        AttributeValue::Bool(b) => sink.boolean(*b),
        AttributeValue::L(items) => {
            sink.begin(Container::List)?;
            for item in items {
                encode_attribute_value(item, sink)?;
            }
            sink.end()
        }
        AttributeValue::M(members) => {
            sink.begin(Container::Map)?;
            for (k, v) in members {
                sink.key(k)?;
                encode_attribute_value(v, sink)?;
            }
            sink.end()
        }
        AttributeValue::Ss(items) => {
            sink.begin(Container::StringSet)?;
            for s in items {
                sink.string(s)?;
            }
            sink.end()
        }
        AttributeValue::Ns(items) => {
            sink.begin(Container::NumberSet)?;
            for n in items {
                sink.number(n.parse()?)?;
            }
            sink.end()
        }
        AttributeValue::Bs(items) => {
            sink.begin(Container::BinarySet)?;
            for b in items {
                sink.binary(b.as_ref())?;
            }
            sink.end()
        }
        AttributeValue::Null(_) => sink.null(),
        _ => Err(CoreError::WrongType {
            expected: "an attribute value of a type this SDK knows",
        }),
    }
}

impl<T: Serialize> Encode for Serde<T> {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), CoreError> {
        let value: AttributeValue =
            serde_dynamo::to_attribute_value(&self.0).map_err(|_| CoreError::WrongType {
                expected: "a value serde_dynamo can serialize",
            })?;
        encode_attribute_value(&value, sink)
    }
}

impl<T> DynamoType for Serde<T> {
    type Kind = kind::Any;
}

impl<'a, T: DeserializeOwned> DecodeFrom<AvRef<'a>> for Serde<T> {
    fn decode(value: AvRef<'a>) -> Result<Self, DecodeError> {
        let owned = super::codec::owned_value(value);
        let found = value.attribute_type();
        serde_dynamo::from_attribute_value(owned)
            .map(Serde)
            .map_err(|_| shape(found))
    }
}

/// By value from an SDK item (`from_item_owned`): serde_dynamo reads the value it is given.
///
/// ```
/// use awstin::dynamodb::{AvOwned, Serde};
/// use awstin::expr::decode::DecodeOwned;
/// let v = aws_sdk_dynamodb::types::AttributeValue::N("7".into());
/// assert_eq!(Serde::<u8>::decode_owned(AvOwned::Value(v))?.0, 7);
/// # Ok::<(), awstin::expr::DecodeError>(())
/// ```
impl<T: DeserializeOwned> DecodeOwned<AvOwned> for Serde<T> {
    fn decode_owned(value: AvOwned) -> Result<Self, DecodeError> {
        let found = value.view().attribute_type();
        let value = match value {
            AvOwned::Value(v) => v,
            AvOwned::Item(item) => AttributeValue::M(item),
        };
        serde_dynamo::from_attribute_value(value)
            .map(Serde)
            .map_err(|_| shape(found))
    }
}

/// By value from a stream record's image: serde_dynamo reads the event's own values.
#[cfg(feature = "streams")]
impl<T: DeserializeOwned> DecodeOwned<crate::lambda::stream::ImageValue> for Serde<T> {
    fn decode_owned(value: crate::lambda::stream::ImageValue) -> Result<Self, DecodeError> {
        use crate::lambda::stream::ImageValue;
        let found = value.view().attribute_type();
        let value = match value {
            ImageValue::Value(v) => v,
            ImageValue::Item(item) => serde_dynamo::AttributeValue::M(item),
        };
        serde_dynamo::from_attribute_value(value)
            .map(Serde)
            .map_err(|_| shape(found))
    }
}

fn shape(found: AttributeType) -> DecodeError {
    DecodeError::new(DecodeErrorKind::WrongType {
        expected: "the serde type's shape",
        found,
    })
}
