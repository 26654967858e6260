//! The redaction rules for events and results logged in full.
//!
//! A value is replaced when its name says it is a credential: any key of any object (headers,
//! query parameters, path parameters, request context, bodies, stream images, event
//! details), compared in lower case without `-`, `_`, `.` and spaces, that contains `token`, `jwt`,
//! `secret`, `password`, `passwd`, `signature`, `credential`, `apikey`, `accesskey`,
//! `privatekey`, `auth`, `session` or `cookie`, or is `code`, `key`, `sig`,
//! `secwebsocketprotocol`, `identitysource` or `usageidentifierkey`. Query strings held as
//! text are redacted parameter by parameter with the same rule. Bodies (`body`, SNS's
//! `Message`) are parsed: JSON is redacted by the same rule, form-encoded text parameter by
//! parameter, base64 of either once decoded; any other body is dropped, leaving its length.
//! Any other string holding a URL has the credentials of that URL redacted: a query or
//! fragment parameter named as a credential (`Referer: https://x/cb?access_token=...`), and a
//! password in its user information (`https://user:password@host`). Last, every value
//! redacted anywhere is also cut out of every other string of the event (a path parameter
//! stands again in `path` and `rawPath`; a query parameter in `rawQueryString`), also
//! percent-encoded.

use base64::Engine as _;
use serde::Serialize;
use serde_json::Value;

/// The text that replaces a secret in logs.
pub const REDACTED: &str = "[REDACTED]";

/// Shortest redacted value that is also cut out of other strings: shorter ones would cut
/// ordinary text.
const MIN_TAINT_CHARS: usize = 4;

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a key or parameter named `name` holds a credential.
///
/// ```
/// use awstin::lambda::is_secret_name;
/// for name in ["Authorization", "X-Amz-Security-Token", "api_key", "apiKey", "code", "Sec-WebSocket-Protocol"] {
///     assert!(is_secret_name(name), "{name}");
/// }
/// for name in ["Accept", "statusCode", "page", "Host"] {
///     assert!(!is_secret_name(name), "{name}");
/// }
/// ```
pub fn is_secret_name(name: &str) -> bool {
    const CONTAINS: [&str; 13] = [
        "token",
        "jwt",
        "secret",
        "password",
        "passwd",
        "signature",
        "credential",
        "apikey",
        "accesskey",
        "privatekey",
        "auth",
        "session",
        "cookie",
    ];
    const EXACT: [&str; 6] = [
        "code",
        "key",
        "sig",
        "secwebsocketprotocol",
        "identitysource",
        "usageidentifierkey",
    ];
    let n = normalized(name);
    CONTAINS.iter().any(|c| n.contains(c)) || EXACT.contains(&n.as_str())
}

/// Keys whose string value is a query string.
fn is_query_string(key: &str) -> bool {
    matches!(key, "rawQueryString" | "querystring" | "queryString")
}

/// Keys whose string value is a message body.
fn is_body(key: &str) -> bool {
    matches!(key, "body" | "Message")
}

/// The secrets found so far, to cut out of every other string.
#[derive(Default)]
struct Taint(Vec<String>);

impl Taint {
    fn take(&mut self, v: &Value) {
        match v {
            Value::String(s) if s.chars().count() >= MIN_TAINT_CHARS => {
                let encoded = percent_encode(s);
                if encoded != *s {
                    self.0.push(encoded);
                }
                self.0.push(s.clone());
            }
            Value::Array(items) => items.iter().for_each(|i| self.take(i)),
            Value::Object(map) => map.values().for_each(|i| self.take(i)),
            _ => {}
        }
    }

    fn cut(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                for secret in &self.0 {
                    if s.contains(secret.as_str()) {
                        *s = s.replace(secret.as_str(), REDACTED);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.cut(i)),
            Value::Object(map) => map.values_mut().for_each(|i| self.cut(i)),
            _ => {}
        }
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn redact_query_string(raw: &str, taint: &mut Taint) -> String {
    raw.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if is_secret_name(name) => {
                taint.take(&Value::String(value.to_owned()));
                format!("{name}={REDACTED}")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn looks_form_encoded(text: &str) -> bool {
    !text.is_empty()
        && text.contains('=')
        && text
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'{' | b'}' | b'"' | b'<' | b'>'))
}

/// A body with its secrets redacted, or a note of its length when it cannot be read.
fn redact_body(text: &str, base64: bool, taint: &mut Taint) -> String {
    let decoded;
    let text = if base64 {
        match base64::engine::general_purpose::STANDARD.decode(text) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => {
                    decoded = t;
                    decoded.as_str()
                }
                Err(e) => return format!("[body of {} bytes]", e.as_bytes().len()),
            },
            Err(_) => return format!("[body of {} bytes]", text.len()),
        }
    } else {
        text
    };
    match serde_json::from_str::<Value>(text) {
        Ok(mut v @ (Value::Object(_) | Value::Array(_))) => {
            redact_keys(&mut v, taint);
            v.to_string()
        }
        _ if looks_form_encoded(text) => redact_query_string(text, taint),
        _ => format!("[body of {} bytes]", text.len()),
    }
}

fn redact_keys(value: &mut Value, taint: &mut Taint) {
    match value {
        Value::Object(map) => {
            let base64 = map.get("isBase64Encoded") == Some(&Value::Bool(true));
            for (key, v) in map.iter_mut() {
                if is_secret_name(key) {
                    taint.take(v);
                    *v = Value::String(REDACTED.to_owned());
                } else if let (true, Value::String(raw)) = (is_query_string(key), &*v) {
                    *v = Value::String(redact_query_string(raw, taint));
                } else if let (true, Value::String(body)) = (is_body(key), &*v) {
                    let found = taint.0.len();
                    let redacted = redact_body(body, base64, taint);
                    if base64 && taint.0.len() > found {
                        // The encoded body holds a secret: the encoded text is one too.
                        taint.0.push(body.clone());
                    }
                    *v = Value::String(redacted);
                } else {
                    redact_keys(v, taint);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_keys(i, taint)),
        Value::String(text) => {
            if let Some(redacted) = redact_embedded(text, taint) {
                *text = redacted;
            }
        }
        _ => {}
    }
}

/// `text` with the credentials of the URLs it holds redacted, or `None` when it holds none: a
/// parameter of a query or fragment (after `?`, `#`, `&` or `;`) whose name says it is a
/// credential (`https://x/cb?access_token=...`, `#id_token=...`), and the password of a URL's
/// user information (`https://user:password@host`).
fn redact_embedded(text: &str, taint: &mut Taint) -> Option<String> {
    if !text.contains(['?', '#', '&', ';', '@']) {
        return None;
    }
    let bytes = text.as_bytes();
    let ends_value = |b: u8| {
        matches!(
            b,
            b'&' | b'#'
                | b';'
                | b'?'
                | b' '
                | b'\t'
                | b'\r'
                | b'\n'
                | b'"'
                | b'\''
                | b','
                | b'<'
                | b'>'
        )
    };
    // Delimiters are ASCII, so every index cut at is a character boundary.
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'?' | b'#' | b'&' | b';') {
            let start = i + 1;
            let name_end = bytes[start..]
                .iter()
                .position(|&c| c == b'=' || ends_value(c))
                .map(|n| start + n);
            if let Some(eq) = name_end.filter(|&eq| bytes[eq] == b'=' && eq > start) {
                let value_end = bytes[eq + 1..]
                    .iter()
                    .position(|&c| ends_value(c))
                    .map_or(bytes.len(), |n| eq + 1 + n);
                let value = &text[eq + 1..value_end];
                if !value.is_empty() && is_secret_name(&percent_decoded(&text[start..eq])) {
                    taint.take(&Value::String(value.to_owned()));
                    out.push_str(&text[copied..=eq]);
                    out.push_str(REDACTED);
                    copied = value_end;
                    i = value_end;
                    continue;
                }
            }
        } else if b == b':' && bytes[i + 1..].starts_with(b"//") {
            // User information: `scheme://user:password@host`.
            let host = i + 3;
            let authority_end = bytes[host..]
                .iter()
                .position(|c| matches!(c, b'/' | b'?' | b'#' | b' ' | b'"' | b'\''))
                .map_or(bytes.len(), |n| host + n);
            let authority = &text[host..authority_end];
            if let Some(at) = authority.rfind('@')
                && let Some(colon) = authority[..at].find(':')
                && colon + 1 < at
            {
                taint.take(&Value::String(authority[colon + 1..at].to_owned()));
                out.push_str(&text[copied..=host + colon]);
                out.push_str(REDACTED);
                copied = host + at;
                i = host + at;
                continue;
            }
        }
        i += 1;
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// A parameter name with its percent-escapes decoded (`access%5Ftoken`), for the name rule.
fn percent_decoded(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = name
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Replaces the secrets of a JSON event or result by the rules of this module (see the
/// module's documentation): credentials by name anywhere, query strings, bodies (JSON,
/// form-encoded, base64), and every copy of a redacted value elsewhere.
///
/// ```
/// use serde_json::{json, Value};
/// let mut event = json!({
///     "path": "/reset/s3cr3t-token",
///     "pathParameters": {"token": "s3cr3t-token"},
///     "headers": {"Authorization": "Bearer abc", "Accept": "*/*"},
///     "rawQueryString": "page=2&api-key=k3y-v4lue",
///     "body": "{\"password\":\"hunter22\",\"note\":\"kept\"}",
/// });
/// awstin::lambda::redact(&mut event);
/// assert_eq!(event["path"], "/reset/[REDACTED]");
/// assert_eq!(event["pathParameters"]["token"], "[REDACTED]");
/// assert_eq!(event["headers"], json!({"Authorization": "[REDACTED]", "Accept": "*/*"}));
/// assert_eq!(event["rawQueryString"], "page=2&api-key=[REDACTED]");
/// let body: Value = serde_json::from_str(event["body"].as_str().unwrap())?;
/// assert_eq!(body, json!({"password": "[REDACTED]", "note": "kept"}));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn redact(value: &mut Value) {
    let mut taint = Taint::default();
    redact_keys(value, &mut taint);
    if !taint.0.is_empty() {
        // Longest first, so that a secret containing another is cut whole.
        taint.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
        taint.cut(value);
    }
}

/// The values [`redact`] would cut out of `event` (longest first), for cutting them out of
/// other text too: an error's message that quotes one.
pub(crate) fn secret_values(event: &Value) -> Vec<String> {
    let mut copy = event.clone();
    let mut taint = Taint::default();
    redact_keys(&mut copy, &mut taint);
    taint.0.sort_by_key(|s| std::cmp::Reverse(s.len()));
    taint.0
}

/// `text` with every one of `secrets` replaced by [`REDACTED`].
pub(crate) fn cut_from(text: String, secrets: &[String]) -> String {
    secrets.iter().fold(text, |text, secret| {
        if text.contains(secret.as_str()) {
            text.replace(secret.as_str(), REDACTED)
        } else {
            text
        }
    })
}

/// A value as JSON with secrets redacted ([`redact`]), for logs.
///
/// ```
/// let line = awstin::lambda::redacted_json(&serde_json::json!({"headers": {"cookie": "s=1"}}));
/// assert_eq!(line, r#"{"headers":{"cookie":"[REDACTED]"}}"#);
/// ```
pub fn redacted_json<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(mut v) => {
            redact(&mut v);
            v.to_string()
        }
        Err(_) => "[not serializable]".to_owned(),
    }
}
