//! SNS: topics by ARN or by name, and publishing with typed message attributes, to standard
//! and FIFO topics, one message or a batch of up to 10.
//!
//! ```no_run
//! # async fn f() -> Result<(), awstin::sns::Error> {
//! use awstin::sns::{Attributes, Topic};
//! // In a Lambda, the ARN comes from the function's configuration: no API call.
//! let topic = Topic::from_arn("arn:aws:sns:us-east-1:123456789012:topic-name").await?;
//! let message_id = topic.publish("a message").await?;
//! let attributes = Attributes::new()
//!     .with("attrib_a", "a string")
//!     .with("attrib_b", 1234)
//!     .with("attrib_c", vec!["a", "b"])
//!     .with("attrib_d", awstin::BinaryBuf(b"bytes value".to_vec()));
//! topic.publish_with("another message", attributes).await?;
//! // In scripts, by name (lists the topics: needs `sns:ListTopics`).
//! let by_name = Topic::from_name("topic-name").await?;     // TEST_SNS_ENDPOINT, else AWS_REGION
//! # Ok(()) }
//! ```

mod attributes;
mod error;

use aws_sdk_sns::types::PublishBatchRequestEntry;

pub use attributes::{ArrayElement, Attributes, MessageAttribute};
pub use error::Error;
use error::service;

/// The AWS SDK for SNS, as this crate uses it (its client and attribute types appear in
/// this API).
pub use aws_sdk_sns as sdk;

/// The endpoint variable for tests: it wins over `AWS_REGION`.
pub const TEST_ENDPOINT_VAR: &str = "TEST_SNS_ENDPOINT";

/// Most entries SNS takes in one `PublishBatch`.
pub const MAX_BATCH_ENTRIES: usize = 10;

/// An SNS topic.
#[derive(Debug, Clone)]
pub struct Topic {
    client: aws_sdk_sns::Client,
    arn: String,
}

/// An SNS client from the environment: `TEST_SNS_ENDPOINT` wins (test credentials unless AWS
/// credentials are set), then `AWS_REGION`; else an error naming both.
///
/// ```no_run
/// # async fn f() -> Result<(), awstin::sns::Error> {
/// let client = awstin::sns::client_from_env().await?;
/// # Ok(()) }
/// ```
pub async fn client_from_env() -> Result<aws_sdk_sns::Client, Error> {
    let loader = crate::env::loader(TEST_ENDPOINT_VAR, "SNS")
        .map_err(|message| Error::Configuration { message })?;
    Ok(aws_sdk_sns::Client::new(&loader.load().await))
}

/// A message to publish: its body, and optionally attributes, a subject, and the group and
/// deduplication ids of a FIFO topic.
///
/// ```
/// use awstin::sns::{Attributes, Message};
/// let m = Message::new("order 17 shipped")
///     .attributes(Attributes::new().with("kind", "shipping"))
///     .group("order-17")
///     .deduplication("order-17-shipped");
/// # let _ = m;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Message {
    body: String,
    subject: Option<String>,
    attributes: Attributes,
    group: Option<String>,
    deduplication: Option<String>,
}

impl Message {
    /// A message with `body`.
    ///
    /// ```
    /// let _ = awstin::sns::Message::new("hello");
    /// ```
    pub fn new(body: impl Into<String>) -> Message {
        Message {
            body: body.into(),
            ..Message::default()
        }
    }

    /// Sets the message attributes.
    ///
    /// ```
    /// let _ = awstin::sns::Message::new("hello").attributes(awstin::sns::Attributes::new().with("n", 1));
    /// ```
    #[must_use]
    pub fn attributes(mut self, attributes: Attributes) -> Message {
        self.attributes = attributes;
        self
    }

    /// Sets the subject (email endpoints show it).
    ///
    /// ```
    /// let _ = awstin::sns::Message::new("hello").subject("greeting");
    /// ```
    #[must_use]
    pub fn subject(mut self, subject: impl Into<String>) -> Message {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the `MessageGroupId`: required on a FIFO topic, whose messages of one group are
    /// delivered in order.
    ///
    /// ```
    /// let _ = awstin::sns::Message::new("hello").group("customer-7");
    /// ```
    #[must_use]
    pub fn group(mut self, id: impl Into<String>) -> Message {
        self.group = Some(id.into());
        self
    }

    /// Sets the `MessageDeduplicationId` of a FIFO topic: a second message with the same id
    /// within five minutes is accepted and not delivered (needed unless the topic
    /// deduplicates by content).
    ///
    /// ```
    /// let _ = awstin::sns::Message::new("hello").group("g").deduplication("hello-1");
    /// ```
    #[must_use]
    pub fn deduplication(mut self, id: impl Into<String>) -> Message {
        self.deduplication = Some(id.into());
        self
    }
}

/// What SNS answered for one entry of a [`Topic::publish_batch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchEntry {
    /// Published, with this message id.
    Published(String),
    /// Refused.
    Failed {
        /// SNS's code, e.g. `InvalidParameter`.
        code: String,
        /// SNS's message, if any.
        message: Option<String>,
        /// `true` when the entry itself is at fault (sending it again will fail again).
        sender_fault: bool,
    },
}

impl Topic {
    /// The topic with ARN `arn`, with a client from the environment ([`client_from_env`]).
    /// No API call is made: this is what a Lambda configured with a topic ARN wants at each
    /// cold start, and it needs no `sns:ListTopics` permission.
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), awstin::sns::Error> {
    /// let topic = awstin::sns::Topic::from_arn("arn:aws:sns:eu-west-1:123456789012:orders").await?;
    /// # Ok(()) }
    /// ```
    pub async fn from_arn(arn: &str) -> Result<Topic, Error> {
        Topic::from_client(client_from_env().await?, arn)
    }

    /// The topic with ARN `arn`, through `client`; checks that `arn` is an SNS topic ARN
    /// ([`Error::InvalidArn`]).
    ///
    /// ```
    /// # let config = aws_sdk_sns::Config::builder().behavior_version(aws_sdk_sns::config::BehaviorVersion::latest()).build();
    /// # let client = aws_sdk_sns::Client::from_conf(config);
    /// use awstin::sns::{Error, Topic};
    /// let topic = Topic::from_client(client.clone(), "arn:aws:sns:eu-west-1:123456789012:orders.fifo")?;
    /// assert!(topic.is_fifo());
    /// assert!(matches!(Topic::from_client(client, "orders"), Err(Error::InvalidArn { .. })));
    /// # Ok::<(), Error>(())
    /// ```
    pub fn from_client(client: aws_sdk_sns::Client, arn: &str) -> Result<Topic, Error> {
        let parts: Vec<&str> = arn.split(':').collect();
        match parts.as_slice() {
            ["arn", partition, "sns", region, account, name]
                if !partition.is_empty()
                    && !region.is_empty()
                    && account.len() == 12
                    && account.bytes().all(|b| b.is_ascii_digit())
                    && !name.is_empty() =>
            {
                Ok(Topic {
                    client,
                    arn: arn.to_owned(),
                })
            }
            _ => Err(Error::InvalidArn {
                arn: arn.to_owned(),
            }),
        }
    }

    /// The topic with ARN `arn`, with a client from a shared AWS configuration; no API call.
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), awstin::sns::Error> {
    /// let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    /// let topic = awstin::sns::Topic::from_sdk_config(&config, "arn:aws:sns:eu-west-1:123456789012:orders")?;
    /// # Ok(()) }
    /// ```
    pub fn from_sdk_config(config: &aws_config::SdkConfig, arn: &str) -> Result<Topic, Error> {
        Topic::from_client(aws_sdk_sns::Client::new(config), arn)
    }

    /// The topic named `name`, with a client from the environment ([`client_from_env`]).
    /// Lists the topics to find it (`sns:ListTopics`): for scripts; a Lambda should use
    /// [`from_arn`](Topic::from_arn).
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), awstin::sns::Error> {
    /// let topic = awstin::sns::Topic::from_name("orders").await?;
    /// # Ok(()) }
    /// ```
    pub async fn from_name(name: &str) -> Result<Topic, Error> {
        Topic::from_client_named(client_from_env().await?, name).await
    }

    /// The topic named `name`, through `client`.
    ///
    /// ```no_run
    /// # async fn f(client: aws_sdk_sns::Client) -> Result<(), awstin::sns::Error> {
    /// let topic = awstin::sns::Topic::from_client_named(client, "orders").await?;
    /// # Ok(()) }
    /// ```
    pub async fn from_client_named(
        client: aws_sdk_sns::Client,
        name: &str,
    ) -> Result<Topic, Error> {
        let suffix = format!(":{name}");
        let mut token = None;
        loop {
            let out = client
                .list_topics()
                .set_next_token(token.take())
                .send()
                .await
                .map_err(service("ListTopics", name))?;
            if let Some(arn) = out
                .topics()
                .iter()
                .filter_map(|t| t.topic_arn())
                .find(|arn| arn.ends_with(&suffix))
            {
                return Ok(Topic {
                    arn: arn.to_owned(),
                    client,
                });
            }
            match out.next_token {
                Some(next) => token = Some(next),
                None => {
                    return Err(Error::TopicNotFound {
                        name: name.to_owned(),
                    });
                }
            }
        }
    }

    /// The topic's ARN.
    ///
    /// ```no_run
    /// # fn f(topic: awstin::sns::Topic) { println!("{}", topic.arn()); }
    /// ```
    pub fn arn(&self) -> &str {
        &self.arn
    }

    /// Whether the topic is a FIFO topic (its name ends in `.fifo`): its messages need a
    /// group id.
    ///
    /// ```no_run
    /// # fn f(topic: awstin::sns::Topic) { assert!(!topic.is_fifo()); }
    /// ```
    pub fn is_fifo(&self) -> bool {
        self.arn.ends_with(".fifo")
    }

    /// Publishes `message`; returns its message id.
    ///
    /// ```no_run
    /// # async fn f(topic: awstin::sns::Topic) -> Result<(), awstin::sns::Error> {
    /// let id = topic.publish("hello").await?;
    /// # Ok(()) }
    /// ```
    pub async fn publish(&self, message: &str) -> Result<String, Error> {
        self.publish_message(Message::new(message)).await
    }

    /// Publishes `message` with message attributes; returns its message id.
    ///
    /// ```no_run
    /// # async fn f(topic: awstin::sns::Topic) -> Result<(), awstin::sns::Error> {
    /// let id = topic.publish_with("hello", awstin::sns::Attributes::new().with("n", 1)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn publish_with(
        &self,
        message: &str,
        attributes: Attributes,
    ) -> Result<String, Error> {
        self.publish_message(Message::new(message).attributes(attributes))
            .await
    }

    /// Publishes a [`Message`]; returns its message id. On a FIFO topic a message without a
    /// group id is [`Error::InvalidMessage`], before sending.
    ///
    /// ```no_run
    /// # async fn f(topic: awstin::sns::Topic) -> Result<(), awstin::sns::Error> {
    /// use awstin::sns::Message;
    /// let id = topic.publish_message(Message::new("shipped").group("order-17").deduplication("order-17-shipped")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn publish_message(&self, message: Message) -> Result<String, Error> {
        self.check(&message, None)?;
        let out = self
            .client
            .publish()
            .topic_arn(&self.arn)
            .message(message.body)
            .set_subject(message.subject)
            .set_message_group_id(message.group)
            .set_message_deduplication_id(message.deduplication)
            .set_message_attributes(message.attributes.into_sdk())
            .send()
            .await
            .map_err(service("Publish", &self.arn))?;
        out.message_id.ok_or_else(|| Error::Service {
            operation: "Publish",
            topic: self.arn.clone(),
            source: "SNS returned no message id".into(),
        })
    }

    /// Publishes 1 to 10 messages in one `PublishBatch`; returns each entry's outcome, in
    /// the order given. More than 10 messages, none, or an invalid one is
    /// [`Error::InvalidMessage`] before sending; entries SNS refuses are
    /// [`BatchEntry::Failed`], the others are published.
    ///
    /// ```no_run
    /// # async fn f(topic: awstin::sns::Topic) -> Result<(), awstin::sns::Error> {
    /// use awstin::sns::{BatchEntry, Message};
    /// let outcomes = topic.publish_batch(vec![Message::new("a"), Message::new("b")]).await?;
    /// for outcome in outcomes {
    ///     if let BatchEntry::Failed { code, .. } = outcome { eprintln!("refused: {code}"); }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn publish_batch(&self, messages: Vec<Message>) -> Result<Vec<BatchEntry>, Error> {
        if messages.is_empty() || messages.len() > MAX_BATCH_ENTRIES {
            return Err(Error::InvalidMessage {
                entry: None,
                reason: "a batch holds 1 to 10 messages",
            });
        }
        let count = messages.len();
        let mut entries = Vec::with_capacity(count);
        for (i, message) in messages.into_iter().enumerate() {
            self.check(&message, Some(i))?;
            let entry = PublishBatchRequestEntry::builder()
                .id(i.to_string())
                .message(message.body)
                .set_subject(message.subject)
                .set_message_group_id(message.group)
                .set_message_deduplication_id(message.deduplication)
                .set_message_attributes(message.attributes.into_sdk())
                .build()
                .map_err(|e| Error::Service {
                    operation: "PublishBatch",
                    topic: self.arn.clone(),
                    source: Box::new(e),
                })?;
            entries.push(entry);
        }
        let out = self
            .client
            .publish_batch()
            .topic_arn(&self.arn)
            .set_publish_batch_request_entries(Some(entries))
            .send()
            .await
            .map_err(service("PublishBatch", &self.arn))?;
        let mut outcomes: Vec<Option<BatchEntry>> = vec![None; count];
        let mut place = |id: Option<&str>, outcome: BatchEntry| {
            if let Some(slot) = id
                .and_then(|id| id.parse::<usize>().ok())
                .and_then(|i| outcomes.get_mut(i))
            {
                *slot = Some(outcome);
            }
        };
        for ok in out.successful() {
            place(
                ok.id(),
                BatchEntry::Published(ok.message_id().unwrap_or_default().to_owned()),
            );
        }
        for failed in out.failed() {
            place(
                Some(failed.id()),
                BatchEntry::Failed {
                    code: failed.code().to_owned(),
                    message: failed.message().map(str::to_owned),
                    sender_fault: failed.sender_fault(),
                },
            );
        }
        outcomes
            .into_iter()
            .map(|o| {
                o.ok_or_else(|| Error::Service {
                    operation: "PublishBatch",
                    topic: self.arn.clone(),
                    source: "SNS answered without an outcome for every entry".into(),
                })
            })
            .collect()
    }

    /// Refuses a message SNS would refuse: an attribute it cannot carry, or a FIFO topic's
    /// message without a group id.
    fn check(&self, message: &Message, entry: Option<usize>) -> Result<(), Error> {
        if let Some((name, reason)) = &message.attributes.error {
            return Err(Error::InvalidAttribute {
                name: name.clone(),
                reason: reason.clone(),
            });
        }
        if self.is_fifo() && message.group.is_none() {
            return Err(Error::InvalidMessage {
                entry,
                reason: "a message to a FIFO topic needs a group id",
            });
        }
        Ok(())
    }
}
