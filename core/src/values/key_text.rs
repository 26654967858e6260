//! Key text: the values of a composed key attribute (`"ORDER#" created "#" id`) written as one
//! string whose order, as DynamoDB compares strings (by their UTF-8 bytes), is the order of the
//! values, field by field, and from which each value reads back: no two different values make
//! the same text, and no value can make the text of a template's literals.
//!
//! A [`Template`] is literals and fields: a literal after a field begins with `#`
//! ([`SEPARATOR`]), which no field's text holds, so the text splits back into its fields. Each
//! field is written by its type ([`ToKeyText`]) and read back by it ([`FromKeyText`]):
//!
//! - strings: their characters, but for those below `&` (the controls, space, `!`, `"`, `#`,
//!   `$`, `%`), each written `%` and two upper-case hexadecimal digits (`a#b` is `a%23b`). The
//!   separator is never a field's, and it sorts below every character a field's text begins a
//!   difference with, so a shorter value followed by its separator sorts first, as it should.
//! - unsigned integers: their decimal digits, padded with zeros to the type's widest (`u32`: 10
//!   digits, `981` is `0000000981`);
//! - signed integers, floats and [`Number`]s: a sign class (`0` negative, `1` zero, `2`
//!   positive), the decimal magnitude offset by 130 in three digits (inverted for negatives),
//!   then the significant digits (each `9 - d` for negatives, ended by `:`): `1.5` is
//!   `213015`, `-1.5` is `012584:`, `0` is `1`. NaN and infinities are refused.
//! - `bool`: `false`, `true`.
//!
//! ```
//! use awstin_core::key_text::{Piece, Template};
//! const ORDER: Template = Template::new(&[Piece::Text("ORDER#"), Piece::Field, Piece::Text("#"), Piece::Field]);
//! let mut key = String::new();
//! ORDER.write(&[&"2026-11-30", &981u32], &mut key)?;
//! assert_eq!(key, "ORDER#2026-11-30#0000000981");
//! let mut fields = [""; 2];
//! ORDER.split(&key, &mut fields)?;
//! assert_eq!(fields, ["2026-11-30", "0000000981"]);
//! assert_eq!(awstin_core::key_text::read::<u32>(fields[1])?, 981);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt::{self, Write as _};

use crate::error::Error;
use crate::values::decode::{DecodeError, DecodeErrorKind};
use crate::values::number::Number;

/// What begins every literal after a field: no field's text holds it.
pub const SEPARATOR: char = '#';

/// The offset of a number's decimal magnitude (DynamoDB's smallest is -130).
const MAGNITUDE_OFFSET: i32 = 130;

/// One piece of a composed key's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Text written as it is.
    Text(&'static str),
    /// A field's value, written by its [`ToKeyText`].
    Field,
}

/// The template of a composed key: literals and fields, checked when it is made (in a `const`,
/// when the program compiles): a literal after a field begins with [`SEPARATOR`], and two
/// fields are never side by side.
///
/// ```
/// use awstin_core::key_text::{Piece, Template};
/// const USER: Template = Template::new(&[Piece::Text("USER#"), Piece::Field]);
/// assert_eq!(USER.fields(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pieces: &'static [Piece],
}

impl Template {
    /// The template of `pieces`; panics (at compile time, in a `const`) when a literal after
    /// a field does not begin with `#` or two fields are side by side.
    ///
    /// ```
    /// use awstin_core::key_text::{Piece, Template};
    /// const PROFILE: Template = Template::new(&[Piece::Text("PROFILE")]);
    /// assert_eq!(PROFILE.fields(), 0);
    /// ```
    pub const fn new(pieces: &'static [Piece]) -> Template {
        let mut i = 1;
        while i < pieces.len() {
            match (pieces[i - 1], pieces[i]) {
                (Piece::Field, Piece::Field) => {
                    panic!(
                        "two fields of a composed key are side by side: put a \"#\" between them"
                    )
                }
                (Piece::Field, Piece::Text(text))
                    if text.is_empty() || text.as_bytes()[0] != b'#' =>
                {
                    panic!("a literal after a field of a composed key begins with \"#\"")
                }
                _ => {}
            }
            i += 1;
        }
        Template { pieces }
    }

    /// The template's pieces, in order.
    ///
    /// ```
    /// use awstin_core::key_text::{Piece, Template};
    /// const T: Template = Template::new(&[Piece::Text("A#"), Piece::Field]);
    /// assert_eq!(T.pieces().len(), 2);
    /// ```
    pub const fn pieces(&self) -> &'static [Piece] {
        self.pieces
    }

    /// How many fields the template holds.
    ///
    /// ```
    /// use awstin_core::key_text::{Piece, Template};
    /// const T: Template = Template::new(&[Piece::Field, Piece::Text("#"), Piece::Field]);
    /// assert_eq!(T.fields(), 2);
    /// ```
    pub const fn fields(&self) -> usize {
        let (mut n, mut i) = (0, 0);
        while i < self.pieces.len() {
            if let Piece::Field = self.pieces[i] {
                n += 1;
            }
            i += 1;
        }
        n
    }

    /// Writes the key with `fields` (in the template's order) into `out`: all of them, or the
    /// first ones only, ending after the literal that follows the last one given (the prefix a
    /// `begins_with` on the key takes). More fields than the template holds is
    /// [`Error::KeyText`].
    ///
    /// ```
    /// use awstin_core::key_text::{Piece, Template};
    /// const T: Template = Template::new(&[Piece::Text("ORDER#"), Piece::Field, Piece::Text("#"), Piece::Field]);
    /// let mut prefix = String::new();
    /// T.write(&[&"2026-11"], &mut prefix)?;
    /// assert_eq!(prefix, "ORDER#2026-11#");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn write(&self, fields: &[&dyn ToKeyText], out: &mut dyn fmt::Write) -> Result<(), Error> {
        if fields.len() > self.fields() {
            return Err(Error::KeyText {
                reason: "more values than the template has fields",
            });
        }
        let mut given = fields.iter();
        let mut written = 0;
        for piece in self.pieces {
            match piece {
                Piece::Text(text) => out.write_str(text).map_err(|_| Error::Output)?,
                Piece::Field => match given.next() {
                    Some(field) => {
                        field.write_key_text(out)?;
                        written += 1;
                    }
                    None => break,
                },
            }
        }
        debug_assert_eq!(written, fields.len());
        Ok(())
    }

    /// Splits a key's text into the texts of its fields (`out` holds one per field): the
    /// literals must be the template's and each field's text free of the separator, else a
    /// [`DecodeError`] (a key of another template, or made otherwise).
    ///
    /// ```
    /// use awstin_core::key_text::{Piece, Template};
    /// const T: Template = Template::new(&[Piece::Text("USER#"), Piece::Field]);
    /// let mut f = [""];
    /// T.split("USER#42", &mut f)?;
    /// assert_eq!(f, ["42"]);
    /// assert!(T.split("ORDER#42", &mut f).is_err());
    /// # Ok::<(), awstin_core::DecodeError>(())
    /// ```
    pub fn split<'t>(&self, text: &'t str, out: &mut [&'t str]) -> Result<(), DecodeError> {
        let malformed = || {
            DecodeError::new(DecodeErrorKind::Malformed {
                expected: "a key of its template",
            })
        };
        if out.len() != self.fields() {
            return Err(malformed());
        }
        let mut rest = text;
        let mut field = 0;
        for piece in self.pieces {
            match piece {
                Piece::Text(literal) => {
                    rest = rest.strip_prefix(literal).ok_or_else(malformed)?;
                }
                Piece::Field => {
                    let end = rest.find(SEPARATOR).unwrap_or(rest.len());
                    out[field] = &rest[..end];
                    rest = &rest[end..];
                    field += 1;
                }
            }
        }
        if rest.is_empty() {
            Ok(())
        } else {
            Err(malformed())
        }
    }
}

/// A value written into a composed key: see the [module](self) documentation for each type's
/// form.
///
/// ```
/// use awstin_core::key_text::ToKeyText;
/// let mut s = String::new();
/// "a#b".write_key_text(&mut s)?;
/// assert_eq!(s, "a%23b");
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub trait ToKeyText {
    /// Writes the value's key text.
    fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error>;
}

/// A value read back from its key text ([`ToKeyText`]'s form, exactly: any other text is a
/// [`DecodeError`], so one value has one text).
///
/// ```
/// use awstin_core::key_text::FromKeyText;
/// assert_eq!(String::from_key_text("a%23b")?, "a#b");
/// assert!(String::from_key_text("a#b").is_err());
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub trait FromKeyText: Sized {
    /// Reads the value from its key text.
    fn from_key_text(text: &str) -> Result<Self, DecodeError>;
}

/// Reads a `T` from its key text.
///
/// ```
/// assert_eq!(awstin_core::key_text::read::<i32>("21302")?, 2);
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub fn read<T: FromKeyText>(text: &str) -> Result<T, DecodeError> {
    T::from_key_text(text)
}

fn malformed(expected: &'static str) -> DecodeError {
    DecodeError::new(DecodeErrorKind::Malformed { expected })
}

fn out_err(_: fmt::Error) -> Error {
    Error::Output
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

impl ToKeyText for str {
    fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
        let mut plain = 0;
        for (at, c) in self.char_indices() {
            if (c as u32) < 0x26 {
                out.write_str(&self[plain..at]).map_err(out_err)?;
                let b = c as u8;
                out.write_char('%').map_err(out_err)?;
                out.write_char(char::from(HEX[usize::from(b >> 4)]))
                    .map_err(out_err)?;
                out.write_char(char::from(HEX[usize::from(b & 0xF)]))
                    .map_err(out_err)?;
                plain = at + 1;
            }
        }
        out.write_str(&self[plain..]).map_err(out_err)
    }
}

impl<T: ToKeyText + ?Sized> ToKeyText for &T {
    fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
        (**self).write_key_text(out)
    }
}

#[cfg(feature = "alloc")]
impl ToKeyText for alloc::string::String {
    fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
        self.as_str().write_key_text(out)
    }
}

#[cfg(feature = "alloc")]
impl FromKeyText for alloc::string::String {
    fn from_key_text(text: &str) -> Result<Self, DecodeError> {
        let bad = || malformed("a string's key text (`%XX` for the characters below `&`)");
        let mut s = alloc::string::String::with_capacity(text.len());
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '%' => {
                    // Upper-case hexadecimal only: one text per string.
                    let hex = |c: Option<char>| {
                        c.filter(|c| !c.is_ascii_lowercase())
                            .and_then(|c| c.to_digit(16))
                    };
                    let (Some(hi), Some(lo)) = (hex(chars.next()), hex(chars.next())) else {
                        return Err(bad());
                    };
                    let b = hi * 16 + lo;
                    // Only the characters below `&` are escaped: one text per string.
                    if b >= 0x26 {
                        return Err(bad());
                    }
                    s.push(char::from(b as u8));
                }
                c if (c as u32) < 0x26 => return Err(bad()),
                c => s.push(c),
            }
        }
        Ok(s)
    }
}

impl ToKeyText for bool {
    fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
        out.write_str(if *self { "true" } else { "false" })
            .map_err(out_err)
    }
}

impl FromKeyText for bool {
    fn from_key_text(text: &str) -> Result<Self, DecodeError> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(malformed("`true` or `false`")),
        }
    }
}

macro_rules! unsigned {
    ($($t:ty => $width:expr),*) => {$(
        impl ToKeyText for $t {
            fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
                write!(out, "{:0width$}", self, width = $width).map_err(out_err)
            }
        }
        impl FromKeyText for $t {
            fn from_key_text(text: &str) -> Result<Self, DecodeError> {
                if text.len() != $width || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(malformed(concat!("the ", stringify!($width), " digits of a `", stringify!($t), "`")));
                }
                text.parse().map_err(|_| DecodeError::new(DecodeErrorKind::OutOfRange { target: stringify!($t) }))
            }
        }
    )*};
}

unsigned!(u8 => 3, u16 => 5, u32 => 10, u64 => 20, u128 => 39, usize => 20);

impl ToKeyText for Number {
    fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
        if self.is_zero() {
            return out.write_char('1').map_err(out_err);
        }
        let digits = self.significant_digits();
        let magnitude = self.exponent() + digits as i32 - 1 + MAGNITUDE_OFFSET;
        let mut text: heapless::String<40> = heapless::String::new();
        let _ = write!(text, "{}", self.mantissa());
        if self.is_negative() {
            write!(out, "0{:03}", 255 - magnitude).map_err(out_err)?;
            for b in text.bytes() {
                out.write_char(char::from(b'9' - (b - b'0')))
                    .map_err(out_err)?;
            }
            out.write_char(':').map_err(out_err)
        } else {
            write!(out, "2{magnitude:03}{text}").map_err(out_err)
        }
    }
}

impl FromKeyText for Number {
    fn from_key_text(text: &str) -> Result<Self, DecodeError> {
        let bad = || malformed("a number's key text");
        let bytes = text.as_bytes();
        match bytes.first() {
            Some(b'1') if bytes.len() == 1 => return Ok(Number::ZERO),
            Some(b'0' | b'2') => {}
            _ => return Err(bad()),
        }
        let negative = bytes[0] == b'0';
        let body = if negative {
            text.get(1..).and_then(|t| t.strip_suffix(':'))
        } else {
            text.get(1..)
        }
        .ok_or_else(bad)?;
        if body.len() < 4 || !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let magnitude: i32 = body[..3].parse().map_err(|_| bad())?;
        let magnitude = if negative { 255 - magnitude } else { magnitude } - MAGNITUDE_OFFSET;
        let digits = &body[3..];
        let (mut mantissa, mut count) = (0u128, 0i32);
        for b in digits.bytes() {
            let d = if negative { 9 - (b - b'0') } else { b - b'0' };
            mantissa = mantissa
                .checked_mul(10)
                .and_then(|m| m.checked_add(u128::from(d)))
                .ok_or_else(bad)?;
            count += 1;
        }
        // One text per number: a first digit that is not zero, no zeros at the end.
        let first = digits.as_bytes()[0];
        let last = digits.as_bytes()[digits.len() - 1];
        let zero = if negative { b'9' } else { b'0' };
        if first == zero || last == zero {
            return Err(bad());
        }
        Number::from_parts(negative, mantissa, i64::from(magnitude - count + 1))
            .map_err(|e| DecodeError::new(DecodeErrorKind::Number(e)))
    }
}

macro_rules! through_number {
    ($($t:ty),*) => {$(
        impl ToKeyText for $t {
            fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
                Number::try_from(*self)?.write_key_text(out)
            }
        }
    )*};
}

through_number!(f32, f64);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl ToKeyText for $t {
            fn write_key_text(&self, out: &mut dyn fmt::Write) -> Result<(), Error> {
                Number::from(*self).write_key_text(out)
            }
        }
        impl FromKeyText for $t {
            fn from_key_text(text: &str) -> Result<Self, DecodeError> {
                let n = Number::from_key_text(text)?;
                n.to_i128()
                    .and_then(|v| <$t>::try_from(v).ok())
                    .ok_or(DecodeError::new(DecodeErrorKind::OutOfRange { target: stringify!($t) }))
            }
        }
    )*};
}

signed!(i8, i16, i32, i64);

impl FromKeyText for f64 {
    fn from_key_text(text: &str) -> Result<Self, DecodeError> {
        Ok(Number::from_key_text(text)?.to_f64_lossy())
    }
}
