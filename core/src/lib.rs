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

// The folders are the layers, each importing only those below it: the ground (`error`,
// `limits`, `attribute`), values, expressions, requests (`op`), the protocol.
mod attribute;
mod error;
pub(crate) mod expr;
pub mod limits;
#[cfg(feature = "alloc")]
pub mod op;
mod out;
pub(crate) mod protocol;
pub(crate) mod values;

pub use expr::{cond, eval, model, path, plan, project, render, update};
#[cfg(feature = "cursor")]
pub use protocol::cursor;
#[cfg(feature = "sigv4")]
pub use protocol::sigv4;
#[cfg(feature = "wire")]
pub use protocol::wire;
pub use values::{decode, json, key_text, kind, size, ttl};

pub use error::{Error, ExpressionKind, Table, UpdateFailure};
pub use expr::chain::ChainStart;
pub use expr::cond::{Condition, KeyCondition, Operand};
pub use expr::model::{
    AttributeInfo, Collection, Derive, Document, Entity, IndexKey, IndexKeyField, KeyAttribute,
    KeyField, KeyOf, KeyRef, KeyRole, KeySchema, KeyValue, Model, MultiKeyField, NoSortKey, NotKey,
    PartitionKey, SortKey, Source, TableModel, Unversioned, Versioned, WriteOf,
};
pub use expr::path::{Field, Path, PathExt, Segment};
pub use expr::project::Projection;
pub use expr::render::Renderer;
pub use expr::request::Request;
pub use expr::update::Update;
pub use out::Out;
pub use values::decode::{DecodeError, DecodeFrom, ValueRead};
pub use values::number::{MAX_DIGITS, MAX_EXPONENT, MIN_EXPONENT, Number};
#[cfg(feature = "aws-smithy-types")]
pub use values::smithy::Iso8601;
pub use values::ttl::Ttl;
#[cfg(feature = "alloc")]
pub use values::value::BinaryBuf;
pub use values::value::{AttributeType, Binary, Container, DynamoType, Encode, Null, Sink, Value};
#[doc(hidden)]
pub use values::value::{Scalar, encode_member};
#[cfg(feature = "alloc")]
pub use values::value_buf::{ValueBuf, ValueBufRef};
