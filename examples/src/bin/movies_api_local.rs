//! The Movies API Lambda run locally (feature `local`): the same parser and function as
//! `movies_api`, answering the sample event in `examples/events/` from the embedded DynamoDB.

use awstin::lambda::http::HttpRequest;
use awstin::lambda::{Context, LambdaEvent, http_handler};
use awstin::serde_json;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::movies_api::{list_movies, parse};
use awstin_examples::{Movie, sample_movies};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Movie>()?).await?;
    let movies = local.db().table::<Movie>();
    let sample = sample_movies(2000);
    movies
        .batch_write(sample.iter().map(|m| movies.put(m)))
        .await?;
    let event: HttpRequest =
        serde_json::from_str(include_str!("../../events/apigw-movies-request.json"))?;
    let handler = http_handler(parse, |query| {
        let movies = movies.clone();
        async move { list_movies(&movies, None, query).await }
    });
    let response = handler
        .call(LambdaEvent::new(event, Context::default()))
        .await?;
    println!("{}", serde_json::to_string_pretty(&response)?);
    Ok(())
}
