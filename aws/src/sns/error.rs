//! The errors of SNS calls.

use std::fmt;

use aws_sdk_sns::error::{ProvideErrorMetadata, SdkError};

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What can go wrong with SNS. Errors of the service name the operation and the topic.
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
    /// Not an SNS topic ARN (`arn:PARTITION:sns:REGION:ACCOUNT:NAME`); found before sending.
    InvalidArn {
        /// The text given.
        arn: String,
    },
    /// A message attribute value SNS cannot carry (e.g. a NaN number).
    InvalidAttribute {
        /// The attribute's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A message or batch SNS would refuse; found before sending.
    InvalidMessage {
        /// The entry of a batch it concerns, if one.
        entry: Option<usize>,
        /// Why.
        reason: &'static str,
    },
    /// SNS throttled the request (`Throttled`, `ThrottlingException`, HTTP 429), after the
    /// client's retries. Sending again later may succeed ([`Error::is_retryable`]).
    Throttled {
        /// The SNS operation, e.g. `Publish`.
        operation: &'static str,
        /// The topic: its ARN, or the name looked up.
        topic: String,
        /// The SDK error.
        source: Source,
    },
    /// The SDK or the service failed.
    Service {
        /// The SNS operation, e.g. `Publish`.
        operation: &'static str,
        /// The topic: its ARN, or the name looked up.
        topic: String,
        /// The SDK error.
        source: Source,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Configuration { message } => write!(f, "SNS client configuration: {message}"),
            Error::TopicNotFound { name } => write!(f, "no SNS topic named {name:?}"),
            Error::InvalidArn { arn } => write!(f, "not an SNS topic ARN: {arn:?}"),
            Error::InvalidAttribute { name, reason } => {
                write!(f, "message attribute {name:?}: {reason}")
            }
            Error::InvalidMessage {
                entry: Some(entry),
                reason,
            } => write!(f, "batch entry {entry}: {reason}"),
            Error::InvalidMessage {
                entry: None,
                reason,
            } => f.write_str(reason),
            Error::Throttled {
                operation, topic, ..
            } => write!(
                f,
                "{operation} on topic {topic}: SNS throttled the request after retries"
            ),
            Error::Service {
                operation, topic, ..
            } => write!(f, "{operation} on topic {topic}: SNS request failed"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Throttled { source, .. } | Error::Service { source, .. } => {
                Some(source.as_ref())
            }
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

/// SNS's codes for throttling.
pub(super) fn is_throttling(code: Option<&str>) -> bool {
    matches!(
        code,
        Some("Throttled" | "Throttling" | "ThrottlingException" | "ThrottledException")
    )
}

/// Classifies an SDK error of `operation` on `topic`.
pub(super) fn service<E, R>(
    operation: &'static str,
    topic: &str,
) -> impl FnOnce(SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    move |e| {
        let throttled = is_throttling(e.code());
        let topic = topic.to_owned();
        let source: Source = Box::new(e);
        if throttled {
            Error::Throttled {
                operation,
                topic,
                source,
            }
        } else {
            Error::Service {
                operation,
                topic,
                source,
            }
        }
    }
}
