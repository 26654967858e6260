//! The summary the handler logs of each invocation by default: fields that name the kind of
//! event and its route, and never carry what a client sent.
//!
//! The route is the *template* API Gateway matched (`resource`, `routeKey`, e.g.
//! `GET /movies/{id}`), never the path itself, which can hold a token; an ALB event, which
//! has no template, gives its method only. Header, query, body and authorizer values are
//! never read.

use std::fmt;

use serde_json::Value;

/// Where an event comes from, read from its shape: the one list of the sources the handler
/// tells apart, and the `source` field of its log line.
///
/// ```
/// use awstin::lambda::EventSource;
/// let sqs = serde_json::json!({"Records": [{"eventSource": "aws:sqs", "body": "x"}]});
/// assert_eq!(EventSource::of_event(&sqs), EventSource::Sqs);
/// assert_eq!(EventSource::Sqs.as_str(), "sqs");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum EventSource {
    /// API Gateway REST API (payload 1.0): `apigateway-rest`.
    ApiGatewayRest,
    /// API Gateway HTTP API (payload 2.0): `apigateway-http`.
    ApiGatewayHttp,
    /// API Gateway websocket API: `apigateway-websocket`.
    ApiGatewayWebsocket,
    /// An API Gateway Lambda authorizer (`TOKEN` or `REQUEST`): `apigateway-authorizer`.
    ApiGatewayAuthorizer,
    /// An Application Load Balancer: `alb`.
    Alb,
    /// SQS: `sqs`.
    Sqs,
    /// SNS: `sns`.
    Sns,
    /// DynamoDB Streams: `dynamodb-streams`.
    DynamoDbStreams,
    /// Kinesis Data Streams: `kinesis`.
    Kinesis,
    /// EventBridge (and CloudWatch Events): `eventbridge`.
    EventBridge,
    /// Anything else: `other`.
    #[default]
    Other,
}

impl EventSource {
    /// The name the log line gives the source.
    ///
    /// ```
    /// assert_eq!(awstin::lambda::EventSource::DynamoDbStreams.as_str(), "dynamodb-streams");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            EventSource::ApiGatewayRest => "apigateway-rest",
            EventSource::ApiGatewayHttp => "apigateway-http",
            EventSource::ApiGatewayWebsocket => "apigateway-websocket",
            EventSource::ApiGatewayAuthorizer => "apigateway-authorizer",
            EventSource::Alb => "alb",
            EventSource::Sqs => "sqs",
            EventSource::Sns => "sns",
            EventSource::DynamoDbStreams => "dynamodb-streams",
            EventSource::Kinesis => "kinesis",
            EventSource::EventBridge => "eventbridge",
            EventSource::Other => "other",
        }
    }

    /// The source of an event, from its shape (see [`Summary::of_event`]).
    ///
    /// ```
    /// use awstin::lambda::EventSource;
    /// let http = serde_json::json!({"version": "2.0", "routeKey": "GET /todos"});
    /// assert_eq!(EventSource::of_event(&http), EventSource::ApiGatewayHttp);
    /// ```
    pub fn of_event(event: &Value) -> EventSource {
        Summary::of_event(event).source
    }
}

impl fmt::Display for EventSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the default log line says of an event and its result.
///
/// ```
/// use awstin::lambda::Summary;
/// let event = serde_json::json!({
///     "resource": "/movies/{id}", "path": "/movies/abc", "httpMethod": "GET",
///     "requestContext": {"apiId": "a1", "stage": "dev"},
///     "headers": {"Authorization": "Bearer t"},
/// });
/// let s = Summary::of_event(&event);
/// assert_eq!((s.source.as_str(), s.route.as_deref()), ("apigateway-rest", Some("GET /movies/{id}")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The event source.
    pub source: EventSource,
    /// The kind within the source: the websocket event type (`CONNECT`, `MESSAGE`, ...), the
    /// authorizer type (`TOKEN`, `REQUEST`), a stream's event names (`INSERT,MODIFY`), or
    /// EventBridge's `source` and `detail-type`.
    pub kind: Option<String>,
    /// The route template, or the method of an ALB request.
    pub route: Option<String>,
    /// Records in a batch event (SQS, SNS, DynamoDB Streams, Kinesis).
    pub records: Option<usize>,
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// Event names and sources are names AWS or the application chose, never client data; a
/// value that is not such a name is left out.
fn name_like(s: String) -> Option<String> {
    (s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | ':' | '$')))
    .then_some(s)
}

impl Summary {
    /// The summary of an event, from its shape.
    ///
    /// ```
    /// use awstin::lambda::Summary;
    /// let sqs = serde_json::json!({"Records": [{"eventSource": "aws:sqs", "body": "secret"}]});
    /// let s = Summary::of_event(&sqs);
    /// assert_eq!((s.source.as_str(), s.records), ("sqs", Some(1)));
    /// ```
    pub fn of_event(event: &Value) -> Summary {
        if let Some(records) = event.get("Records").and_then(Value::as_array) {
            let first = records.first();
            let source = first
                .and_then(|r| r.get("eventSource").or_else(|| r.get("EventSource")))
                .and_then(Value::as_str);
            let (source, kind) = match source {
                Some("aws:sqs") => (EventSource::Sqs, None),
                Some("aws:sns") => (EventSource::Sns, None),
                Some("aws:kinesis") => (EventSource::Kinesis, None),
                Some("aws:dynamodb") => {
                    let mut names: Vec<&str> = records
                        .iter()
                        .filter_map(|r| r.get("eventName").and_then(Value::as_str))
                        .filter(|n| matches!(*n, "INSERT" | "MODIFY" | "REMOVE"))
                        .collect();
                    names.sort_unstable();
                    names.dedup();
                    (EventSource::DynamoDbStreams, Some(names.join(",")))
                }
                _ => (EventSource::Other, None),
            };
            return Summary {
                source,
                kind,
                route: None,
                records: Some(records.len()),
            };
        }
        let context = event.get("requestContext");
        if let Some(kind @ ("TOKEN" | "REQUEST")) = event.get("type").and_then(Value::as_str) {
            return Summary {
                source: EventSource::ApiGatewayAuthorizer,
                kind: Some(kind.to_owned()),
                route: text(event, &["routeKey"])
                    .or_else(|| context.and_then(|c| text(c, &["routeKey"])))
                    .or_else(|| {
                        Some(format!(
                            "{} {}",
                            text(event, &["httpMethod"])?,
                            text(event, &["resource"])?
                        ))
                    }),
                records: None,
            };
        }
        if context.is_some_and(|c| c.get("elb").is_some()) {
            return Summary {
                source: EventSource::Alb,
                kind: None,
                route: text(event, &["httpMethod"]),
                records: None,
            };
        }
        if let Some(event_type) = context.and_then(|c| text(c, &["eventType"])) {
            return Summary {
                source: EventSource::ApiGatewayWebsocket,
                kind: name_like(event_type),
                route: context.and_then(|c| text(c, &["routeKey"])),
                records: None,
            };
        }
        if event.get("version").and_then(Value::as_str) == Some("2.0") {
            return Summary {
                source: EventSource::ApiGatewayHttp,
                kind: None,
                route: text(event, &["routeKey"]),
                records: None,
            };
        }
        if let (Some(method), Some(resource)) =
            (text(event, &["httpMethod"]), text(event, &["resource"]))
        {
            return Summary {
                source: EventSource::ApiGatewayRest,
                kind: None,
                route: Some(format!("{method} {resource}")),
                records: None,
            };
        }
        if let (Some(source), Some(detail_type)) =
            (text(event, &["source"]), text(event, &["detail-type"]))
        {
            return Summary {
                source: EventSource::EventBridge,
                kind: name_like(format!("{source} {detail_type}")),
                route: None,
                records: None,
            };
        }
        Summary {
            source: EventSource::Other,
            ..Summary::default()
        }
    }
}

/// What the default log line says of a result: the HTTP status of an API Gateway or ALB
/// response, an authorizer's decision, or the count of a batch's failed items.
///
/// ```
/// use awstin::lambda::result_status;
/// let r = serde_json::json!({"statusCode": 200, "body": "[...]"});
/// assert_eq!(result_status(&r).as_deref(), Some("200"));
/// let one = serde_json::json!({"batchItemFailures": [{"itemIdentifier": "100"}]});
/// assert_eq!(result_status(&one).as_deref(), Some("1 failed item"));
/// let none = serde_json::json!({"batchItemFailures": []});
/// assert_eq!(result_status(&none).as_deref(), Some("0 failed items"));
/// ```
pub fn result_status(result: &Value) -> Option<String> {
    if let Some(code) = result.get("statusCode").and_then(Value::as_u64) {
        return Some(code.to_string());
    }
    if let Some(allowed) = result.get("isAuthorized").and_then(Value::as_bool) {
        return Some(if allowed { "Allow" } else { "Deny" }.to_owned());
    }
    if let Some(effect) = result
        .pointer("/policyDocument/Statement/0/Effect")
        .and_then(Value::as_str)
        .filter(|e| matches!(*e, "Allow" | "Deny"))
    {
        return Some(effect.to_owned());
    }
    result
        .get("batchItemFailures")
        .and_then(Value::as_array)
        .map(|failures| match failures.len() {
            1 => "1 failed item".to_owned(),
            n => format!("{n} failed items"),
        })
}
