//! DynamoDB's limits, each once, with the words of DynamoDB's documentation ("Service,
//! account, and table quotas", "Expressions", "Naming rules and data types"). Everything
//! awstin refuses before sending is refused by one of these; the guide's list of limits (expressions chapter) is
//! this list.
//!
//! ```
//! use awstin_core::limits;
//! assert_eq!(limits::MAX_EXPRESSION_BYTES, 4096);
//! assert!(limits::MAX_SORT_KEY_BYTES < limits::MAX_PARTITION_KEY_BYTES);
//! ```

/// "The maximum length of any expression string is 4 KB": 4,096 bytes, as sent.
pub const MAX_EXPRESSION_BYTES: usize = 4096;

/// "The maximum number of operators or functions allowed in an UpdateExpression is 300"; the
/// same count applies to every expression.
pub const MAX_OPERATORS: usize = 300;

/// "The maximum number of operands for the IN comparator is 100."
pub const MAX_IN_VALUES: usize = 100;

/// "The maximum depth for a document path is 32": the top-level attribute counts as one level.
pub const MAX_PATH_DEPTH: usize = 32;

/// The largest list index a document path takes: DynamoDB reads it as a 32-bit signed
/// integer and refuses `[2147483648]` ("Invalid ... : List index out of range").
pub const MAX_LIST_INDEX: usize = 2_147_483_647;

/// "DynamoDB supports nested attributes up to 32 levels deep": a top-level attribute's value
/// is level 1, a member or element of it level 2, and so on; no value may stand at level 33.
/// One rule for every value awstin writes, renders, evaluates or applies ([`check_level`]).
pub const MAX_VALUE_DEPTH: usize = 32;

/// Refuses a value at `level` (a top-level attribute's value being level 1) deeper than
/// [`MAX_VALUE_DEPTH`].
///
/// ```
/// use awstin_core::limits::check_level;
/// assert!(check_level(32).is_ok());
/// assert!(check_level(33).is_err());
/// ```
pub fn check_level(level: usize) -> Result<(), crate::error::Error> {
    if level > MAX_VALUE_DEPTH {
        return Err(crate::error::Error::NestingTooDeep {
            depth: level,
            max: MAX_VALUE_DEPTH,
        });
    }
    Ok(())
}

/// "The length of an expression attribute name or value placeholder (`#name`, `:value`)
/// cannot exceed 255 bytes."
pub const MAX_PLACEHOLDER_BYTES: usize = 255;

/// "Numbers can have up to 38 digits of precision."
pub const MAX_DIGITS: u32 = 38;

/// "Negative range: -9.9999999999999999999999999999999999999E+125 to -1E-130": the smallest
/// decimal exponent of a non-zero number's magnitude.
pub const MIN_EXPONENT: i32 = -130;

/// "Positive range: 1E-130 to 9.9999999999999999999999999999999999999E+125": the largest
/// decimal exponent of a number's magnitude.
pub const MAX_EXPONENT: i32 = 125;

/// "The maximum length of a partition key value is 2048 bytes."
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;

/// "The maximum length of a sort key value is 1024 bytes."
pub const MAX_SORT_KEY_BYTES: usize = 1024;

/// "Table names and index names must be between 3 and 255 characters long."
pub const TABLE_NAME_CHARS: core::ops::RangeInclusive<usize> = 3..=255;

/// "The maximum item size in DynamoDB is 400 KB, which includes both attribute name binary
/// length (UTF-8 length) and attribute value lengths": 409,600 bytes.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// "Attribute names ... must be at least one character long and less than 64 KB": at most
/// 65,535 bytes.
pub const MAX_ATTRIBUTE_NAME_BYTES: usize = 65_535;

/// Refuses an attribute name or map key DynamoDB does not take: empty, or over
/// [`MAX_ATTRIBUTE_NAME_BYTES`].
///
/// ```
/// use awstin_core::limits::check_name;
/// assert!(check_name("title").is_ok());
/// assert!(check_name("").is_err());
/// assert!(check_name(&"n".repeat(65_536)).is_err());
/// ```
pub fn check_name(name: &str) -> Result<(), crate::error::Error> {
    if name.is_empty() {
        return Err(crate::error::Error::EmptyName);
    }
    if name.len() > MAX_ATTRIBUTE_NAME_BYTES {
        return Err(crate::error::Error::NameTooLong {
            len: name.len(),
            max: MAX_ATTRIBUTE_NAME_BYTES,
        });
    }
    Ok(())
}

/// The most bytes DynamoDB counts for one number: 38 significant digits in pairs, one byte
/// more, one for a sign, one for a split between the integer and the fraction
/// (see `size::number_size`).
pub const MAX_NUMBER_BYTES: usize = 22;

/// "The maximum size of all substituted expression attribute names and values in a request
/// is 2 MB", taken as 2 MiB so that only what is certainly over is refused.
pub const MAX_EXPRESSION_MAPS_BYTES: usize = 2 * 1024 * 1024;

/// "A single TransactWriteItems or TransactGetItems request can contain up to 100 unique
/// items."
pub const MAX_TRANSACTION_MEMBERS: usize = 100;

/// "The aggregate size of the items in the transaction cannot exceed 4 MB", taken as 4 MiB.
pub const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;

/// "A single call to BatchWriteItem can ... comprise as many as 25 put or delete requests."
pub const MAX_BATCH_WRITE_REQUESTS: usize = 25;

/// "A single BatchGetItem operation can retrieve up to 100 items."
pub const MAX_BATCH_GET_KEYS: usize = 100;

/// "The value of TotalSegments ... maximum value of 1000000."
pub const MAX_SCAN_SEGMENTS: u32 = 1_000_000;

/// `ClientRequestToken`: "Length Constraints: Minimum length of 1. Maximum length of 36.",
/// counted in bytes of UTF-8 (36 characters of two bytes each are refused).
pub const MAX_CLIENT_REQUEST_TOKEN_BYTES: usize = 36;

/// Why a table or index name is not one DynamoDB takes: 3 to 255 characters
/// ([`TABLE_NAME_CHARS`]) of `A-Z a-z 0-9 _ . -`. `None` for a name it takes.
///
/// ```
/// use awstin_core::limits::table_name_refusal;
/// assert_eq!(table_name_refusal("MyStack-TodosTable-1A2B3C"), None);
/// assert_eq!(table_name_refusal("ab"), Some("table and index names are 3 to 255 characters long"));
/// assert!(table_name_refusal("todos table").is_some());
/// ```
pub const fn table_name_refusal(name: &str) -> Option<&'static str> {
    let bytes = name.as_bytes();
    if bytes.len() < *TABLE_NAME_CHARS.start() || bytes.len() > *TABLE_NAME_CHARS.end() {
        return Some("table and index names are 3 to 255 characters long");
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-') {
            return Some("table and index names use only A-Z, a-z, 0-9, `_`, `.` and `-`");
        }
        i += 1;
    }
    None
}
