//! awstin: AWS serverless code in Rust. DynamoDB models with a compile-time checked
//! expression DSL, SNS publishing, API Gateway authorizer responses and websocket pushes, and
//! Lambda handlers split into an event parser and a pure function.
//!
//! A Lambda behind API Gateway that lists a year's movies (features `lambda` and `dynamodb`):
//!
#![cfg_attr(all(feature = "lambda", feature = "dynamodb"), doc = "```no_run")]
#![cfg_attr(not(all(feature = "lambda", feature = "dynamodb")), doc = "```ignore")]
//! use awstin::dynamodb::{DynamoDb, Table};
//! use awstin::lambda::http::{self, HttpApiResponse, HttpRequest};
//! use awstin::lambda::{http_handler, Context, ParseError};
//! use awstin::{cond, dynamo_model};
//! use futures::TryStreamExt;
//!
//! dynamo_model! {
//!     /// A film in the Movies table.
//!     #[derive(Debug, Clone)]
//!     pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: Option<f64> }
//! }
//!
//! /// The parser: what the function needs from the request, or a refusal naming the field,
//! /// which `http_handler` answers with a 400 and `{"message": ...}`.
//! fn parse(request: HttpRequest, _: &Context) -> Result<u32, ParseError> {
//!     http::query_as(&request, "year", "a year")?
//!         .ok_or(ParseError::missing_in("queryStringParameters", "year"))
//! }
//!
//! /// The pure function: testable without Lambda, and against the embedded DynamoDB.
//! async fn titles(movies: &Table<Movie>, year: u32) -> Result<Vec<String>, awstin::dynamodb::Error> {
//!     let found: Vec<Movie> = movies.query(cond!(year == year)).stream().try_collect().await?;
//!     Ok(found.into_iter().map(|m| m.title).collect())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), awstin::lambda_runtime::Error> {
//!     awstin::lambda::init_tracing(); // CloudWatch: a summary line per invocation, no secrets
//!     let movies = DynamoDb::from_env().await?.table::<Movie>();
//!     http_handler(parse, |year| {
//!         let movies = movies.clone();
//!         async move {
//!             let titles = titles(&movies, year).await?;
//!             Ok::<HttpApiResponse, awstin::dynamodb::Error>(http::json(200, &titles))
//!         }
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
//! # Ok::<(), awstin::expr::Error>(())
//! ```
//!
//! What a `dynamo_model!` defines is shown in [`example_generated`]. Each AWS service is a
//! feature: `dynamodb` (default), `sns`, `apigateway`, `lambda`, `serde`, `streams`,
//! `testing`. The crates whose types this API exposes are re-exported (`aws_config`, the
//! SDKs as `dynamodb::sdk`, `sns::sdk` and `apigateway::sdk`, `lambda_runtime`,
//! `aws_lambda_events`, `serde_json`, `futures`), so their versions never have to be matched
//! by hand.
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
#[cfg(feature = "testing")]
pub mod testing;

#[cfg(doc)]
pub mod example_generated;

// The guide's examples use every service and the testing tools.
#[cfg(all(
    feature = "dynamodb",
    feature = "sns",
    feature = "apigateway",
    feature = "lambda",
    feature = "serde",
    feature = "streams",
    feature = "testing",
    feature = "axum"
))]
#[path = "guide/mod.rs"]
pub mod _guide;

/// The AWS configuration loader, as this crate uses it: build one `SdkConfig` and hand it to
/// every client (`DynamoDb::from_sdk_config`, `Topic::from_sdk_config`,
/// `Websocket::from_sdk_config`).
#[cfg(any(feature = "dynamodb", feature = "sns", feature = "apigateway"))]
pub use aws_config;

/// The Lambda runtime the handlers run on (`lambda::Handler::run` returns its `Error`; its
/// `Context` and `LambdaEvent` are the handler's), at the version awstin was built with.
#[cfg(feature = "lambda")]
pub use lambda_runtime;

/// AWS's Lambda event types (API Gateway requests and responses, DynamoDB Streams records,
/// ...), at the version awstin's handlers and stream records use.
#[cfg(feature = "lambda")]
pub use aws_lambda_events;

/// HTTP functions on `lambda_http`: the [`lambda::http`] helpers read its `Request`, and
/// [`lambda::Handler::run_http`] runs a handler on it, at the version awstin was built with.
#[cfg(feature = "lambda_http")]
pub use lambda_http;

/// axum, whose routers run on `lambda_http`: [`lambda::http::ApiError`] and
/// [`lambda::http::Json`] are its response and extractor, at the version awstin was built
/// with.
#[cfg(feature = "axum")]
pub use axum;

/// JSON values: a Lambda parser takes the event as a `serde_json::Value`, and redaction works
/// on them.
pub use serde_json;

/// Queries and scans are `futures::Stream`s: `use awstin::futures::TryStreamExt` collects
/// them.
#[cfg(any(feature = "dynamodb", feature = "apigateway"))]
pub use futures;

/// The `no_std` expression core, `awstin-core`.
pub use awstin_core as expr;
pub use awstin_core::{
    AttributeType, Binary, BinaryBuf, Condition, Document, DynamoType, Encode, ExpressionKind,
    KeyCondition, Model, Null, Number, Projection, Request, Ttl, Update, UpdateFailure, Value,
    ValueBuf, ValueBufRef,
};
pub use awstin_macros::{cond, dynamo_collection, dynamo_model, project, update};
