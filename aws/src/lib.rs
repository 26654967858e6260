//! awstin: AWS serverless code in Rust, with DynamoDB models and a compile-time checked
//! expression DSL.
//!
//! This crate re-exports the `no_std` expression core ([`core`]) and the DSL macros
//! ([`dynamo_model!`], [`cond!`], [`update!`], [`project!`]).
//!
//! ```
//! use awstin::{cond, dynamo_model, Document, Request};
//!
//! dynamo_model! {
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: String }
//! }
//!
//! let year = 1985;
//! let query = Movie::expr(cond!(year == year));
//! let mut text = String::new();
//! Request::<4, 4>::new().key_condition(&query, &mut text)?;
//! assert_eq!(text, "#n0 = :v0");
//! # Ok::<(), awstin::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod apigateway;
pub mod awslambda;
pub mod dynamodb;
mod env;
pub mod sns;

/// The `no_std` expression core, `awstin-core`.
pub use awstin_core as core;
pub use awstin_core::{
    AttrType, AttributeType, Binary, BinaryBuf, Condition, Document, Encode, Error, ExpressionKind,
    KeyCondition, Model, Null, Number, Projection, Request, Update, UpdateFailure, Value, ValueBuf,
    ValueBufRef,
};
pub use awstin_macros::{cond, dynamo_model, project, update};
