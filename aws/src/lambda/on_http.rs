//! Handlers on `lambda_http` (the `lambda_http` feature): the parser takes its `Request`
//! (an `http::Request` with API Gateway's or an ALB's context in its extensions), the
//! function answers anything `lambda_http` turns into a response, and the invocation is
//! logged and its refusals and client errors answered as for API Gateway's event types.

use std::future::Future;

use lambda_http::request::RequestContext;
use lambda_http::{Body, IntoResponse, Request, RequestExt, Response};
use serde_json::{Map, Value, json};

use super::{Context, Handler, HttpResponse, ParseError, Refusals, json_headers, refusal_body};

impl HttpResponse for Response<Body> {
    fn refusal(status: u16, message: &str) -> Self {
        let mut response = Response::new(refusal_body(message));
        *response.status_mut() = lambda_http::http::StatusCode::from_u16(status)
            .unwrap_or(lambda_http::http::StatusCode::BAD_REQUEST);
        *response.headers_mut() = json_headers();
        response
    }
}

impl<P, F, M> Handler<P, F, M> {
    /// Handles one `lambda_http` request as [`call`](Handler::call) handles an event: parses
    /// it (with the invocation's context `lambda_http` put in its extensions), runs the
    /// function, answers a refusal or a client's error with its status (an
    /// [`http_handler`](super::http_handler)), and logs the invocation.
    ///
    /// ```
    /// use awstin::lambda::{http, http_handler, Context, ParseError};
    /// use lambda_http::{Body, Request, RequestExt, Response};
    /// let handler = http_handler(
    ///     |r: Request, _: &Context| Ok::<_, ParseError>(http::path_key(&r, "id")?.to_owned()),
    ///     |id: String| async move { Ok::<_, std::convert::Infallible>(Response::new(Body::from(id))) },
    /// );
    /// let request = lambda_http::request::from_str(r#"{"version": "2.0", "routeKey": "GET /todos/{id}",
    ///     "rawPath": "/todos/t1", "pathParameters": {"id": "t1"},
    ///     "requestContext": {"http": {"method": "GET", "path": "/todos/t1"}}}"#)?
    ///     .with_lambda_context(Context::default());
    /// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    /// let response = runtime.block_on(handler.call_http(request))?;
    /// assert_eq!((response.status().as_u16(), response.body().as_ref()), (200, &b"t1"[..]));
    /// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
    /// ```
    pub async fn call_http<I, Fut, R, Err>(
        &self,
        request: Request,
    ) -> Result<Response<Body>, lambda_runtime::Error>
    where
        P: Fn(Request, &Context) -> Result<I, ParseError>,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<R, Err>>,
        R: IntoResponse,
        Err: std::error::Error + Send + Sync + 'static,
        M: Refusals<Response<Body>>,
    {
        self.invoke_http(request)
            .await
            .map_err(|failed| failed.error)
    }

    async fn invoke_http<I, Fut, R, Err>(
        &self,
        request: Request,
    ) -> Result<Response<Body>, super::Failed>
    where
        P: Fn(Request, &Context) -> Result<I, ParseError>,
        F: Fn(I) -> Fut,
        Fut: Future<Output = Result<R, Err>>,
        R: IntoResponse,
        Err: std::error::Error + Send + Sync + 'static,
        M: Refusals<Response<Body>>,
    {
        let context = request.lambda_context_ref().cloned().unwrap_or_default();
        let shape = event_of(&request);
        self.invoke_as(
            request,
            context,
            shape,
            |input| async {
                let answer = (self.inner)(input).await?;
                Ok::<_, Err>(answer.into_response().await)
            },
            response_of,
        )
        .await
    }

    /// Runs the handler on `lambda_http` (which reads API Gateway's and ALB's events into its
    /// `Request`) until the runtime stops it. A failed invocation is reported to Lambda as
    /// [`run`](Handler::run) reports it.
    ///
    /// ```no_run
    /// # use awstin::lambda::{http, http_handler, Context, ParseError};
    /// # async fn f() -> Result<(), lambda_runtime::Error> {
    /// awstin::lambda::init_tracing();
    /// http_handler(
    ///     |r: lambda_http::Request, _: &Context| Ok::<_, ParseError>(http::path_key(&r, "id")?.to_owned()),
    ///     |id: String| async move { Ok::<_, std::convert::Infallible>(id) },
    /// )
    /// .run_http()
    /// .await
    /// # }
    /// ```
    pub async fn run_http<I, Fut, R, Err>(self) -> Result<(), lambda_runtime::Error>
    where
        P: Fn(Request, &Context) -> Result<I, ParseError> + Sync,
        F: Fn(I) -> Fut + Sync,
        Fut: Future<Output = Result<R, Err>> + Send,
        I: Send,
        R: IntoResponse + Send,
        Err: std::error::Error + Send + Sync + 'static,
        M: Refusals<Response<Body>> + Sync,
    {
        let handler = &self;
        lambda_http::run(lambda_http::service_fn(
            move |request: Request| async move {
                handler
                    .invoke_http(request)
                    .await
                    .map_err(super::Failed::diagnostic)
            },
        ))
        .await
    }
}

/// The request as API Gateway's or ALB's event would have it, for the log's summary, the
/// secrets cut out of it and the redacted event: headers, query, path, body, and the context.
fn event_of(request: &Request) -> Value {
    let headers: Map<String, Value> = request
        .headers()
        .iter()
        .map(|(name, value)| {
            let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), Value::String(text))
        })
        .collect();
    let mut event = json!({
        "headers": headers,
        "rawPath": request.uri().path(),
        "rawQueryString": request.uri().query().unwrap_or(""),
    });
    match request.body() {
        Body::Empty => {}
        Body::Text(text) => event["body"] = Value::String(text.clone()),
        body => {
            use base64::Engine as _;
            let bytes: &[u8] = body.as_ref();
            event["body"] = base64::engine::general_purpose::STANDARD
                .encode(bytes)
                .into();
            event["isBase64Encoded"] = true.into();
        }
    }
    let method = request.method().as_str();
    match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(c)) => {
            event["version"] = "2.0".into();
            event["routeKey"] = c.route_key.clone().into();
            event["requestContext"] = serde_json::to_value(c).unwrap_or(Value::Null);
        }
        Some(RequestContext::ApiGatewayV1(c)) => {
            event["resource"] = c.resource_path.clone().into();
            event["httpMethod"] = method.into();
            event["requestContext"] = serde_json::to_value(c).unwrap_or(Value::Null);
        }
        Some(RequestContext::Alb(c)) => {
            event["httpMethod"] = method.into();
            event["requestContext"] = serde_json::to_value(c).unwrap_or(Value::Null);
        }
        _ => {}
    }
    event
}

/// A response as API Gateway's response would have it, for the log.
fn response_of(response: &Response<Body>) -> Value {
    let body = std::str::from_utf8(response.body().as_ref()).unwrap_or("(binary)");
    json!({ "statusCode": response.status().as_u16(), "body": body })
}
