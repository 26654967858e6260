//! [`Error`]: what can go wrong talking to DynamoDB, or before: the error a user of
//! `awstin::dynamodb` handles. Its refusals before sending are the core's
//! [`awstin_core::Error`], with the same names and fields as in the JSON layer.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{CancellationReason, KeysAndAttributes, WriteRequest};
use awstin_core::DecodeError;
use awstin_core::op;

use super::codec::Item;

type Source = ServiceError;

/// What DynamoDB, or the SDK on the way to it, answered a call with: the AWS error code and
/// message (as the SDK's `ProvideErrorMetadata` gives them, without downcasting), and the
/// SDK's error behind them. Its `Display` and `source` are the SDK error's.
///
/// ```
/// # fn f(e: &awstin::dynamodb::Error) {
/// if e.code() == Some("ResourceNotFoundException") { /* the table is not deployed */ }
/// # }
/// ```
#[derive(Debug)]
pub struct ServiceError(Box<Answer>);

/// A [`ServiceError`]'s parts, boxed so that the error stays one pointer wide.
#[derive(Debug)]
struct Answer {
    code: Option<String>,
    message: Option<String>,
    sdk: Box<dyn StdError + Send + Sync + 'static>,
}

impl ServiceError {
    /// The SDK's error, with its code and message: for a request of one's own (see
    /// [`Render`](super::Render)) whose failure should read as awstin's.
    ///
    /// ```no_run
    /// # async fn f(db: awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::{Call, Error, Operation, ServiceError};
    /// db.client().describe_limits().send().await.map_err(|e| Error::Service {
    ///     call: Call::new(Operation::Other("DescribeLimits"), ""),
    ///     source: ServiceError::new(e),
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn new<E>(e: E) -> ServiceError
    where
        E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
    {
        ServiceError(Box::new(Answer {
            code: e.code().map(str::to_owned),
            message: e.message().map(str::to_owned),
            sdk: Box::new(e),
        }))
    }

    /// An SDK error without a code: a request the SDK's builders refused.
    pub(crate) fn uncoded(e: impl StdError + Send + Sync + 'static) -> ServiceError {
        ServiceError(Box::new(Answer {
            code: None,
            message: None,
            sdk: Box::new(e),
        }))
    }

    /// The AWS error code, e.g. `ValidationException`; `None` when no answer carried one (a
    /// dropped connection, a timeout).
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }

    /// The service's message, if the answer carried one.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// The SDK's error, to downcast to the operation's own error type.
    pub fn sdk(&self) -> &(dyn StdError + Send + Sync + 'static) {
        self.0.sdk.as_ref()
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.sdk, f)
    }
}

impl StdError for ServiceError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.sdk.source()
    }
}

/// What DynamoDB held when a write's outcome could not be decided: the core's
/// [`op::Stored`](awstin_core::op::Stored) of the SDK's items (`NotRead`, `Absent`,
/// `Item(item)`), as the JSON layer's hosts get it of theirs.
///
/// ```
/// let stored: awstin::dynamodb::Stored = awstin::dynamodb::Stored::Absent;
/// assert!(matches!(stored, awstin::dynamodb::Stored::Absent));
/// ```
pub type Stored = awstin_core::op::Stored<Item>;

/// Optimistic locking refused a write ([`Error::Conflict`]): the stored version is not the
/// one the item was read with. It carries the item as DynamoDB holds it now, so a caller can
/// merge and retry.
///
/// ```
/// use awstin::dynamodb::{Call, Conflict, Operation, Stored, to_item};
/// awstin::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Doc { table "Docs"; key id: String; attr body: String; version rev: u64 } }
/// let now = Doc { id: "a".into(), body: "theirs".into(), rev: 4 };
/// let conflict = Conflict { call: Call::new(Operation::PutItem, "Docs"), expected: 3, current: Stored::Item(to_item(&now)?) };
/// assert_eq!(conflict.current::<Doc>()?, Some(now));
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The write.
    pub call: Call,
    /// The version the write required: the one the item was read with (0: that no item had
    /// the key).
    pub expected: u64,
    /// The item DynamoDB holds now (`Absent` when there is none).
    pub current: Stored,
}

impl Conflict {
    /// The item as it is now, read as model `M`; `None` when there is none.
    ///
    /// ```
    /// use awstin::dynamodb::{Call, Conflict, Operation, Stored};
    /// awstin::dynamo_model! { #[derive(Debug)] pub struct Doc { table "Docs"; key id: String; version rev: u64 } }
    /// let gone = Conflict { call: Call::new(Operation::DeleteItem, "Docs"), expected: 2, current: Stored::Absent };
    /// assert!(gone.current::<Doc>()?.is_none());
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn current<M: awstin_core::decode::DecodeOwned<super::AvOwned>>(
        &self,
    ) -> Result<Option<M>, Error> {
        match &self.current {
            Stored::Item(item) => Ok(Some(super::from_item_owned(item.clone())?)),
            Stored::Absent => Ok(None),
            Stored::NotRead => Err(Error::UnexpectedAnswer {
                call: self.call.clone(),
                missing: "the stored item of a version conflict",
            }),
        }
    }
}

/// A DynamoDB operation, as a [`Call`] names it.
///
/// ```
/// use awstin::dynamodb::Operation;
/// assert_eq!(Operation::PutItem.to_string(), "PutItem");
/// assert_eq!(Operation::Other("DescribeLimits").as_str(), "DescribeLimits");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `GetItem`.
    GetItem,
    /// `PutItem`.
    PutItem,
    /// `UpdateItem`.
    UpdateItem,
    /// `DeleteItem`.
    DeleteItem,
    /// `Query`.
    Query,
    /// `Scan`.
    Scan,
    /// `BatchGetItem`.
    BatchGetItem,
    /// `BatchWriteItem`.
    BatchWriteItem,
    /// `TransactGetItems`.
    TransactGetItems,
    /// `TransactWriteItems`.
    TransactWriteItems,
    /// `CreateTable`.
    CreateTable,
    /// `DeleteTable`.
    DeleteTable,
    /// `DescribeTable`.
    DescribeTable,
    /// `ListTables`.
    ListTables,
    /// An operation this crate does not send itself: a request of one's own.
    Other(&'static str),
}

impl Operation {
    /// The operation's name in DynamoDB's API.
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::GetItem => "GetItem",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGetItem => "BatchGetItem",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactGetItems => "TransactGetItems",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::CreateTable => "CreateTable",
            Operation::DeleteTable => "DeleteTable",
            Operation::DescribeTable => "DescribeTable",
            Operation::ListTables => "ListTables",
            Operation::Other(name) => name,
        }
    }
}

impl Operation {
    /// The operation named `name` in DynamoDB's API (`Other` for one this crate does not send
    /// itself).
    ///
    /// ```
    /// use awstin::dynamodb::Operation;
    /// assert_eq!(Operation::of("PutItem"), Operation::PutItem);
    /// ```
    pub fn of(name: &'static str) -> Operation {
        match name {
            "GetItem" => Operation::GetItem,
            "PutItem" => Operation::PutItem,
            "UpdateItem" => Operation::UpdateItem,
            "DeleteItem" => Operation::DeleteItem,
            "Query" => Operation::Query,
            "Scan" => Operation::Scan,
            "BatchGetItem" => Operation::BatchGetItem,
            "BatchWriteItem" => Operation::BatchWriteItem,
            "TransactGetItems" => Operation::TransactGetItems,
            "TransactWriteItems" => Operation::TransactWriteItems,
            "CreateTable" => Operation::CreateTable,
            "DeleteTable" => Operation::DeleteTable,
            "DescribeTable" => Operation::DescribeTable,
            "ListTables" => Operation::ListTables,
            other => Operation::Other(other),
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The DynamoDB call an error comes from: the operation, and the table (and index) it acted
/// on. Errors of the service name it in their `Display`.
///
/// ```
/// use awstin::dynamodb::{Call, Operation};
/// assert_eq!(Call::new(Operation::GetItem, "Movies").to_string(), "GetItem on table Movies");
/// assert_eq!(
///     Call::new(Operation::Query, "Movies").on_index(Some("by-genre")).to_string(),
///     "Query on index by-genre of table Movies"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The DynamoDB operation.
    pub operation: Operation,
    /// The table, by the name the request used (the runtime name a table is bound to; the
    /// first member's, for a transaction); empty for `ListTables`.
    pub table: Arc<str>,
    /// The index, for a Query or Scan of one.
    pub index: Option<&'static str>,
}

impl Call {
    /// `operation` on `table`.
    pub fn new(operation: Operation, table: impl Into<Arc<str>>) -> Call {
        Call {
            operation,
            table: table.into(),
            index: None,
        }
    }

    /// The same call, on `index` of the table.
    #[must_use]
    pub fn on_index(mut self, index: Option<&'static str>) -> Call {
        self.index = index;
        self
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.operation.as_str())?;
        match (self.index, &*self.table) {
            (_, "") => Ok(()),
            (Some(index), table) => write!(f, " on index {index} of table {table}"),
            (None, table) => write!(f, " on table {table}"),
        }
    }
}

/// Why a member of a cancelled transaction failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Cancellation {
    /// Position of the member in the transaction, in the order written.
    pub index: usize,
    /// DynamoDB's code, e.g. `ConditionalCheckFailed`.
    pub code: String,
    /// DynamoDB's message, if any.
    pub message: Option<String>,
    /// For a member whose condition was false, the item DynamoDB held (`None` when there
    /// was none, or for another failure).
    pub stored: Option<Item>,
    /// For a member whose condition was false on a stored item, the clauses of its condition
    /// false on it, as the local evaluator finds them.
    pub clauses: Vec<super::FalseClause>,
}

/// What kind of failure an [`Error`] is ([`Error::category`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// Refused before anything was sent: the request breaks a rule; mend the request.
    Refused,
    /// DynamoDB refused or failed the request as sent (validation, no such table, a
    /// cancelled transaction, an answer without what was asked).
    Service,
    /// Sending again may succeed: throttled, unavailable, timed out, keys left unread.
    Retryable,
    /// A write's outcome, or some of a batch's, is not known: read the item to find out, or
    /// send with a token.
    Unknown,
    /// Optimistic locking: another writer changed the item since it was read.
    Conflict,
    /// Data does not fit the model (a write applied all the same, for
    /// [`Error::WrittenButUndecodable`]).
    Data,
    /// The client could not be configured.
    Configuration,
}

/// Everything that can go wrong talking to DynamoDB, or before.
///
/// Failed conditions are not errors: a write with a condition reports it in its result
/// ([`Written`](super::Written)).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Refused before anything was sent: the request breaks a rule of DynamoDB's (an
    /// expression, a value, a key, an item's size, a name, a transaction's members, the same
    /// item twice, a token, a cursor), or an option is outside what awstin takes. The core's
    /// error, whose variant names the rule and its figures.
    Refused(awstin_core::Error),
    /// A stored item does not fit the model.
    Decode(DecodeError),
    /// The client could not be configured.
    Configuration {
        /// What is missing or wrong.
        message: String,
    },
    /// DynamoDB's answer lacked what the request asks for (an applied update without its
    /// item, a false condition without the stored item): the outcome the call reports cannot
    /// be read from it.
    UnexpectedAnswer {
        /// The call.
        call: Call,
        /// What the answer lacked.
        missing: &'static str,
    },
    /// DynamoDB rejected the request as invalid (`ValidationException`).
    Validation {
        /// The call that failed.
        call: Call,
        /// DynamoDB's message.
        message: String,
        /// The SDK error.
        source: Source,
    },
    /// Throttled, after the client's retries.
    Throttled {
        /// The call that failed.
        call: Call,
        /// The SDK error.
        source: Source,
    },
    /// The table or index does not exist.
    NotFound {
        /// The call that failed.
        call: Call,
        /// The SDK error.
        source: Source,
    },
    /// A transaction was cancelled: which members failed, and why.
    TransactionCanceled {
        /// The call that failed.
        call: Call,
        /// The members that failed (`None` reasons are left out).
        reasons: Vec<Cancellation>,
        /// The SDK error.
        source: Source,
    },
    /// A batch write that did not apply every request: each request given is either applied
    /// or in one of these lists, never both and never neither.
    UnprocessedWrites {
        /// The batch write (`BatchWriteItem` on its table).
        call: Call,
        /// Requests not applied: returned unprocessed by DynamoDB until the attempts ran out,
        /// never sent because another chunk failed for good, or refused, every attempt that
        /// carried them having been answered.
        requests: Vec<WriteRequest>,
        /// Requests that may or may not have been applied: an attempt carrying them got no
        /// answer (a reset, a timeout, a server error), and no later attempt applied them.
        unknown: Vec<WriteRequest>,
        /// The failure that stopped the last attempt, if one did (`None` when DynamoDB kept
        /// answering with unprocessed items).
        cause: Option<Box<Error>>,
    },
    /// A batch read that did not read every key: each key given is either among `read` (or
    /// was found missing) or in `keys`, never both.
    UnprocessedReads {
        /// The keys not read, by table.
        keys: std::collections::HashMap<String, KeysAndAttributes>,
        /// The items that were read, as DynamoDB returned them (decode them with
        /// [`from_item`](super::from_item)).
        read: Vec<Item>,
        /// The failure that stopped the last attempt, if one did.
        cause: Option<Box<Error>>,
    },
    /// A write whose outcome is not known: an attempt that may have reached DynamoDB got no
    /// answer (a dropped connection, a timeout, a server error), and what the later attempts
    /// said does not decide whether it was applied. Read the item to find out; for writes
    /// that must happen exactly once, use a token ([`Write::once`](super::Write::once),
    /// [`TransactWrite::token`](super::TransactWrite::token)), whose retries are answered
    /// with the first attempt's outcome.
    OutcomeUnknown {
        /// The write.
        call: Call,
        /// What DynamoDB held when the last attempt was answered, as far as known.
        stored: Stored,
        /// What the last attempt met; `None` when it was answered, but with a state an
        /// earlier attempt may have made (a retried delete that found no item).
        source: Option<Box<Error>>,
    },
    /// A write was applied, but the item DynamoDB returned does not fit the model (e.g. an
    /// update of a missing key created an item without the model's required attributes).
    WrittenButUndecodable {
        /// The write.
        call: Call,
        /// The item as DynamoDB returned it.
        item: Item,
        /// Why it does not decode.
        source: Box<DecodeError>,
    },
    /// The request did not finish within the client's attempt or operation timeout
    /// ([`ClientOptions`](super::ClientOptions)). A write that timed out is
    /// [`Error::OutcomeUnknown`] instead, with this as its source.
    Timeout {
        /// The call that failed.
        call: Call,
        /// The SDK error.
        source: Source,
    },
    /// DynamoDB could not be reached, dropped the connection, or failed inside (HTTP 5xx),
    /// after the client's retries. A write that met this is [`Error::OutcomeUnknown`] instead,
    /// with this as its source.
    Unavailable {
        /// The call that failed.
        call: Call,
        /// The SDK error.
        source: Source,
    },
    /// Optimistic locking refused a versioned write: another writer changed (or created, or
    /// deleted) the item since it was read. The conflict carries the item as it is now.
    Conflict(Box<Conflict>),
    /// Any other failure of the SDK or the service.
    Service {
        /// The call that failed.
        call: Call,
        /// The SDK error.
        source: Source,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Refused(e) => write!(f, "refused before sending: {e}"),
            Error::Conflict(c) if c.expected == 0 => write!(
                f,
                "{}: version conflict: an item with the key was stored meanwhile",
                c.call
            ),
            Error::Conflict(c) => write!(
                f,
                "{}: version conflict: the item is no longer at version {}",
                c.call, c.expected
            ),
            Error::Decode(e) => write!(f, "item does not fit the model: {e}"),
            Error::Configuration { message } => {
                write!(f, "DynamoDB client configuration: {message}")
            }
            Error::UnexpectedAnswer { call, missing } => {
                write!(f, "{call}: DynamoDB's answer lacked {missing}")
            }
            Error::Validation { call, message, .. } => {
                write!(f, "{call}: DynamoDB rejected the request: {message}")
            }
            Error::Throttled { call, .. } => {
                write!(f, "{call}: DynamoDB throttled the request after retries")
            }
            Error::NotFound { call, .. } => write!(f, "{call}: no such table or index"),
            Error::TransactionCanceled { call, reasons, .. } => {
                write!(f, "{call}: transaction cancelled")?;
                for r in reasons {
                    write!(f, "; member {} failed: {}", r.index, r.code)?;
                    for (i, clause) in r.clauses.iter().enumerate() {
                        f.write_str(if i == 0 { " (" } else { "; " })?;
                        f.write_str(clause.text())?;
                    }
                    if !r.clauses.is_empty() {
                        f.write_str(")")?;
                    }
                }
                Ok(())
            }
            Error::UnprocessedWrites {
                call,
                requests,
                unknown,
                ..
            } => {
                write!(
                    f,
                    "{call}: {} writes not applied after retries",
                    requests.len()
                )?;
                if !unknown.is_empty() {
                    write!(f, ", {} of unknown outcome", unknown.len())?;
                }
                Ok(())
            }
            Error::UnprocessedReads { keys, .. } => {
                let n: usize = keys.values().map(|k| k.keys().len()).sum();
                let tables: Vec<&str> = keys.keys().map(String::as_str).collect();
                write!(
                    f,
                    "BatchGetItem on table {}: {n} keys not read after retries",
                    tables.join(", ")
                )
            }
            Error::OutcomeUnknown { call, .. } => {
                write!(f, "{call}: the write may or may not have been applied")
            }
            Error::WrittenButUndecodable { call, .. } => write!(
                f,
                "{call}: the write was applied, but the item returned does not fit the model"
            ),
            Error::Timeout { call, .. } => write!(f, "{call}: DynamoDB request timed out"),
            Error::Unavailable { call, .. } => write!(f, "{call}: DynamoDB was unavailable"),
            Error::Service { call, .. } => write!(f, "{call}: DynamoDB request failed"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Refused(e) => Some(e),
            Error::Decode(e) => Some(e),
            Error::OutcomeUnknown { source, .. } => {
                source.as_deref().map(|e| e as &(dyn StdError + 'static))
            }
            Error::WrittenButUndecodable { source, .. } => Some(source.as_ref()),
            Error::UnprocessedWrites { cause, .. } | Error::UnprocessedReads { cause, .. } => {
                cause.as_deref().map(|e| e as &(dyn StdError + 'static))
            }
            _ => self.service().map(|e| e as &(dyn StdError + 'static)),
        }
    }
}

impl From<awstin_core::Error> for Error {
    fn from(e: awstin_core::Error) -> Self {
        Error::Refused(e)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::Decode(e)
    }
}

/// The error of building a request with the SDK's builders (a required field missing).
pub(crate) fn built<T>(
    call: Call,
    r: Result<T, aws_sdk_dynamodb::error::BuildError>,
) -> Result<T, Error> {
    r.map_err(|e| Error::Service {
        call,
        source: ServiceError::uncoded(e),
    })
}

impl Error {
    /// The DynamoDB call the error comes from, for errors of the service.
    ///
    /// ```
    /// let e = awstin::dynamodb::Error::Refused(awstin::expr::Error::InvalidToken { bytes: 0 });
    /// assert_eq!(e.call(), None);
    /// ```
    pub fn call(&self) -> Option<&Call> {
        match self {
            Error::Validation { call, .. }
            | Error::Throttled { call, .. }
            | Error::NotFound { call, .. }
            | Error::TransactionCanceled { call, .. }
            | Error::Timeout { call, .. }
            | Error::Unavailable { call, .. }
            | Error::Service { call, .. }
            | Error::OutcomeUnknown { call, .. }
            | Error::WrittenButUndecodable { call, .. }
            | Error::UnexpectedAnswer { call, .. }
            | Error::UnprocessedWrites { call, .. } => Some(call),
            Error::Conflict(c) => Some(&c.call),
            _ => None,
        }
    }

    /// The AWS error code DynamoDB answered with (`ResourceNotFoundException`,
    /// `ValidationException`, ...), without downcasting: of the service's error, of the
    /// error behind an unknown outcome, or of the failure that stopped a batch. `None` for
    /// errors found before sending and for answers without a code.
    ///
    /// ```
    /// let e = awstin::dynamodb::Error::Refused(awstin::expr::Error::InvalidToken { bytes: 0 });
    /// assert_eq!(e.code(), None);
    /// ```
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::OutcomeUnknown { source, .. } => source.as_deref().and_then(Error::code),
            Error::UnprocessedWrites { cause, .. } | Error::UnprocessedReads { cause, .. } => {
                cause.as_deref().and_then(Error::code)
            }
            _ => self.service().and_then(ServiceError::code),
        }
    }

    /// The service's answer, for the variants that carry one.
    fn service(&self) -> Option<&ServiceError> {
        match self {
            Error::Validation { source, .. }
            | Error::Throttled { source, .. }
            | Error::NotFound { source, .. }
            | Error::TransactionCanceled { source, .. }
            | Error::Timeout { source, .. }
            | Error::Unavailable { source, .. }
            | Error::Service { source, .. } => Some(source),
            _ => None,
        }
    }

    /// What kind of failure this is, to decide what to do about it (in the manner of
    /// `serde_json::Error::classify`).
    ///
    /// ```
    /// use awstin::dynamodb::{Category, Error};
    /// let e = Error::Refused(awstin::expr::Error::InvalidToken { bytes: 40 });
    /// assert_eq!(e.category(), Category::Refused);
    /// ```
    pub fn category(&self) -> Category {
        match self {
            Error::Refused(_) => Category::Refused,
            Error::Configuration { .. } => Category::Configuration,
            Error::Decode(_) | Error::WrittenButUndecodable { .. } => Category::Data,
            Error::Conflict(_) => Category::Conflict,
            Error::OutcomeUnknown { .. } | Error::UnprocessedWrites { .. } => Category::Unknown,
            Error::Throttled { .. } | Error::Timeout { .. } | Error::Unavailable { .. } => {
                Category::Retryable
            }
            Error::UnprocessedReads { .. } => Category::Retryable,
            Error::Validation { .. }
            | Error::NotFound { .. }
            | Error::TransactionCanceled { .. }
            | Error::UnexpectedAnswer { .. }
            | Error::Service { .. } => Category::Service,
        }
    }

    /// Whether sending the same request again may succeed: throttling, timeouts, server and
    /// transport failures. Refusals of the request itself (validation, a missing table,
    /// anything found before sending) are not.
    ///
    /// ```
    /// use awstin::dynamodb::Error;
    /// assert!(!Error::Refused(awstin::expr::Error::InvalidToken { bytes: 40 }).is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Error::Throttled { .. } | Error::Timeout { .. } | Error::Unavailable { .. }
        )
    }
}

/// The error of a write whose last attempt failed: the core's rule of requests not
/// confirmed applied ([`op::unconfirmed`]), as for a batch's requests. When some attempt may
/// have been applied, the outcome is unknown, unless DynamoDB refused the request itself (a
/// `ValidationException` refuses every copy of the request alike).
pub(crate) fn write_failed(call: Call, attempts: op::Attempts, e: Error) -> Error {
    let refused_alike = matches!(e, Error::Validation { .. } | Error::Refused(_));
    match op::unconfirmed(attempts) {
        op::Unconfirmed::Unknown if !refused_alike => Error::OutcomeUnknown {
            call,
            stored: Stored::NotRead,
            source: Some(Box::new(e)),
        },
        _ => e,
    }
}

/// A write the core's settlement could not settle, as this crate's error; `source` is the
/// SDK's error of a cancelled transaction.
pub(crate) fn unsettled(
    call: Call,
    unsettled: op::Unsettled<Item>,
    source: Option<ServiceError>,
) -> Error {
    match unsettled {
        op::Unsettled::Cancelled(members) => match source {
            Some(source) => Error::TransactionCanceled {
                call,
                reasons: cancellations(members),
                source,
            },
            None => Error::UnexpectedAnswer {
                call,
                missing: "the error of a cancelled transaction",
            },
        },
        op::Unsettled::Unknown(stored) => Error::OutcomeUnknown {
            call,
            stored,
            source: None,
        },
        op::Unsettled::Conflict { expected, current } => Error::Conflict(Box::new(Conflict {
            call,
            expected,
            current,
        })),
        op::Unsettled::Unexpected(missing) => Error::UnexpectedAnswer { call, missing },
    }
}

/// The SDK's failed answer, classified by the core's one classifier ([`op::hear`]) from its
/// parts: the status, the code, a false condition's stored item, a cancellation's reasons.
pub(crate) fn heard<E: Answered + ProvideErrorMetadata>(
    e: &SdkError<E, HttpResponse>,
) -> op::Heard<Item> {
    let service = e.as_service_error();
    op::hear(
        e.raw_response().map(|r| r.status().as_u16()),
        service.and_then(ProvideErrorMetadata::code),
        service.and_then(Answered::old_item).map(|o| o.cloned()),
        service
            .map(Answered::reasons)
            .unwrap_or(&[])
            .iter()
            .map(|r| (r.code(), r.message(), Some(r.item().cloned()))),
        &super::codec::SdkItems,
    )
}

/// Classifies an SDK error of `call` into [`Error`]: no answer (a timeout, a failed dispatch,
/// an unreadable response) by the SDK's kind, an answer by the core's classifier.
pub(crate) fn from_sdk<E>(call: Call, e: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + StdError + Send + Sync + 'static,
{
    let timed_out = matches!(e, SdkError::TimeoutError(_))
        || matches!(&e, SdkError::DispatchFailure(d) if d.is_timeout());
    let unanswered = matches!(e, SdkError::DispatchFailure(_) | SdkError::ResponseError(_));
    let status = e.raw_response().map(|r| r.status().as_u16());
    let source = ServiceError::new(e);
    if timed_out {
        return Error::Timeout { call, source };
    }
    if unanswered {
        return Error::Unavailable { call, source };
    }
    let none = std::iter::empty::<(Option<&str>, Option<&str>, Option<Option<Item>>)>();
    match op::hear(status, source.code(), None, none, &super::codec::SdkItems) {
        op::Heard::Unavailable => Error::Unavailable { call, source },
        op::Heard::Validation => Error::Validation {
            call,
            message: source.message().unwrap_or_default().to_owned(),
            source,
        },
        op::Heard::Throttled => Error::Throttled { call, source },
        op::Heard::NotFound => Error::NotFound { call, source },
        _ => Error::Service { call, source },
    }
}

/// The members of a cancelled transaction that failed, as this crate's [`Cancellation`]s.
pub(crate) fn cancellations(members: Vec<op::Cancel<Item>>) -> Vec<Cancellation> {
    members
        .into_iter()
        .map(|m| Cancellation {
            index: m.index,
            code: m.name,
            message: m.message,
            stored: match m.stored {
                Stored::Item(item) => Some(item),
                _ => None,
            },
            clauses: Vec::new(),
        })
        .collect()
}

/// The errors of the writes, for [`heard`]: the item a false condition's answer carries
/// (`ALL_OLD`), a cancelled transaction's reasons.
pub(crate) trait Answered {
    /// The stored item a false condition's answer carries: `Some(None)` when there was
    /// none; `None` for another error.
    fn old_item(&self) -> Option<Option<&Item>> {
        None
    }
    /// The reasons of a cancelled transaction, one per member in order.
    fn reasons(&self) -> &[CancellationReason] {
        &[]
    }
}

macro_rules! condition_failure {
    ($($error:ident),*) => {$(
        impl Answered for $error {
            fn old_item(&self) -> Option<Option<&Item>> {
                match self {
                    $error::ConditionalCheckFailedException(c) => Some(c.item()),
                    _ => None,
                }
            }
        }
    )*};
}

condition_failure!(PutItemError, UpdateItemError, DeleteItemError);

impl Answered for TransactWriteItemsError {
    fn reasons(&self) -> &[CancellationReason] {
        match self {
            TransactWriteItemsError::TransactionCanceledException(t) => t.cancellation_reasons(),
            _ => &[],
        }
    }
}
