//! Publishes to an SNS topic with the four attribute types: `sns_publish TOPIC`
//! (`TEST_SNS_ENDPOINT` for a test server, else `AWS_REGION`).

use awstin::BinaryBuf;
use awstin::sns::{ArrayElement, Attributes, SnsTopic};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "topic-name".to_owned());
    let topic = SnsTopic::new(&name).await?;
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
