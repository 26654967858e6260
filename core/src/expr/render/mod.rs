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
use crate::expr::plan::{MAX_PLANNED, Plan};
use crate::values::value::{Container, DynamoType, Encode, Scalar, Sink, ValueCheck};
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
    /// Set for a condition with a plan: its names and values are taken in the plan's order
    /// and its text is the plan's, written by [`finish_planned`](Renderer::finish_planned).
    planned: Option<Planned>,
}

/// A renderer's state while it follows a [`Plan`].
struct Planned {
    plan: &'static Plan,
    names_seen: usize,
    values_seen: usize,
    /// The request's placeholder of each of the plan's names, `UNSET` until met.
    name_map: [u16; MAX_PLANNED],
    value_map: [u16; MAX_PLANNED],
    /// The walk met a name or value the plan does not have where it was met.
    failed: bool,
    /// A placeholder's number in the request differs from the plan's.
    renumber: bool,
}

impl Planned {
    /// The plan's number (its local placeholder) of the next name (`value` false) or value,
    /// and the request's number for it so far (`UNSET` at its first use); `None` when the
    /// plan has no more.
    fn next(&mut self, value: bool) -> Option<(usize, u16)> {
        let (slots, seen, map) = if value {
            (self.plan.values(), &mut self.values_seen, &self.value_map)
        } else {
            (self.plan.names(), &mut self.names_seen, &self.name_map)
        };
        let local = usize::from(*slots.get(*seen)?);
        *seen += 1;
        Some((local, *map.get(local)?))
    }

    /// Sets the request's number `index` for the plan's `local` name or value.
    fn set(&mut self, value: bool, local: usize, index: usize) {
        let map = if value {
            &mut self.value_map
        } else {
            &mut self.name_map
        };
        match (map.get_mut(local), u16::try_from(index)) {
            (Some(slot), Ok(number)) if number != UNSET => {
                *slot = number;
                self.renumber |= local != index;
            }
            _ => self.failed = true,
        }
    }
}

const UNSET: u16 = u16::MAX;

/// Bytes of text a [`Renderer`] gathers before writing them out.
const RENDER_BUFFER: usize = 256;

impl fmt::Write for Renderer<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.planned.is_some() {
            // The plan's text is written at the end.
            return Ok(());
        }
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
            planned: None,
        }
    }

    /// The same renderer, following `plan`: names and values go into the tables as the
    /// plan numbers them, and no text is written until
    /// [`finish_planned`](Renderer::finish_planned).
    pub(crate) fn planned(mut self, plan: &'static Plan) -> Self {
        self.planned = Some(Planned {
            plan,
            names_seen: 0,
            values_seen: 0,
            name_map: [UNSET; MAX_PLANNED],
            value_map: [UNSET; MAX_PLANNED],
            failed: false,
            renumber: false,
        });
        self
    }

    /// Ends an expression rendered by its plan: writes the plan's text, its placeholders
    /// numbered as the request's tables hold them, and checks the expression as
    /// [`finish`](Renderer::finish) does. `Ok(false)`, with nothing written, when the walk
    /// did not meet the names and values the plan has (the caller renders instead).
    pub(crate) fn finish_planned(mut self, expression: ExpressionKind) -> Result<bool, Error> {
        let Some(state) = self.planned.take() else {
            return Ok(false);
        };
        let plan = state.plan;
        if state.failed
            || state.names_seen != plan.names().len()
            || state.values_seen != plan.values().len()
        {
            crate::expr::plan::fell_back();
            return Ok(false);
        }
        if state.renumber {
            self.renumbered(plan.text(), &state);
        } else {
            self.text(plan.text());
        }
        self.finish(expression).map(|()| true)
    }

    /// Writes a plan's text with each placeholder's number mapped to the request's.
    fn renumbered(&mut self, text: &'static str, state: &Planned) {
        let bytes = text.as_bytes();
        let (mut start, mut i) = (0, 0);
        while i < bytes.len() {
            let value = match (bytes[i], bytes.get(i + 1)) {
                (b'#', Some(b'n')) => false,
                (b':', Some(b'v')) => true,
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.text(text.get(start..i).unwrap_or(""));
            let mut j = i + 2;
            let mut local = 0usize;
            while let Some(d) = bytes.get(j).filter(|b| b.is_ascii_digit()) {
                local = local
                    .saturating_mul(10)
                    .saturating_add(usize::from(d - b'0'));
                j += 1;
            }
            let map = if value {
                &state.value_map
            } else {
                &state.name_map
            };
            let index = map.get(local).map_or(local, |g| usize::from(*g));
            let _ = Placeholder { value, index }.write(self);
            start = j;
            i = j;
        }
        self.text(text.get(start..).unwrap_or(""));
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
        if let Some(state) = self.planned.as_mut() {
            // A name met before is the name the plan has in its place, or the plan is wrong.
            match state.next(false) {
                Some((local, UNSET)) => {
                    let index = name_index(self.names, name)?;
                    state.set(false, local, index);
                }
                Some((_, index)) => {
                    state.failed |= self.names.get(usize::from(index)) != Some(&name);
                }
                None => state.failed = true,
            }
            return Ok(());
        }
        let index = name_index(self.names, name)?;
        let _ = Placeholder::name(index).write(self);
        Ok(())
    }

    /// Checks `value` (numbers, sets, nesting) and writes a value placeholder for it: the
    /// placeholder of the same value when it was written before (the same variable or field,
    /// which the macros borrow at each use), else a new one.
    pub fn value(&mut self, value: &'a dyn Encode) -> Result<(), Error> {
        check(value)?;
        self.place(value)
    }

    /// [`value`](Renderer::value) for a value whose type is known: the check runs only for a
    /// type whose values can fail it (a float, a list, a map, a set, a dynamic value), not for
    /// one whose every value DynamoDB takes (a string, an integer, a bool).
    pub fn typed_value<V: Encode + DynamoType>(&mut self, value: &'a V) -> Result<(), Error> {
        match V::CHECK {
            ValueCheck::None => {}
            ValueCheck::Magnitude => {
                if let Some(Scalar::F64(v)) = value.scalar() {
                    Number::check_f64(v)?;
                }
            }
            ValueCheck::Full => check(value)?,
        }
        self.place(value)
    }

    /// Writes the placeholder of a value already checked.
    fn place(&mut self, value: &'a dyn Encode) -> Result<(), Error> {
        if let Some(state) = self.planned.as_mut() {
            match state.next(true) {
                Some((local, UNSET)) => {
                    let index = push_value(self.values, value)?;
                    state.set(true, local, index);
                }
                // The same variable or field, written again: its placeholder.
                Some(_) => {}
                None => state.failed = true,
            }
            return Ok(());
        }
        if self.readable.is_none() && !self.values.is_empty() {
            let identity = value.identity();
            if let Some(index) = self.values.iter().position(|v| v.identity() == identity) {
                let _ = Placeholder::value(index).write(self);
                return Ok(());
            }
        }
        if self.readable.is_some() {
            let _ = Placeholder::value(self.shown_values).write(self);
            self.shown_values += 1;
            return Ok(());
        }
        let index = push_value(self.values, value)?;
        let _ = Placeholder::value(index).write(self);
        Ok(())
    }

    /// Writes a document path: `#n0.#n1[2]`.
    ///
    /// Its list indexes are checked here and its names by [`name`](Renderer::name), whether
    /// the text is written or taken from a plan.
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

/// The index of `name` in the names table, added when new.
fn name_index<'a>(names: &mut VecView<&'a str>, name: &'a str) -> Result<usize, Error> {
    if let Some(i) = names.iter().position(|n| *n == name) {
        return Ok(i);
    }
    let capacity = names.capacity();
    names.push(name).map_err(|_| Error::Capacity {
        table: Table::Names,
        capacity,
    })?;
    Ok(names.len() - 1)
}

/// Adds `value` to the values table; its index.
fn push_value<'a>(
    values: &mut VecView<&'a dyn Encode>,
    value: &'a dyn Encode,
) -> Result<usize, Error> {
    let capacity = values.capacity();
    values.push(value).map_err(|_| Error::Capacity {
        table: Table::Values,
        capacity,
    })?;
    Ok(values.len() - 1)
}

/// Checks a value as DynamoDB would (numbers, sets, nesting).
fn check(value: &dyn Encode) -> Result<(), Error> {
    value.encode(&mut Validator::default())
}
