//! The one error type of the std layer.

use std::error::Error as StdError;
use std::fmt;

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{CancellationReason, KeysAndAttributes, WriteRequest};
use awstin_core::DecodeError;

type Source = Box<dyn StdError + Send + Sync + 'static>;

/// Why a member of a cancelled transaction failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Cancellation {
    /// Position of the member in the transaction, in the order written.
    pub index: usize,
    /// DynamoDB's code, e.g. `ConditionalCheckFailed`.
    pub code: String,
    /// DynamoDB's message, if any.
    pub message: Option<String>,
}

/// Everything that can go wrong talking to DynamoDB, or before.
///
/// Failed conditions are not errors: the operations that take a condition report them in
/// their result (`false`, `None`).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An expression or value broke a DynamoDB rule; found before sending.
    Expression(awstin_core::Error),
    /// A stored item does not fit the model.
    Decode(DecodeError),
    /// The client could not be configured.
    Configuration {
        /// What is missing or wrong.
        message: String,
    },
    /// The operation does not apply here (e.g. an index model of another table given to a
    /// table spec, or a response without the item it must hold).
    Unsupported {
        /// What was attempted.
        message: &'static str,
    },
    /// DynamoDB rejected the request as invalid (`ValidationException`).
    Validation {
        /// DynamoDB's message.
        message: String,
        /// The SDK error.
        source: Source,
    },
    /// Throttled, after the client's retries.
    Throttled {
        /// The SDK error.
        source: Source,
    },
    /// The table or index does not exist.
    NotFound {
        /// The SDK error.
        source: Source,
    },
    /// A transaction was cancelled: which members failed, and why.
    TransactionCanceled {
        /// The members that failed (`None` reasons are left out).
        reasons: Vec<Cancellation>,
        /// The SDK error.
        source: Source,
    },
    /// An item certainly larger than DynamoDB stores (see
    /// [`item_size_at_least`](super::item_size_at_least)); found before sending.
    ItemTooLarge {
        /// Bytes the item takes at least.
        at_least: usize,
        /// 409,600 (400 KB).
        max: usize,
    },
    /// A transaction with no members or more than DynamoDB takes; found before sending.
    TransactionMembers {
        /// Members given.
        members: usize,
        /// 100.
        max: usize,
    },
    /// The placeholder names and values of one request certainly take more than DynamoDB's
    /// 2 MB (counted as 2 MiB, so nothing DynamoDB accepts is refused); found before sending.
    ExpressionValuesTooLarge {
        /// Bytes the placeholders, names and values take at least.
        at_least: usize,
        /// 2,097,152.
        max: usize,
    },
    /// A write transaction whose items certainly exceed DynamoDB's 4 MB (counted as 4 MiB):
    /// the items it puts, by [`item_size_at_least`](super::item_size_at_least); found before
    /// sending.
    TransactionTooLarge {
        /// Bytes the items put take at least.
        at_least: usize,
        /// 4,194,304.
        max: usize,
    },
    /// Two members of a transaction, or two requests of a batch, on the same item, which
    /// DynamoDB refuses; found before sending.
    SameItemTwice {
        /// Position of the first (0-based, in the order given).
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// Batch writes still unprocessed after the retries: nothing was dropped silently.
    UnprocessedWrites {
        /// The requests DynamoDB did not apply.
        requests: Vec<WriteRequest>,
    },
    /// Batch reads still unprocessed after the retries.
    UnprocessedReads {
        /// The keys DynamoDB did not read, by table.
        keys: std::collections::HashMap<String, KeysAndAttributes>,
    },
    /// Any other failure of the SDK or the service.
    Service {
        /// The SDK error.
        source: Source,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Expression(e) => write!(f, "invalid expression: {e}"),
            Error::Decode(e) => write!(f, "item does not fit the model: {e}"),
            Error::Configuration { message } => {
                write!(f, "DynamoDB client configuration: {message}")
            }
            Error::Unsupported { message } => f.write_str(message),
            Error::Validation { message, .. } => {
                write!(f, "DynamoDB rejected the request: {message}")
            }
            Error::Throttled { .. } => f.write_str("DynamoDB throttled the request after retries"),
            Error::NotFound { .. } => f.write_str("table or index not found"),
            Error::TransactionCanceled { reasons, .. } => {
                f.write_str("transaction cancelled")?;
                for r in reasons {
                    write!(f, "; member {} failed: {}", r.index, r.code)?;
                }
                Ok(())
            }
            Error::ItemTooLarge { at_least, max } => write!(
                f,
                "item takes at least {at_least} bytes; DynamoDB stores at most {max}"
            ),
            Error::TransactionMembers { members, max } => {
                write!(
                    f,
                    "a transaction takes 1 to {max} members; this one has {members}"
                )
            }
            Error::ExpressionValuesTooLarge { at_least, max } => write!(
                f,
                "expression names and values take at least {at_least} bytes; DynamoDB takes at most {max}"
            ),
            Error::TransactionTooLarge { at_least, max } => write!(
                f,
                "the items of the transaction take at least {at_least} bytes; DynamoDB takes at most {max}"
            ),
            Error::SameItemTwice { first, second } => write!(
                f,
                "requests {first} and {second} act on the same item, which one transaction or batch cannot do"
            ),
            Error::UnprocessedWrites { requests } => {
                write!(
                    f,
                    "{} batch writes still unprocessed after retries",
                    requests.len()
                )
            }
            Error::UnprocessedReads { keys } => {
                let n: usize = keys.values().map(|k| k.keys().len()).sum();
                write!(f, "{n} batch reads still unprocessed after retries")
            }
            Error::Service { .. } => f.write_str("DynamoDB request failed"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Expression(e) => Some(e),
            Error::Decode(e) => Some(e),
            Error::Validation { source, .. }
            | Error::Throttled { source }
            | Error::NotFound { source }
            | Error::TransactionCanceled { source, .. }
            | Error::Service { source } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<awstin_core::Error> for Error {
    fn from(e: awstin_core::Error) -> Self {
        Error::Expression(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

/// `true` when the SDK error is DynamoDB's "condition was false".
pub(crate) fn is_condition_failed<E: ProvideErrorMetadata, R>(e: &SdkError<E, R>) -> bool {
    e.code() == Some("ConditionalCheckFailedException")
}

/// Classifies an SDK error into [`Error`].
pub(crate) fn from_sdk<E, R>(e: SdkError<E, R>) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    let code = e.code().map(str::to_owned);
    let message = e.message().map(str::to_owned);
    let source: Source = Box::new(e);
    match code.as_deref() {
        Some("ValidationException") => Error::Validation {
            message: message.unwrap_or_default(),
            source,
        },
        Some(
            "ProvisionedThroughputExceededException"
            | "ThrottlingException"
            | "RequestLimitExceeded",
        ) => Error::Throttled { source },
        Some("ResourceNotFoundException") => Error::NotFound { source },
        _ => Error::Service { source },
    }
}

/// Maps a transaction's cancellation reasons to the members that failed.
pub(crate) fn cancellations(reasons: &[CancellationReason]) -> Vec<Cancellation> {
    reasons
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            let code = r.code()?;
            (code != "None").then(|| Cancellation {
                index,
                code: code.to_owned(),
                message: r.message().map(str::to_owned),
            })
        })
        .collect()
}
