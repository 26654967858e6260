//! `batch_write` of 1,000 movies' puts and of their deletes against raw SDK calls doing the same
//! batches, measured side by side in one run against the embedded DynamoDB.
//!
//! The server runs on a runtime of its own thread; the client runs on a current-thread runtime
//! on the benchmark's thread, so the client's CPU time is that thread's alone (read from the
//! kernel's per-thread statistics) and its allocations are that thread's. The raw baseline does
//! what a user of the SDK alone writes: items built as `AttributeValue` maps by hand, chunks of
//! 25 sent 4 at a time, unprocessed items sent again.
//!
//! `cargo bench -p awstin-tests --bench batch` (or `scripts/bench` for every table row).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, PutRequest, WriteRequest};
use awstin::dynamodb::{DynamoDb, Item, Table};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::{Info, Movie, sample_movies};
use awstin_tests::bench::{Counting, Row, thread_allocations, thread_cpu};
use criterion::Criterion;
use futures::stream::{self, StreamExt, TryStreamExt};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Items per batch.
const ITEMS: usize = 1000;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}
fn list(v: &[String]) -> AttributeValue {
    AttributeValue::L(v.iter().map(|x| s(x)).collect())
}

/// A movie as a user of the SDK alone builds it.
fn movie_item(m: &Movie) -> Item {
    let i: &Info = &m.info;
    let mut info = HashMap::new();
    if let Some(v) = &i.directors {
        info.insert("directors".to_owned(), list(v));
    }
    if let Some(v) = &i.release_date {
        info.insert("release_date".to_owned(), s(v));
    }
    if let Some(v) = i.rating {
        info.insert("rating".to_owned(), AttributeValue::N(v.to_string()));
    }
    if let Some(v) = &i.genres {
        info.insert("genres".to_owned(), list(v));
    }
    if let Some(v) = &i.plot {
        info.insert("plot".to_owned(), s(v));
    }
    if let Some(v) = i.rank {
        info.insert("rank".to_owned(), AttributeValue::N(v.to_string()));
    }
    if let Some(v) = i.running_time_secs {
        info.insert(
            "running_time_secs".to_owned(),
            AttributeValue::N(v.to_string()),
        );
    }
    if let Some(v) = &i.actors {
        info.insert("actors".to_owned(), list(v));
    }
    let mut item = movie_key(m);
    item.insert("info".to_owned(), AttributeValue::M(info));
    item
}

fn movie_key(m: &Movie) -> Item {
    let mut key = HashMap::new();
    key.insert("year".to_owned(), AttributeValue::N(m.year.to_string()));
    key.insert("title".to_owned(), s(&m.title));
    key
}

/// Sends `requests` as BatchWriteItem chunks of 25, 4 at a time, until none is unprocessed.
async fn raw_batch(db: &DynamoDb, requests: Vec<WriteRequest>) {
    let mut requests = requests.into_iter();
    let mut chunks = Vec::new();
    loop {
        let chunk: Vec<WriteRequest> = requests.by_ref().take(25).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    stream::iter(chunks)
        .map(|chunk| async move {
            let mut left = chunk;
            while !left.is_empty() {
                let out = db
                    .client()
                    .batch_write_item()
                    .request_items("Movies", left)
                    .send()
                    .await?;
                left = out
                    .unprocessed_items
                    .and_then(|mut u| u.remove("Movies"))
                    .unwrap_or_default();
            }
            Ok::<_, aws_sdk_dynamodb::Error>(())
        })
        .buffer_unordered(4)
        .try_collect::<Vec<()>>()
        .await
        .expect("the raw batch is written");
}

async fn raw_put(db: &DynamoDb, movies: &[Movie]) {
    let requests = movies
        .iter()
        .map(|m| {
            let put = PutRequest::builder()
                .set_item(Some(movie_item(m)))
                .build()
                .expect("a put request");
            WriteRequest::builder().put_request(put).build()
        })
        .collect();
    raw_batch(db, requests).await;
}

async fn raw_delete(db: &DynamoDb, movies: &[Movie]) {
    let requests = movies
        .iter()
        .map(|m| {
            let delete = DeleteRequest::builder()
                .set_key(Some(movie_key(m)))
                .build()
                .expect("a delete request");
            WriteRequest::builder().delete_request(delete).build()
        })
        .collect();
    raw_batch(db, requests).await;
}

async fn awstin_put(table: &Table<Movie>, movies: &[Movie]) {
    table
        .batch_write(movies.iter().map(|m| table.put(m)))
        .await
        .expect("the batch is written");
}

async fn awstin_delete(table: &Table<Movie>, movies: &[Movie]) {
    table
        .batch_write(
            movies
                .iter()
                .map(|m| table.delete((m.year, m.title.as_str()))),
        )
        .await
        .expect("the batch is deleted");
}

fn main() {
    let started = SystemTime::now();
    let server = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a server runtime");
    let local = server
        .block_on(LocalDynamoDb::start())
        .expect("the embedded DynamoDB starts");
    let client = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a client runtime");
    let db = local.db().clone();
    client
        .block_on(create_table(
            &db,
            &TableSpec::of::<Movie>().expect("a table spec"),
        ))
        .expect("the table is created");
    let table = db.table::<Movie>();
    let movies = sample_movies(ITEMS);

    // Both ways write the same items: what one writes, the other's scan reads back equal.
    client.block_on(async {
        awstin_put(&table, &movies).await;
        let ours: Vec<Item> = table.scan().items().try_collect().await.expect("a scan");
        raw_put(&db, &movies).await;
        let theirs: Vec<Item> = table.scan().items().try_collect().await.expect("a scan");
        assert_eq!(ours.len(), ITEMS);
        let key = |i: &Item| format!("{:?}{:?}", i["year"], i["title"]);
        let mut ours: Vec<_> = ours.iter().map(|i| (key(i), i)).collect();
        let mut theirs: Vec<_> = theirs.iter().map(|i| (key(i), i)).collect();
        ours.sort_by(|a, b| a.0.cmp(&b.0));
        theirs.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(
            ours.iter().zip(&theirs).all(|(a, b)| a.1 == b.1),
            "both ways store the same items"
        );
        awstin_delete(&table, &movies).await;
        assert_eq!(table.scan().count().await.expect("a count"), 0);
    });

    // Allocations per item on the client's thread, one batch each.
    // The fewest of three batches, taken in turn: the first batches also open connections
    // and grow the runtime's buffers, which later ones reuse.
    let per_item = |ours: &dyn Fn(), theirs: &dyn Fn()| {
        let count = |f: &dyn Fn()| {
            let before = thread_allocations();
            f();
            (thread_allocations() - before) as f64 / ITEMS as f64
        };
        let (mut a, mut b) = (f64::MAX, f64::MAX);
        for _ in 0..3 {
            a = a.min(count(ours));
            b = b.min(count(theirs));
        }
        (a, b)
    };
    let put_allocs = per_item(&|| client.block_on(awstin_put(&table, &movies)), &|| {
        client.block_on(raw_put(&db, &movies))
    });
    let delete_allocs = per_item(&|| client.block_on(awstin_delete(&table, &movies)), &|| {
        client.block_on(raw_delete(&db, &movies))
    });

    // Client CPU time per batch: criterion times what `iter_custom` reports.
    fn cpu(iters: u64, f: &dyn Fn()) -> Duration {
        let mut total = Duration::ZERO;
        for _ in 0..iters {
            let before = thread_cpu();
            f();
            total += thread_cpu() - before;
        }
        total
    }
    let mut c = Criterion::default().sample_size(10).configure_from_args();
    {
        let mut group = c.benchmark_group("batch");
        group.bench_function("put/awstin", |b| {
            b.iter_custom(|n| cpu(n, &|| client.block_on(awstin_put(&table, &movies))))
        });
        group.bench_function("put/raw", |b| {
            b.iter_custom(|n| cpu(n, &|| client.block_on(raw_put(&db, &movies))))
        });
        group.bench_function("delete/awstin", |b| {
            b.iter_custom(|n| cpu(n, &|| client.block_on(awstin_delete(&table, &movies))))
        });
        group.bench_function("delete/raw", |b| {
            b.iter_custom(|n| cpu(n, &|| client.block_on(raw_delete(&db, &movies))))
        });
        group.finish();
    }
    c.final_summary();

    let rows = [
        Row::time(
            "batch_write of 1,000 puts: client CPU vs raw SDK",
            "batch",
            ("put/awstin", "put/raw"),
            1.0,
            started,
        ),
        Row::allocations(
            "batch_write puts: allocations per item (client)",
            put_allocs.0,
            put_allocs.1,
            "raw SDK",
        ),
        Row::time(
            "batch_write of 1,000 deletes: client CPU vs raw SDK",
            "batch",
            ("delete/awstin", "delete/raw"),
            1.0,
            started,
        ),
        Row::allocations(
            "batch_write deletes: allocations per item (client)",
            delete_allocs.0,
            delete_allocs.1,
            "raw SDK",
        ),
    ];
    for row in &rows {
        row.print();
    }
    // A batch of puts allocates less per item than the raw SDK calls; of deletes at most 0.1%
    // more (a few allocations per batch: the duplicate-key table and the keys kept to make
    // requests again after a failed attempt), as the README says.
    rows[1].assert_met();
    assert!(
        delete_allocs.0 <= delete_allocs.1 * 1.001,
        "a batch of deletes allocates {} per item against {}",
        delete_allocs.0,
        delete_allocs.1
    );
    drop(local);
    drop(server);
}
