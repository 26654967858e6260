//! Rendering expressions into DynamoDB's text syntax with shared placeholder tables.
//!
//! A [`Request`](crate::expr::request::Request) is one request's placeholder namespace: its key condition,
//! filter, condition, update and projection are rendered through it in turn, each into any
//! [`fmt::Write`], by a [`Renderer`]. Every name becomes `#nI` and every value `:vI`, numbered
//! in order of first use, so the output is the same bytes for the same input. Names are
//! deduplicated. Nothing here allocates: the tables are `heapless` vectors whose capacity is a
//! type parameter, and a full table or output is an [`Error`], never a panic.

use core::fmt::{self, Write as _};

use heapless::{Vec, VecView};

use crate::error::{ExpressionKind, Table};
use crate::expr::model::KeyRole;
use crate::expr::path::{MAX_PATH_DEPTH, Path, Segment};
use crate::values::value::{Container, Encode, Sink};
use crate::{error::Error, values::number::Number};

mod validate;
pub(crate) use validate::Validator;

pub use crate::limits::{
    MAX_EXPRESSION_BYTES, MAX_OPERATORS, MAX_PLACEHOLDER_BYTES, MAX_VALUE_DEPTH,
};

/// A name (`#nI`) or value (`:vI`) placeholder.
///
/// ```
/// use awstin_core::render::Placeholder;
/// assert_eq!(Placeholder::name(3).to_string(), "#n3");
/// assert_eq!(Placeholder::value(0).as_str(), ":v0");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Placeholder {
    value: bool,
    index: usize,
}

impl Placeholder {
    /// The name placeholder with this index.
    ///
    /// ```
    /// assert_eq!(awstin_core::render::Placeholder::name(1).as_str(), "#n1");
    /// ```
    pub const fn name(index: usize) -> Placeholder {
        Placeholder {
            value: false,
            index,
        }
    }

    /// The value placeholder with this index.
    ///
    /// ```
    /// assert_eq!(awstin_core::render::Placeholder::value(1).as_str(), ":v1");
    /// ```
    pub const fn value(index: usize) -> Placeholder {
        Placeholder { value: true, index }
    }

    /// The length of the placeholder's text: its two-byte prefix and the index's digits.
    ///
    /// ```
    /// use awstin_core::render::Placeholder;
    /// assert_eq!(Placeholder::value(0).len(), 3);
    /// assert_eq!(Placeholder::name(1234).len(), "#n1234".len());
    /// ```
    #[allow(clippy::len_without_is_empty, reason = "a placeholder is never empty")]
    pub const fn len(&self) -> usize {
        let (mut digits, mut rest) = (1, self.index / 10);
        while rest > 0 {
            digits += 1;
            rest /= 10;
        }
        2 + digits
    }

    /// The placeholder's text, on the stack.
    ///
    /// ```
    /// let p = awstin_core::render::Placeholder::value(12);
    /// assert_eq!(p.as_str().as_str(), ":v12");
    /// ```
    pub fn as_str(&self) -> heapless::String<24> {
        let mut s = heapless::String::new();
        // 2 bytes of prefix and at most 20 digits fit in 24.
        let _ = self.write(&mut s);
        s
    }

    /// The placeholder's text as an owned string, allocated once at its length.
    ///
    /// ```
    /// assert_eq!(awstin_core::render::Placeholder::name(7).to_text(), "#n7");
    /// ```
    #[cfg(feature = "alloc")]
    pub fn to_text(&self) -> alloc::string::String {
        let table = if self.value { &VALUE_TEXT } else { &NAME_TEXT };
        match table.get(self.index) {
            Some(text) => alloc::string::String::from(*text),
            None => alloc::string::String::from(self.as_str().as_str()),
        }
    }

    /// Writes the placeholder without `core::fmt`; the first ones are constants.
    fn write(&self, f: &mut dyn crate::Out) -> fmt::Result {
        let table = if self.value { &VALUE_TEXT } else { &NAME_TEXT };
        if let Some(text) = table.get(self.index) {
            return f.put(text);
        }
        f.put(if self.value { ":v" } else { "#n" })?;
        crate::values::number::write_decimal(f, self.index)
    }
}

/// The text of the first name placeholders.
const NAME_TEXT: [&str; 16] = [
    "#n0", "#n1", "#n2", "#n3", "#n4", "#n5", "#n6", "#n7", "#n8", "#n9", "#n10", "#n11", "#n12",
    "#n13", "#n14", "#n15",
];
/// The text of the first value placeholders.
const VALUE_TEXT: [&str; 16] = [
    ":v0", ":v1", ":v2", ":v3", ":v4", ":v5", ":v6", ":v7", ":v8", ":v9", ":v10", ":v11", ":v12",
    ":v13", ":v14", ":v15",
];

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f)
    }
}

/// Precedence of a condition, lowest first, as DynamoDB and Rust agree on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precedence {
    /// `a OR b`.
    Or,
    /// `a AND b`.
    And,
    /// `NOT a`.
    Not,
    /// Comparisons, `BETWEEN`, `IN` and functions.
    Atom,
}

/// Writes one expression: text, names and values through the request's tables.
///
/// Bytes past 4096 are counted but not written, so the error can say how long the expression
/// would have been.
pub struct Renderer<'r, 'a> {
    names: &'r mut VecView<&'a str>,
    values: &'r mut VecView<&'a dyn Encode>,
    out: &'r mut dyn crate::Out,
    /// Text not yet passed to `out`: many short pieces become one write.
    buffer: heapless::String<RENDER_BUFFER>,
    len: usize,
    operators: usize,
    output_failed: bool,
    /// Set for a Query filter, which may not name key attributes.
    keys_forbidden: bool,
    /// Set for text read by people ([`Request::readable`](crate::expr::request::Request::readable)): names
    /// are written as themselves, values as `:vI` without being kept, and each path is
    /// passed here.
    readable: Option<&'r mut dyn FnMut(&'a dyn crate::expr::path::Segments)>,
    /// Values written in readable text.
    shown_values: usize,
}

/// Bytes of text a [`Renderer`] gathers before writing them out.
const RENDER_BUFFER: usize = 256;

impl fmt::Write for Renderer<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.len += s.len();
        // Readable text is not sent, so DynamoDB's length bound does not cut it.
        if (self.len <= MAX_EXPRESSION_BYTES || self.readable.is_some())
            && !self.output_failed
            && self.buffer.push_str(s).is_err()
        {
            self.flush();
            if self.buffer.push_str(s).is_err() && self.out.put(s).is_err() {
                self.output_failed = true;
            }
        }
        Ok(())
    }
}

impl<'r, 'a> Renderer<'r, 'a> {
    /// A renderer writing into `out` through a request's tables.
    pub(crate) fn new(
        names: &'r mut VecView<&'a str>,
        values: &'r mut VecView<&'a dyn Encode>,
        out: &'r mut dyn crate::Out,
        keys_forbidden: bool,
    ) -> Self {
        Renderer {
            names,
            values,
            out,
            buffer: heapless::String::new(),
            len: 0,
            operators: 0,
            output_failed: false,
            keys_forbidden,
            readable: None,
            shown_values: 0,
        }
    }

    /// The same renderer, writing text read by people: names as themselves, values as
    /// placeholders not kept, each path passed to `paths`.
    pub(crate) fn readable(
        mut self,
        paths: &'r mut dyn FnMut(&'a dyn crate::expr::path::Segments),
    ) -> Self {
        self.readable = Some(paths);
        self
    }

    /// Ends readable text: passes what is left to the output.
    pub(crate) fn finish_readable(mut self) -> Result<(), Error> {
        self.flush();
        if self.output_failed {
            return Err(Error::Output);
        }
        Ok(())
    }

    /// Ends the expression: passes what is left to the output and checks the expression's
    /// length and operators.
    pub(crate) fn finish(mut self, expression: ExpressionKind) -> Result<(), Error> {
        self.flush();
        if self.output_failed {
            return Err(Error::Output);
        }
        if self.len > MAX_EXPRESSION_BYTES {
            return Err(Error::ExpressionTooLong {
                expression,
                len: self.len,
                max: MAX_EXPRESSION_BYTES,
            });
        }
        if self.operators > MAX_OPERATORS {
            return Err(Error::TooManyOperators {
                expression,
                count: self.operators,
                max: MAX_OPERATORS,
            });
        }
        Ok(())
    }
}

impl Renderer<'_, '_> {
    /// Passes the gathered text to the output.
    fn flush(&mut self) {
        if !self.buffer.is_empty() {
            if self.out.put(&self.buffer).is_err() {
                self.output_failed = true;
            }
            self.buffer.clear();
        }
    }
}

impl<'a> Renderer<'_, 'a> {
    /// Writes literal expression text.
    pub fn text(&mut self, s: &str) {
        let _ = self.write_str(s);
    }

    /// Counts one operator or function toward the 300 allowed.
    pub fn operator(&mut self) {
        self.operators += 1;
    }

    /// Writes the placeholder of `name`, adding it to the names table if new.
    pub fn name(&mut self, name: &'a str) -> Result<(), Error> {
        crate::limits::check_name(name)?;
        if self.readable.is_some() {
            self.text(name);
            return Ok(());
        }
        let index = match self.names.iter().position(|n| *n == name) {
            Some(i) => i,
            None => {
                let capacity = self.names.capacity();
                self.names.push(name).map_err(|_| Error::Capacity {
                    table: Table::Names,
                    capacity,
                })?;
                self.names.len() - 1
            }
        };
        let _ = Placeholder::name(index).write(self);
        Ok(())
    }

    /// Checks `value` (numbers, sets, nesting) and writes a value placeholder for it: the
    /// placeholder of the same value when it was written before (the same variable or field,
    /// which the macros borrow at each use), else a new one.
    pub fn value(&mut self, value: &'a dyn Encode) -> Result<(), Error> {
        if self.readable.is_none() && !self.values.is_empty() {
            let identity = value.identity();
            if let Some(index) = self.values.iter().position(|v| v.identity() == identity) {
                let _ = Placeholder::value(index).write(self);
                return Ok(());
            }
        }
        value.encode(&mut Validator::default())?;
        if self.readable.is_some() {
            let _ = Placeholder::value(self.shown_values).write(self);
            self.shown_values += 1;
            return Ok(());
        }
        let capacity = self.values.capacity();
        self.values.push(value).map_err(|_| Error::Capacity {
            table: Table::Values,
            capacity,
        })?;
        let index = self.values.len() - 1;
        let _ = Placeholder::value(index).write(self);
        Ok(())
    }

    /// Writes a document path: `#n0.#n1[2]`.
    pub fn path<P: Path>(&mut self, path: &'a P) -> Result<(), Error> {
        let depth = path.depth();
        if depth > MAX_PATH_DEPTH {
            return Err(Error::PathTooDeep {
                depth,
                max: MAX_PATH_DEPTH,
            });
        }
        if self.keys_forbidden && <P::Role as KeyRole>::IS_KEY {
            return Err(Error::KeyInFilter {
                attribute: path.root_name(),
            });
        }
        if let Some(paths) = self.readable.as_mut() {
            paths(path);
        }
        let mut first = true;
        path.for_each_segment(&mut |segment| {
            match segment {
                Segment::Name(name) => {
                    if !first {
                        self.text(".");
                    }
                    self.name(name)?;
                }
                Segment::Index(i) => {
                    if i > crate::limits::MAX_LIST_INDEX {
                        return Err(Error::ListIndexTooLarge {
                            index: i,
                            max: crate::limits::MAX_LIST_INDEX,
                        });
                    }
                    self.text("[");
                    let _ = crate::values::number::write_decimal(self, i);
                    self.text("]");
                }
            }
            first = false;
            Ok(())
        })
    }
}
