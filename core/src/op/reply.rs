//! Answers: a failed answer classified once from the parts every backend reads off its
//! transport ([`hear`], through the one table of DynamoDB's codes, [`Code`]), and the one place
//! a write's answer is settled into what the write did ([`settle`] for a write sent alone or
//! once, [`settle_members`] for a transaction), whatever the backend that sent it and the form
//! its items take ([`Items`]).

use alloc::string::String;
use alloc::vec::Vec;

use super::write::Lock;

/// What an error code of DynamoDB's says, read once for every backend: the code of an error
/// answer (`__type`'s last part, the SDK's `code()`) or of a cancelled transaction's member.
///
/// ```
/// use awstin_core::op::Code;
/// assert_eq!(Code::of("ConditionalCheckFailedException"), Code::ConditionFalse);
/// assert_eq!(Code::of("ConditionalCheckFailed"), Code::ConditionFalse, "a member's reason");
/// assert_eq!(Code::of("ThrottlingException"), Code::Throttled);
/// assert_eq!(Code::of("None"), Code::NoFailure);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// A write's condition was false (`ConditionalCheckFailedException`; a member's
    /// `ConditionalCheckFailed`).
    ConditionFalse,
    /// A transaction was cancelled, with a reason per member
    /// (`TransactionCanceledException`).
    Cancelled,
    /// Throttled: nothing was done; send again after a backoff
    /// (`ProvisionedThroughputExceededException`, `ThrottlingException`,
    /// `RequestLimitExceeded`, a member's `ThrottlingError`).
    Throttled,
    /// DynamoDB refused the request as written (`ValidationException`, a member's
    /// `ValidationError`).
    Validation,
    /// No such table or index (`ResourceNotFoundException`).
    NotFound,
    /// Another transaction was working on the item (a member's `TransactionConflict`,
    /// `TransactionConflictException`).
    TransactionConflict,
    /// A cancelled transaction's member that did not fail (`None`).
    NoFailure,
    /// Any other code.
    Other,
}

impl Code {
    /// The meaning of an error answer's code (`__type`'s last part, the SDK's `code()`): the
    /// exceptions DynamoDB answers with. A member's reason code (`ConditionalCheckFailed`,
    /// `ThrottlingError`, `None`, ...) is no answer's: [`Code::Other`] here.
    ///
    /// ```
    /// use awstin_core::op::Code;
    /// assert_eq!(Code::of_answer("ConditionalCheckFailedException"), Code::ConditionFalse);
    /// assert_eq!(Code::of_answer("ConditionalCheckFailed"), Code::Other);
    /// ```
    pub fn of_answer(code: &str) -> Code {
        // An answer's codes are exceptions (and `RequestLimitExceeded`); a member's are not.
        if code.ends_with("Exception") || code == "RequestLimitExceeded" {
            Code::of(code)
        } else {
            Code::Other
        }
    }

    /// The meaning of `code`.
    pub fn of(code: &str) -> Code {
        match code {
            "ConditionalCheckFailedException" | "ConditionalCheckFailed" => Code::ConditionFalse,
            "TransactionCanceledException" => Code::Cancelled,
            "ProvisionedThroughputExceededException"
            | "ThrottlingException"
            | "RequestLimitExceeded"
            | "ThrottlingError"
            | "ProvisionedThroughputExceeded" => Code::Throttled,
            "ValidationException" | "ValidationError" => Code::Validation,
            "ResourceNotFoundException" => Code::NotFound,
            "TransactionConflict" | "TransactionConflictException" => Code::TransactionConflict,
            "None" => Code::NoFailure,
            _ => Code::Other,
        }
    }

    /// Whether sending the same request again after a backoff may succeed and cannot do twice
    /// what was done once.
    ///
    /// ```
    /// assert!(awstin_core::op::Code::Throttled.is_retryable());
    /// ```
    pub fn is_retryable(self) -> bool {
        matches!(self, Code::Throttled | Code::TransactionConflict)
    }
}

/// What settling an answer reads of the items of a backend (each backend holds items in its
/// own type, `I`): an item's stored version, and whether two items are the same.
pub trait Items<I> {
    /// The number stored in `attribute` of `item`, if it holds one that is a `u64`.
    fn version(&self, item: &I, attribute: &str) -> Option<u64>;
    /// Whether `a` and `b` are the same item: the same attributes, the same values.
    fn same(&self, a: &I, b: &I) -> bool;
    /// `true` for an item with no attributes (DynamoDB's "no item").
    fn is_empty(&self, item: &I) -> bool;
}

/// The items of the core's own backend, [`ValueBuf`](crate::values::value_buf::ValueBuf) maps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Values;

impl Items<crate::values::value_buf::ValueBuf> for Values {
    fn version(&self, item: &crate::values::value_buf::ValueBuf, attribute: &str) -> Option<u64> {
        match item {
            crate::values::value_buf::ValueBuf::M(members) => match members.get(attribute)? {
                crate::values::value_buf::ValueBuf::N(n) => u64::try_from(n.to_i128()?).ok(),
                _ => None,
            },
            _ => None,
        }
    }
    fn same(
        &self,
        a: &crate::values::value_buf::ValueBuf,
        b: &crate::values::value_buf::ValueBuf,
    ) -> bool {
        a == b
    }
    fn is_empty(&self, item: &crate::values::value_buf::ValueBuf) -> bool {
        matches!(item, crate::values::value_buf::ValueBuf::M(m) if m.is_empty())
    }
}

/// What DynamoDB held when it answered a write: not said, no item, or the item.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored<I> {
    /// Not known: no answer said.
    NotRead,
    /// DynamoDB answered that there was no item with the key.
    Absent,
    /// The item DynamoDB held when it answered (`ReturnValuesOnConditionCheckFailure = ALL_OLD`).
    Item(I),
}

impl<I> Stored<I> {
    /// The stored item of an answer: `None` when the answer did not carry the request for it,
    /// an empty item as no item.
    ///
    /// ```
    /// use awstin_core::{ValueBuf, op::{Stored, Values}};
    /// assert_eq!(Stored::<ValueBuf>::of(Some(None), &Values), Stored::Absent);
    /// assert_eq!(Stored::<ValueBuf>::of(None, &Values), Stored::NotRead);
    /// ```
    pub fn of(answer: Option<Option<I>>, items: &impl Items<I>) -> Stored<I> {
        match answer {
            Some(Some(item)) if !items.is_empty(&item) => Stored::Item(item),
            Some(_) => Stored::Absent,
            None => Stored::NotRead,
        }
    }
}

/// What the last attempt of a write was answered with.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<I> {
    /// Applied; the attributes it returned (an update's item after, a delete's before).
    Done(Option<I>),
    /// The condition was false on what DynamoDB holds.
    ConditionFalse(Stored<I>),
    /// The transaction (or the write sent once, as one) was cancelled: the members that
    /// failed.
    Cancelled(Vec<Cancel<I>>),
}

/// One member of a cancelled transaction that failed: its position in the request, what its
/// code says, and the stored item a false condition carries. Members that did not fail
/// (`None`) are left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Cancel<I> {
    /// Position of the member in the transaction, in the order sent.
    pub index: usize,
    /// What the member's code says.
    pub code: Code,
    /// The code as DynamoDB sent it (`ConditionalCheckFailed`, `ThrottlingError`, ...).
    pub name: String,
    /// DynamoDB's message, if any.
    pub message: Option<String>,
    /// The stored item the member's reason carries.
    pub stored: Stored<I>,
}

/// A failed answer, classified: what DynamoDB's error says, with what it carried.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Heard<I> {
    /// A write's condition was false: the stored item the answer carries.
    ConditionFalse(Stored<I>),
    /// A transaction was cancelled: the members that failed.
    Cancelled(Vec<Cancel<I>>),
    /// Throttled: nothing was done.
    Throttled,
    /// DynamoDB refused the request as written.
    Validation,
    /// No such table or index.
    NotFound,
    /// A server error (status 500 and above), whatever its code: the outcome is unknown.
    Unavailable,
    /// Another error, or an answer that named none.
    Other,
}

impl<I> Heard<I> {
    /// The reply a write settles: a false condition or a cancellation; `None` for an error.
    ///
    /// ```
    /// use awstin_core::op::{Heard, Reply, Stored};
    /// assert_eq!(Heard::<()>::ConditionFalse(Stored::Absent).reply(), Some(Reply::ConditionFalse(Stored::Absent)));
    /// assert_eq!(Heard::<()>::Throttled.reply(), None);
    /// ```
    pub fn reply(self) -> Option<Reply<I>> {
        match self {
            Heard::ConditionFalse(stored) => Some(Reply::ConditionFalse(stored)),
            Heard::Cancelled(members) => Some(Reply::Cancelled(members)),
            _ => None,
        }
    }
}

/// The one place a failed answer is classified, for every backend and every operation, from
/// the parts each reads off its transport: the HTTP status (when known), the error's code
/// (`__type`'s last part, the SDK's `code()`), the stored item a false condition's answer
/// carries (`Some(None)`: it carried none), and a cancellation's reasons in order (each
/// member's code, message and stored item).
///
/// ```
/// use awstin_core::ValueBuf;
/// use awstin_core::op::{Cancel, Code, Heard, Stored, Values, hear};
/// let none = core::iter::empty::<(Option<&str>, Option<&str>, Option<Option<ValueBuf>>)>();
/// assert_eq!(hear(Some(400), Some("ThrottlingException"), None, none, &Values), Heard::Throttled);
/// let item = ValueBuf::M([("id".to_string(), ValueBuf::S("a".into()))].into());
/// let reasons = [(Some("None"), None, None), (Some("ConditionalCheckFailed"), None, Some(Some(item.clone())))];
/// let heard = hear(Some(400), Some("TransactionCanceledException"), None, reasons, &Values);
/// let Heard::Cancelled(members) = heard else { panic!("cancelled") };
/// assert_eq!((members.len(), members[0].index, members[0].code), (1, 1, Code::ConditionFalse));
/// assert_eq!(members[0].stored, Stored::Item(item));
/// ```
pub fn hear<'c, I>(
    status: Option<u16>,
    code: Option<&str>,
    stored: Option<Option<I>>,
    reasons: impl IntoIterator<Item = (Option<&'c str>, Option<&'c str>, Option<Option<I>>)>,
    items: &impl Items<I>,
) -> Heard<I> {
    if status.is_some_and(|s| s >= 500) {
        return Heard::Unavailable;
    }
    match code.map(Code::of_answer) {
        Some(Code::ConditionFalse) => Heard::ConditionFalse(Stored::of(stored, items)),
        Some(Code::Cancelled) => Heard::Cancelled(
            reasons
                .into_iter()
                .enumerate()
                .filter_map(|(index, (name, message, stored))| {
                    let name = name.unwrap_or("None");
                    let code = Code::of(name);
                    (code != Code::NoFailure).then(|| Cancel {
                        index,
                        code,
                        name: name.into(),
                        message: message.map(String::from),
                        stored: Stored::of(stored, items),
                    })
                })
                .collect(),
        ),
        Some(Code::Throttled) => Heard::Throttled,
        Some(Code::Validation) => Heard::Validation,
        Some(Code::NotFound) => Heard::NotFound,
        _ => Heard::Other,
    }
}

/// Which write was sent, for [`settle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sent<'i, I> {
    /// A put, with its item when it has a condition (a versioned put's, to tell it from
    /// another writer's).
    Put(Option<&'i I>),
    /// An update.
    Update,
    /// A delete.
    Delete,
    /// A condition check.
    Check,
}

/// What is known of the attempts of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attempts {
    /// An attempt before the last one got no definite answer: the last answer may describe
    /// the state that attempt left.
    pub earlier_unanswered: bool,
    /// Some attempt, the last included, got no definite answer.
    pub any_unanswered: bool,
    /// The request carries an idempotency token, whose repeats DynamoDB answers exactly.
    pub exact: bool,
}

/// How a write ended, settled.
#[derive(Debug, Clone, PartialEq)]
pub enum Settled<I> {
    /// Applied, with the attributes returned.
    Applied(Option<I>),
    /// The condition was false on this stored item.
    ConditionFalse(I),
    /// No item with the key.
    NoItem,
}

/// A write whose answer settles no outcome of its own.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsettled<I> {
    /// Not known whether it was applied; the stored item, as far as known.
    Unknown(Stored<I>),
    /// Optimistic locking refused the write: the stored version is not `expected`.
    Conflict {
        /// The version read (0: no item).
        expected: u64,
        /// What DynamoDB holds now.
        current: Stored<I>,
    },
    /// The answer lacked what the request asks for.
    Unexpected(&'static str),
    /// The transaction (or the write sent once) was cancelled for another reason than its
    /// condition: the members that failed.
    Cancelled(Vec<Cancel<I>>),
}

/// Whether what DynamoDB holds is at the version `lock` read: no item for 0.
///
/// ```
/// use awstin_core::op::{Lock, Stored, Values, holds};
/// assert!(holds::<awstin_core::ValueBuf>(Lock { attribute: "rev", read: 0 }, &Stored::Absent, &Values));
/// ```
pub fn holds<I>(lock: Lock, stored: &Stored<I>, items: &impl Items<I>) -> bool {
    match stored {
        Stored::Absent => lock.read == 0,
        Stored::Item(item) => {
            lock.read != 0 && items.version(item, lock.attribute) == Some(lock.read)
        }
        Stored::NotRead => false,
    }
}

/// The one place a write's answer is settled, whichever backend sent it.
///
/// A false condition is a fact unless an attempt before the last got no answer (and the
/// request has no token, whose retries are answered exactly): then the stored item may be this
/// write's own effect, or another caller's that looks the same, so an item equal to this
/// write's settles nothing. Only a versioned put that finds the version after its own stored
/// with other contents is settled (another writer moved the item on from the version read, so
/// this write's condition could not hold); anything else is [`Unsettled::Unknown`], with the
/// stored item. A write that must know sends a token, or carries what makes the stored item its
/// own (an idempotency claim's claim id) and reads the item the unknown outcome holds.
///
/// A fact is then read: a versioned write whose version no longer holds is
/// [`Unsettled::Conflict`]; a false condition on a stored item is
/// [`Settled::ConditionFalse`], on no item [`Settled::NoItem`]. An applied delete that
/// returned no item deleted nothing: [`Settled::NoItem`], unless an earlier attempt may have
/// deleted it (unknown).
///
/// ```
/// use awstin_core::ValueBuf;
/// use awstin_core::op::{Attempts, Reply, Sent, Settled, Stored, Unsettled, Values, settle};
/// let item = ValueBuf::M([("id".to_string(), ValueBuf::S("a".into()))].into());
/// // A false condition, as a fact.
/// let fact = settle(Reply::ConditionFalse(Stored::Item(item.clone())), Sent::Put(Some(&item)), None, Attempts::default(), &Values);
/// assert_eq!(fact, Ok(Settled::ConditionFalse(item.clone())));
/// // The same after an attempt that got no answer: the item may be this put's own.
/// let doubt = Attempts { earlier_unanswered: true, any_unanswered: true, exact: false };
/// let unknown = settle(Reply::ConditionFalse(Stored::Item(item.clone())), Sent::Put(Some(&item)), None, doubt, &Values);
/// assert_eq!(unknown, Err(Unsettled::Unknown(Stored::Item(item))));
/// ```
pub fn settle<I>(
    reply: Reply<I>,
    sent: Sent<'_, I>,
    lock: Option<Lock>,
    attempts: Attempts,
    items: &impl Items<I>,
) -> Result<Settled<I>, Unsettled<I>> {
    let doubt = !attempts.exact && attempts.earlier_unanswered;
    let delete = matches!(sent, Sent::Delete | Sent::Check);
    // A write sent once goes as a one-member transaction: its false condition is a
    // cancellation whose one reason says so.
    let reply = match reply {
        Reply::Cancelled(mut members)
            if members.len() == 1 && members[0].code == Code::ConditionFalse =>
        {
            Reply::ConditionFalse(members.remove(0).stored)
        }
        other => other,
    };
    match reply {
        Reply::Cancelled(members) => Err(Unsettled::Cancelled(members)),
        Reply::Done(None) if delete && !attempts.exact => {
            if doubt && lock.is_none() {
                // The earlier attempt may have deleted what this one did not find.
                Err(Unsettled::Unknown(Stored::Absent))
            } else if lock.is_some() {
                Ok(Settled::Applied(None))
            } else {
                Ok(Settled::NoItem)
            }
        }
        Reply::Done(attributes) => Ok(Settled::Applied(attributes)),
        Reply::ConditionFalse(stored) => {
            if doubt {
                return match (sent, &stored, lock) {
                    (Sent::Put(Some(ours)), Stored::Item(now), Some(lock))
                        if !items.same(now, ours)
                            && items.version(now, lock.attribute) == lock.read.checked_add(1) =>
                    {
                        Err(Unsettled::Conflict {
                            expected: lock.read,
                            current: stored,
                        })
                    }
                    _ => Err(Unsettled::Unknown(stored)),
                };
            }
            if let Some(lock) = lock
                && !holds(lock, &stored, items)
            {
                return Err(Unsettled::Conflict {
                    expected: lock.read,
                    current: stored,
                });
            }
            match stored {
                Stored::Item(item) => Ok(Settled::ConditionFalse(item)),
                Stored::Absent => Ok(Settled::NoItem),
                Stored::NotRead => Err(Unsettled::Unexpected(
                    "the stored item of a false condition",
                )),
            }
        }
    }
}

/// A request not confirmed applied after its last attempt failed, or that a batch returned
/// unprocessed until the attempts ran out: unknown when some attempt that carried it got no
/// definite answer (it may have been applied), else not applied. The rule of single writes and
/// of batch requests alike.
///
/// ```
/// use awstin_core::op::{Attempts, Unconfirmed, unconfirmed};
/// assert_eq!(unconfirmed(Attempts::default()), Unconfirmed::NotApplied);
/// assert_eq!(unconfirmed(Attempts { any_unanswered: true, ..Attempts::default() }), Unconfirmed::Unknown);
/// ```
pub fn unconfirmed(attempts: Attempts) -> Unconfirmed {
    if attempts.any_unanswered {
        Unconfirmed::Unknown
    } else {
        Unconfirmed::NotApplied
    }
}

/// What [`unconfirmed`] says of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unconfirmed {
    /// Not applied: every attempt was answered.
    NotApplied,
    /// May or may not have been applied.
    Unknown,
}

/// The one place a transaction's answer is settled: applied, or a cancellation whose only
/// failures are versioned members whose version no longer holds is a conflict (the first such
/// member's, with what it found), or another cancellation with the members that failed.
/// `locks` gives each member's lock, in the order sent. A transaction carries a token, so its
/// answer is exact under retries.
///
/// ```
/// use awstin_core::ValueBuf;
/// use awstin_core::op::{Cancel, Code, Lock, Reply, Stored, Unsettled, Values, settle_members};
/// let lock = Lock { attribute: "rev", read: 0 };
/// let other = ValueBuf::M([("rev".to_string(), ValueBuf::N(1u8.into()))].into());
/// let member = Cancel {
///     index: 0,
///     code: Code::ConditionFalse,
///     name: "ConditionalCheckFailed".into(),
///     message: None,
///     stored: Stored::Item(other.clone()),
/// };
/// let cancelled = Reply::Cancelled(vec![member]);
/// assert_eq!(
///     settle_members(cancelled, &[Some(lock)], &Values),
///     Err(Unsettled::Conflict { expected: 0, current: Stored::Item(other) }),
/// );
/// assert_eq!(settle_members(Reply::<ValueBuf>::Done(None), &[None], &Values), Ok(()));
/// ```
pub fn settle_members<I>(
    reply: Reply<I>,
    locks: &[Option<Lock>],
    items: &impl Items<I>,
) -> Result<(), Unsettled<I>> {
    let mut members = match reply {
        Reply::Done(_) => return Ok(()),
        Reply::ConditionFalse(_) => {
            return Err(Unsettled::Unexpected(
                "the reasons of a cancelled transaction",
            ));
        }
        Reply::Cancelled(members) => members,
    };
    let lock_of = |c: &Cancel<I>| locks.get(c.index).copied().flatten();
    let conflicting = |c: &Cancel<I>| {
        c.code == Code::ConditionFalse
            && lock_of(c).is_some_and(|lock| !holds(lock, &c.stored, items))
    };
    if members.iter().all(conflicting)
        && let Some(lock) = members.first().and_then(lock_of)
    {
        return Err(Unsettled::Conflict {
            expected: lock.read,
            current: members.swap_remove(0).stored,
        });
    }
    Err(Unsettled::Cancelled(members))
}
