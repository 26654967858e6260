//! API Gateway: Lambda authorizer responses and websocket pushes.

pub mod auth;
pub mod websocket;

/// The AWS SDK for the API Gateway Management API, as this crate uses it (its client appears
/// in this API).
pub use aws_sdk_apigatewaymanagement as sdk;
