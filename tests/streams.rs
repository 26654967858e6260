//! DynamoDB Streams into typed changes: records produced by the embedded DynamoDB's own
//! stream (for each stream view type), a sample event of the service, and the partial batch
//! failure response for bad records and failing functions.

#![allow(missing_docs)]

use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::types::StreamViewType;
use awstin::dynamodb::{Error, Table};
use awstin::expr::decode::DecodeErrorKind;
use awstin::lambda::stream::{self, ChangeKind, Changes, Event, RecordError};
use awstin::lambda::{Context, LambdaEvent, lambda_handler};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::update;
use serde_json::{Value, json};

awstin::dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "StreamMovies";
        key year: u32;
        key title: String;
        attr rating: Option<f64>;
        attr actors: Vec<String>;
    }
}

fn movie(year: u32, title: &str, rating: f64) -> Movie {
    Movie {
        year,
        title: title.into(),
        rating: Some(rating),
        actors: vec!["Daniel Brühl".into()],
    }
}

fn config(message: impl ToString) -> Error {
    Error::Configuration {
        message: message.to_string(),
    }
}

/// Starts the emulator with a Movies table keeping `view`, writes an insert, a second insert,
/// a modification of the first and a removal of the second, and returns the stream's event.
async fn four_changes(view: StreamViewType) -> Result<Value, Error> {
    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Movie>()?.with_stream(view)).await?;
    let movies: Table<Movie> = local.db().table();
    movies.put(&movie(2013, "Rush", 8.1)).await?;
    movies.put(&movie(2015, "Room", 8.1)).await?;
    let rating = 8.2;
    movies
        .update((2013, "Rush"), update!(rating = rating))
        .await?;
    let _ = movies.delete((2015, "Room")).await?;
    local.stream_event("StreamMovies")
}

fn event(json: Value) -> Result<Event, Error> {
    serde_json::from_value(json).map_err(config)
}

#[tokio::test]
async fn new_and_old_images_give_typed_inserts_modifies_and_removes_from_the_emulators_stream()
-> Result<(), Error> {
    let json = four_changes(StreamViewType::NewAndOldImages).await?;
    let records: Vec<_> = stream::changes::<Movie>(event(json.clone())?)
        .into_iter()
        .map(|r| r.change)
        .collect::<Result<_, _>>()
        .map_err(config)?;
    let kinds: Vec<_> = records.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::Insert,
            ChangeKind::Insert,
            ChangeKind::Modify,
            ChangeKind::Remove
        ]
    );
    let rush = (2013, "Rush".to_string());
    let room = (2015, "Room".to_string());
    assert_eq!(records[0].key, rush);
    assert_eq!(
        (&records[0].old, &records[0].new),
        (&None, &Some(movie(2013, "Rush", 8.1)))
    );
    assert_eq!(records[2].key, rush);
    assert_eq!(records[2].old, Some(movie(2013, "Rush", 8.1)));
    assert_eq!(records[2].new, Some(movie(2013, "Rush", 8.2)));
    assert_eq!(records[3].key, room);
    assert_eq!(
        (&records[3].old, &records[3].new),
        (&Some(movie(2015, "Room", 8.1)), &None)
    );
    // Identifiers come from the record, in stream order.
    for (change, raw) in records
        .iter()
        .zip(json["Records"].as_array().into_iter().flatten())
    {
        assert_eq!(
            change.sequence_number,
            raw["dynamodb"]["SequenceNumber"]
                .as_str()
                .unwrap_or_default()
        );
        assert_eq!(change.event_id, raw["eventID"].as_str().unwrap_or_default());
    }
    let sequence: Vec<u128> = records
        .iter()
        .map(|c| c.sequence_number.parse().unwrap_or(0))
        .collect();
    assert!(sequence.windows(2).all(|w| w[0] < w[1]), "{sequence:?}");
    assert!(records.iter().all(|c| c.created > std::time::UNIX_EPOCH));
    Ok(())
}

#[tokio::test]
async fn each_view_type_gives_the_images_it_keeps_and_keys_only_records_yield_the_key()
-> Result<(), Error> {
    // (view, [(old, new) present] for insert, insert, modify, remove)
    let cases = [
        (StreamViewType::KeysOnly, [(false, false); 4]),
        (
            StreamViewType::NewImage,
            [(false, true), (false, true), (false, true), (false, false)],
        ),
        (
            StreamViewType::OldImage,
            [(false, false), (false, false), (true, false), (true, false)],
        ),
    ];
    for (view, images) in cases {
        let json = four_changes(view.clone()).await?;
        let changes: Vec<_> = stream::changes::<Movie>(event(json)?)
            .into_iter()
            .map(|r| r.change)
            .collect::<Result<_, _>>()
            .map_err(config)?;
        assert_eq!(changes.len(), 4, "{view:?}");
        for (change, (old, new)) in changes.iter().zip(images) {
            assert_eq!(
                (change.old.is_some(), change.new.is_some()),
                (old, new),
                "{view:?} {:?}",
                change.kind
            );
        }
        assert_eq!(changes[3].key, (2015, "Room".to_string()), "{view:?}");
    }
    Ok(())
}

/// Processes `json` with a function that records the keys it saw and fails for `fail_on`.
async fn process(
    json: Value,
    fail_on: Option<&str>,
) -> Result<(Vec<String>, Vec<Option<String>>), Error> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let response = stream::changes::<Movie>(event(json)?)
        .process(|change| {
            let seen = seen.clone();
            async move {
                let title = change.key.1;
                seen.lock()
                    .map_err(|_| config("poisoned"))?
                    .push(title.clone());
                match fail_on {
                    Some(bad) if bad == title => Err(config("the audit topic refused the message")),
                    _ => Ok(()),
                }
            }
        })
        .await;
    let seen = seen.lock().map_err(|_| config("poisoned"))?.clone();
    Ok((
        seen,
        response
            .batch_item_failures
            .into_iter()
            .map(|f| Some(f.item_identifier))
            .collect(),
    ))
}

#[tokio::test]
async fn a_bad_record_in_the_middle_is_reported_by_its_sequence_number_and_the_rest_wait()
-> Result<(), Error> {
    let mut json = four_changes(StreamViewType::NewAndOldImages).await?;
    let all = process(json.clone(), None).await?;
    assert_eq!(
        all,
        (
            vec!["Rush".into(), "Room".into(), "Rush".into(), "Room".into()],
            vec![]
        )
    );

    // The second record's new image holds a year that is not a number.
    json["Records"][1]["dynamodb"]["NewImage"]["year"] = json!({"S": "MMXV"});
    let second = json["Records"][1]["dynamodb"]["SequenceNumber"]
        .as_str()
        .map(String::from);
    let (seen, failures) = process(json.clone(), None).await?;
    assert_eq!(
        seen,
        ["Rush"],
        "records after the bad one wait for the retry"
    );
    assert_eq!(failures, [second]);

    let records: Vec<_> = stream::changes::<Movie>(event(json)?).into_iter().collect();
    match &records[1].change {
        Err(RecordError::Decode {
            part: "NewImage",
            source,
        }) => {
            assert_eq!(
                (source.attribute, source.kind),
                (
                    Some("year"),
                    DecodeErrorKind::WrongType {
                        expected: "N",
                        found: awstin::AttributeType::S
                    }
                )
            );
        }
        other => panic!("a decode error of the new image was expected, got {other:?}"),
    }
    assert!(records[0].change.is_ok() && records[2].change.is_ok());
    Ok(())
}

#[tokio::test]
async fn a_failing_function_is_reported_like_a_bad_record() -> Result<(), Error> {
    let json = four_changes(StreamViewType::NewAndOldImages).await?;
    let second = json["Records"][1]["dynamodb"]["SequenceNumber"]
        .as_str()
        .map(String::from);
    let (seen, failures) = process(json, Some("Room")).await?;
    assert_eq!(seen, ["Rush", "Room"]);
    assert_eq!(failures, [second]);
    Ok(())
}

#[tokio::test]
async fn a_missing_image_the_view_keeps_and_a_missing_sequence_number_are_failures()
-> Result<(), Error> {
    let json = four_changes(StreamViewType::NewAndOldImages).await?;

    let mut no_image = json.clone();
    no_image["Records"][0]["dynamodb"]
        .as_object_mut()
        .map(|d| d.remove("NewImage"));
    let first = no_image["Records"][0]["dynamodb"]["SequenceNumber"]
        .as_str()
        .map(String::from);
    let records: Vec<_> = stream::changes::<Movie>(event(no_image.clone())?)
        .into_iter()
        .collect();
    assert_eq!(
        records[0].change.as_ref().err(),
        Some(&RecordError::MissingImage { image: "NewImage" })
    );
    assert_eq!(process(no_image, None).await?, (vec![], vec![first]));

    let mut unnamed = json.clone();
    unnamed["Records"][2]["dynamodb"]
        .as_object_mut()
        .map(|d| d.remove("SequenceNumber"));
    let (seen, failures) = process(unnamed, None).await?;
    assert_eq!(seen, ["Rush", "Room"]);
    // An empty identifier: Lambda retries the whole batch.
    assert_eq!(failures, [Some(String::new())]);

    let mut unknown = json;
    unknown["Records"][0]["eventName"] = json!("UPSERT");
    let records: Vec<_> = stream::changes::<Movie>(event(unknown)?)
        .into_iter()
        .collect();
    assert_eq!(
        records[0].change.as_ref().err(),
        Some(&RecordError::EventName)
    );
    Ok(())
}

awstin::dynamo_model! {
    #[derive(Debug, PartialEq)]
    pub struct User { table "Users"; key id: String; attr name: Option<String> }
}

#[test]
fn a_sample_event_of_the_service_reads_into_a_model() -> Result<(), Error> {
    let sample: Value =
        serde_json::from_str(include_str!("events/dynamodb-streams.json")).map_err(config)?;
    let changes: Vec<_> = stream::changes::<User>(event(sample)?)
        .into_iter()
        .collect();
    let change = changes[0].change.as_ref().map_err(config)?;
    assert_eq!(
        (
            change.kind,
            change.key.as_str(),
            change.sequence_number.as_str()
        ),
        (ChangeKind::Modify, "user-1", "222")
    );
    assert_eq!(
        change.new,
        Some(User {
            id: "user-1".into(),
            name: Some("visible-name".into())
        })
    );
    assert_eq!(
        change.old,
        Some(User {
            id: "user-1".into(),
            name: None
        })
    );
    Ok(())
}

#[tokio::test]
async fn the_lambda_handler_answers_with_batch_item_failures() -> Result<(), Error> {
    let mut json = four_changes(StreamViewType::NewAndOldImages).await?;
    json["Records"][2]["dynamodb"]["Keys"]["title"] = json!({"N": "1"});
    let third = json["Records"][2]["dynamodb"]["SequenceNumber"].clone();
    async fn audit(changes: Changes<Movie>) -> Result<stream::Response, std::convert::Infallible> {
        Ok(changes
            .process(|_| async { Ok::<_, std::convert::Infallible>(()) })
            .await)
    }
    let handler = lambda_handler(stream::parse::<Movie>, audit);
    let response = handler
        .call(LambdaEvent::new(event(json)?, Context::default()))
        .await
        .map_err(config)?;
    assert_eq!(
        serde_json::to_value(&response).map_err(config)?,
        json!({"batchItemFailures": [{"itemIdentifier": third}]})
    );
    Ok(())
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub tags: Vec<String>,
    pub score: u8,
}

awstin::dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tagged { table "Tagged"; key id: String; attr meta: awstin::dynamodb::Serde<Meta> }
}

#[test]
fn a_model_with_a_serde_field_reads_from_stream_records_and_by_value() -> Result<(), Error> {
    let tagged = Tagged {
        id: "a".into(),
        meta: awstin::dynamodb::Serde(Meta {
            tags: vec!["x".into()],
            score: 3,
        }),
    };
    let sample = json!({"Records": [{
        "eventID": "1", "eventName": "INSERT", "awsRegion": "us-east-1",
        "dynamodb": {
            "Keys": {"id": {"S": "a"}},
            "NewImage": {"id": {"S": "a"}, "meta": {"M": {"tags": {"L": [{"S": "x"}]}, "score": {"N": "3"}}}},
            "SequenceNumber": "1", "SizeBytes": 30, "StreamViewType": "NEW_IMAGE"
        }
    }]});
    let change = stream::changes::<Tagged>(event(sample)?)
        .into_iter()
        .next()
        .map(|r| r.change)
        .ok_or_else(|| config("one record"))?
        .map_err(config)?;
    assert_eq!(change.new, Some(tagged.clone()));
    let by_value: Tagged = awstin::dynamodb::from_item_owned(awstin::dynamodb::to_item(&tagged)?)?;
    assert_eq!(by_value, tagged);
    Ok(())
}
