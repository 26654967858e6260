//! A Lambda on the Movies table's stream: publishes each changed movie's rating to the SNS
//! topic whose ARN is in `AUDIT_TOPIC_ARN`, and reports partial batch failures.

use awstin::lambda::lambda_handler;
use awstin::lambda::stream;
use awstin::sns::Topic;
use awstin_examples::stream_audit::audit;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        eprintln!("stream_audit runs on AWS Lambda, triggered by the Movies table's stream");
        std::process::exit(2);
    }
    let arn = std::env::var("AUDIT_TOPIC_ARN").map_err(|_| "AUDIT_TOPIC_ARN is not set")?;
    let topic = Topic::from_arn(&arn).await?;
    // Nothing boxed by hand and the default recursion limit: the handler boxes the function's
    // future, whose nested publishes would otherwise make `main`'s too deep to lay out.
    lambda_handler(stream::parse, move |changes| {
        let topic = topic.clone();
        async move { Ok::<_, std::convert::Infallible>(audit(&topic, changes).await) }
    })
    .run()
    .await
}
