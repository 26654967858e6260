//! Lambda handlers made of an event parser and a pure function.
//!
//! The parser turns the event and context into the function's input; the function holds the
//! business logic and can be tested on its own ([`Handler::inner`]), the parser too. The
//! handler runs on the official `lambda_runtime` and logs each invocation through `tracing`:
//! by default one summary line that cannot hold a secret ([`Summary`]: the event source and
//! route template, the status, the duration), and for a failure the error with its whole
//! chain of causes ([`error_chain`]). The full event and result are logged only when asked
//! for ([`EventLog::Redacted`]), and then redacted ([`redact`]). [`init_tracing`] sets up
//! `tracing` for CloudWatch in one call.
//!
//! ```
//! use awstin::lambda::{lambda_handler, Context, ParseError};
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
//! // In `main`: awstin::lambda::init_tracing(); handler.run().await
//! ```

pub mod auth;
pub mod batch;
pub mod http;
#[cfg(feature = "dynamodb")]
pub mod idempotency;
#[cfg(feature = "lambda_http")]
mod on_http;
mod redact;
#[cfg(feature = "streams")]
pub mod stream;
mod summary;

use std::fmt;
use std::future::Future;
use std::time::Instant;

pub use lambda_runtime::{Context, LambdaEvent};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use redact::{REDACTED, is_secret_name, redact, redacted_json};
pub use summary::{EventSource, Summary, result_status};

/// A parser's refusal of an event: what is missing or malformed. It names the field, never
/// its value: the field names and reasons it is made from are `'static` texts, so a value
/// read from the event cannot be formatted into it ([`typed_event`]'s add the path serde
/// reports, which names map keys and list indexes, not values).
///
/// A value cannot be passed where a field name goes:
///
/// ```compile_fail
/// let token: String = "s3cr3t".into();
/// let _ = awstin::lambda::ParseError::missing(&token);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// For the developer (its `Display`, the log): where in the event.
    message: String,
    /// For the API's client, when it differs: what in the request.
    client: Option<String>,
    refusal: Refusal,
}

/// How an API's client names the part of the event a field is in.
fn part_for_client(part: &str) -> &'static str {
    match part {
        "queryStringParameters" | "multiValueQueryStringParameters" => "the query parameter",
        "pathParameters" => "the path parameter",
        "headers" | "multiValueHeaders" => "the header",
        "requestContext.authorizer.jwt.claims" => "the token's claim",
        "body" => "the body field",
        _ => "the field",
    }
}

/// The HTTP status an [`http_handler`] answers a refused request with (400 unless the parser
/// says otherwise): the client's request was at fault, so it is a response, never a failed
/// invocation (which API Gateway turns into a 5xx).
///
/// ```
/// assert_eq!(awstin::lambda::Refusal::NotFound.code(), 404);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Refusal {
    /// 400.
    #[default]
    BadRequest,
    /// 401: no credentials, or credentials not taken.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 405.
    MethodNotAllowed,
    /// 409.
    Conflict,
    /// 413.
    PayloadTooLarge,
    /// 422.
    UnprocessableEntity,
}

impl Refusal {
    /// The status code.
    pub const fn code(self) -> u16 {
        match self {
            Refusal::BadRequest => 400,
            Refusal::Unauthorized => 401,
            Refusal::Forbidden => 403,
            Refusal::NotFound => 404,
            Refusal::MethodNotAllowed => 405,
            Refusal::Conflict => 409,
            Refusal::PayloadTooLarge => 413,
            Refusal::UnprocessableEntity => 422,
        }
    }
}

impl ParseError {
    /// A required field is missing.
    ///
    /// ```
    /// assert_eq!(awstin::lambda::ParseError::missing("headers.AuthToken").to_string(), "event field `headers.AuthToken` is missing");
    /// ```
    pub fn missing(field: &'static str) -> ParseError {
        ParseError {
            message: format!("event field `{field}` is missing"),
            client: Some(format!("`{field}` is missing")),
            refusal: Refusal::BadRequest,
        }
    }

    /// A field is there but does not hold what is expected.
    ///
    /// ```
    /// assert_eq!(
    ///     awstin::lambda::ParseError::invalid("queryStringParameters.year", "a whole number").to_string(),
    ///     "event field `queryStringParameters.year` is not a whole number"
    /// );
    /// ```
    pub fn invalid(field: &'static str, expected: &'static str) -> ParseError {
        ParseError {
            message: format!("event field `{field}` is not {expected}"),
            client: Some(format!("`{field}` is not {expected}")),
            refusal: Refusal::BadRequest,
        }
    }

    /// Any other reason.
    ///
    /// ```
    /// assert_eq!(awstin::lambda::ParseError::new("`from` and `to` go together").to_string(), "`from` and `to` go together");
    /// ```
    pub fn new(message: &'static str) -> ParseError {
        ParseError {
            message: message.to_owned(),
            client: None,
            refusal: Refusal::BadRequest,
        }
    }

    /// A field of a part of the event is missing: `part.name` (both texts of the program).
    ///
    /// ```
    /// assert_eq!(awstin::lambda::ParseError::missing_in("pathParameters", "id").to_string(), "event field `pathParameters.id` is missing");
    /// ```
    pub fn missing_in(part: &'static str, name: &'static str) -> ParseError {
        ParseError {
            message: format!("event field `{part}.{name}` is missing"),
            client: Some(format!("{} `{name}` is missing", part_for_client(part))),
            refusal: Refusal::BadRequest,
        }
    }

    /// A field of a part of the event does not hold what is expected.
    ///
    /// ```
    /// assert_eq!(
    ///     awstin::lambda::ParseError::invalid_in("queryStringParameters", "limit", "a whole number").to_string(),
    ///     "event field `queryStringParameters.limit` is not a whole number"
    /// );
    /// ```
    pub fn invalid_in(
        part: &'static str,
        name: &'static str,
        expected: &'static str,
    ) -> ParseError {
        ParseError {
            message: format!("event field `{part}.{name}` is not {expected}"),
            client: Some(format!(
                "{} `{name}` is not {expected}",
                part_for_client(part)
            )),
            refusal: Refusal::BadRequest,
        }
    }

    /// A body that does not read as the handler's type (its text names fields, never values).
    pub(crate) fn from_body(e: batch::BodyError) -> ParseError {
        ParseError {
            message: format!("event field `body`: {e}"),
            client: Some(e.to_string()),
            refusal: Refusal::BadRequest,
        }
    }

    /// The refusal with `message` for the API's client in place of the one made from the
    /// field (the developer's, its `Display`, stays in the log).
    ///
    /// ```
    /// use awstin::lambda::ParseError;
    /// let e = ParseError::missing_in("headers", "x-api-key").for_client("an API key is needed");
    /// assert_eq!(e.client_message(), "an API key is needed");
    /// assert_eq!(e.to_string(), "event field `headers.x-api-key` is missing");
    /// ```
    #[must_use]
    pub fn for_client(mut self, message: impl Into<String>) -> ParseError {
        self.client = Some(message.into());
        self
    }

    /// What an API's client is told: the field by the name the client knows it by (`the
    /// query parameter `year` is missing`), never a value.
    ///
    /// ```
    /// use awstin::lambda::ParseError;
    /// let e = ParseError::invalid_in("queryStringParameters", "limit", "a whole number");
    /// assert_eq!(e.client_message(), "the query parameter `limit` is not a whole number");
    /// ```
    pub fn client_message(&self) -> &str {
        self.client.as_deref().unwrap_or(&self.message)
    }

    /// The same refusal, answered with `refusal`'s status by an [`http_handler`].
    ///
    /// ```
    /// use awstin::lambda::{ParseError, Refusal};
    /// let e = ParseError::missing("requestContext.authorizer.jwt.claims.sub").refused_as(Refusal::Unauthorized);
    /// assert_eq!(e.refusal().code(), 401);
    /// ```
    #[must_use]
    pub fn refused_as(mut self, refusal: Refusal) -> ParseError {
        self.refusal = refusal;
        self
    }

    /// The status an [`http_handler`] answers it with.
    pub fn refusal(&self) -> Refusal {
        self.refusal
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// What the handler logs of each invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EventLog {
    /// One line per invocation that cannot hold a secret: request id, [`Summary`] of the
    /// event, the result's [`result_status`], the duration; and for a failure, the error
    /// chain. The default.
    #[default]
    Summary,
    /// The summary, and the event and the result in full, redacted by [`redact`], at
    /// `DEBUG` level. For debugging; the redaction covers the credentials of AWS's event
    /// shapes, not every secret an application may put in a body.
    Redacted,
}

/// A Lambda handler: a parser `P` and a pure function `F`; `M` says what a parser's refusal
/// becomes ([`Plain`]: a failed invocation; [`Http`]: a response with its status).
#[derive(Debug, Clone)]
pub struct Handler<P, F, M = Plain> {
    parser: P,
    inner: F,
    log: EventLog,
    /// The user's mappings of a function's error caused by the client's request, before the
    /// crate's own ([`client_input`]).
    client_errors: Vec<ClientErrors>,
    _mode: std::marker::PhantomData<M>,
}

/// A mapping of a function's error caused by the client's request to the status and message an
/// [`http_handler`] answers it with; `None` for another error. It is tried on the error and on
/// each of its causes.
pub type ClientErrors = fn(&(dyn std::error::Error + 'static)) -> Option<(u16, String)>;

/// The errors of this crate that the client's request causes, as an [`http_handler`] answers
/// them: a page cursor refused (400 "the cursor is not valid"), a key value DynamoDB would
/// refuse (400 naming the attribute: empty, too long, not a composed key's value), an
/// idempotency key reused with another request (422) or one whose request is still running
/// (409, to retry later). The message is for the client; the error's chain goes to the log.
///
/// ```
/// use awstin::dynamodb::{Error, Refusal};
/// let e = Error::from(Refusal::EmptyKeyValue { attribute: "id" });
/// assert_eq!(awstin::lambda::client_input(&e), Some((400, "`id` may not be empty".to_owned())));
/// assert_eq!(awstin::lambda::client_input(&std::io::Error::other("disk")), None);
/// ```
pub fn client_input(error: &(dyn std::error::Error + 'static)) -> Option<(u16, String)> {
    let mut at = Some(error);
    while let Some(e) = at {
        #[cfg(feature = "dynamodb")]
        if let Some(crate::dynamodb::Error::Refused(refusal)) =
            e.downcast_ref::<crate::dynamodb::Error>()
        {
            use awstin_core::Error as R;
            match refusal {
                R::InvalidCursor { .. } => {
                    return Some((400, "the cursor is not valid".to_owned()));
                }
                R::EmptyKeyValue { attribute } => {
                    return Some((400, format!("`{attribute}` may not be empty")));
                }
                R::KeyValueTooLong { attribute, max, .. } => {
                    return Some((400, format!("`{attribute}` is longer than {max} bytes")));
                }
                R::KeyText { .. } => {
                    return Some((400, "a key value is not valid".to_owned()));
                }
                _ => {}
            }
        }
        #[cfg(feature = "dynamodb")]
        if let Some(reused) = e.downcast_ref::<idempotency::KeyReused>() {
            return Some((422, reused.to_string()));
        }
        #[cfg(feature = "dynamodb")]
        if let Some(running) = e.downcast_ref::<idempotency::KeyInProgress>() {
            return Some((409, running.to_string()));
        }
        at = e.source();
    }
    None
}

/// A handler whose parser's refusal fails the invocation ([`lambda_handler`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

/// A handler of API Gateway or ALB requests whose parser's refusal is a response
/// ([`http_handler`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Http;

/// What a parser's refusal becomes in a handler of mode `Self`, for a function answering `R`.
pub trait Refusals<R> {
    /// The response to answer a refusal with, if it is answered.
    fn refuse(e: &ParseError) -> Option<R>;
    /// The response to answer a client's error of `status` with, if it is answered.
    fn answer(status: u16, message: &str) -> Option<R>;
}

impl<R> Refusals<R> for Plain {
    fn refuse(_: &ParseError) -> Option<R> {
        None
    }
    fn answer(_: u16, _: &str) -> Option<R> {
        None
    }
}

impl<R: HttpResponse> Refusals<R> for Http {
    fn refuse(e: &ParseError) -> Option<R> {
        tracing::info!(
            status = e.refusal().code(),
            refused = %e,
            "the request was refused; answered"
        );
        Some(R::refusal(e.refusal().code(), e.client_message()))
    }
    fn answer(status: u16, message: &str) -> Option<R> {
        Some(R::refusal(status, message))
    }
}

/// A response an [`http_handler`] can answer a refused request with.
pub trait HttpResponse {
    /// A response of `status` whose JSON body is `{"message": message}`.
    fn refusal(status: u16, message: &str) -> Self;
}

fn refusal_body(message: &str) -> aws_lambda_events::encodings::Body {
    aws_lambda_events::encodings::Body::Text(serde_json::json!({ "message": message }).to_string())
}

fn json_headers() -> aws_lambda_events::http::HeaderMap {
    let mut headers = aws_lambda_events::http::HeaderMap::new();
    headers.insert(
        aws_lambda_events::http::header::CONTENT_TYPE,
        aws_lambda_events::http::HeaderValue::from_static("application/json"),
    );
    headers
}

/// The responses of API Gateway's REST and HTTP APIs, which share these fields.
macro_rules! http_response {
    ($($t:ty),*) => {$(
        impl HttpResponse for $t {
            fn refusal(status: u16, message: &str) -> Self {
                let mut r = <$t>::default();
                r.status_code = i64::from(status);
                r.headers = json_headers();
                r.body = Some(refusal_body(message));
                r
            }
        }
    )*};
}

http_response!(
    aws_lambda_events::apigw::ApiGatewayProxyResponse,
    aws_lambda_events::apigw::ApiGatewayV2httpResponse
);

/// Builds a handler from an event parser and the function it feeds: the parser turns the
/// event and context into the function's input (or refuses it), the function does the work.
///
/// ```
/// # use awstin::lambda::{lambda_handler, Context, ParseError};
/// let handler = lambda_handler(
///     |event: serde_json::Value, _: &Context| Ok::<_, ParseError>(event["n"].as_u64().unwrap_or(0)),
///     |n: u64| async move { Ok::<_, std::convert::Infallible>(n * 2) },
/// );
/// # let _ = handler;
/// ```
pub fn lambda_handler<P, F>(parser: P, inner: F) -> Handler<P, F> {
    Handler {
        parser,
        inner,
        log: EventLog::Summary,
        client_errors: Vec::new(),
        _mode: std::marker::PhantomData,
    }
}

/// A handler of API Gateway (REST or HTTP API) or ALB requests: like [`lambda_handler`], but a
/// parser's refusal is the response of its status ([`ParseError::refused_as`], 400 unless
/// said), with the JSON body `{"message": ...}` (the refusal's text, which names fields, never
/// values), not a failed invocation that API Gateway would answer with a 5xx.
///
/// ```
/// use awstin::aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
/// use awstin::lambda::{http_handler, Context, LambdaEvent, ParseError};
/// let handler = http_handler(
///     |r: ApiGatewayV2httpRequest, _: &Context| r.path_parameters.get("id").cloned().ok_or(ParseError::missing("pathParameters.id")),
///     |_id: String| async move { Ok::<_, std::convert::Infallible>(ApiGatewayV2httpResponse::default()) },
/// );
/// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let response = runtime.block_on(handler.call(LambdaEvent::new(ApiGatewayV2httpRequest::default(), Context::default()))).unwrap();
/// assert_eq!(response.status_code, 400);
/// ```
pub fn http_handler<P, F>(parser: P, inner: F) -> Handler<P, F, Http> {
    Handler {
        parser,
        inner,
        log: EventLog::Summary,
        client_errors: Vec::new(),
        _mode: std::marker::PhantomData,
    }
}

/// The chain of an error and its causes, each level's message joined by `": "`; the AWS
/// SDK's errors add their code and message. For logs.
///
/// ```
/// let e = std::io::Error::other("disk full");
/// assert_eq!(awstin::lambda::error_chain(&e), "disk full");
/// ```
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(e) = next {
        let level = e.to_string();
        if !text.ends_with(&level) {
            text.push_str(": ");
            text.push_str(&level);
        }
        next = e.source();
    }
    text
}

/// Sets up `tracing` for CloudWatch, through `lambda_runtime`'s own set-up: JSON lines when
/// the function's log format is JSON (`AWS_LAMBDA_LOG_FORMAT`), plain lines otherwise; the
/// level from `AWS_LAMBDA_LOG_LEVEL`, else `RUST_LOG`, else `INFO`. Call it once, first
/// thing in `main`; without a subscriber, `tracing` writes nothing.
///
/// ```no_run
/// awstin::lambda::init_tracing();
/// tracing::info!("ready");
/// ```
pub fn init_tracing() {
    lambda_runtime::tracing::init_default_subscriber();
}

/// Reads a JSON event into the handler's event type, as [`Handler::run`] does; a mismatch
/// names the field, never its value (serde's own messages quote the value).
///
/// ```
/// use aws_lambda_events::apigw::ApiGatewayProxyRequest;
/// let event = serde_json::json!({"httpMethod": "GET", "stageVariables": {"key": ["s3cr3t"]}});
/// let e = awstin::lambda::typed_event::<ApiGatewayProxyRequest>(event).unwrap_err();
/// assert!(e.to_string().starts_with("event field `stageVariables.key` does not fit"));
/// assert!(!e.to_string().contains("s3cr3t"));
/// ```
pub fn typed_event<E: DeserializeOwned>(event: Value) -> Result<E, ParseError> {
    serde_path_to_error::deserialize(event).map_err(|e| {
        let path = e.path().to_string();
        let target = std::any::type_name::<E>();
        ParseError {
            refusal: Refusal::BadRequest,
            client: Some("the request is not of the expected shape".to_owned()),
            message: if path == "." {
                format!("the event does not fit the handler's event type {target}")
            } else {
                format!("event field `{path}` does not fit the handler's event type {target}")
            },
        }
    })
}

impl<P, F, M> Handler<P, F, M> {
    /// The pure function, for tests: call it with an input, without an event.
    ///
    /// ```
    /// # use awstin::lambda::{lambda_handler, Context, ParseError};
    /// let handler = lambda_handler(|e: u64, _: &Context| Ok::<_, ParseError>(e), |n: u64| async move { Ok::<_, std::convert::Infallible>(n + 1) });
    /// let _function = handler.inner();
    /// ```
    pub fn inner(&self) -> &F {
        &self.inner
    }

    /// The parser, for tests.
    ///
    /// ```
    /// # use awstin::lambda::{lambda_handler, Context, ParseError};
    /// let handler = lambda_handler(|e: u64, _: &Context| Ok::<_, ParseError>(e), |n: u64| async move { Ok::<_, std::convert::Infallible>(n + 1) });
    /// assert_eq!((handler.parser())(4, &Context::default()), Ok(4));
    /// ```
    pub fn parser(&self) -> &P {
        &self.parser
    }

    /// Adds a mapping of the function's errors the client's request causes (a condition false
    /// that means "already exists", an idempotency key reused with another body) to the
    /// response an [`http_handler`] answers them with, tried before the crate's own
    /// ([`client_input`]); a [`lambda_handler`] answers none. Any other error stays a failed
    /// invocation, its chain in the log.
    ///
    /// ```
    /// use awstin::lambda::{http_handler, Context, LambdaEvent, ParseError};
    /// use awstin::aws_lambda_events::apigw::{ApiGatewayV2httpRequest, ApiGatewayV2httpResponse};
    /// #[derive(Debug)]
    /// struct Taken;
    /// impl std::fmt::Display for Taken {
    ///     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str("the name is taken") }
    /// }
    /// impl std::error::Error for Taken {}
    /// let handler = http_handler(
    ///     |_: ApiGatewayV2httpRequest, _: &Context| Ok::<_, ParseError>(()),
    ///     |()| async move { Err::<ApiGatewayV2httpResponse, _>(Taken) },
    /// )
    /// .client_errors(|e| e.downcast_ref::<Taken>().map(|t| (409, t.to_string())));
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let response = runtime.block_on(handler.call(LambdaEvent::new(ApiGatewayV2httpRequest::default(), Context::default()))).unwrap();
    /// assert_eq!(response.status_code, 409);
    /// ```
    #[must_use]
    pub fn client_errors(mut self, map: ClientErrors) -> Self {
        self.client_errors.push(map);
        self
    }

    /// The response to a function's error the client's request caused, if the handler answers
    /// one (logged with the error's chain, the event's secrets cut out of it).
    fn client_error<R, E>(&self, e: &E, event: &Value) -> Option<R>
    where
        M: Refusals<R>,
        E: std::error::Error + 'static,
    {
        // The user's mappings on the error and each of its causes, then the crate's.
        let top: &(dyn std::error::Error + 'static) = e;
        let user = std::iter::successors(Some(top), |e| e.source())
            .find_map(|level| self.client_errors.iter().find_map(|map| map(level)));
        let (status, message) = user.or_else(|| client_input(e))?;
        let response = M::answer(status, &message)?;
        let chain = redact::cut_from(error_chain(e), &redact::secret_values(event));
        tracing::warn!(
            status,
            error = %chain,
            "the client's request caused the function's error; answered"
        );
        Some(response)
    }

    /// Chooses what is logged of each invocation ([`EventLog::Summary`] by default).
    ///
    /// ```
    /// # use awstin::lambda::{lambda_handler, Context, EventLog, ParseError};
    /// let handler = lambda_handler(|e: u64, _: &Context| Ok::<_, ParseError>(e), |n: u64| async move { Ok::<_, std::convert::Infallible>(n + 1) })
    ///     .log_events(EventLog::Redacted);
    /// # let _ = handler;
    /// ```
    #[must_use]
    pub fn log_events(mut self, log: EventLog) -> Self {
        self.log = log;
        self
    }

    /// Handles one event: parses it, runs the function, and logs the invocation (see
    /// [`EventLog`]). A failure's log line carries the error's chain of causes with every
    /// value the event holds under a credential's name cut out ([`redact`]'s rules), so an
    /// error that quotes a token from the event does not put it in the log.
    ///
    /// ```
    /// # use awstin::lambda::{lambda_handler, Context, LambdaEvent, ParseError};
    /// let handler = lambda_handler(|e: u64, _: &Context| Ok::<_, ParseError>(e), |n: u64| async move { Ok::<_, std::convert::Infallible>(n + 1) });
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let out = runtime.block_on(handler.call(LambdaEvent::new(41, Context::default())));
    /// assert_eq!(out.unwrap(), 42);
    /// ```
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
        M: Refusals<R>,
    {
        self.invoke(event).await.map_err(|failed| failed.error)
    }

    async fn invoke<E, I, Fut, R, Err>(&self, event: LambdaEvent<E>) -> Result<R, Failed>
    where
        E: Serialize,
        P: Fn(E, &Context) -> Result<I, ParseError>,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<R, Err>>,
        R: Serialize,
        Err: std::error::Error + Send + Sync + 'static,
        M: Refusals<R>,
    {
        let (payload, context) = event.into_parts();
        let shape = serde_json::to_value(&payload).unwrap_or(Value::Null);
        self.invoke_as(
            payload,
            context,
            shape,
            |input| (self.inner)(input),
            |r: &R| serde_json::to_value(r).unwrap_or(Value::Null),
        )
        .await
    }

    /// Handles one event: `shape` is the event as JSON (for the summary, the secrets cut out
    /// of the log, the redacted event), `inner` the function, `view` the result as JSON.
    async fn invoke_as<E, I, Fut, R, Err>(
        &self,
        payload: E,
        context: Context,
        shape: Value,
        inner: impl FnOnce(I) -> Fut,
        view: impl Fn(&R) -> Value,
    ) -> Result<R, Failed>
    where
        P: Fn(E, &Context) -> Result<I, ParseError>,
        Fut: Future<Output = Result<R, Err>>,
        Err: std::error::Error + Send + Sync + 'static,
        M: Refusals<R>,
    {
        let started = Instant::now();
        let summary = Summary::of_event(&shape);
        if self.log == EventLog::Redacted {
            let mut full = shape.clone();
            redact(&mut full);
            tracing::debug!(request_id = %context.request_id, event = %full, "lambda event");
        }
        let outcome = match (self.parser)(payload, &context) {
            // Boxed: the function's future nests the futures of every call it makes (SDK
            // requests, retries, streams), and inline in `main`'s future it can outgrow the
            // compiler's layout depth limit. One allocation per invocation keeps a user's
            // `main` at the default `recursion_limit`.
            Ok(input) => match Box::pin(inner(input)).await {
                Ok(result) => Ok(result),
                Err(e) => match self.client_error(&e, &shape) {
                    // The client's request caused it: a response, not a failed invocation.
                    Some(response) => Ok(response),
                    None => Err((Stage::Function, Box::new(e) as lambda_runtime::Error)),
                },
            },
            Err(e) => match M::refuse(&e) {
                // The client's request was refused: a response, not a failed invocation.
                Some(response) => Ok(response),
                None => Err((Stage::Parser, Box::new(e) as lambda_runtime::Error)),
            },
        };
        let duration_ms = started.elapsed().as_millis();
        let kind = summary.kind.as_deref().unwrap_or("");
        let route = summary.route.as_deref().unwrap_or("");
        let records = summary.records.unwrap_or(0);
        match outcome {
            Ok(result) => {
                let result_value = view(&result);
                let status = result_status(&result_value);
                tracing::info!(
                    request_id = %context.request_id,
                    source = summary.source.as_str(),
                    kind,
                    route,
                    records,
                    status = status.as_deref().unwrap_or(""),
                    duration_ms,
                    "lambda invocation"
                );
                if self.log == EventLog::Redacted {
                    let mut full = result_value;
                    redact(&mut full);
                    tracing::debug!(request_id = %context.request_id, result = %full, "lambda result");
                }
                Ok(result)
            }
            Err((stage, error)) => {
                let message =
                    redact::cut_from(error_chain(error.as_ref()), &redact::secret_values(&shape));
                tracing::error!(
                    request_id = %context.request_id,
                    source = summary.source.as_str(),
                    kind,
                    route,
                    records,
                    failed_in = stage.name(),
                    duration_ms,
                    error = %message,
                    "lambda invocation failed"
                );
                Err(Failed {
                    stage,
                    error,
                    message,
                })
            }
        }
    }

    /// Runs the handler on the Lambda runtime until the runtime stops it. The runtime's
    /// JSON is read into `E` here, so that an event that does not fit names the field and
    /// not its value. A failed invocation is reported to Lambda with the message its log
    /// line carries (secrets of the event cut out) and an error type naming where it
    /// failed: `EventTypeError`, `ParseError` or `FunctionError`.
    ///
    /// ```no_run
    /// # use awstin::lambda::{lambda_handler, Context, ParseError};
    /// # async fn f() -> Result<(), lambda_runtime::Error> {
    /// awstin::lambda::init_tracing();
    /// lambda_handler(|e: u64, _: &Context| Ok::<_, ParseError>(e), |n: u64| async move { Ok::<_, std::convert::Infallible>(n + 1) })
    ///     .run()
    ///     .await
    /// # }
    /// ```
    pub async fn run<E, I, Fut, R, Err>(self) -> Result<(), lambda_runtime::Error>
    where
        E: Serialize + DeserializeOwned,
        P: Fn(E, &Context) -> Result<I, ParseError>,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<R, Err>>,
        R: Serialize,
        Err: std::error::Error + Send + Sync + 'static,
        M: Refusals<R>,
    {
        let handler = &self;
        lambda_runtime::run(lambda_runtime::service_fn(
            move |event: LambdaEvent<Value>| async move {
                let (payload, context) = event.into_parts();
                let typed = handler.typed(payload, &context)?;
                handler
                    .invoke(LambdaEvent::new(typed, context))
                    .await
                    .map_err(Failed::diagnostic)
            },
        ))
        .await
    }

    fn typed<E: DeserializeOwned>(
        &self,
        payload: Value,
        context: &Context,
    ) -> Result<E, lambda_runtime::Diagnostic> {
        let summary = Summary::of_event(&payload);
        let secrets = redact::secret_values(&payload);
        typed_event(payload).map_err(|e| {
            let message = redact::cut_from(e.to_string(), &secrets);
            tracing::error!(
                request_id = %context.request_id,
                source = summary.source.as_str(),
                failed_in = Stage::EventType.name(),
                error = %message,
                "lambda invocation failed"
            );
            Failed {
                stage: Stage::EventType,
                error: Box::new(e),
                message,
            }
            .diagnostic()
        })
    }
}

/// Where an invocation failed.
#[derive(Debug, Clone, Copy)]
enum Stage {
    EventType,
    Parser,
    Function,
}

impl Stage {
    /// The `failed_in` field of the log line.
    fn name(self) -> &'static str {
        match self {
            Stage::EventType => "event type",
            Stage::Parser => "parser",
            Stage::Function => "function",
        }
    }
}

/// A failed invocation: the error, and its chain as logged (the event's secrets cut out).
struct Failed {
    stage: Stage,
    error: lambda_runtime::Error,
    message: String,
}

impl Failed {
    /// What Lambda is told: the logged message, and the stage as the error type.
    fn diagnostic(self) -> lambda_runtime::Diagnostic {
        let error_type = match self.stage {
            Stage::EventType => "EventTypeError",
            Stage::Parser => "ParseError",
            Stage::Function => "FunctionError",
        };
        lambda_runtime::Diagnostic {
            error_type: error_type.to_owned(),
            error_message: self.message,
        }
    }
}
