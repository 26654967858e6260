//! SNS: topics by name, and publishing with typed message attributes.
//!
//! ```no_run
//! # async fn f() -> Result<(), awstin::sns::Error> {
//! use awstin::sns::{Attributes, SnsTopic};
//! let topic = SnsTopic::new("topic-name").await?;     // TEST_SNS_ENDPOINT, else AWS_REGION
//! let message_id = topic.publish("a message").await?;
//! let attributes = Attributes::new()
//!     .with("attrib_a", "a string")
//!     .with("attrib_b", 1234)
//!     .with("attrib_c", vec!["a", "b"])
//!     .with("attrib_d", awstin::BinaryBuf(b"bytes value".to_vec()));
//! topic.publish_with("another message", attributes).await?;
//! # Ok(()) }
//! ```

use std::collections::BTreeMap;
use std::fmt;

use aws_sdk_sns::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sns::primitives::Blob;
use aws_sdk_sns::types::MessageAttributeValue;
use awstin_core::{Binary, BinaryBuf, Number};

/// The endpoint variable for tests: it wins over `AWS_REGION`.
pub const TEST_ENDPOINT_VAR: &str = "TEST_SNS_ENDPOINT";

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What can go wrong with SNS.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be configured.
    Configuration {
        /// What is missing.
        message: String,
    },
    /// No topic has this name.
    TopicNotFound {
        /// The name looked for.
        name: String,
    },
    /// A message attribute value SNS cannot carry (e.g. a NaN number).
    InvalidAttribute {
        /// The attribute's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// SNS throttled the request (`Throttled`, `ThrottlingException`, HTTP 429), after the
    /// client's retries. Sending again later may succeed ([`Error::is_retryable`]).
    Throttled {
        /// The SDK error.
        source: Source,
    },
    /// The SDK or the service failed.
    Service {
        /// The SDK error.
        source: Source,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Configuration { message } => write!(f, "SNS client configuration: {message}"),
            Error::TopicNotFound { name } => write!(f, "no SNS topic named {name:?}"),
            Error::InvalidAttribute { name, reason } => {
                write!(f, "message attribute {name:?}: {reason}")
            }
            Error::Throttled { .. } => f.write_str("SNS throttled the request after retries"),
            Error::Service { .. } => f.write_str("SNS request failed"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Throttled { source } | Error::Service { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl Error {
    /// Whether sending again later may succeed: throttling is; a missing topic, a bad
    /// attribute or a refused request are not.
    ///
    /// ```
    /// let e = awstin::sns::Error::TopicNotFound { name: "orders".into() };
    /// assert!(!e.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(self, Error::Throttled { .. })
    }
}

fn service<E, R>(e: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    let throttled = matches!(
        e.code(),
        Some("Throttled" | "Throttling" | "ThrottlingException" | "ThrottledException")
    );
    let source: Source = Box::new(e);
    if throttled {
        Error::Throttled { source }
    } else {
        Error::Service { source }
    }
}

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
    values: BTreeMap<String, MessageAttributeValue>,
    error: Option<(String, String)>,
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
}

/// An SNS topic, resolved by name.
#[derive(Debug, Clone)]
pub struct SnsTopic {
    client: aws_sdk_sns::Client,
    arn: String,
}

/// An SNS client from the environment: `TEST_SNS_ENDPOINT` wins (test credentials unless AWS
/// credentials are set), then `AWS_REGION`; else an error naming both.
pub async fn client_from_env() -> Result<aws_sdk_sns::Client, Error> {
    let loader = crate::env::loader(TEST_ENDPOINT_VAR, "SNS")
        .map_err(|message| Error::Configuration { message })?;
    Ok(aws_sdk_sns::Client::new(&loader.load().await))
}

impl SnsTopic {
    /// The topic named `name`, with a client from the environment ([`client_from_env`]).
    pub async fn new(name: &str) -> Result<SnsTopic, Error> {
        SnsTopic::with_client(client_from_env().await?, name).await
    }

    /// The topic named `name`, through `client`.
    pub async fn with_client(client: aws_sdk_sns::Client, name: &str) -> Result<SnsTopic, Error> {
        let suffix = format!(":{name}");
        let mut token = None;
        loop {
            let out = client
                .list_topics()
                .set_next_token(token.take())
                .send()
                .await
                .map_err(service)?;
            if let Some(arn) = out
                .topics()
                .iter()
                .filter_map(|t| t.topic_arn())
                .find(|arn| arn.ends_with(&suffix))
            {
                return Ok(SnsTopic {
                    arn: arn.to_owned(),
                    client,
                });
            }
            match out.next_token {
                Some(next) => token = Some(next),
                None => {
                    return Err(Error::TopicNotFound {
                        name: name.to_owned(),
                    });
                }
            }
        }
    }

    /// The topic's ARN.
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// Publishes `message`; returns its message id.
    pub async fn publish(&self, message: &str) -> Result<String, Error> {
        self.publish_with(message, Attributes::new()).await
    }

    /// Publishes `message` with message attributes; returns its message id.
    pub async fn publish_with(
        &self,
        message: &str,
        attributes: Attributes,
    ) -> Result<String, Error> {
        if let Some((name, reason)) = attributes.error {
            return Err(Error::InvalidAttribute { name, reason });
        }
        let out = self
            .client
            .publish()
            .topic_arn(&self.arn)
            .message(message)
            .set_message_attributes(
                (!attributes.values.is_empty()).then(|| attributes.values.into_iter().collect()),
            )
            .send()
            .await
            .map_err(service)?;
        out.message_id.ok_or(Error::Service {
            source: "SNS returned no message id".into(),
        })
    }
}

/// Testing support (feature `testing`): what was published, as moto server recorded it.
#[cfg(feature = "testing")]
pub mod testing {
    use std::collections::BTreeMap;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpStream;

    use super::Error;

    /// A message attribute as published.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct PublishedAttribute {
        /// `String`, `Number`, `String.Array` or `Binary`.
        pub data_type: String,
        /// The value as text (base64 for `Binary`).
        pub value: String,
    }

    /// A message published to a topic.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Published {
        /// The message id `publish` returned.
        pub message_id: String,
        /// The message.
        pub message: String,
        /// The subject, if any.
        pub subject: Option<String>,
        /// The message attributes.
        pub attributes: BTreeMap<String, PublishedAttribute>,
    }

    fn failure(message: String) -> Error {
        Error::Service {
            source: message.into(),
        }
    }

    /// One HTTP/1.1 request to a moto server at `endpoint` (`http://host:port`); the body of
    /// the answer.
    async fn request(endpoint: &str, method: &str, path: &str) -> Result<String, Error> {
        let authority = endpoint
            .strip_prefix("http://")
            .ok_or_else(|| failure(format!("not an http:// endpoint: {endpoint}")))?;
        let authority = authority.trim_end_matches('/');
        let mut stream = TcpStream::connect(authority)
            .await
            .map_err(|e| failure(format!("connecting to {authority}: {e}")))?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| failure(e.to_string()))?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .await
            .map_err(|e| failure(e.to_string()))?;
        let text = String::from_utf8(raw).map_err(|e| failure(e.to_string()))?;
        let (headers, body) = text
            .split_once("\r\n\r\n")
            .ok_or_else(|| failure("malformed HTTP response".into()))?;
        if !headers.starts_with("HTTP/1.1 200") && !headers.starts_with("HTTP/1.0 200") {
            return Err(failure(format!(
                "moto answered {}",
                headers.lines().next().unwrap_or_default()
            )));
        }
        if headers
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked")
        {
            let mut out = String::new();
            let mut rest = body;
            while let Some((size, after)) = rest.split_once("\r\n") {
                let size =
                    usize::from_str_radix(size.trim(), 16).map_err(|e| failure(e.to_string()))?;
                if size == 0 {
                    break;
                }
                out.push_str(
                    after
                        .get(..size)
                        .ok_or_else(|| failure("truncated chunk".into()))?,
                );
                rest = after.get(size + 2..).unwrap_or_default();
            }
            return Ok(out);
        }
        Ok(body.to_owned())
    }

    /// The messages published to `topic_arn`, in order, from moto's `/moto-api/data.json`.
    pub async fn published(endpoint: &str, topic_arn: &str) -> Result<Vec<Published>, Error> {
        let body = request(endpoint, "GET", "/moto-api/data.json").await?;
        let data: serde_json::Value =
            serde_json::from_str(&body).map_err(|e| failure(e.to_string()))?;
        let topics = data["sns"]["Topic"].as_array().cloned().unwrap_or_default();
        let Some(topic) = topics.iter().find(|t| t["arn"] == topic_arn) else {
            return Ok(Vec::new());
        };
        let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
        Ok(topic["sent_notifications"]
            .as_array()
            .map(|sent| {
                sent.iter()
                    .map(|n| Published {
                        message_id: text(&n[0]).unwrap_or_default(),
                        message: text(&n[1]).unwrap_or_default(),
                        subject: text(&n[2]),
                        attributes: n[3]
                            .as_object()
                            .map(|attrs| {
                                attrs
                                    .iter()
                                    .map(|(k, v)| {
                                        let attribute = PublishedAttribute {
                                            data_type: text(&v["Type"]).unwrap_or_default(),
                                            value: text(&v["Value"]).unwrap_or_default(),
                                        };
                                        (k.clone(), attribute)
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Forgets every topic and message of the moto server at `endpoint`.
    pub async fn reset(endpoint: &str) -> Result<(), Error> {
        request(endpoint, "POST", "/moto-api/reset")
            .await
            .map(|_| ())
    }
}
