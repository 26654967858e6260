//! Values: numbers, the ten DynamoDB types as Rust data reaches them ([`Encode`](value::Encode),
//! [`Sink`](value::Sink)) and is read back ([`decode`]), owned values, sizes as DynamoDB counts
//! them, key-value checks, times, and the JSON and base64 forms values take. Imports nothing
//! above the crate's ground ([`crate::error`], [`crate::limits`]).

#[cfg(any(feature = "cursor", all(feature = "serde", feature = "alloc")))]
pub(crate) mod base64;
pub mod decode;
pub mod json;
pub mod key_text;
pub(crate) mod key_value;
pub mod kind;
pub(crate) mod number;
pub mod size;
#[cfg(feature = "aws-smithy-types")]
pub(crate) mod smithy;
pub mod ttl;
pub(crate) mod value;
#[cfg(feature = "alloc")]
pub(crate) mod value_buf;
