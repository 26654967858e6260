//! The DynamoDB attribute types and the containers a value opens: the vocabulary the value,
//! kind and decode modules share, kept apart so that none of them imports another for it.

use core::fmt;

/// The ten DynamoDB attribute types, by their wire codes.
///
/// ```
/// use awstin_core::AttributeType;
/// assert_eq!(AttributeType::NS.code(), "NS");
/// ```
#[allow(clippy::upper_case_acronyms)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttributeType {
    /// String.
    S,
    /// String set.
    SS,
    /// Number.
    N,
    /// Number set.
    NS,
    /// Binary.
    B,
    /// Binary set.
    BS,
    /// Boolean.
    BOOL,
    /// Null.
    NULL,
    /// List.
    L,
    /// Map.
    M,
}

impl AttributeType {
    /// The code DynamoDB uses on the wire.
    ///
    /// ```
    /// assert_eq!(awstin_core::AttributeType::BOOL.code(), "BOOL");
    /// ```
    pub const fn code(self) -> &'static str {
        match self {
            AttributeType::S => "S",
            AttributeType::SS => "SS",
            AttributeType::N => "N",
            AttributeType::NS => "NS",
            AttributeType::B => "B",
            AttributeType::BS => "BS",
            AttributeType::BOOL => "BOOL",
            AttributeType::NULL => "NULL",
            AttributeType::L => "L",
            AttributeType::M => "M",
        }
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The containers a value can open on a `Sink`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Container {
    /// `L`: any values.
    List,
    /// `M`: each value preceded by `Sink::key`.
    Map,
    /// `SS`: strings only.
    StringSet,
    /// `NS`: numbers only.
    NumberSet,
    /// `BS`: binaries only.
    BinarySet,
}

impl Container {
    /// The attribute type of this container.
    ///
    /// ```
    /// use awstin_core::{AttributeType, Container};
    /// assert_eq!(Container::NumberSet.attribute_type(), AttributeType::NS);
    /// ```
    pub const fn attribute_type(self) -> AttributeType {
        match self {
            Container::List => AttributeType::L,
            Container::Map => AttributeType::M,
            Container::StringSet => AttributeType::SS,
            Container::NumberSet => AttributeType::NS,
            Container::BinarySet => AttributeType::BS,
        }
    }
}
