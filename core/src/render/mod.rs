//! Rendering expressions into DynamoDB's text syntax with shared placeholder tables.
//!
//! A [`Request`] is one request's placeholder namespace: its key condition, filter, condition,
//! update and projection are rendered through it in turn, each into any [`fmt::Write`]. Every
//! name becomes `#nI` and every value `:vI`, numbered in order of first use, so the output is
//! the same bytes for the same input. Names are deduplicated. Nothing here allocates: the
//! tables are `heapless` vectors whose capacity is a type parameter, and a full table or output
//! is an [`Error`], never a panic.

use core::fmt::{self, Write as _};

use heapless::{Vec, VecView};

use crate::error::{ExpressionKind, Table};
use crate::model::KeyRole;
use crate::path::{MAX_PATH_DEPTH, Path, Segment};
use crate::value::{Container, Encode, Sink};
use crate::{Error, Number};

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
    fn write(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        let table = if self.value { &VALUE_TEXT } else { &NAME_TEXT };
        if let Some(text) = table.get(self.index) {
            return f.write_str(text);
        }
        f.write_str(if self.value { ":v" } else { "#n" })?;
        crate::number::write_decimal(f, self.index)
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

/// The placeholder tables of one request, shared by all of its expressions.
///
/// `NAMES` and `VALUES` bound how many distinct names and values the request may use.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Option<String> } }
/// use awstin_core::{Document, Request};
/// use awstin_macros::cond;
///
/// let (year, from, to) = (1992u32, "A", "L");
/// let key = Movie::expr(cond!(year == year && title between from..to));
/// let mut request = Request::<4, 4>::new();
/// let mut text = heapless::String::<128>::new();
/// request.key_condition(&key, &mut text)?;
/// assert_eq!(text, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
/// let names: Vec<_> = request.names().map(|(p, n)| (p.to_string(), n)).collect();
/// assert_eq!(names, [("#n0".to_string(), "year"), ("#n1".to_string(), "title")]);
/// assert_eq!(request.values().count(), 3);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct Request<'a, const NAMES: usize = 32, const VALUES: usize = 64> {
    names: Vec<&'a str, NAMES>,
    values: Vec<&'a dyn Encode, VALUES>,
}

impl<const NAMES: usize, const VALUES: usize> Default for Request<'_, NAMES, VALUES> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, const NAMES: usize, const VALUES: usize> Request<'a, NAMES, VALUES> {
    /// Empty tables.
    ///
    /// ```
    /// let request = awstin_core::Request::<8, 8>::new();
    /// assert_eq!(request.names().count(), 0);
    /// ```
    pub const fn new() -> Self {
        Request {
            names: Vec::new(),
            values: Vec::new(),
        }
    }

    /// The name placeholders used so far, in order, with the names they stand for.
    ///
    /// ```
    /// assert!(awstin_core::Request::<8, 8>::new().names().next().is_none());
    /// ```
    pub fn names(&self) -> impl ExactSizeIterator<Item = (Placeholder, &'a str)> + '_ {
        self.names
            .iter()
            .enumerate()
            .map(|(i, n)| (Placeholder::name(i), *n))
    }

    /// The value placeholders used so far, in order, with the values they stand for.
    ///
    /// ```
    /// assert!(awstin_core::Request::<8, 8>::new().values().next().is_none());
    /// ```
    pub fn values(&self) -> impl ExactSizeIterator<Item = (Placeholder, &'a dyn Encode)> + '_ {
        self.values
            .iter()
            .enumerate()
            .map(|(i, v)| (Placeholder::value(i), *v))
    }

    /// Forgets the names and values past the first `names` and `values`: the tables as they
    /// were before an expression that failed, e.g. on a full table.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, Request};
    /// let y = 1992u32;
    /// let c = Movie::expr(awstin_macros::cond!(year == y));
    /// let mut request = Request::<4, 4>::new();
    /// request.filter(&c, &mut heapless::String::<32>::new())?;
    /// request.truncate(0, 0);
    /// assert_eq!((request.names().len(), request.values().len()), (0, 0));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn truncate(&mut self, names: usize, values: usize) {
        self.names.truncate(names);
        self.values.truncate(values);
    }

    /// Adds the names and values of `other` after this request's own (for tables grown into
    /// a larger capacity); [`Error::Capacity`] when they do not fit.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, Request};
    /// let y = 1992u32;
    /// let c = Movie::expr(awstin_macros::cond!(year == y));
    /// let mut small = Request::<1, 1>::new();
    /// small.filter(&c, &mut heapless::String::<32>::new())?;
    /// let mut large = Request::<64, 64>::new();
    /// large.extend_from(&small)?;
    /// assert_eq!(large.names().map(|(_, n)| n).collect::<Vec<_>>(), ["year"]);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn extend_from<const N: usize, const V: usize>(
        &mut self,
        other: &Request<'a, N, V>,
    ) -> Result<(), Error> {
        for (_, name) in other.names() {
            self.names.push(name).map_err(|_| Error::Capacity {
                table: Table::Names,
                capacity: NAMES,
            })?;
        }
        for (_, value) in other.values() {
            self.values.push(value).map_err(|_| Error::Capacity {
                table: Table::Values,
                capacity: VALUES,
            })?;
        }
        Ok(())
    }

    /// Renders a Query's key condition. Only [`KeyCondition`](crate::KeyCondition)s are
    /// accepted; key values are checked to be non-empty and within DynamoDB's size limits.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::{Document, Error, Request};
    /// let empty = "";
    /// let key = Movie::expr(awstin_macros::cond!(year == 1985 && title == empty));
    /// let mut text = heapless::String::<64>::new();
    /// let err = Request::<4, 4>::new().key_condition(&key, &mut text).unwrap_err();
    /// assert_eq!(err, Error::EmptyKeyValue { attribute: "title" });
    /// ```
    pub fn key_condition<M, C>(
        &mut self,
        condition: &'a C,
        out: &mut dyn fmt::Write,
    ) -> Result<(), Error>
    where
        C: crate::KeyCondition<M>,
    {
        condition.check_key_values()?;
        self.render(ExpressionKind::KeyCondition, out, |r| condition.render(r))
    }

    /// Renders a condition for a write (`ConditionExpression`).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let cond = Movie::expr(awstin_macros::cond!(rating <= 5));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().condition(&cond, &mut text)?;
    /// assert_eq!(text, "#n0 <= :v0");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn condition<C: crate::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn fmt::Write,
    ) -> Result<(), Error> {
        self.render(ExpressionKind::Condition, out, |r| condition.render(r))
    }

    /// Renders a Query or Scan filter (`FilterExpression`).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let filter = Movie::expr(awstin_macros::cond!(year between 1950..=1959));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().filter(&filter, &mut text)?;
    /// assert_eq!(text, "#n0 BETWEEN :v0 AND :v1");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn filter<C: crate::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn fmt::Write,
    ) -> Result<(), Error> {
        self.render(ExpressionKind::Filter, out, |r| condition.render(r))
    }

    /// Renders the `FilterExpression` of a Query, which may not name a key attribute of the
    /// table or index queried ([`Error::KeyInFilter`]); a Scan's filter may.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Error, Request};
    /// let (min, name) = (7, "Heat");
    /// let mut text = heapless::String::<64>::new();
    /// let on_rating = Movie::expr(awstin_macros::cond!(rating >= min));
    /// Request::<4, 4>::new().query_filter(&on_rating, &mut text)?;
    /// assert_eq!(text, "#n0 >= :v0");
    /// let on_key = Movie::expr(awstin_macros::cond!(rating >= min && title != name));
    /// assert_eq!(
    ///     Request::<4, 4>::new().query_filter(&on_key, &mut heapless::String::<64>::new()),
    ///     Err(Error::KeyInFilter { attribute: "title" })
    /// );
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn query_filter<C: crate::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn fmt::Write,
    ) -> Result<(), Error> {
        self.render_checked(ExpressionKind::Filter, true, out, |r| condition.render(r))
    }

    /// Renders an `UpdateExpression`, after checking that no two actions touch overlapping or
    /// conflicting paths.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let update = Movie::expr(awstin_macros::update!(rating += 1));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().update(&update, &mut text)?;
    /// assert_eq!(text, "SET #n0 = #n0 + :v0");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn update<U: crate::Update>(
        &mut self,
        update: &'a U,
        out: &mut dyn fmt::Write,
    ) -> Result<(), Error> {
        crate::update::check_overlaps(update.len(), |i| update.path(i))?;
        self.render(ExpressionKind::Update, out, |r| {
            crate::update::render(update, r)
        })
    }

    /// Renders a `ProjectionExpression`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let projection = Movie::expr(awstin_macros::project!(year, title));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().projection(&projection, &mut text)?;
    /// assert_eq!(text, "#n0, #n1");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn projection<P: crate::Projection>(
        &mut self,
        projection: &'a P,
        out: &mut dyn fmt::Write,
    ) -> Result<(), Error> {
        crate::update::check_overlaps(projection.len(), |i| projection.path(i))?;
        self.render(ExpressionKind::Projection, out, |r| projection.render(r))
    }

    fn render(
        &mut self,
        expression: ExpressionKind,
        out: &mut dyn fmt::Write,
        body: impl FnOnce(&mut Renderer<'_, 'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.render_checked(expression, false, out, body)
    }

    fn render_checked(
        &mut self,
        expression: ExpressionKind,
        keys_forbidden: bool,
        out: &mut dyn fmt::Write,
        body: impl FnOnce(&mut Renderer<'_, 'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut r = Renderer {
            names: self.names.as_mut_view(),
            values: self.values.as_mut_view(),
            out,
            buffer: heapless::String::new(),
            len: 0,
            operators: 0,
            output_failed: false,
            keys_forbidden,
        };
        body(&mut r)?;
        r.flush();
        if r.output_failed {
            return Err(Error::Output);
        }
        if r.len > MAX_EXPRESSION_BYTES {
            return Err(Error::ExpressionTooLong {
                expression,
                len: r.len,
                max: MAX_EXPRESSION_BYTES,
            });
        }
        if r.operators > MAX_OPERATORS {
            return Err(Error::TooManyOperators {
                expression,
                count: r.operators,
                max: MAX_OPERATORS,
            });
        }
        Ok(())
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
    out: &'r mut dyn fmt::Write,
    /// Text not yet passed to `out`: many short pieces become one write.
    buffer: heapless::String<RENDER_BUFFER>,
    len: usize,
    operators: usize,
    output_failed: bool,
    /// Set for a Query filter, which may not name key attributes.
    keys_forbidden: bool,
}

/// Bytes of text a [`Renderer`] gathers before writing them out.
const RENDER_BUFFER: usize = 256;

impl fmt::Write for Renderer<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.len += s.len();
        if self.len <= MAX_EXPRESSION_BYTES
            && !self.output_failed
            && self.buffer.push_str(s).is_err()
        {
            self.flush();
            if self.buffer.push_str(s).is_err() && self.out.write_str(s).is_err() {
                self.output_failed = true;
            }
        }
        Ok(())
    }
}

impl Renderer<'_, '_> {
    /// Passes the gathered text to the output.
    fn flush(&mut self) {
        if !self.buffer.is_empty() {
            if self.out.write_str(&self.buffer).is_err() {
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

    /// Checks `value` (numbers, sets, nesting) and writes a new value placeholder for it.
    pub fn value(&mut self, value: &'a dyn Encode) -> Result<(), Error> {
        value.encode(&mut Validator::default())?;
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
                    let _ = crate::number::write_decimal(self, i);
                    self.text("]");
                }
            }
            first = false;
            Ok(())
        })
    }

    /// Writes a condition, in parentheses when its precedence is below `min`.
    pub fn condition<C: crate::Condition + ?Sized>(
        &mut self,
        c: &'a C,
        min: Precedence,
    ) -> Result<(), Error> {
        if C::PRECEDENCE < min {
            self.text("(");
            c.render(self)?;
            self.text(")");
            Ok(())
        } else {
            c.render(self)
        }
    }
}
