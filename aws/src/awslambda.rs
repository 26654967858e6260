//! Lambda handlers made of an event parser and a pure function.
//!
//! The parser turns the event and context into the function's input; the function holds the
//! business logic and can be tested on its own ([`Handler::inner`]), the parser too. The
//! handler runs on the official `lambda_runtime`, logs the incoming event and the result
//! through `tracing` with secrets redacted, and turns a parser error into a Lambda error.
//!
//! ```
//! use awstin::awslambda::{lambda_handler, Context, ParseError};
//! use serde_json::{json, Value};
//!
//! fn my_parser(event: Value, _context: &Context) -> Result<(i64, String), ParseError> {
//!     let a = event["a"].as_i64().ok_or(ParseError::missing("a"))?;
//!     let b = event["b"].as_str().ok_or(ParseError::missing("b"))?.to_owned();
//!     Ok((a, b))
//! }
//!
//! async fn my_function((a, b): (i64, String)) -> Result<String, std::convert::Infallible> {
//!     Ok(format!("{b}{a}"))
//! }
//!
//! let handler = lambda_handler(my_parser, my_function);
//! // The parts are testable apart:
//! assert_eq!(my_parser(json!({"a": 1, "b": "x"}), &Context::default()).unwrap(), (1, "x".to_string()));
//! let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
//! let out = runtime.block_on((handler.inner())((1, "abc".to_string())));
//! assert_eq!(out.unwrap(), "abc1");
//! // In `main`: handler.run().await
//! ```

use std::fmt;
use std::future::Future;

pub use lambda_runtime::{Context, LambdaEvent};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The text that replaces a secret in logs.
pub const REDACTED: &str = "[REDACTED]";

/// A parser's refusal of an event: what is missing or malformed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    message: String,
}

impl ParseError {
    /// A required field is missing.
    ///
    /// ```
    /// assert_eq!(awstin::awslambda::ParseError::missing("headers.AuthToken").to_string(), "event field `headers.AuthToken` is missing");
    /// ```
    pub fn missing(field: &str) -> ParseError {
        ParseError {
            message: format!("event field `{field}` is missing"),
        }
    }

    /// Any other reason.
    ///
    /// ```
    /// assert_eq!(awstin::awslambda::ParseError::new("bad date").to_string(), "bad date");
    /// ```
    pub fn new(message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// A Lambda handler: a parser `P` and a pure function `F`.
#[derive(Debug, Clone)]
pub struct Handler<P, F> {
    parser: P,
    inner: F,
}

/// Builds a handler from an event parser and the function it feeds, as the seed's
/// `lambda_handler(parser)` decorator does.
///
/// ```
/// # use awstin::awslambda::{lambda_handler, Context, ParseError};
/// let handler = lambda_handler(
///     |event: serde_json::Value, _: &Context| Ok::<_, ParseError>(event["n"].as_u64().unwrap_or(0)),
///     |n: u64| async move { Ok::<_, std::convert::Infallible>(n * 2) },
/// );
/// # let _ = handler;
/// ```
pub fn lambda_handler<P, F>(parser: P, inner: F) -> Handler<P, F> {
    Handler { parser, inner }
}

impl<P, F> Handler<P, F> {
    /// The pure function, for tests (the seed's `.inner`).
    pub fn inner(&self) -> &F {
        &self.inner
    }

    /// The parser, for tests.
    pub fn parser(&self) -> &P {
        &self.parser
    }

    /// Handles one event: logs it (redacted), parses it, runs the function, logs the result.
    pub async fn call<E, I, Fut, R, Err>(
        &self,
        event: LambdaEvent<E>,
    ) -> Result<R, lambda_runtime::Error>
    where
        E: Serialize,
        P: Fn(E, &Context) -> Result<I, ParseError>,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<R, Err>>,
        R: Serialize,
        Err: std::error::Error + Send + Sync + 'static,
    {
        let (payload, context) = event.into_parts();
        tracing::info!(request_id = %context.request_id, event = %redacted_json(&payload), "lambda event");
        let input = match (self.parser)(payload, &context) {
            Ok(input) => input,
            Err(e) => {
                tracing::error!(request_id = %context.request_id, error = %e, "event could not be parsed");
                return Err(Box::new(e));
            }
        };
        match (self.inner)(input).await {
            Ok(result) => {
                tracing::info!(request_id = %context.request_id, result = %redacted_json(&result), "lambda result");
                Ok(result)
            }
            Err(e) => {
                tracing::error!(request_id = %context.request_id, error = %e, "lambda failed");
                Err(Box::new(e))
            }
        }
    }

    /// Runs the handler on the Lambda runtime until the runtime stops it.
    pub async fn run<E, I, Fut, R, Err>(self) -> Result<(), lambda_runtime::Error>
    where
        E: Serialize + DeserializeOwned,
        P: Fn(E, &Context) -> Result<I, ParseError>,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<R, Err>>,
        R: Serialize,
        Err: std::error::Error + Send + Sync + 'static,
    {
        let handler = &self;
        lambda_runtime::run(lambda_runtime::service_fn(
            move |event: LambdaEvent<E>| async move { handler.call(event).await },
        ))
        .await
    }
}

fn sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("authorization")
        || k == "authtoken"
        || k == "auth-token"
        || k.contains("cookie")
        || k == "x-api-key"
}

fn query_key(key: &str) -> bool {
    matches!(
        key,
        "queryStringParameters" | "multiValueQueryStringParameters"
    )
}

fn sensitive_query_parameter(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.contains("token")
        || n.contains("secret")
        || n.contains("password")
        || n == "key"
        || n.ends_with("_key")
}

fn redact_query_string(raw: &str) -> String {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if sensitive_query_parameter(name) => format!("{name}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Replaces secrets in a JSON event: authorization headers and tokens, cookies, API keys, and
/// query-string parameters that carry tokens, secrets or keys.
///
/// ```
/// use serde_json::json;
/// let mut event = json!({
///     "headers": {"Authorization": "Bearer abc", "AuthToken": "t", "Accept": "*/*"},
///     "queryStringParameters": {"token": "t2", "page": "2"},
///     "rawQueryString": "page=2&access_token=t3",
/// });
/// awstin::awslambda::redact(&mut event);
/// assert_eq!(event, json!({
///     "headers": {"Authorization": "[REDACTED]", "AuthToken": "[REDACTED]", "Accept": "*/*"},
///     "queryStringParameters": {"token": "[REDACTED]", "page": "2"},
///     "rawQueryString": "page=2&access_token=[REDACTED]",
/// }));
/// ```
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if sensitive_key(key) {
                    *v = Value::String(REDACTED.to_owned());
                } else if query_key(key) {
                    if let Value::Object(params) = v {
                        for (name, p) in params.iter_mut() {
                            if sensitive_query_parameter(name) {
                                *p = Value::String(REDACTED.to_owned());
                            }
                        }
                    }
                } else if key == "rawQueryString" || key == "querystring" {
                    if let Value::String(raw) = v {
                        *raw = redact_query_string(raw);
                    }
                } else {
                    redact(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// A value as JSON with secrets redacted, for logs.
///
/// ```
/// let line = awstin::awslambda::redacted_json(&serde_json::json!({"headers": {"cookie": "s=1"}}));
/// assert_eq!(line, r#"{"headers":{"cookie":"[REDACTED]"}}"#);
/// ```
pub fn redacted_json<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(mut v) => {
            redact(&mut v);
            v.to_string()
        }
        Err(e) => format!("<not serializable: {e}>"),
    }
}
