//! The `stream_audit` Lambda: reacts to the Movies table's stream and publishes each changed
//! movie's rating to an SNS topic, one message per change, in stream order. A record that
//! does not decode, or whose message SNS refuses, is reported by its sequence number, so
//! Lambda retries from there (partial batch failure) and no change is skipped.

use awstin::lambda::stream::{self, Change, ChangeKind, Changes};
use awstin::serde_json;
use awstin::sns::{Attributes, Message, Topic};
use serde::Serialize;

use crate::Movie;

/// The message published for one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatingChange {
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub change: &'static str,
    /// The movie's year.
    pub year: u32,
    /// The movie's title.
    pub title: String,
    /// The rating before the change, if the stream keeps it and the movie had one.
    pub before: Option<f64>,
    /// The rating after the change; none for a removal.
    pub after: Option<f64>,
}

impl RatingChange {
    /// The message for `change`.
    ///
    /// ```
    /// use awstin::lambda::stream::{changes, Event};
    /// use awstin_examples::{Movie, stream_audit::RatingChange};
    /// let event: Event = awstin::serde_json::from_value(awstin::serde_json::json!({"Records": [{
    ///     "eventID": "1", "eventName": "INSERT", "awsRegion": "us-east-1",
    ///     "dynamodb": {"Keys": {"year": {"N": "2013"}, "title": {"S": "Rush"}},
    ///         "NewImage": {"year": {"N": "2013"}, "title": {"S": "Rush"}, "info": {"M": {"rating": {"N": "8.1"}}}},
    ///         "SequenceNumber": "1", "SizeBytes": 9, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    /// }]}))?;
    /// let change = changes::<Movie>(event).into_iter().next().unwrap().change?;
    /// assert_eq!(RatingChange::of(&change).after, Some(8.1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(change: &Change<Movie>) -> RatingChange {
        let (year, title) = change.key.clone();
        let rating = |m: &Option<Movie>| m.as_ref().and_then(|m| m.info.rating);
        RatingChange {
            change: match change.kind {
                ChangeKind::Insert => "INSERT",
                ChangeKind::Modify => "MODIFY",
                ChangeKind::Remove => "REMOVE",
            },
            year,
            title,
            before: rating(&change.old),
            after: rating(&change.new),
        }
    }
}

/// Publishes one message per change to `topic`, and reports the first failure.
///
/// ```no_run
/// # async fn f(topic: awstin::sns::Topic, changes: awstin::lambda::stream::Changes<awstin_examples::Movie>) {
/// let response = awstin_examples::stream_audit::audit(&topic, changes).await;
/// # }
/// ```
pub async fn audit(topic: &Topic, changes: Changes<Movie>) -> stream::Response {
    changes
        .process(|change| async move {
            let message = RatingChange::of(&change);
            let body = serde_json::to_string(&message).unwrap_or_default();
            let attributes = Attributes::new().with("change", message.change);
            topic
                .publish_message(
                    Message::new(body)
                        .subject(format!("{} ({})", message.title, message.year))
                        .attributes(attributes),
                )
                .await
                .map(drop)
        })
        .await
}
