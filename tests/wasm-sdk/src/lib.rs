//! A client and the Movies tutorial's Query (`year = :y AND title BETWEEN :a AND :b`), built
//! with aws-sdk-dynamodb alone, as a Rust user targeting WASM would: the module scripts/bench
//! compares the edge module's size with. It builds the request without sending it (without
//! its default features the SDK has no HTTP client, sleep or clock), so it holds less than the
//! edge module, which also signs and reads answers.

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::{Client, Config};

/// Builds the Query of `year`; returns the number of expression values it holds (1 + 2).
#[unsafe(no_mangle)]
pub extern "C" fn build(year: u32) -> usize {
    let config = Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "static"))
        .build();
    let client = Client::from_conf(config);
    let query = client
        .query()
        .table_name("Movies")
        .key_condition_expression("#y = :y AND #t BETWEEN :a AND :b")
        .expression_attribute_names("#y", "year")
        .expression_attribute_names("#t", "title")
        .expression_attribute_values(":y", AttributeValue::N(year.to_string()))
        .expression_attribute_values(":a", AttributeValue::S("A".into()))
        .expression_attribute_values(":b", AttributeValue::S("L".into()));
    query
        .as_input()
        .get_expression_attribute_values()
        .as_ref()
        .map_or(0, |v| v.len())
}
