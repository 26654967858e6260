//! Lambda authorizer responses, in exactly the JSON AWS documents.
//!
//! A REST API (or websocket API) authorizer answers with an IAM policy: [`accept`] allows and
//! [`reject`] denies `execute-api:Invoke` on a resource. To make API Gateway answer 401 the
//! Lambda fails with the message `Unauthorized` ([`unauthorized`]); any other failure is a 500
//! ([`invalid`]), and neither leaks anything to the caller. An HTTP API authorizer with simple
//! responses answers `{"isAuthorized": ...}` ([`simple`]).
//!
//! ```
//! use awstin::lambda::auth;
//!
//! fn token_auth(token: &str, resource_arn: &str, principal_id: &str) -> auth::AuthResult {
//!     match token {
//!         "good token" => auth::accept(principal_id, resource_arn),
//!         "bad token" => auth::reject(principal_id, resource_arn),
//!         "unauthorized token" => auth::unauthorized(),
//!         _ => auth::invalid(),
//!     }
//! }
//!
//! let arn = "arn:aws:execute-api:us-east-1:123456789012:abcdef/dev/GET/";
//! let allowed = token_auth("good token", arn, "user-1")?;
//! assert_eq!(
//!     serde_json::to_string(&allowed).unwrap(),
//!     r#"{"principalId":"user-1","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"arn:aws:execute-api:us-east-1:123456789012:abcdef/dev/GET/"}]}}"#
//! );
//! assert_eq!(token_auth("unauthorized token", arn, "user-1").unwrap_err().to_string(), "Unauthorized");
//! # Ok::<(), auth::AuthRejection>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// The policy version AWS documents for authorizer policies.
pub const POLICY_VERSION: &str = "2012-10-17";
/// The action an authorizer policy grants or denies.
pub const INVOKE_ACTION: &str = "execute-api:Invoke";

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    /// Grants the call.
    Allow,
    /// Refuses the call (API Gateway answers 403).
    Deny,
}

/// One statement of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// Always [`INVOKE_ACTION`].
    pub action: &'static str,
    /// Allow or deny.
    pub effect: Effect,
    /// The method ARN.
    pub resource: String,
}

/// The IAM policy of a REST authorizer response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// Always [`POLICY_VERSION`].
    pub version: &'static str,
    /// One statement.
    pub statement: Vec<Statement>,
}

/// A value of an authorizer's `context`: API Gateway passes strings, numbers and booleans
/// only, so nothing else can be put there.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ContextValue {
    /// A string.
    String(String),
    /// A number.
    Number(serde_json::Number),
    /// A boolean.
    Bool(bool),
}

impl From<&str> for ContextValue {
    fn from(v: &str) -> Self {
        ContextValue::String(v.to_owned())
    }
}
impl From<String> for ContextValue {
    fn from(v: String) -> Self {
        ContextValue::String(v)
    }
}
impl From<bool> for ContextValue {
    fn from(v: bool) -> Self {
        ContextValue::Bool(v)
    }
}
macro_rules! context_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for ContextValue {
            fn from(v: $t) -> Self {
                ContextValue::Number(v.into())
            }
        }
    )*};
}
context_integer!(u8, u16, u32, u64, i8, i16, i32, i64);

/// The response of a REST (or websocket) API Lambda authorizer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizerResponse {
    /// Who the caller is.
    pub principal_id: String,
    /// What the caller may invoke.
    pub policy_document: PolicyDocument,
    /// Values passed to the integration as `$context.authorizer.<key>`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, ContextValue>,
    /// The API key of a usage plan, for `AUTHORIZER` API key sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_identifier_key: Option<String>,
}

impl AuthorizerResponse {
    /// Adds a `context` entry.
    ///
    /// ```
    /// let r = awstin::lambda::auth::accept("u", "arn").unwrap().with_context("tier", "gold").with_context("level", 3);
    /// assert_eq!(serde_json::to_value(&r).unwrap()["context"], serde_json::json!({"level": 3, "tier": "gold"}));
    /// ```
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key.into(), value.into());
        self
    }

    /// Sets `usageIdentifierKey`.
    ///
    /// ```
    /// let r = awstin::lambda::auth::accept("u", "arn").unwrap().with_usage_identifier_key("key-1");
    /// assert_eq!(serde_json::to_value(&r).unwrap()["usageIdentifierKey"], "key-1");
    /// ```
    pub fn with_usage_identifier_key(mut self, key: impl Into<String>) -> Self {
        self.usage_identifier_key = Some(key.into());
        self
    }
}

/// An authorizer's refusal that is not a policy: the Lambda fails with this as its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthRejection {
    /// The message `Unauthorized`: API Gateway answers 401.
    Unauthorized,
    /// Any other failure: API Gateway answers 500, with no detail for the caller.
    Invalid,
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthRejection::Unauthorized => "Unauthorized",
            AuthRejection::Invalid => "Invalid",
        })
    }
}

impl std::error::Error for AuthRejection {}

/// What an authorizer function returns.
pub type AuthResult = Result<AuthorizerResponse, AuthRejection>;

fn policy(principal_id: &str, resource_arn: &str, effect: Effect) -> AuthResult {
    Ok(AuthorizerResponse {
        principal_id: principal_id.to_owned(),
        policy_document: PolicyDocument {
            version: POLICY_VERSION,
            statement: vec![Statement {
                action: INVOKE_ACTION,
                effect,
                resource: resource_arn.to_owned(),
            }],
        },
        context: BTreeMap::new(),
        usage_identifier_key: None,
    })
}

/// Allows `principal_id` to invoke `resource_arn`.
///
/// ```
/// let r = awstin::lambda::auth::accept("user", "arn:aws:execute-api:*").unwrap();
/// assert_eq!(r.policy_document.statement[0].effect, awstin::lambda::auth::Effect::Allow);
/// ```
pub fn accept(principal_id: &str, resource_arn: &str) -> AuthResult {
    policy(principal_id, resource_arn, Effect::Allow)
}

/// Denies `principal_id` the invocation of `resource_arn` (API Gateway answers 403).
///
/// ```
/// let r = awstin::lambda::auth::reject("user", "arn:aws:execute-api:*").unwrap();
/// assert_eq!(r.policy_document.statement[0].effect, awstin::lambda::auth::Effect::Deny);
/// ```
pub fn reject(principal_id: &str, resource_arn: &str) -> AuthResult {
    policy(principal_id, resource_arn, Effect::Deny)
}

/// Makes API Gateway answer 401 Unauthorized.
///
/// ```
/// assert_eq!(awstin::lambda::auth::unauthorized().unwrap_err().to_string(), "Unauthorized");
/// ```
pub fn unauthorized() -> AuthResult {
    Err(AuthRejection::Unauthorized)
}

/// Makes API Gateway answer 500, without details.
///
/// ```
/// assert_eq!(awstin::lambda::auth::invalid().unwrap_err().to_string(), "Invalid");
/// ```
pub fn invalid() -> AuthResult {
    Err(AuthRejection::Invalid)
}

/// The simple response of an HTTP API Lambda authorizer (payload format 2.0).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimpleResponse {
    /// Whether the call is allowed (401/403 otherwise).
    pub is_authorized: bool,
    /// Values passed to the integration.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub context: BTreeMap<String, ContextValue>,
}

impl SimpleResponse {
    /// Adds a `context` entry.
    ///
    /// ```
    /// let r = awstin::lambda::auth::simple(true).with_context("user", "u-1");
    /// assert_eq!(serde_json::to_string(&r).unwrap(), r#"{"isAuthorized":true,"context":{"user":"u-1"}}"#);
    /// ```
    pub fn with_context(mut self, key: impl Into<String>, value: impl Into<ContextValue>) -> Self {
        self.context.insert(key.into(), value.into());
        self
    }
}

/// An HTTP API simple authorizer response.
///
/// ```
/// assert_eq!(serde_json::to_string(&awstin::lambda::auth::simple(false)).unwrap(), r#"{"isAuthorized":false}"#);
/// ```
pub fn simple(is_authorized: bool) -> SimpleResponse {
    SimpleResponse {
        is_authorized,
        context: BTreeMap::new(),
    }
}
