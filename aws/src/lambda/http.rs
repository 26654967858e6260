//! HTTP API requests and responses (API Gateway's payload 2.0, through `aws_lambda_events`'
//! types): the parts a handler reads, a call each, each refusing what is missing or malformed
//! with the status an [`http_handler`](super::http_handler) answers it with, and JSON
//! responses.
//!
//! ```
//! use awstin::lambda::http::{self, HttpRequest};
//! use awstin::lambda::{Context, ParseError};
//!
//! #[derive(serde::Deserialize)]
//! struct NewTodo { title: String }
//!
//! struct Create { owner: String, list: String, todo: NewTodo }
//!
//! fn parse(request: HttpRequest, _: &Context) -> Result<Create, ParseError> {
//!     Ok(Create {
//!         owner: http::claim(&request, "sub")?.to_owned(),   // 401 without it
//!         list: http::path_param(&request, "list")?.to_owned(),
//!         todo: http::json_body(&request)?,                   // 400 naming the field
//!     })
//! }
//!
//! let request: HttpRequest = serde_json::from_value(serde_json::json!({
//!     "version": "2.0", "routeKey": "POST /lists/{list}/todos", "rawPath": "/lists/home/todos",
//!     "pathParameters": {"list": "home"}, "body": "{\"title\": \"milk\"}", "isBase64Encoded": false,
//!     "requestContext": {"http": {"method": "POST", "path": "/lists/home/todos"},
//!                        "authorizer": {"jwt": {"claims": {"sub": "ann"}, "scopes": null}}}
//! }))?;
//! assert_eq!(http::route(&request), "POST /lists/{list}/todos");
//! let create = parse(request, &Context::default())?;
//! assert_eq!((create.owner.as_str(), create.list.as_str(), create.todo.title.as_str()), ("ann", "home", "milk"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;

use base64::Engine as _;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ParseError, Refusal};

/// An HTTP API request (payload 2.0).
pub use aws_lambda_events::apigw::ApiGatewayV2httpRequest as HttpRequest;
/// An HTTP API response.
pub use aws_lambda_events::apigw::ApiGatewayV2httpResponse as HttpApiResponse;

/// What the helpers read of a request, wherever it is held: API Gateway's HTTP API event
/// ([`HttpRequest`]) and, with the `lambda_http` feature, `lambda_http`'s request (any
/// `http::Request`, an axum handler's included) and its head (`http::request::Parts`, an
/// axum extractor), whose API Gateway or ALB context `lambda_http` keeps in the extensions.
///
/// ```
/// use awstin::lambda::http::{HttpParts, HttpRequest};
/// let mut request = HttpRequest::default();
/// request.path_parameters.insert("id".into(), "t1".into());
/// assert_eq!(request.path_parameter("id"), Some("t1"));
/// assert_eq!(request.jwt_claims(), None);
/// ```
pub trait HttpParts {
    /// The route template matched (an HTTP API's `routeKey`, a REST API's resource).
    fn route_key(&self) -> Option<&str>;
    /// A path parameter API Gateway extracted.
    fn path_parameter(&self, name: &str) -> Option<&str>;
    /// A query parameter (the first, when repeated).
    fn query_parameter(&self, name: &str) -> Option<&str>;
    /// The claims a JWT authorizer verified.
    fn jwt_claims(&self) -> Option<&HashMap<String, String>>;
}

/// A request whose body the helpers read ([`json_body`]): API Gateway's HTTP API event and,
/// with the `lambda_http` feature, `lambda_http::Request`.
///
/// ```
/// use awstin::lambda::http::{HttpRequest, RequestBody};
/// let mut request = HttpRequest::default();
/// request.body = Some("aGk=".into());
/// request.is_base64_encoded = true;
/// assert_eq!(request.body_bytes()?.as_deref(), Some(&b"hi"[..]));
/// # Ok::<(), awstin::lambda::ParseError>(())
/// ```
pub trait RequestBody {
    /// The body's bytes (base64 decoded where the event carries it so); `None` without one.
    fn body_bytes(&self) -> Result<Option<Cow<'_, [u8]>>, ParseError>;
}

impl HttpParts for HttpRequest {
    fn route_key(&self) -> Option<&str> {
        self.route_key.as_deref()
    }
    fn path_parameter(&self, name: &str) -> Option<&str> {
        self.path_parameters.get(name).map(String::as_str)
    }
    fn query_parameter(&self, name: &str) -> Option<&str> {
        self.query_string_parameters.first(name)
    }
    fn jwt_claims(&self) -> Option<&HashMap<String, String>> {
        self.request_context
            .authorizer
            .as_ref()
            .and_then(|a| a.jwt.as_ref())
            .map(|jwt| &jwt.claims)
    }
}

impl RequestBody for HttpRequest {
    fn body_bytes(&self) -> Result<Option<Cow<'_, [u8]>>, ParseError> {
        let Some(text) = self.body.as_deref() else {
            return Ok(None);
        };
        if !self.is_base64_encoded {
            return Ok(Some(Cow::Borrowed(text.as_bytes())));
        }
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map(|bytes| Some(Cow::Owned(bytes)))
            .map_err(|_| {
                ParseError::invalid("body", "base64").for_client("the body is not valid base64")
            })
    }
}

#[cfg(feature = "lambda_http")]
mod on_lambda_http {
    use std::borrow::Cow;
    use std::collections::HashMap;

    use lambda_http::request::RequestContext;
    use lambda_http::{Body, RequestExt};

    use super::{HttpParts, RequestBody};
    use crate::lambda::ParseError;

    fn route(extensions: &lambda_http::http::Extensions) -> Option<&str> {
        match extensions.request_context_ref()? {
            RequestContext::ApiGatewayV2(c) => c.route_key.as_deref(),
            RequestContext::ApiGatewayV1(c) => c.resource_path.as_deref(),
            // An ALB's request has no route; other contexts (websockets, VPC Lattice)
            // are not HTTP API routes.
            _ => None,
        }
    }

    fn claims(extensions: &lambda_http::http::Extensions) -> Option<&HashMap<String, String>> {
        let authorizer = match extensions.request_context_ref()? {
            RequestContext::ApiGatewayV2(c) => c.authorizer.as_ref()?,
            RequestContext::ApiGatewayV1(c) => &c.authorizer,
            _ => return None,
        };
        authorizer.jwt.as_ref().map(|jwt| &jwt.claims)
    }

    /// `http`'s request types, whose API Gateway or ALB context `lambda_http` keeps in the
    /// extensions.
    trait Extensions {
        fn ext(&self) -> &lambda_http::http::Extensions;
    }

    impl<B> Extensions for lambda_http::http::Request<B> {
        fn ext(&self) -> &lambda_http::http::Extensions {
            self.extensions()
        }
    }

    impl Extensions for lambda_http::http::request::Parts {
        fn ext(&self) -> &lambda_http::http::Extensions {
            &self.extensions
        }
    }

    impl<T: Extensions> HttpParts for T {
        fn route_key(&self) -> Option<&str> {
            route(self.ext())
        }
        fn path_parameter(&self, name: &str) -> Option<&str> {
            self.ext().path_parameters_ref()?.first(name)
        }
        fn query_parameter(&self, name: &str) -> Option<&str> {
            self.ext().query_string_parameters_ref()?.first(name)
        }
        fn jwt_claims(&self) -> Option<&HashMap<String, String>> {
            claims(self.ext())
        }
    }

    impl RequestBody for lambda_http::Request {
        fn body_bytes(&self) -> Result<Option<Cow<'_, [u8]>>, ParseError> {
            // `lambda_http` has decoded a base64 body already.
            Ok(match self.body() {
                Body::Empty => None,
                body => Some(Cow::Borrowed(body.as_ref())),
            })
        }
    }
}

/// The route template API Gateway matched (`routeKey`, e.g. `GET /todos/{id}`), to route on;
/// empty when the request has none.
pub fn route<R: HttpParts + ?Sized>(request: &R) -> &str {
    request.route_key().unwrap_or("")
}

/// A path parameter of the route; missing is a 400 naming it.
///
/// ```
/// let request = awstin::lambda::http::HttpRequest::default();
/// let e = awstin::lambda::http::path_param(&request, "id").unwrap_err();
/// assert_eq!(e.to_string(), "event field `pathParameters.id` is missing");
/// ```
pub fn path_param<'r, R: HttpParts + ?Sized>(
    request: &'r R,
    name: &'static str,
) -> Result<&'r str, ParseError> {
    request
        .path_parameter(name)
        .ok_or_else(|| ParseError::missing_in("pathParameters", name))
}

/// A path parameter that addresses an item: present, not empty, and within the bytes DynamoDB
/// takes for any key attribute (1,024, a sort key's), else a 400 naming it, before a request is
/// made that DynamoDB would refuse.
///
/// ```
/// use awstin::lambda::http::{HttpRequest, path_key};
/// let mut request = HttpRequest::default();
/// request.path_parameters.insert("id".into(), "t1".into());
/// assert_eq!(path_key(&request, "id")?, "t1");
/// request.path_parameters.insert("id".into(), String::new());
/// assert_eq!(path_key(&request, "id").unwrap_err().to_string(), "event field `pathParameters.id` is not a key value of 1 to 1,024 bytes");
/// request.path_parameters.insert("id".into(), "x".repeat(1025));
/// assert!(path_key(&request, "id").is_err());
/// # Ok::<(), awstin::lambda::ParseError>(())
/// ```
pub fn path_key<'r, R: HttpParts + ?Sized>(
    request: &'r R,
    name: &'static str,
) -> Result<&'r str, ParseError> {
    path_key_value(name, path_param(request, name)?)
}

/// A path segment that addresses an item, taken from wherever the request was routed (an
/// axum `Path`, say), checked as [`path_key`] checks API Gateway's path parameter: not empty
/// and at most 1,024 bytes, else a 400 naming it.
///
/// ```
/// use awstin::lambda::http::path_key_value;
/// assert_eq!(path_key_value("id", "t1")?, "t1");
/// let e = path_key_value("id", "").unwrap_err();
/// assert_eq!(e.client_message(), "the path parameter `id` is not a key value of 1 to 1,024 bytes");
/// # Ok::<(), awstin::lambda::ParseError>(())
/// ```
pub fn path_key_value<'v>(name: &'static str, value: &'v str) -> Result<&'v str, ParseError> {
    if value.is_empty() || value.len() > awstin_core::limits::MAX_SORT_KEY_BYTES {
        return Err(ParseError::invalid_in(
            "pathParameters",
            name,
            "a key value of 1 to 1,024 bytes",
        ));
    }
    Ok(value)
}

/// A query parameter, if given (the first, when repeated).
pub fn query<'r, R: HttpParts + ?Sized>(request: &'r R, name: &str) -> Option<&'r str> {
    request.query_parameter(name)
}

/// A query parameter read as `T`, if given; one that does not read is a 400 saying what it
/// should be (`expected`), never what it was.
///
/// ```
/// use awstin::lambda::http::{query_as, HttpRequest};
/// let mut request = HttpRequest::default();
/// request.query_string_parameters = std::collections::HashMap::from([("limit".to_string(), "ten".to_string())]).into();
/// let e = query_as::<u32>(&request, "limit", "a whole number").unwrap_err();
/// assert_eq!(e.to_string(), "event field `queryStringParameters.limit` is not a whole number");
/// ```
pub fn query_as<T: FromStr>(
    request: &(impl HttpParts + ?Sized),
    name: &'static str,
    expected: &'static str,
) -> Result<Option<T>, ParseError> {
    query(request, name)
        .map(|v| {
            v.parse()
                .map_err(|_| ParseError::invalid_in("queryStringParameters", name, expected))
        })
        .transpose()
}

/// The request's body read as JSON into `T` (base64 bodies decoded first); a body missing, not
/// JSON, or not of `T`'s shape is a 400 naming the field, never its value.
///
/// ```
/// use awstin::lambda::http::{json_body, HttpRequest};
/// #[derive(serde::Deserialize, Debug)]
/// struct Todo { title: String }
/// let mut request = HttpRequest::default();
/// request.body = Some(r#"{"title": 7}"#.into());
/// let e = json_body::<Todo>(&request).unwrap_err();
/// assert_eq!(e.client_message(), "the body field `title` is not of the expected type");
/// ```
pub fn json_body<T: DeserializeOwned>(
    request: &(impl RequestBody + ?Sized),
) -> Result<T, ParseError> {
    let bytes = request
        .body_bytes()?
        .ok_or(ParseError::missing("body").for_client("the request has no body"))?;
    json_bytes(&bytes)
}

/// JSON bytes read into `T`, refused as [`json_body`] refuses a body.
fn json_bytes<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    <super::batch::Json<T> as super::batch::Body>::from_body(bytes)
        .map(|j| j.0)
        .map_err(ParseError::from_body)
}

/// The claims a JWT authorizer verified; a request without them is a 401.
pub fn claims<R: HttpParts + ?Sized>(request: &R) -> Result<&HashMap<String, String>, ParseError> {
    request.jwt_claims().ok_or_else(|| {
        ParseError::missing("requestContext.authorizer.jwt")
            .for_client("the request carries no verified token")
            .refused_as(Refusal::Unauthorized)
    })
}

/// One claim the JWT authorizer verified (`sub`, say); missing is a 401.
pub fn claim<'r, R: HttpParts + ?Sized>(
    request: &'r R,
    name: &'static str,
) -> Result<&'r str, ParseError> {
    claims(request)?
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| {
            ParseError::missing_in("requestContext.authorizer.jwt.claims", name)
                .refused_as(Refusal::Unauthorized)
        })
}

/// A JSON response of `status`. A body that does not serialize (a map with keys that are not
/// strings, a serializer's own error) is not answered as something else: the response is a 500
/// with `{"message": "the response could not be written"}`, and the error is logged.
///
/// ```
/// let r = awstin::lambda::http::json(201, &serde_json::json!({"id": "t1"}));
/// assert_eq!(r.status_code, 201);
/// let bad: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
/// assert_eq!(awstin::lambda::http::json(200, &bad).status_code, 500);
/// ```
pub fn json<T: Serialize + ?Sized>(status: u16, body: &T) -> HttpApiResponse {
    let mut r = HttpApiResponse::default();
    r.headers = super::json_headers();
    let (status, text) = match serde_json::to_string(body) {
        Ok(text) => (status, text),
        Err(e) => {
            tracing::error!(error = %e, "the response body did not serialize; answered 500");
            (
                500,
                r#"{"message":"the response could not be written"}"#.to_owned(),
            )
        }
    };
    r.status_code = i64::from(status);
    r.body = Some(aws_lambda_events::encodings::Body::Text(text));
    r
}

/// A response of `status` without a body (`204 No Content` after a delete, say).
///
/// ```
/// let r = awstin::lambda::http::empty(204);
/// assert_eq!((r.status_code, r.body), (204, None));
/// ```
pub fn empty(status: u16) -> HttpApiResponse {
    let mut r = HttpApiResponse::default();
    r.status_code = i64::from(status);
    r
}

#[cfg(feature = "axum")]
mod on_axum;
#[cfg(feature = "axum")]
pub use on_axum::{ApiError, Json};
