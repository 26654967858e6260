//! Optimistic locking on the embedded DynamoDB: versions count up from a created item,
//! racing writers (one wins, the loser gets the winner's item), versioned deletes and
//! transactions, and versioned writes under a condition of the caller's. (A plain write of a
//! versioned model does not compile: tests/compile/ui/fail/plain_write_of_versioned_model.rs.)

use awstin::dynamodb::{Conflict, DynamoDb, Error, Table, Written};
use awstin::testing::LocalDynamoDb;
use awstin::{cond, update};
use awstin_tests::Doc;

fn doc(id: &str, body: &str) -> Doc {
    Doc {
        id: id.into(),
        body: body.into(),
        editors: Vec::new(),
        rev: 0,
    }
}

async fn docs() -> (LocalDynamoDb, Table<Doc>) {
    awstin_tests::local_table::<Doc>().await
}

fn conflict(e: Error) -> Conflict {
    match e {
        Error::Conflict(c) => *c,
        other => panic!("a conflict was expected, got {other:?}"),
    }
}

#[tokio::test]
async fn a_new_item_is_created_once_and_each_write_moves_the_version_on() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let mut mine = doc("readme", "Hello");
    docs.put_versioned(&mut mine).await?;
    assert_eq!(mine.rev, 1);
    assert_eq!(docs.get("readme").await?, Some(mine.clone()));

    // A second creation of the same key is a conflict carrying the stored item.
    let mut again = doc("readme", "Hi");
    let e = docs
        .put_versioned(&mut again)
        .await
        .expect_err("the item exists");
    println!("error: {e}");
    assert!(
        e.to_string()
            .ends_with("version conflict: an item with the key was stored meanwhile")
    );
    let c = conflict(e);
    println!("the item as it is now: {:?}", c.current::<Doc>()?);
    assert_eq!(
        (c.expected, c.call.operation),
        (0, awstin::dynamodb::Operation::PutItem)
    );
    assert_eq!(c.current::<Doc>()?, Some(mine.clone()));
    assert_eq!(
        again.rev, 0,
        "a refused write leaves the caller's version as read"
    );

    for n in 2..=5 {
        mine.body.push('!');
        docs.put_versioned(&mut mine).await?;
        assert_eq!(mine.rev, n);
    }
    assert_eq!(
        docs.get("readme").await?.map(|d| (d.rev, d.body)),
        Some((5, "Hello!!!!".into()))
    );
    Ok(())
}

/// Two writers on two threads read the same version and write at once (released together
/// by a barrier): exactly one wins, and the loser's conflict carries the winner's item.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_racing_writers_one_wins_and_the_loser_gets_the_winners_item() -> Result<(), Error> {
    let (local, docs) = docs().await;
    let other: Table<Doc> = DynamoDb::from_client(local.db().client().clone()).table();
    let (mut wins_a, mut wins_b) = (0, 0);
    for round in 0..40u32 {
        // Round 0 races the creation itself.
        let read = if round == 0 {
            doc("race", "")
        } else {
            docs.get("race").await?.expect("stored")
        };
        let gate = std::sync::Arc::new(tokio::sync::Barrier::new(2));
        let writer = |table: Table<Doc>, body: String| {
            let (gate, mut mine) = (gate.clone(), read.clone());
            mine.body = body;
            tokio::spawn(async move {
                gate.wait().await;
                let result = table.put_versioned(&mut mine).await;
                (mine, result)
            })
        };
        let a = writer(docs.clone(), format!("a{round}"));
        let b = writer(other.clone(), format!("b{round}"));
        let ((a, ra), (b, rb)) = (a.await.expect("a ran"), b.await.expect("b ran"));
        let stored = docs.get("race").await?.expect("stored");
        assert_eq!(
            stored.rev,
            read.rev + 1,
            "round {round}: one write moved the version on"
        );
        match (ra, rb) {
            (Ok(()), Err(e)) => {
                wins_a += 1;
                assert_eq!(stored, a);
                assert_eq!(
                    conflict(e).current::<Doc>()?,
                    Some(a.clone()),
                    "round {round}"
                );
                assert_eq!(b.rev, read.rev, "the loser keeps the version it read");
            }
            (Err(e), Ok(())) => {
                wins_b += 1;
                assert_eq!(stored, b);
                assert_eq!(
                    conflict(e).current::<Doc>()?,
                    Some(b.clone()),
                    "round {round}"
                );
                assert_eq!(a.rev, read.rev, "the loser keeps the version it read");
            }
            (ra, rb) => panic!("round {round}: exactly one writer wins, got {ra:?} and {rb:?}"),
        }
    }
    println!("40 races: writer a won {wins_a}, writer b won {wins_b}");
    Ok(())
}

#[tokio::test]
async fn a_versioned_delete_requires_the_version_read() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let mut mine = doc("notes", "v1");
    docs.put_versioned(&mut mine).await?;
    let stale = mine.clone();
    mine.body = "v2".into();
    docs.put_versioned(&mut mine).await?;
    let e = docs.delete_versioned(&stale).await.expect_err("stale");
    assert_eq!(
        e.to_string(),
        "DeleteItem on table Docs: version conflict: the item is no longer at version 1"
    );
    let c = conflict(e);
    assert_eq!((c.expected, c.current::<Doc>()?), (1, Some(mine.clone())));
    docs.delete_versioned(&mine).await?;
    assert_eq!(docs.get("notes").await?, None);
    // Deleting what is gone, at the version read, is a conflict with no item.
    let c = conflict(docs.delete_versioned(&mine).await.expect_err("gone"));
    assert_eq!(c.current::<Doc>()?, None);
    Ok(())
}

#[tokio::test]
async fn transactions_honour_the_version() -> Result<(), Error> {
    let (local, docs) = docs().await;
    let db = local.db();
    let (mut a, mut b) = (doc("a", "a"), doc("b", "b"));
    db.transact_write()
        .write(docs.put_versioned(&mut a))
        .write(docs.put_versioned(&mut b))
        .await?;
    // The members moved the items on, as single versioned puts do.
    assert_eq!((a.rev, b.rev), (1, 1));
    assert_eq!(docs.get("a").await?, Some(a.clone()));

    // Another writer moves `b` on; a transaction holding the stale `b` writes neither.
    let mut theirs = b.clone();
    theirs.body = "theirs".into();
    docs.put_versioned(&mut theirs).await?;
    a.body = "a2".into();
    b.body = "mine".into();
    let c = conflict(
        db.transact_write()
            .write(docs.put_versioned(&mut a))
            .write(docs.put_versioned(&mut b))
            .await
            .expect_err("stale b"),
    );
    assert_eq!((c.expected, c.current::<Doc>()?), (1, Some(theirs.clone())));
    assert_eq!(
        (a.rev, b.rev),
        (1, 1),
        "a refused transaction moves no item on"
    );
    assert_eq!(
        docs.get("a").await?.map(|d| d.rev),
        Some(1),
        "all or nothing"
    );

    db.transact_write()
        .write(docs.delete_versioned(&theirs))
        .write(docs.put_versioned(&mut a))
        .await?;
    assert_eq!(a.rev, 2);
    assert_eq!(docs.get("b").await?, None);
    assert_eq!(
        docs.get("a").await?.map(|d| (d.rev, d.body)),
        Some((2, "a2".into()))
    );
    Ok(())
}

#[tokio::test]
async fn a_versioned_update_requires_the_version_read_and_refreshes_the_item() -> Result<(), Error>
{
    let (_local, docs) = docs().await;
    let mut mine = doc("log", "one");
    docs.put_versioned(&mut mine).await?;
    let stale = mine.clone();
    let editor = vec!["ada".to_string()];
    docs.update_versioned(
        &mut mine,
        update!(editors = list_append(attr(editors), editor)),
    )
    .await?;
    assert_eq!(
        (mine.rev, mine.editors.clone()),
        (2, vec!["ada".to_string()])
    );
    assert_eq!(docs.get("log").await?, Some(mine.clone()));

    // An update from the stale copy is a conflict carrying the item as it is now.
    let mut from_stale = stale.clone();
    let body = "two".to_string();
    let c = conflict(
        docs.update_versioned(&mut from_stale, update!(body = body))
            .await
            .expect_err("stale"),
    );
    assert_eq!((c.expected, c.current::<Doc>()?), (1, Some(mine.clone())));
    assert_eq!(
        from_stale, stale,
        "a refused update leaves the caller's item"
    );

    // The version is the library's to write: an update of it overlaps and is refused first.
    let rev = 9u64;
    match docs.update_versioned(&mut mine, update!(rev = rev)).await {
        Err(Error::Refused(e)) => assert!(e.to_string().contains("overlap"), "{e}"),
        other => panic!("refused before sending was expected, got {other:?}"),
    }
    assert_eq!(docs.get("log").await?.map(|d| d.rev), Some(2));
    Ok(())
}

awstin::dynamo_model! {
    /// A versioned model with the SDK's date and binary types, in both date encodings.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Session {
        table "Sessions";
        /// The session's id.
        key id: String;
        /// When it started, as ISO-8601 text.
        attr started: awstin::expr::Iso8601;
        /// When it expires, as epoch seconds.
        attr expires: awstin::dynamodb::sdk::primitives::DateTime;
        /// Its token's bytes.
        attr token: awstin::dynamodb::sdk::primitives::Blob;
        /// The version.
        version rev: u64;
    }
}

/// The documented retry loop reads the conflict's item: it decodes for models with dates and
/// blobs too, by value.
#[tokio::test]
async fn a_conflict_carries_an_item_with_dates_and_blobs() -> Result<(), Error> {
    use awstin::dynamodb::sdk::primitives::{Blob, DateTime};
    let (_local, sessions) = awstin_tests::local_table::<Session>().await;
    let mut mine = Session {
        id: "s".into(),
        started: awstin::expr::Iso8601(DateTime::from_secs(1_709_209_800)),
        expires: DateTime::from_secs_and_nanos(1_709_213_400, 500_000_000),
        token: Blob::new(vec![0, 1, 2, 255]),
        rev: 0,
    };
    sessions.put_versioned(&mut mine).await?;
    let mut stale = mine.clone();
    stale.rev = 0;
    let c = conflict(
        sessions
            .put_versioned(&mut stale)
            .await
            .expect_err("stored"),
    );
    assert_eq!(c.current::<Session>()?, Some(mine.clone()));
    let item = awstin::dynamodb::to_item(&mine)?;
    assert_eq!(awstin::dynamodb::from_item_owned::<Session>(item)?, mine);
    Ok(())
}

/// "Delete only if done" on a versioned model: the caller's condition and the version are both
/// required; a false condition is `ConditionFalse` with the stored item, a stale version still
/// a conflict.
#[tokio::test]
async fn versioned_writes_take_a_condition_of_the_callers() -> Result<(), Error> {
    let (_local, docs) = docs().await;
    let mut mine = doc("todo", "draft");
    docs.put_versioned(&mut mine).await?;
    let done = "done".to_string();

    match docs
        .delete_versioned(&mine)
        .when(cond!(body == done))
        .await?
    {
        Written::ConditionFalse(failed) => {
            assert_eq!(failed.item::<Doc>()?, mine);
            assert!(!failed.to_string().contains("draft"), "{failed}");
        }
        other => panic!("the condition was false, got {other:?}"),
    }
    assert_eq!(docs.get("todo").await?, Some(mine.clone()), "not deleted");

    // A versioned put under a condition moves the version on only when applied.
    mine.body.clone_from(&done);
    let draft = "draft".to_string();
    let put = docs
        .put_versioned(&mut mine)
        .when(cond!(body == draft))
        .await?;
    assert!(put.is_applied());
    assert_eq!(mine.rev, 2);
    let refused = docs
        .put_versioned(&mut mine)
        .when(cond!(body == draft))
        .await?;
    assert!(matches!(refused, Written::ConditionFalse(_)), "{refused:?}");
    assert_eq!(mine.rev, 2, "a refused write leaves the version as read");

    // A stale version is a conflict, whatever the condition says.
    let mut stale = mine.clone();
    stale.rev = 1;
    let e = docs
        .delete_versioned(&stale)
        .when(cond!(body == done))
        .await
        .expect_err("stale");
    assert_eq!(conflict(e).expected, 1);

    let editors = vec!["editor".to_string()];
    let edited = docs
        .update_versioned(&mut mine, update!(editors = editors))
        .when(cond!(body == done))
        .await?;
    assert!(edited.is_applied());
    assert_eq!((mine.rev, mine.editors.len()), (3, 1));

    assert!(
        docs.delete_versioned(&mine)
            .when(cond!(body == done))
            .await?
            .is_applied()
    );
    assert_eq!(docs.get("todo").await?, None);
    Ok(())
}
