//! API Gateway: websocket pushes (the Management API). Authorizers, an event source, are in
//! [`lambda::auth`](crate::lambda::auth).

pub mod websocket;

/// The AWS SDK for the API Gateway Management API, as this crate uses it (its client appears
/// in this API).
pub use aws_sdk_apigatewaymanagement as sdk;
