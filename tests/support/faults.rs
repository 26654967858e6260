//! A fault-injecting HTTP proxy between the SDK and the embedded DynamoDB, for tests of what
//! the library reports when the network or the service misbehaves.
//!
//! The proxy binds 127.0.0.1, forwards each HTTP/1.1 request to the upstream server, and
//! injects a [`Fault`] into some of them: at a seeded rate ([`FaultPlan`]), and into the next
//! request of a chosen operation ([`FaultProxy::inject`]). The fault a request meets depends
//! only on the seed, the operation, the request's content (its JSON, keys sorted) and how
//! many times that content was seen before: not on timing or on the order in which
//! concurrent requests arrive, so a seed replays the same faults.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::read_http_message;

/// What can go wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    /// HTTP 500 `InternalServerError`, without forwarding the request.
    ServerError,
    /// HTTP 500 `InternalServerError` after the server applied the request.
    ServerErrorAfter,
    /// HTTP 400 `ThrottlingException`, without forwarding.
    Throttling,
    /// HTTP 400 `ProvisionedThroughputExceededException`, without forwarding.
    ProvisionedThroughputExceeded,
    /// The connection is reset before the request is forwarded.
    ResetBefore,
    /// The request is forwarded, the server's answer read, then the connection is reset.
    ResetAfter,
    /// The server's answer is held back for [`FaultPlan::slow`] before it is passed on.
    Slow,
    /// A batch request is forwarded with only part of its items, and the rest are added to
    /// the answer's `UnprocessedItems` or `UnprocessedKeys`.
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

    fn applies_to(self, operation: &str) -> bool {
        self != Fault::PartialUnprocessed || matches!(operation, "BatchWriteItem" | "BatchGetItem")
    }
}

/// Which faults the proxy injects, and how often.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    /// Chooses the faults; the same seed replays the same faults.
    pub seed: u64,
    /// The share of requests that meet a fault, 0.0 to 1.0.
    pub rate: f64,
    /// The kinds drawn from, uniformly among those that apply to the operation.
    pub faults: Vec<Fault>,
    /// How long a [`Fault::Slow`] answer is held back.
    pub slow: Duration,
}

impl FaultPlan {
    /// No random faults: only those [`FaultProxy::inject`] names.
    pub fn none() -> FaultPlan {
        FaultPlan {
            seed: 0,
            rate: 0.0,
            faults: Vec::new(),
            slow: Duration::from_millis(20),
        }
    }

    /// Every kind of fault in `rate` of the requests.
    pub fn every_kind(seed: u64, rate: f64) -> FaultPlan {
        FaultPlan {
            seed,
            rate,
            faults: Fault::ALL.to_vec(),
            slow: Duration::from_millis(20),
        }
    }
}

#[derive(Debug)]
struct State {
    plan: FaultPlan,
    upstream: String,
    seen: HashMap<u64, u32>,
    scripted: VecDeque<(String, Fault)>,
    injected: BTreeMap<(String, Fault), u64>,
    requests: HashMap<String, u64>,
    in_flight: usize,
    peak_in_flight: usize,
}

/// A running proxy; it stops with the test's runtime.
#[derive(Debug, Clone)]
pub struct FaultProxy {
    endpoint: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// Starts a proxy on 127.0.0.1 in front of `upstream` (`http://127.0.0.1:PORT`).
    pub async fn start(upstream: &str, plan: FaultPlan) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
        let state = Arc::new(Mutex::new(State {
            plan,
            upstream: upstream.trim_start_matches("http://").to_owned(),
            seen: HashMap::new(),
            scripted: VecDeque::new(),
            injected: BTreeMap::new(),
            requests: HashMap::new(),
            in_flight: 0,
            peak_in_flight: 0,
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                tokio::spawn(serve(client, shared.clone()));
            }
        });
        FaultProxy { endpoint, state }
    }

    /// The proxy's address, for the SDK's endpoint.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The next request of `operation` (e.g. `PutItem`) meets `fault`, before any random one.
    pub fn inject(&self, operation: &str, fault: Fault) {
        self.lock()
            .scripted
            .push_back((operation.to_owned(), fault));
    }

    /// The faults injected so far, by kind.
    pub fn injected(&self) -> BTreeMap<Fault, u64> {
        let mut by_kind = BTreeMap::new();
        for ((_, fault), n) in &self.lock().injected {
            *by_kind.entry(*fault).or_default() += n;
        }
        by_kind
    }

    /// The faults injected so far into requests of `operation` (e.g. `BatchWriteItem`), by kind.
    pub fn injected_into(&self, operation: &str) -> BTreeMap<Fault, u64> {
        self.lock()
            .injected
            .iter()
            .filter(|((op, _), _)| op == operation)
            .map(|((_, fault), n)| (*fault, *n))
            .collect()
    }

    /// The most requests that were being answered at one time.
    pub fn peak_in_flight(&self) -> usize {
        self.lock().peak_in_flight
    }

    /// The requests received so far, by operation.
    pub fn requests(&self) -> HashMap<String, u64> {
        self.lock().requests.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Serves one client connection until it closes or a reset ends it.
async fn serve(mut client: TcpStream, state: Arc<Mutex<State>>) {
    let upstream_addr = lock(&state).upstream.clone();
    let mut upstream: Option<(TcpStream, Vec<u8>)> = None;
    let mut buf = Vec::new();
    while let Some((head, body)) = read_http_message(&mut client, &mut buf).await {
        let operation = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("x-amz-target")
                    .then(|| value.trim().rsplit('.').next().unwrap_or("").to_owned())
            })
            .unwrap_or_default();
        let (fault, slow) = choose(&state, &operation, &body);
        let reply = |status: &str, error: &str, message: &str| {
            let body = json!({ "__type": format!("com.amazonaws.dynamodb.v20120810#{error}"), "message": message }).to_string();
            response(
                status,
                &[
                    ("content-type", "application/x-amz-json-1.0"),
                    ("x-amzn-errortype", error),
                ],
                body.as_bytes(),
            )
        };
        let answer = match fault {
            Some(Fault::ResetBefore) => return reset(client, &state),
            Some(Fault::ServerError) => reply(
                "500 Internal Server Error",
                "InternalServerError",
                "Internal server error",
            ),
            Some(Fault::Throttling) => reply(
                "400 Bad Request",
                "ThrottlingException",
                "Rate of requests exceeds the allowed throughput.",
            ),
            Some(Fault::ProvisionedThroughputExceeded) => reply(
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
                    Some(Fault::ServerErrorAfter) => reply(
                        "500 Internal Server Error",
                        "InternalServerError",
                        "Internal server error",
                    ),
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

fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The fault for this request, if any, and the plan's slow delay.
fn choose(state: &Mutex<State>, operation: &str, body: &[u8]) -> (Option<Fault>, Duration) {
    let mut state = lock(state);
    *state.requests.entry(operation.to_owned()).or_default() += 1;
    state.in_flight += 1;
    state.peak_in_flight = state.peak_in_flight.max(state.in_flight);
    let slow = state.plan.slow;
    let scripted = state
        .scripted
        .iter()
        .position(|(op, _)| op == operation)
        .and_then(|i| state.scripted.remove(i))
        .map(|(_, fault)| fault);
    let fault = scripted.or_else(|| {
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
        *state.injected.entry((operation.to_owned(), f)).or_default() += 1;
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
    let answer = read_http_response(stream, buf).await;
    if answer.is_none() {
        *upstream = None;
    }
    answer
}

/// Reads one HTTP/1.1 response: status line, headers, and a body by length or chunks.
async fn read_http_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<Answer> {
    let (head, body) = read_http_message(stream, buf).await?;
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
    let field = if operation == "BatchWriteItem" {
        "UnprocessedItems"
    } else {
        "UnprocessedKeys"
    };
    let object = value.as_object_mut().expect("a JSON object answer");
    let unprocessed = object
        .entry(field)
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .expect("an object of unprocessed requests");
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
    encode((status, headers, value.to_string().into_bytes()))
}

/// An endpoint on 127.0.0.1 that accepts connections and reads requests but never answers.
pub async fn blackhole() -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let endpoint = format!("http://{}", listener.local_addr().expect("local address"));
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
