//! Requests (feature `alloc`): one description of each DynamoDB operation the awstin crates
//! send, checked once against every rule, and written by a backend: the `awstin` crate's SDK
//! backend, or DynamoDB's JSON protocol ([`wire`](crate::protocol::wire)).
//!
//! A spec ([`WriteSpec`], [`ReadSpec`]) makes a description ([`Write`], [`Read`]) with what
//! the model derives (the next version of a versioned write), checks it (table names, key
//! values, item size, secondary index keys, expression and map sizes, tokens), and hands it
//! to the backend's function, which writes it in its own form and returns what it made. The
//! checks of many requests together ([`Transaction`], [`Distinct`]) are made here too.
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
//! use awstin_core::op::WriteSpec;
//! let m = Movie { year: 2013, title: "Rush".into() };
//! // The backend here is a closure naming the operation; `wire::write` and the `awstin`
//! // crate's SDK backend write the request instead.
//! let operation = WriteSpec::put("Movies", &m).build(|w| Ok::<_, awstin_core::Error>(w.operation()))?;
//! assert_eq!(operation, "PutItem");
//! let refused = WriteSpec::put("my movies", &m).build(|w| Ok::<_, awstin_core::Error>(w.operation()));
//! assert!(refused.is_err(), "a table name DynamoDB would not take");
//! # Ok::<(), awstin_core::Error>(())
//! ```

mod composed;
mod many;
mod never;
mod read;
mod render;
mod reply;
mod write;

pub use many::{Distinct, Transaction};
pub use never::Never;
pub use read::{Read, ReadKind, ReadSpec, StartKey};
pub use render::{Expressions, Render};
pub use reply::{
    Attempts, Cancel, Code, Heard, Items, Reply, Sent, Settled, Stored, Unconfirmed, Unsettled,
    Values, hear, holds, settle, settle_members, unconfirmed,
};
pub use write::{Action, Item, Key, Lock, Returns, Write, WriteSpec, check_token};
