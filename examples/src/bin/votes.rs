//! Optimistic locking on the embedded DynamoDB: 8 voters add 25 votes each to one movie at
//! once, each vote retrying on conflicts, and no vote is lost.

use awstin::dynamodb::Error;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::votes::{Votes, vote};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Votes>()?).await?;
    let table = local.db().table::<Votes>();
    let voters: Vec<_> = (0..8u64)
        .map(|voter| {
            let table = table.clone();
            tokio::spawn(async move {
                let mut attempts = 0;
                for _ in 0..25 {
                    attempts += vote(&table, "Rush", voter + 1, 1000).await?.attempts;
                }
                Ok::<u32, Error>(attempts)
            })
        })
        .collect();
    let mut attempts = 0;
    for voter in voters {
        attempts += voter.await.map_err(|e| Error::Configuration {
            message: e.to_string(),
        })??;
    }
    let votes = table.get("Rush").await?.ok_or(Error::Unsupported {
        message: "no votes stored",
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
