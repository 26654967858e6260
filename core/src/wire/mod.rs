//! DynamoDB's JSON protocol without the SDK (feature `wire`, `no_std` with `alloc`): a model
//! operation made into the request DynamoDB takes, its `X-Amz-Target` and its JSON body, by
//! the same renderer and checks as the `awstin` crate's tables, and DynamoDB's answer read
//! back into models or a typed [`Failure`]. Send a [`Wire`] with any HTTP client (signed by
//! [`sigv4`](crate::sigv4) with feature `sigv4`): `POST /`, `content-type:
//! application/x-amz-json-1.0`, `x-amz-target: <target>`; give [`Answer::read`] the status and
//! the body that come back.
//!
//! - Single items: [`get_item`], [`put`], [`update`], [`delete`], each write with an optional
//!   condition ([`WriteOf::when`]); a false condition is [`Failure::ConditionFalse`] with the
//!   stored item.
//! - Reads: [`Query`] and [`Scan`] (filter, projection, limit, index, order), their items
//!   ([`Answer::items`]) and the cursor of the next page ([`Answer::next`], taken by
//!   [`Query::after`]): the same cursors as the `awstin` crate's pages.
//! - Many items: [`BatchWrite`], [`BatchGet`] (split into requests DynamoDB takes; what it
//!   leaves unprocessed comes back as the request that sends it again,
//!   [`Answer::unprocessed`]) and [`TransactWrite`] (with [`check`]).
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
//! use awstin_core::{Document, wire};
//! let get = wire::get_item::<Movie, _>("Movies", &(2013, "Rush"))?;
//! assert_eq!(get.target, "DynamoDB_20120810.GetItem");
//! assert_eq!(get.body, r#"{"TableName":"Movies","Key":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#);
//!
//! let (year, min) = (2013, 8);
//! let query = wire::Query::new("Movies", &Movie::expr(awstin_macros::cond!(year == year)))
//!     .filter(&Movie::expr(awstin_macros::cond!(rating >= min)))
//!     .limit(10)
//!     .build()?;
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
//! let request = awstin_core::wire::get_item::<Movie, _>("Movies", &(2013, "Rush"))?;
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

use crate::json::{to_json, write_string};
use crate::render::Placeholder;
use crate::{Condition, Encode, Error, KeyCondition, KeyOf, Model, Projection, Request, Update};

mod answer;
mod base64;
mod batch;
mod cursor;
pub mod json;

pub use answer::{Answer, Consumed, Failure, Reason};
pub use batch::{BatchGet, BatchWrite, TransactWrite};
#[doc(hidden)]
pub use cursor::start_of_in;
pub use cursor::{CursorKey, StartKey, cursor_of, start_of};

/// The content type of DynamoDB's JSON protocol.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.0";

/// A request in DynamoDB's JSON protocol: the operation's `X-Amz-Target` and the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wire {
    /// The `X-Amz-Target` header: `DynamoDB_20120810.<Operation>`.
    pub target: &'static str,
    /// The JSON body.
    pub body: String,
}

impl Wire {
    /// The protocol's two headers: `content-type` and `x-amz-target`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// let get = awstin_core::wire::get_item::<Movie, _>("Movies", &(2013, "Rush"))?;
    /// assert_eq!(get.headers()[1], ("x-amz-target", "DynamoDB_20120810.GetItem"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn headers(&self) -> [(&'static str, &str); 2] {
        [
            ("content-type", CONTENT_TYPE),
            ("x-amz-target", self.target),
        ]
    }

    /// The signature of this request (`POST /` to `host`, its two [`headers`](Wire::headers)
    /// and its body) with `credentials` for `scope`: send the two headers and
    /// [`Signed::headers`](crate::sigv4::Signed::headers) with the body.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::sigv4::{Credentials, Scope};
    /// let get = awstin_core::wire::get_item::<Movie, _>("Movies", &(2013, "Rush"))?;
    /// let signed = get.sign(
    ///     "dynamodb.us-east-1.amazonaws.com",
    ///     &Credentials { access_key_id: "AKID", secret_access_key: "secret", session_token: None },
    ///     &Scope { region: "us-east-1", service: "dynamodb", time: 1_764_633_600 },
    /// );
    /// assert!(signed.authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[cfg(feature = "sigv4")]
    pub fn sign(
        &self,
        host: &str,
        credentials: &crate::sigv4::Credentials<'_>,
        scope: &crate::sigv4::Scope<'_>,
    ) -> crate::sigv4::Signed {
        let headers = self.headers();
        let request = crate::sigv4::Request {
            method: "POST",
            host,
            path: "/",
            query: &[],
            headers: &headers,
            body: self.body.as_bytes(),
        };
        crate::sigv4::sign(&request, credentials, scope)
    }
}

/// Names and values a request may use; a request over them is [`Error::Capacity`].
type Tables<'a> = Request<'a, 64, 128>;

/// A JSON object being written.
struct Body {
    text: String,
    first: bool,
}

impl Body {
    fn new() -> Body {
        Body {
            text: String::from("{"),
            first: true,
        }
    }

    fn key(&mut self, name: &str) {
        if !self.first {
            self.text.push(',');
        }
        self.first = false;
        let _ = write_string(&mut self.text, name);
        self.text.push(':');
    }

    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        let _ = write_string(&mut self.text, value);
    }

    fn raw(&mut self, name: &str, json: &str) {
        self.key(name);
        self.text.push_str(json);
    }

    fn finish(mut self) -> String {
        self.text.push('}');
        self.text
    }

    /// A request's body, naming `table` (and `index`), each checked to be a name DynamoDB
    /// takes: [`Error::InvalidTableName`] before anything is sent.
    fn of(table: &str, index: Option<&str>) -> Result<Body, Error> {
        let mut body = Body::new();
        body.string("TableName", checked_name(table)?);
        if let Some(index) = index {
            body.string("IndexName", checked_name(index)?);
        }
        Ok(body)
    }
}

/// `name`, if DynamoDB takes it as a table or index name.
fn checked_name(name: &str) -> Result<&str, Error> {
    match crate::limits::table_name_refusal(name) {
        None => Ok(name),
        Some(reason) => Err(Error::InvalidTableName { reason }),
    }
}

/// The members of a map value's DynamoDB JSON (`{"M":{...}}` → `{...}`).
fn members(value: &dyn Encode) -> Result<String, Error> {
    let mut text = String::new();
    to_json(value, &mut text)?;
    Ok(match text.strip_prefix(r#"{"M":"#) {
        Some(rest) => String::from(rest.strip_suffix('}').unwrap_or(rest)),
        None => text,
    })
}

/// The `Key` of `key` for model `M`, checked as every call with a key checks it.
fn key_json<M: Model, K: KeyOf<M> + ?Sized>(key: &K) -> Result<String, Error> {
    crate::model::check_key::<M, K>(key)?;
    let mut out = Body::new();
    let mut value = String::new();
    to_json(key.partition(), &mut value)?;
    out.raw(M::KEY.partition.name, &value);
    if let (Some(attr), Some(sort)) = (M::KEY.sort, key.sort()) {
        value.clear();
        to_json(sort, &mut value)?;
        out.raw(attr.name, &value);
    }
    Ok(out.finish())
}

/// Writes the placeholder maps of `tables` into `body`.
fn placeholders(body: &mut Body, tables: &Tables<'_>) -> Result<(), Error> {
    if tables.names().len() > 0 {
        let mut names = Body::new();
        for (p, name) in tables.names() {
            names.string(&placeholder(p), name);
        }
        body.raw("ExpressionAttributeNames", &names.finish());
    }
    if tables.values().len() > 0 {
        let mut values = Body::new();
        for (p, value) in tables.values() {
            let mut json = String::new();
            to_json(value, &mut json)?;
            values.raw(&placeholder(p), &json);
        }
        body.raw("ExpressionAttributeValues", &values.finish());
    }
    Ok(())
}

fn placeholder(p: Placeholder) -> String {
    let mut s = String::new();
    let _ = write!(s, "{p}");
    s
}

/// A `GetItem` of the item with `key`.
pub fn get_item<M: Model, K: KeyOf<M> + ?Sized>(table: &str, key: &K) -> Result<Wire, Error> {
    let mut body = Body::of(table, None)?;
    body.raw("Key", &key_json::<M, K>(key)?);
    Ok(Wire {
        target: "DynamoDB_20120810.GetItem",
        body: body.finish(),
    })
}

/// The body of a write: a request of its own (`member` false), or a transaction member's
/// (which takes no `ReturnValues`).
trait WriteBody<M> {
    /// The operation's target, alone.
    const TARGET: &'static str;
    /// The member's name in a transaction (`Put`, `Update`, ...).
    const MEMBER: &'static str;
    /// The body's members after `TableName`; then the update, if any, for the condition.
    fn write(&self, body: &mut Body, member: bool) -> Result<(), Error>;
    /// Renders the update (if any) and `condition` into `body`.
    fn expressions<C: Condition<Model = M>>(
        &self,
        body: &mut Body,
        condition: Option<&C>,
    ) -> Result<(), Error>;
    /// The key of the item written, as JSON, to tell two writes of one item apart.
    fn key(&self) -> Result<String, Error>;
}

impl<M: Model + Encode> WriteBody<M> for PutOf<'_, M> {
    const TARGET: &'static str = "DynamoDB_20120810.PutItem";
    const MEMBER: &'static str = "Put";
    fn write(&self, body: &mut Body, _: bool) -> Result<(), Error> {
        crate::model::check_key::<M, _>(&self.0.key())?;
        body.raw("Item", &members(self.0)?);
        Ok(())
    }
    fn expressions<C: Condition<Model = M>>(
        &self,
        body: &mut Body,
        condition: Option<&C>,
    ) -> Result<(), Error> {
        conditioned(body, None::<&NoUpdate<M>>, condition)
    }
    fn key(&self) -> Result<String, Error> {
        key_json::<M, _>(&self.0.key())
    }
}

impl<M: Model, K: KeyOf<M> + ?Sized> WriteBody<M> for DeleteOf<'_, K> {
    const TARGET: &'static str = "DynamoDB_20120810.DeleteItem";
    const MEMBER: &'static str = "Delete";
    fn write(&self, body: &mut Body, member: bool) -> Result<(), Error> {
        body.raw("Key", &key_json::<M, K>(self.0)?);
        if !member {
            body.string("ReturnValues", "ALL_OLD");
        }
        Ok(())
    }
    fn expressions<C: Condition<Model = M>>(
        &self,
        body: &mut Body,
        condition: Option<&C>,
    ) -> Result<(), Error> {
        conditioned(body, None::<&NoUpdate<M>>, condition)
    }
    fn key(&self) -> Result<String, Error> {
        key_json::<M, K>(self.0)
    }
}

impl<M: Model, K: KeyOf<M> + ?Sized, U: Update<Model = M>> WriteBody<M> for UpdateOf<'_, K, U> {
    const TARGET: &'static str = "DynamoDB_20120810.UpdateItem";
    const MEMBER: &'static str = "Update";
    fn write(&self, body: &mut Body, member: bool) -> Result<(), Error> {
        body.raw("Key", &key_json::<M, K>(self.0)?);
        if !member {
            body.string("ReturnValues", "ALL_NEW");
        }
        Ok(())
    }
    fn expressions<C: Condition<Model = M>>(
        &self,
        body: &mut Body,
        condition: Option<&C>,
    ) -> Result<(), Error> {
        conditioned(body, Some(self.1), condition)
    }
    fn key(&self) -> Result<String, Error> {
        key_json::<M, K>(self.0)
    }
}

impl<M: Model, K: KeyOf<M> + ?Sized> WriteBody<M> for CheckOf<'_, K> {
    const TARGET: &'static str = "DynamoDB_20120810.TransactWriteItems";
    const MEMBER: &'static str = "ConditionCheck";
    fn write(&self, body: &mut Body, _: bool) -> Result<(), Error> {
        body.raw("Key", &key_json::<M, K>(self.0)?);
        Ok(())
    }
    fn expressions<C: Condition<Model = M>>(
        &self,
        body: &mut Body,
        condition: Option<&C>,
    ) -> Result<(), Error> {
        conditioned(body, None::<&NoUpdate<M>>, condition)
    }
    fn key(&self) -> Result<String, Error> {
        key_json::<M, K>(self.0)
    }
}

// The write kinds are this module's: `put`, `update`, `delete` and `check` make them.
#[allow(private_bounds)]
impl<M: Model, W: WriteBody<M>, C: Condition<Model = M>> WriteOf<'_, M, W, C> {
    /// The body of the write, alone or as a transaction member.
    fn body(&self, member: bool) -> Result<String, Error> {
        let mut body = Body::of(self.table, None)?;
        self.what.write(&mut body, member)?;
        self.what.expressions(&mut body, self.condition)?;
        Ok(body.finish())
    }

    /// The request.
    pub fn build(&self) -> Result<Wire, Error> {
        Ok(Wire {
            target: W::TARGET,
            body: self.body(false)?,
        })
    }
}

/// A write being built: a put, delete or update, then an optional condition (`when`).
pub struct WriteOf<'a, M, W, C = NoFilter<M>> {
    table: &'a str,
    what: W,
    condition: Option<&'a C>,
    _model: core::marker::PhantomData<fn() -> M>,
}

/// A put of an item ([`put`]).
pub struct PutOf<'a, M>(&'a M);
/// A delete of the item with a key ([`delete`]).
pub struct DeleteOf<'a, K: ?Sized>(&'a K);
/// An update of the item with a key ([`update`]).
pub struct UpdateOf<'a, K: ?Sized, U>(&'a K, &'a U);
/// A condition check of the item with a key, a transaction member ([`check`]).
pub struct CheckOf<'a, K: ?Sized>(&'a K);

/// A `PutItem` of `item`; with [`when`](WriteOf::when), under a condition (asking for the
/// stored item when it is false).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Document, wire};
/// let m = Movie { year: 2013, title: "Rush".into() };
/// let absent = Movie::expr(awstin_macros::cond!(attribute_not_exists(year)));
/// let put = wire::put("Movies", &m).when(&absent).build()?;
/// assert!(put.body.contains(r#""ReturnValuesOnConditionCheckFailure":"ALL_OLD""#));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn put<'a, M: Model + Encode>(table: &'a str, item: &'a M) -> WriteOf<'a, M, PutOf<'a, M>> {
    WriteOf {
        table,
        what: PutOf(item),
        condition: None,
        _model: core::marker::PhantomData,
    }
}

/// A `DeleteItem` of the item with `key`, returning the deleted item (`ALL_OLD`), so that a
/// delete of nothing is told from one of something.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// let delete = awstin_core::wire::delete::<Movie, _>("Movies", &(2013, "Rush")).build()?;
/// assert_eq!(delete.target, "DynamoDB_20120810.DeleteItem");
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn delete<'a, M: Model, K: KeyOf<M> + ?Sized>(
    table: &'a str,
    key: &'a K,
) -> WriteOf<'a, M, DeleteOf<'a, K>> {
    WriteOf {
        table,
        what: DeleteOf(key),
        condition: None,
        _model: core::marker::PhantomData,
    }
}

/// An `UpdateItem` of the item with `key`, returning the item after it (`ALL_NEW`).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr plays: u64 } }
/// use awstin_core::{Document, wire};
/// let one = 1;
/// let plays = Movie::expr(awstin_macros::update!(plays += one));
/// let update = wire::update("Movies", &(2013, "Rush"), &plays).build()?;
/// assert!(update.body.contains(r##""UpdateExpression":"SET #n0 = #n0 + :v0""##));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn update<'a, M: Model, K: KeyOf<M> + ?Sized, U: Update<Model = M>>(
    table: &'a str,
    key: &'a K,
    update: &'a U,
) -> WriteOf<'a, M, UpdateOf<'a, K, U>> {
    WriteOf {
        table,
        what: UpdateOf(key, update),
        condition: None,
        _model: core::marker::PhantomData,
    }
}

/// A check that `condition` holds on the item with `key`: a member of a
/// [`TransactWrite`], which is cancelled when it is false.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Document, wire};
/// let exists = Movie::expr(awstin_macros::cond!(attribute_exists(year)));
/// let check = wire::check("Movies", &(2013, "Rush"), &exists);
/// let request = wire::TransactWrite::new().write(&check)?.build()?;
/// assert!(request.body.starts_with(r#"{"TransactItems":[{"ConditionCheck":{"TableName":"Movies""#));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn check<'a, M: Model, K: KeyOf<M> + ?Sized, C: Condition<Model = M>>(
    table: &'a str,
    key: &'a K,
    condition: &'a C,
) -> WriteOf<'a, M, CheckOf<'a, K>, C> {
    WriteOf {
        table,
        what: CheckOf(key),
        condition: Some(condition),
        _model: core::marker::PhantomData,
    }
}

impl<'a, M: Model, W> WriteOf<'a, M, W> {
    /// Applies the write only if `condition` holds.
    pub fn when<C: Condition<Model = M>>(self, condition: &'a C) -> WriteOf<'a, M, W, C> {
        WriteOf {
            table: self.table,
            what: self.what,
            condition: Some(condition),
            _model: core::marker::PhantomData,
        }
    }
}

/// An update of no actions, for writes without one: no value exists.
enum NoUpdate<M> {
    #[allow(dead_code)]
    Never(
        core::convert::Infallible,
        core::marker::PhantomData<fn() -> M>,
    ),
}

impl<M> Update for NoUpdate<M> {
    type Model = M;
    fn len(&self) -> usize {
        match *self {
            NoUpdate::Never(n, _) => match n {},
        }
    }
    fn clause(&self, _: usize) -> Option<crate::update::Clause> {
        match *self {
            NoUpdate::Never(n, _) => match n {},
        }
    }
    fn path(&self, _: usize) -> Option<&dyn crate::path::Segments> {
        match *self {
            NoUpdate::Never(n, _) => match n {},
        }
    }
    fn render_clause<'a>(
        &'a self,
        _: crate::update::Clause,
        _: &mut crate::Renderer<'_, 'a>,
        _: &mut bool,
    ) -> Result<(), Error> {
        match *self {
            NoUpdate::Never(n, _) => match n {},
        }
    }
    fn effect(&self, _: usize, _: crate::ValueBufRef<'_>) -> Result<crate::update::Effect, Error> {
        match *self {
            NoUpdate::Never(n, _) => match n {},
        }
    }
}

/// Renders a write's update and condition through one placeholder namespace into `body`.
fn conditioned<U: Update, C: Condition>(
    body: &mut Body,
    update: Option<&U>,
    condition: Option<&C>,
) -> Result<(), Error> {
    let mut tables = Tables::new();
    if let Some(update) = update {
        let mut text = String::new();
        tables.update(update, &mut text)?;
        body.string("UpdateExpression", &text);
    }
    if let Some(condition) = condition {
        let mut text = String::new();
        tables.condition(condition, &mut text)?;
        body.string("ConditionExpression", &text);
        body.string("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
    }
    placeholders(body, &tables)
}

/// A `Query` being built: a key condition, then an optional filter, projection, limit, index
/// and order.
pub struct Query<'a, M, KC, F = NoFilter<M>, P = NoProjection<M>> {
    read: Read<'a, F, P>,
    key: &'a KC,
    forward: bool,
    _model: core::marker::PhantomData<fn() -> M>,
}

/// What a Query and a Scan share: the table, index, start, filter, projection and limit.
struct Read<'a, F, P> {
    table: &'a str,
    index: Option<&'a str>,
    after: After<'a>,
    filter: Option<&'a F>,
    projection: Option<&'a P>,
    limit: Option<u32>,
}

impl<'a, F: Condition, P: Projection> Read<'a, F, P> {
    fn new(table: &'a str) -> Self {
        Read {
            table,
            index: None,
            after: After::default(),
            filter: None,
            projection: None,
            limit: None,
        }
    }

    fn with_filter<F2>(self, filter: &'a F2) -> Read<'a, F2, P> {
        Read {
            table: self.table,
            index: self.index,
            after: self.after,
            filter: Some(filter),
            projection: self.projection,
            limit: self.limit,
        }
    }

    fn with_projection<P2>(self, projection: &'a P2) -> Read<'a, F, P2> {
        Read {
            table: self.table,
            index: self.index,
            after: self.after,
            filter: self.filter,
            projection: Some(projection),
            limit: self.limit,
        }
    }

    /// The body naming the table and index (the model's, unless one is given), and the start
    /// key of the cursor, checked for model `M`.
    fn begin<M: Model>(&self) -> Result<(Body, Option<crate::ValueBuf>), Error> {
        let body = Body::of(self.table, self.index.or(M::SOURCE.index()))?;
        Ok((body, self.after.start::<M>(self.table)?))
    }

    /// The rest of the body, after the key condition: the filter (a Query's may not name key
    /// attributes), the projection, the placeholder maps of all three, the limit and the start
    /// key.
    fn finish(
        &'a self,
        mut body: Body,
        mut tables: Tables<'a>,
        query: bool,
        start: Option<crate::ValueBuf>,
    ) -> Result<String, Error> {
        let mut text = String::new();
        if let Some(filter) = self.filter {
            if query {
                tables.query_filter(filter, &mut text)?;
            } else {
                tables.filter(filter, &mut text)?;
            }
            body.string("FilterExpression", &text);
        }
        if let Some(projection) = self.projection {
            text.clear();
            tables.projection(projection, &mut text)?;
            body.string("ProjectionExpression", &text);
        }
        placeholders(&mut body, &tables)?;
        if let Some(limit) = self.limit {
            text.clear();
            let _ = write!(text, "{limit}");
            body.raw("Limit", &text);
        }
        if let Some(start) = start {
            body.raw("ExclusiveStartKey", &members(&start)?);
        }
        Ok(body.finish())
    }
}

/// The page a read starts after: a cursor, and the key that signed it.
#[derive(Clone, Copy, Default)]
struct After<'a> {
    cursor: Option<&'a str>,
    key: Option<&'a CursorKey>,
}

impl After<'_> {
    /// The start key of the cursor, checked for model `M` on `table`, as a map.
    fn start<M: Model>(&self, table: &str) -> Result<Option<crate::ValueBuf>, Error> {
        self.cursor
            .map(|c| start_of::<M>(table, c, self.key).map(crate::ValueBuf::M))
            .transpose()
    }
}

/// A filter that never exists.
pub enum NoFilter<M> {
    #[doc(hidden)]
    Never(
        core::convert::Infallible,
        core::marker::PhantomData<fn() -> M>,
    ),
}

impl<M> Condition for NoFilter<M> {
    type Model = M;
    const PRECEDENCE: crate::render::Precedence = crate::render::Precedence::Atom;
    fn render<'a>(&'a self, _: &mut crate::Renderer<'_, 'a>) -> Result<(), Error> {
        match *self {
            NoFilter::Never(n, _) => match n {},
        }
    }
    fn eval<It: crate::ValueRead>(&self, _: It) -> Result<bool, Error> {
        match *self {
            NoFilter::Never(n, _) => match n {},
        }
    }
}

/// A projection that never exists.
pub enum NoProjection<M> {
    #[doc(hidden)]
    Never(
        core::convert::Infallible,
        core::marker::PhantomData<fn() -> M>,
    ),
}

impl<M> Projection for NoProjection<M> {
    type Model = M;
    fn len(&self) -> usize {
        match *self {
            NoProjection::Never(n, _) => match n {},
        }
    }
    fn path(&self, _: usize) -> Option<&dyn crate::path::Segments> {
        match *self {
            NoProjection::Never(n, _) => match n {},
        }
    }
    fn render<'a>(&'a self, _: &mut crate::Renderer<'_, 'a>) -> Result<(), Error> {
        match *self {
            NoProjection::Never(n, _) => match n {},
        }
    }
}

impl<'a, M: Model, KC: KeyCondition<M>> Query<'a, M, KC> {
    /// A Query of `table` by key condition `key`.
    pub fn new(table: &'a str, key: &'a KC) -> Self {
        Query {
            read: Read::new(table),
            key,
            forward: true,
            _model: core::marker::PhantomData,
        }
    }
}

impl<'a, M: Model, KC: KeyCondition<M>, F: Condition<Model = M>, P: Projection>
    Query<'a, M, KC, F, P>
{
    /// Filters the items read (a filter may not name key attributes).
    pub fn filter<F2: Condition<Model = M>>(self, filter: &'a F2) -> Query<'a, M, KC, F2, P> {
        Query {
            read: self.read.with_filter(filter),
            key: self.key,
            forward: self.forward,
            _model: core::marker::PhantomData,
        }
    }

    /// Reads only the paths of `projection`.
    pub fn project<P2: Projection>(self, projection: &'a P2) -> Query<'a, M, KC, F, P2> {
        Query {
            read: self.read.with_projection(projection),
            key: self.key,
            forward: self.forward,
            _model: core::marker::PhantomData,
        }
    }

    /// Queries `index` of the table.
    #[must_use]
    pub fn index(mut self, index: &'a str) -> Self {
        self.read.index = Some(index);
        self
    }

    /// Reads at most `n` items a page (DynamoDB's `Limit`, which takes 1 or more: 0 is sent
    /// as 1).
    #[must_use]
    pub fn limit(mut self, n: u32) -> Self {
        self.read.limit = Some(n.max(1));
        self
    }

    /// Reads the page after the one whose [`Answer::next`] gave `cursor` (a cursor of the
    /// `awstin` crate's pages is one too). A cursor that is not one, or was made for another
    /// table, index, model or query, is [`Error::InvalidCursor`] when the request is built.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, Error, wire};
    /// let year = 2013;
    /// let key = Movie::expr(awstin_macros::cond!(year == year));
    /// let page = wire::Answer::read(200, br#"{"Items":[],"LastEvaluatedKey":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#)?;
    /// let next = page.next::<Movie>("Movies", None)?.expect("a next page");
    /// let request = wire::Query::new("Movies", &key).after(&next).build()?;
    /// assert!(request.body.contains(r#""ExclusiveStartKey":{"title":{"S":"Rush"},"year":{"N":"2013"}}"#));
    /// let other = 2014;
    /// let key_2014 = Movie::expr(awstin_macros::cond!(year == other));
    /// assert_eq!(
    ///     wire::Query::new("Movies", &key_2014).after(&next).build(),
    ///     Err(Error::InvalidCursor { reason: "made for another query" })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn after(mut self, cursor: &'a str) -> Self {
        self.read.after.cursor = Some(cursor);
        self
    }

    /// Takes only cursors signed with `key` (as [`Answer::next`] signs them when given it).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, wire};
    /// let (year, secret) = (2013, wire::CursorKey::new(&[7; 32]).expect("a key"));
    /// let key = Movie::expr(awstin_macros::cond!(year == year));
    /// let page = wire::Answer::read(200, br#"{"LastEvaluatedKey":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#)?;
    /// let unsigned = page.next::<Movie>("Movies", None)?.expect("a next page");
    /// let signed = page.next::<Movie>("Movies", Some(&secret))?.expect("a next page");
    /// assert!(wire::Query::new("Movies", &key).after(&signed).cursor_key(&secret).build().is_ok());
    /// assert!(wire::Query::new("Movies", &key).after(&unsigned).cursor_key(&secret).build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cursor_key(mut self, key: &'a CursorKey) -> Self {
        self.read.after.key = Some(key);
        self
    }

    /// Sort-key order descending.
    #[must_use]
    pub fn reverse(mut self) -> Self {
        self.forward = false;
        self
    }

    /// The request.
    pub fn build(&self) -> Result<Wire, Error> {
        let mut tables = Tables::new();
        let (mut body, start) = self.read.begin::<M>()?;
        // The key a page stopped at always meets its query's key condition: a cursor whose
        // key does not was made for another query, and DynamoDB would refuse it.
        if let Some(start) = &start
            && !self.key.eval(start.read())?
        {
            return Err(Error::InvalidCursor {
                reason: "made for another query",
            });
        }
        let mut text = String::new();
        tables.key_condition(self.key, &mut text)?;
        body.string("KeyConditionExpression", &text);
        if !self.forward {
            body.raw("ScanIndexForward", "false");
        }
        Ok(Wire {
            target: "DynamoDB_20120810.Query",
            body: self.read.finish(body, tables, true, start)?,
        })
    }
}

/// A `Scan` being built: an optional filter (which may name key attributes), projection, limit
/// and index.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::{Document, wire};
/// let (from, to) = (1950, 1959);
/// let fifties = Movie::expr(awstin_macros::cond!(year between from..=to));
/// let scan = wire::Scan::<Movie>::new("Movies").filter(&fifties).limit(100).build()?;
/// assert_eq!(scan.target, "DynamoDB_20120810.Scan");
/// assert!(scan.body.contains(r##""FilterExpression":"#n0 BETWEEN :v0 AND :v1""##));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct Scan<'a, M, F = NoFilter<M>, P = NoProjection<M>> {
    read: Read<'a, F, P>,
    _model: core::marker::PhantomData<fn() -> M>,
}

impl<'a, M: Model> Scan<'a, M> {
    /// A Scan of `table`.
    pub fn new(table: &'a str) -> Self {
        Scan {
            read: Read::new(table),
            _model: core::marker::PhantomData,
        }
    }
}

impl<'a, M: Model, F: Condition<Model = M>, P: Projection> Scan<'a, M, F, P> {
    /// Filters the items read.
    pub fn filter<F2: Condition<Model = M>>(self, filter: &'a F2) -> Scan<'a, M, F2, P> {
        Scan {
            read: self.read.with_filter(filter),
            _model: core::marker::PhantomData,
        }
    }

    /// Reads only the paths of `projection`.
    pub fn project<P2: Projection>(self, projection: &'a P2) -> Scan<'a, M, F, P2> {
        Scan {
            read: self.read.with_projection(projection),
            _model: core::marker::PhantomData,
        }
    }

    /// Scans `index` of the table.
    #[must_use]
    pub fn index(mut self, index: &'a str) -> Self {
        self.read.index = Some(index);
        self
    }

    /// Reads the page after the one whose [`Answer::next`] gave `cursor` (a cursor of the
    /// `awstin` crate's pages is one too); a cursor that is not one, or was made for another
    /// table, index or model, is [`Error::InvalidCursor`] when the request is built.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::wire;
    /// let page = wire::Answer::read(200, br#"{"Items":[],"LastEvaluatedKey":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#)?;
    /// let next = page.next::<Movie>("Movies", None)?.expect("a next page");
    /// assert!(wire::Scan::<Movie>::new("Movies").after(&next).build()?.body.contains("ExclusiveStartKey"));
    /// assert!(wire::Scan::<Movie>::new("Films").after(&next).build().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn after(mut self, cursor: &'a str) -> Self {
        self.read.after.cursor = Some(cursor);
        self
    }

    /// Takes only cursors signed with `key` (as [`Answer::next`] signs them when given it).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::wire;
    /// let secret = wire::CursorKey::new(&[7; 32]).expect("a key");
    /// let page = wire::Answer::read(200, br#"{"LastEvaluatedKey":{"year":{"N":"2013"},"title":{"S":"Rush"}}}"#)?;
    /// let signed = page.next::<Movie>("Movies", Some(&secret))?.expect("a next page");
    /// assert!(wire::Scan::<Movie>::new("Movies").after(&signed).cursor_key(&secret).build().is_ok());
    /// assert!(wire::Scan::<Movie>::new("Movies").after(&signed).build().is_err(), "signed, but no key is set");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cursor_key(mut self, key: &'a CursorKey) -> Self {
        self.read.after.key = Some(key);
        self
    }

    /// Reads at most `n` items a page (0 is sent as 1).
    #[must_use]
    pub fn limit(mut self, n: u32) -> Self {
        self.read.limit = Some(n.max(1));
        self
    }

    /// The request.
    pub fn build(&self) -> Result<Wire, Error> {
        let (body, start) = self.read.begin::<M>()?;
        Ok(Wire {
            target: "DynamoDB_20120810.Scan",
            body: self.read.finish(body, Tables::new(), false, start)?,
        })
    }
}
