//! Testing support (feature `testing`): what a test of code on awstin needs besides its own
//! code. Nothing here belongs in a deployed function.
//!
//! - An embedded DynamoDB ([`LocalDynamoDb`], the `dynoxide` emulator in-process) and tables
//!   made from a model's own key schema ([`TableSpec`], [`create_table`],
//!   [`with_temporary_table`]).
//! - [`faults`]: a fault-injecting proxy in front of any DynamoDB endpoint, to test what code
//!   does when throttled, answered with server errors, cut off before or after DynamoDB
//!   applied a request, slowed, or left partial batches; it fails the test when a fault it was
//!   told to inject never fired, and checks the signature of every request it forwards.
//! - [`race`]: runs several calls at one instant and proves they overlapped.
//! - With feature `sns`, [`sns`]: what moto server recorded as published; with feature
//!   `lambda`, [`events`]: the events AWS sends a function, in a line.
//!
//! ```no_run
//! # async fn f() -> Result<(), awstin::dynamodb::Error> {
//! use awstin::testing::LocalDynamoDb;
//! let local = LocalDynamoDb::start().await?;
//! assert!(local.db().list_tables().await?.is_empty());
//! # Ok(()) }
//! ```

mod dynamodb;
#[cfg(feature = "lambda")]
pub mod events;
pub mod faults;
pub mod race;
#[cfg(feature = "sns")]
pub mod sns;

pub use dynamodb::{LocalDynamoDb, TableSpec, create_table, delete_table, with_temporary_table};

use std::time::Duration;

/// A client of `endpoint` for tests under faults: static test credentials (access key `test`,
/// secret `test`), region `us-east-1`, quick backoff (1 to 20 ms), a retry quota of its own
/// that never runs out, and the time bounds and retries of `options`. (The SDK's default retry
/// quota is shared by every client of a process: faults in one test would leave another's
/// calls without retries.)
///
/// ```no_run
/// # async fn f() {
/// let silent = awstin::testing::faults::blackhole().await;
/// let db = awstin::testing::test_client(&silent, awstin::dynamodb::ClientOptions::default());
/// # }
/// ```
pub fn test_client(
    endpoint: &str,
    options: crate::dynamodb::ClientOptions,
) -> crate::dynamodb::DynamoDb {
    use aws_sdk_dynamodb::config::retry::{RetryConfig, RetryPartition, TokenBucket};
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    static PARTITION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = PARTITION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "test",
            "test",
            None,
            None,
            "awstin-testing",
        ))
        .retry_partition(
            RetryPartition::custom(format!("awstin-testing-{n}"))
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(20)),
        )
        .build();
    crate::dynamodb::DynamoDb::from_client_with(
        aws_sdk_dynamodb::Client::from_conf(config),
        options,
    )
}
