//! DynamoDB's answers read back: a response's status and body into items of a model, the key
//! a read stopped at and its page cursor, what a batch left unprocessed, the consumed
//! capacity; an error body into a typed [`Failure`]. Anything that is not what DynamoDB sends
//! is [`Failure::Malformed`], never a panic.

use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use super::body::Wire;
use crate::op::{self, Code, Heard, Stored};
use crate::protocol::cursor::{CursorKey, StartKey, cursor_of};
use crate::values::base64::{Alphabet, decode as base64};
use crate::values::decode::{DecodeError, DecodeFrom};
use crate::values::json::{self, Json};
use crate::{
    expr::model::Model, values::number::Number, values::value_buf::ValueBuf,
    values::value_buf::ValueBufRef,
};

/// A request DynamoDB answered: the body of a `200`, ready to be read.
///
/// ```
/// # awstin_macros::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::wire::Answer;
/// let body = br#"{"Item":{"year":{"N":"2013"},"title":{"S":"Rush"},"rating":{"N":"8.1"}}}"#;
/// let movie: Option<Movie> = Answer::read(200, body)?.item()?;
/// assert_eq!(movie, Some(Movie { year: 2013, title: "Rush".into(), rating: 8.1 }));
/// # Ok::<(), awstin_core::wire::Failure>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    body: Json,
}

/// A request that failed: DynamoDB's error (from its `__type`), or an answer that is not one
/// DynamoDB sends. Its `Display` names the error, never a stored value or DynamoDB's message
/// (which may quote key values); [`message`](Failure::message) gives the message.
///
/// ```
/// use awstin_core::wire::{Answer, Failure};
/// let body = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"}"#;
/// let failure = Answer::read(400, body).unwrap_err();
/// assert!(matches!(failure, Failure::Throttled { .. }));
/// assert!(failure.is_retryable());
/// assert_eq!(failure.to_string(), "DynamoDB throttled the request (ThrottlingException)");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Failure {
    /// `ConditionalCheckFailedException`: the write's condition was false. `item` is the
    /// stored item the answer carries (the wire's writes ask for it), `None` when no item has
    /// the key.
    ConditionFalse {
        /// The stored item, as a map.
        item: Option<Box<ValueBuf>>,
    },
    /// `TransactionCanceledException`: the reason of each member, in the order of the
    /// request (`code` `"None"` for members that did not fail).
    TransactionCanceled {
        /// One reason per member.
        reasons: Vec<Reason>,
    },
    /// Throttled (`ProvisionedThroughputExceededException`, `ThrottlingException`,
    /// `RequestLimitExceeded`): nothing was done; send again after a backoff.
    Throttled {
        /// The error's code.
        code: String,
        /// DynamoDB's message.
        message: String,
    },
    /// `ValidationException`: DynamoDB refused the request as written.
    Validation {
        /// DynamoDB's message.
        message: String,
    },
    /// `ResourceNotFoundException`: no such table or index.
    NotFound {
        /// DynamoDB's message.
        message: String,
    },
    /// A server error (status 500 and above): a read may be sent again; a write's outcome is
    /// unknown (it may have been applied), so send it again only if repeating it is safe.
    Unavailable {
        /// The HTTP status.
        status: u16,
        /// The error's code, when the body names one.
        code: Option<String>,
        /// DynamoDB's message.
        message: String,
    },
    /// Another error DynamoDB named.
    Service {
        /// The HTTP status.
        status: u16,
        /// The error's code.
        code: String,
        /// DynamoDB's message.
        message: String,
    },
    /// An answer that is not one DynamoDB sends (not JSON, or not of the shape its operation
    /// answers).
    Malformed {
        /// The HTTP status.
        status: u16,
        /// What was wrong.
        reason: &'static str,
    },
    /// An item that does not read as the model.
    Decode(DecodeError),
}

/// Why one member of a cancelled transaction failed: its position, DynamoDB's code, and the
/// stored item of a member whose condition was false. The members that did not fail (code
/// `"None"`) are left out, as the tables' `Cancellation` leaves them.
///
/// ```
/// let body = br#"{"__type":"x#TransactionCanceledException","CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Item":{"year":{"N":"1"}}}]}"#;
/// let awstin_core::wire::Failure::TransactionCanceled { reasons } = awstin_core::wire::Answer::read(400, body).unwrap_err() else {
///     panic!("a cancellation")
/// };
/// assert_eq!(reasons.len(), 1);
/// assert_eq!((reasons[0].index, reasons[0].code.as_str()), (1, "ConditionalCheckFailed"));
/// assert!(reasons[0].stored.is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Position of the member in the transaction, in the order added.
    pub index: usize,
    /// `"ConditionalCheckFailed"`, `"TransactionConflict"`, ...
    pub code: String,
    /// DynamoDB's message.
    pub message: Option<String>,
    /// The stored item of a member whose condition was false (the wire's members ask for it).
    pub stored: Option<ValueBuf>,
}

/// The capacity one table's part of a request consumed (asked for with
/// [`Wire::consumed_capacity`]).
///
/// ```
/// let a = awstin_core::wire::Answer::read(200, br#"{"ConsumedCapacity":[{"TableName":"Movies","CapacityUnits":2.5}]}"#)?;
/// assert_eq!(a.consumed()?, vec![awstin_core::wire::Consumed { table: "Movies".into(), units: 2.5 }]);
/// # Ok::<(), awstin_core::wire::Failure>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Consumed {
    /// The table's name.
    pub table: String,
    /// Capacity units, as DynamoDB counts them (halves for eventually consistent reads).
    pub units: f64,
}

impl Failure {
    /// The error's code (`ConditionalCheckFailedException`, ...), where DynamoDB named one.
    ///
    /// ```
    /// let f = awstin_core::wire::Answer::read(400, br#"{"__type":"x#ValidationException","message":"bad"}"#).unwrap_err();
    /// assert_eq!(f.code(), Some("ValidationException"));
    /// assert_eq!(f.message(), Some("bad"));
    /// ```
    pub fn code(&self) -> Option<&str> {
        match self {
            Failure::ConditionFalse { .. } => Some("ConditionalCheckFailedException"),
            Failure::TransactionCanceled { .. } => Some("TransactionCanceledException"),
            Failure::Throttled { code, .. } | Failure::Service { code, .. } => Some(code),
            Failure::Validation { .. } => Some("ValidationException"),
            Failure::NotFound { .. } => Some("ResourceNotFoundException"),
            Failure::Unavailable { code, .. } => code.as_deref(),
            Failure::Malformed { .. } | Failure::Decode(_) => None,
        }
    }

    /// DynamoDB's message, where it sent one.
    ///
    /// ```
    /// let f = awstin_core::wire::Answer::read(503, b"<html>busy</html>").unwrap_err();
    /// assert_eq!(f.message(), None);
    /// ```
    pub fn message(&self) -> Option<&str> {
        match self {
            Failure::Throttled { message, .. }
            | Failure::Validation { message }
            | Failure::NotFound { message }
            | Failure::Service { message, .. } => Some(message),
            Failure::Unavailable { message, .. } => {
                (!message.is_empty()).then_some(message.as_str())
            }
            _ => None,
        }
    }

    /// `true` when sending the same request again after a backoff may succeed and cannot do
    /// twice what was done once: throttling (nothing was done) and server errors. A server
    /// error of a write leaves its outcome unknown: see [`Failure::Unavailable`].
    ///
    /// ```
    /// let f = awstin_core::wire::Answer::read(400, br#"{"__type":"x#ValidationException","message":"bad"}"#).unwrap_err();
    /// assert!(!f.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Failure::Throttled { .. } | Failure::Unavailable { .. }
        )
    }

    /// The stored item of a false condition, read as `M`: `Ok(None)` when no item had the
    /// key, or for another failure.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let body = br#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#;
    /// let failure = awstin_core::wire::Answer::read(400, body).unwrap_err();
    /// assert_eq!(failure.item::<Movie>()?, Some(Movie { year: 2013, title: "Rush".into() }));
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn item<M: for<'a> DecodeFrom<ValueBufRef<'a>>>(&self) -> Result<Option<M>, Failure> {
        match self {
            Failure::ConditionFalse { item: Some(item) } => decode(item).map(Some),
            _ => Ok(None),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::ConditionFalse { .. } => f.write_str("the condition was false"),
            Failure::TransactionCanceled { reasons } => {
                f.write_str("the transaction was cancelled")?;
                for r in reasons {
                    write!(f, "; member {} failed: {}", r.index, r.code)?;
                }
                Ok(())
            }
            Failure::Throttled { code, .. } => {
                write!(f, "DynamoDB throttled the request ({code})")
            }
            Failure::Validation { .. } => f.write_str("DynamoDB refused the request as invalid"),
            Failure::NotFound { .. } => f.write_str("no such table or index"),
            Failure::Unavailable { status, code, .. } => match code {
                Some(code) => write!(f, "DynamoDB failed ({status}, {code})"),
                None => write!(f, "DynamoDB failed ({status})"),
            },
            Failure::Service { status, code, .. } => {
                write!(f, "DynamoDB refused the request ({status}, {code})")
            }
            Failure::Malformed { status, reason } => {
                write!(f, "not an answer DynamoDB sends ({status}): {reason}")
            }
            Failure::Decode(e) => write!(f, "an item does not read as the model: {e}"),
        }
    }
}

impl core::error::Error for Failure {}

impl From<DecodeError> for Failure {
    fn from(e: DecodeError) -> Self {
        Failure::Decode(e)
    }
}

fn malformed(reason: &'static str) -> Failure {
    Failure::Malformed {
        status: 200,
        reason,
    }
}

/// A model (or any readable type) from an item.
fn decode<M: for<'a> DecodeFrom<ValueBufRef<'a>>>(item: &ValueBuf) -> Result<M, Failure> {
    M::decode(item.read()).map_err(Failure::Decode)
}

/// A value in DynamoDB JSON (`{"S":"..."}`, `{"M":{...}}`, ...).
fn value(json: &Json) -> Result<ValueBuf, Failure> {
    let typed = json.as_object().filter(|o| o.len() == 1);
    let Some((kind, v)) = typed.and_then(|o| o.first()) else {
        return Err(malformed("a value that is not DynamoDB JSON"));
    };
    let string = || {
        v.as_str()
            .ok_or(malformed("a value that is not DynamoDB JSON"))
    };
    let strings = || {
        v.as_array()
            .filter(|a| !a.is_empty())
            .ok_or(malformed("a set that is not a list of elements"))
    };
    Ok(match kind.as_str() {
        "S" => ValueBuf::S(string()?.into()),
        "N" => ValueBuf::N(number(string()?)?),
        "B" => ValueBuf::B(binary(string()?)?),
        "BOOL" => ValueBuf::Bool(
            v.as_bool()
                .ok_or(malformed("a BOOL that is not a boolean"))?,
        ),
        "NULL" if v.as_bool() == Some(true) => ValueBuf::Null,
        "L" => ValueBuf::L(
            v.as_array()
                .ok_or(malformed("an L that is not a list"))?
                .iter()
                .map(value)
                .collect::<Result<_, _>>()?,
        ),
        "M" => ValueBuf::M(map(v)?),
        "SS" => ValueBuf::SS(
            strings()?
                .iter()
                .map(|e| e.as_str().map(String::from))
                .collect::<Option<_>>()
                .ok_or(malformed("a set element that is not a string"))?,
        ),
        "NS" => ValueBuf::NS(
            strings()?
                .iter()
                .map(|e| {
                    number(
                        e.as_str()
                            .ok_or(malformed("a set element that is not a string"))?,
                    )
                })
                .collect::<Result<_, _>>()?,
        ),
        "BS" => ValueBuf::BS(
            strings()?
                .iter()
                .map(|e| {
                    binary(
                        e.as_str()
                            .ok_or(malformed("a set element that is not a string"))?,
                    )
                })
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(malformed("a value of a type DynamoDB does not have")),
    })
}

fn number(text: &str) -> Result<Number, Failure> {
    text.parse()
        .map_err(|_| malformed("an N that is not a number"))
}

fn binary(text: &str) -> Result<Vec<u8>, Failure> {
    base64(text, Alphabet::Standard).ok_or(malformed("a B that is not base64"))
}

/// The members of a map in DynamoDB JSON (an item, a key).
fn map(json: &Json) -> Result<BTreeMap<String, ValueBuf>, Failure> {
    let mut map = BTreeMap::new();
    // Inserted one by one: collecting a map sorts its members first, 3 KB more of WASM.
    for (name, v) in json
        .as_object()
        .ok_or(malformed("an item that is not an object"))?
    {
        map.insert(name.clone(), value(v)?);
    }
    Ok(map)
}

fn item(json: &Json) -> Result<ValueBuf, Failure> {
    map(json).map(ValueBuf::M)
}

fn text(o: &Json, names: &[&str]) -> String {
    names
        .iter()
        .find_map(|n| o.get(n).and_then(Json::as_str))
        .unwrap_or_default()
        .into()
}

/// The failure an error body names.
fn failure(status: u16, body: &[u8]) -> Failure {
    let o = match json::parse(body) {
        Ok(o @ Json::Object(_)) => o,
        _ => {
            return if status >= 500 {
                Failure::Unavailable {
                    status,
                    code: None,
                    message: String::new(),
                }
            } else {
                Failure::Malformed {
                    status,
                    reason: "an error that is not JSON",
                }
            };
        }
    };
    let kind = o.get("__type").and_then(Json::as_str);
    let code = kind.map(|kind| kind.rsplit('#').next().unwrap_or(kind));
    let message = text(&o, &["message", "Message"]);
    let Some(code) = code else {
        if status >= 500 {
            return unavailable(status, None, message);
        }
        return Failure::Malformed {
            status,
            reason: "an error without a __type",
        };
    };
    // The parts the classification reads: a false condition's item, a cancellation's
    // reasons (each read only where the code says the answer carries it).
    let stored = |json: Option<&Json>| json.map(item).transpose();
    // A server error's body is not read for parts: its outcome is unknown whatever it says.
    let carries = if status >= 500 {
        Code::Other
    } else {
        Code::of_answer(code)
    };
    let old = match carries {
        Code::ConditionFalse => match stored(o.get("Item")) {
            Ok(item) => Some(item),
            Err(e) => return with_status(e, status),
        },
        _ => None,
    };
    let raw: &[Json] = match carries {
        Code::Cancelled => o
            .get("CancellationReasons")
            .and_then(Json::as_array)
            .unwrap_or(&[]),
        _ => &[],
    };
    let mut reasons = Vec::with_capacity(raw.len());
    for r in raw {
        if r.as_object().is_none() {
            return with_status(malformed("a reason that is not an object"), status);
        }
        match stored(r.get("Item")) {
            Ok(item) => reasons.push((
                r.get("Code").and_then(Json::as_str),
                r.get("Message").and_then(Json::as_str),
                Some(item),
            )),
            Err(e) => return with_status(e, status),
        }
    }
    match op::hear(Some(status), Some(code), old, reasons, &op::Values) {
        Heard::ConditionFalse(stored) => Failure::ConditionFalse {
            item: match stored {
                Stored::Item(item) => Some(Box::new(item)),
                _ => None,
            },
        },
        Heard::Cancelled(members) => Failure::TransactionCanceled {
            reasons: members
                .into_iter()
                .map(|m| Reason {
                    index: m.index,
                    code: m.name,
                    message: m.message,
                    stored: match m.stored {
                        Stored::Item(item) => Some(item),
                        _ => None,
                    },
                })
                .collect(),
        },
        Heard::Throttled => Failure::Throttled {
            code: code.into(),
            message,
        },
        Heard::Validation => Failure::Validation { message },
        Heard::NotFound => Failure::NotFound { message },
        Heard::Unavailable => unavailable(status, Some(code), message),
        _ => Failure::Service {
            status,
            code: code.into(),
            message,
        },
    }
}

/// A server error, whatever its body: the request's outcome is unknown, and sending it again
/// may be answered.
fn unavailable(status: u16, code: Option<&str>, message: String) -> Failure {
    Failure::Unavailable {
        status,
        code: code.map(String::from),
        message,
    }
}

fn with_status(e: Failure, status: u16) -> Failure {
    match e {
        Failure::Malformed { reason, .. } => Failure::Malformed { status, reason },
        other => other,
    }
}

impl Answer {
    /// The answer of a response: `Ok` for a `200` whose body is a JSON object, the
    /// [`Failure`] its status and body name otherwise.
    ///
    /// ```
    /// use awstin_core::wire::{Answer, Failure};
    /// assert!(Answer::read(200, b"{}").is_ok());
    /// assert!(matches!(Answer::read(200, b"{\"Item\":"), Err(Failure::Malformed { .. })));
    /// ```
    pub fn read(status: u16, body: &[u8]) -> Result<Answer, Failure> {
        if status != 200 {
            return Err(failure(status, body));
        }
        match json::parse(body) {
            Ok(body @ Json::Object(_)) => Ok(Answer { body }),
            _ => Err(malformed("a body that is not a JSON object")),
        }
    }

    /// The one item of a GetItem (`Item`), or of a write that returns one (`Attributes`: an
    /// update's item after it, a delete's item before it); `None` when there is none.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let none: Option<Movie> = awstin_core::wire::Answer::read(200, b"{}")?.item()?;
    /// assert_eq!(none, None);
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn item<M: for<'a> DecodeFrom<ValueBufRef<'a>>>(&self) -> Result<Option<M>, Failure> {
        match self
            .body
            .get("Item")
            .or_else(|| self.body.get("Attributes"))
        {
            Some(json) => decode(&item(json)?).map(Some),
            None => Ok(None),
        }
    }

    /// A write's answer as the reply [`op::settle`] settles (the one settlement of both
    /// backends): `result` is [`Answer::read`]'s; an applied write with the attributes it
    /// returned, a false condition with the stored item (the wire's writes ask for it), a
    /// cancelled transaction's members; another failure stays `Err`.
    ///
    /// ```
    /// use awstin_core::ValueBuf;
    /// use awstin_core::op::{self, Attempts, Reply, Sent, Settled, Values};
    /// use awstin_core::wire::Answer;
    /// let body = br#"{"__type":"x#ConditionalCheckFailedException","Item":{"id":{"S":"a"}}}"#;
    /// let reply = Answer::reply(Answer::read(400, body))?;
    /// let settled = op::settle(reply, Sent::<ValueBuf>::Delete, None, Attempts::default(), &Values);
    /// assert!(matches!(settled, Ok(Settled::ConditionFalse(_))));
    /// assert!(matches!(Answer::reply(Answer::read(200, b"{}"))?, Reply::Done(None)));
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn reply(result: Result<Answer, Failure>) -> Result<op::Reply<ValueBuf>, Failure> {
        match result {
            Ok(answer) => match answer.body.get("Attributes") {
                Some(json) => Ok(op::Reply::Done(Some(item(json)?))),
                None => Ok(op::Reply::Done(None)),
            },
            Err(Failure::ConditionFalse { item }) => Ok(op::Reply::ConditionFalse(match item {
                Some(item) => Stored::Item(*item),
                None => Stored::Absent,
            })),
            Err(Failure::TransactionCanceled { reasons }) => Ok(op::Reply::Cancelled(
                reasons
                    .into_iter()
                    .map(|r| op::Cancel {
                        index: r.index,
                        code: Code::of(&r.code),
                        name: r.code,
                        message: r.message,
                        stored: r.stored.map_or(Stored::Absent, Stored::Item),
                    })
                    .collect(),
            )),
            Err(other) => Err(other),
        }
    }

    /// The items of a Query or Scan page (`Items`), in the order DynamoDB returned them.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let body = br#"{"Items":[{"year":{"N":"2013"},"title":{"S":"Rush"}}],"Count":1,"ScannedCount":1}"#;
    /// let page = awstin_core::wire::Answer::read(200, body)?;
    /// assert_eq!(page.items::<Movie>()?, vec![Movie { year: 2013, title: "Rush".into() }]);
    /// assert_eq!(page.count(), Some(1));
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn items<M: for<'a> DecodeFrom<ValueBufRef<'a>>>(&self) -> Result<Vec<M>, Failure> {
        match self.body.get("Items") {
            Some(Json::Array(items)) => items.iter().map(|i| decode(&item(i)?)).collect(),
            Some(_) => Err(malformed("Items that are not a list")),
            None => Ok(Vec::new()),
        }
    }

    /// The items a BatchGetItem read from `table` (`Responses`), in no particular order.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { #[derive(Debug, PartialEq)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let body = br#"{"Responses":{"Movies":[{"year":{"N":"2013"},"title":{"S":"Rush"}}]},"UnprocessedKeys":{}}"#;
    /// let movies: Vec<Movie> = awstin_core::wire::Answer::read(200, body)?.responses("Movies")?;
    /// assert_eq!(movies.len(), 1);
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn responses<M: for<'a> DecodeFrom<ValueBufRef<'a>>>(
        &self,
        table: &str,
    ) -> Result<Vec<M>, Failure> {
        match self.body.get("Responses").map(|r| r.get(table)) {
            Some(Some(Json::Array(items))) => items.iter().map(|i| decode(&item(i)?)).collect(),
            Some(Some(_)) => Err(malformed("Responses that are not lists of items")),
            Some(None) | None => Ok(Vec::new()),
        }
    }

    /// DynamoDB's `Count`: the items a read returned (after its filter).
    ///
    /// ```
    /// assert_eq!(awstin_core::wire::Answer::read(200, br#"{"Count":3}"#)?.count(), Some(3));
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn count(&self) -> Option<u64> {
        self.body.get("Count").and_then(Json::as_u64)
    }

    /// The key a read stopped at (`LastEvaluatedKey`): `None` after the last page.
    ///
    /// ```
    /// let a = awstin_core::wire::Answer::read(200, br#"{"LastEvaluatedKey":{"year":{"N":"2013"}}}"#)?;
    /// assert_eq!(a.last_key()?.map(|k| k.len()), Some(1));
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn last_key(&self) -> Result<Option<StartKey>, Failure> {
        match self.body.get("LastEvaluatedKey") {
            Some(json) => map(json).map(Some),
            None => Ok(None),
        }
    }

    /// The cursor of the next page of a read of model `M` from `table` (the name the read
    /// used), signed with `key` if given: the cursors of the `awstin` crate's pages, read back
    /// by [`start_of`](crate::protocol::cursor::start_of) for [`ReadSpec::after`](crate::op::ReadSpec::after)
    /// and by the tables' `page`. `None` after the last
    /// page. (A page that stops at its limit just before the end is followed by an empty one.)
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let a = awstin_core::wire::Answer::read(200, br#"{"Items":[],"LastEvaluatedKey":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#)?;
    /// let next = a.next::<Movie>("Movies", None)?.expect("a next page");
    /// assert!(awstin_core::wire::start_of::<Movie>("Movies", &next, None).is_ok());
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn next<M: Model>(
        &self,
        table: &str,
        key: Option<&CursorKey>,
    ) -> Result<Option<String>, Failure> {
        match self.last_key()? {
            Some(last) => cursor_of::<M>(table, &last, key)
                .map(Some)
                .map_err(|_| malformed("a LastEvaluatedKey that is not of the model's key")),
            None => Ok(None),
        }
    }

    /// What a BatchWriteItem or BatchGetItem left unprocessed, as the request that sends it
    /// again (`UnprocessedItems` and `UnprocessedKeys` have the shape of `RequestItems`):
    /// `None` when everything was processed. Send it after a backoff; see the retry loop in
    /// the [module documentation](super).
    ///
    /// ```
    /// let a = awstin_core::wire::Answer::read(200, br#"{"UnprocessedItems":{"Movies":[{"DeleteRequest":{"Key":{"year":{"N":"1"}}}}]}}"#)?;
    /// let again = a.unprocessed()?.expect("one request left");
    /// assert_eq!(again.target, "DynamoDB_20120810.BatchWriteItem");
    /// assert_eq!(again.body, r#"{"RequestItems":{"Movies":[{"DeleteRequest":{"Key":{"year":{"N":"1"}}}}]}}"#);
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn unprocessed(&self) -> Result<Option<Wire>, Failure> {
        let (target, rest) = match (
            self.body.get("UnprocessedItems"),
            self.body.get("UnprocessedKeys"),
        ) {
            (Some(rest), None) => ("DynamoDB_20120810.BatchWriteItem", rest),
            (None, Some(rest)) => ("DynamoDB_20120810.BatchGetItem", rest),
            (None, None) => return Ok(None),
            (Some(_), Some(_)) => return Err(malformed("both unprocessed items and keys")),
        };
        let tables = rest
            .as_object()
            .ok_or(malformed("unprocessed requests that are not an object"))?;
        // Every request left is checked to be DynamoDB JSON before it is sent again; a table
        // with nothing left is not named.
        let mut left = Vec::new();
        for (table, requests) in tables {
            if check_requests(target, requests)? > 0 {
                left.push((table.clone(), requests.clone()));
            }
        }
        if left.is_empty() {
            return Ok(None);
        }
        let mut body = String::from(r#"{"RequestItems":"#);
        Json::Object(left).write(&mut body);
        body.push('}');
        Ok(Some(Wire { target, body }))
    }

    /// The capacity the request consumed, per table, when it asked
    /// ([`Wire::consumed_capacity`]); empty when it did not.
    ///
    /// ```
    /// let a = awstin_core::wire::Answer::read(200, br#"{"ConsumedCapacity":{"TableName":"Movies","CapacityUnits":0.5}}"#)?;
    /// assert_eq!(a.consumed()?[0].units, 0.5);
    /// # Ok::<(), awstin_core::wire::Failure>(())
    /// ```
    pub fn consumed(&self) -> Result<Vec<Consumed>, Failure> {
        let one = |c: &Json| {
            if c.as_object().is_none() {
                return Err(malformed("consumed capacity that is not an object"));
            }
            Ok(Consumed {
                table: text(c, &["TableName"]),
                units: c
                    .get("CapacityUnits")
                    .and_then(Json::as_f64)
                    .ok_or(malformed("consumed capacity without units"))?,
            })
        };
        match self.body.get("ConsumedCapacity") {
            None => Ok(Vec::new()),
            Some(Json::Array(all)) => all.iter().map(one).collect(),
            Some(c) => Ok(alloc::vec![one(c)?]),
        }
    }
}

/// The requests of one table left unprocessed are DynamoDB JSON: puts and deletes of items
/// and keys (BatchWriteItem), or a `Keys` list (BatchGetItem). The number of them.
fn check_requests(target: &str, requests: &Json) -> Result<usize, Failure> {
    if target.ends_with("BatchWriteItem") {
        let requests = requests
            .as_array()
            .ok_or(malformed("unprocessed requests that are not a list"))?;
        for r in requests {
            match (
                r.get("PutRequest").and_then(|p| p.get("Item")),
                r.get("DeleteRequest").and_then(|d| d.get("Key")),
            ) {
                (Some(json), None) | (None, Some(json)) => {
                    map(json)?;
                }
                _ => {
                    return Err(malformed(
                        "an unprocessed request that is not a put or delete",
                    ));
                }
            }
        }
        Ok(requests.len())
    } else {
        let keys = requests
            .get("Keys")
            .and_then(Json::as_array)
            .ok_or(malformed("unprocessed keys that are not a list"))?;
        for k in keys {
            map(k)?;
        }
        Ok(keys.len())
    }
}

impl Wire {
    /// The same request, asking DynamoDB for the capacity it consumes
    /// (`ReturnConsumedCapacity: TOTAL`), which [`Answer::consumed`] reads.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let get = awstin_core::op::ReadSpec::<Movie>::get("Movies", awstin_core::op::Key::of::<Movie, _>(&(2013, "Rush"))).build(awstin_core::wire::read)?.consumed_capacity();
    /// assert!(get.body.ends_with(r#","ReturnConsumedCapacity":"TOTAL"}"#));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[must_use]
    pub fn consumed_capacity(mut self) -> Wire {
        // A body made by this module ends with that member only when it already asks.
        if self.body.ends_with('}') && !self.body.ends_with(r#""ReturnConsumedCapacity":"TOTAL"}"#)
        {
            self.body.pop();
            if self.body.len() > 1 {
                self.body.push(',');
            }
            self.body.push_str(r#""ReturnConsumedCapacity":"TOTAL"}"#);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_other_than_200_is_never_an_answer() {
        assert!(matches!(
            Answer::read(404, b"{}"),
            Err(Failure::Malformed { status: 404, .. })
        ));
        assert!(matches!(
            Answer::read(502, b"Bad Gateway"),
            Err(Failure::Unavailable {
                status: 502,
                code: None,
                ..
            })
        ));
    }
}
