//! The one error type of the core: every limit DynamoDB enforces, checked before sending.

use core::fmt;

use crate::attribute::AttributeType;

/// Which expression of a request a limit applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExpressionKind {
    /// `KeyConditionExpression` of a Query.
    KeyCondition,
    /// `ConditionExpression` of a write.
    Condition,
    /// `FilterExpression` of a Query or Scan.
    Filter,
    /// `UpdateExpression` of an UpdateItem.
    Update,
    /// `ProjectionExpression` of a read.
    Projection,
}

impl fmt::Display for ExpressionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExpressionKind::KeyCondition => "key condition",
            ExpressionKind::Condition => "condition",
            ExpressionKind::Filter => "filter",
            ExpressionKind::Update => "update",
            ExpressionKind::Projection => "projection",
        })
    }
}

/// A placeholder table of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// `ExpressionAttributeNames`.
    Names,
    /// `ExpressionAttributeValues`.
    Values,
}

/// Why DynamoDB refuses an update action for a given item (a `ValidationException`).
///
/// ```
/// use awstin_core::{AttributeType, UpdateFailure};
/// let f = UpdateFailure::OperandType { operator: "+", found: AttributeType::S };
/// assert_eq!(f.to_string(), "operator or function `+` does not take an operand of type S");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UpdateFailure {
    /// The action reads an attribute the item does not have (`SET a = b`, `b + 1`,
    /// `list_append(b, ..)` with no `b`).
    MissingAttribute,
    /// An operand, or the attribute `ADD`/`DELETE` changes, has a type the operator does not
    /// take (`+` on a string, `ADD` to a list, `DELETE` from a number).
    OperandType {
        /// `+`, `-`, `list_append`, `ADD` or `DELETE`.
        operator: &'static str,
        /// The type found.
        found: AttributeType,
    },
    /// The action writes below an attribute that is missing, or is not the map (for `.name`)
    /// or list (for `[i]`) the path needs.
    InvalidPath,
}

impl fmt::Display for UpdateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            UpdateFailure::MissingAttribute => {
                f.write_str("the expression reads an attribute that does not exist in the item")
            }
            UpdateFailure::OperandType { operator, found } => write!(
                f,
                "operator or function `{operator}` does not take an operand of type {found}"
            ),
            UpdateFailure::InvalidPath => f.write_str(
                "the document path is invalid for update: a parent is missing or of another type",
            ),
        }
    }
}

/// Why an expression or value cannot be sent to DynamoDB.
///
/// Every variant names the rule, the figure found and the limit, so a caller can report it
/// without parsing text.
///
/// ```
/// use awstin_core::{Error, Number};
/// let err = "1e200".parse::<Number>().unwrap_err();
/// assert_eq!(err, Error::NumberOutOfRange { exponent: 200, min: -130, max: 125 });
/// assert_eq!(err.to_string(), "number magnitude 1E200 is outside DynamoDB's range 1E-130..1E+126");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Error {
    /// Text that is not a decimal number.
    InvalidNumber,
    /// A number with more significant digits than DynamoDB keeps.
    NumberPrecision {
        /// Significant digits found.
        digits: u32,
        /// 38.
        max: u32,
    },
    /// A number whose magnitude DynamoDB cannot store.
    NumberOutOfRange {
        /// Decimal exponent of the leading digit.
        exponent: i64,
        /// -130.
        min: i32,
        /// 125.
        max: i32,
    },
    /// NaN or an infinity.
    NotFinite,
    /// A set with no elements (DynamoDB has no empty sets).
    EmptySet,
    /// A set given the same element twice.
    DuplicateSetElement,
    /// A map with the same key twice (a [`Value::M`](crate::values::value::Value::M) slice can hold one),
    /// which DynamoDB cannot store: refused rather than keeping one of the two.
    DuplicateKey,
    /// A document nested deeper than DynamoDB allows.
    NestingTooDeep {
        /// Depth reached.
        depth: usize,
        /// 32.
        max: usize,
    },
    /// An expression longer than 4096 bytes as rendered.
    ExpressionTooLong {
        /// Which expression.
        expression: ExpressionKind,
        /// Bytes it would take.
        len: usize,
        /// 4096.
        max: usize,
    },
    /// An expression with more than 300 operators and functions.
    TooManyOperators {
        /// Which expression.
        expression: ExpressionKind,
        /// Operators and functions counted.
        count: usize,
        /// 300.
        max: usize,
    },
    /// An `IN` with no values or more than 100.
    InValues {
        /// Values given.
        count: usize,
        /// 100.
        max: usize,
    },
    /// A `BETWEEN` whose low bound is above its high bound.
    BetweenBounds,
    /// NULL, an empty string or an empty binary written to a key of a secondary index,
    /// which DynamoDB refuses.
    IndexKeyValue {
        /// The attribute.
        attribute: &'static str,
        /// `NULL`, `an empty string` or `an empty binary`.
        found: &'static str,
    },
    /// A list index in a document path above what DynamoDB reads (a 32-bit signed integer).
    ListIndexTooLarge {
        /// The index.
        index: usize,
        /// 2,147,483,647.
        max: usize,
    },
    /// The first operand of a comparison or function stands again among its other operands
    /// (`a = a`, `a BETWEEN a AND b`, `contains(a, a)`), which DynamoDB refuses: "The first
    /// operand must be distinct from the remaining operands for this operator or function".
    OperandRepeated {
        /// The operator or function, e.g. `=` or `contains`.
        operator: &'static str,
    },
    /// A value DynamoDB refuses as the operand of an operator or function whatever the item
    /// holds ("Incorrect operand type for operator or function"): an ordering comparison
    /// (`<`, `<=`, `>`, `>=`, `BETWEEN`) of a value that is not a string, a number or a binary
    /// (a BOOL, NULL, a list, a map or a set), or `begins_with` of a value that is not a
    /// string or a binary.
    OperandType {
        /// The operator or function, e.g. `<` or `begins_with`.
        operator: &'static str,
        /// The value's type.
        found: crate::AttributeType,
    },
    /// A `BETWEEN` whose bounds are values of two types, which DynamoDB refuses ("The BETWEEN
    /// operator requires same data type for lower and upper bounds").
    BetweenTypes {
        /// The low bound's type.
        low: crate::AttributeType,
        /// The high bound's type.
        high: crate::AttributeType,
    },
    /// A document path deeper than 32 levels.
    PathTooDeep {
        /// Levels, the top-level attribute counting as one.
        depth: usize,
        /// 32.
        max: usize,
    },
    /// An empty attribute name or map key in a path.
    EmptyName,
    /// An attribute name or map key over DynamoDB's 65,535 bytes.
    NameTooLong {
        /// Its length in bytes.
        len: usize,
        /// 65,535.
        max: usize,
    },
    /// A placeholder longer than 255 bytes.
    PlaceholderTooLong {
        /// Bytes.
        len: usize,
        /// 255.
        max: usize,
    },
    /// A key value that is an empty string or binary.
    EmptyKeyValue {
        /// The key attribute's name.
        attribute: &'static str,
    },
    /// A key value over 2048 bytes (partition) or 1024 bytes (sort).
    KeyValueTooLong {
        /// The key attribute's name.
        attribute: &'static str,
        /// Bytes given.
        len: usize,
        /// The limit for this key.
        max: usize,
    },
    /// Two paths of an update or projection that are the same, or a path and its ancestor.
    PathsOverlap {
        /// Position of the first (0-based, in the order written).
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// Two paths of an update or projection that use one level both as a map member and as a
    /// list element (`a.b` and `a[1]`).
    PathsConflict {
        /// Position of the first.
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// A value of the wrong type for where it is used, found at run time (e.g. a dynamic
    /// document where a set was required).
    WrongType {
        /// What was required.
        expected: &'static str,
    },
    /// A Query filter that names a key attribute of the table or index queried: key
    /// attributes belong in the key condition.
    KeyInFilter {
        /// The key attribute's name.
        attribute: &'static str,
    },
    /// An update DynamoDB would refuse for this item, found by applying it locally
    /// ([`Update::apply`](crate::expr::update::Update::apply)).
    Update {
        /// Position of the action (0-based, in the order written).
        action: usize,
        /// Why DynamoDB refuses it.
        failure: UpdateFailure,
    },
    /// A placeholder table is full.
    Capacity {
        /// Which table.
        table: Table,
        /// Its capacity.
        capacity: usize,
    },
    /// The output buffer given to the renderer is full.
    Output,
    /// A time to live that is not whole seconds since the epoch as DynamoDB reads them: past
    /// [`Ttl::MAX_SECS`](crate::values::ttl::Ttl::MAX_SECS) (the year 5138), which is milliseconds or
    /// microseconds, not seconds.
    TtlNotSeconds {
        /// The value given.
        value: u64,
        /// What it looks like: `milliseconds`, `microseconds` or `nanoseconds`.
        looks_like: &'static str,
    },
    /// A value a composed key cannot hold, or a key made with more values than its template
    /// has fields ([`key_text`](crate::values::key_text)).
    KeyText {
        /// Why.
        reason: &'static str,
    },
    /// A page cursor that is not one this table's reads made (or was altered), refused before
    /// anything is sent.
    InvalidCursor {
        /// Why: `"not a cursor"`, `"made for another table or index"`, ...
        reason: &'static str,
    },
    /// Two requests of one item in one batch or transaction, which DynamoDB refuses.
    SameItemTwice {
        /// Position of the first (0-based, in the order given).
        first: usize,
        /// Position of the second.
        second: usize,
    },
    /// A table or index name DynamoDB would not take
    /// ([`limits::table_name_refusal`](crate::limits::table_name_refusal)).
    InvalidTableName {
        /// The rule it breaks.
        reason: &'static str,
    },
    /// A transaction of no members, or of more than DynamoDB takes.
    TransactionMembers {
        /// Members given.
        members: usize,
        /// 100.
        max: usize,
    },
    /// An item larger than DynamoDB stores, by DynamoDB's count
    /// ([`size::item_size`](crate::values::size::item_size)).
    ItemTooLarge {
        /// Bytes the item takes.
        size: usize,
        /// 409,600 (400 KB).
        max: usize,
    },
    /// The placeholder names and values of one request certainly take more than DynamoDB's
    /// 2 MB (counted as 2 MiB, so nothing DynamoDB accepts is refused).
    ExpressionValuesTooLarge {
        /// Bytes the placeholders, names and values take at least.
        at_least: usize,
        /// 2,097,152.
        max: usize,
    },
    /// A write transaction whose items certainly exceed DynamoDB's 4 MB (counted as 4 MiB):
    /// the items it puts.
    TransactionTooLarge {
        /// Bytes the items put take at least.
        at_least: usize,
        /// 4,194,304.
        max: usize,
    },
    /// An idempotency token outside DynamoDB's 1 to 36 bytes (of UTF-8).
    InvalidToken {
        /// Bytes given.
        bytes: usize,
    },
    /// An option outside what DynamoDB or awstin takes (a page size of 0, no attempts, ...).
    InvalidOption {
        /// The option, e.g. `BatchOptions::concurrency`.
        option: &'static str,
        /// The value given.
        value: u64,
        /// The values taken.
        allowed: &'static str,
    },
    /// An index model of another table, reached through a table's model.
    IndexOfAnotherTable {
        /// The index model's index.
        index: &'static str,
        /// The table the index model names.
        table: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::InvalidNumber => f.write_str("text is not a decimal number"),
            Error::NumberPrecision { digits, max } => {
                write!(
                    f,
                    "number has {digits} significant digits; DynamoDB keeps at most {max}"
                )
            }
            Error::NumberOutOfRange { exponent, .. } => write!(
                f,
                "number magnitude 1E{exponent} is outside DynamoDB's range 1E-130..1E+126"
            ),
            Error::NotFinite => f.write_str("NaN and infinity are not DynamoDB numbers"),
            Error::EmptySet => f.write_str("DynamoDB sets cannot be empty"),
            Error::DuplicateSetElement => f.write_str("a set contains the same element twice"),
            Error::DuplicateKey => f.write_str("a map holds the same key twice"),
            Error::NestingTooDeep { depth, max } => {
                write!(
                    f,
                    "document nested {depth} levels deep; the maximum is {max}"
                )
            }
            Error::ExpressionTooLong {
                expression,
                len,
                max,
            } => {
                write!(
                    f,
                    "{expression} expression is {len} bytes; the maximum is {max}"
                )
            }
            Error::TooManyOperators {
                expression,
                count,
                max,
            } => {
                write!(
                    f,
                    "{expression} expression has {count} operators and functions; the maximum is {max}"
                )
            }
            Error::InValues { count, max } => {
                write!(f, "IN has {count} values; it takes 1 to {max}")
            }
            Error::BetweenBounds => {
                f.write_str("BETWEEN's low bound is greater than its high bound")
            }
            Error::ListIndexTooLarge { index, max } => {
                write!(f, "list index {index} is above DynamoDB's largest, {max}")
            }
            Error::IndexKeyValue { attribute, found } => write!(
                f,
                "{attribute} is a key of a secondary index, which cannot hold {found}"
            ),
            Error::OperandRepeated { operator } => write!(
                f,
                "the first operand of {operator} stands again among its other operands, which DynamoDB refuses"
            ),
            Error::OperandType { operator, found } => write!(
                f,
                "DynamoDB refuses a {found} value as an operand of {operator}"
            ),
            Error::BetweenTypes { low, high } => write!(
                f,
                "BETWEEN's bounds are a {low} and a {high}: DynamoDB takes one type"
            ),
            Error::PathTooDeep { depth, max } => {
                write!(
                    f,
                    "document path is {depth} levels deep; the maximum is {max}"
                )
            }
            Error::EmptyName => f.write_str("attribute names and map keys cannot be empty"),
            Error::NameTooLong { len, max } => write!(
                f,
                "an attribute name or map key of {len} bytes is over DynamoDB's {max}"
            ),
            Error::PlaceholderTooLong { len, max } => {
                write!(f, "placeholder is {len} bytes; the maximum is {max}")
            }
            Error::EmptyKeyValue { attribute } => {
                write!(
                    f,
                    "key attribute `{attribute}` cannot be an empty string or binary"
                )
            }
            Error::KeyValueTooLong {
                attribute,
                len,
                max,
            } => {
                write!(
                    f,
                    "key attribute `{attribute}` value is {len} bytes; the maximum is {max}"
                )
            }
            Error::PathsOverlap { first, second } => write!(
                f,
                "paths {first} and {second} overlap (the same path, or a path and its ancestor)"
            ),
            Error::PathsConflict { first, second } => write!(
                f,
                "paths {first} and {second} use one level both as a map member and as a list element"
            ),
            Error::WrongType { expected } => write!(f, "expected {expected}"),
            Error::KeyInFilter { attribute } => write!(
                f,
                "a Query filter cannot name key attribute `{attribute}`; constrain it in the key condition"
            ),
            Error::Update { action, failure } => write!(f, "update action {action}: {failure}"),
            Error::Capacity { table, capacity } => write!(
                f,
                "the {} table is full (capacity {capacity})",
                match table {
                    Table::Names => "attribute name",
                    Table::Values => "attribute value",
                }
            ),
            Error::Output => f.write_str("the output buffer is full"),
            Error::TtlNotSeconds { value, looks_like } => write!(
                f,
                "{value} is not a time to live in whole seconds since the epoch: it looks like {looks_like}"
            ),
            Error::KeyText { reason } => write!(f, "composed key refused: {reason}"),
            Error::InvalidCursor { reason } => write!(f, "page cursor refused: {reason}"),
            Error::InvalidTableName { reason } => {
                write!(f, "not a table or index name DynamoDB takes: {reason}")
            }
            Error::SameItemTwice { first, second } => write!(
                f,
                "requests {first} and {second} act on the same item, which one transaction or batch cannot do"
            ),
            Error::TransactionMembers { members, max } => {
                write!(
                    f,
                    "a transaction takes 1 to {max} members; this one has {members}"
                )
            }
            Error::ItemTooLarge { size, max } => {
                write!(f, "item takes {size} bytes; DynamoDB stores at most {max}")
            }
            Error::ExpressionValuesTooLarge { at_least, max } => write!(
                f,
                "expression names and values take at least {at_least} bytes; DynamoDB takes at most {max}"
            ),
            Error::TransactionTooLarge { at_least, max } => write!(
                f,
                "the items of the transaction take at least {at_least} bytes; DynamoDB takes at most {max}"
            ),
            Error::InvalidToken { bytes } => write!(
                f,
                "an idempotency token takes 1 to 36 bytes; this one has {bytes}"
            ),
            Error::InvalidOption {
                option,
                value,
                allowed,
            } => write!(f, "{option} = {value} is not taken: {allowed}"),
            Error::IndexOfAnotherTable { index, table } => write!(
                f,
                "index {index} is an index of table {table}, not of this table"
            ),
        }
    }
}

impl core::error::Error for Error {}
