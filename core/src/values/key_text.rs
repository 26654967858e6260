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

/// The most fields a composed key's template holds.
pub const MAX_FIELDS: usize = 6;

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
        let template = Template { pieces };
        if template.fields() > MAX_FIELDS {
            panic!("a composed key holds at most 6 fields");
        }
        let mut i = 0;
        while i < pieces.len() {
            if let Piece::Text(text) = pieces[i] {
                let mut b = 0;
                while b < text.len() {
                    if text.as_bytes()[b] >= 0x7F {
                        panic!("a composed key's literals are ASCII");
                    }
                    b += 1;
                }
            }
            i += 1;
        }
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
        template
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

    /// Whether the template ends with a field (no literal after its last one).
    ///
    /// ```
    /// use awstin_core::key_text::{Piece, Template};
    /// assert!(Template::new(&[Piece::Text("A#"), Piece::Field]).ends_with_field());
    /// ```
    pub const fn ends_with_field(&self) -> bool {
        matches!(self.pieces.last(), Some(Piece::Field))
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
    pub fn write(&self, fields: &[&dyn ToKeyText], out: &mut dyn crate::Out) -> Result<(), Error> {
        if fields.len() > self.fields() {
            return Err(Error::KeyText {
                reason: "more values than the template has fields",
            });
        }
        let mut given = fields.iter();
        let mut written = 0;
        for piece in self.pieces {
            match piece {
                Piece::Text(text) => out.put(text).map_err(|_| Error::Output)?,
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
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a composed key",
    label = "not a string, integer, float, `Number` or `bool`",
    note = "a composed key's fields are strings, integers, floats, `Number`s or `bool`s; a secondary index's composed key may also take an `Option` of one (absent: the item is not indexed)"
)]
pub trait ToKeyText {
    /// Writes the value's key text.
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error>;
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
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
        let mut plain = 0;
        for (at, c) in self.char_indices() {
            if (c as u32) < 0x26 {
                out.put(&self[plain..at]).map_err(out_err)?;
                let b = c as u8;
                out.put("%").map_err(out_err)?;
                crate::out::put_char(out, char::from(HEX[usize::from(b >> 4)])).map_err(out_err)?;
                crate::out::put_char(out, char::from(HEX[usize::from(b & 0xF)]))
                    .map_err(out_err)?;
                plain = at + 1;
            }
        }
        out.put(&self[plain..]).map_err(out_err)
    }
}

impl<T: ToKeyText + ?Sized> ToKeyText for &T {
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
        (**self).write_key_text(out)
    }
}

#[cfg(feature = "alloc")]
impl ToKeyText for alloc::string::String {
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
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
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
        out.put(if *self { "true" } else { "false" })
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
            fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
                write!(crate::out::Fmt(out), "{:0width$}", self, width = $width).map_err(out_err)
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
    fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
        if self.is_zero() {
            return out.put("1").map_err(out_err);
        }
        let digits = self.significant_digits();
        let magnitude = self.exponent() + digits as i32 - 1 + MAGNITUDE_OFFSET;
        let mut text: heapless::String<40> = heapless::String::new();
        let _ = write!(text, "{}", self.mantissa());
        if self.is_negative() {
            write!(crate::out::Fmt(out), "0{:03}", 255 - magnitude).map_err(out_err)?;
            for b in text.bytes() {
                crate::out::put_char(out, char::from(b'9' - (b - b'0'))).map_err(out_err)?;
            }
            out.put(":").map_err(out_err)
        } else {
            write!(crate::out::Fmt(out), "2{magnitude:03}{text}").map_err(out_err)
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
            fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
                Number::try_from(*self)?.write_key_text(out)
            }
        }
    )*};
}

through_number!(f32, f64);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl ToKeyText for $t {
            fn write_key_text(&self, out: &mut dyn crate::Out) -> Result<(), Error> {
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

/// How a composed key's constructor (`Order::pk(customer)`, generated by `dynamo_model!`)
/// takes a field of type `Self`: a `String` field as a `&str`, other types by reference to
/// themselves.
///
/// ```
/// fn param<T: awstin_core::key_text::KeyParam + ?Sized>(_: &T::Param) {}
/// param::<String>("a str");
/// param::<u32>(&7);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a composed key",
    label = "not a string, integer, float, `Number` or `bool`",
    note = "a composed key's fields are strings, integers, floats, `Number`s or `bool`s; a secondary index's composed key may also take an `Option` of one (absent: the item is not indexed)"
)]
pub trait KeyParam {
    /// The parameter's type, behind a reference.
    type Param: ?Sized + ToKeyText;
}

#[cfg(feature = "alloc")]
impl KeyParam for alloc::string::String {
    type Param = str;
}

macro_rules! key_param_self {
    ($($t:ty),*) => {$( impl KeyParam for $t { type Param = $t; } )*};
}
key_param_self!(
    bool, u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, f32, f64, Number
);

/// A field of a composed key attribute of a secondary index: a value, or an `Option` of one
/// (the index key is left out of the item, a sparse index, while the field is `None`).
///
/// ```
/// use awstin_core::key_text::KeyTextField;
/// assert!(KeyTextField::key_text(&None::<String>).is_none());
/// assert!(KeyTextField::key_text(&Some(5u32)).is_some());
/// assert!(KeyTextField::key_text(&"a").is_some());
/// ```
pub trait KeyTextField {
    /// The value's key text writer, or `None` for an absent value.
    fn key_text(&self) -> Option<&dyn ToKeyText>;
}

impl<T: ToKeyText> KeyTextField for T {
    fn key_text(&self) -> Option<&dyn ToKeyText> {
        Some(self)
    }
}

impl<T: ToKeyText> KeyTextField for Option<T> {
    fn key_text(&self) -> Option<&dyn ToKeyText> {
        self.as_ref().map(|v| v as &dyn ToKeyText)
    }
}

impl<T: ToKeyText> KeyTextField for &Option<T> {
    fn key_text(&self) -> Option<&dyn ToKeyText> {
        self.as_ref().map(|v| v as &dyn ToKeyText)
    }
}

/// The fields of a model's composed keys, handed to a writer: implemented by `dynamo_model!`
/// for models with composed keys, so that a key borrowed from an item
/// ([`ComposedRef::of`]) is two pointers, not a copy of every field's.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 } }
/// use awstin_core::key_text::ComposeKey;
/// let order = Order { customer: "c1".into(), n: 7 };
/// let mut seen = 0;
/// order.key_fields(1, &mut |fields| { seen = fields.len(); Ok(()) })?;
/// assert_eq!(seen, 1);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub trait ComposeKey {
    /// Calls `write` with the fields of composed key `which` (0: the partition key, 1: the
    /// sort key), in its template's order.
    fn key_fields(&self, which: u8, write: &mut FieldsWriter<'_>) -> Result<(), Error>;
}

/// What [`ComposeKey::key_fields`] hands the fields to.
pub type FieldsWriter<'w> = dyn FnMut(&[&dyn ToKeyText]) -> Result<(), Error> + 'w;

/// A composed key attribute: its name, its limit in bytes and its template, with the writer
/// of its text (held here, so that a program without composed keys links none of it).
///
/// ```
/// use awstin_core::key_text::{KeySpec, Piece, Template};
/// static USER: KeySpec = KeySpec::new("pk", 2048, &Template::new(&[Piece::Text("USER#"), Piece::Field]));
/// assert_eq!(USER.attribute(), "pk");
/// ```
#[derive(Debug)]
pub struct KeySpec {
    attribute: &'static str,
    max: usize,
    template: &'static Template,
    encode: EncodeFn,
}

type EncodeFn = fn(&ComposedRef<'_>, &mut dyn crate::values::value::Sink) -> Result<(), Error>;

impl KeySpec {
    /// The template.
    ///
    /// ```
    /// use awstin_core::key_text::{KeySpec, Piece, Template};
    /// static P: KeySpec = KeySpec::new("sk", 1024, &Template::new(&[Piece::Text("PROFILE")]));
    /// assert_eq!(P.template().fields(), 0);
    /// ```
    pub const fn template(&self) -> &'static Template {
        self.template
    }

    /// The limit in bytes.
    ///
    /// ```
    /// use awstin_core::key_text::{KeySpec, Piece, Template};
    /// static P: KeySpec = KeySpec::new("sk", 1024, &Template::new(&[Piece::Text("PROFILE")]));
    /// assert_eq!(P.max(), 1024);
    /// ```
    pub const fn max(&self) -> usize {
        self.max
    }

    /// Key attribute `attribute`, at most `max` bytes, made by `template`.
    pub const fn new(attribute: &'static str, max: usize, template: &'static Template) -> Self {
        KeySpec {
            attribute,
            max,
            template,
            encode: encode_composed,
        }
    }

    /// The attribute's name.
    ///
    /// ```
    /// use awstin_core::key_text::{KeySpec, Piece, Template};
    /// static P: KeySpec = KeySpec::new("sk", 1024, &Template::new(&[Piece::Text("PROFILE")]));
    /// assert_eq!(P.attribute(), "sk");
    /// ```
    pub const fn attribute(&self) -> &'static str {
        self.attribute
    }
}

fn encode_composed(
    composed: &ComposedRef<'_>,
    sink: &mut dyn crate::values::value::Sink,
) -> Result<(), Error> {
    let mut buf = KeyBuf::new();
    composed.write(&mut buf)?;
    sink.string(buf.as_str())
}

/// A composed key attribute's value borrowed from an item's fields ([`Model::key`] of a model
/// with a composed key): written by its template when it is encoded, into a buffer on the
/// stack, so nothing is allocated. A text longer than the key's limit is
/// [`Error::KeyValueTooLong`], a value without key text (NaN) its own error.
///
/// [`Model::key`]: crate::Model::key
///
/// ```
/// use awstin_core::key_text::{ComposedRef, KeySpec, Piece, Template, ToKeyText};
/// use awstin_core::{Error, ValueBuf};
/// static USER: KeySpec = KeySpec::new("pk", 2048, &Template::new(&[Piece::Text("USER#"), Piece::Field]));
/// let id = "4#2".to_string();
/// let fields = [&id as &dyn ToKeyText];
/// let pk = ComposedRef::new(&USER, &fields);
/// assert_eq!(ValueBuf::from_encode(&pk)?, ValueBuf::S("USER#4%232".into()));
/// let long = "x".repeat(2044);
/// let e = ValueBuf::from_encode(&ComposedRef::new(&USER, &[&long])).unwrap_err();
/// assert_eq!(e, Error::KeyValueTooLong { attribute: "pk", len: 2049, max: 2048 });
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct ComposedRef<'a> {
    spec: &'a KeySpec,
    fields: Fields<'a>,
}

#[derive(Clone, Copy)]
enum Fields<'a> {
    Given(&'a [&'a dyn ToKeyText]),
    Of(&'a dyn ComposeKey, u8),
}

impl<'a> ComposedRef<'a> {
    /// The value of `spec`'s attribute made from `fields`, in the template's order.
    pub fn new(spec: &'a KeySpec, fields: &'a [&'a dyn ToKeyText]) -> Self {
        ComposedRef {
            spec,
            fields: Fields::Given(fields),
        }
    }

    /// The value of `spec`'s attribute made from the fields of the item's composed key
    /// `which` ([`ComposeKey`]).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; attr customer: String } }
    /// use awstin_core::{Model, ValueBuf};
    /// let order = Order { customer: "c1".into() };
    /// assert_eq!(ValueBuf::from_encode(&order.key().partition_value())?, ValueBuf::S("C#c1".into()));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn of(spec: &'a KeySpec, item: &'a dyn ComposeKey, which: u8) -> Self {
        ComposedRef {
            spec,
            fields: Fields::Of(item, which),
        }
    }

    /// The key attribute's name.
    ///
    /// ```
    /// use awstin_core::key_text::{ComposedRef, KeySpec, Piece, Template};
    /// static T: KeySpec = KeySpec::new("pk", 2048, &Template::new(&[Piece::Text("A#"), Piece::Field]));
    /// assert_eq!(ComposedRef::new(&T, &[&1u8]).attribute(), "pk");
    /// ```
    pub fn attribute(&self) -> &'static str {
        self.spec.attribute
    }

    /// Writes the text to `out`, refusing one over the key's limit.
    fn write(&self, out: &mut KeyBuf) -> Result<(), Error> {
        let spec = self.spec;
        let mut write = |fields: &[&dyn ToKeyText]| {
            if fields.len() != spec.template.fields() {
                return Err(Error::KeyText {
                    reason: "the values are not one per field of the template",
                });
            }
            spec.template.write(fields, out)
        };
        match self.fields {
            Fields::Given(fields) => write(fields)?,
            Fields::Of(item, which) => item.key_fields(which, &mut write)?,
        }
        if out.total > spec.max {
            return Err(Error::KeyValueTooLong {
                attribute: spec.attribute,
                len: out.total,
                max: spec.max,
            });
        }
        Ok(())
    }
}

impl fmt::Debug for ComposedRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = KeyBuf::new();
        match self.write(&mut buf) {
            Ok(()) => f.debug_tuple("ComposedRef").field(&buf.as_str()).finish(),
            Err(e) => f.debug_tuple("ComposedRef").field(&e).finish(),
        }
    }
}

impl crate::values::value::Encode for ComposedRef<'_> {
    fn encode(&self, sink: &mut dyn crate::values::value::Sink) -> Result<(), Error> {
        (self.spec.encode)(self, sink)
    }
}

impl crate::values::value::DynamoType for ComposedRef<'_> {
    type Kind = crate::values::kind::S;
}

/// The text of a composed key, on the stack: the first 2,048 bytes (DynamoDB's largest key)
/// and the length of the whole.
struct KeyBuf {
    bytes: [u8; crate::limits::MAX_PARTITION_KEY_BYTES],
    total: usize,
}

impl KeyBuf {
    fn new() -> Self {
        KeyBuf {
            bytes: [0; crate::limits::MAX_PARTITION_KEY_BYTES],
            total: 0,
        }
    }
    /// The text, when it fitted (the caller checked `total` against a limit no larger).
    fn as_str(&self) -> &str {
        let end = self.total.min(self.bytes.len());
        // Whole strings are copied while they fit, so the bytes end on a character.
        core::str::from_utf8(&self.bytes[..end]).unwrap_or_default()
    }
}

impl fmt::Write for KeyBuf {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let at = self.total;
        self.total += s.len();
        if self.total <= self.bytes.len() {
            self.bytes[at..self.total].copy_from_slice(s.as_bytes());
        }
        Ok(())
    }
}

/// One composed key attribute of a model, as `dynamo_model!` declares it (`key pk = "USER#"
/// id;`): its name, limit, template and the types of its fields. Implemented by generated
/// types; [`Composed`] is a value of it.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 } }
/// use awstin_core::{Model, key_text::{Composed, KeyTemplate}};
/// fn attribute<K: KeyTemplate>(_: &Composed<K>) -> (&'static str, u8) {
///     (K::SPEC.attribute(), K::WHICH)
/// }
/// assert_eq!(attribute(&Order::sk(&7)), ("sk", 1));
/// ```
pub trait KeyTemplate: 'static {
    /// The attribute, its limit in bytes (2,048 for a partition key, 1,024 for a sort key)
    /// and its template.
    const SPEC: &'static KeySpec;
    /// Which key of the model it is: 0 the partition key, 1 the sort key.
    const WHICH: u8;
    /// The fields' types, in the template's order: a tuple.
    type Fields: KeyFields;
    /// [`WHICH`](KeyTemplate::WHICH) as a type (`key_shape::PartitionSide` or `SortSide`),
    /// for the key-condition rules checked by the type checker.
    type Side;
    /// How many fields, as a type (`key_shape::Z`, `S<Z>`, ...).
    type Count;
    /// Whether the template ends with a field, as a type (`key_shape::Yes` or `No`).
    type Ends;
}

/// The fields of a composed key as a tuple of their values (of one to six types with
/// [`ToKeyText`] and [`FromKeyText`]).
///
/// ```
/// use awstin_core::key_text::KeyFields;
/// assert_eq!(<(String, u32)>::read(&["a%23", "0000000007"])?, ("a#".to_string(), 7));
/// # Ok::<(), awstin_core::DecodeError>(())
/// ```
pub trait KeyFields: Sized {
    /// How many.
    const LEN: usize;
    /// Reads the values from their key texts, one per field.
    fn read(texts: &[&str]) -> Result<Self, DecodeError>;
    /// Calls `f` with the values as key text writers.
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToKeyText]) -> R) -> R;
}

macro_rules! key_fields {
    ($n:expr; $($t:ident $i:tt),+) => {
        impl<$($t: ToKeyText + FromKeyText),+> KeyFields for ($($t,)+) {
            const LEN: usize = $n;
            fn read(texts: &[&str]) -> Result<Self, DecodeError> {
                if texts.len() != $n {
                    return Err(malformed("a key of its template"));
                }
                Ok(($($t::from_key_text(texts[$i])?,)+))
            }
            fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToKeyText]) -> R) -> R {
                f(&[$(&self.$i),+])
            }
        }
    };
}
impl KeyFields for () {
    const LEN: usize = 0;
    fn read(texts: &[&str]) -> Result<Self, DecodeError> {
        if texts.is_empty() {
            Ok(())
        } else {
            Err(malformed("a key of its template"))
        }
    }
    fn with_refs<R>(&self, f: impl FnOnce(&[&dyn ToKeyText]) -> R) -> R {
        f(&[])
    }
}
key_fields!(1; A 0);
key_fields!(2; A 0, B 1);
key_fields!(3; A 0, B 1, C 2);
key_fields!(4; A 0, B 1, C 2, D 3);
key_fields!(5; A 0, B 1, C 2, D 3, E 4);
key_fields!(6; A 0, B 1, C 2, D 3, E 4, F 5);

#[cfg(feature = "alloc")]
pub use owned::Composed;

#[cfg(feature = "alloc")]
mod owned {
    use alloc::string::String;
    use core::fmt;
    use core::marker::PhantomData;

    use super::{ComposedRef, KeyFields, KeyTemplate, ToKeyText};
    use crate::error::Error;
    use crate::values::decode::{
        DecodeError, DecodeErrorKind, DecodeFrom, DecodeOwned, ValueOwned, ValueRead,
    };
    use crate::values::value::{DynamoType, Encode, Sink};

    /// The owned value of a composed key attribute of one model (`K`): made from the key's
    /// fields by the model (`Order::pk(&customer)`, generated by `dynamo_model!`) or read
    /// from a stored key, whose text must be the template's with a readable value in every
    /// field. It is the model's [`Model::Key`](crate::Model::Key) part, so a key of another
    /// template, or a text made by hand, does not address the model's items.
    ///
    /// ```
    /// awstin_macros::dynamo_model! {
    ///     pub struct Order { table "App"; key pk = "CUSTOMER#" customer; key sk = "ORDER#" id; attr customer: String; attr id: u32 }
    /// }
    /// let pk = Order::pk("c#1");
    /// assert_eq!(pk.as_str(), Some("CUSTOMER#c%231"));
    /// assert_eq!(pk.fields()?, ("c#1".to_string(),));
    /// assert_eq!(Order::sk(&7).fields()?, (7,));
    /// # Ok::<(), awstin_core::DecodeError>(())
    /// ```
    pub struct Composed<K> {
        text: Result<String, Error>,
        _template: PhantomData<fn() -> K>,
    }

    impl<K: KeyTemplate> Composed<K> {
        /// The key of `fields` (in the template's order): a value that has no key text (NaN)
        /// or a text over the key's limit is kept as the error, returned when the key is
        /// sent or encoded.
        ///
        /// ```
        /// # awstin_macros::dynamo_model! { pub struct Reading { table "App"; key pk = "S#" at; attr at: f64 } }
        /// use awstin_core::{Encode, Model, ValueBuf};
        /// let nan = <Reading as Model>::Partition::new(&[&f64::NAN]);
        /// assert_eq!(nan.as_str(), None);
        /// assert!(ValueBuf::from_encode(&nan).is_err());
        /// ```
        pub fn new(fields: &[&dyn ToKeyText]) -> Self {
            let composed = ComposedRef::new(K::SPEC, fields);
            let mut buf = super::KeyBuf::new();
            Composed {
                text: composed
                    .write(&mut buf)
                    .map(|()| String::from(buf.as_str())),
                _template: PhantomData,
            }
        }

        /// The key of the field values `fields`.
        ///
        /// ```
        /// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; attr customer: String } }
        /// use awstin_core::{Model, key_text::Composed};
        /// let pk = <Order as Model>::Partition::of(&("c1".to_string(),));
        /// assert_eq!(pk, Order::pk("c1"));
        /// ```
        pub fn of(fields: &K::Fields) -> Self {
            fields.with_refs(|refs| Self::new(refs))
        }

        /// The text, or `None` when the values made none.
        ///
        /// ```
        /// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; attr customer: String } }
        /// assert_eq!(Order::pk("a#b").as_str(), Some("C#a%23b"));
        /// ```
        pub fn as_str(&self) -> Option<&str> {
            self.text.as_deref().ok()
        }

        /// The field values, read back from the text.
        ///
        /// ```
        /// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; key sk = "O#" placed "#" n; attr customer: String; attr placed: i64; attr n: u32 } }
        /// assert_eq!(Order::sk(&-5, &7).fields(), Ok((-5, 7)));
        /// ```
        pub fn fields(&self) -> Result<K::Fields, DecodeError> {
            let text = self.text.as_deref().map_err(|_| {
                DecodeError::new(DecodeErrorKind::Malformed {
                    expected: "a composed key",
                })
            })?;
            read_fields::<K>(text)
        }

        /// The key read from its stored text: refused unless it is the template's with a
        /// readable value in every field.
        fn read(text: String) -> Result<Self, DecodeError> {
            read_fields::<K>(&text)?;
            Ok(Composed {
                text: Ok(text),
                _template: PhantomData,
            })
        }
    }

    fn read_fields<K: KeyTemplate>(text: &str) -> Result<K::Fields, DecodeError> {
        let mut parts = [""; super::MAX_FIELDS];
        let n = K::SPEC.template.fields();
        K::SPEC.template.split(text, &mut parts[..n])?;
        K::Fields::read(&parts[..n])
    }

    impl<K> Clone for Composed<K> {
        fn clone(&self) -> Self {
            Composed {
                text: self.text.clone(),
                _template: PhantomData,
            }
        }
    }
    impl<K> PartialEq for Composed<K> {
        fn eq(&self, other: &Self) -> bool {
            self.text == other.text
        }
    }
    impl<K> Eq for Composed<K> {}
    impl<K> core::hash::Hash for Composed<K> {
        fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
            self.text.hash(state);
        }
    }
    impl<K> fmt::Debug for Composed<K> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match &self.text {
                Ok(text) => f.debug_tuple("Composed").field(text).finish(),
                Err(e) => f.debug_tuple("Composed").field(e).finish(),
            }
        }
    }

    impl<K> Encode for Composed<K> {
        fn encode(&self, sink: &mut dyn Sink) -> Result<(), Error> {
            match &self.text {
                Ok(text) => sink.string(text),
                Err(e) => Err(*e),
            }
        }
        /// The key's text, written straight into a backend's string (a key that failed to
        /// compose has none: its encoding returns the error).
        fn scalar(&self) -> Option<crate::values::value::Scalar<'_>> {
            self.text
                .as_deref()
                .ok()
                .map(crate::values::value::Scalar::S)
        }
        fn size_at_most(&self) -> Option<usize> {
            self.text.as_ref().ok().map(String::len)
        }
    }

    impl<K> DynamoType for Composed<K> {
        type Kind = crate::values::kind::S;
    }

    impl<K: KeyTemplate, R: ValueRead> DecodeFrom<R> for Composed<K> {
        fn decode(value: R) -> Result<Self, DecodeError> {
            Self::read(String::decode(value)?)
        }
    }

    impl<K: KeyTemplate, V: ValueOwned> DecodeOwned<V> for Composed<K> {
        fn decode_owned(value: V) -> Result<Self, DecodeError> {
            Self::read(String::decode_owned(value)?)
        }
    }
}
