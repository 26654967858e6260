//! The two backends of one request model agree. Hundreds of generated operations (every kind:
//! puts, updates and deletes with conditions, versions and tokens; gets, queries and scans with
//! filters, projections, limits and cursors; batches; transactions), with hostile values, go
//! through the SDK backend (`awstin::dynamodb`, its request bodies captured as sent, at the
//! HTTP layer, by the testing proxy, which also checks their signatures) and through the JSON
//! backend (`awstin_core::wire`), each against its own embedded DynamoDB holding the same
//! items. For each operation: the same request body (equal as JSON) and target, or the same
//! typed refusal with nothing sent; and the same reading of the same answer (applied, condition
//! false with the same stored item, no item, cancelled with the same reasons, the same items and
//! the same next cursor).

#![allow(missing_docs)] // test models: the fields speak for themselves

use awstin::dynamodb::{Error, Item, Stored, Table, Written};
use awstin::testing::faults::{Fault, FaultPlan, FaultProxy};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{cond, dynamo_model, project, update};
use awstin_core::ValueBuf;
use awstin_core::op::{self, Key, Lock, ReadSpec, WriteSpec};
use awstin_core::wire::{self, Answer, Failure, Wire};
use awstin_core::{DecodeError, DecodeFrom};
use serde_json::Value;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Film {
        table "Films";
        key year: u32;
        key title: String;
        attr rating: f64;
        attr plays: u64;
        attr tags: Vec<String>;
        attr note: Option<String>;
    }
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Doc { table "Docs"; entity "Doc"; key id: String; attr body: String; version rev: u64 }
}

dynamo_model! {
    /// A one-attribute key: the embedded DynamoDB's token cache hashes a request with its
    /// maps in their iteration order, so a repeat of a two-attribute key's write sent once
    /// may be refused as another request (`IdempotentParameterMismatchException`).
    #[derive(Debug, Clone, PartialEq)]
    pub struct Tally { table "Tallies"; key id: String; attr n: u64 }
}

/// Operations generated (each run through both backends).
const CASES: usize = 400;
// The guide (edge chapter) says "hundreds of generated operations".
const _: () = assert!(CASES >= 200);
/// The secret both proxies check signatures with.
const SECRET: &str = "test";

/// Strings chosen to break a request: empty, quotes, escapes, NUL, the last BMP character,
/// astral characters, placeholder look-alikes, a key of 1,025 bytes (1 over the sort key's
/// limit), and plain ones.
fn hostile(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..14) {
        0 => String::new(),
        1 => "\"".into(),
        2 => "\\u0000\\".into(),
        3 => "\u{0}".into(),
        4 => "\u{FFFF}".into(),
        5 => "😀 🎬".into(),
        6 => "#n0".into(),
        7 => ":v0 :v1".into(),
        8 => "x".repeat(1025),
        9 => "é".repeat(rng.usize(1..40)),
        _ => format!("t{}", rng.u8(0..6)),
    }
}

fn rating(rng: &mut fastrand::Rng) -> f64 {
    match rng.u8(0..10) {
        0 => f64::NAN,
        1 => -0.5,
        2 => 1e-131,
        3 => 1.0e125,
        _ => f64::from(rng.u8(0..100)) / 10.0,
    }
}

fn year(rng: &mut fastrand::Rng) -> u32 {
    match rng.u8(0..8) {
        0 => 0,
        1 => u32::MAX,
        _ => 2000 + u32::from(rng.u8(0..3)),
    }
}

fn film(rng: &mut fastrand::Rng) -> Film {
    Film {
        year: year(rng),
        title: hostile(rng),
        rating: rating(rng),
        plays: rng.u64(0..5),
        tags: (0..rng.usize(0..3)).map(|_| hostile(rng)).collect(),
        note: rng.bool().then(|| hostile(rng)),
    }
}

fn token(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..6) {
        0 => String::new(),
        1 => "t".repeat(37),
        _ => format!("token-{}", rng.u64(..)),
    }
}

/// What a backend made of one operation.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Refused before sending.
    Refused(awstin_core::Error),
    /// A write applied.
    Applied,
    /// An update applied, and the item it returned as the model reads it.
    Returned(Result<Film, DecodeError>),
    /// The condition was false: the stored item as the model reads it, `None` for no item.
    ConditionFalse(Option<Result<Film, DecodeError>>),
    /// Cancelled: the failed members' positions and codes.
    Cancelled(Vec<(usize, String)>),
    /// Items read, and the next page's cursor.
    Read(Vec<Film>, Option<String>),
    /// Items read, one of which the model does not read.
    Undecodable(DecodeError),
    /// DynamoDB refused the request: its code.
    Failed(String),
}

/// The two backends, each with its own embedded DynamoDB holding the same items.
struct Twins {
    _sdk_local: LocalDynamoDb,
    _wire_local: LocalDynamoDb,
    /// In front of the SDK's DynamoDB: records every request as sent, checks signatures.
    recording: FaultProxy,
    /// In front of the JSON backend's: checks signatures.
    verifying: FaultProxy,
    films: Table<Film>,
    docs: Table<Doc>,
    requests: usize,
    /// Transactions the SDK sent with a token of its own.
    sdk_tokens: usize,
    /// The outcomes both backends agreed on, by kind.
    outcomes: std::collections::BTreeMap<&'static str, usize>,
}

async fn local() -> LocalDynamoDb {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Film>().expect("a spec"))
        .await
        .expect("a table");
    create_table(local.db(), &TableSpec::of::<Doc>().expect("a spec"))
        .await
        .expect("a table");
    create_table(local.db(), &TableSpec::of::<Tally>().expect("a spec"))
        .await
        .expect("a table");
    local
}

impl Twins {
    async fn start() -> Twins {
        let (sdk_local, wire_local) = (local().await, local().await);
        let recording = FaultProxy::start(
            sdk_local.endpoint(),
            FaultPlan::none().check_signatures(SECRET).recording(),
        )
        .await;
        let verifying = FaultProxy::start(
            wire_local.endpoint(),
            FaultPlan::none().check_signatures(SECRET),
        )
        .await;
        let db = recording.client_with(awstin::dynamodb::ClientOptions {
            max_retries: 0,
            ..Default::default()
        });
        Twins {
            _sdk_local: sdk_local,
            _wire_local: wire_local,
            films: db.table::<Film>(),
            docs: db.table::<Doc>(),
            recording,
            verifying,
            requests: 0,
            sdk_tokens: 0,
            outcomes: std::collections::BTreeMap::new(),
        }
    }

    /// Compares what the SDK sent for one operation (`sdk`, its outcome) with the JSON
    /// backend's requests (`wire`), sends those, and compares the outcomes.
    async fn compare(
        &mut self,
        case: &str,
        sdk: Outcome,
        wire: Result<Vec<Wire>, awstin_core::Error>,
        read: impl Fn(Result<Answer, Failure>) -> Outcome,
    ) {
        let sent = self.recording.take_recorded();
        let requests = match wire {
            Err(e) => {
                assert_eq!(sdk, Outcome::Refused(e), "{case}: the same refusal");
                assert!(sent.is_empty(), "{case}: a refused request is not sent");
                return;
            }
            Ok(requests) => requests,
        };
        assert_eq!(
            sent.len(),
            requests.len(),
            "{case}: one request for each of the JSON backend's ({sdk:?})"
        );
        for (sent, request) in sent.iter().zip(&requests) {
            assert_eq!(
                Some(sent.operation.as_str()),
                request.target.rsplit('.').next(),
                "{case}"
            );
            let mut sdk_body: Value = serde_json::from_slice(&sent.body).expect("a JSON body");
            let wire_body: Value = serde_json::from_str(&request.body).expect("a JSON body");
            // The one difference of the transports: the SDK fills an idempotency token of its
            // own (32 hexadecimal digits) into a TransactWriteItems sent without one (its
            // model marks the member `@idempotencyToken`); the JSON backend sends one only
            // when given.
            if wire_body.get("ClientRequestToken").is_none()
                && let Some(Value::String(token)) = sdk_body
                    .as_object_mut()
                    .and_then(|b| b.remove("ClientRequestToken"))
            {
                assert!(
                    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{case}: a token the SDK made: {token}"
                );
                self.sdk_tokens += 1;
            }
            assert_eq!(sdk_body, wire_body, "{case}: the same request body");
            self.requests += 1;
        }
        let mut last = None;
        for request in &requests {
            last = Some(send(self.verifying.endpoint(), request).await);
        }
        let wire = read(last.expect("a request"));
        assert_eq!(sdk, wire, "{case}: the same reading of the same answer");
        let kind = match &sdk {
            Outcome::Refused(_) => "refused",
            Outcome::Applied | Outcome::Returned(Ok(_)) => "applied",
            Outcome::Returned(Err(_)) | Outcome::Undecodable(_) => {
                "an item the model does not read"
            }
            Outcome::ConditionFalse(Some(_)) => "condition false on a stored item",
            Outcome::ConditionFalse(None) => "condition false, no item",
            Outcome::Cancelled(_) => "cancelled",
            Outcome::Read(_, Some(_)) => "a page and a cursor",
            Outcome::Read(_, None) => "a last page",
            Outcome::Failed(_) => "refused by DynamoDB",
        };
        *self.outcomes.entry(kind).or_default() += 1;
    }
}

/// Signs `request` with the core's SigV4 and sends it; the answer as the core reads it.
async fn send(endpoint: &str, request: &Wire) -> Result<Answer, Failure> {
    let (status, body) =
        awstin_tests::send_wire(endpoint, request, request, SECRET, awstin_tests::now()).await;
    Answer::read(status, &body)
}

fn decode_error(e: Error) -> DecodeError {
    match e {
        Error::Decode(d) => d,
        other => panic!("a decode error was expected, got {other:?}"),
    }
}

fn sdk_outcome<T>(result: Result<Written<T>, Error>, applied: impl Fn(T) -> Outcome) -> Outcome {
    match result {
        Ok(Written::Applied(t)) => applied(t),
        Ok(Written::ConditionFalse(c)) => {
            Outcome::ConditionFalse(Some(c.item::<Film>().map_err(decode_error)))
        }
        Ok(Written::NoItem) => Outcome::ConditionFalse(None),
        Err(e) => sdk_error(e),
    }
}

fn sdk_plain<T>(result: Result<T, Error>, applied: impl Fn(T) -> Outcome) -> Outcome {
    match result {
        Ok(t) => applied(t),
        Err(e) => sdk_error(e),
    }
}

fn sdk_error(e: Error) -> Outcome {
    match e {
        Error::Refused(r) => Outcome::Refused(r),
        Error::TransactionCanceled { reasons, .. } => {
            Outcome::Cancelled(reasons.iter().map(|r| (r.index, r.code.clone())).collect())
        }
        Error::WrittenButUndecodable { source, .. } => Outcome::Returned(Err(*source)),
        Error::Validation { .. } => Outcome::Failed("ValidationException".into()),
        Error::Decode(d) => Outcome::Undecodable(d),
        other => panic!("an unexpected failure: {other:?}"),
    }
}

fn wire_write(answer: Result<Answer, Failure>) -> Outcome {
    match answer {
        Ok(_) => Outcome::Applied,
        Err(f) => wire_failure(f),
    }
}

fn wire_update(answer: Result<Answer, Failure>) -> Outcome {
    match answer {
        Ok(a) => match a.item::<Film>() {
            Ok(item) => Outcome::Returned(Ok(item.expect("an update returns its item"))),
            Err(Failure::Decode(d)) => Outcome::Returned(Err(d)),
            Err(f) => panic!("an unexpected failure: {f:?}"),
        },
        Err(f) => wire_failure(f),
    }
}

/// A Query's or Scan's page as the JSON backend reads it: its films and the next cursor.
fn wire_page(answer: Result<Answer, Failure>) -> Outcome {
    match answer.and_then(|a| Ok((a.items::<Film>()?, a))) {
        Ok((items, a)) => Outcome::Read(items, a.next::<Film>("Films", None).expect("a cursor")),
        Err(f) => wire_failure(f),
    }
}

fn wire_failure(f: Failure) -> Outcome {
    match f {
        Failure::ConditionFalse { item } => {
            Outcome::ConditionFalse(item.map(|i| <Film as DecodeFrom<_>>::decode(i.read())))
        }
        Failure::TransactionCanceled { reasons } => {
            Outcome::Cancelled(reasons.iter().map(|r| (r.index, r.code.clone())).collect())
        }
        Failure::Validation { .. } => Outcome::Failed("ValidationException".into()),
        Failure::Decode(d) => Outcome::Undecodable(d),
        other => panic!("an unexpected failure: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sdk_and_json_backends_send_and_read_the_same() {
    let mut twins = Twins::start().await;
    let mut rng = fastrand::Rng::with_seed(29);
    let mut kinds = std::collections::BTreeMap::<&str, (usize, usize)>::new();
    let mut cursor: Option<String> = None;
    let mut docs: Vec<Doc> = Vec::new();
    for n in 0..CASES {
        let kind = rng.u8(0..12);
        let case = format!("case {n} (kind {kind})");
        let before = twins.requests;
        let refused_before = kinds.values().map(|k| k.1).sum::<usize>();
        match kind {
            0 => {
                let f = film(&mut rng);
                let sdk = sdk_plain(twins.films.put(&f).await, |()| Outcome::Applied);
                let w = WriteSpec::put("Films", &f).build(wire::write);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), wire_write)
                    .await;
            }
            1 => {
                let f = film(&mut rng);
                let absent = Film::expr(cond!(attribute_not_exists(year)));
                let sdk = sdk_outcome(
                    twins
                        .films
                        .put(&f)
                        .when(cond!(attribute_not_exists(year)))
                        .await,
                    |()| Outcome::Applied,
                );
                let w = WriteSpec::put("Films", &f).when(&absent).build(wire::write);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), wire_write)
                    .await;
            }
            2 => {
                let (y, t, one) = (year(&mut rng), hostile(&mut rng), 1u64);
                let tok = token(&mut rng);
                let played = Film::expr(update!(plays += one));
                let sdk = sdk_plain(
                    twins
                        .films
                        .update((y, t.as_str()), update!(plays += one))
                        .once(&tok)
                        .await,
                    |_| Outcome::Applied,
                );
                let w = WriteSpec::update("Films", Key::of::<Film, _>(&(y, t.as_str())), &played)
                    .once(&tok)
                    .build(wire::write);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), wire_write)
                    .await;
            }
            3 => {
                let (y, t) = (year(&mut rng), hostile(&mut rng));
                let (r, below, one) = (rating(&mut rng), rating(&mut rng), 1u64);
                let set = Film::expr(update!(rating = r, plays += one));
                let lower = Film::expr(cond!(rating < below));
                let sdk = sdk_outcome(
                    twins
                        .films
                        .update((y, t.as_str()), update!(rating = r, plays += one))
                        .when(cond!(rating < below))
                        .await,
                    |f| Outcome::Returned(Ok(f)),
                );
                let w = WriteSpec::update("Films", Key::of::<Film, _>(&(y, t.as_str())), &set)
                    .when(&lower)
                    .build(wire::write);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), wire_update)
                    .await;
            }
            4 => {
                let (y, t, note) = (year(&mut rng), hostile(&mut rng), hostile(&mut rng));
                let set = Film::expr(update!(note = note.as_str()));
                let sdk = sdk_plain(
                    twins
                        .films
                        .update((y, t.as_str()), update!(note = note.as_str()))
                        .await,
                    |f| Outcome::Returned(Ok(f)),
                );
                let w = WriteSpec::update("Films", Key::of::<Film, _>(&(y, t.as_str())), &set)
                    .build(wire::write);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), wire_update)
                    .await;
            }
            5 => {
                let (y, t, min) = (year(&mut rng), hostile(&mut rng), rng.u64(0..4));
                let played = Film::expr(cond!(plays >= min));
                let sdk = sdk_outcome(
                    twins
                        .films
                        .delete((y, t.as_str()))
                        .when(cond!(plays >= min))
                        .await,
                    |()| Outcome::Applied,
                );
                let w = WriteSpec::<Film>::delete("Films", Key::of::<Film, _>(&(y, t.as_str())))
                    .when(&played)
                    .build(wire::write);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), wire_write)
                    .await;
            }
            6 => {
                let (y, t) = (year(&mut rng), hostile(&mut rng));
                let sdk = match twins.films.get((y, t.as_str())).await {
                    Ok(f) => Outcome::Read(f.into_iter().collect(), None),
                    Err(e) => sdk_error(e),
                };
                let w = ReadSpec::<Film>::get("Films", Key::of::<Film, _>(&(y, t.as_str())))
                    .build(wire::read);
                twins
                    .compare(&case, sdk, w.map(|w| vec![w]), |a| match a {
                        Ok(a) => match a.item::<Film>() {
                            Ok(item) => Outcome::Read(item.into_iter().collect(), None),
                            Err(f) => wire_failure(f),
                        },
                        Err(f) => wire_failure(f),
                    })
                    .await;
            }
            7 | 8 => {
                let y = year(&mut rng);
                let (a, b) = (hostile(&mut rng), hostile(&mut rng));
                let min = rating(&mut rng);
                let size = rng.u32(0..4);
                let start = cursor.take().filter(|_| rng.bool());
                let key = Film::expr(cond!(year == y && title between a.as_str()..b.as_str()));
                let rated = Film::expr(cond!(rating >= min));
                let shown = Film::expr(project!(year, title, rating, plays, tags));
                // With a projection and a budget of one request, or without a page size, the
                // tables' `page` sends one request as asked (without a projection, and with a
                // size, it asks one item more, to know that a next page exists, and reads on
                // until the page is full: a reading of its own, not a request's).
                let query = twins
                    .films
                    .query(cond!(year == y && title between a.as_str()..b.as_str()))
                    .filter(cond!(rating >= min));
                let page = if kind == 8 {
                    query.consistent_read().page(start.as_deref()).await
                } else {
                    query
                        .project(project!(year, title, rating, plays, tags))
                        .page_size(size)
                        .read_budget(1)
                        .page(start.as_deref())
                        .await
                };
                let sdk = match page {
                    Ok(page) => {
                        cursor = page.next.clone().or(cursor);
                        Outcome::Read(page.items, page.next)
                    }
                    Err(e) => sdk_error(e),
                };
                let w = (|| {
                    let start = start
                        .as_deref()
                        .map(|c| wire::start_of::<Film>("Films", c, None))
                        .transpose()?;
                    let query = ReadSpec::query("Films", &key)
                        .filter(&rated)
                        .after(start.as_ref())?;
                    if kind == 8 {
                        return query.consistent(true).build(wire::read).map(|w| vec![w]);
                    }
                    query
                        .project(&shown)
                        .limit(size)
                        .map_err(|e| match e {
                            // The tables name the option as their users set it.
                            awstin_core::Error::InvalidOption { value, allowed, .. } => {
                                awstin_core::Error::InvalidOption {
                                    option: "page_size",
                                    value,
                                    allowed,
                                }
                            }
                            e => e,
                        })?
                        .build(wire::read)
                        .map(|w| vec![w])
                })();
                twins.compare(&case, sdk, w, wire_page).await;
            }
            9 => {
                let min = rng.u64(0..4);
                let size = rng.u32(1..5);
                let sdk = match twins
                    .films
                    .scan()
                    .filter(cond!(plays >= min))
                    .project(project!(year, title, rating, plays, tags))
                    .page_size(size)
                    .read_budget(1)
                    .page(None)
                    .await
                {
                    Ok(page) => Outcome::Read(page.items, page.next),
                    Err(e) => sdk_error(e),
                };
                let played = Film::expr(cond!(plays >= min));
                let shown = Film::expr(project!(year, title, rating, plays, tags));
                let w = (|| {
                    ReadSpec::<Film>::scan("Films")
                        .filter(&played)
                        .project(&shown)
                        .limit(size)?
                        .build(wire::read)
                        .map(|w| vec![w])
                })();
                twins.compare(&case, sdk, w, wire_page).await;
            }
            10 => {
                let films: Vec<Film> = (0..rng.usize(1..5)).map(|_| film(&mut rng)).collect();
                let sdk = match twins
                    .films
                    .batch_write(films.iter().map(|f| twins.films.put(f)))
                    .await
                {
                    Ok(()) => Outcome::Applied,
                    Err(e) => sdk_error(e),
                };
                let w = (|| {
                    let mut batch = wire::BatchWriteItem::new();
                    for f in &films {
                        batch.add(WriteSpec::put("Films", f))?;
                    }
                    Ok(batch.build())
                })();
                twins
                    .compare(&case, sdk, w, |a| match a {
                        Ok(a) => {
                            assert!(a.unprocessed().expect("an answer").is_none());
                            Outcome::Applied
                        }
                        Err(f) => wire_failure(f),
                    })
                    .await;
            }
            _ => {
                // A transaction of a put, an update under a condition and a versioned put.
                let f = film(&mut rng);
                let (y, t, min) = (year(&mut rng), hostile(&mut rng), rng.u64(0..3));
                let one = 1u64;
                let mut doc = match docs.pop() {
                    Some(d) if rng.bool() => d,
                    _ => Doc {
                        id: hostile(&mut rng),
                        body: hostile(&mut rng),
                        rev: 0,
                    },
                };
                let read = doc.rev;
                let tok = rng.bool().then(|| token(&mut rng));
                let mut sdk = twins
                    .films
                    .db()
                    .transact_write()
                    .write(twins.films.put(&f))
                    .write(
                        twins
                            .films
                            .update((y, t.as_str()), update!(plays += one))
                            .when(cond!(plays >= min)),
                    )
                    .write(twins.docs.put_versioned(&mut doc));
                if let Some(tok) = &tok {
                    sdk = sdk.token(tok);
                }
                let sdk = match sdk.await {
                    Ok(_) => Outcome::Applied,
                    Err(e) => sdk_error(e),
                };
                let plays = Film::expr(update!(plays += one));
                let played = Film::expr(cond!(plays >= min));
                let w = (|| {
                    let mut tx = wire::TransactWriteItems::new();
                    tx.add(WriteSpec::put("Films", &f))?;
                    tx.add(
                        WriteSpec::update("Films", Key::of::<Film, _>(&(y, t.as_str())), &plays)
                            .when(&played),
                    )?;
                    let stored = Doc {
                        rev: read,
                        ..doc.clone()
                    };
                    tx.add(WriteSpec::put("Docs", &stored).locked(Lock {
                        attribute: "rev",
                        read,
                    }))?;
                    if let Some(tok) = &tok {
                        tx = tx.token(tok)?;
                    }
                    tx.build().map(|w| vec![w])
                })();
                if sdk == Outcome::Applied {
                    docs.push(doc.clone());
                }
                twins
                    .compare(&case, sdk, w, |a| match a {
                        Ok(_) => Outcome::Applied,
                        Err(f) => wire_failure(f),
                    })
                    .await;
            }
        }
        let entry = kinds
            .entry(
                [
                    "put",
                    "put when",
                    "update once",
                    "update when",
                    "update",
                    "delete when",
                    "get",
                    "query",
                    "query consistent",
                    "scan",
                    "batch",
                    "transaction",
                ][usize::from(kind)],
            )
            .or_default();
        entry.0 += 1;
        if twins.requests == before {
            entry.1 += 1;
        }
        let _ = refused_before;
    }
    println!(
        "{CASES} operations, {} requests compared ({} transactions with the SDK's own token)",
        twins.requests, twins.sdk_tokens
    );
    for (kind, (count, refused)) in &kinds {
        println!("{kind}: {count} ({refused} refused before sending)");
    }
    println!("outcomes: {:?}", twins.outcomes);
    for kind in [
        "applied",
        "condition false on a stored item",
        "condition false, no item",
        "cancelled",
        "a page and a cursor",
        "a last page",
    ] {
        assert!(
            twins.outcomes.contains_key(kind),
            "no {kind}: {:?}",
            twins.outcomes
        );
    }
    // Every kind ran, some sent and some refused.
    assert_eq!(kinds.len(), 12, "{kinds:?}");
    assert!(
        kinds.values().all(|(count, refused)| count > refused),
        "{kinds:?}"
    );
    assert!(kinds.values().map(|k| k.1).sum::<usize>() > 0);
    assert!(
        twins.requests >= 200,
        "hundreds of requests compared: {}",
        twins.requests
    );
}

/// A write's settlement, as either backend reports it; items as the SDK's.
#[derive(Debug, PartialEq)]
enum Settlement {
    Applied,
    ConditionFalse(Item),
    NoItem,
    /// Not known whether it was applied: the stored item (`None`: none; the outer `None`: not
    /// read).
    Unknown(Option<Option<Item>>),
    Conflict(u64),
}

fn sdk_stored(s: &Stored) -> Option<Option<Item>> {
    match s {
        Stored::NotRead => None,
        Stored::Absent => Some(None),
        Stored::Item(item) => Some(Some(item.clone())),
    }
}

fn sdk_settlement<T>(result: Result<Written<T>, Error>) -> Settlement {
    match result {
        Ok(Written::Applied(_)) => Settlement::Applied,
        Ok(Written::ConditionFalse(c)) => Settlement::ConditionFalse(c.stored().clone()),
        Ok(Written::NoItem) => Settlement::NoItem,
        Err(Error::OutcomeUnknown { stored, .. }) => Settlement::Unknown(sdk_stored(&stored)),
        Err(Error::Conflict(c)) => Settlement::Conflict(c.expected),
        Err(other) => panic!("an unexpected failure: {other:?}"),
    }
}

fn as_item(v: &ValueBuf) -> Item {
    awstin::dynamodb::to_item(v).expect("a map")
}

/// The JSON backend's reading of the answer to a write sent again after its first answer was
/// lost: [`Answer::reply`], settled by the core's one settlement with what the host knows of
/// its attempts.
fn wire_settlement(
    answer: Result<Answer, Failure>,
    sent: op::Sent<'_, ValueBuf>,
    lock: Option<Lock>,
    exact: bool,
) -> Settlement {
    let reply = Answer::reply(answer).expect("a write's reply");
    let attempts = op::Attempts {
        earlier_unanswered: true,
        any_unanswered: true,
        exact,
    };
    let stored = |s: op::Stored<ValueBuf>| match s {
        op::Stored::NotRead => None,
        op::Stored::Absent => Some(None),
        op::Stored::Item(i) => Some(Some(as_item(&i))),
    };
    match op::settle(reply, sent, lock, attempts, &op::Values) {
        Ok(op::Settled::Applied(_)) => Settlement::Applied,
        Ok(op::Settled::ConditionFalse(i)) => Settlement::ConditionFalse(as_item(&i)),
        Ok(op::Settled::NoItem) => Settlement::NoItem,
        Err(op::Unsettled::Unknown(s)) => Settlement::Unknown(stored(s)),
        Err(op::Unsettled::Conflict { expected, .. }) => Settlement::Conflict(expected),
        Err(other) => panic!("an unexpected settlement: {other:?}"),
    }
}

/// Lost answers are read the same by both backends. Each generated write is applied and its
/// answer lost: through the SDK backend by the testing proxy (a server error after DynamoDB
/// applied it; the client sends it again), through the JSON backend by sending the same
/// request twice to its twin and reading only the second answer. Both settle the second
/// answer by the core's one settlement, knowing an earlier attempt went unanswered: the same
/// settlement (unknown with the same stored item, applied, conflict) for every write.
#[tokio::test(flavor = "multi_thread")]
async fn lost_answers_are_settled_the_same_by_both_backends() {
    let (sdk_local, wire_local) = (local().await, local().await);
    let proxy = FaultProxy::start(
        sdk_local.endpoint(),
        FaultPlan::none().check_signatures(SECRET),
    )
    .await;
    let verifying = FaultProxy::start(
        wire_local.endpoint(),
        FaultPlan::none().check_signatures(SECRET),
    )
    .await;
    let db = proxy.client();
    let (films, docs) = (db.table::<Film>(), db.table::<Doc>());
    let twice = |w: Wire| {
        let endpoint = verifying.endpoint().to_owned();
        async move {
            let _lost = send(&endpoint, &w).await;
            send(&endpoint, &w).await
        }
    };
    let mut rng = fastrand::Rng::with_seed(2929);
    let mut tally = std::collections::BTreeMap::<String, usize>::new();
    const LOST: usize = 60;
    // The guide (edge chapter) says "60 generated writes".
    const _: () = assert!(LOST == 60);
    for n in 0..LOST {
        let kind = rng.u8(0..6);
        let case = format!("lost case {n} (kind {kind})");
        let mut f = film(&mut rng);
        // Writes DynamoDB takes: the refusals are the other test's.
        f.title = format!("lost {n}");
        f.rating = f64::from(rng.u8(..)) / 4.0;
        f.year = rng.u32(1900..2100);
        let key = (f.year, f.title.clone());
        let (sdk, wire) = match kind {
            0 => {
                proxy.inject("PutItem", Fault::ServerErrorAfter);
                let sdk = match films.put(&f).await {
                    Ok(()) => Settlement::Applied,
                    Err(e) => sdk_settlement::<()>(Err(e)),
                };
                let w = WriteSpec::put("Films", &f)
                    .build(wire::write)
                    .expect("a put");
                (
                    sdk,
                    wire_settlement(twice(w).await, op::Sent::Put(None), None, false),
                )
            }
            1 => {
                proxy.inject("PutItem", Fault::ServerErrorAfter);
                let absent = Film::expr(cond!(attribute_not_exists(year)));
                let sdk =
                    sdk_settlement(films.put(&f).when(cond!(attribute_not_exists(year))).await);
                let w = WriteSpec::put("Films", &f)
                    .when(&absent)
                    .build(wire::write)
                    .expect("a put");
                let ours = ValueBuf::from_encode(&f).expect("an item");
                (
                    sdk,
                    wire_settlement(twice(w).await, op::Sent::Put(Some(&ours)), None, false),
                )
            }
            2 | 3 => {
                // Stored first on both, then deleted (unconditionally, or on a condition true
                // before the delete), the answer lost.
                films.put(&f).await.expect("stored");
                let w = WriteSpec::put("Films", &f)
                    .build(wire::write)
                    .expect("a put");
                send(verifying.endpoint(), &w).await.expect("stored");
                proxy.inject("DeleteItem", Fault::ServerErrorAfter);
                let pair = (key.0, key.1.as_str());
                let k = Key::of::<Film, _>(&pair);
                if kind == 2 {
                    let sdk = sdk_settlement(films.delete((key.0, key.1.as_str())).await);
                    let w = WriteSpec::<Film>::delete("Films", k)
                        .build(wire::write)
                        .expect("a delete");
                    (
                        sdk,
                        wire_settlement(twice(w).await, op::Sent::Delete, None, false),
                    )
                } else {
                    let min = 0u64;
                    let played = Film::expr(cond!(plays >= min));
                    let sdk = sdk_settlement(
                        films
                            .delete((key.0, key.1.as_str()))
                            .when(cond!(plays >= min))
                            .await,
                    );
                    let w = WriteSpec::<Film>::delete("Films", k)
                        .when(&played)
                        .build(wire::write)
                        .expect("a delete");
                    (
                        sdk,
                        wire_settlement(twice(w).await, op::Sent::Delete, None, false),
                    )
                }
            }
            4 => {
                // Sent once, with a token: DynamoDB answers the repeat exactly.
                // A token of its own: DynamoDB refuses a token reused for another request.
                let tok = format!("lost-{n}-{}", rng.u32(..));
                let tally = Tally {
                    id: format!("lost {n}"),
                    n: 0,
                };
                db.table::<Tally>().put(&tally).await.expect("stored");
                let w = WriteSpec::put("Tallies", &tally)
                    .build(wire::write)
                    .expect("a put");
                send(verifying.endpoint(), &w).await.expect("stored");
                proxy.inject("TransactWriteItems", Fault::ServerErrorAfter);
                let one = 1u64;
                let counted = Tally::expr(update!(n += one));
                let sdk = match db
                    .table::<Tally>()
                    .update(tally.id.as_str(), update!(n += one))
                    .once(&tok)
                    .await
                {
                    Ok(_) => Settlement::Applied,
                    Err(e) => sdk_settlement::<()>(Err(e)),
                };
                let id = tally.id.as_str();
                let w = WriteSpec::update("Tallies", Key::of::<Tally, _>(&id), &counted)
                    .once(&tok)
                    .build(wire::write)
                    .expect("an update");
                (
                    sdk,
                    wire_settlement(twice(w).await, op::Sent::Update, None, true),
                )
            }
            _ => {
                // A versioned put of a new document: the retry meets the document it wrote.
                let mut doc = Doc {
                    id: format!("lost {n}"),
                    body: hostile(&mut rng),
                    rev: 0,
                };
                let fresh = doc.clone();
                proxy.inject("PutItem", Fault::ServerErrorAfter);
                let sdk = match docs.put_versioned(&mut doc).await {
                    Ok(()) => Settlement::Applied,
                    Err(e) => sdk_settlement::<()>(Err(e)),
                };
                let lock = Lock {
                    attribute: "rev",
                    read: 0,
                };
                let spec = || WriteSpec::put("Docs", &fresh).locked(lock);
                let ours = spec()
                    .build(|w| ValueBuf::from_encode(&w.item().expect("a put's item")))
                    .expect("an item");
                let w = spec().build(wire::write).expect("a put");
                (
                    sdk,
                    wire_settlement(
                        twice(w).await,
                        op::Sent::Put(Some(&ours)),
                        Some(lock),
                        false,
                    ),
                )
            }
        };
        assert_eq!(sdk, wire, "{case}: the same settlement of a lost answer");
        let name = match &sdk {
            Settlement::Applied => "applied",
            Settlement::ConditionFalse(_) => "condition false",
            Settlement::NoItem => "no item",
            Settlement::Unknown(Some(Some(_))) => "unknown, with the stored item",
            Settlement::Unknown(_) => "unknown, no item",
            Settlement::Conflict(_) => "conflict",
        };
        *tally.entry(name.to_owned()).or_default() += 1;
    }
    let fired = proxy.report().total();
    println!("lost answers: {LOST} writes, {fired} faults fired; settlements {tally:?}");
    assert_eq!(fired as usize, LOST, "every write's first answer was lost");
    for kind in [
        "applied",
        "unknown, with the stored item",
        "unknown, no item",
    ] {
        assert!(
            tally.contains_key(kind),
            "a lost answer settled as {kind}: {tally:?}"
        );
    }
}

/// Unprocessed items are read the same by both backends. Batches of writes and of reads go
/// through the SDK backend and the JSON backend, each proxy holding back part of the first
/// request as DynamoDB does under load (`UnprocessedItems`, `UnprocessedKeys`; the proxies
/// split a body the same way, by its content). The tables send what was left again; the JSON
/// backend reads it from the answer (`Answer::unprocessed`): the request sent again is the same
/// body in both, and both end with the same items written or read.
#[tokio::test(flavor = "multi_thread")]
async fn unprocessed_items_are_read_the_same_by_both_backends() {
    let twins = Twins::start().await;
    let (recording, held, films) = (&twins.recording, &twins.verifying, &twins.films);
    let mut rng = fastrand::Rng::with_seed(3030);
    const BATCHES: usize = 30;
    // The guide (edge chapter) says "30 batches".
    const _: () = assert!(BATCHES == 30);
    let (mut resent, mut items_compared) = (0, 0);
    for n in 0..BATCHES {
        let case = format!("batch {n}");
        let batch: Vec<Film> = (0..rng.usize(2..=25))
            .map(|i| {
                let mut f = film(&mut rng);
                f.title = format!("batch {n} film {i}");
                f.rating = f64::from(rng.u8(..));
                f
            })
            .collect();
        let get = n % 2 == 1;
        let operation = if get {
            "BatchGetItem"
        } else {
            "BatchWriteItem"
        };
        if get {
            // Stored first in both, unhindered.
            films
                .batch_write(batch.iter().map(|f| films.put(f)))
                .await
                .expect("stored");
            let mut w = wire::BatchWriteItem::new();
            for f in &batch {
                w.add(WriteSpec::put("Films", f)).expect("a put");
            }
            for request in w.build() {
                let answer = send(held.endpoint(), &request).await.expect("stored");
                assert!(answer.unprocessed().expect("an answer").is_none());
            }
            recording.take_recorded();
        }
        recording.inject(operation, Fault::PartialUnprocessed);
        held.inject(operation, Fault::PartialUnprocessed);
        let keys: Vec<(u32, &str)> = batch.iter().map(|f| (f.year, f.title.as_str())).collect();
        let mut sdk_read: Vec<Film> = if get {
            films.batch_get(keys.iter().copied()).await.expect("read")
        } else {
            films
                .batch_write(batch.iter().map(|f| films.put(f)))
                .await
                .expect("written");
            Vec::new()
        };
        let sent = recording.take_recorded();
        // The JSON backend: its one request, then what each answer leaves, until nothing.
        let mut requests = if get {
            let mut b = wire::BatchGetItem::new();
            for k in &keys {
                b.get("Films", Key::of::<Film, _>(k)).expect("a key");
            }
            b.build()
        } else {
            let mut b = wire::BatchWriteItem::new();
            for f in &batch {
                b.add(WriteSpec::put("Films", f)).expect("a put");
            }
            b.build()
        };
        assert_eq!(requests.len(), 1, "{case}: one request");
        let mut wire_read: Vec<Film> = Vec::new();
        let mut bodies = Vec::new();
        while let Some(request) = requests.pop() {
            bodies.push(request.body.clone());
            let answer = send(held.endpoint(), &request).await.expect("an answer");
            wire_read.extend(answer.responses::<Film>("Films").expect("films"));
            if let Some(again) = answer.unprocessed().expect("an answer") {
                requests.push(again);
            }
        }
        assert!(bodies.len() >= 2, "{case}: part of the batch was held back");
        assert_eq!(
            sent.len(),
            bodies.len(),
            "{case}: the tables sent again as often as the answers asked"
        );
        for (i, (sdk, wire)) in sent.iter().zip(&bodies).enumerate() {
            assert_eq!(sdk.operation, operation, "{case}");
            let sdk: Value = serde_json::from_slice(&sdk.body).expect("JSON");
            let wire: Value = serde_json::from_str(wire).expect("JSON");
            assert_eq!(sdk, wire, "{case}: request {i} the same");
        }
        resent += bodies.len() - 1;
        if get {
            let order = |v: &mut Vec<Film>| v.sort_by(|a, b| a.title.cmp(&b.title));
            order(&mut sdk_read);
            order(&mut wire_read);
            assert_eq!(sdk_read.len(), batch.len(), "{case}: every item read");
            assert_eq!(sdk_read, wire_read, "{case}: the same items read");
            items_compared += sdk_read.len();
        }
    }
    // What each backend wrote: the same items.
    let scan = |db: awstin::dynamodb::DynamoDb| async move {
        use futures::TryStreamExt as _;
        let mut all: Vec<Film> = db
            .table::<Film>()
            .scan()
            .stream()
            .try_collect()
            .await
            .expect("a scan");
        all.sort_by(|a, b| (a.year, &a.title).cmp(&(b.year, &b.title)));
        all
    };
    let (sdk_all, wire_all) = (scan(recording.client()).await, scan(held.client()).await);
    recording.take_recorded();
    assert_eq!(sdk_all, wire_all, "both tables hold the same items");
    println!(
        "unprocessed: {BATCHES} batches, {resent} requests sent again alike, {items_compared} items read alike, {} items stored alike",
        sdk_all.len()
    );
    assert!(resent >= BATCHES, "every batch had part held back");
}

/// A model of a shared table (an `entity` line) reads its own type in both backends alike:
/// the same filter on the type joined to the read's own, the same projection holding the type,
/// and the same reading of the answer, for queries of stored, missing and hostile keys.
#[tokio::test(flavor = "multi_thread")]
async fn entity_reads_are_filtered_the_same_by_both_backends() {
    let mut twins = Twins::start().await;
    let mut rng = fastrand::Rng::with_seed(3232);
    let mut stored = Vec::new();
    for n in 0..6 {
        let mut doc = Doc {
            id: format!("doc {n}"),
            body: hostile(&mut rng),
            rev: 0,
        };
        twins.docs.put_versioned(&mut doc).await.expect("stored");
        let w = WriteSpec::put(
            "Docs",
            &Doc {
                rev: 0,
                ..doc.clone()
            },
        )
        .locked(Lock {
            attribute: "rev",
            read: 0,
        })
        .build(wire::write)
        .expect("a put");
        send(twins.verifying.endpoint(), &w).await.expect("stored");
        stored.push(doc.id.clone());
    }
    twins.recording.take_recorded();
    let read = |a: Result<Answer, Failure>| match a {
        Ok(a) => match a.items::<Doc>() {
            Ok(docs) => Outcome::Read(
                docs.into_iter()
                    .map(|d| Film {
                        year: 0,
                        title: d.id,
                        rating: 0.0,
                        plays: d.rev,
                        tags: vec![d.body],
                        note: None,
                    })
                    .collect(),
                None,
            ),
            Err(f) => wire_failure(f),
        },
        Err(f) => wire_failure(f),
    };
    let as_films = |docs: Vec<Doc>| {
        Outcome::Read(
            docs.into_iter()
                .map(|d| Film {
                    year: 0,
                    title: d.id,
                    rating: 0.0,
                    plays: d.rev,
                    tags: vec![d.body],
                    note: None,
                })
                .collect(),
            None,
        )
    };
    let mut keys: Vec<String> = stored.clone();
    keys.extend((0..10).map(|_| hostile(&mut rng)));
    for (n, id) in keys.iter().enumerate() {
        let case = format!("entity case {n}");
        let projected = n % 2 == 1;
        let sdk = {
            let query = twins.docs.query(cond!(id == id.as_str()));
            let result: Result<Vec<Doc>, Error> = if projected {
                futures::TryStreamExt::try_collect(query.project(project!(id, body, rev)).stream())
                    .await
            } else {
                futures::TryStreamExt::try_collect(query.stream()).await
            };
            match result {
                Ok(docs) => as_films(docs),
                Err(e) => sdk_error(e),
            }
        };
        let key = Doc::expr(cond!(id == id.as_str()));
        let shown = Doc::expr(project!(id, body, rev));
        let w = if projected {
            ReadSpec::query("Docs", &key)
                .project(&shown)
                .build(wire::read)
        } else {
            ReadSpec::query("Docs", &key).build(wire::read)
        };
        twins.compare(&case, sdk, w.map(|w| vec![w]), read).await;
    }
    assert!(
        twins.requests >= stored.len(),
        "the stored documents' queries were compared"
    );
    let body = twins.recording.take_recorded();
    assert!(body.is_empty(), "every request was compared");
}
