//! Websocket pushes through the API Gateway Management API.
//!
//! ```no_run
//! # async fn f() -> Result<(), awstin::apigateway::websocket::Error> {
//! use awstin::apigateway::websocket::{Delivery, Websocket};
//! let socket = Websocket::from_env("abc123.execute-api.us-east-1.amazonaws.com", "dev").await;
//! if socket.send("connection-id", "a message").await? == Delivery::Gone {
//!     // the client disconnected: forget its connection id
//! }
//! # Ok(()) }
//! ```

use std::fmt;

use aws_config::BehaviorVersion;
use aws_sdk_apigatewaymanagement::Client;
use aws_sdk_apigatewaymanagement::error::ProvideErrorMetadata;
use aws_sdk_apigatewaymanagement::primitives::Blob;
use futures::stream::{self, StreamExt};

/// Connections pushed to at once by [`Websocket::broadcast`].
pub const BROADCAST_CONCURRENCY: usize = 16;

/// What happened to a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Delivered to the connection.
    Sent,
    /// The connection is closed (`GoneException`, HTTP 410): the caller should forget it.
    Gone,
}

/// Why a push failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// API Gateway throttled the push (`LimitExceededException`, HTTP 429) after the
    /// client's retries: sending again later may succeed.
    Throttled,
    /// Anything else: a refused request, a missing permission, a transport failure.
    Other,
}

/// A push that failed for another reason than a closed connection.
#[derive(Debug)]
pub struct Error {
    connection_id: String,
    kind: ErrorKind,
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl Error {
    /// The connection the push was for.
    ///
    /// ```no_run
    /// # async fn f(socket: awstin::apigateway::websocket::Websocket) {
    /// if let Err(e) = socket.send("abc", "hi").await { eprintln!("push to {} failed", e.connection_id()); }
    /// # }
    /// ```
    pub fn connection_id(&self) -> &str {
        &self.connection_id
    }

    /// Why the push failed.
    ///
    /// ```no_run
    /// # async fn f(socket: awstin::apigateway::websocket::Websocket) {
    /// use awstin::apigateway::websocket::ErrorKind;
    /// if let Err(e) = socket.send("abc", "hi").await {
    ///     if e.kind() == ErrorKind::Throttled { /* try again later */ }
    /// }
    /// # }
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Whether sending again later may succeed (the push was throttled).
    ///
    /// ```no_run
    /// # async fn f(socket: awstin::apigateway::websocket::Websocket) {
    /// if let Err(e) = socket.send("abc", "hi").await { assert_eq!(e.is_retryable(), e.kind() == awstin::apigateway::websocket::ErrorKind::Throttled); }
    /// # }
    /// ```
    pub fn is_retryable(&self) -> bool {
        self.kind == ErrorKind::Throttled
    }
}

/// Every connection's outcome of a [`Websocket::broadcast`]: each connection given is in
/// exactly one list.
#[derive(Debug, Default)]
pub struct Broadcast {
    /// Connections the message was delivered to.
    pub sent: Vec<String>,
    /// Closed connections ([`Delivery::Gone`]): forget them.
    pub gone: Vec<String>,
    /// Pushes that failed otherwise; each error names its connection.
    pub failed: Vec<Error>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Throttled => write!(
                f,
                "PostToConnection to connection {}: API Gateway throttled the push after retries",
                self.connection_id
            ),
            ErrorKind::Other => write!(
                f,
                "PostToConnection to connection {}: the push failed",
                self.connection_id
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// Pushes to the connections of one websocket API stage.
#[derive(Debug, Clone)]
pub struct Websocket {
    client: Client,
}

impl Websocket {
    /// The stage `stage` of the API at `domain_name`: posts go to
    /// `https://{domain_name}/{stage}/@connections/{id}`. Credentials and region come from the
    /// environment.
    ///
    /// ```no_run
    /// # async fn f() {
    /// let socket = awstin::apigateway::websocket::Websocket::from_env("abc.execute-api.us-east-1.amazonaws.com", "dev").await;
    /// # }
    /// ```
    pub async fn from_env(domain_name: &str, stage: &str) -> Websocket {
        Websocket::from_endpoint(&format!("https://{domain_name}/{stage}")).await
    }

    /// Posts to `endpoint` (e.g. a test server) instead of the API's domain; credentials and
    /// region from the environment.
    ///
    /// ```no_run
    /// # async fn f() {
    /// let socket = awstin::apigateway::websocket::Websocket::from_endpoint("http://127.0.0.1:8080/dev").await;
    /// # }
    /// ```
    pub async fn from_endpoint(endpoint: &str) -> Websocket {
        let config = aws_config::defaults(BehaviorVersion::latest()).load().await;
        Websocket::from_sdk_config(&config, endpoint)
    }

    /// The stage at `endpoint` (`https://{domain}/{stage}`), with a client from a shared AWS
    /// configuration.
    ///
    /// ```no_run
    /// # async fn f() {
    /// let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    /// let socket = awstin::apigateway::websocket::Websocket::from_sdk_config(&config, "https://abc.execute-api.us-east-1.amazonaws.com/dev");
    /// # }
    /// ```
    pub fn from_sdk_config(config: &aws_config::SdkConfig, endpoint: &str) -> Websocket {
        let config = aws_sdk_apigatewaymanagement::config::Builder::from(config)
            .endpoint_url(endpoint)
            .build();
        Websocket {
            client: Client::from_conf(config),
        }
    }

    /// Wraps a client configured elsewhere (its endpoint must be the API stage's).
    ///
    /// ```no_run
    /// # fn f(client: aws_sdk_apigatewaymanagement::Client) {
    /// let socket = awstin::apigateway::websocket::Websocket::from_client(client);
    /// # }
    /// ```
    pub fn from_client(client: Client) -> Websocket {
        Websocket { client }
    }

    /// Sends `message` to `connection_id`; [`Delivery::Gone`] when the connection is closed.
    pub async fn send(
        &self,
        connection_id: &str,
        message: impl AsRef<[u8]>,
    ) -> Result<Delivery, Error> {
        let result = self
            .client
            .post_to_connection()
            .connection_id(connection_id)
            .data(Blob::new(message.as_ref()))
            .send()
            .await;
        match result {
            Ok(_) => Ok(Delivery::Sent),
            Err(e)
                if e.code() == Some("GoneException")
                    || e.raw_response().map(|r| r.status().as_u16()) == Some(410) =>
            {
                Ok(Delivery::Gone)
            }
            Err(e) => {
                let throttled = matches!(
                    e.code(),
                    Some("LimitExceededException" | "TooManyRequestsException")
                ) || e.raw_response().map(|r| r.status().as_u16()) == Some(429);
                Err(Error {
                    connection_id: connection_id.to_owned(),
                    kind: if throttled {
                        ErrorKind::Throttled
                    } else {
                        ErrorKind::Other
                    },
                    source: Box::new(e),
                })
            }
        }
    }

    /// Sends `message` to every connection, [`BROADCAST_CONCURRENCY`] at a time, and
    /// reports each connection's outcome: sent, gone, or failed with its error. The lists
    /// are sorted by connection id.
    ///
    /// ```no_run
    /// # async fn f(socket: awstin::apigateway::websocket::Websocket, ids: Vec<String>) {
    /// let outcome = socket.broadcast(ids, "a message").await;
    /// for id in &outcome.gone { /* forget id */ }
    /// for e in &outcome.failed { eprintln!("{}: {e}", e.connection_id()); }
    /// # }
    /// ```
    pub async fn broadcast<I, S>(&self, connection_ids: I, message: impl AsRef<[u8]>) -> Broadcast
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let message = message.as_ref();
        let results: Vec<(String, Result<Delivery, Error>)> =
            stream::iter(connection_ids.into_iter().map(Into::into))
                .map(|id: String| async move {
                    let outcome = self.send(&id, message).await;
                    (id, outcome)
                })
                .buffer_unordered(BROADCAST_CONCURRENCY)
                .collect()
                .await;
        let mut outcome = Broadcast::default();
        for (id, result) in results {
            match result {
                Ok(Delivery::Sent) => outcome.sent.push(id),
                Ok(Delivery::Gone) => outcome.gone.push(id),
                Err(e) => outcome.failed.push(e),
            }
        }
        outcome.sent.sort();
        outcome.gone.sort();
        outcome
            .failed
            .sort_by(|a, b| a.connection_id.cmp(&b.connection_id));
        outcome
    }
}
