//! Idempotency on the embedded DynamoDB: duplicate deliveries run the function once
//! (sequential, raced at one instant, after a crash mid-run), a changed payload and a second
//! function are kept apart, a failed run is retried, a result too large to store is not run
//! again, hostile keys and names address their own records, and lost answers on the record
//! writes (the fault proxy) never run it twice, also when duplicates race.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awstin::dynamodb::DynamoDb;
use awstin::lambda::idempotency::{Idempotency, IdempotencyError, IdempotencyRecord};
use awstin::testing::faults::{Fault, FaultPlan, FaultProxy};
use awstin::testing::race::race;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use futures::TryStreamExt;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
struct Order {
    id: String,
    cents: u64,
}

fn order(id: &str, cents: u64) -> Order {
    Order {
        id: id.into(),
        cents,
    }
}

struct Rig {
    _local: LocalDynamoDb,
    proxy: FaultProxy,
    db: DynamoDb,
    direct: DynamoDb,
}

async fn rig(plan: FaultPlan) -> Rig {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = TableSpec::of::<IdempotencyRecord>()
        .and_then(|s| s.named("MyStack-IdempotencyTable-9Z"))
        .expect("a spec");
    create_table(local.db(), &spec).await.expect("a table");
    let proxy = FaultProxy::start(local.endpoint(), plan).await;
    let db = proxy.client_with(awstin_tests::FAULT_OPTIONS);
    let direct = local.db().clone();
    Rig {
        _local: local,
        proxy,
        db,
        direct,
    }
}

impl Rig {
    fn once(&self, name: &str) -> Idempotency {
        Idempotency::new(
            self.db
                .table_named::<IdempotencyRecord>("MyStack-IdempotencyTable-9Z"),
            name,
        )
    }
    async fn records(&self) -> u64 {
        self.direct
            .table_named::<IdempotencyRecord>("MyStack-IdempotencyTable-9Z")
            .scan()
            .count()
            .await
            .expect("a scan")
    }
}

/// A function that counts its runs per order and answers with a receipt naming the run (the
/// how-many-th run of any order it was), so that a second run's answer is told from the
/// first's.
#[derive(Clone, Default)]
struct Charges(Arc<Mutex<BTreeMap<String, usize>>>, Arc<AtomicUsize>);

impl Charges {
    fn runs(&self, id: &str) -> usize {
        self.0
            .lock()
            .expect("not poisoned")
            .get(id)
            .copied()
            .unwrap_or(0)
    }
    fn total(&self) -> usize {
        self.0.lock().expect("not poisoned").values().sum()
    }
    async fn charge(&self, o: Order, delay: Duration) -> Result<String, std::io::Error> {
        *self
            .0
            .lock()
            .expect("not poisoned")
            .entry(o.id.clone())
            .or_default() += 1;
        let run = self.1.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(delay).await;
        Ok(format!("receipt {} for {} (run {run})", o.id, o.cents))
    }
}

impl Charges {
    /// `charge` made idempotent by `once`, each run taking `delay`.
    fn once(
        &self,
        once: &Idempotency,
        delay: Duration,
    ) -> impl Fn(Order) -> awstin::lambda::idempotency::Once<String, std::io::Error> + Clone + use<>
    {
        let c = self.clone();
        once.wrap(
            |o: &Order| o.id.clone(),
            move |o| {
                let c = c.clone();
                async move { c.charge(o, delay).await }
            },
        )
    }
}

/// The receipt of `id`'s first run: "receipt {id} for {cents} (run N)".
fn is_receipt(receipt: &str, id: &str, cents: u64) -> bool {
    receipt.starts_with(&format!("receipt {id} for {cents} (run "))
}

#[tokio::test]
async fn sequential_duplicates_run_once_and_answer_the_first_result() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::ZERO);
    let first = charge(order("o-1", 500)).await.expect("a receipt");
    assert!(is_receipt(&first, "o-1", 500), "{first}");
    for _ in 0..4 {
        assert_eq!(charge(order("o-1", 500)).await.expect("a receipt"), first);
    }
    assert_eq!(charges.runs("o-1"), 1, "5 deliveries, 1 run");
    // The same key with another input is refused, and nothing runs.
    match charge(order("o-1", 999)).await {
        Err(IdempotencyError::PayloadMismatch { id }) => assert_eq!(id.len(), 64),
        other => panic!("a payload mismatch was expected, got {other:?}"),
    }
    assert_eq!(charges.runs("o-1"), 1);
    // Another function with the same key has a record of its own.
    let refunds = Charges::default();
    let refund = refunds.once(&rig.once("refunds"), Duration::ZERO);
    refund(order("o-1", 999))
        .await
        .expect("another function's key");
    assert_eq!(refunds.runs("o-1"), 1);
    assert_eq!(rig.records().await, 2);
}

/// Five deliveries of one order at one instant (a barrier releases them; the race tool fails
/// the test unless all five were in flight at once): one runs, the others are told to retry,
/// and a later delivery gets the run's result.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_raced_at_one_instant_run_once_and_the_others_are_told_to_retry() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::from_millis(300));
    let raced = race(5, |_| {
        let charge = charge.clone();
        async move { charge(order("o-2", 700)).await }
    })
    .await;
    let (mut ran, mut told_to_retry) = (Vec::new(), 0);
    for result in raced.results {
        match result {
            Ok(receipt) => ran.push(receipt),
            Err(e @ IdempotencyError::InProgress { .. }) => {
                assert!(e.is_retryable());
                told_to_retry += 1;
            }
            Err(other) => panic!("a duplicate is told to retry, got {other:?}"),
        }
    }
    assert_eq!((ran.len(), told_to_retry), (1, 4), "{ran:?}");
    assert_eq!(charges.runs("o-2"), 1, "5 deliveries at once, 1 run");
    assert_eq!(
        charge(order("o-2", 700)).await.expect("the stored result"),
        ran[0]
    );
    assert_eq!(charges.runs("o-2"), 1);
}

#[tokio::test]
async fn a_run_that_crashed_is_run_again_after_its_time_and_not_before() {
    let rig = rig(FaultPlan::none()).await;
    let once = rig.once("orders");
    let charges = Charges::default();
    let charge = charges.once(&once, Duration::ZERO);
    // A first delivery claimed the key and crashed, leaving its in-progress record: found by
    // running a function that never returns within the test, then dropped mid-run.
    let stuck = once.clone().in_progress_for(Duration::from_secs(1)).wrap(
        |o: &Order| o.id.clone(),
        |_o: Order| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok::<String, std::io::Error>(String::new())
        },
    );
    let crashed = tokio::time::timeout(Duration::from_millis(300), stuck(order("o-3", 100))).await;
    assert!(crashed.is_err(), "the first run was cut off mid-run");
    assert_eq!(rig.records().await, 1, "its in-progress record stays");
    match charge(order("o-3", 100)).await {
        Err(IdempotencyError::InProgress { .. }) => {}
        other => panic!("within the run's time a duplicate waits, got {other:?}"),
    }
    assert_eq!(charges.runs("o-3"), 0);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let receipt = charge(order("o-3", 100)).await.expect("runs");
    assert!(is_receipt(&receipt, "o-3", 100), "{receipt}");
    assert_eq!(
        charges.runs("o-3"),
        1,
        "after the crashed run's time, 1 run"
    );
}

#[tokio::test]
async fn a_failed_run_removes_its_record_so_a_retry_runs() {
    let rig = rig(FaultPlan::none()).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let flaky = rig.once("orders").wrap(
        |o: &Order| o.id.clone(),
        move |o: Order| {
            let r = r.clone();
            async move {
                match r.fetch_add(1, Ordering::SeqCst) {
                    0 => Err(std::io::Error::other("the card was declined")),
                    _ => Ok(format!("receipt {}", o.id)),
                }
            }
        },
    );
    match flaky(order("o-4", 1)).await {
        Err(IdempotencyError::Function(e)) => assert_eq!(e.to_string(), "the card was declined"),
        other => panic!("the function's error was expected, got {other:?}"),
    }
    assert_eq!(rig.records().await, 0, "the failed run's record is gone");
    assert_eq!(
        flaky(order("o-4", 1)).await.expect("a retry runs"),
        "receipt o-4"
    );
    assert_eq!(
        flaky(order("o-4", 1)).await.expect("then answers"),
        "receipt o-4"
    );
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

/// A result too large for an item: the run's caller gets it, the completion is stored
/// without it, and the redeliveries are told so instead of running the function again.
#[tokio::test]
async fn a_result_too_large_to_store_is_not_run_again() {
    let rig = rig(FaultPlan::none()).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let r = runs.clone();
    let big = rig.once("reports").wrap(
        |o: &Order| o.id.clone(),
        move |_o: Order| {
            r.fetch_add(1, Ordering::SeqCst);
            async { Ok::<_, std::io::Error>("x".repeat(450_000)) }
        },
    );
    assert_eq!(
        big(order("r-1", 1)).await.expect("the run's result").len(),
        450_000
    );
    for _ in 0..2 {
        match big(order("r-1", 1)).await {
            Err(IdempotencyError::ResultTooLarge { size, .. }) => assert!(size > 409_600),
            other => panic!("a repeat of a result too large, got {other:?}"),
        }
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1, "3 deliveries, 1 run");
    assert_eq!(rig.records().await, 1, "the completion is stored");
}

/// The record's size is counted as DynamoDB counts it, its two time numbers included: a
/// result that brings the completed record to exactly 409,600 bytes is stored and answered;
/// one byte more is not stored, and the repeat is told so. (A count that undercounts numbers
/// would send the second, have it refused, and answer its caller `Ok` all the same.)
#[tokio::test]
async fn a_record_of_exactly_the_item_limit_is_stored_and_a_byte_more_is_not() {
    let rig = rig(FaultPlan::none()).await;
    let once = rig.once("exact");
    let probe = once.wrap(
        |o: &Order| o.id.clone(),
        |_o: Order| async { Ok::<_, std::io::Error>(String::new()) },
    );
    probe(order("size-probe", 0)).await.expect("a probe");
    let stored = rig
        .direct
        .table_named::<IdempotencyRecord>("MyStack-IdempotencyTable-9Z")
        .scan()
        .stream()
        .try_collect::<Vec<IdempotencyRecord>>()
        .await
        .expect("a scan");
    // The probe's record with the empty result (`""` as JSON) measures the fixed part.
    let fixed = awstin::expr::size::item_size(&stored[0]).expect("a size") - 2;
    for (id, extra, fits) in [("fits", 0usize, true), ("over", 1, false)] {
        let text_len = 409_600 - fixed - 2 + extra;
        let runs = Arc::new(AtomicUsize::new(0));
        let r = runs.clone();
        let exact = once.wrap(
            |o: &Order| o.id.clone(),
            move |_o: Order| {
                r.fetch_add(1, Ordering::SeqCst);
                async move { Ok::<_, std::io::Error>("y".repeat(text_len)) }
            },
        );
        // Ids of the probe's length, so that the fixed part is the same.
        let key = format!("{id:0>10}");
        assert_eq!(exact(order(&key, 0)).await.expect("runs").len(), text_len);
        match (exact(order(&key, 0)).await, fits) {
            (Ok(result), true) => assert_eq!(result.len(), text_len, "stored and answered"),
            (Err(IdempotencyError::ResultTooLarge { size, .. }), false) => {
                assert_eq!(size, 409_601)
            }
            (other, _) => panic!("{id}: {other:?}"),
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1, "{id}: one run");
    }
}

/// A function name and a key are hashed with the name's length first: `"pay"` with key
/// `"\0" + id` and `"pay\0"` with key `id` are two records.
#[tokio::test]
async fn a_function_name_and_a_key_never_run_into_another_pair() {
    let rig = rig(FaultPlan::none()).await;
    let (a, b) = (Charges::default(), Charges::default());
    let pay = a.once(&rig.once("pay"), Duration::ZERO);
    let pay_nul = b.once(&rig.once("pay\0"), Duration::ZERO);
    pay(order("\0o-9", 1)).await.expect("a run");
    pay_nul(order("o-9", 1)).await.expect("a run of its own");
    assert_eq!((a.total(), b.total()), (1, 1));
    assert_eq!(rig.records().await, 2);
}

/// Keys from the outside: empty, 10 KB, NUL bytes and other scripts, and two that differ in
/// one byte: each addresses its own record, none another's.
#[tokio::test]
async fn hostile_keys_address_their_own_records() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::ZERO);
    let keys = [
        String::new(),
        "k".repeat(10_000),
        "a\0b".to_owned(),
        "a\0c".to_owned(),
        "ключ 鍵 🔑".to_owned(),
        "' OR 1=1 --".to_owned(),
    ];
    for key in &keys {
        let first = charge(order(key, 5)).await.expect("a receipt");
        assert!(is_receipt(&first, key, 5), "{first}");
        assert_eq!(charge(order(key, 5)).await.expect("a receipt"), first);
    }
    assert_eq!(charges.total(), keys.len(), "one run per key");
    assert_eq!(rig.records().await, keys.len() as u64);
}

/// Lost answers on the record writes: a claim applied before its answer was lost is settled
/// as this call's own (the stored record holds its claim id), so the function runs once; a
/// completion whose answer was lost is settled the same way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_on_the_record_writes_are_settled_by_the_claim_id() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::ZERO);
    for (id, fault) in [
        ("f-1", Fault::ResetAfter),
        ("f-2", Fault::ServerErrorAfter),
        ("f-3", Fault::ResetBefore),
    ] {
        // The claim's answer is lost, then the completion's.
        rig.proxy.inject("PutItem", fault);
        let first = charge(order(id, 1)).await.expect("the claim is settled");
        rig.proxy.inject("PutItem", fault);
        assert_eq!(charge(order(id, 1)).await.expect("stored"), first, "{id}");
        assert_eq!(charges.runs(id), 1, "{id}");
    }
    let report = rig.proxy.report();
    assert_eq!(report.total(), 6, "{report}");
}

/// A second caller that claims the key while the first caller's claim is lost: the first's
/// retry finds a record like its own (same input, same second) but with another claim id,
/// and is told the key is in progress instead of running too. Caller A's client waits 300 ms
/// before its retry (no jitter); B claims meanwhile and runs for 600 ms.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_claim_meeting_another_callers_claim_does_not_run() {
    use aws_sdk_dynamodb::config::retry::{RetryConfig, RetryPartition, TokenBucket};
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let rig = rig(FaultPlan::none()).await;
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url(rig.proxy.endpoint())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "slow"))
        .retry_partition(
            RetryPartition::custom("slow-retry")
                .token_bucket(TokenBucket::unlimited())
                .build(),
        )
        .retry_config(
            RetryConfig::standard()
                .with_initial_backoff(Duration::from_millis(300))
                .with_use_static_exponential_base(true),
        )
        .build();
    let slow_db = DynamoDb::from_client_with(
        aws_sdk_dynamodb::Client::from_conf(config),
        awstin_tests::FAULT_OPTIONS,
    );
    let charges = Charges::default();
    let records = "MyStack-IdempotencyTable-9Z";
    let a = charges.once(
        &Idempotency::new(slow_db.table_named::<IdempotencyRecord>(records), "orders"),
        Duration::from_millis(600),
    );
    let b = charges.once(&rig.once("orders"), Duration::from_millis(600));
    rig.proxy.inject("PutItem", Fault::ResetBefore);
    let first = tokio::spawn(async move { a(order("g-1", 3)).await });
    // B claims once A's first claim was reset, while A waits to retry.
    while rig.proxy.report().fired("PutItem", Fault::ResetBefore) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let second = b(order("g-1", 3)).await;
    let first = first.await.expect("joined");
    assert!(second.is_ok(), "B claimed and ran: {second:?}");
    assert!(
        matches!(first, Err(IdempotencyError::InProgress { .. })),
        "A's retry met B's claim: {first:?}"
    );
    assert_eq!(charges.runs("g-1"), 1);
    assert_eq!(
        rig.proxy.report().requests["PutItem"],
        4,
        "A's 2 claims, B's claim and completion"
    );
}

/// Many duplicates at one instant under faults on every record write and read: 60 orders, 5
/// deliveries of each released together, each delivery sent again while it is told to retry
/// (as SQS redelivers). Every order runs exactly once, and every answer is its first run's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn raced_duplicates_under_faults_run_each_order_exactly_once() {
    const ORDERS: usize = 60;
    const COPIES: usize = 5;
    let plan = FaultPlan::of(
        11,
        0.3,
        &[
            Fault::ResetBefore,
            Fault::ResetAfter,
            Fault::ServerError,
            Fault::ServerErrorAfter,
            Fault::Throttling,
        ],
    )
    .only(&["PutItem", "DeleteItem", "GetItem"]);
    let rig = rig(plan).await;
    let charges = Charges::default();
    let once = rig.once("orders").in_progress_for(Duration::from_secs(120));
    let charge = charges.once(&once, Duration::from_millis(30));
    let raced = race(ORDERS * COPIES, |i| {
        let charge = charge.clone();
        let n = i / COPIES;
        async move {
            let (id, cents) = (format!("k-{n:02}"), n as u64);
            let mut refusals = Vec::new();
            for _ in 0..60 {
                match charge(order(&id, cents)).await {
                    Ok(receipt) => return (id, Ok(receipt), refusals),
                    Err(e) if e.is_retryable() => {
                        refusals.push(e.to_string());
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                    Err(e) => return (id, Err(e.to_string()), refusals),
                }
            }
            (id, Err("retries ran out".to_owned()), refusals)
        }
    })
    .await;
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    let (mut answered, mut failed, mut retried) = (0, Vec::new(), 0);
    for (id, result, refusals) in raced.results {
        retried += refusals.len();
        match result {
            Ok(receipt) => {
                answered += 1;
                let kept = first.entry(id.clone()).or_insert_with(|| receipt.clone());
                assert_eq!(&receipt, kept, "{id}: an answer of another run");
            }
            Err(e) => failed.push(format!("{id}: {e}")),
        }
    }
    let runs: BTreeMap<usize, usize> = (0..ORDERS).fold(BTreeMap::new(), |mut by_count, n| {
        *by_count
            .entry(charges.runs(&format!("k-{n:02}")))
            .or_default() += 1;
        by_count
    });
    let report = rig.proxy.report();
    println!(
        "raced duplicates under faults: {} deliveries of {ORDERS} orders ({COPIES} at once each), \
         {answered} answered, {} failed, {retried} told to retry first; runs per order {runs:?}; \
         {} faults: {report}",
        ORDERS * COPIES,
        failed.len(),
        report.total(),
    );
    assert_eq!(
        runs,
        BTreeMap::from([(1, ORDERS)]),
        "every order ran exactly once"
    );
    assert!(failed.is_empty(), "every delivery answered: {failed:?}");
    let lost = report.fired("PutItem", Fault::ResetAfter)
        + report.fired("PutItem", Fault::ServerErrorAfter);
    assert!(lost >= 10, "lost answers on the record writes: {report}");
}

/// The run's time is the invocation's remaining time: the in-progress record of a claim made
/// with 3 s left expires with the invocation, not after Lambda's 15 minutes.
#[tokio::test]
async fn the_run_time_comes_from_the_invocations_deadline() {
    let rig = rig(FaultPlan::none()).await;
    let mut context = awstin::lambda::Context::default();
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after the epoch")
        .as_millis();
    context.deadline = u64::try_from(now_ms).expect("fits") + 3_000;
    let once = rig.once("orders").within(&context);
    let stuck = once.wrap(
        |o: &Order| o.id.clone(),
        |_o: Order| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok::<String, std::io::Error>(String::new())
        },
    );
    let _ = tokio::time::timeout(Duration::from_millis(200), stuck(order("d-1", 1))).await;
    let record = rig
        .direct
        .table_named::<IdempotencyRecord>("MyStack-IdempotencyTable-9Z")
        .scan()
        .stream()
        .try_collect::<Vec<IdempotencyRecord>>()
        .await
        .expect("a scan");
    let until = record[0].until.secs();
    let now = u64::try_from(now_ms / 1000).expect("fits");
    assert!(
        (now + 3..=now + 4).contains(&until),
        "until {until}, now {now}"
    );
}

/// The function's own error, and the store's, stay reachable through `source`: a caller can
/// tell a failed run from a failed record. An `IdempotencyError<E>` is an error for any `E`
/// that shows (a `String`, a boxed error); the function's error is its cause where the crate
/// knows its type (its own errors, boxed errors), so the client-input mapping finds a key
/// value refused inside the run; for another type the chain ends at it, shown by the top.
#[test]
fn an_idempotency_error_keeps_its_cause() {
    use awstin::lambda::{client_input, error_chain};
    use std::error::Error as _;
    let run: IdempotencyError<std::io::Error> =
        IdempotencyError::Function(std::io::Error::other("the run failed"));
    assert_eq!(run.to_string(), "the run failed");
    assert!(run.source().is_none(), "a type the crate does not know");
    let shown: IdempotencyError<String> = IdempotencyError::Function("declined".to_owned());
    let shown: Box<dyn std::error::Error + Send + Sync> = Box::new(shown);
    assert_eq!(error_chain(shown.as_ref()), "declined");
    let refused = || {
        awstin::dynamodb::Error::from(awstin::dynamodb::Refusal::EmptyKeyValue {
            attribute: "owner",
        })
    };
    let ours: IdempotencyError<awstin::dynamodb::Error> = IdempotencyError::Function(refused());
    assert!(
        ours.source()
            .is_some_and(|s| s.is::<awstin::dynamodb::Error>())
    );
    assert_eq!(
        client_input(&ours),
        Some((400, "`owner` may not be empty".to_owned()))
    );
    let boxed: IdempotencyError<awstin::lambda_runtime::Error> =
        IdempotencyError::Function(refused().into());
    assert_eq!(
        client_input(&boxed),
        Some((400, "`owner` may not be empty".to_owned()))
    );
    let reused: IdempotencyError<String> = IdempotencyError::PayloadMismatch { id: "x".into() };
    assert_eq!(
        client_input(&reused),
        Some((
            422,
            "the idempotency key was used with another request".to_owned()
        ))
    );
    let running: IdempotencyError<String> = IdempotencyError::InProgress { id: "x".into() };
    assert_eq!(client_input(&running).map(|(status, _)| status), Some(409));
    let stored: IdempotencyError<std::io::Error> = IdempotencyError::StoredResult(
        serde_json::from_str::<u32>("\"x\"").expect_err("not a number"),
    );
    assert!(
        stored
            .source()
            .is_some_and(|s| s.to_string().contains("expected u32"))
    );
    let store: IdempotencyError<std::io::Error> =
        IdempotencyError::Store(awstin::dynamodb::Error::from(
            awstin::dynamodb::Refusal::InvalidTableName { reason: "use only" },
        ));
    assert!(store.source().is_some());
    let unrecorded: IdempotencyError<std::io::Error> = IdempotencyError::NotRecorded {
        id: "orders#1".into(),
        source: Box::new(awstin::dynamodb::Error::from(
            awstin::dynamodb::Refusal::InvalidToken { bytes: 0 },
        )),
    };
    assert!(
        unrecorded
            .source()
            .is_some_and(|s| s.to_string().contains("token")),
        "{:?}",
        unrecorded.source().map(|s| s.to_string())
    );
}

/// A completion refused for a reason that passes (throttled, with the client's own retries
/// off) is written again, not given up: the call answers its result, and the record is
/// complete (a duplicate answers it without running).
#[tokio::test]
async fn a_throttled_completion_is_written_again() {
    let rig = rig(FaultPlan::none()).await;
    let db = rig.proxy.client_with(awstin::dynamodb::ClientOptions {
        max_retries: 0,
        ..awstin_tests::FAULT_OPTIONS
    });
    let once = Idempotency::new(
        db.table_named::<IdempotencyRecord>("MyStack-IdempotencyTable-9Z"),
        "orders",
    );
    let runs = Arc::new(AtomicUsize::new(0));
    let (proxy, counted) = (rig.proxy.clone(), runs.clone());
    let charge = once.wrap(
        |o: &Order| o.id.clone(),
        move |o: Order| {
            let (proxy, counted) = (proxy.clone(), counted.clone());
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                // The next PutItem is this run's completion.
                proxy.inject("PutItem", Fault::Throttling);
                Ok::<_, std::io::Error>(format!("receipt {}", o.id))
            }
        },
    );
    let first = charge(order("t-1", 5))
        .await
        .expect("completed at its second attempt");
    assert_eq!(first, "receipt t-1");
    assert_eq!(rig.proxy.report().fired("PutItem", Fault::Throttling), 1);
    // The stored result answers a duplicate; the function ran once. (The duplicate's run
    // would inject a fault that never fires, which fails the test when the proxy is dropped.)
    assert_eq!(charge(order("t-1", 5)).await.expect("stored"), first);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// A completed record lives for `keep_for` from its completion, not for the claim's span
/// (the longer of `keep_for` and `in_progress_for`).
#[tokio::test]
async fn a_completed_record_expires_after_keep_for() {
    let rig = rig(FaultPlan::none()).await;
    let once = rig
        .once("orders")
        .in_progress_for(Duration::from_secs(3_600))
        .keep_for(Duration::from_secs(60));
    let charges = Charges::default();
    let charge = charges.once(&once, Duration::ZERO);
    let started = awstin_tests::now();
    charge(order("e-1", 3)).await.expect("run");
    let records = rig
        .direct
        .table_named::<IdempotencyRecord>("MyStack-IdempotencyTable-9Z")
        .scan()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .expect("a scan");
    assert_eq!(records.len(), 1);
    // `Ttl::after` rounds up to the next whole second.
    let expires = records[0].expires.secs();
    assert!(
        (started + 60..=awstin_tests::now() + 61).contains(&expires),
        "expires at {expires}, completed within {started}..{}",
        awstin_tests::now()
    );
}
