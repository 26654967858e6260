//! The todo service's HTTP API Lambda: an axum router (`awstin_examples::todos::router`) on
//! `lambda_http`; `TODOS_CURSOR_SECRET` signs its cursors. Deploy it with `cargo lambda build
//! --release --arm64 -p awstin-examples --bin todos_api`; `tests/todos.rs` sends API Gateway's
//! events through the router on the embedded DynamoDB.

use awstin::dynamodb::{CursorKey, DynamoDb};
use awstin_examples::todos::{Todos, router};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        eprintln!("todos_api runs on AWS Lambda; tests/todos.rs runs its router locally");
        std::process::exit(2);
    }
    let key = CursorKey::new(std::env::var("TODOS_CURSOR_SECRET")?)?;
    let todos = Todos::new(&DynamoDb::from_env().await?, key);
    awstin::lambda_http::run(router(todos)).await
}
