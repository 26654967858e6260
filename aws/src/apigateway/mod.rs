//! API Gateway: Lambda authorizer responses and websocket pushes.

pub mod auth;
pub mod websocket;
