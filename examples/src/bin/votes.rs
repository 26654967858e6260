//! Optimistic locking on the embedded DynamoDB: 8 voters add 25 votes each to one movie at
//! once, each vote retrying on conflicts, and no vote is lost.

use awstin::dynamodb::Error;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::votes::{Votes, vote_at_once};

#[tokio::main]
async fn main() -> Result<(), Error> {
    awstin::lambda::init_tracing();
    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Votes>()?).await?;
    let table = local.db().table::<Votes>();
    let attempts = vote_at_once(&table, "Rush", 8, 25).await?;
    let votes = table.get("Rush").await?.ok_or(Error::Configuration {
        message: "no votes were stored".to_owned(),
    })?;
    println!(
        "{} votes, total {}, version {}: {attempts} writes for 200 votes ({} conflicts retried)",
        votes.count,
        votes.total,
        votes.rev,
        attempts - 200
    );
    Ok(())
}
