//! The baseline of the size comparison in `scripts/size.sh`: the Movies API query, a page at a
//! time with a cursor (signed when `MOVIES_CURSOR_SECRET` is set), written with `lambda_runtime` and `aws-sdk-dynamodb` alone, without awstin, so that what awstin
//! adds to a deployed binary can be measured.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::{Value, json};

/// The HMAC-SHA-256 tag of a cursor's payload, when the function has a secret (as the Movies
/// API signs its cursors with `MOVIES_CURSOR_SECRET`).
fn tag(secret: &[u8], payload: &[u8]) -> Result<Vec<u8>, Error> {
    use hmac::{KeyInit, Mac};
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(secret)?;
    mac.update(payload);
    Ok(mac.finalize().into_bytes().to_vec())
}

async fn handle(
    client: &aws_sdk_dynamodb::Client,
    secret: Option<&[u8]>,
    event: LambdaEvent<Value>,
) -> Result<Value, Error> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let params = &event.payload["queryStringParameters"];
    let year = params["year"]
        .as_str()
        .ok_or("queryStringParameters.year is missing")?
        .to_owned();
    let limit: i32 = params["limit"].as_str().unwrap_or("25").parse()?;
    // The same paging as the Movies API: the last evaluated key, as JSON in URL-safe base64.
    let start = match params["cursor"].as_str() {
        Some(cursor) => {
            let (payload, signature) = match cursor.split_once('.') {
                Some((payload, signature)) => {
                    (engine.decode(payload)?, Some(engine.decode(signature)?))
                }
                None => (engine.decode(cursor)?, None),
            };
            if let Some(secret) = secret
                && signature != Some(tag(secret, &payload)?)
            {
                return Err("a cursor this function did not sign".into());
            }
            let key: HashMap<String, HashMap<String, String>> = serde_json::from_slice(&payload)?;
            let mut start = HashMap::new();
            for (name, typed) in key {
                let value = match (typed.get("S"), typed.get("N")) {
                    (Some(s), None) => AttributeValue::S(s.clone()),
                    (None, Some(n)) => AttributeValue::N(n.clone()),
                    _ => return Err("not a cursor".into()),
                };
                start.insert(name, value);
            }
            Some(start)
        }
        None => None,
    };
    let out = client
        .query()
        .table_name("Movies")
        .key_condition_expression("#y = :y")
        .expression_attribute_names("#y", "year")
        .expression_attribute_values(":y", AttributeValue::N(year))
        .limit(limit)
        .set_exclusive_start_key(start)
        .send()
        .await?;
    let titles: Vec<String> = out
        .items()
        .iter()
        .filter_map(|item: &HashMap<String, AttributeValue>| {
            item.get("title")?.as_s().ok().cloned()
        })
        .collect();
    let next = match out.last_evaluated_key() {
        Some(last) => {
            let mut key = HashMap::new();
            for (name, value) in last {
                let typed = match value {
                    AttributeValue::S(s) => ("S", s),
                    AttributeValue::N(n) => ("N", n),
                    _ => return Err("a key that is not a string or number".into()),
                };
                key.insert(name, HashMap::from([typed]));
            }
            let payload = serde_json::to_vec(&key)?;
            let mut cursor = engine.encode(&payload);
            if let Some(secret) = secret {
                cursor.push('.');
                cursor.push_str(&engine.encode(tag(secret, &payload)?));
            }
            Some(cursor)
        }
        None => None,
    };
    let body = json!({ "movies": titles, "next": next });
    Ok(json!({ "statusCode": 200, "body": body.to_string() }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    // As every Lambda does (and as awstin's `init_tracing` does): logs for CloudWatch.
    lambda_runtime::tracing::init_default_subscriber();
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    let secret = std::env::var("MOVIES_CURSOR_SECRET").ok();
    lambda_runtime::run(service_fn(|event| {
        handle(&client, secret.as_deref().map(str::as_bytes), event)
    }))
    .await
}
