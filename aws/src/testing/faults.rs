//! A fault-injecting proxy for DynamoDB: point a client at it, and it forwards each request
//! to the DynamoDB behind it, except those it was told to fail.
//!
//! It binds 127.0.0.1 and speaks HTTP/1.1 both ways. A fault is injected into the next request
//! of a chosen operation ([`FaultProxy::inject`]), or at a seeded rate ([`FaultPlan`]), by kind
//! ([`Fault`]): throttling, server errors and connection resets before DynamoDB saw the
//! request or after it applied it, slow answers, and batches left partly unprocessed. Which
//! requests a seed hits depends only on the seed, the operation, the request's content (its
//! JSON, keys sorted) and how often that content came before, never on timing, so a seed
//! replays the same faults.
//!
//! A fault test that injects nothing proves nothing: when the last handle of the proxy is
//! dropped, it panics (failing the test) if a fault it was told to inject never fired, a plan
//! of random faults fired none, or, with [`FaultPlan::check_signatures`], no signature was
//! checked.
//! [`FaultProxy::report`] says what fired, per operation.
//!
//! Testing your own retry loop, say a conditional put retried on throttling:
//!
//! ```no_run
//! use awstin::testing::faults::{Fault, FaultPlan, FaultProxy};
//! use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
//! awstin::dynamo_model! { #[derive(Debug, Clone, PartialEq)] pub struct Todo { table "Todos"; key id: String; attr done: bool } }
//!
//! /// The code under test: a put, sent again (up to 3 times) while throttled.
//! async fn save(todos: &awstin::dynamodb::Table<Todo>, todo: &Todo) -> Result<(), awstin::dynamodb::Error> {
//!     let mut attempt = 0;
//!     loop {
//!         match todos.put(todo).await {
//!             Err(e) if e.is_retryable() && attempt < 3 => attempt += 1,
//!             other => return other,
//!         }
//!     }
//! }
//!
//! # async fn f() -> Result<(), awstin::dynamodb::Error> {
//! let local = LocalDynamoDb::start().await?;
//! create_table(local.db(), &TableSpec::of::<Todo>()?).await?;
//! let proxy = FaultProxy::start(local.endpoint(), FaultPlan::none()).await;
//! // One attempt of the SDK's own, then throttled 4 times: the SDK's 3 retries are spent,
//! // and the loop's first retry gets through.
//! for _ in 0..4 {
//!     proxy.inject("PutItem", Fault::Throttling);
//! }
//! let todos = proxy.client().table::<Todo>();
//! save(&todos, &Todo { id: "a".into(), done: false }).await?;
//! assert_eq!(proxy.report().fired("PutItem", Fault::Throttling), 4);
//! # Ok(()) }
//! ```

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What can go wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// HTTP 500 `InternalServerError`, without forwarding the request.
    ServerError,
    /// HTTP 500 `InternalServerError` after DynamoDB applied the request.
    ServerErrorAfter,
    /// HTTP 400 `ThrottlingException`, without forwarding.
    Throttling,
    /// HTTP 400 `ProvisionedThroughputExceededException`, without forwarding.
    ProvisionedThroughputExceeded,
    /// The connection is reset before the request is forwarded.
    ResetBefore,
    /// The request is forwarded, DynamoDB's answer read, then the connection is reset.
    ResetAfter,
    /// DynamoDB's answer is held back for [`FaultPlan::slow`] before it is passed on.
    Slow,
    /// A batch request is forwarded with only part of its items, and the rest are added to
    /// the answer's `UnprocessedItems` or `UnprocessedKeys` (batches only).
    PartialUnprocessed,
}

impl Fault {
    /// Every fault kind.
    pub const ALL: [Fault; 8] = [
        Fault::ServerError,
        Fault::ServerErrorAfter,
        Fault::Throttling,
        Fault::ProvisionedThroughputExceeded,
        Fault::ResetBefore,
        Fault::ResetAfter,
        Fault::Slow,
        Fault::PartialUnprocessed,
    ];

    /// Whether the fault can be injected into a request of `operation`.
    ///
    /// ```
    /// use awstin::testing::faults::Fault;
    /// assert!(Fault::PartialUnprocessed.applies_to("BatchWriteItem"));
    /// assert!(!Fault::PartialUnprocessed.applies_to("PutItem"));
    /// ```
    pub fn applies_to(self, operation: &str) -> bool {
        self != Fault::PartialUnprocessed || matches!(operation, "BatchWriteItem" | "BatchGetItem")
    }
}

/// Which faults the proxy injects at random, into which operations, how often; and whether it
/// checks signatures.
///
/// ```
/// use awstin::testing::faults::{Fault, FaultPlan};
/// let plan = FaultPlan::every_kind(7, 0.2).only(&["BatchWriteItem"]);
/// assert_eq!(plan.faults.len(), Fault::ALL.len());
/// ```
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// Chooses the faults; the same seed replays the same faults.
    pub seed: u64,
    /// The share of requests that meet a fault, 0.0 to 1.0.
    pub rate: f64,
    /// The kinds drawn from, uniformly among those that apply to the operation. Unless some
    /// fault of the plan fires, the test fails.
    pub faults: Vec<Fault>,
    /// The operations faults are drawn for (`PutItem`, `BatchWriteItem`, ...); empty: all.
    pub operations: Vec<String>,
    /// How long a [`Fault::Slow`] answer is held back.
    pub slow: Duration,
    /// The secret access key every request must be signed with, checked with the AWS SDK's
    /// own signer (`aws-sigv4`); `None`: signatures are not checked.
    pub signing_secret: Option<String>,
    /// Keeps every request's operation and body as received, for
    /// [`FaultProxy::take_recorded`]; a test through the proxy then fails unless some request
    /// was recorded.
    pub record: bool,
}

impl FaultPlan {
    /// No random faults: only those [`FaultProxy::inject`] names.
    ///
    /// ```
    /// assert_eq!(awstin::testing::faults::FaultPlan::none().rate, 0.0);
    /// ```
    pub fn none() -> FaultPlan {
        FaultPlan {
            seed: 0,
            rate: 0.0,
            faults: Vec::new(),
            operations: Vec::new(),
            slow: Duration::from_millis(20),
            signing_secret: None,
            record: false,
        }
    }

    /// Every kind of fault in `rate` of the requests.
    ///
    /// ```
    /// assert_eq!(awstin::testing::faults::FaultPlan::every_kind(1, 0.5).faults.len(), 8);
    /// ```
    pub fn every_kind(seed: u64, rate: f64) -> FaultPlan {
        FaultPlan::of(seed, rate, &Fault::ALL)
    }

    /// The kinds `faults` in `rate` of the requests.
    ///
    /// ```
    /// use awstin::testing::faults::{Fault, FaultPlan};
    /// let plan = FaultPlan::of(3, 0.3, &[Fault::ResetAfter, Fault::ServerErrorAfter]);
    /// assert_eq!(plan.faults, [Fault::ResetAfter, Fault::ServerErrorAfter]);
    /// ```
    pub fn of(seed: u64, rate: f64, faults: &[Fault]) -> FaultPlan {
        FaultPlan {
            seed,
            rate,
            faults: faults.to_vec(),
            ..FaultPlan::none()
        }
    }

    /// The same plan, drawing faults for requests of `operations` only.
    ///
    /// ```
    /// let plan = awstin::testing::faults::FaultPlan::every_kind(1, 0.5).only(&["PutItem"]);
    /// assert_eq!(plan.operations, ["PutItem"]);
    /// ```
    #[must_use]
    pub fn only(mut self, operations: &[&str]) -> FaultPlan {
        self.operations = operations.iter().map(|o| (*o).to_owned()).collect();
        self
    }

    /// The same plan, checking that every request is signed (AWS Signature Version 4) with
    /// `secret`, by the AWS SDK's own signer: a request whose signature does not match is
    /// answered as DynamoDB answers it (HTTP 403, `InvalidSignatureException`), and a test
    /// through the proxy fails unless some signature was checked.
    ///
    /// ```
    /// let plan = awstin::testing::faults::FaultPlan::none().check_signatures("secret");
    /// assert!(plan.signing_secret.is_some());
    /// ```
    #[must_use]
    pub fn check_signatures(mut self, secret: &str) -> FaultPlan {
        self.signing_secret = Some(secret.to_owned());
        self
    }

    /// The same plan, keeping every request as it arrived (its operation and body, as the
    /// client sent them) for [`FaultProxy::take_recorded`].
    ///
    /// ```
    /// assert!(awstin::testing::faults::FaultPlan::none().recording().record);
    /// ```
    #[must_use]
    pub fn recording(mut self) -> FaultPlan {
        self.record = true;
        self
    }
}

/// A request as the proxy received it (see [`FaultPlan::recording`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The operation its `x-amz-target` names, e.g. `PutItem`.
    pub operation: String,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

/// What the proxy did, per operation: requests received, faults fired by kind, signatures
/// checked and refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FaultReport {
    /// Requests received, by operation.
    pub requests: BTreeMap<String, u64>,
    /// Faults fired, by operation and kind.
    pub fired: BTreeMap<(String, Fault), u64>,
    /// Signatures checked and found right.
    pub signatures_verified: u64,
    /// Requests refused for their signature.
    pub signatures_refused: u64,
    /// Faults told to [`inject`](FaultProxy::inject) that have not fired yet.
    pub unfired: Vec<(String, Fault)>,
}

impl FaultReport {
    /// Faults of `kind` fired into requests of `operation`.
    ///
    /// ```
    /// use awstin::testing::faults::{Fault, FaultReport};
    /// assert_eq!(FaultReport::default().fired("PutItem", Fault::ResetAfter), 0);
    /// ```
    pub fn fired(&self, operation: &str, kind: Fault) -> u64 {
        self.fired
            .get(&(operation.to_owned(), kind))
            .copied()
            .unwrap_or(0)
    }

    /// Faults fired, by kind, over every operation.
    ///
    /// ```
    /// assert!(awstin::testing::faults::FaultReport::default().by_kind().is_empty());
    /// ```
    pub fn by_kind(&self) -> BTreeMap<Fault, u64> {
        let mut by_kind = BTreeMap::new();
        for ((_, fault), n) in &self.fired {
            *by_kind.entry(*fault).or_default() += n;
        }
        by_kind
    }

    /// Faults fired into requests of `operation`, by kind.
    ///
    /// ```
    /// assert!(awstin::testing::faults::FaultReport::default().of("BatchWriteItem").is_empty());
    /// ```
    pub fn of(&self, operation: &str) -> BTreeMap<Fault, u64> {
        self.fired
            .iter()
            .filter(|((op, _), _)| op == operation)
            .map(|((_, fault), n)| (*fault, *n))
            .collect()
    }

    /// Every fault fired.
    ///
    /// ```
    /// assert_eq!(awstin::testing::faults::FaultReport::default().total(), 0);
    /// ```
    pub fn total(&self) -> u64 {
        self.fired.values().sum()
    }
}

impl fmt::Display for FaultReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (operation, n) in &self.requests {
            write!(f, "{operation}: {n} requests")?;
            for (fault, k) in self.of(operation) {
                write!(f, ", {fault:?} {k}")?;
            }
            writeln!(f)?;
        }
        if self.signatures_verified + self.signatures_refused > 0 {
            writeln!(
                f,
                "signatures: {} verified, {} refused",
                self.signatures_verified, self.signatures_refused
            )?;
        }
        Ok(())
    }
}

#[derive(Debug)]
struct State {
    plan: FaultPlan,
    upstream: String,
    seen: HashMap<u64, u32>,
    scripted: VecDeque<(String, Fault)>,
    report: FaultReport,
    in_flight: usize,
    peak_in_flight: usize,
    recorded: Vec<Recorded>,
    recorded_total: u64,
}

/// A running proxy (see the [module](self) documentation). Its handles share one proxy; when
/// the last is dropped, it checks that every fault it was told to inject fired.
#[derive(Debug, Clone)]
pub struct FaultProxy {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    endpoint: String,
    state: Arc<Mutex<State>>,
    strict: Mutex<bool>,
}

impl FaultProxy {
    /// Starts a proxy on 127.0.0.1 in front of the DynamoDB at `upstream`
    /// (`http://127.0.0.1:PORT`). It serves until the runtime it was started on stops.
    ///
    /// ```no_run
    /// # async fn f(upstream: &str) {
    /// use awstin::testing::faults::{FaultPlan, FaultProxy};
    /// let proxy = FaultProxy::start(upstream, FaultPlan::every_kind(7, 0.2)).await;
    /// let db = proxy.client();
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// When 127.0.0.1 has no free port to bind: a test cannot run.
    pub async fn start(upstream: &str, plan: FaultPlan) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on 127.0.0.1 for the fault proxy");
        let endpoint = format!(
            "http://{}",
            listener
                .local_addr()
                .expect("the fault proxy's local address")
        );
        let state = Arc::new(Mutex::new(State {
            plan,
            upstream: upstream.trim_start_matches("http://").to_owned(),
            seen: HashMap::new(),
            scripted: VecDeque::new(),
            report: FaultReport::default(),
            in_flight: 0,
            peak_in_flight: 0,
            recorded: Vec::new(),
            recorded_total: 0,
        }));
        let served = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, served.clone()));
            }
        });
        FaultProxy {
            shared: Arc::new(Shared {
                endpoint,
                state,
                strict: Mutex::new(true),
            }),
        }
    }

    /// The proxy's address, for a client's endpoint.
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) { assert!(proxy.endpoint().starts_with("http://127.0.0.1:")); }
    /// ```
    pub fn endpoint(&self) -> &str {
        &self.shared.endpoint
    }

    /// A client of the proxy for tests under faults: static test credentials (access key
    /// `test`, secret `test`), region `us-east-1`, quick backoff (1 to 20 ms), and a retry
    /// quota of its own that never runs out. (The SDK's default quota is shared by every
    /// client of the process: faults in one test would leave another without retries.)
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) { let db = proxy.client(); }
    /// ```
    pub fn client(&self) -> crate::dynamodb::DynamoDb {
        self.client_with(crate::dynamodb::ClientOptions {
            connect_timeout: Duration::from_secs(2),
            attempt_timeout: Duration::from_secs(2),
            operation_timeout: Duration::from_secs(20),
            max_retries: 3,
        })
    }

    /// [`client`](FaultProxy::client) with the time bounds and retries of `options`.
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) {
    /// let db = proxy.client_with(awstin::dynamodb::ClientOptions { max_retries: 0, ..Default::default() });
    /// # }
    /// ```
    pub fn client_with(
        &self,
        options: crate::dynamodb::ClientOptions,
    ) -> crate::dynamodb::DynamoDb {
        super::test_client(self.endpoint(), options)
    }

    /// The next request of `operation` (e.g. `PutItem`) meets `fault`, before any random one.
    /// Unless it fires, the test fails when the proxy is dropped.
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) {
    /// proxy.inject("TransactWriteItems", awstin::testing::faults::Fault::ResetAfter);
    /// # }
    /// ```
    pub fn inject(&self, operation: &str, fault: Fault) {
        self.lock()
            .scripted
            .push_back((operation.to_owned(), fault));
    }

    /// What the proxy did so far.
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) { println!("{}", proxy.report()); }
    /// ```
    pub fn report(&self) -> FaultReport {
        let state = self.lock();
        let mut report = state.report.clone();
        report.unfired = state.scripted.iter().cloned().collect();
        report
    }

    /// The requests received since the last call, in the order they arrived (with
    /// [`FaultPlan::recording`]; none without).
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) {
    /// for request in proxy.take_recorded() {
    ///     println!("{}: {}", request.operation, String::from_utf8_lossy(&request.body));
    /// }
    /// # }
    /// ```
    pub fn take_recorded(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.lock().recorded)
    }

    /// The most requests that were being answered at one time.
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) { assert!(proxy.peak_in_flight() <= 4); }
    /// ```
    pub fn peak_in_flight(&self) -> usize {
        self.lock().peak_in_flight
    }

    /// Drops the checks made when the proxy is dropped: for a test that means some faults
    /// not to fire (a proxy shared by cases of which only some meet faults).
    ///
    /// ```no_run
    /// # fn f(proxy: awstin::testing::faults::FaultProxy) { let proxy = proxy.allow_unfired(); }
    /// ```
    #[must_use]
    pub fn allow_unfired(self) -> FaultProxy {
        *self
            .shared
            .strict
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = false;
        self
    }

    /// What was promised and did not happen: faults told to fire that did not, a plan of
    /// random faults that fired none, signatures never checked. Empty when the proxy did what
    /// it was told.
    ///
    /// ```no_run
    /// # fn f(proxy: &awstin::testing::faults::FaultProxy) { assert!(proxy.unfired().is_empty()); }
    /// ```
    pub fn unfired(&self) -> Vec<String> {
        unfired(&self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.shared.state)
    }
}

/// What was promised and did not happen (see [`FaultProxy::unfired`]).
fn unfired(state: &State) -> Vec<String> {
    let mut missing: Vec<String> = state
        .scripted
        .iter()
        .map(|(op, fault)| format!("{fault:?} into the next {op} (injected, never fired)"))
        .collect();
    let scripted_fired: u64 = state.report.fired.values().sum();
    if state.plan.rate > 0.0 && !state.plan.faults.is_empty() && scripted_fired == 0 {
        missing.push(format!(
            "no fault of the plan fired (rate {}, kinds {:?})",
            state.plan.rate, state.plan.faults
        ));
    }
    if state.plan.signing_secret.is_some() && state.report.signatures_verified == 0 {
        missing.push("no request's signature was checked".to_owned());
    }
    if state.plan.record && state.recorded_total == 0 {
        missing.push("no request was recorded".to_owned());
    }
    missing
}

impl Drop for Shared {
    fn drop(&mut self) {
        let strict = *self.strict.lock().unwrap_or_else(PoisonError::into_inner);
        if !strict || std::thread::panicking() {
            return;
        }
        let state = lock(&self.state);
        let missing = unfired(&state);
        if !missing.is_empty() {
            let report = state.report.clone();
            drop(state);
            panic!(
                "the fault proxy did not do what the test told it: {}\n{report}",
                missing.join("; "),
            );
        }
    }
}

/// Serves one client connection until it closes or a reset ends it.
async fn serve(mut client: TcpStream, state: Arc<Mutex<State>>) {
    let upstream_addr = lock(&state).upstream.clone();
    let mut upstream: Option<(TcpStream, Vec<u8>)> = None;
    let mut buf = Vec::new();
    while let Some((head, body)) = read_message(&mut client, &mut buf).await {
        let operation = header(&head, "x-amz-target")
            .map(|t| t.rsplit('.').next().unwrap_or("").to_owned())
            .unwrap_or_default();
        if let Some(refusal) = check_signature(&state, &head, &body) {
            lock(&state).report.signatures_refused += 1;
            let answer = error_answer("403 Forbidden", "InvalidSignatureException", &refusal);
            if client.write_all(&answer).await.is_err() {
                return;
            }
            continue;
        }
        let (fault, slow) = choose(&state, &operation, &body);
        let answer = match fault {
            Some(Fault::ResetBefore) => return reset(client, &state),
            Some(Fault::ServerError) => server_error(),
            Some(Fault::Throttling) => error_answer(
                "400 Bad Request",
                "ThrottlingException",
                "Rate of requests exceeds the allowed throughput.",
            ),
            Some(Fault::ProvisionedThroughputExceeded) => error_answer(
                "400 Bad Request",
                "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded.",
            ),
            Some(Fault::PartialUnprocessed) => {
                let seed = content_hash(0, &operation, &body);
                match split_batch(&operation, &body, seed) {
                    Some((forwarded, held)) => {
                        let answer = match forwarded {
                            Some(forwarded) => {
                                let head = with_length(&head, forwarded.len());
                                match forward(&mut upstream, &upstream_addr, &head, &forwarded)
                                    .await
                                {
                                    Some(answer) => answer,
                                    None => return reset(client, &state),
                                }
                            }
                            None => (
                                "HTTP/1.1 200 OK".to_owned(),
                                vec![(
                                    "content-type".to_owned(),
                                    "application/x-amz-json-1.0".to_owned(),
                                )],
                                b"{}".to_vec(),
                            ),
                        };
                        merge_unprocessed(answer, &operation, held)
                    }
                    None => match forward(&mut upstream, &upstream_addr, &head, &body).await {
                        Some(answer) => encode(answer),
                        None => return reset(client, &state),
                    },
                }
            }
            _ => {
                let Some(answer) = forward(&mut upstream, &upstream_addr, &head, &body).await
                else {
                    return reset(client, &state);
                };
                match fault {
                    Some(Fault::ResetAfter) => return reset(client, &state),
                    Some(Fault::ServerErrorAfter) => server_error(),
                    Some(Fault::Slow) => {
                        tokio::time::sleep(slow).await;
                        encode(answer)
                    }
                    _ => encode(answer),
                }
            }
        };
        lock(&state).in_flight -= 1;
        if client.write_all(&answer).await.is_err() {
            return;
        }
    }
}

fn error_answer(status: &str, error: &str, message: &str) -> Vec<u8> {
    let body = json!({
        "__type": format!("com.amazonaws.dynamodb.v20120810#{error}"),
        "message": message,
    })
    .to_string();
    response(
        status,
        &[
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amzn-errortype", error),
        ],
        body.as_bytes(),
    )
}

fn server_error() -> Vec<u8> {
    error_answer(
        "500 Internal Server Error",
        "InternalServerError",
        "Internal server error",
    )
}

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines().skip(1).find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// Why the request's signature is refused, when the plan checks signatures; `None` when it
/// is right (or not checked).
fn check_signature(state: &Mutex<State>, head: &str, body: &[u8]) -> Option<String> {
    let secret = lock(state).plan.signing_secret.clone()?;
    match verify(head, body, &secret, SystemTime::now()) {
        Ok(()) => {
            lock(state).report.signatures_verified += 1;
            None
        }
        Err(refusal) => Some(refusal),
    }
}

/// Checks a request's AWS Signature Version 4 (in its `authorization` header) with `secret`:
/// the signature `aws-sigv4` computes for the same method, path, query, signed headers and
/// body, at the request's `x-amz-date`, must equal it, and that time must be within 15
/// minutes of `now`, as AWS requires.
pub(crate) fn verify(head: &str, body: &[u8], secret: &str, now: SystemTime) -> Result<(), String> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings};
    let authorization = header(head, "authorization").ok_or("the request is not signed")?;
    let fields = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not an AWS4-HMAC-SHA256 signature")?;
    let field = |name: &str| {
        fields.split(',').find_map(|f| {
            f.trim()
                .strip_prefix(name)
                .and_then(|v| v.strip_prefix('='))
        })
    };
    let (credential, signed_headers, signature) = match (
        field("Credential"),
        field("SignedHeaders"),
        field("Signature"),
    ) {
        (Some(c), Some(h), Some(s)) => (c, h, s),
        _ => return Err("an incomplete signature".into()),
    };
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, date, region, service, "aws4_request"] = scope[..] else {
        return Err("a credential scope that is not one".into());
    };
    let amz_date = header(head, "x-amz-date").ok_or("no x-amz-date")?;
    if !amz_date.starts_with(date) {
        return Err("the credential's date is not the request's".into());
    }
    let time = parse_amz_date(amz_date).ok_or("an x-amz-date that is not one")?;
    let skew = match now.duration_since(time) {
        Ok(d) => d,
        Err(e) => e.duration(),
    };
    if skew > Duration::from_secs(15 * 60) {
        return Err("Signature expired: the request's time is over 15 minutes from now".into());
    }
    let mut request_line = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (
        request_line.next().unwrap_or(""),
        request_line.next().unwrap_or("/"),
    );
    let host = header(head, "host").ok_or("no host")?;
    let names: Vec<&str> = signed_headers.split(';').collect();
    if !names.contains(&"host") || !names.contains(&"x-amz-date") {
        return Err("host and x-amz-date must be signed".into());
    }
    let headers: Vec<(&str, String)> = names
        .iter()
        .map(|name| {
            let values: Vec<&str> = head
                .lines()
                .skip(1)
                .filter_map(|l| {
                    let (n, v) = l.split_once(':')?;
                    n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
                })
                .collect();
            (*name, values.join(","))
        })
        .collect();
    let token = headers
        .iter()
        .find(|(n, _)| *n == "x-amz-security-token")
        .map(|(_, v)| v.clone());
    let identity = aws_credential_types::Credentials::new(
        access_key,
        secret,
        token,
        None,
        "awstin-signature-check",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.excluded_headers = None;
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(settings)
        .build()
        .map_err(|e| format!("signing parameters: {e}"))?
        .into();
    let signable = SignableRequest::new(
        method,
        format!("http://{host}{target}"),
        headers.iter().map(|(n, v)| (*n, v.as_str())),
        SignableBody::Bytes(body),
    )
    .map_err(|e| format!("a request that cannot be signed: {e}"))?;
    let (_, expected) = aws_sigv4::http_request::sign(signable, &params)
        .map_err(|e| format!("a request that cannot be signed: {e}"))?
        .into_parts();
    if expected == signature {
        Ok(())
    } else {
        Err("The request signature we calculated does not match the signature you provided.".into())
    }
}

/// `YYYYMMDDTHHMMSSZ` as a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u64>().ok();
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm), from 1970-01-01.
    let (y, m) = (y as i64 - i64::from(m <= 2), m as i64);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + (hh * 3600 + mm * 60 + ss) as i64;
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

/// The fault for this request, if any, and the plan's slow delay.
fn choose(state: &Mutex<State>, operation: &str, body: &[u8]) -> (Option<Fault>, Duration) {
    let mut state = lock(state);
    if state.plan.record {
        state.recorded.push(Recorded {
            operation: operation.to_owned(),
            body: body.to_vec(),
        });
        state.recorded_total += 1;
    }
    *state
        .report
        .requests
        .entry(operation.to_owned())
        .or_default() += 1;
    state.in_flight += 1;
    state.peak_in_flight = state.peak_in_flight.max(state.in_flight);
    let slow = state.plan.slow;
    let scripted = state
        .scripted
        .iter()
        .position(|(op, _)| op == operation)
        .and_then(|i| state.scripted.remove(i))
        .map(|(_, fault)| fault);
    let chosen =
        state.plan.operations.is_empty() || state.plan.operations.iter().any(|o| o == operation);
    let fault = scripted.or_else(|| {
        if !chosen {
            return None;
        }
        let key = content_hash(state.plan.seed, operation, body);
        let seen = state.seen.entry(key).or_default();
        let occurrence = *seen;
        *seen += 1;
        let mut h = DefaultHasher::new();
        (key, occurrence).hash(&mut h);
        let draw = h.finish();
        let applicable: Vec<Fault> = state
            .plan
            .faults
            .iter()
            .copied()
            .filter(|f| f.applies_to(operation))
            .collect();
        let hit = (draw % 1_000_000) as f64 / 1_000_000.0 < state.plan.rate;
        (hit && !applicable.is_empty())
            .then(|| applicable[((draw >> 32) % applicable.len() as u64) as usize])
    });
    if let Some(f) = fault {
        *state
            .report
            .fired
            .entry((operation.to_owned(), f))
            .or_default() += 1;
    }
    (fault, slow)
}

/// A hash of the request's operation and content, independent of the order of its maps.
fn content_hash(seed: u64, operation: &str, body: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    seed.hash(&mut h);
    operation.hash(&mut h);
    match serde_json::from_slice::<Value>(body) {
        Ok(v) => canonical(&v, &mut h),
        Err(_) => body.hash(&mut h),
    }
    h.finish()
}

fn canonical(v: &Value, h: &mut DefaultHasher) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            for k in keys {
                k.hash(h);
                canonical(&map[k], h);
            }
        }
        Value::Array(items) => {
            items.len().hash(h);
            for i in items {
                canonical(i, h);
            }
        }
        other => other.to_string().hash(h),
    }
}

/// Drops the connection with a TCP reset, ending the request in flight.
fn reset(client: TcpStream, state: &Mutex<State>) {
    lock(state).in_flight -= 1;
    let _ = client.set_zero_linger();
    drop(client);
}

type Answer = (String, Vec<(String, String)>, Vec<u8>);

/// Sends the request upstream (opening the connection when needed) and reads the answer.
async fn forward(
    upstream: &mut Option<(TcpStream, Vec<u8>)>,
    addr: &str,
    head: &str,
    body: &[u8],
) -> Option<Answer> {
    if upstream.is_none() {
        *upstream = Some((TcpStream::connect(addr).await.ok()?, Vec::new()));
    }
    let (stream, buf) = upstream.as_mut()?;
    let mut request = format!("{head}\r\n\r\n").into_bytes();
    request.extend_from_slice(body);
    if stream.write_all(&request).await.is_err() {
        *upstream = None;
        return None;
    }
    let answer = read_response(stream, buf).await;
    if answer.is_none() {
        *upstream = None;
    }
    answer
}

/// Reads one HTTP/1.1 response: status line, headers, and a body by length or chunks.
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Answer> {
    let (head, body) = read_message(stream, buf).await?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            let (n, v) = l.split_once(':')?;
            Some((n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        })
        .collect();
    Some((status, headers, body))
}

/// Reads the next HTTP/1.1 message (a request or a response) from `socket`, keeping any bytes
/// after it in `buf`: its head (first line and headers) and its body, by `content-length` or
/// in chunks. `None` when the peer closes first, or sends what is not HTTP.
pub(crate) async fn read_message(
    socket: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(String, Vec<u8>)> {
    let end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        fill(socket, buf).await?;
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    buf.drain(..end + 4);
    let mut body = Vec::new();
    if header(&head, "transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            let line_end = loop {
                if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                    break i;
                }
                fill(socket, buf).await?;
            };
            let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                fill(socket, buf).await?;
            }
            body.extend(buf.drain(..size));
            buf.drain(..2);
            if size == 0 {
                break;
            }
        }
    } else {
        let length: usize = header(&head, "content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < length {
            fill(socket, buf).await?;
        }
        body.extend(buf.drain(..length));
    }
    Some((head, body))
}

/// Reads more bytes of `socket` into `buf`; `None` when the peer closes.
async fn fill(socket: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16384];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// An answer as bytes, with its length recounted and no checksum of the old body.
fn encode((status, headers, body): Answer) -> Vec<u8> {
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(n, _)| {
            !matches!(
                n.as_str(),
                "content-length" | "transfer-encoding" | "x-amz-crc32"
            )
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    response(status.trim_start_matches("HTTP/1.1 "), &headers, &body)
}

fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (n, v) in headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn with_length(head: &str, length: usize) -> String {
    head.split("\r\n")
        .map(|l| {
            if l.to_ascii_lowercase().starts_with("content-length:") {
                format!("content-length: {length}")
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

/// A batch request split in two: the body to forward, if any is left, and what is held
/// back, by table.
type Split = (Option<Vec<u8>>, Map<String, Value>);

/// Splits a batch request: the body to forward (`None` when nothing is left to forward) and
/// what is held back, by table. `None` when the request holds nothing to hold back.
fn split_batch(operation: &str, body: &[u8], seed: u64) -> Option<Split> {
    let mut request: Value = serde_json::from_slice(body).ok()?;
    let tables = request.get_mut("RequestItems")?.as_object_mut()?;
    let mut held = Map::new();
    let mut left = 0;
    for (table, entry) in tables.iter_mut() {
        let list = match operation {
            "BatchWriteItem" => entry.as_array_mut()?,
            _ => entry.get_mut("Keys")?.as_array_mut()?,
        };
        if list.is_empty() {
            continue;
        }
        // Hold back between one and all of them.
        let keep = (seed as usize) % list.len();
        let back: Vec<Value> = list.drain(keep..).collect();
        left += list.len();
        let back = match operation {
            "BatchWriteItem" => Value::Array(back),
            _ => {
                let mut e = entry.as_object()?.clone();
                e.insert("Keys".to_owned(), Value::Array(back));
                Value::Object(e)
            }
        };
        held.insert(table.clone(), back);
    }
    if held.is_empty() {
        return None;
    }
    tables.retain(|_, entry| match entry {
        Value::Array(list) => !list.is_empty(),
        other => other
            .get("Keys")
            .and_then(Value::as_array)
            .is_some_and(|k| !k.is_empty()),
    });
    let forwarded = (left > 0).then(|| request.to_string().into_bytes());
    Some((forwarded, held))
}

/// Adds the held-back items to the answer's unprocessed items or keys.
fn merge_unprocessed(answer: Answer, operation: &str, held: Map<String, Value>) -> Vec<u8> {
    let (status, headers, body) = answer;
    if !status.contains(" 200") {
        return encode((status, headers, body));
    }
    let mut value: Value = serde_json::from_slice(&body).unwrap_or_else(|_| json!({}));
    let Some(object) = value.as_object_mut() else {
        return encode((status, headers, body));
    };
    let field = if operation == "BatchWriteItem" {
        "UnprocessedItems"
    } else {
        "UnprocessedKeys"
    };
    let entry = object.entry(field).or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    if let Some(unprocessed) = entry.as_object_mut() {
        for (table, back) in held {
            match (unprocessed.get_mut(&table), back) {
                (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
                (Some(existing), Value::Object(more)) => {
                    if let (Some(keys), Some(Value::Array(more_keys))) = (
                        existing.get_mut("Keys").and_then(Value::as_array_mut),
                        more.get("Keys").cloned(),
                    ) {
                        keys.extend(more_keys);
                    }
                }
                (_, back) => {
                    unprocessed.insert(table, back);
                }
            }
        }
    }
    encode((status, headers, value.to_string().into_bytes()))
}

/// An endpoint on 127.0.0.1 that accepts connections and reads requests but never answers:
/// for tests of time bounds.
///
/// ```no_run
/// # async fn f() { let silent = awstin::testing::faults::blackhole().await; }
/// ```
///
/// # Panics
///
/// When 127.0.0.1 has no free port to bind.
pub async fn blackhole() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on 127.0.0.1");
    let endpoint = format!(
        "http://{}",
        listener.local_addr().expect("the local address")
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut sink = [0u8; 4096];
                while matches!(socket.read(&mut sink).await, Ok(n) if n > 0) {}
            });
        }
    });
    endpoint
}
