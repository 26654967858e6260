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
            async move { list_movies(&movies, query).await }
        });
        let response = handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
            .map_err(|e| Error::Configuration { message: e.to_string() })?;
        assert_eq!(response.status_code, 200);
        let Some(Body::Text(body)) = response.body else { panic!("a text body was expected") };
        assert_eq!(body, r#"[{"year":1992,"title":"Aladdin","rating":8.0},{"year":1992,"title":"Hook","rating":6.8}]"#);
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
