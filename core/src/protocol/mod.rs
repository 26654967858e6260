//! DynamoDB's protocol without the SDK: the requests of [`crate::op`] written as the JSON
//! bodies DynamoDB takes and their answers read ([`wire`]), page cursors ([`cursor`]) and
//! SigV4 signatures ([`sigv4`]). Built on the requests, the expressions and the values.

#[cfg(feature = "cursor")]
pub mod cursor;
#[cfg(feature = "sigv4")]
pub mod sigv4;
#[cfg(feature = "wire")]
pub mod wire;
