//! The Movies API Lambda: `GET /movies?year=1992&from=A&to=L&limit=10&cursor=...` through API
//! Gateway; `MOVIES_CURSOR_SECRET`, when set, signs its page cursors. This is
//! the binary to deploy (`cargo lambda build --release --arm64 -p awstin-examples --bin
//! movies_api`): it carries no emulator. `movies_api_local` (feature `local`) answers the
//! sample event from the embedded DynamoDB instead.

use awstin::dynamodb::{CursorKey, DynamoDb};
use awstin::lambda::http_handler;
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
    // Cursors are signed when the function has a secret: clients cannot craft one.
    let key = match std::env::var("MOVIES_CURSOR_SECRET") {
        Ok(secret) => Some(CursorKey::new(secret)?),
        Err(_) => None,
    };
    http_handler(parse, move |query| {
        let (movies, key) = (movies.clone(), key.clone());
        async move { list_movies(&movies, key.as_ref(), query).await }
    })
    .run()
    .await
}
