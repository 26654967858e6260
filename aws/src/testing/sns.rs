//! What was published to SNS, as moto server recorded it (features `testing` and `sns`).
use std::collections::BTreeMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::sns::Error;

/// A message attribute as published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedAttribute {
    /// `String`, `Number`, `String.Array` or `Binary`.
    pub data_type: String,
    /// The value as text (base64 for `Binary`).
    pub value: String,
}

/// A message published to a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The message id `publish` returned.
    pub message_id: String,
    /// The message.
    pub message: String,
    /// The subject, if any.
    pub subject: Option<String>,
    /// The message attributes.
    pub attributes: BTreeMap<String, PublishedAttribute>,
}

fn failure(message: String) -> Error {
    Error::Service {
        operation: "moto-api",
        topic: String::new(),
        source: message.into(),
    }
}

/// One HTTP/1.1 request to a moto server at `endpoint` (`http://host:port`); the body of
/// the answer.
async fn request(endpoint: &str, method: &str, path: &str) -> Result<String, Error> {
    let authority = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| failure(format!("not an http:// endpoint: {endpoint}")))?;
    let authority = authority.trim_end_matches('/');
    let mut stream = TcpStream::connect(authority)
        .await
        .map_err(|e| failure(format!("connecting to {authority}: {e}")))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    stream
        .write_all(head.as_bytes())
        .await
        .map_err(|e| failure(e.to_string()))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let text = String::from_utf8(raw).map_err(|e| failure(e.to_string()))?;
    let (headers, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| failure("malformed HTTP response".into()))?;
    if !headers.starts_with("HTTP/1.1 200") && !headers.starts_with("HTTP/1.0 200") {
        return Err(failure(format!(
            "moto answered {}",
            headers.lines().next().unwrap_or_default()
        )));
    }
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut out = String::new();
        let mut rest = body;
        while let Some((size, after)) = rest.split_once("\r\n") {
            let size =
                usize::from_str_radix(size.trim(), 16).map_err(|e| failure(e.to_string()))?;
            if size == 0 {
                break;
            }
            out.push_str(
                after
                    .get(..size)
                    .ok_or_else(|| failure("truncated chunk".into()))?,
            );
            rest = after.get(size + 2..).unwrap_or_default();
        }
        return Ok(out);
    }
    Ok(body.to_owned())
}

/// The messages published to `topic_arn`, in order, from moto's `/moto-api/data.json`; an
/// error when moto has no such topic, so that "nothing was published" is read from the topic.
pub async fn published(endpoint: &str, topic_arn: &str) -> Result<Vec<Published>, Error> {
    let body = request(endpoint, "GET", "/moto-api/data.json").await?;
    let data: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| failure(e.to_string()))?;
    let topics = data["sns"]["Topic"].as_array().cloned().unwrap_or_default();
    let Some(topic) = topics.iter().find(|t| t["arn"] == topic_arn) else {
        return Err(failure(format!("moto has no topic {topic_arn}")));
    };
    let text = |v: &serde_json::Value| v.as_str().map(str::to_owned);
    Ok(topic["sent_notifications"]
        .as_array()
        .map(|sent| {
            sent.iter()
                .map(|n| Published {
                    message_id: text(&n[0]).unwrap_or_default(),
                    message: text(&n[1]).unwrap_or_default(),
                    subject: text(&n[2]),
                    attributes: n[3]
                        .as_object()
                        .map(|attrs| {
                            attrs
                                .iter()
                                .map(|(k, v)| {
                                    let attribute = PublishedAttribute {
                                        data_type: text(&v["Type"]).unwrap_or_default(),
                                        value: text(&v["Value"]).unwrap_or_default(),
                                    };
                                    (k.clone(), attribute)
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Forgets every topic and message of the moto server at `endpoint`.
pub async fn reset(endpoint: &str) -> Result<(), Error> {
    request(endpoint, "POST", "/moto-api/reset")
        .await
        .map(|_| ())
}
