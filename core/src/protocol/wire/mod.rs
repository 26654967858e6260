//! DynamoDB's JSON protocol without the SDK (feature `wire`, `no_std` with `alloc`): the
//! requests of [`op`](crate::op) written as the JSON bodies DynamoDB takes, with their
//! `X-Amz-Target`, and DynamoDB's answers read back into models or a typed [`Failure`]. It is a
//! backend of the same descriptions the `awstin` crate's SDK backend writes, so every rule is
//! checked the same, once, by the description. Send a [`Wire`] with any HTTP client (signed
//! by [`sigv4`](crate::protocol::sigv4) with feature `sigv4`): `POST /`, `content-type:
//! application/x-amz-json-1.0`, `x-amz-target: <target>`; give [`Answer::read`] the status and
//! the body that come back.
//!
//! - A write: [`write()`] of a [`WriteSpec`](crate::op::WriteSpec) (put, update, delete, each
//!   with an optional condition, a version, a token); a false condition is
//!   [`Failure::ConditionFalse`] with the stored item.
//! - A read: [`read()`] of a [`ReadSpec`](crate::op::ReadSpec) (get, query, scan; filter,
//!   projection, limit, index, order, a cursor's start key); the items
//!   ([`Answer::items`]) and the cursor of the next page ([`Answer::next`]): the same cursors
//!   as the `awstin` crate's pages.
//! - Many items: [`BatchWriteItem`], [`BatchGetItem`] (split into requests DynamoDB takes;
//!   what it leaves unprocessed comes back as the request that sends it again,
//!   [`Answer::unprocessed`]) and [`TransactWriteItems`].
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
//! use awstin_core::op::{Key, ReadSpec};
//! use awstin_core::{Document, wire};
//! let get = ReadSpec::<Movie>::get("Movies", Key::of::<Movie, _>(&(2013, "Rush"))).build(wire::read)?;
//! assert_eq!(get.target, "DynamoDB_20120810.GetItem");
//! assert_eq!(get.body, r#"{"TableName":"Movies","Key":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#);
//!
//! let (year, min) = (2013, 8);
//! let key = Movie::expr(awstin_macros::cond!(year == year));
//! let rated = Movie::expr(awstin_macros::cond!(rating >= min));
//! let query = ReadSpec::query("Movies", &key).filter(&rated).limit(10)?.build(wire::read)?;
//! assert_eq!(query.target, "DynamoDB_20120810.Query");
//! assert!(query.body.contains(r##""KeyConditionExpression":"#n0 = :v0""##));
//! # Ok::<(), awstin_core::Error>(())
//! ```
//!
//! # Retries
//!
//! The layer makes requests and reads answers; it does not send, sleep or keep time, which
//! the host gives (`fetch` and a timer in a Worker or a browser). Send again what
//! [`Failure::is_retryable`] says may be sent again (throttling, where nothing was done, and
//! server errors), after a backoff with full jitter, and what a batch left unprocessed
//! ([`Answer::unprocessed`]) the same way. A server error of a write leaves its outcome
//! unknown: send a write again only if doing it twice is safe (a put of the same item, or a
//! write under a condition that the first attempt would make false). With `send` and `sleep`
//! the host's:
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
//! use awstin_core::wire::{Answer, Failure, Wire};
//!
//! /// Sends `request` until it is answered, or fails in a way sending again would not mend, or
//! /// `attempts` are spent; `random` gives numbers in `0..1` for the jitter.
//! fn send_with_retries(
//!     mut request: Wire,
//!     attempts: u32,
//!     send: &mut dyn FnMut(&Wire) -> (u16, Vec<u8>),
//!     sleep: &mut dyn FnMut(u64),
//!     random: &mut dyn FnMut() -> f64,
//! ) -> Result<Answer, Failure> {
//!     let mut attempt = 0;
//!     loop {
//!         let (status, body) = send(&request);
//!         match Answer::read(status, &body) {
//!             // A batch's answer names what it left: send that again, like a throttle.
//!             Ok(answer) => match answer.unprocessed()? {
//!                 Some(rest) if attempt + 1 < attempts => request = rest,
//!                 _ => return Ok(answer),
//!             },
//!             Err(f) if f.is_retryable() && attempt + 1 < attempts => {}
//!             Err(f) => return Err(f),
//!         }
//!         // Full jitter: a random wait up to 50 ms, doubled each attempt, at most 5 s.
//!         let cap = (50u64 << attempt.min(7)).min(5_000);
//!         sleep((cap as f64 * random()) as u64);
//!         attempt += 1;
//!     }
//! }
//!
//! // Throttled once, then answered.
//! let mut answers = vec![
//!     (200, br#"{"Item":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#.to_vec()),
//!     (400, br#"{"__type":"x#ThrottlingException","message":"slow down"}"#.to_vec()),
//! ];
//! let (mut waited, mut sent) = (0, 0);
//! let request = awstin_core::op::ReadSpec::<Movie>::get("Movies", awstin_core::op::Key::of::<Movie, _>(&(2013, "Rush")))
//!     .build(awstin_core::wire::read)?;
//! let answer = send_with_retries(
//!     request,
//!     3,
//!     &mut |_| { sent += 1; answers.pop().expect("an answer") },
//!     &mut |ms| waited += ms,
//!     &mut || 0.5,
//! )?;
//! assert_eq!(sent, 2);
//! assert_eq!(waited, 25);
//! assert!(answer.item::<Movie>()?.is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use alloc::string::String;
use core::fmt::Write as _;

use crate::error::Error;
use crate::op::{Action, Read, ReadKind, Returns, Write};
use crate::values::json::write_string;

mod answer;
mod batch;
mod body;

pub use crate::protocol::cursor::{CursorKey, StartKey, cursor_of, start_of};
pub use answer::{Answer, Consumed, Failure, Reason};
pub use batch::{BatchGetItem, BatchWriteItem, TransactWriteItems};
use body::{Body, expressions, member, write_members};
pub use body::{CONTENT_TYPE, Wire};

/// A write sent alone: a `PutItem`, `UpdateItem` (asking for the item after it, `ALL_NEW`) or
/// `DeleteItem` (asking for the item before it, `ALL_OLD`, so that a delete of nothing is told
/// from one of something); with a token, a one-member `TransactWriteItems` with that
/// `ClientRequestToken`. Pass it to a spec's `build`.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Document, op::WriteSpec, wire};
/// let m = Movie { year: 2013, title: "Rush".into() };
/// let absent = Movie::expr(awstin_macros::cond!(attribute_not_exists(year)));
/// let put = WriteSpec::put("Movies", &m).when(&absent).build(wire::write)?;
/// assert_eq!(put.target, "DynamoDB_20120810.PutItem");
/// assert!(put.body.contains(r#""ReturnValuesOnConditionCheckFailure":"ALL_OLD""#));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn write(w: Write<'_>) -> Result<Wire, Error> {
    let w = &w;
    if let Some(token) = w.token() {
        let mut body = Body::new();
        let mut list = String::from("[");
        list.push_str(&member(w)?);
        list.push(']');
        body.raw("TransactItems", &list);
        body.string("ClientRequestToken", token);
        return Ok(Wire {
            target: "DynamoDB_20120810.TransactWriteItems",
            body: body.finish(),
        });
    }
    let target = match w.action() {
        Action::Put(_) => "DynamoDB_20120810.PutItem",
        Action::Update(_) => "DynamoDB_20120810.UpdateItem",
        Action::Delete(_) => "DynamoDB_20120810.DeleteItem",
        Action::Check(_) => {
            return Err(Error::InvalidOption {
                option: "condition check",
                value: 1,
                allowed: "a condition check only as a member of a transaction",
            });
        }
    };
    let mut body = Body::new();
    body.string("TableName", w.table());
    write_members(&mut body, w)?;
    match w.returns() {
        Returns::New => body.string("ReturnValues", "ALL_NEW"),
        Returns::Old => body.string("ReturnValues", "ALL_OLD"),
        Returns::Nothing => {}
    }
    Ok(Wire {
        target,
        body: body.finish(),
    })
}

/// A read: a `GetItem`, `Query` or `Scan`. Pass it to a spec's `build`.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Document, op::ReadSpec, wire};
/// let (from, to) = (1950, 1959);
/// let fifties = Movie::expr(awstin_macros::cond!(year between from..=to));
/// let scan = ReadSpec::<Movie>::scan("Movies").filter(&fifties).limit(100)?.build(wire::read)?;
/// assert_eq!(scan.target, "DynamoDB_20120810.Scan");
/// assert!(scan.body.contains(r##""FilterExpression":"#n0 BETWEEN :v0 AND :v1""##));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn read(r: Read<'_>) -> Result<Wire, Error> {
    let r = &r;
    let mut body = Body::new();
    body.string("TableName", r.table());
    if let Some(index) = r.index() {
        body.string("IndexName", index);
    }
    let target = match r.kind() {
        ReadKind::Get(key) => {
            body.members("Key", &key)?;
            "DynamoDB_20120810.GetItem"
        }
        ReadKind::Query { .. } => "DynamoDB_20120810.Query",
        ReadKind::Scan { .. } => "DynamoDB_20120810.Scan",
    };
    expressions(&mut body, r.expressions())?;
    if let ReadKind::Query { forward: false } = r.kind() {
        body.raw("ScanIndexForward", "false");
    }
    if let ReadKind::Scan {
        segment: Some((segment, total)),
    } = r.kind()
    {
        let mut text = String::new();
        let _ = write!(text, "{segment}");
        body.raw("Segment", &text);
        text.clear();
        let _ = write!(text, "{total}");
        body.raw("TotalSegments", &text);
    }
    if let Some(limit) = r.limit() {
        let mut text = String::new();
        let _ = write!(text, "{limit}");
        body.raw("Limit", &text);
    }
    if r.consistent() {
        body.raw("ConsistentRead", "true");
    }
    if r.count() {
        body.string("Select", "COUNT");
    }
    if let Some(start) = r.start() {
        body.key("ExclusiveStartKey");
        let mut first = true;
        for (name, value) in start {
            body.text.push(if first { '{' } else { ',' });
            first = false;
            let _ = write_string(&mut body.text, name);
            body.text.push(':');
            crate::values::json::key_to_json(value, &mut body.text)?;
        }
        body.text.push_str(if first { "{}" } else { "}" });
    }
    Ok(Wire {
        target,
        body: body.finish(),
    })
}
