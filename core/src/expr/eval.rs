//! Local evaluation of conditions with DynamoDB's semantics, without a server and without
//! allocating.
//!
//! An operand resolves against an item (any [`ValueRead`]) to a stored value, a given value
//! (`&dyn Encode`), a size, or nothing. Comparisons follow DynamoDB: a missing attribute makes
//! `=` false and `<>` true, and ordering, `BETWEEN` and `IN` false; a type mismatch is false
//! (`<>` true), never an error; numbers compare as decimals, strings by UTF-8 bytes, binaries as
//! unsigned bytes; equality of sets ignores order, also nested.
//!
//! A condition unit test needs no server:
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info } }
//! # awstin_macros::dynamo_model! { pub struct Info { attr rating: f64; attr actors: Vec<String>; } }
//! use awstin_core::{Condition, Document, Number, Value};
//! use awstin_macros::cond;
//!
//! let item = Value::M(&[
//!     ("year", Value::N(Number::from(2015u32))),
//!     ("title", Value::S("The Big New Movie")),
//!     ("info", Value::M(&[("rating", Value::N(Number::from(6u8))), ("actors", Value::L(&[Value::S("Larry")]))])),
//! ]);
//! let (rating, actor_count) = (5, 3);
//! assert!(!Movie::expr(cond!(info.rating <= rating)).eval(item)?);
//! assert!(!Movie::expr(cond!(size(info.actors) >= actor_count)).eval(item)?);
//! assert!(Movie::expr(cond!(attribute_not_exists(info.actors[5]) && begins_with(title, "The"))).eval(item)?);
//! # Ok::<(), awstin_core::Error>(())
//! ```

use core::cmp::Ordering;

use heapless::Vec;

use crate::expr::path::{Path, Segment};
use crate::limits::MAX_VALUE_DEPTH;
use crate::values::decode::ValueRead;
use crate::values::value::{AttributeType, Container, Encode, Sink};
use crate::{error::Error, values::number::Number};

/// An operand, resolved against an item.
pub enum Resolved<'s, R> {
    /// A value of the item.
    Stored(R),
    /// A value given in the expression.
    Given(&'s dyn Encode),
    /// The result of `size()`.
    Size(Number),
    /// A path the item does not have (or `size` of one).
    Missing,
}

/// Reads the value at `path` of `item`.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; attr info: Info } }
/// # awstin_macros::dynamo_model! { pub struct Info { attr actors: Vec<String>; } }
/// use awstin_core::{Document, PathExt, Value, decode::ValueRead, eval::lookup};
/// let item = Value::M(&[("info", Value::M(&[("actors", Value::L(&[Value::S("Larry")]))]))]);
/// let first = Movie::expr(|f| f.info.member(|i| i.actors).index(0));
/// assert_eq!(lookup(&first, item).and_then(|v| v.as_str().map(str::len)), Some(5));
/// ```
pub fn lookup<P: Path, R: ValueRead>(path: &P, item: R) -> Option<R> {
    lookup_segments(path, item)
}

/// The value at a path given by its segments (of a path a renderer passed on, say).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::{Document, Number, Value};
/// let item = Value::M(&[("rating", Value::N(Number::from(7u8)))]);
/// let path: &dyn awstin_core::path::Segments = &Movie::FIELDS.rating;
/// assert!(awstin_core::eval::lookup_segments(path, item).is_some());
/// let missing: &dyn awstin_core::path::Segments = &Movie::FIELDS.title;
/// assert!(awstin_core::eval::lookup_segments(missing, item).is_none());
/// ```
pub fn lookup_segments<R: ValueRead>(path: &dyn crate::expr::path::Segments, item: R) -> Option<R> {
    let mut cursor = Some(item);
    let _ = path.each(&mut |segment| {
        cursor = cursor.and_then(|v| match segment {
            Segment::Name(name) => v.get(name),
            Segment::Index(i) => match v.attribute_type() {
                AttributeType::L => v.item(i),
                _ => None,
            },
        });
        Ok(())
    });
    cursor
}

/// A scalar, for ordering.
#[derive(Clone, Copy)]
enum Scalar<'v> {
    S(&'v [u8]),
    N(Number),
    B(&'v [u8]),
}

fn stored_scalar<R: ValueRead>(v: &R) -> Result<Option<Scalar<'_>>, Error> {
    Ok(match v.attribute_type() {
        AttributeType::S => v.as_str().map(|s| Scalar::S(s.as_bytes())),
        AttributeType::N => Some(Scalar::N(v.number().ok_or(Error::InvalidNumber)??)),
        AttributeType::B => v.as_binary().map(Scalar::B),
        _ => None,
    })
}

fn order(a: Scalar<'_>, b: Scalar<'_>) -> Option<Ordering> {
    match (a, b) {
        (Scalar::S(x), Scalar::S(y)) | (Scalar::B(x), Scalar::B(y)) => Some(x.cmp(y)),
        (Scalar::N(x), Scalar::N(y)) => Some(x.cmp(&y)),
        _ => None,
    }
}

/// Calls `f` with the scalar `value` encodes to, or `None` for a non-scalar.
fn with_given_scalar(
    value: &dyn Encode,
    f: &mut dyn FnMut(Option<Scalar<'_>>) -> Result<(), Error>,
) -> Result<(), Error> {
    struct Probe<'f> {
        f: &'f mut dyn FnMut(Option<Scalar<'_>>) -> Result<(), Error>,
        depth: usize,
    }
    impl Probe<'_> {
        fn top(&mut self, s: Option<Scalar<'_>>) -> Result<(), Error> {
            if self.depth == 0 { (self.f)(s) } else { Ok(()) }
        }
    }
    impl Sink for Probe<'_> {
        fn string(&mut self, v: &str) -> Result<(), Error> {
            self.top(Some(Scalar::S(v.as_bytes())))
        }
        fn number(&mut self, v: Number) -> Result<(), Error> {
            self.top(Some(Scalar::N(v)))
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
            self.top(Some(Scalar::B(v)))
        }
        fn boolean(&mut self, _: bool) -> Result<(), Error> {
            self.top(None)
        }
        fn null(&mut self) -> Result<(), Error> {
            self.top(None)
        }
        fn begin(&mut self, _: Container) -> Result<(), Error> {
            self.top(None)?;
            self.depth += 1;
            Ok(())
        }
        fn key(&mut self, _: &str) -> Result<(), Error> {
            Ok(())
        }
        fn end(&mut self) -> Result<(), Error> {
            self.depth -= 1;
            Ok(())
        }
    }
    value.encode(&mut Probe { f, depth: 0 })
}

/// The type of a given value (its top level).
///
/// ```
/// use awstin_core::{AttributeType, eval::given_type};
/// assert_eq!(given_type(&true)?, AttributeType::BOOL);
/// assert_eq!(given_type(&"a")?, AttributeType::S);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn given_type(value: &dyn Encode) -> Result<AttributeType, Error> {
    crate::values::key_value::top_level(value).map(|(t, _)| t)
}

/// Refuses a given value DynamoDB does not take as an operand of `operator` whatever the
/// item holds: one not of `allowed`.
pub(crate) fn operand_of(
    operator: &'static str,
    value: &dyn Encode,
    allowed: &[AttributeType],
) -> Result<AttributeType, Error> {
    let found = given_type(value)?;
    if allowed.contains(&found) {
        Ok(found)
    } else {
        Err(Error::OperandType { operator, found })
    }
}

/// The types DynamoDB orders.
pub(crate) const ORDERED: &[AttributeType] =
    &[AttributeType::S, AttributeType::N, AttributeType::B];

fn member_count<R: ValueRead>(v: &R) -> usize {
    let mut n = 0;
    let _ = v.for_each_member(&mut |_, _| {
        n += 1;
        Ok(())
    });
    n
}

/// Whether two stored values are equal as DynamoDB compares them: numbers by value (`1.0`
/// equals `1`), sets in any order, lists in order, maps member by member at any depth.
///
/// ```
/// use awstin_core::{Number, Value, eval::stored_values_equal};
/// let a = || Value::N("1.50".parse::<Number>().expect("a number"));
/// assert!(stored_values_equal(a(), Value::N("1.5".parse::<Number>()?))?);
/// assert!(!stored_values_equal(a(), Value::S("1.5"))?);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn stored_values_equal<R: ValueRead>(a: R, b: R) -> Result<bool, Error> {
    stored_equal(a, b)
}

/// Deep equality of two stored values.
fn stored_equal<R: ValueRead>(a: R, b: R) -> Result<bool, Error> {
    let t = a.attribute_type();
    if t != b.attribute_type() {
        return Ok(false);
    }
    Ok(match t {
        AttributeType::S | AttributeType::N | AttributeType::B => {
            match (stored_scalar(&a)?, stored_scalar(&b)?) {
                (Some(x), Some(y)) => order(x, y) == Some(Ordering::Equal),
                _ => false,
            }
        }
        AttributeType::BOOL => a.as_bool() == b.as_bool(),
        AttributeType::NULL => true,
        AttributeType::L => {
            let n = a.len().unwrap_or(0);
            if b.len() != Some(n) {
                return Ok(false);
            }
            for i in 0..n {
                match (a.item(i), b.item(i)) {
                    (Some(x), Some(y)) if stored_equal(x, y)? => {}
                    _ => return Ok(false),
                }
            }
            true
        }
        AttributeType::M => {
            if member_count(&a) != member_count(&b) {
                return Ok(false);
            }
            let mut equal = true;
            a.for_each_member(&mut |key, x| {
                if equal {
                    equal = match b.get(key) {
                        Some(y) => stored_equal(x, y).unwrap_or(false),
                        None => false,
                    };
                }
                Ok(())
            })
            .map_err(|_| Error::WrongType {
                expected: "a readable map",
            })?;
            equal
        }
        AttributeType::SS | AttributeType::NS | AttributeType::BS => {
            let n = a.len().unwrap_or(0);
            if b.len() != Some(n) {
                return Ok(false);
            }
            for i in 0..n {
                let Some(x) = a.item(i) else { return Ok(false) };
                if !set_contains_stored(b, x)? {
                    return Ok(false);
                }
            }
            true
        }
    })
}

fn set_contains_stored<R: ValueRead>(set: R, element: R) -> Result<bool, Error> {
    for i in 0..set.len().unwrap_or(0) {
        if let Some(e) = set.item(i)
            && stored_equal(e, element)?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Compares a stored value with a given one, streaming the given value against it.
struct EqualSink<R> {
    /// Open containers of the stored value: the container, elements seen so far.
    open: Vec<(R, usize), MAX_VALUE_DEPTH>,
    /// The stored value the next given value must equal.
    target: Option<R>,
    equal: bool,
}

impl<R: ValueRead> EqualSink<R> {
    fn next_target(&mut self) -> Option<R> {
        match self.open.last_mut() {
            None => self.target.take(),
            Some((container, seen)) => match container.attribute_type() {
                AttributeType::L => {
                    let t = container.item(*seen);
                    *seen += 1;
                    t
                }
                AttributeType::M => {
                    *seen += 1;
                    self.target.take()
                }
                _ => None,
            },
        }
    }

    /// Inside a set: is `matches` true for one of its elements?
    fn set_element(&mut self, matches: impl Fn(&R) -> bool) -> Option<bool> {
        let (container, seen) = self.open.last_mut()?;
        if !matches!(
            container.attribute_type(),
            AttributeType::SS | AttributeType::NS | AttributeType::BS
        ) {
            return None;
        }
        *seen += 1;
        let found = (0..container.len().unwrap_or(0))
            .filter_map(|i| container.item(i))
            .any(|e| matches(&e));
        Some(found)
    }

    fn scalar(&mut self, given: Scalar<'_>) -> Result<(), Error> {
        if !self.equal {
            return Ok(());
        }
        let same = |stored: &R| matches!(stored_scalar(stored), Ok(Some(s)) if order(s, given) == Some(Ordering::Equal));
        if let Some(found) = self.set_element(same) {
            self.equal &= found;
            return Ok(());
        }
        let target = self.next_target();
        self.equal &= target.is_some_and(|t| same(&t));
        Ok(())
    }
}

impl<R: ValueRead> Sink for EqualSink<R> {
    fn string(&mut self, v: &str) -> Result<(), Error> {
        self.scalar(Scalar::S(v.as_bytes()))
    }
    fn number(&mut self, v: Number) -> Result<(), Error> {
        self.scalar(Scalar::N(v))
    }
    fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
        self.scalar(Scalar::B(v))
    }
    fn boolean(&mut self, v: bool) -> Result<(), Error> {
        if self.equal {
            let t = self.next_target();
            self.equal &= t.is_some_and(|t| t.as_bool() == Some(v));
        }
        Ok(())
    }
    fn null(&mut self) -> Result<(), Error> {
        if self.equal {
            let t = self.next_target();
            self.equal &= t.is_some_and(|t| t.attribute_type() == AttributeType::NULL);
        }
        Ok(())
    }
    fn begin(&mut self, container: Container) -> Result<(), Error> {
        let target = if self.equal { self.next_target() } else { None };
        match target {
            Some(t) if t.attribute_type() == container.attribute_type() => {
                self.open.push((t, 0)).map_err(|_| Error::NestingTooDeep {
                    depth: MAX_VALUE_DEPTH + 1,
                    max: MAX_VALUE_DEPTH,
                })
            }
            _ => {
                self.equal = false;
                Ok(())
            }
        }
    }
    fn key(&mut self, key: &str) -> Result<(), Error> {
        if self.equal {
            self.target = self.open.last().and_then(|(m, _)| m.get(key));
            self.equal &= self.target.is_some();
        }
        Ok(())
    }
    fn end(&mut self) -> Result<(), Error> {
        if !self.equal {
            return Ok(());
        }
        if let Some((container, seen)) = self.open.pop() {
            let expected = match container.attribute_type() {
                AttributeType::M => member_count(&container),
                _ => container.len().unwrap_or(0),
            };
            self.equal &= seen == expected;
        }
        Ok(())
    }
}

fn given_equal<R: ValueRead>(stored: R, given: &dyn Encode) -> Result<bool, Error> {
    let mut sink = EqualSink {
        open: Vec::new(),
        target: Some(stored),
        equal: true,
    };
    given.encode(&mut sink)?;
    Ok(sink.equal && sink.open.is_empty())
}

/// Orders two values as DynamoDB does; `None` when they are not two scalars of one type.
///
/// ```
/// use awstin_core::Number;
/// use awstin_core::eval::compare_values;
/// assert_eq!(compare_values(&"b", &"a")?, Some(core::cmp::Ordering::Greater));
/// assert_eq!(compare_values(&Number::from(10u8), &9u8)?, Some(core::cmp::Ordering::Greater));
/// assert_eq!(compare_values(&"1", &1u8)?, None);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn compare_values(a: &dyn Encode, b: &dyn Encode) -> Result<Option<Ordering>, Error> {
    let mut result = None;
    with_given_scalar(a, &mut |x| {
        with_given_scalar(b, &mut |y| {
            result = x.zip(y).and_then(|(x, y)| order(x, y));
            Ok(())
        })
    })?;
    Ok(result)
}

/// `a = b` as DynamoDB decides it; `None` when either side is missing.
pub fn equal<R: ValueRead>(
    a: &Resolved<'_, R>,
    b: &Resolved<'_, R>,
) -> Result<Option<bool>, Error> {
    Ok(Some(match (a, b) {
        (Resolved::Missing, _) | (_, Resolved::Missing) => return Ok(None),
        (Resolved::Stored(x), Resolved::Stored(y)) => stored_equal(*x, *y)?,
        (Resolved::Stored(x), Resolved::Given(g)) | (Resolved::Given(g), Resolved::Stored(x)) => {
            given_equal(*x, *g)?
        }
        _ => compare(a, b)? == Some(Ordering::Equal),
    }))
}

/// The order of `a` and `b` when both are scalars of one type (N, S or B); `None` otherwise.
pub fn compare<R: ValueRead>(
    a: &Resolved<'_, R>,
    b: &Resolved<'_, R>,
) -> Result<Option<Ordering>, Error> {
    let mut result = None;
    with_resolved_scalar(a, &mut |x| {
        with_resolved_scalar(b, &mut |y| {
            result = match (x, y) {
                (Some(x), Some(y)) => order(x, y),
                _ => None,
            };
            Ok(())
        })
    })?;
    Ok(result)
}

fn with_resolved_scalar<R: ValueRead>(
    v: &Resolved<'_, R>,
    f: &mut dyn FnMut(Option<Scalar<'_>>) -> Result<(), Error>,
) -> Result<(), Error> {
    match v {
        Resolved::Missing => f(None),
        Resolved::Size(n) => f(Some(Scalar::N(*n))),
        Resolved::Stored(r) => f(stored_scalar(r)?),
        Resolved::Given(g) => with_given_scalar(*g, f),
    }
}

/// DynamoDB's `size()` of a stored value: UTF-16 code units of a string (as DynamoDB and
/// DynamoDB Local count them: `size("é𝄞")` is 3), bytes of a binary, elements of a set or
/// list, members of a map; `None` for numbers, booleans and null.
pub fn size_of<R: ValueRead>(v: &R) -> Option<usize> {
    match v.attribute_type() {
        AttributeType::S => v.as_str().map(|s| s.encode_utf16().count()),
        AttributeType::B => v.as_binary().map(<[u8]>::len),
        AttributeType::L | AttributeType::SS | AttributeType::NS | AttributeType::BS => v.len(),
        AttributeType::M => Some(member_count(v)),
        _ => None,
    }
}

/// `begins_with(stored, prefix)`: strings and binaries of the same type.
pub fn begins_with<R: ValueRead>(
    stored: &Resolved<'_, R>,
    prefix: &Resolved<'_, R>,
) -> Result<bool, Error> {
    let mut result = false;
    with_resolved_scalar(stored, &mut |x| {
        with_resolved_scalar(prefix, &mut |p| {
            result = match (x, p) {
                (Some(Scalar::S(s)), Some(Scalar::S(p)))
                | (Some(Scalar::B(s)), Some(Scalar::B(p))) => s.starts_with(p),
                _ => false,
            };
            Ok(())
        })
    })?;
    Ok(result)
}

/// `contains(stored, operand)`: a substring of a string, an element of a set, an element of a
/// list.
pub fn contains<R: ValueRead>(
    stored: &Resolved<'_, R>,
    operand: &Resolved<'_, R>,
) -> Result<bool, Error> {
    let Resolved::Stored(container) = stored else {
        return Ok(false);
    };
    match container.attribute_type() {
        AttributeType::S | AttributeType::B => {
            let mut result = false;
            with_resolved_scalar(stored, &mut |x| {
                with_resolved_scalar(operand, &mut |y| {
                    result = match (x, y) {
                        // A substring of a string, a byte substring of a binary.
                        (Some(Scalar::S(s)), Some(Scalar::S(sub)))
                        | (Some(Scalar::B(s)), Some(Scalar::B(sub))) => {
                            sub.is_empty() || s.windows(sub.len()).any(|w| w == sub)
                        }
                        _ => false,
                    };
                    Ok(())
                })
            })?;
            Ok(result)
        }
        AttributeType::SS | AttributeType::NS | AttributeType::BS | AttributeType::L => {
            for i in 0..container.len().unwrap_or(0) {
                if let Some(e) = container.item(i)
                    && equal(&Resolved::Stored(e), operand)? == Some(true)
                {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        _ => Ok(false),
    }
}
