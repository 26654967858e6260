//! Publishes to an SNS topic with the four attribute types: `sns_publish TOPIC`, where TOPIC
//! is a topic ARN (what a Lambda's configuration carries: no lookup) or a name (looked up
//! with ListTopics). `TEST_SNS_ENDPOINT` for a test server, else `AWS_REGION`.

use awstin::BinaryBuf;
use awstin::sns::{ArrayElement, Attributes, Topic};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    awstin::lambda::init_tracing();
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "topic-name".to_owned());
    let topic = if name.starts_with("arn:") {
        Topic::from_arn(&name).await?
    } else {
        Topic::from_name(&name).await?
    };
    let message_id = topic.publish("a message").await?;
    println!("published {message_id}");
    let attributes = Attributes::new()
        .with("attrib_a", "a string")
        .with("attrib_b", 1234)
        .with(
            "attrib_c",
            vec![
                ArrayElement::from("a"),
                "b".into(),
                false.into(),
                ArrayElement::Null,
            ],
        )
        .with("attrib_d", BinaryBuf(b"bytes value".to_vec()));
    let message_id = topic.publish_with("another message", attributes).await?;
    println!("published {message_id} with String, Number, String.Array and Binary attributes");
    Ok(())
}
