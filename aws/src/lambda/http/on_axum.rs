//! The crate's errors as axum responses (the `axum` feature), for an axum router run on
//! `lambda_http`: a handler returns `Result<_, ApiError>` and uses `?` on any error.

use axum::extract::{FromRequest, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::lambda::{ParseError, client_input, error_chain};

/// An axum handler's error. What the client's request caused is answered with its status and
/// a message for the client: a [`ParseError`] (its refusal), an error [`client_input`] knows
/// (a refused cursor, a key value DynamoDB would refuse, an idempotency key reused with
/// another body), or one made by [`ApiError::client`]. Anything else is a 500 whose body says
/// nothing of the cause; the error's whole chain goes to the log.
///
/// ```
/// use awstin::lambda::http::ApiError;
/// use axum::response::IntoResponse;
/// let refused = awstin::dynamodb::Error::from(awstin::dynamodb::Refusal::EmptyKeyValue { attribute: "id" });
/// assert_eq!(ApiError::from(refused).into_response().status(), 400);
/// assert_eq!(ApiError::from(std::io::Error::other("disk")).into_response().status(), 500);
/// assert_eq!(ApiError::client(409, "the name is taken").into_response().status(), 409);
/// ```
pub struct ApiError {
    error: Box<dyn std::error::Error + Send + Sync>,
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for ApiError {
    fn from(error: E) -> ApiError {
        ApiError {
            error: Box::new(error),
        }
    }
}

/// A client's error the application names: its status and message.
#[derive(Debug)]
struct Client {
    status: u16,
    message: String,
}

impl std::fmt::Display for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (answered {})", self.message, self.status)
    }
}

impl std::error::Error for Client {}

impl ApiError {
    /// An error the client's request caused, answered with `status` and `{"message": message}`
    /// (a name already taken, say).
    ///
    /// ```
    /// let e = awstin::lambda::http::ApiError::client(409, "the name is taken");
    /// assert_eq!(e.answer(), (409, "the name is taken".to_owned()));
    /// ```
    pub fn client(status: u16, message: impl Into<String>) -> ApiError {
        ApiError::from(Client {
            status,
            message: message.into(),
        })
    }

    /// The status and the client's message this error is answered with (500 and
    /// `"internal error"` for an error the client did not cause).
    ///
    /// ```
    /// let e = awstin::lambda::http::ApiError::from(std::io::Error::other("disk"));
    /// assert_eq!(e.answer(), (500, "internal error".to_owned()));
    /// ```
    pub fn answer(&self) -> (u16, String) {
        self.client_answer()
            .unwrap_or_else(|| (500, "internal error".to_owned()))
    }

    fn client_answer(&self) -> Option<(u16, String)> {
        let e: &(dyn std::error::Error + 'static) = self.error.as_ref();
        if let Some(p) = e.downcast_ref::<ParseError>() {
            return Some((p.refusal().code(), p.client_message().to_owned()));
        }
        if let Some(c) = e.downcast_ref::<Client>() {
            return Some((c.status, c.message.clone()));
        }
        client_input(e)
    }
}

impl std::fmt::Debug for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("ApiError").field(&self.error).finish()
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&error_chain(self.error.as_ref()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let chain = error_chain(self.error.as_ref());
        let (status, message) = match self.client_answer() {
            Some(answer) => {
                tracing::warn!(status = answer.0, error = %chain, "the client's request caused the error; answered");
                answer
            }
            None => {
                tracing::error!(error = %chain, "the request failed; answered 500");
                (500, "internal error".to_owned())
            }
        };
        let status = axum::http::StatusCode::from_u16(status)
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({ "message": message }).to_string();
        (
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response()
    }
}

impl IntoResponse for ParseError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

/// A JSON body read into `T` as [`json_body`](super::json_body) reads one: a body missing,
/// not JSON or not of `T`'s shape is a 400 naming the field, never quoting its value (axum's
/// own `Json` quotes it).
///
/// ```
/// use awstin::lambda::http::Json;
/// use axum::extract::FromRequest;
/// #[derive(serde::Deserialize)]
/// struct Todo { title: String }
/// let runtime = tokio::runtime::Builder::new_current_thread().build()?;
/// let request = axum::http::Request::new(axum::body::Body::from(r#"{"title": "s3cr3t", "done": 7}"#));
/// let Json(todo) = runtime.block_on(Json::<Todo>::from_request(request, &())).map_err(|e| e.to_string())?;
/// assert_eq!(todo.title, "s3cr3t");
/// let request = axum::http::Request::new(axum::body::Body::from(r#"{"title": 7}"#));
/// let e = runtime.block_on(Json::<Todo>::from_request(request, &())).err().unwrap();
/// assert_eq!(e.answer(), (400, "the body field `title` is not of the expected type".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::client(e.status().as_u16(), "the body could not be read"))?;
        if bytes.is_empty() {
            return Err(ParseError::missing("body")
                .for_client("the request has no body")
                .into());
        }
        Ok(Json(super::json_bytes(&bytes)?))
    }
}
