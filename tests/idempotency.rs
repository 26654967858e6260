//! Idempotency on the embedded DynamoDB: duplicate deliveries run the function once
//! (sequential, concurrent on two threads, after a crash mid-run), a changed payload and a
//! second function are kept apart, a failed run is retried, hostile keys address their own
//! records, and lost answers on the record writes (the fault proxy) never run it twice.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use awstin::dynamodb::DynamoDb;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::lambda::idempotency::{Idempotency, IdempotencyError, IdempotencyRecord};
use awstin_tests::faults::{Fault, FaultPlan, FaultProxy};
use awstin_tests::quick_client;
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
    let db = quick_client(proxy.endpoint(), awstin_tests::FAULT_OPTIONS);
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

/// A function that counts its runs per order and answers with a receipt.
#[derive(Clone, Default)]
struct Charges(Arc<Mutex<BTreeMap<String, usize>>>);

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
        tokio::time::sleep(delay).await;
        Ok(format!("receipt {} for {}", o.id, o.cents))
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

#[tokio::test]
async fn sequential_duplicates_run_once_and_answer_the_first_result() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::ZERO);
    for _ in 0..5 {
        assert_eq!(
            charge(order("o-1", 500)).await.expect("a receipt"),
            "receipt o-1 for 500"
        );
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_duplicates_on_two_threads_run_once_and_the_other_is_told_to_retry() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::from_millis(300));
    let (a, b) = (charge.clone(), charge.clone());
    let first = tokio::spawn(async move { a(order("o-2", 700)).await });
    let second = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(50)).await;
        b(order("o-2", 700)).await
    });
    let (first, second) = (first.await.expect("joined"), second.await.expect("joined"));
    assert_eq!(first.expect("the first runs"), "receipt o-2 for 700");
    match second {
        Err(e @ IdempotencyError::InProgress { .. }) => assert!(e.is_retryable()),
        other => panic!("the duplicate should be told to retry, got {other:?}"),
    }
    assert_eq!(
        charge(order("o-2", 700)).await.expect("the stored result"),
        "receipt o-2 for 700"
    );
    assert_eq!(charges.runs("o-2"), 1, "3 deliveries, 2 at once, 1 run");
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
    assert_eq!(
        charge(order("o-3", 100)).await.expect("runs"),
        "receipt o-3 for 100"
    );
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

    // A result too large for an item: refused, and its record removed.
    let big = rig.once("reports").wrap(
        |o: &Order| o.id.clone(),
        |_o: Order| async { Ok::<_, std::io::Error>("x".repeat(450_000)) },
    );
    assert!(matches!(
        big(order("r-1", 1)).await,
        Err(IdempotencyError::ResultTooLarge { at_least }) if at_least > 409_600
    ));
    assert_eq!(rig.records().await, 1, "only o-4's record");
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
        for _ in 0..2 {
            let receipt = charge(order(key, 5)).await.expect("a receipt");
            assert_eq!(receipt, format!("receipt {key} for 5"));
        }
    }
    assert_eq!(charges.total(), keys.len(), "one run per key");
    assert_eq!(rig.records().await, keys.len() as u64);
}

/// Lost answers on the record writes: a claim applied before its answer was lost is settled
/// as this call's own (the stored record is the one written), so the function runs once; a
/// completion whose answer was lost is sent again; under random faults on every request, no
/// order runs twice and every answer given is the first run's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_answers_on_the_record_writes_never_run_the_function_twice() {
    let rig = rig(FaultPlan::none()).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::ZERO);
    rig.proxy.inject("PutItem", Fault::ResetAfter);
    assert_eq!(
        charge(order("f-1", 1)).await.expect("the claim is settled"),
        "receipt f-1 for 1"
    );
    rig.proxy.inject("PutItem", Fault::ServerErrorAfter);
    assert_eq!(
        charge(order("f-2", 2)).await.expect("the claim is settled"),
        "receipt f-2 for 2"
    );
    for id in ["f-1", "f-2"] {
        assert_eq!(
            charge(order(id, if id == "f-1" { 1 } else { 2 }))
                .await
                .expect("stored"),
            format!("receipt {id} for {}", if id == "f-1" { 1 } else { 2 })
        );
        assert_eq!(charges.runs(id), 1, "{id}");
    }
    let injected = rig.proxy.injected();
    assert_eq!(injected.values().sum::<u64>(), 2, "{injected:?}");

    // Random faults of every kind on half the requests.
    let rig = rig_with(FaultPlan::every_kind(7, 0.5)).await;
    let charges = Charges::default();
    let charge = charges.once(&rig.once("orders"), Duration::ZERO);
    let mut answers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut refused, mut retryable) = (0, 0);
    for round in 0..3 {
        for i in 0..30 {
            let id = format!("o-{i:02}");
            match charge(order(&id, i)).await {
                Ok(receipt) => answers.entry(id).or_default().push(receipt),
                Err(e) => {
                    refused += 1;
                    retryable += usize::from(e.is_retryable());
                    println!("round {round} {id}: {e}");
                }
            }
        }
    }
    for i in 0..20u64 {
        let id = format!("o-{i:02}");
        assert!(
            charges.runs(&id) <= 1,
            "{id} ran {} times",
            charges.runs(&id)
        );
        for receipt in answers.get(&id).into_iter().flatten() {
            assert_eq!(receipt, &format!("receipt {id} for {i}"));
        }
    }
    let faults = rig.proxy.injected();
    let writes = rig.proxy.injected_into("PutItem");
    println!(
        "idempotency under faults: 90 deliveries of 30 orders, {} runs, {} answered, {refused} refused ({retryable} retryable); faults {faults:?}, in the record writes {writes:?}",
        charges.total(),
        answers.values().map(Vec::len).sum::<usize>(),
    );
    // Lost answers after DynamoDB applied a record write did happen.
    let lost = writes.get(&Fault::ResetAfter).copied().unwrap_or(0)
        + writes.get(&Fault::ServerErrorAfter).copied().unwrap_or(0);
    assert!(lost >= 3, "lost answers on the record writes: {writes:?}");
    assert_eq!(refused, retryable, "every refusal says to retry");
}

async fn rig_with(plan: FaultPlan) -> Rig {
    rig(plan).await
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
