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
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "apigateway")]
pub mod apigateway;
#[cfg(feature = "dynamodb")]
pub mod dynamodb;
#[cfg(any(feature = "dynamodb", feature = "sns"))]
mod env;
#[cfg(feature = "lambda")]
pub mod lambda;
#[cfg(feature = "sns")]
pub mod sns;

/// The AWS configuration loader, as this crate uses it: build one `SdkConfig` and hand it to
/// every client (`DynamoDb::from_sdk_config`, `Topic::from_sdk_config`,
/// `Websocket::from_sdk_config`).
#[cfg(any(feature = "dynamodb", feature = "sns", feature = "apigateway"))]
pub use aws_config;

/// The `no_std` expression core, `awstin-core`.
pub use awstin_core as expr;
pub use awstin_core::{
    AttributeType, Binary, BinaryBuf, Condition, Document, DynamoType, Encode, Error,
    ExpressionKind, KeyCondition, Model, Null, Number, Projection, Request, Update, UpdateFailure,
    Value, ValueBuf, ValueBufRef,
};
pub use awstin_macros::{cond, dynamo_model, project, update};
