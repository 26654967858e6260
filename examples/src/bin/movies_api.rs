//! The Movies API Lambda: `GET /movies?year=1992&from=A&to=L` through API Gateway. This is
//! the binary to deploy (`cargo lambda build --release --arm64 -p awstin-examples --bin
//! movies_api`): it carries no emulator. `movies_api_local` (feature `local`) answers the
//! sample event from the embedded DynamoDB instead.

use awstin::dynamodb::DynamoDb;
use awstin::lambda::lambda_handler;
use awstin_examples::Movie;
use awstin_examples::movies_api::{list_movies, parse};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        eprintln!(
            "movies_api runs on AWS Lambda; to answer the sample event locally: \
             cargo run -p awstin-examples --features local --bin movies_api_local"
        );
        std::process::exit(2);
    }
    let movies = DynamoDb::from_env().await?.table::<Movie>();
    lambda_handler(parse, move |query| {
        let movies = movies.clone();
        async move { list_movies(&movies, query).await }
    })
    .run()
    .await
}
