//! The DSL of awstin as declarative macros: [`dynamo_model!`], [`cond!`], [`update!`] and
//! [`project!`]. `#![no_std]`, `macro_rules!` only.
//!
//! The macros expand to closures over a model's field table, so attribute names and value
//! types are checked by the compiler at the user's own tokens, and the expression trees they
//! build (see `awstin_core`) render without allocating. Users normally reach them through the
//! `awstin` crate.
//!
//! ```
//! use awstin::{cond, dynamo_model};
//! use awstin::Request;
//!
//! dynamo_model! {
//!     /// A film in the Movies table.
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Movie {
//!         table "Movies";
//!         key year: u32;
//!         key title: String;
//!         attr rating: Option<f64> as "ratingValue";
//!     }
//! }
//!
//! let (y, a, b) = (1992, "A", "L");
//! let key = Movie::expr(cond!(year == y && title between a..b));
//! let mut text = heapless::String::<128>::new();
//! Request::<4, 4>::new().key_condition(&key, &mut text)?;
//! assert_eq!(text, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
//! # Ok::<(), awstin::expr::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]

mod collection;
mod cond;
mod model;
mod plan;
mod project;
mod update;

/// What expansions reach; not public API.
#[doc(hidden)]
pub mod __private {
    pub use ::core;
    /// The core crate, for generated code that needs its `alloc` items (present wherever
    /// that code compiles: a collection's reading of owned values).
    pub use awstin_core;
    pub use awstin_core::__decode_owned_key;
    pub use awstin_core::__decode_owned_model;
    pub use awstin_core::ChainStart;
    pub use awstin_core::cond::functions as cond_fn;
    pub use awstin_core::cond::key_shape;
    pub use awstin_core::cond::{
        InStart, Val, between, compare, in_item, in_list, in_operands, in_values, not, op, planned,
    };
    pub use awstin_core::decode::DecodeErrorKind;
    pub use awstin_core::decode::{expect_entity, expect_map, member};
    pub use awstin_core::encode_member;
    pub use awstin_core::key_text::{
        self, ComposeKey, ComposedRef, KeySpec, KeyTemplate, KeyTextField, Piece, Template,
        ToKeyText,
    };
    pub use awstin_core::kind;
    /// The limits of a partition key and of a sort key, in bytes.
    pub use awstin_core::limits::{MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES};
    pub use awstin_core::model::VersionField;
    pub use awstin_core::plan;
    pub use awstin_core::update::functions as update_fn;
    pub use awstin_core::{
        AttributeInfo, AttributeType, Container, DecodeError, DecodeFrom, Document, DynamoType,
        Encode, Error, Field, IndexKey, KeyAttribute, KeyRef, KeySchema, Model, NoSortKey, NotKey,
        PartitionKey, Sink, SortKey, Source, TableModel, Unversioned, ValueRead, Versioned,
    };
    pub use awstin_core::{Collection, model::collection_member, model::entity_index};
    pub use awstin_core::{Derive, Entity, WriteOf, model::entity_attribute};
    pub use awstin_core::{IndexKeyField, KeyField, KeyValue, model::distinct_attributes};
    pub use awstin_core::{
        MultiKeyField,
        model::{
            FieldSource, IndexKeyTemplate, MultiKey, MultiKeyPart, index_key_fields, multi_key,
            none_among, position, source_of,
        },
    };

    /// Traits whose methods expansions call.
    pub mod prelude {
        pub use awstin_core::cond::ConditionExt as _;
        pub use awstin_core::path::PathExt as _;
        pub use awstin_core::project::ProjectionExt as _;
        pub use awstin_core::update::UpdateExt as _;
    }

    /// An attribute name from a field name or an `as "..."` rename; empty names fail to compile.
    pub const fn attribute_name(name: &'static str) -> &'static str {
        assert!(!name.is_empty(), "attribute names cannot be empty");
        assert!(
            name.len() <= awstin_core::limits::MAX_ATTRIBUTE_NAME_BYTES,
            "attribute names are at most 65,535 bytes"
        );
        awstin_core::model::field_name(name)
    }

    /// A table or index name, checked at compile time: 3 to 255 characters of `A-Z a-z 0-9 _ . -`.
    pub const fn table_name(name: &'static str) -> &'static str {
        match awstin_core::limits::table_name_refusal(name) {
            None => name,
            Some(reason) if reason.len() == LENGTH.len() => {
                panic!("table and index names are 3 to 255 characters long")
            }
            Some(_) => panic!("table and index names use only A-Z, a-z, 0-9, `_`, `.` and `-`"),
        }
    }
    const LENGTH: &str = "table and index names are 3 to 255 characters long";

    /// An entity type's name, checked at compile time: not empty.
    pub const fn entity_type(name: &'static str) -> &'static str {
        assert!(!name.is_empty(), "an entity type's name cannot be empty");
        name
    }

    /// Compiles only for a table model: the model an index is declared `on`.
    pub const fn table_model<T: TableModel>() {}

    /// The key type code of a key attribute's Rust type.
    pub const fn key_type<T: DynamoType + ?Sized>() -> AttributeType
    where
        T::Kind: kind::KeyKind,
    {
        <T::Kind as kind::KeyKind>::KEY_TYPE
    }
}

/// Reports a token no rule expects, at that token.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_unexpected {
    () => {};
}

/// A grammar error: `compile_error!` says what is wrong, and the offending token, handed to
/// [`__awstin_unexpected!`], is reported at its own span, so that the user's token is
/// underlined and not the whole invocation (serde_json's `json_unexpected!` does the same).
/// Expands to statements or items; in an expression, invoke it inside a block.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_error {
    ($message:literal at $token:tt) => {
        $crate::__private::core::compile_error!($message);
        $crate::__awstin_unexpected!($token);
    };
}

/// A document path, from the tokens `root.member[index]["key"]...`.
#[doc(hidden)]
#[macro_export]
macro_rules! __awstin_path {
    ($f:ident; $root:ident $(. $m:ident)* $([$i:tt] $(. $n:ident)*)*) => {
        $f.$root
            $( .member(|__awstin_m| __awstin_m.$m) )*
            $( .index($i) $( .member(|__awstin_m| __awstin_m.$n) )* )*
    };
}
