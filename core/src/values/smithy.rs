//! `aws-smithy-types` values as attributes (feature `aws-smithy-types`): the SDK's own
//! `DateTime` and `Blob` go straight into models.
//!
//! - `DateTime` is stored as a number of seconds since the Unix epoch, exactly (fractions of
//!   a second as decimals): what DynamoDB's time to live reads.
//! - [`Iso8601`] wraps a `DateTime` stored as an ISO-8601 string (`2024-02-29T12:30:00Z`),
//!   which sorts as text in time order.
//! - `Blob` is binary (`B`), interchangeable with [`BinaryBuf`](crate::values::value::BinaryBuf).

use alloc::string::String;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::{Blob, DateTime};

use crate::values::decode::{DecodeError, DecodeErrorKind, DecodeFrom, ValueRead};
use crate::values::value::{DynamoType, Encode, Sink};
use crate::{error::Error, values::kind, values::number::Number};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

impl Encode for Blob {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.binary(self.as_ref())
    }
}
impl DynamoType for Blob {
    type Kind = kind::B;
}
impl<R: ValueRead> DecodeFrom<R> for Blob {
    fn decode(value: R) -> Result<Self, DecodeError> {
        value
            .as_binary()
            .map(Blob::new)
            .ok_or(DecodeError::wrong_type("B", value.attribute_type()))
    }
}

/// The exact number of seconds since the epoch.
fn epoch_seconds(t: &DateTime) -> Result<Number, Error> {
    let nanos = i128::from(t.secs()) * NANOS_PER_SECOND + i128::from(t.subsec_nanos());
    Number::from_parts(nanos < 0, nanos.unsigned_abs(), -9)
}

impl Encode for DateTime {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.number(epoch_seconds(self)?)
    }
}
impl DynamoType for DateTime {
    type Kind = kind::N;
}
impl<R: ValueRead> DecodeFrom<R> for DateTime {
    fn decode(value: R) -> Result<Self, DecodeError> {
        let out_of_range = || DecodeError::new(DecodeErrorKind::OutOfRange { target: "DateTime" });
        let n = value
            .number()
            .ok_or(DecodeError::wrong_type("N", value.attribute_type()))?
            .map_err(|e| DecodeError::new(DecodeErrorKind::Number(e)))?;
        // The value in nanoseconds: mantissa × 10^(exponent + 9), a whole number.
        let shift = i32::try_from(i64::from(n.exponent()) + 9).map_err(|_| out_of_range())?;
        let magnitude = if shift >= 0 {
            10i128
                .checked_pow(shift.unsigned_abs())
                .and_then(|p| i128::try_from(n.mantissa()).ok()?.checked_mul(p))
        } else {
            None
        }
        .ok_or_else(out_of_range)?;
        let nanos = if n.is_negative() {
            -magnitude
        } else {
            magnitude
        };
        let secs = i64::try_from(nanos.div_euclid(NANOS_PER_SECOND)).map_err(|_| out_of_range())?;
        let subsec =
            u32::try_from(nanos.rem_euclid(NANOS_PER_SECOND)).map_err(|_| out_of_range())?;
        Ok(DateTime::from_secs_and_nanos(secs, subsec))
    }
}

/// A `DateTime` stored as an ISO-8601 string (RFC 3339, UTC: `2024-02-29T12:30:00Z`) rather
/// than as epoch seconds.
///
/// ```
/// use aws_smithy_types::DateTime;
/// use awstin_core::Iso8601;
/// awstin_macros::dynamo_model! {
///     #[derive(Debug, PartialEq)]
///     pub struct Session { table "Sessions"; key id: String; attr started: Iso8601; attr expires: DateTime }
/// }
/// let t = Iso8601(DateTime::from_secs(1_709_209_800));
/// assert_eq!(t.to_string(), "2024-02-29T12:30:00Z");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Iso8601(pub DateTime);

impl Iso8601 {
    fn text(&self) -> Result<String, Error> {
        self.0.fmt(Format::DateTime).map_err(|_| Error::WrongType {
            expected: "a date between the years 0001 and 9999",
        })
    }
}

impl core::fmt::Display for Iso8601 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.text().map_err(|_| core::fmt::Error)?)
    }
}

impl Encode for Iso8601 {
    fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
        sink.string(&self.text()?)
    }
}
impl DynamoType for Iso8601 {
    type Kind = kind::S;
}
impl<R: ValueRead> DecodeFrom<R> for Iso8601 {
    fn decode(value: R) -> Result<Self, DecodeError> {
        let text = value
            .as_str()
            .ok_or(DecodeError::wrong_type("S", value.attribute_type()))?;
        DateTime::from_str(text, Format::DateTime)
            .map(Iso8601)
            .map_err(|_| {
                DecodeError::new(DecodeErrorKind::Malformed {
                    expected: "an ISO-8601 date and time",
                })
            })
    }
}

impl crate::values::ttl::Ttl {
    /// The time to live at `time`, in whole seconds: a fraction of a second rounds up, so the
    /// item lives at least until `time`; a time before the epoch is the epoch.
    ///
    /// ```
    /// use aws_smithy_types::DateTime;
    /// let at = awstin_core::Ttl::from_datetime(&DateTime::from_secs_and_nanos(1_754_000_000, 1))?;
    /// assert_eq!(at.secs(), 1_754_000_001);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn from_datetime(time: &DateTime) -> Result<crate::values::ttl::Ttl, Error> {
        let secs = u64::try_from(time.secs()).unwrap_or(0);
        let up = u64::from(time.secs() >= 0 && time.subsec_nanos() > 0);
        crate::values::ttl::Ttl::from_secs(secs.saturating_add(up))
    }

    /// The time to live as a `DateTime`.
    ///
    /// ```
    /// let at = awstin_core::Ttl::from_secs(60)?;
    /// assert_eq!(at.to_datetime().secs(), 60);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn to_datetime(self) -> DateTime {
        // At most `Ttl::MAX_SECS`, which an `i64` holds.
        DateTime::from_secs(i64::try_from(self.secs()).unwrap_or(i64::MAX))
    }
}

// The SDK's own types read by value too, so that a model with a date or a blob decodes every
// way (a conflict's current item, stream images, `from_item_owned`).
crate::values::decode::through_view!(aws_smithy_types::Blob, aws_smithy_types::DateTime, Iso8601);

/// An `Iso8601` is its ISO-8601 text (`2026-12-07T14:00:00Z`); another text is refused.
///
/// ```
/// use awstin_core::Iso8601;
/// let at = Iso8601(aws_smithy_types::DateTime::from_secs(1_700_000_000));
/// assert_eq!(serde_json::to_string(&at)?, r#""2023-11-14T22:13:20Z""#);
/// assert_eq!(serde_json::from_str::<Iso8601>(r#""2023-11-14T22:13:20Z""#)?, at);
/// assert!(serde_json::from_str::<Iso8601>(r#""yesterday""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for Iso8601 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Iso8601 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Iso8601, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Iso8601;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an ISO-8601 date and time")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Iso8601, E> {
                DateTime::from_str(text, Format::DateTime)
                    .map(Iso8601)
                    .map_err(|_| E::custom("not an ISO-8601 date and time"))
            }
        }
        deserializer.deserialize_str(Text)
    }
}
