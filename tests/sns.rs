//! SNS against moto server, which the test command starts on 127.0.0.1 and names in
//! `TEST_SNS_ENDPOINT`.

use awstin::BinaryBuf;
use awstin::sns::{ArrayElement, Attributes, BatchEntry, Error, Message, Topic, client_from_env};
use awstin::testing::sns::{PublishedAttribute, published};

fn endpoint() -> String {
    std::env::var("TEST_SNS_ENDPOINT")
        .expect("TEST_SNS_ENDPOINT: run `bash scripts/test.sh`, which starts moto server")
}

/// Creates the topic `name` (FIFO when it ends in `.fifo`); returns its ARN.
async fn create(name: &str) -> String {
    let client = client_from_env().await.expect("a client");
    let mut request = client.create_topic().name(name);
    if name.ends_with(".fifo") {
        request = request.attributes("FifoTopic", "true");
    }
    let out = request.send().await.expect("moto creates the topic");
    out.topic_arn().expect("an ARN").to_owned()
}

async fn topic(name: &str) -> Result<Topic, Error> {
    create(name).await;
    Topic::from_name(name).await
}

fn attribute(data_type: &str, value: &str) -> PublishedAttribute {
    PublishedAttribute {
        data_type: data_type.into(),
        value: value.into(),
    }
}

#[tokio::test]
async fn a_topic_is_found_by_name_and_messages_are_published() -> Result<(), Error> {
    let topic = topic("plain-messages").await?;
    assert!(topic.arn().ends_with(":plain-messages"));
    let id = topic.publish("a message").await?;
    let sent = published(&endpoint(), topic.arn()).await?;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].message_id.as_str(), sent[0].message.as_str()),
        (id.as_str(), "a message")
    );
    assert!(sent[0].attributes.is_empty());
    Ok(())
}

#[tokio::test]
async fn all_four_attribute_types_are_published() -> Result<(), Error> {
    let topic = topic("typed-attributes").await?;
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
        .with("attrib_d", BinaryBuf(b"bytes value".to_vec()))
        .with("ratio", 0.25)
        .with("names", ["x", "y"]);
    topic.publish_with("another message", attributes).await?;
    let sent = published(&endpoint(), topic.arn()).await?;
    let attrs = &sent[0].attributes;
    assert_eq!(attrs["attrib_a"], attribute("String", "a string"));
    assert_eq!(attrs["attrib_b"], attribute("Number", "1234"));
    assert_eq!(
        attrs["attrib_c"],
        attribute("String.Array", r#"["a","b",false,null]"#)
    );
    assert_eq!(attrs["attrib_d"], attribute("Binary", "Ynl0ZXMgdmFsdWU="));
    assert_eq!(attrs["ratio"], attribute("Number", "0.25"));
    assert_eq!(attrs["names"], attribute("String.Array", r#"["x","y"]"#));
    Ok(())
}

#[tokio::test]
async fn a_missing_topic_is_a_typed_error() {
    match Topic::from_name("no-such-topic").await {
        Err(Error::TopicNotFound { name }) => assert_eq!(name, "no-such-topic"),
        other => panic!("expected TopicNotFound, got {other:?}"),
    }
    // The moto reader does not answer "nothing published" for a topic it does not have.
    let unknown = "arn:aws:sns:us-east-1:123456789012:no-such-topic";
    assert!(published(&endpoint(), unknown).await.is_err());
}

#[tokio::test]
async fn a_nan_attribute_is_refused_before_sending() -> Result<(), Error> {
    let topic = topic("refused-attributes").await?;
    match topic
        .publish_with("m", Attributes::new().with("score", f64::NAN))
        .await
    {
        Err(Error::InvalidAttribute { name, .. }) => assert_eq!(name, "score"),
        other => panic!("expected InvalidAttribute, got {other:?}"),
    }
    assert!(
        published(&endpoint(), topic.arn()).await?.is_empty(),
        "nothing was sent"
    );
    Ok(())
}

#[tokio::test]
async fn a_topic_from_its_arn_publishes_without_looking_it_up() -> Result<(), Error> {
    let arn = create("by-arn").await;
    let topic = Topic::from_arn(&arn).await?;
    let id = topic.publish("from the ARN").await?;
    let sent = published(&endpoint(), &arn).await?;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].message_id, id);
    for bad in [
        "by-arn",
        "arn:aws:sqs:us-east-1:123456789012:q",
        "arn:aws:sns:us-east-1:12:t",
    ] {
        assert!(
            matches!(Topic::from_arn(bad).await, Err(Error::InvalidArn { .. })),
            "{bad} is refused"
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_fifo_topic_takes_group_and_deduplication_ids() -> Result<(), Error> {
    let arn = create("orders.fifo").await;
    let topic = Topic::from_arn(&arn).await?;
    assert!(topic.is_fifo());
    topic
        .publish_message(
            Message::new("order 17 shipped")
                .group("order-17")
                .deduplication("order-17-shipped"),
        )
        .await?;
    match topic.publish("no group").await {
        Err(Error::InvalidMessage {
            entry: None,
            reason,
        }) => {
            assert!(reason.contains("group id"), "{reason}");
        }
        other => panic!("a FIFO message without a group is refused, got {other:?}"),
    }
    let sent = published(&endpoint(), &arn).await?;
    assert_eq!(sent.len(), 1, "only the message with a group was sent");
    assert_eq!(sent[0].message, "order 17 shipped");
    Ok(())
}

#[tokio::test]
async fn a_batch_reports_each_entry_in_order() -> Result<(), Error> {
    let arn = create("batched").await;
    let topic = Topic::from_arn(&arn).await?;
    let messages: Vec<Message> = (0..10)
        .map(|i| Message::new(format!("m{i}")).attributes(Attributes::new().with("i", i)))
        .collect();
    let outcomes = topic.publish_batch(messages).await?;
    assert_eq!(outcomes.len(), 10);
    let sent = published(&endpoint(), &arn).await?;
    let ids: Vec<&str> = outcomes
        .iter()
        .map(|o| match o {
            BatchEntry::Published(id) => id.as_str(),
            BatchEntry::Failed { code, .. } => panic!("entry refused: {code}"),
        })
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let message = sent
            .iter()
            .find(|p| p.message_id == *id)
            .expect("published");
        assert_eq!(
            message.message,
            format!("m{i}"),
            "outcomes are in the order given"
        );
    }
    for count in [0, 11] {
        let messages = (0..count).map(|i| Message::new(format!("m{i}"))).collect();
        assert!(matches!(
            topic.publish_batch(messages).await,
            Err(Error::InvalidMessage { entry: None, .. })
        ));
    }
    let with_nan = vec![
        Message::new("ok"),
        Message::new("bad").attributes(Attributes::new().with("x", f64::NAN)),
    ];
    assert!(matches!(
        topic.publish_batch(with_nan).await,
        Err(Error::InvalidAttribute { .. })
    ));
    assert_eq!(
        published(&endpoint(), &arn).await?.len(),
        10,
        "nothing more was sent"
    );
    Ok(())
}

#[tokio::test]
async fn a_failed_call_names_the_operation_and_the_topic() {
    let config = aws_sdk_sns::Config::builder()
        .behavior_version(aws_sdk_sns::config::BehaviorVersion::latest())
        .endpoint_url(endpoint())
        .region(aws_sdk_sns::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sns::config::Credentials::new(
            "test", "test", None, None, "t",
        ))
        .build();
    let arn = "arn:aws:sns:us-east-1:123456789012:never-created";
    let topic = Topic::from_client(aws_sdk_sns::Client::from_conf(config), arn).expect("an ARN");
    let e = topic.publish("m").await.expect_err("no such topic");
    assert_eq!(
        e.to_string(),
        format!("Publish on topic {arn}: SNS request failed")
    );
    let chain = awstin::lambda::error_chain(&e);
    assert!(
        chain.contains("NotFound"),
        "the SDK's code is in the chain: {chain}"
    );
}

/// A fake SNS endpoint on 127.0.0.1 that answers every request with SNS's throttling error.
async fn throttling_sns() -> String {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let endpoint = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while awstin_tests::read_http_message(&mut socket, &mut buf)
                    .await
                    .is_some()
                {
                    let body = r#"<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>Throttled</Code><Message>Rate exceeded</Message></Error><RequestId>1</RequestId></ErrorResponse>"#;
                    let response = format!(
                        "HTTP/1.1 400 Bad Request\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(response.as_bytes()).await;
                }
            });
        }
    });
    endpoint
}

#[tokio::test]
async fn throttling_is_a_typed_retryable_error() {
    use aws_sdk_sns::config::{BehaviorVersion, Credentials, Region, retry::RetryConfig};
    let config = aws_sdk_sns::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(throttling_sns().await)
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "fake"))
        .retry_config(RetryConfig::disabled())
        .build();
    let err = Topic::from_client_named(aws_sdk_sns::Client::from_conf(config), "orders")
        .await
        .expect_err("every request is throttled");
    assert!(matches!(err, Error::Throttled { .. }), "got {err:?}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
}
