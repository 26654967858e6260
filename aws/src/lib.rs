//! awstin: AWS serverless code in Rust. DynamoDB models with a compile-time checked
//! expression DSL, SNS publishing, API Gateway authorizer responses and websocket pushes, and
//! Lambda handlers split into an event parser and a pure function.
//!
//! A Lambda behind API Gateway that lists a year's movies (features `lambda` and `dynamodb`):
//!
#![cfg_attr(all(feature = "lambda", feature = "dynamodb"), doc = "```no_run")]
#![cfg_attr(not(all(feature = "lambda", feature = "dynamodb")), doc = "```ignore")]
//! use awstin::dynamodb::{DynamoDb, Table};
//! use awstin::lambda::{lambda_handler, Context, ParseError};
//! use awstin::{cond, dynamo_model};
//! use futures::TryStreamExt;
//!
//! dynamo_model! {
//!     /// A film in the Movies table.
//!     #[derive(Debug, Clone)]
//!     pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: Option<f64> }
//! }
//!
//! /// The parser: what the function needs from the event, or a refusal naming the field.
//! fn parse(event: serde_json::Value, _: &Context) -> Result<u32, ParseError> {
//!     event["queryStringParameters"]["year"]
//!         .as_str()
//!         .and_then(|y| y.parse().ok())
//!         .ok_or(ParseError::invalid("queryStringParameters.year", "a year"))
//! }
//!
//! /// The pure function: testable without Lambda, and against the embedded DynamoDB.
//! async fn titles(movies: &Table<Movie>, year: u32) -> Result<Vec<String>, awstin::dynamodb::Error> {
//!     let found: Vec<Movie> = movies.query(cond!(year == year)).stream().try_collect().await?;
//!     Ok(found.into_iter().map(|m| m.title).collect())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), lambda_runtime::Error> {
//!     awstin::lambda::init_tracing(); // CloudWatch: a summary line per invocation, no secrets
//!     let movies = DynamoDb::from_env().await?.table::<Movie>();
//!     lambda_handler(parse, |year| {
//!         let movies = movies.clone();
//!         async move { titles(&movies, year).await }
//!     })
//!     .run()
//!     .await
//! }
//! ```
//!
//! The expressions are checked at compile time (a misspelt attribute or a mistyped value does
//! not compile) and rendered by the `no_std` core ([`expr`]), without allocating:
//!
//! ```
//! use awstin::{cond, dynamo_model, Request};
//!
//! dynamo_model! {
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: String }
//! }
//!
//! let (year, from, to) = (1992, "A", "L");
//! let query = Movie::expr(cond!(year == year && title between from..to));
//! let mut text = String::new();
//! Request::<4, 4>::new().key_condition(&query, &mut text)?;
//! assert_eq!(text, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
//! # Ok::<(), awstin::Error>(())
//! ```
//!
//! What a `dynamo_model!` defines is shown in [`example_generated`]. Each AWS service is a
//! feature: `dynamodb` (default), `sns`, `apigateway`, `lambda`, `serde`, `testing`.
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

#[cfg(doc)]
pub mod example_generated;

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
