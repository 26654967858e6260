//! A request as the JSON protocol sends it ([`Wire`]: its target and body) and the writer of
//! its body.

use alloc::string::String;
use core::fmt::Write as _;

use crate::expr::render::Placeholder;
use crate::op::{Action, Expressions, Write};
use crate::values::json::{to_json, write_string};
use crate::{error::Error, values::value::Encode};

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
    /// let get = awstin_core::op::ReadSpec::<Movie>::get("Movies", awstin_core::op::Key::of::<Movie, _>(&(2013, "Rush"))).build(awstin_core::wire::read)?;
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
    /// [`Signed::headers`](crate::protocol::sigv4::Signed::headers) with the body.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::sigv4::{Credentials, Scope};
    /// let get = awstin_core::op::ReadSpec::<Movie>::get("Movies", awstin_core::op::Key::of::<Movie, _>(&(2013, "Rush"))).build(awstin_core::wire::read)?;
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
        credentials: &crate::protocol::sigv4::Credentials<'_>,
        scope: &crate::protocol::sigv4::Scope<'_>,
    ) -> crate::protocol::sigv4::Signed {
        let headers = self.headers();
        let request = crate::protocol::sigv4::Request {
            method: "POST",
            host,
            path: "/",
            query: &[],
            headers: &headers,
            body: self.body.as_bytes(),
        };
        crate::protocol::sigv4::sign(&request, credentials, scope)
    }
}

/// A JSON object being written.
pub(super) struct Body {
    pub(super) text: String,
    first: bool,
}

impl Body {
    pub(super) fn new() -> Body {
        Body {
            text: String::from("{"),
            first: true,
        }
    }

    pub(super) fn key(&mut self, name: &str) {
        if !self.first {
            self.text.push(',');
        }
        self.first = false;
        let _ = write_string(&mut self.text, name);
        self.text.push(':');
    }

    pub(super) fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        let _ = write_string(&mut self.text, value);
    }

    pub(super) fn raw(&mut self, name: &str, json: &str) {
        self.key(name);
        self.text.push_str(json);
    }

    /// A member holding `value`'s DynamoDB JSON, or a map's members (`{"M":{..}}` → `{..}`).
    pub(super) fn members(&mut self, name: &str, value: &dyn Encode) -> Result<(), Error> {
        self.key(name);
        let start = self.text.len();
        to_json(value, &mut self.text)?;
        // `{"M":` ... `}`: keep what is between.
        if self.text.as_bytes()[start..].starts_with(br#"{"M":"#) {
            self.text.drain(start..start + 5);
            self.text.pop();
        }
        Ok(())
    }

    pub(super) fn finish(mut self) -> String {
        self.text.push('}');
        self.text
    }
}

/// Writes the expressions of `e` and their placeholder maps into `body`.
pub(super) fn expressions(body: &mut Body, e: &Expressions<'_>) -> Result<(), Error> {
    for (name, text) in [
        ("KeyConditionExpression", &e.key_condition),
        ("FilterExpression", &e.filter),
        ("UpdateExpression", &e.update),
        ("ConditionExpression", &e.condition),
        ("ProjectionExpression", &e.projection),
    ] {
        if let Some(text) = text {
            body.string(name, text);
        }
    }
    if e.names().len() > 0 {
        let mut names = Body::new();
        for (p, name) in e.names() {
            names.string(&placeholder(p), name);
        }
        body.raw("ExpressionAttributeNames", &names.finish());
    }
    if e.values().len() > 0 {
        let mut values = Body::new();
        for (p, value) in e.values() {
            values.key(&placeholder(p));
            to_json(value, &mut values.text)?;
        }
        body.raw("ExpressionAttributeValues", &values.finish());
    }
    Ok(())
}

pub(super) fn placeholder(p: Placeholder) -> String {
    let mut s = String::new();
    let _ = write!(s, "{p}");
    s
}

/// The members of a write's body after `TableName`: the item or key, the expressions and, for
/// a write with a condition, the request for the stored item of a false one.
pub(super) fn write_members(body: &mut Body, w: &Write<'_>) -> Result<(), Error> {
    match w.action() {
        Action::Put(item) => body.members("Item", &item)?,
        Action::Update(key) | Action::Delete(key) | Action::Check(key) => {
            body.members("Key", &key)?;
        }
    }
    expressions(body, w.expressions())?;
    if w.is_conditional() {
        body.string("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
    }
    Ok(())
}

/// The member's name in a `TransactWriteItems` (`Put`, `Update`, `Delete`, `ConditionCheck`).
pub(super) fn member_name(w: &Write<'_>) -> &'static str {
    match w.action() {
        Action::Put(_) => "Put",
        Action::Update(_) => "Update",
        Action::Delete(_) => "Delete",
        Action::Check(_) => "ConditionCheck",
    }
}

/// A transaction member's JSON: `{"Put":{...}}` and the like.
pub(super) fn member(w: &Write<'_>) -> Result<String, Error> {
    let mut inner = Body::new();
    inner.string("TableName", w.table());
    write_members(&mut inner, w)?;
    let mut member = Body::new();
    member.raw(member_name(w), &inner.finish());
    Ok(member.finish())
}
