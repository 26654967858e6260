//! Shared helpers of the std test suite; the models come from the core test suite.
#![allow(missing_docs)] // test helpers: the names speak for themselves

pub mod bench;

pub use awstin_core_tests::*;

/// The error code DynamoDB answered a raw SDK request with (`Ok` when it succeeded).
pub fn service_code<T, E: aws_sdk_dynamodb::error::ProvideErrorMetadata>(
    sent: Result<T, E>,
) -> Result<(), Option<String>> {
    sent.map(|_| ()).map_err(|e| e.code().map(String::from))
}

/// Reads the next HTTP/1.1 message (a request or a response) from `socket`, keeping any bytes
/// after it in `buf`: its head (first line and headers) and its body, by `content-length` or
/// in chunks. `None` when the peer closes first.
pub async fn read_http_message(
    socket: &mut tokio::net::TcpStream,
    buf: &mut Vec<u8>,
) -> Option<(String, Vec<u8>)> {
    let end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        fill(socket, buf).await?;
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    buf.drain(..end + 4);
    let header = |name: &str| {
        head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    };
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        loop {
            let line_end = loop {
                if let Some(i) = buf.windows(2).position(|w| w == b"\r\n") {
                    break i;
                }
                fill(socket, buf).await?;
            };
            let size_text = String::from_utf8_lossy(&buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                fill(socket, buf).await?;
            }
            body.extend(buf.drain(..size));
            buf.drain(..2);
            if size == 0 {
                break;
            }
        }
    } else {
        let length: usize = header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < length {
            fill(socket, buf).await?;
        }
        body.extend(buf.drain(..length));
    }
    Some((head, body))
}

/// Reads more bytes of `socket` into `buf`; `None` when the peer closes.
async fn fill(socket: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    use tokio::io::AsyncReadExt;
    let mut chunk = [0u8; 16384];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// The time bounds of a client through the fault proxy: short enough that a silent attempt
/// is given up quickly, long enough for a loaded machine.
pub const FAULT_OPTIONS: awstin::dynamodb::ClientOptions = awstin::dynamodb::ClientOptions {
    connect_timeout: std::time::Duration::from_secs(2),
    attempt_timeout: std::time::Duration::from_secs(2),
    operation_timeout: std::time::Duration::from_secs(20),
    max_retries: 3,
};

/// Collects what `tracing` writes, for tests of logs.
#[derive(Clone, Default)]
pub struct Captured(pub std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    /// What was written so far.
    pub fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// The embedded DynamoDB with the table of model `M` created (kept alive by the first value).
pub async fn local_table<M: awstin::expr::TableModel>()
-> (awstin::testing::LocalDynamoDb, awstin::dynamodb::Table<M>) {
    use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<M>().expect("a spec"))
        .await
        .expect("a table");
    let table = local.db().table::<M>();
    (local, table)
}

/// The secrets planted in `text`: every `SECRET-…` word (letters, digits, `-` and `_`).
pub fn planted_secrets(text: &str) -> std::collections::BTreeSet<String> {
    let mut secrets = std::collections::BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("SECRET-") {
        let secret: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        rest = &rest[at + secret.len()..];
        secrets.insert(secret);
    }
    secrets
}

/// The error code DynamoDB answers a raw PutItem of `item` into `table` with.
pub async fn raw_put_code(
    db: &awstin::dynamodb::DynamoDb,
    table: &str,
    item: awstin::dynamodb::Item,
) -> Result<(), Option<String>> {
    service_code(
        db.client()
            .put_item()
            .table_name(table)
            .set_item(Some(item))
            .send()
            .await,
    )
}

/// Seconds since the epoch, for signing.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after the epoch")
        .as_secs()
}

/// Sends the JSON backend's `request` to `endpoint` (`http://127.0.0.1:port`) with the
/// signature of `signed_as` by `secret` at `time` (the core's SigV4): the status and the body.
pub async fn send_wire(
    endpoint: &str,
    request: &awstin_core::wire::Wire,
    signed_as: &awstin_core::wire::Wire,
    secret: &str,
    time: u64,
) -> (u16, Vec<u8>) {
    use awstin_core::sigv4::{Credentials, Scope};
    use tokio::io::AsyncWriteExt;
    let host = endpoint.trim_start_matches("http://");
    let signed = signed_as.sign(
        host,
        &Credentials {
            access_key_id: "test",
            secret_access_key: secret,
            session_token: None,
        },
        &Scope {
            region: "us-east-1",
            service: "dynamodb",
            time,
        },
    );
    let mut head = format!(
        "POST / HTTP/1.1\r\nhost: {host}\r\ncontent-type: {}\r\nx-amz-target: {}\r\ncontent-length: {}\r\n",
        awstin_core::wire::CONTENT_TYPE,
        request.target,
        request.body.len()
    );
    for (name, value) in signed.headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    let mut socket = tokio::net::TcpStream::connect(host)
        .await
        .expect("a connection");
    socket.write_all(head.as_bytes()).await.expect("sent");
    socket
        .write_all(request.body.as_bytes())
        .await
        .expect("sent");
    let mut buf = Vec::new();
    let (status_head, body) = read_http_message(&mut socket, &mut buf)
        .await
        .expect("an answer");
    let status = status_head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_vec())
}
