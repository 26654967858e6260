//! The guide: awstin topic by topic, each chapter a module of this one, its examples
//! compiled (and, where they need no AWS account, run) by the crate's doc tests.
//!
//! Start with the [tutorial], the Movies tutorial of AWS's DynamoDB guide on the
//! embedded DynamoDB. Then, by topic:
//!
//! | chapter | what |
//! | --- | --- |
//! | [`tutorial`] | a table, its items, queries and scans: the Movies tutorial |
//! | [`expressions`] | `cond!`, `update!`, `project!`: what compiles, what is refused before sending, evaluation without a server |
//! | [`tables`] | writes, reads, transactions, batches; tables as a deployment names them; time to live |
//! | [`single_table`] | entities sharing a table: composed keys, index keys kept in step, collections, multi-attribute index keys |
//! | [`paging`] | pages that hold what they say, and signed cursors for APIs |
//! | [`locking`] | optimistic locking: versions, conflicts, merges |
//! | [`faults`] | what a write reports when its answer was lost |
//! | [`lambda`] | handlers made of a parser and a pure function, their logs, deployment |
//! | [`http`] | HTTP APIs: `http_handler`, client input as 4xx, `lambda_http` and axum |
//! | [`batches`] | SQS, Kinesis and stream batches; idempotency |
//! | [`streams`] | a table's stream records as typed changes |
//! | [`services`] | SNS topics, API Gateway authorizers and websocket pushes |
//! | [`edge`] | the `no_std` core's requests, answers and signing where the SDK does not go |
//! | [`testing`] | the embedded DynamoDB, the fault injector, races, test events, mutation testing |
//! | [`performance`] | what is measured against what users would otherwise write |

#[doc = include_str!("tutorial.md")]
pub mod tutorial {}
#[doc = include_str!("expressions.md")]
pub mod expressions {}
#[doc = include_str!("tables.md")]
pub mod tables {}
#[doc = include_str!("single_table.md")]
pub mod single_table {}
#[doc = include_str!("paging.md")]
pub mod paging {}
#[doc = include_str!("locking.md")]
pub mod locking {}
#[doc = include_str!("faults.md")]
pub mod faults {}
#[doc = include_str!("lambda.md")]
pub mod lambda {}
#[doc = include_str!("http.md")]
pub mod http {}
#[doc = include_str!("batches.md")]
pub mod batches {}
#[doc = include_str!("streams.md")]
pub mod streams {}
#[doc = include_str!("services.md")]
pub mod services {}
#[doc = include_str!("edge.md")]
pub mod edge {}
#[doc = include_str!("testing.md")]
pub mod testing {}
#[doc = include_str!("performance.md")]
pub mod performance {}
