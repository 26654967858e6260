//! `DynamoDb::from_env`: `TEST_DYNAMODB_ENDPOINT` wins, then `AWS_REGION`, else an error
//! naming both. One test in its own binary, because it changes the process environment.
#![allow(unsafe_code)] // std::env::set_var and remove_var are unsafe: no other thread reads the environment here

use awstin::dynamodb::{ClientOptions, DynamoDb, Error};
use awstin::testing::LocalDynamoDb;

#[tokio::test(flavor = "current_thread")]
async fn the_test_endpoint_wins_then_the_region_else_a_clear_error() -> Result<(), Error> {
    // SAFETY: this binary runs one test on one thread.
    unsafe {
        std::env::remove_var("TEST_DYNAMODB_ENDPOINT");
        std::env::remove_var("AWS_REGION");
    }
    match DynamoDb::from_env().await {
        Err(Error::Configuration { message }) => {
            assert!(
                message.contains("TEST_DYNAMODB_ENDPOINT") && message.contains("AWS_REGION"),
                "{message}"
            );
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }

    let local = LocalDynamoDb::start().await?;
    // SAFETY: as above.
    unsafe {
        std::env::set_var("TEST_DYNAMODB_ENDPOINT", local.endpoint());
        std::env::set_var("AWS_REGION", "eu-west-1");
    }
    let db = DynamoDb::from_env().await?;
    assert_eq!(
        db.client().config().region().map(|r| r.as_ref()),
        Some("eu-west-1")
    );
    assert!(
        db.list_tables().await?.is_empty(),
        "the test endpoint is used even with AWS_REGION set"
    );

    // SAFETY: as above.
    unsafe { std::env::remove_var("TEST_DYNAMODB_ENDPOINT") };
    let real = DynamoDb::from_env_with(ClientOptions {
        max_retries: 5,
        ..ClientOptions::default()
    })
    .await?;
    assert_eq!(
        real.client().config().region().map(|r| r.as_ref()),
        Some("eu-west-1")
    );
    let retry = real
        .client()
        .config()
        .retry_config()
        .map(|r| r.max_attempts());
    assert_eq!(retry, Some(6), "5 retries after the first attempt");
    let timeouts = real
        .client()
        .config()
        .timeout_config()
        .and_then(|t| t.connect_timeout());
    assert_eq!(timeouts, Some(std::time::Duration::from_secs(5)));
    Ok(())
}
