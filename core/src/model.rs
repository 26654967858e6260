//! Models: what `dynamo_model!` generates, and what the rest of the crate asks of it.

use crate::value::AttributeType;

/// A type with named, typed attributes: a table or index model, or a nested document.
///
/// `Fields` is the model's field table, a struct with one [`Field`](crate::Field) per attribute;
/// the DSL macros expand to closures over it, so attribute names are checked by the compiler.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// use awstin_core::Document;
/// let year = Movie::FIELDS.year;
/// assert_eq!(year.name(), "year");
/// ```
pub trait Document: 'static {
    /// The field table.
    type Fields: 'static;
    /// The field table's one value.
    const FIELDS: &'static Self::Fields;

    /// Calls `build` with the field table: turns the closure a DSL macro expands to into the
    /// expression it builds, for code that names its model.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::{Document, Field};
    /// let title = Movie::expr(|f| f.title);
    /// assert_eq!(title.name(), "title");
    /// ```
    fn expr<R>(build: impl FnOnce(&'static Self::Fields) -> R) -> R
    where
        Self: Sized,
    {
        build(Self::FIELDS)
    }
}

impl<T: Document> Document for Option<T> {
    type Fields = T::Fields;
    const FIELDS: &'static T::Fields = T::FIELDS;
}

#[cfg(feature = "alloc")]
impl<T: Document> Document for alloc::boxed::Box<T> {
    type Fields = T::Fields;
    const FIELDS: &'static T::Fields = T::FIELDS;
}

/// Where a model's items live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// A table, by name.
    Table(&'static str),
    /// A global or local secondary index of a table.
    Index {
        /// The index name.
        index: &'static str,
        /// The table name.
        table: &'static str,
    },
}

impl Source {
    /// The table's name.
    ///
    /// ```
    /// use awstin_core::Source;
    /// assert_eq!(Source::Index { index: "by-genre", table: "Movies" }.table(), "Movies");
    /// ```
    pub const fn table(&self) -> &'static str {
        match self {
            Source::Table(table) | Source::Index { table, .. } => table,
        }
    }

    /// The index name, for an index model.
    ///
    /// ```
    /// assert_eq!(awstin_core::Source::Table("Movies").index(), None);
    /// ```
    pub const fn index(&self) -> Option<&'static str> {
        match self {
            Source::Table(_) => None,
            Source::Index { index, .. } => Some(index),
        }
    }
}

/// One key attribute: its DynamoDB name and type (`S`, `N` or `B`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// Name in DynamoDB (after renaming).
    pub name: &'static str,
    /// `S`, `N` or `B`.
    pub attribute_type: AttributeType,
}

/// The key schema of a table or index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySchema {
    /// The partition (hash) key.
    pub partition: KeyAttribute,
    /// The sort (range) key, if any.
    pub sort: Option<KeyAttribute>,
}

/// One attribute of a model: its Rust field name and its DynamoDB name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AttributeInfo {
    /// The Rust field.
    pub field: &'static str,
    /// The name in DynamoDB.
    pub name: &'static str,
}

/// A table or index model: a [`Document`] with a source and a key schema.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
/// use awstin_core::{AttributeType, Model, Source};
/// assert_eq!(Movie::SOURCE, Source::Table("Movies"));
/// assert_eq!(Movie::KEY.partition.attribute_type, AttributeType::N);
/// assert_eq!(Movie::KEY.sort.map(|k| k.name), Some("title"));
/// ```
pub trait Model: Document {
    /// The table, or index and table.
    const SOURCE: Source;
    /// The key schema of that table or index.
    const KEY: KeySchema;
    /// Every attribute, keys first, in declaration order.
    const ATTRIBUTES: &'static [AttributeInfo];
}

/// Role of an attribute: the partition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartitionKey;
/// Role of an attribute: the sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortKey;
/// Role of an attribute: not a key (also every nested path).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NotKey;

/// Strips the `r#` of a raw identifier, for attribute names taken from field names.
///
/// ```
/// assert_eq!(awstin_core::model::field_name("r#type"), "type");
/// ```
pub const fn field_name(ident: &'static str) -> &'static str {
    match ident.as_bytes() {
        [b'r', b'#', rest @ ..] => match core::str::from_utf8(rest) {
            Ok(s) => s,
            Err(_) => ident,
        },
        _ => ident,
    }
}
