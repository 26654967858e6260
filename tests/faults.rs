//! What the DynamoDB layer reports when the network and the service misbehave: every test
//! puts the fault-injecting proxy of `awstin_tests::faults` between the SDK and its own
//! embedded DynamoDB, and checks the stored state directly, past the proxy.
//!
//! The batch suite runs `AWSTIN_FAULT_ITEMS` items (default 1,000) for each seed of
//! `AWSTIN_FAULT_SEEDS` (default `1,2`); the long run is
//! `AWSTIN_FAULT_ITEMS=5000 AWSTIN_FAULT_SEEDS=1,2,3,4,5 cargo nextest run -p awstin-tests --test faults --no-capture`.
#![allow(missing_docs)] // a test model: the fields speak for themselves

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::WriteRequest;
use awstin::dynamodb::{
    BatchOptions, ClientOptions, DynamoDb, Error, Refusal, Stored, Table, Written,
};
use awstin::testing::faults::{Fault, FaultPlan, FaultProxy, blackhole};
use awstin::testing::test_client as quick_client;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{cond, dynamo_model, update};
use awstin_tests::{Counter, Doc, Info, Movie};
use futures::TryStreamExt;

dynamo_model! {
    /// An account whose owner is required: an update of a missing key creates an item
    /// without one.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Account {
        table "Accounts";
        key id: String;
        attr owner: String;
        attr balance: u64;
    }
}

/// A local DynamoDB with the tables of these tests, a proxy in front of it, and clients
/// through the proxy (`db`) and straight to the server (`direct`).
struct Rig {
    _local: LocalDynamoDb,
    proxy: FaultProxy,
    db: DynamoDb,
    direct: DynamoDb,
}

impl Rig {
    /// Stores a counter directly, past the proxy and its faults.
    async fn store(&self, name: &str, count: u64) {
        self.direct
            .table::<Counter>()
            .put(&counter(name, count))
            .await
            .expect("a direct put");
    }
}

const OPTIONS: ClientOptions = awstin_tests::FAULT_OPTIONS;

async fn rig(plan: FaultPlan) -> Rig {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    for spec in [
        TableSpec::of::<Movie>(),
        TableSpec::of::<Counter>(),
        TableSpec::of::<Account>(),
        TableSpec::of::<Doc>(),
    ] {
        create_table(local.db(), &spec.expect("a table spec"))
            .await
            .expect("a table");
    }
    let proxy = FaultProxy::start(local.endpoint(), plan).await;
    let db = quick_client(proxy.endpoint(), OPTIONS);
    let direct = local.db().clone();
    Rig {
        _local: local,
        proxy,
        db,
        direct,
    }
}

fn movie(i: usize) -> Movie {
    Movie {
        year: 2000 + (i % 7) as u32,
        title: format!("Movie {i:05}"),
        info: Info {
            rating: Some((i % 10) as f64 / 2.0),
            actors: vec![format!("Actor {i}")],
            ..Info::default()
        },
    }
}

fn counter(name: &str, count: u64) -> Counter {
    Counter {
        name: name.into(),
        count,
    }
}

async fn stored_count(direct: &DynamoDb, name: &str) -> Option<u64> {
    direct
        .table::<Counter>()
        .get(name)
        .await
        .expect("a direct read")
        .map(|c| c.count)
}

/// `AWSTIN_FAULT_ITEMS`, 1,000 when unset; anything but a positive whole number fails the test.
fn fault_items() -> usize {
    match std::env::var("AWSTIN_FAULT_ITEMS") {
        Err(_) => 1_000,
        Ok(v) => v
            .trim()
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .unwrap_or_else(|| panic!("AWSTIN_FAULT_ITEMS={v:?} is not a positive number")),
    }
}

/// `AWSTIN_FAULT_SEEDS`, `1,2` when unset; a malformed or empty list fails the test instead of
/// running no batch at all.
fn fault_seeds() -> Vec<u64> {
    let Ok(v) = std::env::var("AWSTIN_FAULT_SEEDS") else {
        return vec![1, 2];
    };
    let seeds: Vec<u64> = v
        .split(',')
        .map(|s| {
            s.trim()
                .parse()
                .unwrap_or_else(|_| panic!("AWSTIN_FAULT_SEEDS={v:?}: {s:?} is not a seed"))
        })
        .collect();
    assert!(!seeds.is_empty(), "AWSTIN_FAULT_SEEDS names no seed");
    seeds
}

/// Every movie stored, by title, read past the proxy.
async fn stored_movies(direct: &DynamoDb) -> BTreeMap<String, Movie> {
    direct
        .table::<Movie>()
        .scan()
        .stream()
        .try_collect::<Vec<Movie>>()
        .await
        .expect("a direct scan")
        .into_iter()
        .map(|m| (m.title.clone(), m))
        .collect()
}

fn title_of(request: &WriteRequest) -> String {
    let item = match (request.put_request(), request.delete_request()) {
        (Some(p), _) => p.item(),
        (_, Some(d)) => d.key(),
        _ => panic!("an empty write request"),
    };
    item["title"].as_s().expect("a title").clone()
}

/// The requests a batch error hands back: (not applied, unknown).
fn returned(result: Result<(), Error>) -> (BTreeSet<String>, BTreeSet<String>) {
    match result {
        Ok(()) => Default::default(),
        Err(Error::UnprocessedWrites {
            requests, unknown, ..
        }) => (
            requests.iter().map(title_of).collect(),
            unknown.iter().map(title_of).collect(),
        ),
        Err(other) => panic!("a batch error is UnprocessedWrites, got {other:?}"),
    }
}

/// One run of the batch suite: a seed, a fault rate, and the batch options.
struct BatchRun {
    seed: u64,
    rate: f64,
    options: BatchOptions,
}

/// For each seed: 20% faults with 8 attempts a chunk, 50% with 2, and 50% with 1, so that
/// some batches fail and their errors are checked too.
fn batch_runs() -> Vec<BatchRun> {
    let runs: Vec<BatchRun> = fault_seeds()
        .into_iter()
        .flat_map(|seed| {
            [(0.2, 8), (0.5, 2), (0.5, 1)].map(|(rate, max_attempts)| BatchRun {
                seed,
                rate,
                options: BatchOptions {
                    max_attempts,
                    base_delay: Duration::from_millis(1),
                    max_delay: Duration::from_millis(20),
                    ..BatchOptions::default()
                },
            })
        })
        .collect();
    assert!(!runs.is_empty(), "the batch suite has runs");
    runs
}

/// The guide (its faults chapter) states the batch runs of the test command: the sentence is made from
/// `batch_runs` with the default seeds, so changing either alone fails.
#[test]
fn the_guide_states_the_batch_runs() {
    if std::env::var_os("AWSTIN_FAULT_SEEDS").is_some()
        || std::env::var_os("AWSTIN_FAULT_ITEMS").is_some()
    {
        return; // the guide states the defaults
    }
    assert_eq!(fault_items(), 1_000);
    let runs = batch_runs();
    let per_seed = runs.len() / fault_seeds().len();
    let [first, rest @ ..] = &runs[..per_seed] else {
        panic!("no runs")
    };
    assert!(
        rest.iter().all(|r| r.rate == rest[0].rate),
        "the sentence has one second rate"
    );
    let attempts: Vec<String> = rest
        .iter()
        .map(|r| r.options.max_attempts.to_string())
        .collect();
    let sentence = format!(
        "runs 1,000 items per batch test for {} seeds, at {}% faults with {} attempts a chunk and at {}% with {}",
        fault_seeds().len(),
        (first.rate * 100.0).round(),
        first.options.max_attempts,
        (rest[0].rate * 100.0).round(),
        attempts.join(" and with "),
    );
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../aws/src/guide/faults.md"
    ))
    .expect("the guide's faults chapter");
    let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&sentence),
        "the guide's faults chapter should say: {sentence}"
    );
}

/// What a batch test saw over all its runs, for the assertions that the faults it is about
/// fired: the faults injected into the batch operation, and the runs that ended in an error.
#[derive(Default)]
struct Tally {
    runs: usize,
    failed_runs: usize,
    items: usize,
    returned: usize,
    unknown: usize,
    faults: BTreeMap<Fault, u64>,
}

impl Tally {
    fn add(&mut self, rig: &Rig, operation: &str, items: usize, returned: usize) {
        self.runs += 1;
        self.items += items;
        self.returned += returned;
        if returned > 0 {
            self.failed_runs += 1;
        }
        for (fault, n) in rig.proxy.report().of(operation) {
            *self.faults.entry(fault).or_default() += n;
        }
    }

    /// Every ambiguous kind of fault reached the batch operation (a reset or a 500 after the
    /// server applied it, part of a batch left unprocessed), and some run ended in an error
    /// whose requests were checked item by item.
    fn assert_faults_fired(&self, what: &str) {
        for kind in [
            Fault::ResetAfter,
            Fault::ServerErrorAfter,
            Fault::PartialUnprocessed,
        ] {
            assert!(
                self.faults.get(&kind).copied().unwrap_or(0) > 0,
                "{what}: no {kind:?} reached a batch request: {:?}",
                self.faults
            );
        }
        assert!(
            self.failed_runs > 0 && self.returned > 0,
            "{what}: no run ended in an error, so no error's contents were checked"
        );
        println!(
            "{what}: {} runs, {} items, {} runs ended in an error returning {} items ({} of unknown outcome); faults in the batch requests {:?}",
            self.runs, self.items, self.failed_runs, self.returned, self.unknown, self.faults
        );
    }
}

/// A rig for `run`, and the run's movies, stored (past the proxy) when `loaded`.
async fn batch_rig(run: &BatchRun, loaded: bool) -> (Rig, Vec<Movie>) {
    let mut rig = rig(FaultPlan::every_kind(run.seed, run.rate)).await;
    // A run may meet no fault; the test's tally requires them over all its runs.
    rig.proxy = rig.proxy.allow_unfired();
    let all: Vec<Movie> = (0..fault_items()).map(movie).collect();
    if loaded {
        let movies = rig.direct.table::<Movie>();
        movies
            .batch_write(all.iter().map(|m| movies.put(m)))
            .await
            .expect("a direct load");
    }
    (rig, all)
}

fn keys(all: &[Movie]) -> Vec<(u32, &str)> {
    all.iter().map(|m| (m.year, m.title.as_str())).collect()
}

/// Faults of every kind: every item is stored or returned, never both, never neither.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_puts_account_for_every_item_under_faults() {
    let mut tally = Tally::default();
    for run in batch_runs() {
        let (rig, all) = batch_rig(&run, false).await;
        let movies = rig.db.table::<Movie>();
        let result = movies
            .batch_write(all.iter().map(|m| movies.put(m)))
            .options(run.options)
            .await;
        let ok = result.is_ok();
        let (not_applied, unknown) = returned(result);
        let stored = stored_movies(&rig.direct).await;
        assert_eq!(
            ok,
            not_applied.is_empty() && unknown.is_empty(),
            "an error returns what it did not apply or does not know"
        );
        assert!(
            not_applied.is_disjoint(&unknown),
            "no request in both lists"
        );
        let (mut lost, mut misreported, mut unknown_stored) = (0, 0, 0);
        for m in &all {
            let is_stored = stored.get(&m.title) == Some(m);
            if unknown.contains(&m.title) {
                unknown_stored += usize::from(is_stored);
            } else if not_applied.contains(&m.title) {
                misreported += usize::from(is_stored);
            } else {
                lost += usize::from(!is_stored);
            }
        }
        println!(
            "batch of puts seed {} rate {} attempts {}: {} items, ok {ok}, stored {}, not applied {}, unknown {} ({unknown_stored} of them stored), lost {lost}, stored but reported not applied {misreported}, faults {:?}",
            run.seed,
            run.rate,
            run.options.max_attempts,
            all.len(),
            stored.len(),
            not_applied.len(),
            unknown.len(),
            rig.proxy.report().by_kind()
        );
        assert_eq!(
            (lost, misreported),
            (0, 0),
            "every item reported applied is stored, and none reported not applied is"
        );
        assert!(
            stored.keys().all(|t| all.iter().any(|m| &m.title == t)),
            "nothing else was stored"
        );
        tally.unknown += unknown.len();
        tally.add(
            &rig,
            "BatchWriteItem",
            all.len(),
            not_applied.len() + unknown.len(),
        );
    }
    tally.assert_faults_fired("batch of puts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_deletes_account_for_every_key_under_faults() {
    let mut tally = Tally::default();
    for run in batch_runs() {
        let (rig, all) = batch_rig(&run, true).await;
        let movies = rig.db.table::<Movie>();
        let result = movies
            .batch_write(keys(&all).into_iter().map(|k| movies.delete(k)))
            .options(run.options)
            .await;
        let ok = result.is_ok();
        let (not_applied, unknown) = returned(result);
        let remaining = stored_movies(&rig.direct).await;
        assert_eq!(
            ok,
            not_applied.is_empty() && unknown.is_empty(),
            "an error returns what it did not apply or does not know"
        );
        assert!(
            not_applied.is_disjoint(&unknown),
            "no request in both lists"
        );
        let (mut kept, mut misreported) = (0, 0);
        for m in &all {
            let deleted = !remaining.contains_key(&m.title);
            if unknown.contains(&m.title) {
                continue;
            } else if not_applied.contains(&m.title) {
                misreported += usize::from(deleted);
            } else {
                kept += usize::from(!deleted);
            }
        }
        // What remains is each as it was stored.
        let untouched = all
            .iter()
            .filter(|m| remaining.get(&m.title) == Some(*m))
            .count();
        println!(
            "batch of deletes seed {} rate {} attempts {}: {} keys, deleted {}, not applied {}, unknown {}, reported deleted but kept {kept}, deleted but reported not applied {misreported}, faults {:?}",
            run.seed,
            run.rate,
            run.options.max_attempts,
            all.len(),
            all.len() - remaining.len(),
            not_applied.len(),
            unknown.len(),
            rig.proxy.report().by_kind()
        );
        assert_eq!(
            (kept, misreported),
            (0, 0),
            "every key reported deleted is gone, and none reported not applied is"
        );
        assert_eq!(
            untouched,
            remaining.len(),
            "a key not deleted keeps its item"
        );
        tally.unknown += unknown.len();
        tally.add(
            &rig,
            "BatchWriteItem",
            all.len(),
            not_applied.len() + unknown.len(),
        );
    }
    tally.assert_faults_fired("batch of deletes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_gets_account_for_every_key_under_faults() {
    let mut tally = Tally::default();
    for run in batch_runs() {
        let (rig, all) = batch_rig(&run, true).await;
        let (read, unread): (Vec<Movie>, BTreeSet<String>) = match rig
            .db
            .table::<Movie>()
            .batch_get(keys(&all))
            .options(run.options)
            .await
        {
            Ok(read) => (read, BTreeSet::new()),
            Err(Error::UnprocessedReads { keys, read, .. }) => (
                read.iter()
                    .map(|i| awstin::dynamodb::from_item(i).expect("a movie"))
                    .collect(),
                keys["Movies"]
                    .keys()
                    .iter()
                    .map(|k| k["title"].as_s().expect("a title").clone())
                    .collect(),
            ),
            Err(other) => panic!("a batch read error is UnprocessedReads, got {other:?}"),
        };
        let read_count = read.len();
        let by_title: BTreeMap<String, Movie> =
            read.into_iter().map(|m| (m.title.clone(), m)).collect();
        assert_eq!(by_title.len(), read_count, "no item read twice");
        let (mut neither, mut both) = (0, 0);
        for m in &all {
            let was_read = by_title.get(&m.title) == Some(m);
            let is_returned = unread.contains(&m.title);
            neither += usize::from(!was_read && !is_returned);
            both += usize::from(was_read && is_returned);
        }
        println!(
            "batch_get seed {} rate {} attempts {}: {} keys, read {}, returned {}, neither {neither}, both {both}, faults {:?}",
            run.seed,
            run.rate,
            run.options.max_attempts,
            all.len(),
            by_title.len(),
            unread.len(),
            rig.proxy.report().by_kind()
        );
        assert_eq!(
            (neither, both),
            (0, 0),
            "every key read or returned, exactly one"
        );
        assert_eq!(read_count + unread.len(), all.len());
        tally.add(&rig, "BatchGetItem", all.len(), unread.len());
    }
    tally.assert_faults_fired("batch_get");
}

fn stored_of(e: &Error) -> &Stored {
    match e {
        Error::OutcomeUnknown { stored, .. } => stored,
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
}

/// A conditional put applied before its answer was lost meets its own item on the retry: an
/// item equal to the put's, which another caller could have written as well, so the answer is
/// `OutcomeUnknown` carrying it, never "applied" on a guess (nor "condition false").
#[tokio::test]
async fn a_conditional_put_whose_answer_was_lost_is_unknown_with_the_stored_item() {
    let rig = rig(FaultPlan::none()).await;
    let counters = rig.db.table::<Counter>();
    rig.proxy.inject("PutItem", Fault::ResetAfter);
    let e = counters
        .put(&counter("a", 1))
        .when(cond!(attribute_not_exists(name)))
        .await
        .expect_err("the outcome is not known");
    match stored_of(&e) {
        Stored::Item(item) => assert_eq!(
            awstin::dynamodb::from_item::<Counter>(item).expect("a counter"),
            counter("a", 1)
        ),
        other => panic!("the stored item, got {other:?}"),
    }
    assert_eq!(stored_count(&rig.direct, "a").await, Some(1));
    assert_eq!(
        rig.proxy.report().requests["PutItem"],
        2,
        "one retry met the item"
    );
}

#[tokio::test]
async fn a_conditional_put_that_did_not_apply_is_never_reported_applied() {
    let rig = rig(FaultPlan::none()).await;
    let counters = rig.db.table::<Counter>();
    rig.store("a", 7).await;
    // A definite refusal before the condition: the answer stays a fact.
    rig.proxy.inject("PutItem", Fault::Throttling);
    let created = counters
        .put(&counter("a", 1))
        .when(cond!(attribute_not_exists(name)))
        .await
        .expect("a definite answer");
    assert!(!created.is_applied());
    // A reset before forwarding cannot be told from one after: the answer says so.
    rig.proxy.inject("PutItem", Fault::ResetBefore);
    let e = counters
        .put(&counter("a", 1))
        .when(cond!(attribute_not_exists(name)))
        .await
        .expect_err("the outcome is not known");
    match stored_of(&e) {
        Stored::Item(item) => assert_eq!(item["count"].as_n().map(String::as_str), Ok("7")),
        other => panic!("the stored item is carried, got {other:?}"),
    }
    assert_eq!(stored_count(&rig.direct, "a").await, Some(7));
}

#[tokio::test]
async fn a_conditional_update_applied_before_its_answer_was_lost_is_unknown_not_false() {
    let rig = rig(FaultPlan::none()).await;
    rig.store("a", 0).await;
    let (one, zero) = (1, 0);
    rig.proxy.inject("UpdateItem", Fault::ResetAfter);
    let e = rig
        .db
        .table::<Counter>()
        .update("a", update!(count += one))
        .when(cond!(count == zero))
        .await
        .expect_err("never Ok(None): the update was applied");
    match stored_of(&e) {
        Stored::Item(item) => assert_eq!(item["count"].as_n().map(String::as_str), Ok("1")),
        other => panic!("the stored item is carried, got {other:?}"),
    }
    assert_eq!(stored_count(&rig.direct, "a").await, Some(1));
}

#[tokio::test]
async fn a_delete_applied_before_its_answer_was_lost_is_unknown_not_false() {
    let rig = rig(FaultPlan::none()).await;
    let direct = rig.direct.table::<Counter>();
    direct.put(&counter("a", 3)).await.expect("a direct put");
    direct.put(&counter("b", 3)).await.expect("a direct put");
    let three = 3;
    rig.proxy.inject("DeleteItem", Fault::ResetAfter);
    let e = rig
        .db
        .table::<Counter>()
        .delete("a")
        .when(cond!(count == three))
        .await
        .expect_err("never Ok(false): the item was deleted");
    assert_eq!(stored_of(&e), &Stored::Absent);
    rig.proxy.inject("DeleteItem", Fault::ResetAfter);
    let e = rig
        .db
        .table::<Counter>()
        .delete("b")
        .await
        .expect_err("never Ok(false): the item was deleted");
    assert_eq!(stored_of(&e), &Stored::Absent);
    assert_eq!(stored_count(&rig.direct, "a").await, None);
    assert_eq!(stored_count(&rig.direct, "b").await, None);
    // Without a fault the same calls answer plainly.
    assert_eq!(
        rig.db
            .table::<Counter>()
            .delete("b")
            .await
            .expect("an answer"),
        Written::NoItem
    );
}

/// The rule `.once(token)` exists for: a plain UpdateItem is applied at least once, so a
/// lost answer and the SDK's retry count an increment twice.
#[tokio::test]
async fn a_plain_update_is_at_least_once_and_one_sent_once_exactly_once() {
    let rig = rig(FaultPlan::none()).await;
    let counters = rig.db.table::<Counter>();
    let one = 1;
    for i in 0..50 {
        if i == 10 {
            rig.proxy.inject("UpdateItem", Fault::ResetAfter);
        }
        counters
            .update("plain", update!(count = if_not_exists(count, 0) + one))
            .await
            .expect("an increment");
    }
    assert_eq!(stored_count(&rig.direct, "plain").await, Some(51));

    for i in 0..50 {
        if i % 5 == 0 {
            rig.proxy.inject("TransactWriteItems", Fault::ResetAfter);
        }
        if i % 7 == 0 {
            rig.proxy
                .inject("TransactWriteItems", Fault::ServerErrorAfter);
        }
        counters
            .update("once", update!(count = if_not_exists(count, 0) + one))
            .once(&format!("increment-{i}"))
            .await
            .expect("an increment");
    }
    assert_eq!(stored_count(&rig.direct, "once").await, Some(50));
    println!(
        "increments: plain 51 of 50 after one lost answer; sent once 50 of 50 after faults {:?}",
        rig.proxy.report().by_kind()
    );
}

#[tokio::test]
async fn a_conditional_update_sent_once_and_applied_before_its_answer_was_lost_is_applied() {
    let rig = rig(FaultPlan::none()).await;
    rig.store("a", 0).await;
    let (one, zero) = (1, 0);
    rig.proxy.inject("TransactWriteItems", Fault::ResetAfter);
    let applied = rig
        .db
        .table::<Counter>()
        .update("a", update!(count += one))
        .when(cond!(count == zero))
        .once("t-1")
        .await
        .expect("a definite answer");
    assert!(applied.is_applied());
    assert_eq!(stored_count(&rig.direct, "a").await, Some(1));
    // The condition now fails for a new token: a definite false.
    let again = rig
        .db
        .table::<Counter>()
        .update("a", update!(count += one))
        .when(cond!(count == zero))
        .once("t-2")
        .await
        .expect("a definite answer");
    assert!(!again.is_applied());
    assert!(matches!(
        rig.db
            .table::<Counter>()
            .update("a", update!(count += one))
            .once("")
            .await,
        Err(Error::Refused(Refusal::InvalidToken { bytes: 0 }))
    ));
}

#[tokio::test]
async fn an_update_that_was_applied_is_never_reported_as_failed() {
    let rig = rig(FaultPlan::none()).await;
    let owner = "Ann";
    let e = rig
        .db
        .table::<Account>()
        .update("acc-1", update!(owner = owner))
        .await
        .expect_err("the created item has no balance");
    match e {
        Error::WrittenButUndecodable { item, .. } => {
            assert_eq!(item["owner"].as_s().map(String::as_str), Ok("Ann"));
        }
        other => panic!("expected WrittenButUndecodable, got {other:?}"),
    }
}

#[tokio::test]
async fn a_silent_endpoint_is_a_timeout_within_the_bound() {
    let endpoint = blackhole().await;
    let options = ClientOptions {
        attempt_timeout: Duration::from_millis(200),
        operation_timeout: Duration::from_secs(1),
        ..OPTIONS
    };
    let db = quick_client(&endpoint, options);
    let started = Instant::now();
    let e = db
        .table::<Counter>()
        .get("a")
        .await
        .expect_err("nothing answers");
    let waited = started.elapsed();
    assert!(matches!(e, Error::Timeout { .. }), "got {e:?}");
    assert!(
        waited >= Duration::from_millis(200) && waited < Duration::from_millis(1_500),
        "bounded by the 1 s operation timeout (0.5 s more for a loaded machine's scheduling), waited {waited:?}"
    );
    let e = db
        .table::<Counter>()
        .put(&counter("a", 1))
        .await
        .expect_err("nothing answers");
    match e {
        Error::OutcomeUnknown { source, .. } => {
            assert!(
                matches!(source.as_deref(), Some(Error::Timeout { .. })),
                "got {source:?}"
            );
        }
        other => panic!("a write that timed out is of unknown outcome, got {other:?}"),
    }
    println!("timeout: a get on a silent endpoint failed after {waited:?} (operation bound 1 s)");
}

#[tokio::test]
async fn a_client_passed_in_gets_default_timeouts() {
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodb::config::Region::new("us-east-1"))
        .build();
    let db = DynamoDb::from_client(aws_sdk_dynamodb::Client::from_conf(config));
    let timeouts = db.client().config().timeout_config().expect("timeouts");
    assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
    assert_eq!(
        timeouts.operation_attempt_timeout(),
        Some(Duration::from_secs(5))
    );
}

#[tokio::test]
async fn retries_stay_bounded() {
    let rig = rig(FaultPlan {
        faults: vec![Fault::ResetBefore],
        ..FaultPlan::every_kind(1, 1.0)
    })
    .await;
    let e = rig
        .db
        .table::<Counter>()
        .get("a")
        .await
        .expect_err("every attempt is reset");
    assert!(matches!(e, Error::Unavailable { .. }), "got {e:?}");
    assert_eq!(
        rig.proxy.report().requests["GetItem"],
        4,
        "the first try and 3 retries"
    );
    // The number of attempts comes from the options the library was given.
    let one_retry = quick_client(
        rig.proxy.endpoint(),
        ClientOptions {
            max_retries: 1,
            ..OPTIONS
        },
    );
    one_retry
        .table::<Counter>()
        .get("b")
        .await
        .expect_err("every attempt is reset");
    assert_eq!(
        rig.proxy.report().requests["GetItem"],
        6,
        "the first try and 1 retry"
    );
}

/// The row of the guide's faults table for `put`: a put whose answer was lost was applied
/// (the SDK's retry writes the same item again), so it is `Ok(())`, after two requests.
#[tokio::test]
async fn a_put_whose_answer_was_lost_is_ok() {
    let rig = rig(FaultPlan::none()).await;
    rig.proxy.inject("PutItem", Fault::ResetAfter);
    rig.db
        .table::<Counter>()
        .put(&counter("p", 5))
        .await
        .expect("a put is idempotent: the retry stored the same item");
    assert_eq!(
        rig.proxy.report().requests["PutItem"],
        2,
        "the lost attempt and its retry"
    );
    assert_eq!(
        rig.proxy.report().by_kind(),
        BTreeMap::from([(Fault::ResetAfter, 1)])
    );
    assert_eq!(stored_count(&rig.direct, "p").await, Some(5));
}

#[tokio::test]
async fn hostile_options_are_typed_errors_before_sending() {
    let rig = rig(FaultPlan::none()).await;
    let movies: Table<Movie> = rig.db.table();
    let bound = Duration::from_secs(5);
    let zero = BatchOptions {
        concurrency: 0,
        ..BatchOptions::default()
    };
    let e = tokio::time::timeout(bound, movies.batch_get([(2000, "A")]).options(zero))
        .await
        .expect("no hang");
    assert!(matches!(
        e,
        Err(Error::Refused(Refusal::InvalidOption {
            option: "BatchOptions::concurrency",
            ..
        }))
    ));
    let one = [movie(1)];
    let no_attempts = BatchOptions {
        max_attempts: 0,
        ..BatchOptions::default()
    };
    let e = tokio::time::timeout(
        bound,
        movies
            .batch_write(one.iter().map(|x| movies.put(x)))
            .options(no_attempts),
    )
    .await
    .expect("no hang");
    assert!(matches!(
        e,
        Err(Error::Refused(Refusal::InvalidOption {
            option: "BatchOptions::max_attempts",
            ..
        }))
    ));
    let year = 2000;
    let page: Result<Vec<Movie>, Error> = movies
        .query(cond!(year == year))
        .page_size(0)
        .stream()
        .try_collect()
        .await;
    assert!(matches!(
        page,
        Err(Error::Refused(Refusal::InvalidOption {
            option: "page_size",
            ..
        }))
    ));
    for n in [0, 1_000_001] {
        let scan: Result<Vec<Movie>, Error> =
            movies.scan().segments(n).stream().try_collect().await;
        assert!(
            matches!(scan, Err(Error::Refused(Refusal::InvalidOption { option: "segments", value, .. })) if value == u64::from(n))
        );
    }
    assert!(rig.proxy.report().requests.is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parallel_scan_reads_at_most_16_segments_at_once() {
    let rig = rig(FaultPlan {
        faults: vec![Fault::Slow],
        slow: Duration::from_millis(50),
        ..FaultPlan::every_kind(1, 1.0)
    })
    .await;
    let all: Vec<Movie> = (0..100).map(movie).collect();
    let direct = rig.direct.table::<Movie>();
    direct
        .batch_write(all.iter().map(|m| direct.put(m)))
        .await
        .expect("a direct load");
    let read: Vec<Movie> = rig
        .db
        .table::<Movie>()
        .scan()
        .segments(40)
        .stream()
        .try_collect()
        .await
        .expect("a scan");
    let titles: BTreeSet<&str> = read.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(read.len(), 100, "100 items read");
    assert_eq!(
        titles,
        all.iter()
            .map(|m| m.title.as_str())
            .collect::<BTreeSet<_>>(),
        "every item once"
    );
    assert_eq!(
        rig.proxy.report().requests["Scan"],
        40,
        "one page a segment"
    );
    // Each answer is held back 50 ms, so the segments read together are in flight together.
    assert_eq!(
        rig.proxy.peak_in_flight(),
        awstin::dynamodb::PARALLEL_SEGMENTS,
        "16 segments at once"
    );
}

fn doc(body: &str, rev: u64) -> Doc {
    Doc {
        id: "d".into(),
        body: body.into(),
        editors: Vec::new(),
        rev,
    }
}

/// A versioned put whose answer was lost: at the next version but another writer's, it was
/// not applied (one write at most moves an item on from a version): a conflict; anything
/// else, the item as written included (another writer may have written the same), is not
/// known.
#[tokio::test]
async fn a_versioned_put_under_lost_answers_reports_the_truth() {
    let rig = rig(FaultPlan::none()).await;
    let docs = rig.db.table::<Doc>();
    let direct = rig.direct.table::<Doc>();

    rig.proxy.inject("PutItem", Fault::ResetAfter);
    let mut mine = doc("mine", 0);
    // The retry meets the item as written: this write's, or another writer's equal one.
    match docs.put_versioned(&mut mine).await {
        Err(Error::OutcomeUnknown {
            stored: Stored::Item(item),
            ..
        }) => assert_eq!(item["rev"].as_n().map(String::as_str), Ok("1")),
        other => panic!("an unknown outcome was expected, got {other:?}"),
    }
    assert_eq!(mine.rev, 0, "the caller's item keeps the version read");
    mine.rev = 1;
    assert_eq!(direct.get("d").await.expect("a get"), Some(mine.clone()));
    assert_eq!(
        rig.proxy.report().requests["PutItem"],
        2,
        "one retry met the item"
    );

    // Another writer moves the item from version 1 to 2; this writer's first attempt is lost
    // before it reaches DynamoDB, and its retry finds version 2: a conflict, not unknown.
    let mut theirs = mine.clone();
    theirs.body = "theirs".into();
    direct
        .put_versioned(&mut theirs)
        .await
        .expect("a direct put");
    rig.proxy.inject("PutItem", Fault::ResetBefore);
    let mut stale = mine.clone();
    stale.body = "stale".into();
    match docs.put_versioned(&mut stale).await {
        Err(Error::Conflict(c)) => {
            assert_eq!(c.current::<Doc>().expect("decodes"), Some(theirs.clone()));
        }
        other => panic!("a definite conflict was expected, got {other:?}"),
    }
    assert_eq!(stale.rev, 1);

    // Two versions on: this write may have been applied and then overwritten.
    let mut third = theirs.clone();
    direct
        .put_versioned(&mut third)
        .await
        .expect("a direct put");
    rig.proxy.inject("PutItem", Fault::ResetBefore);
    match docs.put_versioned(&mut stale).await {
        Err(Error::OutcomeUnknown {
            stored: Stored::Item(item),
            ..
        }) => {
            assert_eq!(item["rev"].as_n().map(String::as_str), Ok("3"));
        }
        other => panic!("an unknown outcome was expected, got {other:?}"),
    }
    assert_eq!(direct.get("d").await.expect("a get"), Some(third));
}

/// A rig holding the document `d` at version 1, stored past the proxy.
async fn rig_with_doc() -> (Rig, Doc) {
    let rig = rig(FaultPlan::none()).await;
    let mut mine = doc("mine", 0);
    rig.direct
        .table::<Doc>()
        .put_versioned(&mut mine)
        .await
        .expect("a direct put");
    (rig, mine)
}

/// A versioned delete whose answer was lost finds no item on the retry: this delete or
/// another writer's removed it, which cannot be told apart: unknown, with no item stored.
#[tokio::test]
async fn a_versioned_delete_whose_answer_was_lost_is_unknown() {
    let (rig, mine) = rig_with_doc().await;
    rig.proxy.inject("DeleteItem", Fault::ResetAfter);
    let e = rig
        .db
        .table::<Doc>()
        .delete_versioned(&mine)
        .await
        .expect_err("the retry finds no item");
    assert_eq!(stored_of(&e), &Stored::Absent);
    assert_eq!(
        rig.direct.table::<Doc>().get("d").await.expect("a get"),
        None
    );
}

/// A versioned update whose answer was lost cannot be told from another writer's: unknown,
/// with the stored item, never a conflict or a success it cannot prove.
#[tokio::test]
async fn a_versioned_update_whose_answer_was_lost_is_unknown() {
    let (rig, mut mine) = rig_with_doc().await;
    rig.proxy.inject("UpdateItem", Fault::ResetAfter);
    let body = "updated".to_string();
    let e = rig
        .db
        .table::<Doc>()
        .update_versioned(&mut mine, update!(body = body))
        .await
        .expect_err("the retry finds the next version");
    match stored_of(&e) {
        Stored::Item(item) => assert_eq!(item["rev"].as_n().map(String::as_str), Ok("2")),
        other => panic!("the stored item is carried, got {other:?}"),
    }
    assert_eq!(mine.rev, 1, "the caller's item stays as read");
}

/// A versioned put or delete sent with a token is exact where the plain one cannot be: a
/// retry's answer is the first attempt's. The case a plain versioned put reports unknown (its
/// first attempt lost, the item two versions on) is a definite conflict sent once, and a write
/// applied before its answer was lost is answered as applied.
#[tokio::test]
async fn versioned_writes_sent_once_are_exact_under_lost_answers() {
    let (rig, mine) = rig_with_doc().await;
    let docs = rig.db.table::<Doc>();
    let direct = rig.direct.table::<Doc>();

    // Applied, then the answer lost: the retry carries the token and is answered as applied.
    rig.proxy.inject("TransactWriteItems", Fault::ResetAfter);
    let mut next = mine.clone();
    next.body = "next".into();
    docs.put_versioned(&mut next)
        .once("put-1")
        .await
        .expect("answered as applied");
    assert_eq!(next.rev, 2);
    assert_eq!(direct.get("d").await.expect("a get"), Some(next.clone()));
    assert_eq!(rig.proxy.report().requests["TransactWriteItems"], 2);

    // Two versions on, the first attempt lost before it reached DynamoDB: a plain versioned
    // put cannot tell this from its own write overwritten (`OutcomeUnknown`); sent once, the
    // retry's answer is a fact, so it is a conflict.
    let mut theirs = next.clone();
    direct
        .put_versioned(&mut theirs)
        .await
        .expect("a direct put");
    direct
        .put_versioned(&mut theirs)
        .await
        .expect("a direct put");
    rig.proxy.inject("TransactWriteItems", Fault::ResetBefore);
    let mut stale = next.clone();
    match docs.put_versioned(&mut stale).once("put-2").await {
        Err(Error::Conflict(c)) => {
            assert_eq!(c.expected, 2);
            assert_eq!(c.current::<Doc>().expect("decodes"), Some(theirs.clone()));
        }
        other => panic!("a definite conflict was expected, got {other:?}"),
    }
    assert_eq!(stale.rev, 2, "a refused write leaves the version as read");

    // A versioned delete sent once, under a condition of the caller's.
    rig.proxy.inject("TransactWriteItems", Fault::ResetAfter);
    let body = theirs.body.clone();
    let deleted = docs
        .delete_versioned(&theirs)
        .when(cond!(body == body))
        .once("delete-1")
        .await
        .expect("answered as applied");
    assert!(deleted.is_applied());
    assert_eq!(direct.get("d").await.expect("a get"), None);
}

/// The SDK's standard retry mode takes each retry from a quota shared by every client of the
/// service in the process (500 tokens, 5 a retry after a server error): under server errors
/// on every request it runs out, and a call is then sent once, without retries. A client with
/// a quota of its own (the testing client) keeps its 3 retries.
#[tokio::test]
async fn the_sdks_retry_quota_is_shared_and_runs_out_under_faults() {
    use aws_sdk_dynamodb::config::retry::RetryConfig;
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let rig = rig(FaultPlan::of(1, 1.0, &[Fault::ServerError]).only(&["GetItem"])).await;
    let shared = |endpoint: &str| {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "shared"))
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
            .build();
        DynamoDb::from_client_with(aws_sdk_dynamodb::Client::from_conf(config), OPTIONS)
    };
    // Two clients, one quota: the process's.
    let (first, second) = (shared(rig.proxy.endpoint()), shared(rig.proxy.endpoint()));
    let mut requests_per_call = Vec::new();
    for i in 0..40 {
        let client = if i % 2 == 0 { &first } else { &second };
        let before = rig
            .proxy
            .report()
            .requests
            .get("GetItem")
            .copied()
            .unwrap_or(0);
        let e = client.table::<Counter>().get("a").await.expect_err("500s");
        assert!(matches!(e, Error::Unavailable { .. }), "{e:?}");
        requests_per_call.push(rig.proxy.report().requests["GetItem"] - before);
    }
    println!("requests per call as the shared quota drains: {requests_per_call:?}");
    assert_eq!(requests_per_call[0], 4, "the first call retries 3 times");
    assert_eq!(
        *requests_per_call.last().expect("calls"),
        1,
        "the quota ran out"
    );
    // A client with a quota of its own still retries.
    let before = rig.proxy.report().requests["GetItem"];
    let own = quick_client(rig.proxy.endpoint(), OPTIONS);
    own.table::<Counter>().get("a").await.expect_err("500s");
    assert_eq!(rig.proxy.report().requests["GetItem"] - before, 4);
}

/// The proxy refuses to let a test pass on checks it never made: an injected fault that did
/// not fire, signatures asked for and none checked, a recording asked for and nothing
/// recorded are each listed (and fail the test when the proxy is dropped), and each leaves the
/// list once done.
#[tokio::test]
async fn the_proxy_lists_what_it_was_told_and_did_not_do() {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let proxy = FaultProxy::start(
        local.endpoint(),
        FaultPlan::none().check_signatures("test").recording(),
    )
    .await;
    proxy.inject("PutItem", Fault::ServerError);
    let unfired = proxy.unfired();
    assert_eq!(unfired.len(), 3, "{unfired:?}");
    assert!(
        unfired
            .iter()
            .any(|m| m.contains("ServerError into the next PutItem"))
    );
    assert!(
        unfired
            .iter()
            .any(|m| m == "no request's signature was checked")
    );
    assert!(unfired.iter().any(|m| m == "no request was recorded"));

    let db = proxy.client();
    db.client()
        .list_tables()
        .send()
        .await
        .expect("tables listed");
    let recorded = proxy.take_recorded();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].operation, "ListTables");
    assert!(proxy.take_recorded().is_empty(), "taken once");
    assert_eq!(
        proxy.unfired().len(),
        1,
        "signed, checked and recorded: {:?}",
        proxy.unfired()
    );
    let _ = proxy.allow_unfired();
}
