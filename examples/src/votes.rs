//! Audience votes under optimistic locking: many Lambdas add votes to the same item at once,
//! and none is lost. Each vote reads the item, adds to it, and writes it back at the version
//! it read; on a conflict it starts again from the item as the conflict carries it (no second
//! read), until its write lands.

use awstin::dynamo_model;
use awstin::dynamodb::{Error, Table};

dynamo_model! {
    /// The votes on one movie; `rev` is its version.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Votes {
        table "MovieVotes";
        /// The movie's title.
        key title: String;
        /// Votes cast.
        attr count: u64;
        /// Sum of the scores.
        attr total: u64;
        /// The version: 0 before the first vote is stored.
        version rev: u64;
    }
}

/// What a vote took.
#[derive(Debug, Clone, PartialEq)]
pub struct Voted {
    /// The item as this vote left it.
    pub votes: Votes,
    /// Writes sent: 1, plus one per conflict.
    pub attempts: u32,
}

/// Adds a vote of `score` to `title`, retrying on conflicts up to `max_attempts` writes; the
/// last conflict is returned if they run out.
///
/// ```no_run
/// # async fn f(table: awstin::dynamodb::Table<awstin_examples::votes::Votes>) -> Result<(), awstin::dynamodb::Error> {
/// let voted = awstin_examples::votes::vote(&table, "Rush", 8, 100).await?;
/// println!("{} votes after {} attempts", voted.votes.count, voted.attempts);
/// # Ok(()) }
/// ```
pub async fn vote(
    table: &Table<Votes>,
    title: &str,
    score: u64,
    max_attempts: u32,
) -> Result<Voted, Error> {
    let fresh = || Votes {
        title: title.to_owned(),
        count: 0,
        total: 0,
        rev: 0,
    };
    let mut current = table.get(title).await?.unwrap_or_else(fresh);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut next = current.clone();
        next.count += 1;
        next.total += score;
        match table.put_versioned(&mut next).await {
            Ok(()) => {
                return Ok(Voted {
                    votes: next,
                    attempts,
                });
            }
            Err(Error::Conflict(conflict)) if attempts < max_attempts => {
                // Merge: this vote goes on top of the item as it is now.
                current = conflict.current()?.unwrap_or_else(fresh);
            }
            Err(e) => return Err(e),
        }
    }
}

/// Runs `voters` voters at once, each on a task of its own, each adding `votes_each` votes to
/// `title` (voter `n` gives score `n`, from 1), retrying on conflicts; returns the writes sent
/// in all.
///
/// ```no_run
/// # async fn f(table: awstin::dynamodb::Table<awstin_examples::votes::Votes>) -> Result<(), awstin::dynamodb::Error> {
/// let writes = awstin_examples::votes::vote_at_once(&table, "Rush", 8, 25).await?;
/// # Ok(()) }
/// ```
pub async fn vote_at_once(
    table: &Table<Votes>,
    title: &str,
    voters: u64,
    votes_each: u32,
) -> Result<u32, Error> {
    let tasks: Vec<_> = (1..=voters)
        .map(|score| {
            let (table, title) = (table.clone(), title.to_owned());
            tokio::spawn(async move {
                let mut writes = 0;
                for _ in 0..votes_each {
                    writes += vote(&table, &title, score, 10_000).await?.attempts;
                }
                Ok::<u32, Error>(writes)
            })
        })
        .collect();
    let mut writes = 0;
    for task in tasks {
        writes += task.await.map_err(|e| Error::Configuration {
            message: format!("a voter's task failed: {e}"),
        })??;
    }
    Ok(writes)
}
