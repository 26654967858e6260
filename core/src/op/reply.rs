//! Answers: DynamoDB's error codes read once ([`Code`]), and the one place a write's answer
//! is settled ([`settle`]) into what the write did, whatever the backend that sent it and the
//! form its items take ([`Items`]).

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

/// The items of the core's own backend, [`ValueBuf`](crate::ValueBuf) maps.
#[derive(Debug, Clone, Copy, Default)]
pub struct Values;

impl Items<crate::ValueBuf> for Values {
    fn version(&self, item: &crate::ValueBuf, attribute: &str) -> Option<u64> {
        match item {
            crate::ValueBuf::M(members) => match members.get(attribute)? {
                crate::ValueBuf::N(n) => u64::try_from(n.to_i128()?).ok(),
                _ => None,
            },
            _ => None,
        }
    }
    fn same(&self, a: &crate::ValueBuf, b: &crate::ValueBuf) -> bool {
        a == b
    }
    fn is_empty(&self, item: &crate::ValueBuf) -> bool {
        matches!(item, crate::ValueBuf::M(m) if m.is_empty())
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
    match reply {
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

/// A cancelled transaction whose only failures are versioned members whose version no longer
/// holds is a conflict: the first such member's index, with its lock and what it found.
/// `reasons` gives each member's code and stored item, in order; `locks` each member's lock.
///
/// ```
/// use awstin_core::ValueBuf;
/// use awstin_core::op::{Lock, Stored, Values, version_conflict};
/// let lock = Lock { attribute: "rev", read: 0 };
/// let other = ValueBuf::M([("rev".to_string(), ValueBuf::N(1u8.into()))].into());
/// let reasons = [("ConditionalCheckFailed", Stored::Item(other))];
/// let found = version_conflict(&reasons, &[Some(lock)], &Values);
/// assert_eq!(found.map(|(i, l, _)| (i, l.read)), Some((0, 0)));
/// ```
pub fn version_conflict<'r, I>(
    reasons: &'r [(&'r str, Stored<I>)],
    locks: &[Option<Lock>],
    items: &impl Items<I>,
) -> Option<(usize, Lock, &'r Stored<I>)> {
    let failed: alloc::vec::Vec<usize> = reasons
        .iter()
        .enumerate()
        .filter(|(_, (code, _))| Code::of(code) != Code::NoFailure)
        .map(|(i, _)| i)
        .collect();
    let conflicting = |i: &usize| {
        let (code, stored) = &reasons[*i];
        Code::of(code) == Code::ConditionFalse
            && locks
                .get(*i)
                .copied()
                .flatten()
                .is_some_and(|lock| !holds(lock, stored, items))
    };
    if failed.is_empty() || !failed.iter().all(conflicting) {
        return None;
    }
    let first = failed[0];
    let lock = locks.get(first).copied().flatten()?;
    Some((first, lock, &reasons[first].1))
}
