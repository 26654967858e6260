//! A time to live: when DynamoDB may delete an item, in whole seconds since the Unix epoch.
//!
//! DynamoDB's TTL reads a number attribute as seconds since the epoch and ignores items whose
//! value is not such a number. A value in milliseconds (`1754000000000`) is a date some 50,000
//! years away, and the item is never deleted: a recurring bug. [`Ttl`] holds whole seconds and
//! refuses values past the year 5138 ([`Ttl::MAX_SECS`]), which are milliseconds,
//! microseconds or nanoseconds, when built and when read.
//!
//! DynamoDB deletes an expired item within a few days of its time, not at it, and reads return
//! it until then: filter on the time to live to leave expired items out.

use crate::values::decode::{DecodeError, DecodeErrorKind, DecodeFrom, ValueRead};
use crate::values::value::{DynamoType, Encode, Sink};
use crate::{error::Error, values::kind, values::number::Number};

/// When DynamoDB may delete an item: whole seconds since the Unix epoch, as its TTL reads them.
///
/// ```
/// use awstin_core::Ttl;
/// let at = Ttl::from_secs(1_754_000_000)?;
/// assert_eq!(at.secs(), 1_754_000_000);
/// // Milliseconds are refused, not stored as a date 50,000 years away.
/// assert!(Ttl::from_secs(1_754_000_000_000).is_err());
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ttl(u64);

impl Ttl {
    /// The latest time to live taken: 99,999,999,999 seconds, in the year 5138. A larger
    /// value is a time in milliseconds (or finer), not seconds.
    pub const MAX_SECS: u64 = 99_999_999_999;

    /// A time to live of `secs` whole seconds since the epoch; [`Error::TtlNotSeconds`]
    /// past [`MAX_SECS`](Ttl::MAX_SECS).
    ///
    /// ```
    /// use awstin_core::{Error, Ttl};
    /// assert!(matches!(Ttl::from_secs(1_754_000_000_000_000), Err(Error::TtlNotSeconds { looks_like: "microseconds", .. })));
    /// ```
    pub const fn from_secs(secs: u64) -> Result<Ttl, Error> {
        if secs <= Ttl::MAX_SECS {
            Ok(Ttl(secs))
        } else {
            Err(Error::TtlNotSeconds {
                value: secs,
                looks_like: looks_like(secs),
            })
        }
    }

    /// The seconds since the epoch.
    ///
    /// ```
    /// assert_eq!(awstin_core::Ttl::from_secs(60)?.secs(), 60);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub const fn secs(self) -> u64 {
        self.0
    }

    /// Whether the time to live has passed at `now_secs` (seconds since the epoch): the item
    /// is expired and waits for DynamoDB to delete it.
    ///
    /// ```
    /// let at = awstin_core::Ttl::from_secs(100)?;
    /// assert!(!at.expired_at(100) && at.expired_at(101));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub const fn expired_at(self, now_secs: u64) -> bool {
        now_secs > self.0
    }
}

/// The types of a time-to-live attribute: [`Ttl`], and `Option<Ttl>` for items that may
/// never expire.
pub trait TtlAttribute {}
impl TtlAttribute for Ttl {}
impl TtlAttribute for Option<Ttl> {}

/// What a value past [`Ttl::MAX_SECS`] is, by its size.
const fn looks_like(value: u64) -> &'static str {
    if value <= 99_999_999_999_999 {
        "milliseconds"
    } else if value <= 99_999_999_999_999_999 {
        "microseconds"
    } else {
        "nanoseconds"
    }
}

#[cfg(feature = "std")]
mod std_times {
    extern crate std;
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::Ttl;
    use crate::error::Error;

    impl Ttl {
        /// The time to live at `time`, in whole seconds: a fraction of a second rounds up, so
        /// the item lives at least until `time`. A time before the epoch is the epoch (an item
        /// already expired).
        ///
        /// ```
        /// use std::time::{Duration, UNIX_EPOCH};
        /// let at = awstin_core::Ttl::at(UNIX_EPOCH + Duration::from_millis(1_500))?;
        /// assert_eq!(at.secs(), 2);
        /// # Ok::<(), awstin_core::Error>(())
        /// ```
        pub fn at(time: SystemTime) -> Result<Ttl, Error> {
            let since = time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
            let secs = since.as_secs() + u64::from(since.subsec_nanos() > 0);
            Ttl::from_secs(secs)
        }

        /// The time to live `duration` from now, rounded up to a whole second.
        ///
        /// ```
        /// use std::time::Duration;
        /// let in_a_day = awstin_core::Ttl::after(Duration::from_secs(86_400))?;
        /// assert!(!in_a_day.is_expired());
        /// # Ok::<(), awstin_core::Error>(())
        /// ```
        pub fn after(duration: Duration) -> Result<Ttl, Error> {
            let time = SystemTime::now()
                .checked_add(duration)
                .ok_or(Error::TtlNotSeconds {
                    value: duration.as_secs(),
                    looks_like: "a duration past the end of time",
                })?;
            Ttl::at(time)
        }

        /// Whether the time to live has passed now.
        ///
        /// ```
        /// assert!(awstin_core::Ttl::from_secs(1)?.is_expired());
        /// # Ok::<(), awstin_core::Error>(())
        /// ```
        pub fn is_expired(self) -> bool {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            self.expired_at(now)
        }

        /// The time to live as a `SystemTime`.
        ///
        /// ```
        /// use std::time::{Duration, UNIX_EPOCH};
        /// assert_eq!(awstin_core::Ttl::from_secs(9)?.to_system_time(), UNIX_EPOCH + Duration::from_secs(9));
        /// # Ok::<(), awstin_core::Error>(())
        /// ```
        pub fn to_system_time(self) -> SystemTime {
            UNIX_EPOCH + Duration::from_secs(self.0)
        }
    }
}

impl Encode for Ttl {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.number(Number::from(self.0))
    }
}

impl DynamoType for Ttl {
    type Kind = kind::N;
}

/// A stored number that is not whole seconds up to [`Ttl::MAX_SECS`] does not read as a
/// [`Ttl`]: DynamoDB would not expire the item at the time it seems to say.
impl<R: ValueRead> DecodeFrom<R> for Ttl {
    fn decode(value: R) -> Result<Self, DecodeError> {
        let refused = || {
            DecodeError::new(DecodeErrorKind::OutOfRange {
                target: "Ttl (whole seconds since the epoch, up to the year 5138)",
            })
        };
        let secs = <u64 as DecodeFrom<R>>::decode(value).map_err(|e| match e.kind {
            DecodeErrorKind::OutOfRange { .. } => refused(),
            _ => e,
        })?;
        Ttl::from_secs(secs).map_err(|_| refused())
    }
}

#[cfg(feature = "alloc")]
crate::values::decode::through_view!(Ttl);

/// A time to live is its seconds since the epoch, as DynamoDB stores it; one that is not
/// seconds (milliseconds, say) is refused as [`Ttl::from_secs`] refuses it.
///
/// ```
/// use awstin_core::Ttl;
/// let ttl = Ttl::from_secs(1_700_000_000)?;
/// assert_eq!(serde_json::to_string(&ttl)?, "1700000000");
/// assert_eq!(serde_json::from_str::<Ttl>("1700000000")?, ttl);
/// assert!(serde_json::from_str::<Ttl>("1700000000000").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for Ttl {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(self.0)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Ttl {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Ttl, D::Error> {
        let secs = <u64 as serde::Deserialize>::deserialize(deserializer)?;
        Ttl::from_secs(secs).map_err(serde::de::Error::custom)
    }
}
