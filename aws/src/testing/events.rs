//! Events for tests: the shapes AWS sends a function, built in a line or two instead of pages
//! of JSON, as the official `aws_lambda_events` types the handlers take. They are for tests:
//! a body that does not serialize panics.
//!
//! ```
//! use awstin::testing::events;
//! let request = events::http_api("POST", "/lists/{list}/todos", "/lists/home/todos")
//!     .path_param("list", "home")
//!     .claim("sub", "ann")
//!     .json_body(&serde_json::json!({"title": "milk"}))
//!     .build();
//! assert_eq!(awstin::lambda::http::route(&request), "POST /lists/{list}/todos");
//!
//! let batch = events::sqs("orders.fifo").fifo_message("m1", "g1", r#"{"id": 1}"#).build();
//! assert_eq!(batch.records.len(), 1);
//! ```

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayV2httpRequest};
use aws_lambda_events::event::sqs::SqsEvent;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The account and region the events name.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

fn typed<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> T {
    // The JSON is built here from AWS's documented shapes; a mismatch is a bug of this module.
    serde_json::from_value(value).unwrap_or_else(|e| panic!("a test {what} event: {e}"))
}

/// An HTTP API request (payload 2.0) being built.
#[derive(Debug, Clone)]
pub struct HttpApi {
    json: Value,
}

/// An HTTP API request of `method` to route `route` (its template, `/todos/{id}`), at `path`.
///
/// ```
/// let r = awstin::testing::events::http_api("GET", "/todos/{id}", "/todos/7").path_param("id", "7").query("full", "1").build();
/// assert_eq!(awstin::lambda::http::query(&r, "full"), Some("1"));
/// ```
pub fn http_api(method: &str, route: &str, path: &str) -> HttpApi {
    HttpApi {
        json: json!({
            "version": "2.0",
            "routeKey": format!("{method} {route}"),
            "rawPath": path,
            "rawQueryString": "",
            "headers": {"content-type": "application/json"},
            "requestContext": {
                "accountId": ACCOUNT, "apiId": "api", "stage": "$default",
                "requestId": "request-1", "routeKey": format!("{method} {route}"),
                "http": {"method": method, "path": path, "protocol": "HTTP/1.1",
                         "sourceIp": "192.0.2.1", "userAgent": "test"},
                "time": "01/Dec/2026:00:00:00 +0000", "timeEpoch": 1796083200000i64
            },
            "isBase64Encoded": false
        }),
    }
}

impl HttpApi {
    /// Adds a path parameter.
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        self.json["pathParameters"][name] = value.into();
        self
    }

    /// Adds a query parameter (to the parsed parameters and the raw query string, which a
    /// router reading the URI sees).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.json["queryStringParameters"][name] = value.into();
        let raw = self.json["rawQueryString"].as_str().unwrap_or("");
        let pair = format!("{}={}", url_encoded(name), url_encoded(value));
        self.json["rawQueryString"] = if raw.is_empty() {
            pair
        } else {
            format!("{raw}&{pair}")
        }
        .into();
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.json["headers"][name.to_ascii_lowercase()] = value.into();
        self
    }

    /// Adds a claim a JWT authorizer verified.
    pub fn claim(mut self, name: &str, value: &str) -> Self {
        self.json["requestContext"]["authorizer"]["jwt"]["claims"][name] = value.into();
        if self.json["requestContext"]["authorizer"]["jwt"]["scopes"].is_null() {
            self.json["requestContext"]["authorizer"]["jwt"]["scopes"] = json!([]);
        }
        self
    }

    /// Sets a JSON body.
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.json["body"] = serde_json::to_string(body)
            .unwrap_or_else(|e| panic!("a test body: {e}"))
            .into();
        self
    }

    /// Sets a text body, as sent.
    pub fn body(mut self, body: &str) -> Self {
        self.json["body"] = body.into();
        self
    }

    /// The request.
    pub fn build(self) -> ApiGatewayV2httpRequest {
        typed(self.json, "HTTP API")
    }

    /// The request as `lambda_http` hands it to a function (an axum router, say), with a
    /// default invocation context.
    ///
    /// ```
    /// use awstin::lambda::http;
    /// let request = awstin::testing::events::http_api("GET", "/todos/{id}", "/todos/t%201")
    ///     .path_param("id", "t 1").query("after", "a&b").claim("sub", "ann").lambda_http();
    /// assert_eq!((http::path_key(&request, "id")?, http::claim(&request, "sub")?), ("t 1", "ann"));
    /// assert_eq!(request.uri().query(), Some("after=a%26b"));
    /// # Ok::<(), awstin::lambda::ParseError>(())
    /// ```
    #[cfg(feature = "lambda_http")]
    pub fn lambda_http(self) -> lambda_http::Request {
        use lambda_http::RequestExt as _;
        lambda_http::request::from_str(&self.json.to_string())
            .unwrap_or_else(|e| panic!("a test HTTP API event for lambda_http: {e}"))
            .with_lambda_context(lambda_runtime::Context::default())
    }
}

/// Text percent-encoded for a URL's query: every byte but the unreserved ones.
fn url_encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A REST API request (payload 1.0, proxy integration) being built.
#[derive(Debug, Clone)]
pub struct Rest {
    json: Value,
}

/// A REST API request of `method` to resource `resource` (its template), at `path`.
///
/// ```
/// let r = awstin::testing::events::rest("GET", "/movies", "/movies").query("year", "1992").build();
/// assert_eq!(r.query_string_parameters.first("year"), Some("1992"));
/// ```
pub fn rest(method: &str, resource: &str, path: &str) -> Rest {
    Rest {
        json: json!({
            "resource": resource, "path": path, "httpMethod": method,
            "headers": {}, "multiValueHeaders": {},
            "requestContext": {"accountId": ACCOUNT, "stage": "dev", "requestId": "request-1",
                               "httpMethod": method, "resourcePath": resource, "path": path},
            "isBase64Encoded": false
        }),
    }
}

impl Rest {
    /// Adds a path parameter.
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        self.json["pathParameters"][name] = value.into();
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.json["queryStringParameters"][name] = value.into();
        self.json["multiValueQueryStringParameters"][name] = json!([value]);
        self
    }

    /// Sets a JSON body.
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        self.json["body"] = serde_json::to_string(body)
            .unwrap_or_else(|e| panic!("a test body: {e}"))
            .into();
        self
    }

    /// The request.
    pub fn build(self) -> ApiGatewayProxyRequest {
        typed(self.json, "REST API")
    }
}

/// An SQS event being built.
#[derive(Debug, Clone)]
pub struct Sqs {
    queue: String,
    records: Vec<Value>,
}

/// An SQS event of the queue named `queue` (a FIFO queue's name ends in `.fifo`).
pub fn sqs(queue: &str) -> Sqs {
    Sqs {
        queue: queue.to_owned(),
        records: Vec::new(),
    }
}

impl Sqs {
    /// Adds a message.
    pub fn message(self, id: &str, body: &str) -> Self {
        self.with(id, None, body)
    }

    /// Adds a FIFO queue's message of message group `group`.
    pub fn fifo_message(self, id: &str, group: &str, body: &str) -> Self {
        self.with(id, Some(group), body)
    }

    fn with(mut self, id: &str, group: Option<&str>, body: &str) -> Self {
        let mut attributes = Map::new();
        attributes.insert("ApproximateReceiveCount".into(), "1".into());
        if let Some(group) = group {
            attributes.insert("MessageGroupId".into(), group.into());
        }
        self.records.push(json!({
            "messageId": id, "receiptHandle": format!("handle-{id}"), "body": body,
            "attributes": attributes, "messageAttributes": {},
            "eventSource": "aws:sqs",
            "eventSourceARN": format!("arn:aws:sqs:{REGION}:{ACCOUNT}:{}", self.queue),
            "awsRegion": REGION
        }));
        self
    }

    /// The event.
    pub fn build(self) -> SqsEvent {
        typed(json!({ "Records": self.records }), "SQS")
    }
}

/// An SNS event of one message on topic `topic` (its name).
///
/// ```
/// let e = awstin::testing::events::sns("alerts", "disk full");
/// assert_eq!(e.records[0].sns.message, "disk full");
/// ```
pub fn sns(topic: &str, message: &str) -> aws_lambda_events::event::sns::SnsEvent {
    typed(
        json!({"Records": [{
            "EventSource": "aws:sns", "EventVersion": "1.0",
            "EventSubscriptionArn": format!("arn:aws:sns:{REGION}:{ACCOUNT}:{topic}:subscription-1"),
            "Sns": {
                "Type": "Notification", "MessageId": "message-1",
                "TopicArn": format!("arn:aws:sns:{REGION}:{ACCOUNT}:{topic}"),
                "Subject": null, "Message": message, "Timestamp": "2026-12-01T00:00:00.000Z",
                "SignatureVersion": "1", "Signature": "", "SigningCertUrl": "", "UnsubscribeUrl": "",
                "MessageAttributes": {}
            }
        }]}),
        "SNS",
    )
}

/// An EventBridge event of `source` and `detail_type`, its detail `detail`.
///
/// ```
/// let e = awstin::testing::events::eventbridge("orders", "OrderPlaced", &serde_json::json!({"id": 1}));
/// assert_eq!(e.detail_type, "OrderPlaced");
/// ```
pub fn eventbridge<T: Serialize + ?Sized>(
    source: &str,
    detail_type: &str,
    detail: &T,
) -> aws_lambda_events::event::eventbridge::EventBridgeEvent {
    typed(
        json!({
            "version": "0", "id": "event-1", "detail-type": detail_type, "source": source,
            "account": ACCOUNT, "time": "2026-12-01T00:00:00Z", "region": REGION,
            "resources": [], "detail": serde_json::to_value(detail).unwrap_or(Value::Null)
        }),
        "EventBridge",
    )
}

/// A DynamoDB Streams event being built from a model's items (feature `streams`).
#[cfg(feature = "streams")]
#[derive(Debug, Clone, Default)]
pub struct DynamoDbStream {
    records: Vec<Value>,
}

/// A DynamoDB Streams event (`NEW_AND_OLD_IMAGES`) of changes to items of a model.
///
/// ```
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// let m = Movie { year: 2013, title: "Rush".into(), rating: 8.1 };
/// let event = awstin::testing::events::dynamodb_stream().insert(&m).remove(&m).build();
/// let changes = awstin::lambda::stream::changes::<Movie>(event);
/// assert_eq!(changes.len(), 2);
/// ```
#[cfg(feature = "streams")]
pub fn dynamodb_stream() -> DynamoDbStream {
    DynamoDbStream::default()
}

#[cfg(feature = "streams")]
impl DynamoDbStream {
    /// An item written where none was.
    pub fn insert<M: awstin_core::Model + awstin_core::Encode>(self, new: &M) -> Self {
        self.change::<M>("INSERT", None, Some(new))
    }

    /// An item changed from `old` to `new`.
    pub fn modify<M: awstin_core::Model + awstin_core::Encode>(self, old: &M, new: &M) -> Self {
        self.change::<M>("MODIFY", Some(old), Some(new))
    }

    /// An item deleted.
    pub fn remove<M: awstin_core::Model + awstin_core::Encode>(self, old: &M) -> Self {
        self.change::<M>("REMOVE", Some(old), None)
    }

    fn change<M: awstin_core::Model + awstin_core::Encode>(
        mut self,
        name: &str,
        old: Option<&M>,
        new: Option<&M>,
    ) -> Self {
        let image = |m: &M| -> Value {
            let mut text = String::new();
            awstin_core::json::to_json(m, &mut text).unwrap_or_else(|e| panic!("a test item: {e}"));
            let value: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("a test item: {e}"));
            value.get("M").cloned().unwrap_or(value)
        };
        let any = new.or(old).map(image).unwrap_or(Value::Null);
        let mut keys = Map::new();
        for attribute in std::iter::once(M::KEY.partition).chain(M::KEY.sort) {
            if let Some(v) = any.get(attribute.name) {
                keys.insert(attribute.name.to_owned(), v.clone());
            }
        }
        let n = self.records.len() + 1;
        let mut change = json!({
            "Keys": keys, "SequenceNumber": format!("{}", 100 + n),
            "SizeBytes": 100, "StreamViewType": "NEW_AND_OLD_IMAGES",
            "ApproximateCreationDateTime": 1796083200.0
        });
        if let Some(new) = new {
            change["NewImage"] = image(new);
        }
        if let Some(old) = old {
            change["OldImage"] = image(old);
        }
        self.records.push(json!({
            "eventID": format!("event-{n}"), "eventName": name, "eventVersion": "1.1",
            "eventSource": "aws:dynamodb", "awsRegion": REGION, "dynamodb": change,
            "eventSourceARN": format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{}/stream/2026-12-01T00:00:00.000", M::SOURCE.table())
        }));
        self
    }

    /// The event.
    pub fn build(self) -> crate::lambda::stream::Event {
        typed(json!({ "Records": self.records }), "DynamoDB Streams")
    }
}
