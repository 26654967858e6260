//! The `no_std` expression core of awstin.
//!
//! Document paths, borrowed values of every DynamoDB type, conditions, key conditions, updates
//! and projections as small typed trees, and one renderer that writes them into DynamoDB's
//! expression syntax with shared, deterministic placeholder tables. Rendering checks every
//! limit DynamoDB sets on expressions and allocates nothing: its buffers are `heapless`, and a
//! full buffer is an [`Error`], never a panic. With `alloc`, `op` describes whole requests
//! once for every backend and checks the rules DynamoDB applies to them (item and expression
//! map sizes, index keys, transactions, the same item twice, tokens, names); `wire` writes them
//! as DynamoDB's JSON.
//!
//! Users normally reach this crate through the `awstin` crate and its macros
//! (`dynamo_model!`, `cond!`, `update!`, `project!`); it stands alone for `no_std`, WASM and
//! edge code.
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Option<String> } }
//! use awstin_core::{Document, Request};
//! use awstin_macros::cond;
//!
//! let year = 1985;
//! let query = Movie::expr(cond!(year == year));
//! let mut request = Request::<4, 4>::new();
//! let mut text = heapless::String::<64>::new();
//! request.key_condition(&query, &mut text)?;
//! assert_eq!(text, "#n0 = :v0");
//! # Ok::<(), awstin_core::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "alloc")]
mod apply;
mod attribute;
#[cfg(feature = "cursor")]
mod base64;
mod chain;
pub mod cond;
#[cfg(feature = "cursor")]
pub mod cursor;
pub mod decode;
mod error;
pub mod eval;
pub mod json;
mod key_value;
pub mod kind;
pub mod limits;
pub mod model;
mod number;
#[cfg(feature = "alloc")]
pub mod op;
pub mod path;
pub mod project;
pub mod render;
mod request;
#[cfg(feature = "sigv4")]
pub mod sigv4;
pub mod size;
#[cfg(feature = "aws-smithy-types")]
mod smithy;
pub mod ttl;
pub mod update;
mod value;
#[cfg(feature = "alloc")]
mod value_buf;
#[cfg(feature = "wire")]
pub mod wire;

pub use chain::ChainStart;
pub use cond::{Condition, KeyCondition, Operand};
pub use decode::{DecodeError, DecodeFrom, ValueRead};
pub use error::{Error, ExpressionKind, Table, UpdateFailure};
pub use model::{
    AttributeInfo, Derive, Document, IndexKey, KeyAttribute, KeyOf, KeyRef, KeyRole, KeySchema,
    Model, NoSortKey, NotKey, PartitionKey, SortKey, Source, TableModel, Unversioned, Versioned,
    WriteOf,
};
pub use number::{MAX_DIGITS, MAX_EXPONENT, MIN_EXPONENT, Number};
pub use path::{Field, Path, PathExt, Segment};
pub use project::Projection;
pub use render::Renderer;
pub use request::Request;
#[cfg(feature = "aws-smithy-types")]
pub use smithy::Iso8601;
pub use ttl::Ttl;
pub use update::Update;
#[cfg(feature = "alloc")]
pub use value::BinaryBuf;
pub use value::{AttributeType, Binary, Container, DynamoType, Encode, Null, Sink, Value};
#[cfg(feature = "alloc")]
pub use value_buf::{ValueBuf, ValueBufRef};
