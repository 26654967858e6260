//! Sizes as DynamoDB counts them: of an item against its 400 KB limit, of a value in the
//! expression maps, of a transaction's items.
//!
//! The rules are DynamoDB's ("Item sizes and formats"), with the number rule as measured
//! against the service: a string is its UTF-8 bytes, a binary its raw bytes, a boolean or
//! NULL one byte; a number one byte, plus one per two significant digits of its integer
//! part and one per two of its fraction (each rounded up), plus one when it is negative; a
//! list or map three bytes, plus one per element and, for a map, each member's name; a set
//! the sizes of its elements. An item is the sum of its attribute names and values.
//!
//! ```
//! use awstin_core::{Number, size};
//! assert_eq!(size::number_size(Number::from(42u8)), 2);
//! assert_eq!(size::number_size(Number::from(-42i8)), 3);
//! assert_eq!(size::number_size("1.5".parse()?), 3);
//! assert_eq!(size::value_size(&vec!["ab".to_string()])?, 3 + 1 + 2);
//! # Ok::<(), awstin_core::Error>(())
//! ```

use crate::values::value::{Container, Encode, Sink};
use crate::{error::Error, values::number::Number};

/// The bytes DynamoDB counts for a number: see the [module](self) documentation.
///
/// ```
/// use awstin_core::{Number, size::number_size};
/// assert_eq!(number_size(Number::ZERO), 1);
/// assert_eq!(number_size(Number::from(1200u32)), 2);   // "12" and two zeros: 1 + 1
/// assert_eq!(number_size("0.05".parse()?), 2);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn number_size(n: Number) -> usize {
    if n.is_zero() {
        return 1;
    }
    let digits = n.significant_digits() as i64;
    let point = digits + i64::from(n.exponent());
    let integer = point.clamp(0, digits) as usize;
    let fraction = digits as usize - integer;
    integer.div_ceil(2) + fraction.div_ceil(2) + 1 + usize::from(n.is_negative())
}

/// The bytes DynamoDB counts for `value` as an attribute's value (its name not included).
///
/// ```
/// use awstin_core::{Value, size::value_size};
/// assert_eq!(value_size(&Value::M(&[("a", Value::Bool(true))]))?, 3 + (1 + 1) + 1);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn value_size(value: &(impl Encode + ?Sized)) -> Result<usize, Error> {
    let mut counter = Counter::new(false);
    value.encode(&mut counter)?;
    Ok(counter.total)
}

/// The bytes DynamoDB counts for an item: `item` encodes as a map (a model does), whose
/// members are the attributes.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::size::item_size;
/// let m = Movie { year: 2013, title: "Rush".into() };
/// assert_eq!(item_size(&m)?, ("year".len() + 3) + ("title".len() + 4));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn item_size(item: &(impl Encode + ?Sized)) -> Result<usize, Error> {
    let mut counter = Counter::new(true);
    item.encode(&mut counter)?;
    Ok(counter.total)
}

/// Counts a value as it is encoded.
struct Counter {
    total: usize,
    /// Open containers, innermost at bit `depth - 1`: set for a list (whose elements cost a
    /// byte each; a map's members cost theirs with their names, a set's nothing).
    lists: u64,
    /// Open maps among them, the same way: their members' names count.
    depth: usize,
    /// The outermost map is the item: its members cost their names only.
    item: bool,
}

impl Counter {
    fn new(item: bool) -> Counter {
        Counter {
            total: 0,
            lists: 0,
            depth: 0,
            item,
        }
    }

    /// A value begins: a byte when it is an element of a list.
    fn value(&mut self) -> Result<(), Error> {
        if self.depth == 0 && self.item {
            return Err(Error::WrongType {
                expected: "an item: a map of attributes",
            });
        }
        if self.depth > 0 && self.lists & (1 << (self.depth - 1)) != 0 {
            self.total += 1;
        }
        Ok(())
    }

    fn scalar(&mut self, bytes: usize) -> Result<(), Error> {
        self.value()?;
        self.total += bytes;
        Ok(())
    }
}

impl Sink for Counter {
    fn string(&mut self, v: &str) -> Result<(), Error> {
        self.scalar(v.len())
    }
    fn number(&mut self, v: Number) -> Result<(), Error> {
        self.scalar(number_size(v))
    }
    fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
        self.scalar(v.len())
    }
    fn boolean(&mut self, _: bool) -> Result<(), Error> {
        self.scalar(1)
    }
    fn null(&mut self) -> Result<(), Error> {
        self.scalar(1)
    }
    fn begin(&mut self, container: Container) -> Result<(), Error> {
        let the_item = self.depth == 0 && self.item;
        if the_item {
            if container != Container::Map {
                return Err(Error::WrongType {
                    expected: "an item: a map of attributes",
                });
            }
        } else {
            self.value()?;
            if matches!(container, Container::List | Container::Map) {
                self.total += 3;
            }
        }
        if self.depth >= 63 {
            return Err(Error::NestingTooDeep {
                depth: self.depth + 1,
                max: crate::limits::MAX_VALUE_DEPTH,
            });
        }
        if container == Container::List {
            self.lists |= 1 << self.depth;
        } else {
            self.lists &= !(1 << self.depth);
        }
        self.depth += 1;
        Ok(())
    }
    fn key(&mut self, key: &str) -> Result<(), Error> {
        // A member of a nested map costs its name and a byte; of the item, its name.
        let nested = !(self.item && self.depth == 1);
        self.total += key.len() + usize::from(nested);
        Ok(())
    }
    fn end(&mut self) -> Result<(), Error> {
        self.depth = self.depth.saturating_sub(1);
        Ok(())
    }
}
