//! The Movies API example's handler on a real API Gateway event, against the embedded
//! DynamoDB (the example crate itself carries no emulator unless built with `local`).

use aws_lambda_events::apigw::ApiGatewayProxyRequest;
use aws_lambda_events::encodings::Body;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, with_temporary_table};
use awstin::dynamodb::{Error, Table};
use awstin::lambda::{Context, LambdaEvent, lambda_handler};
use awstin_examples::movies_api::{list_movies, parse};
use awstin_examples::{Info, Movie};

const SAMPLE: &str = include_str!("../examples/events/apigw-movies-request.json");

#[tokio::test]
async fn the_handler_answers_a_real_api_gateway_event_from_the_embedded_dynamodb()
-> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(local.db(), TableSpec::of::<Movie>()?, |movies: Table<Movie>| async move {
        for (year, title, rating) in [(1992, "Aladdin", 8.0), (1992, "Hook", 6.8), (1992, "Malcolm X", 7.7), (1993, "Alive", 6.4)] {
            let info = Info { rating: Some(rating), ..Info::default() };
            movies.put(&Movie { year, title: title.into(), info }).await?;
        }
        let event: ApiGatewayProxyRequest = serde_json::from_str(SAMPLE).map_err(|e| Error::Configuration { message: e.to_string() })?;
        let handler = lambda_handler(parse, |query| {
            let movies = movies.clone();
            async move { list_movies(&movies, None, query).await }
        });
        let response = handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
            .map_err(|e| Error::Configuration { message: e.to_string() })?;
        assert_eq!(response.status_code, 200);
        let Some(Body::Text(body)) = response.body else { panic!("a text body was expected") };
        assert_eq!(body, r#"{"movies":[{"year":1992,"title":"Aladdin","rating":8.0},{"year":1992,"title":"Hook","rating":6.8}]}"#);
        Ok(())
    })
    .await
}

/// Reading by value gives what reading a borrowed item gives: the same movies, and for an
/// item that does not fit the model, the same error naming the same attribute.
#[test]
fn decoding_by_value_reads_what_decoding_a_borrowed_item_reads() {
    use aws_sdk_dynamodb::types::AttributeValue;
    use awstin::dynamodb::{from_item, from_item_owned, to_item};
    for movie in awstin_examples::sample_movies(300) {
        let item = to_item(&movie).expect("a movie encodes");
        let borrowed: Movie = from_item(&item).expect("a movie decodes");
        let owned: Movie = from_item_owned(item).expect("a movie decodes by value");
        assert_eq!((&borrowed, &owned), (&movie, &movie));
    }
    let movie = &awstin_examples::sample_movies(1)[0];
    let bad_items = [
        ("title", AttributeValue::N("7".into())),
        ("year", AttributeValue::S("1999".into())),
        ("info", AttributeValue::L(vec![])),
    ];
    for (attribute, value) in bad_items {
        let mut item = to_item(movie).expect("a movie encodes");
        item.insert(attribute.to_owned(), value);
        let borrowed = from_item::<Movie>(&item).expect_err("refused");
        let owned = from_item_owned::<Movie>(item).expect_err("refused");
        assert_eq!(borrowed, owned, "{attribute}");
    }
    let mut item = to_item(movie).expect("a movie encodes");
    if let Some(AttributeValue::M(info)) = item.get_mut("info") {
        info.insert("actors".into(), AttributeValue::Ss(vec!["Moe".into()]));
    }
    assert_eq!(
        from_item::<Movie>(&item).expect_err("refused"),
        from_item_owned::<Movie>(item).expect_err("refused")
    );
}

/// The API pages through 123 movies ten at a time: each comes exactly once, in title order; a
/// cursor altered by a client, or made for other pages, is a 400 and reads nothing.
#[tokio::test]
async fn the_api_pages_through_123_movies_with_signed_cursors() -> Result<(), Error> {
    use awstin::dynamodb::CursorKey;
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(
        local.db(),
        TableSpec::of::<Movie>()?,
        |movies: Table<Movie>| async move {
            let titles: Vec<String> = (0..123).map(|i| format!("Film {i:03}")).collect();
            let all: Vec<Movie> = titles
                .iter()
                .map(|t| Movie {
                    year: 2000,
                    title: t.clone(),
                    info: Info::default(),
                })
                .chain([Movie {
                    year: 2001,
                    title: "Elsewhere".into(),
                    info: Info::default(),
                }])
                .collect();
            movies.batch_put(&all).await?;
            let key = CursorKey::new(b"the movies api test secret".to_vec())?;
            let call = |params: Vec<(&'static str, String)>| {
                let (movies, key) = (movies.clone(), key.clone());
                async move {
                    let mut event = ApiGatewayProxyRequest::default();
                    event.query_string_parameters = params
                        .into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<std::collections::HashMap<_, _>>()
                        .into();
                    let handler = lambda_handler(parse, move |query| {
                        let (movies, key) = (movies.clone(), key.clone());
                        async move { list_movies(&movies, Some(&key), query).await }
                    });
                    let response = handler
                        .call(LambdaEvent::new(event, Context::default()))
                        .await
                        .map_err(|e| Error::Configuration {
                            message: e.to_string(),
                        })?;
                    let Some(Body::Text(body)) = response.body else {
                        panic!("a text body was expected")
                    };
                    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
                    Ok::<_, Error>((response.status_code, json))
                }
            };
            let mut seen = Vec::new();
            let mut cursor: Option<String> = None;
            let mut pages = 0;
            let mut cursors = Vec::new();
            loop {
                let mut params = vec![("year", "2000".to_string()), ("limit", "10".to_string())];
                if let Some(c) = &cursor {
                    params.push(("cursor", c.clone()));
                }
                let (status, json) = call(params).await?;
                assert_eq!(status, 200, "{json}");
                pages += 1;
                let page: Vec<String> = json["movies"]
                    .as_array()
                    .expect("movies")
                    .iter()
                    .map(|m| m["title"].as_str().expect("a title").to_owned())
                    .collect();
                assert!(page.len() <= 10);
                seen.extend(page);
                match json["next"].as_str() {
                    Some(next) => {
                        assert!(
                            next.bytes()
                                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
                            "URL-safe: {next}"
                        );
                        cursors.push(next.to_owned());
                        cursor = Some(next.to_owned());
                    }
                    None => break,
                }
                assert!(pages <= 14, "the pages end");
            }
            assert_eq!(seen, titles, "each movie once, in order");
            assert!((13..=14).contains(&pages), "{pages} pages");
            println!("{pages} pages; the first cursor: {}", cursors[0]);
            // A cursor changed by one character, one without its signature, and one for another
            // year's query of the same table are refused without reading.
            let good = &cursors[0];
            let mut flipped = good.clone().into_bytes();
            flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
            let flipped = String::from_utf8(flipped).expect("ASCII");
            let unsigned = good.split('.').next().expect("a payload").to_owned();
            for bad in [flipped, unsigned, "not a cursor".to_string(), String::new()] {
                let (status, json) = call(vec![
                    ("year", "2000".to_string()),
                    ("limit", "10".to_string()),
                    ("cursor", bad.clone()),
                ])
                .await?;
                assert_eq!(status, 400, "{bad}: {json}");
                assert!(
                    json["message"]
                        .as_str()
                        .is_some_and(|m| m.starts_with("cursor refused"))
                );
            }
            Ok(())
        },
    )
    .await
}
