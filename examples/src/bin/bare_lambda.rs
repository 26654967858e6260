//! The baseline of the size comparison in `scripts/size.sh`: the Movies API query written
//! with `lambda_runtime` and `aws-sdk-dynamodb` alone, without awstin, so that what awstin
//! adds to a deployed binary can be measured.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

async fn handle(
    client: &aws_sdk_dynamodb::Client,
    event: LambdaEvent<Value>,
) -> Result<Value, Error> {
    let year = event.payload["queryStringParameters"]["year"]
        .as_str()
        .ok_or("queryStringParameters.year is missing")?
        .to_owned();
    let out = client
        .query()
        .table_name("Movies")
        .key_condition_expression("#y = :y")
        .expression_attribute_names("#y", "year")
        .expression_attribute_values(":y", AttributeValue::N(year))
        .send()
        .await?;
    let titles: Vec<String> = out
        .items()
        .iter()
        .filter_map(|item: &HashMap<String, AttributeValue>| {
            item.get("title")?.as_s().ok().cloned()
        })
        .collect();
    Ok(json!({ "statusCode": 200, "body": serde_json::to_string(&titles)? }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // As every Lambda does (and as awstin's `init_tracing` does): logs for CloudWatch.
    lambda_runtime::tracing::init_default_subscriber();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    lambda_runtime::run(service_fn(|event| handle(&client, event))).await
}
