//! The SQS worker of an order service on Lambda: charges each order once, reports the ones
//! that fail. Its tables' names come from the deployment (`CHARGES_TABLE`,
//! `IDEMPOTENCY_TABLE`).

use awstin::dynamodb::{DynamoDb, TableNames};
use awstin::lambda::batch::{self, Json};
use awstin::lambda::lambda_handler;
use awstin_examples::orders::{Order, Worker};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        eprintln!("sqs_worker runs on AWS Lambda, triggered by the orders queue");
        std::process::exit(2);
    }
    let names = TableNames::from_env([
        ("Charges", "CHARGES_TABLE"),
        ("Idempotency", "IDEMPOTENCY_TABLE"),
    ])?;
    let db = DynamoDb::from_env().await?.with_table_names(names);
    let worker = Worker::new(&db);
    lambda_handler(batch::sqs::<Json<Order>>, move |orders| {
        worker.clone().handle(orders)
    })
    .run()
    .await
}
