//! Decimal numbers with DynamoDB's precision and range.
//!
//! DynamoDB numbers are decimals of up to 38 significant digits whose magnitude lies in
//! `1E-130 ..= 9.99…E+125` (or zero). [`Number`] stores exactly that: a `u128` mantissa of at most
//! 38 digits and a decimal exponent, so conversions never round silently and comparisons are
//! exact (not `f64` comparisons).

use core::cmp::Ordering;
use core::fmt::{self, Write as _};

use crate::error::Error;

pub use crate::limits::{MAX_DIGITS, MAX_EXPONENT, MIN_EXPONENT};

/// Decimal digits between the lowest possible exponent (-130 - 37) and the highest magnitude
/// (125), plus a carry digit.
const SPAN: usize = 300;

const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// A decimal number that DynamoDB accepts, stored exactly.
///
/// The value is `±mantissa × 10^exponent`, normalised (no trailing zeros in the mantissa, zero
/// has one representation), so `==`, `Hash` and `Ord` compare numeric values: `1.50` equals `1.5`.
///
/// ```
/// use awstin_core::Number;
///
/// let price: Number = "19.990".parse()?;
/// assert_eq!(price, Number::try_from(19.99_f64)?);
/// assert_eq!(price.to_string(), "19.99");
/// assert!(Number::from(20u8) > price);
/// // 39 significant digits do not fit and are not rounded:
/// assert!("1.00000000000000000000000000000000000001".parse::<Number>().is_err());
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    negative: bool,
    mantissa: u128,
    exponent: i32,
}

fn digit_count(m: u128) -> u32 {
    let mut d = 1;
    while d < 39 && m >= POW10[d as usize] {
        d += 1;
    }
    d
}

impl Number {
    /// Zero.
    pub const ZERO: Number = Number {
        negative: false,
        mantissa: 0,
        exponent: 0,
    };

    /// Builds `±mantissa × 10^exponent`, checking precision and range.
    ///
    /// ```
    /// use awstin_core::Number;
    /// assert_eq!(Number::from_parts(false, 1250, -2)?.to_string(), "12.5");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn from_parts(negative: bool, mantissa: u128, exponent: i64) -> Result<Number, Error> {
        if mantissa == 0 {
            return Ok(Number::ZERO);
        }
        let mut m = mantissa;
        let mut e = exponent;
        while m.is_multiple_of(10) {
            m /= 10;
            // Saturates: an exponent that large is out of range below, not an overflow.
            e = e.saturating_add(1);
        }
        let digits = digit_count(m);
        if digits > MAX_DIGITS {
            return Err(Error::NumberPrecision {
                digits,
                max: MAX_DIGITS,
            });
        }
        let magnitude = e.saturating_add(i64::from(digits) - 1);
        if magnitude < i64::from(MIN_EXPONENT) || magnitude > i64::from(MAX_EXPONENT) {
            return Err(Error::NumberOutOfRange {
                exponent: magnitude,
                min: MIN_EXPONENT,
                max: MAX_EXPONENT,
            });
        }
        Ok(Number {
            negative,
            mantissa: m,
            // In range by the magnitude check above.
            exponent: e as i32,
        })
    }

    /// `true` for zero.
    ///
    /// ```
    /// assert!(awstin_core::Number::ZERO.is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// `true` for a number below zero.
    ///
    /// ```
    /// assert!(awstin_core::Number::from(-3i32).is_negative());
    /// ```
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The significant digits as an integer (no trailing zeros).
    ///
    /// ```
    /// let n: awstin_core::Number = "-12.50".parse()?;
    /// assert_eq!((n.mantissa(), n.exponent()), (125, -1));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn mantissa(&self) -> u128 {
        self.mantissa
    }

    /// The power of ten the mantissa is multiplied by.
    ///
    /// ```
    /// assert_eq!(awstin_core::Number::from(1500u32).exponent(), 2);
    /// ```
    pub fn exponent(&self) -> i32 {
        self.exponent
    }

    /// Number of significant digits (1 for zero).
    ///
    /// ```
    /// assert_eq!(awstin_core::Number::from(1500u32).significant_digits(), 2);
    /// ```
    pub fn significant_digits(&self) -> u32 {
        digit_count(self.mantissa)
    }

    /// The value as an `f64`, rounding to the nearest `f64` (an explicit, lossy conversion).
    ///
    /// ```
    /// assert_eq!(awstin_core::Number::from(3u8).to_f64_lossy(), 3.0);
    /// ```
    pub fn to_f64_lossy(&self) -> f64 {
        let mut buf: heapless::String<64> = heapless::String::new();
        // 38 digits, a sign, a point and an exponent always fit in 64 bytes.
        let _ = write!(
            buf,
            "{}{}e{}",
            if self.negative { "-" } else { "" },
            self.mantissa,
            self.exponent
        );
        buf.parse().unwrap_or(f64::NAN)
    }

    /// The value as an `i128` when it is a whole number that fits.
    ///
    /// ```
    /// use awstin_core::Number;
    /// assert_eq!(Number::from(-42i64).to_i128(), Some(-42));
    /// assert_eq!("4.2".parse::<Number>()?.to_i128(), None);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn to_i128(&self) -> Option<i128> {
        if self.exponent < 0 {
            return None;
        }
        let scale = POW10.get(self.exponent as usize)?;
        let m = self.mantissa.checked_mul(*scale)?;
        let m = i128::try_from(m).ok()?;
        Some(if self.negative { -m } else { m })
    }

    /// `self + other`, exact, as DynamoDB computes `+` and `ADD`: a sum that needs more than 38
    /// significant digits or leaves the range is an error, never rounded.
    ///
    /// ```
    /// use awstin_core::{Error, Number};
    /// let a: Number = "0.1".parse()?;
    /// assert_eq!(a.checked_add("0.2".parse()?)?.to_string(), "0.3");
    /// let big: Number = "1e37".parse()?;
    /// assert_eq!(
    ///     big.checked_add("0.5".parse()?),
    ///     Err(Error::NumberPrecision { digits: 39, max: 38 })
    /// );
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn checked_add(self, other: Number) -> Result<Number, Error> {
        if self.is_zero() {
            return Ok(other);
        }
        if other.is_zero() {
            return Ok(self);
        }
        // Both operands as little-endian decimal digits from the lower of the two exponents.
        // Exponents lie in -167..=125, so the span with a carry digit stays below 300.
        let low = self.exponent.min(other.exponent);
        let mut a = [0u8; SPAN];
        let mut b = [0u8; SPAN];
        self.spread(low, &mut a);
        other.spread(low, &mut b);
        let negative = if self.negative == other.negative {
            let mut carry = 0;
            for (x, y) in a.iter_mut().zip(b) {
                let sum = *x + y + carry;
                *x = sum % 10;
                carry = sum / 10;
            }
            self.negative
        } else {
            let smaller = self.cmp_abs(&other) == Ordering::Less;
            if smaller {
                core::mem::swap(&mut a, &mut b);
            }
            let mut borrow = 0;
            for (x, y) in a.iter_mut().zip(b) {
                let (d, next) = match (*x).checked_sub(y + borrow) {
                    Some(d) => (d, 0),
                    None => (*x + 10 - y - borrow, 1),
                };
                *x = d;
                borrow = next;
            }
            if smaller {
                other.negative
            } else {
                self.negative
            }
        };
        let Some(first) = a.iter().position(|d| *d != 0) else {
            return Ok(Number::ZERO);
        };
        let last = a.iter().rposition(|d| *d != 0).unwrap_or(first);
        let digits = (last - first + 1) as u32;
        if digits > MAX_DIGITS {
            return Err(Error::NumberPrecision {
                digits,
                max: MAX_DIGITS,
            });
        }
        let mantissa = a[first..=last]
            .iter()
            .rev()
            .fold(0u128, |m, d| m * 10 + u128::from(*d));
        Number::from_parts(negative, mantissa, i64::from(low) + first as i64)
    }

    /// `self - other`, exact, with the same rules as [`checked_add`](Number::checked_add).
    ///
    /// ```
    /// use awstin_core::Number;
    /// assert_eq!(Number::from(7u8).checked_sub(Number::from(10u8))?, Number::from(-3i8));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn checked_sub(self, other: Number) -> Result<Number, Error> {
        let negated = Number {
            negative: !other.negative && !other.is_zero(),
            ..other
        };
        self.checked_add(negated)
    }

    /// Writes the mantissa's digits into `digits`, little-endian, starting at exponent `low`.
    fn spread(&self, low: i32, digits: &mut [u8; SPAN]) {
        let mut m = self.mantissa;
        let mut i = (self.exponent - low) as usize;
        while m > 0 {
            digits[i] = (m % 10) as u8;
            m /= 10;
            i += 1;
        }
    }

    /// Decimal exponent of the leading digit (`e` in `d.ddd × 10^e`).
    fn magnitude(&self) -> i64 {
        i64::from(self.exponent) + i64::from(self.significant_digits()) - 1
    }

    fn cmp_abs(&self, other: &Number) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        match self.magnitude().cmp(&other.magnitude()) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        // Same leading position: align both mantissas to the same digit count (at most 38).
        let (da, db) = (self.significant_digits(), other.significant_digits());
        let width = da.max(db);
        let a = self.mantissa * POW10[(width - da) as usize];
        let b = other.mantissa * POW10[(width - db) as usize];
        a.cmp(&b)
    }

    /// Writes the canonical decimal text DynamoDB is sent (`12.5`, `-3`, `1.5E+100`).
    pub(crate) fn write_canonical(&self, f: &mut dyn crate::Out) -> fmt::Result {
        if self.is_zero() {
            return f.put("0");
        }
        if self.negative {
            f.put("-")?;
        }
        let mut digits = [0u8; 39];
        let count = self.significant_digits() as usize;
        // u128 division is a library call: the digits of a mantissa that fits a u64 (every
        // integer of the Rust types but the widest) are taken in u64.
        match u64::try_from(self.mantissa) {
            Ok(mut m) => {
                for slot in digits[..count].iter_mut().rev() {
                    *slot = (m % 10) as u8;
                    m /= 10;
                }
            }
            Err(_) => {
                let mut m = self.mantissa;
                for slot in digits[..count].iter_mut().rev() {
                    *slot = (m % 10) as u8;
                    m /= 10;
                }
            }
        }
        let digits = &digits[..count];
        let magnitude = self.magnitude();
        if self.exponent >= 0 && magnitude < 21 {
            write_digits(f, digits)?;
            for _ in 0..self.exponent {
                f.put("0")?;
            }
            Ok(())
        } else if self.exponent < 0 && magnitude >= -7 {
            if magnitude >= 0 {
                let (whole, fraction) = digits.split_at((magnitude + 1) as usize);
                write_digits(f, whole)?;
                f.put(".")?;
                write_digits(f, fraction)
            } else {
                f.put("0.")?;
                for _ in 0..(-magnitude - 1) {
                    f.put("0")?;
                }
                write_digits(f, digits)
            }
        } else {
            let (first, rest) = digits.split_at(1);
            write_digits(f, first)?;
            if !rest.is_empty() {
                f.put(".")?;
                write_digits(f, rest)?;
            }
            f.put(if magnitude < 0 { "E-" } else { "E+" })?;
            // At most 3 digits: DynamoDB's exponents reach 125 and -130.
            write_decimal(
                f,
                usize::try_from(magnitude.unsigned_abs()).unwrap_or(usize::MAX),
            )
        }
    }
}

/// Writes `n` in decimal, without `core::fmt`.
pub(crate) fn write_decimal(f: &mut dyn crate::Out, mut n: usize) -> fmt::Result {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return write_digits(f, &digits[at..]);
        }
    }
}

/// Writes decimal digits given as values 0 to 9, without `core::fmt` or UTF-8 checks.
fn write_digits(f: &mut dyn crate::Out, digits: &[u8]) -> fmt::Result {
    const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
    for &d in digits {
        f.put(DIGITS[usize::from(d % 10)])?;
    }
    Ok(())
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Number) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Number) -> Ordering {
        let sign = |n: &Number| {
            if n.is_zero() {
                0
            } else if n.negative {
                -1
            } else {
                1
            }
        };
        match sign(self).cmp(&sign(other)) {
            Ordering::Equal if self.negative => other.cmp_abs(self),
            Ordering::Equal => self.cmp_abs(other),
            unequal => unequal,
        }
    }
}

impl Number {
    /// The canonical text as an owned string, allocated once at its length (`to_string`
    /// grows its string as it writes).
    ///
    /// ```
    /// let n: awstin_core::Number = "-12.50".parse()?;
    /// assert_eq!(n.to_text(), "-12.5");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    pub fn to_text(&self) -> alloc::string::String {
        // The longest canonical text: `-0.000000` and 38 digits, 47 bytes.
        let mut buf: heapless::String<64> = heapless::String::new();
        let _ = self.write_canonical(&mut buf);
        alloc::string::String::from(buf.as_str())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_canonical(f)
    }
}

/// A number is written to serde as its exact decimal text (a JSON string: a JSON number would
/// be read back through `f64` by most readers, rounding past 17 digits), and read from such a
/// text or from an integer; a float is read through its shortest round-trip text, so what
/// `f64` holds is what is kept, and a text of more than 38 digits is refused, never rounded.
///
/// ```
/// use awstin_core::Number;
/// let n: Number = "12345678901234567890.123456789".parse()?;
/// assert_eq!(serde_json::to_string(&n)?, r#""12345678901234567890.123456789""#);
/// assert_eq!(serde_json::from_str::<Number>(r#""12345678901234567890.123456789""#)?, n);
/// assert_eq!(serde_json::from_str::<Number>("-7")?.to_string(), "-7");
/// assert_eq!(serde_json::from_str::<Number>("9.99")?.to_string(), "9.99");
/// assert!(serde_json::from_str::<Number>(r#""1234567890123456789012345678901234567890""#).is_err());
/// assert!(serde_json::from_str::<Number>(r#""ten""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or its decimal text")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Number, E> {
                text.parse().map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Number, E> {
                let mut buf: heapless::String<24> = heapless::String::new();
                fmt::Write::write_fmt(&mut buf, format_args!("{n}")).map_err(E::custom)?;
                self.visit_str(&buf)
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Number, E> {
                let mut buf: heapless::String<24> = heapless::String::new();
                fmt::Write::write_fmt(&mut buf, format_args!("{n}")).map_err(E::custom)?;
                self.visit_str(&buf)
            }
            fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Number, E> {
                // The shortest text that reads back as `n`, with an exponent.
                let mut buf: heapless::String<40> = heapless::String::new();
                fmt::Write::write_fmt(&mut buf, format_args!("{n:e}")).map_err(E::custom)?;
                self.visit_str(&buf)
            }
        }
        deserializer.deserialize_any(Text)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self})")
    }
}

impl core::str::FromStr for Number {
    type Err = Error;

    /// Parses decimal text such as `-12.50`, `1e-5` or `+7E+3`; nothing is rounded.
    fn from_str(text: &str) -> Result<Number, Error> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&sign @ (b'-' | b'+')) = bytes.first() {
            negative = sign == b'-';
            i = 1;
        }
        let mut mantissa: u128 = 0;
        let mut significant: u32 = 0;
        let mut pending_zeros: i64 = 0;
        let mut fraction_digits: i64 = 0;
        let mut seen_digit = false;
        let mut seen_point = false;
        while i < bytes.len() {
            let c = bytes[i];
            match c {
                b'0'..=b'9' => {
                    seen_digit = true;
                    if seen_point {
                        fraction_digits += 1;
                    }
                    if c == b'0' {
                        if significant > 0 {
                            pending_zeros += 1;
                        }
                    } else {
                        let needed = significant as i64 + pending_zeros + 1;
                        if needed > i64::from(MAX_DIGITS) {
                            return Err(Error::NumberPrecision {
                                digits: needed.min(i64::from(u32::MAX)) as u32,
                                max: MAX_DIGITS,
                            });
                        }
                        mantissa =
                            mantissa * POW10[pending_zeros as usize + 1] + u128::from(c - b'0');
                        significant = needed as u32;
                        pending_zeros = 0;
                    }
                }
                b'.' if !seen_point => seen_point = true,
                b'e' | b'E' => break,
                _ => return Err(Error::InvalidNumber),
            }
            i += 1;
        }
        if !seen_digit {
            return Err(Error::InvalidNumber);
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() {
            // bytes[i] is the exponent marker.
            i += 1;
            let mut exp_negative = false;
            if let Some(&sign @ (b'-' | b'+')) = bytes.get(i) {
                exp_negative = sign == b'-';
                i += 1;
            }
            if i == bytes.len() {
                return Err(Error::InvalidNumber);
            }
            for &c in &bytes[i..] {
                if !c.is_ascii_digit() {
                    return Err(Error::InvalidNumber);
                }
                // Saturate: anything this large is out of range anyway.
                exponent = (exponent * 10 + i64::from(c - b'0')).min(1 << 40);
            }
            if exp_negative {
                exponent = -exponent;
            }
        }
        Number::from_parts(
            negative,
            mantissa,
            pending_zeros + exponent - fraction_digits,
        )
    }
}

/// An integer of at most 39 digits that is known to fit once trailing zeros are stripped
/// (every type up to 64 bits has at most 20 digits).
fn exact(negative: bool, mut mantissa: u128) -> Number {
    if mantissa == 0 {
        return Number::ZERO;
    }
    let mut exponent = 0;
    while mantissa.is_multiple_of(10) {
        mantissa /= 10;
        exponent += 1;
    }
    Number {
        negative,
        mantissa,
        exponent,
    }
}

macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            /// Exact: every value of this type fits in 38 digits.
            fn from(v: $t) -> Number {
                exact(false, u128::from(v))
            }
        }
    )*};
}
macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            /// Exact: every value of this type fits in 38 digits.
            fn from(v: $t) -> Number {
                exact(v < 0, u128::from(v.unsigned_abs()))
            }
        }
    )*};
}
from_unsigned!(u8, u16, u32, u64);
from_signed!(i8, i16, i32, i64);

impl From<usize> for Number {
    /// Exact: `usize` has at most 20 digits on every target.
    fn from(v: usize) -> Number {
        Number::from(v as u64)
    }
}

impl From<isize> for Number {
    /// Exact: `isize` has at most 19 digits on every target.
    fn from(v: isize) -> Number {
        Number::from(v as i64)
    }
}

impl TryFrom<u128> for Number {
    type Error = Error;
    /// Fails for values with 39 significant digits.
    fn try_from(v: u128) -> Result<Number, Error> {
        Number::from_parts(false, v, 0)
    }
}

impl TryFrom<i128> for Number {
    type Error = Error;
    /// Fails for values with 39 significant digits.
    fn try_from(v: i128) -> Result<Number, Error> {
        Number::from_parts(v < 0, v.unsigned_abs(), 0)
    }
}

impl TryFrom<f64> for Number {
    type Error = Error;
    /// The shortest decimal that reads back as the same `f64` (`0.1` stays `0.1`).
    /// NaN, infinities and magnitudes outside DynamoDB's range are errors, never rounded.
    fn try_from(v: f64) -> Result<Number, Error> {
        if !v.is_finite() {
            return Err(Error::NotFinite);
        }
        let mut buf: heapless::String<40> = heapless::String::new();
        // The shortest `{:e}` form of an f64 has at most 17 digits plus sign and exponent.
        write!(buf, "{v:e}").map_err(|_| Error::InvalidNumber)?;
        buf.parse()
    }
}

impl Number {
    /// Whether `v` is a number DynamoDB takes, as [`Number::try_from`] decides it, without
    /// writing its digits where its magnitude is well inside DynamoDB's range.
    ///
    /// ```
    /// use awstin_core::{Error, Number};
    /// assert_eq!(Number::check_f64(0.1), Ok(()));
    /// assert_eq!(Number::check_f64(f64::NAN), Err(Error::NotFinite));
    /// assert!(Number::check_f64(1e300).is_err());
    /// ```
    pub fn check_f64(v: f64) -> Result<(), Error> {
        // Inside these bounds the shortest decimal of `v` has an exponent DynamoDB takes
        // (1E-130 to below 1E+126) and at most 17 digits; near them, the digits decide.
        if v == 0.0 || (1e-129..=1e125).contains(&v.abs()) {
            return Ok(());
        }
        Number::try_from(v).map(drop)
    }
}

impl TryFrom<f32> for Number {
    type Error = Error;
    /// The shortest decimal that reads back as the same `f32` (`0.1f32` is `0.1`).
    fn try_from(v: f32) -> Result<Number, Error> {
        if !v.is_finite() {
            return Err(Error::NotFinite);
        }
        let mut buf: heapless::String<40> = heapless::String::new();
        write!(buf, "{v:e}").map_err(|_| Error::InvalidNumber)?;
        buf.parse()
    }
}
