//! The Movies table from WASM, without the AWS SDK: `awstin_core::wire` makes each request
//! and reads its answer, `awstin_core::sigv4` signs it, and the host (Node, a Cloudflare
//! Worker, a browser) sends it with its own `fetch`. The module imports nothing.
//!
//! The host interface, JSON in and out through the module's memory:
//! - `alloc(len)` gives a buffer for an input, which the next call takes back;
//! - `configure(ptr, len)` takes `{"endpoint", "region", "access_key_id",
//!   "secret_access_key", "session_token"?}`;
//! - `request(ptr, len)` takes `{"op", "time", ...}` (the host's clock: the module has none)
//!   and makes `{"requests": [{"method", "url", "headers", "body"}]}`, signed;
//! - `answer(ptr, len)` takes `{"op", "status", "body"}` and reads DynamoDB's answer:
//!   `{"ok": true, ...}` or `{"ok": false, "failure", "retryable", "message", "stored"}`;
//! - each returns 0, or 1 when the input was refused (the output is then `{"error"}`), and
//!   leaves its output at `output()`, `output_len()` bytes.
//!
//! Operation: `titles` (`year`, `from`, `to`: the tutorial's query of the titles of a year in
//! a range), the Worker's. With feature `writes` also: `query` (`year`, `min_rating`,
//! `limit`?, `after`?: the movies of a year rated at least `min_rating`, a page at a time,
//! `next` the cursor of the page after), `put` (`movie`), `put_new` (a put if no movie has the key), `get` and `delete`
//! (`year`, `title`), `rate` (`year`, `title`, `rating`, `if_below`: sets the rating only if
//! the stored one is lower), `batch_put` (`movies`; a batch's unprocessed part comes back as
//! `again`) and `again` (`again`: that part, to sign and send after a backoff).

use std::cell::RefCell;

use awstin_core::DecodeFrom;
#[cfg(feature = "writes")]
use awstin_core::Number;
#[cfg(feature = "writes")]
use awstin_core::ValueBuf;
use awstin_core::ValueRead;
use awstin_core::decode::DecodeError;
use awstin_core::json::{self, Json};
use awstin_core::op::ReadSpec;
use awstin_core::sigv4::{Credentials, Scope};
use awstin_core::wire::{self, Answer, Failure, Wire};
use awstin_macros::{cond, dynamo_model};

dynamo_model! {
    /// A film in the Movies table, as in AWS's DynamoDB tutorial.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie {
        table "Movies";
        key year: u32;
        key title: String;
        attr info: Info;
    }
}

dynamo_model! {
    /// The details of a film.
    #[derive(Debug, Clone, PartialEq, Default)]
    pub struct Info {
        attr rating: Option<f64>;
        attr plot: Option<String>;
    }
}

const TABLE: &str = "Movies";

/// Where requests go and who signs them.
struct Config {
    endpoint: String,
    region: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

/// A value's text, through one function for every type (each `to_string` would be a copy of
/// its own in the module).
fn shown(value: &dyn core::fmt::Display) -> String {
    let mut out = String::new();
    // Writing into a `String` does not fail.
    let _ = core::fmt::Write::write_fmt(&mut out, format_args!("{value}"));
    out
}

thread_local! {
    static CONFIG: RefCell<Option<Config>> = const { RefCell::new(None) };
    static OUTPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// An input refused, with why.
type Refused = String;

/// `what` and the name of the input at fault, in backquotes.
fn refused(what: &str, name: &str) -> Refused {
    [what, " `", name, "`"].concat()
}

fn string(input: &Json, name: &str) -> Result<String, Refused> {
    input
        .get(name)
        .and_then(Json::as_str)
        .map(String::from)
        .ok_or_else(|| refused("the input has no string", name))
}

fn number<T: core::str::FromStr>(input: &Json, name: &str) -> Result<T, Refused> {
    match input.get(name) {
        Some(Json::Number(n)) => n.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| refused("the input has no number of its type named", name))
}

fn optional<T>(
    input: &Json,
    name: &str,
    read: fn(&Json, &str) -> Result<T, Refused>,
) -> Result<Option<T>, Refused> {
    match input.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(_) => read(input, name).map(Some),
    }
}

#[cfg(feature = "writes")]
/// A plain JSON value as a DynamoDB value: strings, numbers, booleans, null, arrays as lists
/// and objects as maps.
fn dynamo(value: &Json) -> Result<ValueBuf, Refused> {
    Ok(match value {
        Json::Null => ValueBuf::Null,
        Json::Bool(b) => ValueBuf::Bool(*b),
        Json::Number(n) => ValueBuf::N(n.parse::<Number>().map_err(|e| shown(&e))?),
        Json::String(s) => ValueBuf::S(s.clone()),
        Json::Array(a) => ValueBuf::L(a.iter().map(dynamo).collect::<Result<_, _>>()?),
        Json::Object(o) => ValueBuf::M(
            o.iter()
                // A null member is an absent attribute.
                .filter(|(_, v)| *v != Json::Null)
                .map(|(k, v)| Ok((k.clone(), dynamo(v)?)))
                .collect::<Result<_, Refused>>()?,
        ),
    })
}

#[cfg(feature = "writes")]
fn movie(input: &Json, name: &str) -> Result<Movie, Refused> {
    let value = dynamo(
        input
            .get(name)
            .ok_or_else(|| refused("the input has no", name))?,
    )?;
    Movie::decode(value.read()).map_err(|e| shown(&e))
}

/// A stored movie as plain JSON, once it reads as a [`Movie`]: its numbers exactly as stored
/// (the decimal of an `N`, never rounded through an `f64`).
struct Shown(Json);

impl<R: ValueRead> DecodeFrom<R> for Shown {
    fn decode(item: R) -> Result<Shown, DecodeError> {
        Movie::decode(item)?;
        let info = item.get("info");
        let member = |name: &str| info.and_then(|v| v.get(name));
        let number = |v: Option<R>| {
            v.and_then(|v| v.number()?.ok())
                .map_or(Json::Null, |n| Json::Number(shown(&n)))
        };
        let text = |v: Option<R>| {
            v.and_then(|v| v.as_str().map(|s| Json::String(s.into())))
                .unwrap_or(Json::Null)
        };
        Ok(Shown(object(vec![
            ("year", number(item.get("year"))),
            ("title", text(item.get("title"))),
            (
                "info",
                object(vec![
                    ("rating", number(member("rating"))),
                    ("plot", text(member("plot"))),
                ]),
            ),
        ])))
    }
}

fn object(members: Vec<(&str, Json)>) -> Json {
    Json::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

/// The requests of an operation.
fn wires(input: &Json) -> Result<Vec<Wire>, Refused> {
    let text = |e: awstin_core::Error| shown(&e);
    let op = string(input, "op")?;
    Ok(match op.as_str() {
        "titles" => {
            let year: u32 = number(input, "year")?;
            let (from, to) = (string(input, "from")?, string(input, "to")?);
            let (from, to) = (from.as_str(), to.as_str());
            let key = Movie::expr(cond!(year == year && title between from..to));
            vec![
                ReadSpec::query(TABLE, &key)
                    .build(wire::read)
                    .map_err(text)?,
            ]
        }
        #[cfg(feature = "writes")]
        _ => writes::wires(input, &op)?,
        #[cfg(not(feature = "writes"))]
        other => return Err(refused("no operation", other)),
    })
}

#[cfg(feature = "writes")]
mod writes {
    use super::*;
    use awstin_core::op::{Key, WriteSpec};
    use awstin_macros::update;

    pub(crate) fn wires(input: &Json, op: &str) -> Result<Vec<Wire>, Refused> {
        let text = |e: awstin_core::Error| shown(&e);
        let key = || Ok::<_, Refused>((number::<u32>(input, "year")?, string(input, "title")?));
        Ok(match op {
            "query" => {
                let year: u32 = number(input, "year")?;
                let min: f64 = number(input, "min_rating")?;
                let key = Movie::expr(cond!(year == year));
                let rated = Movie::expr(cond!(info.rating >= min));
                let after = optional(input, "after", string)?;
                let start = after
                    .map(|c| wire::start_of::<Movie>(TABLE, &c, None))
                    .transpose()
                    .map_err(text)?;
                let limit = optional(input, "limit", number::<u32>)?;
                let query = ReadSpec::query(TABLE, &key)
                    .filter(&rated)
                    .limit_opt(limit)
                    .map_err(text)?
                    .after(start.as_ref())
                    .map_err(text)?;
                vec![query.build(wire::read).map_err(text)?]
            }
            "put" => vec![
                WriteSpec::put(TABLE, &movie(input, "movie")?)
                    .build(wire::write)
                    .map_err(text)?,
            ],
            "put_new" => {
                let absent = Movie::expr(cond!(attribute_not_exists(year)));
                vec![
                    WriteSpec::put(TABLE, &movie(input, "movie")?)
                        .when(&absent)
                        .build(wire::write)
                        .map_err(text)?,
                ]
            }
            "get" => {
                let (year, title) = key()?;
                vec![
                    ReadSpec::<Movie>::get(TABLE, Key::of::<Movie, _>(&(year, title.as_str())))
                        .build(wire::read)
                        .map_err(text)?,
                ]
            }
            "delete" => {
                let (year, title) = key()?;
                vec![
                    WriteSpec::<Movie>::delete(TABLE, Key::of::<Movie, _>(&(year, title.as_str())))
                        .build(wire::write)
                        .map_err(text)?,
                ]
            }
            "rate" => {
                let (year, title) = key()?;
                let rating: f64 = number(input, "rating")?;
                let below: f64 = number(input, "if_below")?;
                let set = Movie::expr(update!(info.rating = rating));
                let lower = Movie::expr(cond!(info.rating < below));
                vec![
                    WriteSpec::update(TABLE, Key::of::<Movie, _>(&(year, title.as_str())), &set)
                        .when(&lower)
                        .build(wire::write)
                        .map_err(text)?,
                ]
            }
            "batch_put" => {
                let movies = input
                    .get("movies")
                    .and_then(Json::as_array)
                    .ok_or("the input has no `movies`")?;
                let mut batch = wire::BatchWriteItem::new();
                for m in movies {
                    let value = dynamo(m)?;
                    let m = Movie::decode(value.read()).map_err(|e| shown(&e))?;
                    batch.add(WriteSpec::put(TABLE, &m)).map_err(text)?;
                }
                batch.build()
            }
            "again" => {
                let again = input.get("again").ok_or("the input has no `again`")?;
                let target = match string(again, "target")?.as_str() {
                    "DynamoDB_20120810.BatchWriteItem" => "DynamoDB_20120810.BatchWriteItem",
                    "DynamoDB_20120810.BatchGetItem" => "DynamoDB_20120810.BatchGetItem",
                    other => return Err(refused("not a batch:", other)),
                };
                vec![Wire {
                    target,
                    body: string(again, "body")?,
                }]
            }
            other => return Err(refused("no operation", other)),
        })
    }
}

/// A request signed for the configured endpoint at `time`, as the host sends it.
fn signed(config: &Config, request: &Wire, time: u64) -> Json {
    let endpoint = config.endpoint.trim_end_matches('/');
    let host = endpoint
        .split_once("://")
        .map_or(endpoint, |(_, rest)| rest);
    let signature = request.sign(
        host,
        &Credentials {
            access_key_id: &config.access_key_id,
            secret_access_key: &config.secret_access_key,
            session_token: config.session_token.as_deref(),
        },
        &Scope {
            region: &config.region,
            service: "dynamodb",
            time,
        },
    );
    let headers = request
        .headers()
        .into_iter()
        .chain(signature.headers())
        .map(|(name, value)| (name.into(), Json::String(value.into())))
        .collect();
    object(vec![
        ("method", Json::String("POST".into())),
        ("url", Json::String([endpoint, "/"].concat())),
        ("headers", Json::Object(headers)),
        ("body", Json::String(request.body.clone())),
    ])
}

fn make_requests(input: &Json) -> Result<Json, Refused> {
    let time: u64 = number(input, "time")?;
    let wires = wires(input)?;
    // `try_with` and `try_borrow` rather than their panicking forms: the module carries no
    // panic message for a state the host cannot reach (it calls one export at a time).
    CONFIG
        .try_with(|config| {
            let config = config.try_borrow().map_err(|_| "the module is busy")?;
            let config = config.as_ref().ok_or("not configured")?;
            let requests = wires.iter().map(|w| signed(config, w, time)).collect();
            Ok(object(vec![("requests", Json::Array(requests))]))
        })
        .unwrap_or_else(|_| Err("the module is shutting down".into()))
}

fn failed(f: &Failure) -> Json {
    let stored = match f.item::<Shown>() {
        Ok(Some(Shown(movie))) => movie,
        _ => Json::Null,
    };
    let kind = match f {
        Failure::ConditionFalse { .. } => "ConditionFalse",
        Failure::TransactionCanceled { .. } => "TransactionCanceled",
        Failure::Throttled { .. } => "Throttled",
        Failure::Validation { .. } => "Validation",
        Failure::NotFound { .. } => "NotFound",
        Failure::Unavailable { .. } => "Unavailable",
        Failure::Malformed { .. } => "Malformed",
        Failure::Decode(_) => "Decode",
        _ => "Service",
    };
    object(vec![
        ("ok", Json::Bool(false)),
        ("failure", Json::String(kind.into())),
        ("retryable", Json::Bool(f.is_retryable())),
        // The failure's code, not its message, which may quote key values.
        (
            "code",
            f.code().map_or(Json::Null, |c| Json::String(c.into())),
        ),
        ("stored", stored),
    ])
}

fn read_answer(input: &Json) -> Result<Json, Refused> {
    let op = string(input, "op")?;
    let status: u16 = number(input, "status")?;
    let body = string(input, "body")?;
    let answer = match Answer::read(status, body.as_bytes()) {
        Ok(a) => a,
        Err(f) => return Ok(failed(&f)),
    };
    let ok = |mut members: Vec<(&str, Json)>| {
        members.insert(0, ("ok", Json::Bool(true)));
        object(members)
    };
    let read = || -> Result<Json, Failure> {
        Ok(match op.as_str() {
            "titles" | "query" => {
                let items: Vec<Shown> = answer.items()?;
                let items = items.into_iter().map(|Shown(m)| m).collect();
                let next = answer.next::<Movie>(TABLE, None)?;
                ok(vec![
                    ("items", Json::Array(items)),
                    ("next", next.map_or(Json::Null, Json::String)),
                ])
            }
            #[cfg(feature = "writes")]
            "get" | "rate" | "delete" => ok(vec![(
                "movie",
                answer.item::<Shown>()?.map_or(Json::Null, |Shown(m)| m),
            )]),
            #[cfg(feature = "writes")]
            "batch_put" | "again" => {
                let again = answer.unprocessed()?.map_or(Json::Null, |w| {
                    object(vec![
                        ("target", Json::String(w.target.into())),
                        ("body", Json::String(w.body)),
                    ])
                });
                ok(vec![("again", again)])
            }
            _ => ok(vec![]),
        })
    };
    Ok(read().unwrap_or_else(|f| failed(&f)))
}

/// Leaves `result` (or its refusal) in the output buffer: 0, or 1 for a refusal.
fn finish(result: Result<Json, Refused>) -> i32 {
    let (code, value) = match result {
        Ok(v) => (0, v),
        Err(e) => (1, object(vec![("error", Json::String(e))])),
    };
    let mut text = String::new();
    value.write(&mut text);
    let stored =
        OUTPUT.try_with(|out| out.try_borrow_mut().map(|mut out| *out = text.into_bytes()));
    if matches!(stored, Ok(Ok(()))) {
        code
    } else {
        -1
    }
}

/// The input the host wrote at `ptr`, `len` bytes (a buffer `alloc` gave), taken back.
fn take_input(ptr: *mut u8, len: usize) -> Result<Json, Refused> {
    if ptr.is_null() || len == 0 {
        return Err("no input".into());
    }
    // SAFETY: `ptr` and `len` are those `alloc` gave the host, which wrote `len` bytes there
    // and hands the buffer back with this call.
    let bytes = unsafe { Vec::from_raw_parts(ptr, len, len) };
    json::parse(&bytes).map_err(|_| "the input is not JSON".into())
}

/// A buffer of `len` bytes for the host to write an input into.
#[unsafe(no_mangle)]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    let mut buf = vec![0u8; len].into_boxed_slice();
    let ptr = buf.as_mut_ptr();
    std::mem::forget(buf);
    ptr
}

/// Takes the endpoint and credentials.
#[unsafe(no_mangle)]
pub extern "C" fn configure(ptr: *mut u8, len: usize) -> i32 {
    let config = take_input(ptr, len).and_then(|c| {
        Ok(Config {
            endpoint: string(&c, "endpoint")?,
            region: string(&c, "region")?,
            access_key_id: string(&c, "access_key_id")?,
            secret_access_key: string(&c, "secret_access_key")?,
            session_token: optional(&c, "session_token", string)?,
        })
    });
    finish(config.map(|c| {
        let stored =
            CONFIG.try_with(|config| config.try_borrow_mut().map(|mut config| *config = Some(c)));
        object(vec![("ok", Json::Bool(matches!(stored, Ok(Ok(())))))])
    }))
}

/// Makes the signed requests of an operation.
#[unsafe(no_mangle)]
pub extern "C" fn request(ptr: *mut u8, len: usize) -> i32 {
    finish(take_input(ptr, len).and_then(|i| make_requests(&i)))
}

/// Reads the answer of an operation.
#[unsafe(no_mangle)]
pub extern "C" fn answer(ptr: *mut u8, len: usize) -> i32 {
    finish(take_input(ptr, len).and_then(|i| read_answer(&i)))
}

/// Where the last output is.
#[unsafe(no_mangle)]
pub extern "C" fn output() -> *const u8 {
    OUTPUT
        .try_with(|out| {
            out.try_borrow()
                .map_or(std::ptr::null(), |out| out.as_ptr())
        })
        .unwrap_or(std::ptr::null())
}

/// How long the last output is.
#[unsafe(no_mangle)]
pub extern "C" fn output_len() -> usize {
    OUTPUT
        .try_with(|out| out.try_borrow().map_or(0, |out| out.len()))
        .unwrap_or(0)
}
