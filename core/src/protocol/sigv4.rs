//! AWS Signature Version 4 (feature `sigv4`): the signature of a request made without the SDK,
//! from credentials and a time the caller passes (the edge has no trusted clock of its own).
//! It needs `alloc` only, so it signs in WASM and on the edge.
//!
//! ```
//! use awstin_core::sigv4::{Credentials, Request, Scope, sign};
//! // AWS's Signature Version 4 test suite, get-vanilla.
//! let signed = sign(
//!     &Request { method: "GET", host: "example.amazonaws.com", path: "/", query: &[], headers: &[], body: b"" },
//!     &Credentials { access_key_id: "AKIDEXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", session_token: None },
//!     &Scope { region: "us-east-1", service: "service", time: 1_440_938_160 },
//! );
//! assert_eq!(signed.authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
//!     SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
//! assert_eq!(signed.amz_date, "20150830T123600Z");
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The credentials that sign: an access key, its secret, and a session token for temporary
/// credentials. Nothing here keeps or logs them.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key.
    pub secret_access_key: &'a str,
    /// The session token of temporary credentials.
    pub session_token: Option<&'a str>,
}

impl core::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// The request to sign: its method, host, path (not percent-encoded: it is sent as
/// [`wire_path`] makes it), query parameters (not percent-encoded: each name and value is sent
/// percent-encoded as RFC 3986 says), the headers it sends besides `host` and the signing
/// headers, and its body. The path is signed as AWS's signers sign it: normalized and
/// encoded twice for every service but S3, as sent for S3 (a `service` beginning `s3`).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, ...
    pub method: &'a str,
    /// The host the request goes to.
    pub host: &'a str,
    /// The path, not percent-encoded; `/` for DynamoDB.
    pub path: &'a str,
    /// Query parameters, in any order.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers, all signed (`content-type`, `x-amz-target`, ...).
    pub headers: &'a [(&'a str, &'a str)],
    /// The body.
    pub body: &'a [u8],
}

/// Where and when the signature holds: the region, the service's signing name (`dynamodb`),
/// and the time, in seconds since the Unix epoch.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// The region, `us-east-1`.
    pub region: &'a str,
    /// The service's signing name, `dynamodb`.
    pub service: &'a str,
    /// The time of signing, in seconds since the epoch.
    pub time: u64,
}

/// What a signature adds to the request: the `x-amz-date` and `authorization` headers, and
/// `x-amz-security-token` for temporary credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The `x-amz-date` header.
    pub amz_date: String,
    /// The `authorization` header.
    pub authorization: String,
    /// The `x-amz-security-token` header, for temporary credentials.
    pub security_token: Option<String>,
}

impl Signed {
    /// The headers to add, as `(name, value)`.
    ///
    /// ```
    /// # use awstin_core::sigv4::*;
    /// let signed = sign(&Request { method: "POST", host: "h", path: "/", query: &[], headers: &[], body: b"{}" },
    ///     &Credentials { access_key_id: "A", secret_access_key: "S", session_token: Some("T") },
    ///     &Scope { region: "us-east-1", service: "dynamodb", time: 0 });
    /// assert_eq!(signed.headers().len(), 3);
    /// ```
    pub fn headers(&self) -> Vec<(&'static str, &str)> {
        let mut out = Vec::with_capacity(3);
        out.push(("x-amz-date", self.amz_date.as_str()));
        if let Some(token) = &self.security_token {
            out.push(("x-amz-security-token", token.as_str()));
        }
        out.push(("authorization", self.authorization.as_str()));
        out
    }
}

/// Signs `request` with `credentials` for `scope`.
pub fn sign(request: &Request<'_>, credentials: &Credentials<'_>, scope: &Scope<'_>) -> Signed {
    let (amz_date, date) = amz_timestamp(scope.time);
    // The headers signed: the caller's, `host`, `x-amz-date`, and the session token.
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), trimmed(value)))
        .collect();
    headers.push(("host".into(), String::from(request.host)));
    headers.push(("x-amz-date".into(), amz_date.clone()));
    if let Some(token) = credentials.session_token {
        headers.push(("x-amz-security-token".into(), String::from(token)));
    }
    sort_few(&mut headers);
    let signed_headers = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut canonical = String::new();
    canonical.push_str(request.method);
    canonical.push('\n');
    canonical.push_str(&canonical_path(request.path, scope.service));
    canonical.push('\n');
    canonical.push_str(&canonical_query(request.query));
    canonical.push('\n');
    for (name, value) in &headers {
        let _ = writeln!(canonical, "{name}:{value}");
    }
    canonical.push('\n');
    canonical.push_str(&signed_headers);
    canonical.push('\n');
    canonical.push_str(&hex(&Sha256::digest(request.body)));

    let scope_text = alloc::format!("{date}/{}/{}/aws4_request", scope.region, scope.service);
    let string_to_sign = alloc::format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope_text}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = alloc::format!("AWS4{}", credentials.secret_access_key).into_bytes();
    for part in [date.as_str(), scope.region, scope.service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    Signed {
        authorization: alloc::format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope_text}, SignedHeaders={signed_headers}, Signature={signature}",
            credentials.access_key_id
        ),
        amz_date,
        security_token: credentials.session_token.map(String::from),
    }
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A header value with its ends trimmed and runs of spaces made one.
fn trimmed(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (and `/` in a path).
fn encode(text: &str, keep_slash: bool, out: &mut String) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// The path as sent: `path` percent-encoded (RFC 3986: everything but the unreserved
/// characters and `/`). Send the request to this path; [`sign`] signs it.
///
/// ```
/// use awstin_core::sigv4::wire_path;
/// assert_eq!(wire_path("/"), "/");
/// assert_eq!(wire_path("/a b/é:c"), "/a%20b/%C3%A9%3Ac");
/// assert_eq!(wire_path(""), "/");
/// ```
pub fn wire_path(path: &str) -> String {
    if path.is_empty() {
        return String::from("/");
    }
    let mut out = String::with_capacity(path.len());
    encode(path, true, &mut out);
    out
}

/// The canonical URI of `path` for `service`, as AWS's signers make it: S3 signs the path as
/// sent; every other service normalizes it (no `.` or `..` segments, no empty ones) and
/// percent-encodes it again.
fn canonical_path(path: &str, service: &str) -> String {
    let sent = wire_path(path);
    if service.starts_with("s3") {
        return sent;
    }
    let normalized = normalize(&sent);
    let mut out = String::with_capacity(normalized.len());
    encode(&normalized, true, &mut out);
    out
}

/// A path without `.`, `..` and empty segments, beginning with `/`, and ending with one when
/// it did (or ended in a dot segment). Built in place from bytes, cut only at `/`: string
/// slicing and searching would bring kilobytes of WASM (their panic messages' formatting).
fn normalize(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + 1);
    let mut trailing = false;
    for segment in bytes.split(|&b| b == b'/') {
        trailing = matches!(segment, b"" | b"." | b"..");
        match segment {
            b"" | b"." => {}
            b".." => {
                let parent = out.iter().rposition(|&b| b == b'/').unwrap_or(0);
                out.truncate(parent);
            }
            _ => {
                out.push(b'/');
                out.extend_from_slice(segment);
            }
        }
    }
    if out.is_empty() || trailing {
        out.push(b'/');
    }
    // Cut only at `/`, the bytes are still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

fn canonical_query(query: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| {
            let (mut key, mut value) = (String::new(), String::new());
            encode(k, false, &mut key);
            encode(v, false, &mut value);
            (key, value)
        })
        .collect();
    sort_few(&mut pairs);
    pairs
        .iter()
        .map(|(k, v)| alloc::format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `(YYYYMMDDTHHMMSSZ, YYYYMMDD)` of `secs` since the epoch, in UTC.
///
/// ```
/// assert_eq!(awstin_core::sigv4::amz_timestamp(1_440_938_160).0, "20150830T123600Z");
/// assert_eq!(awstin_core::sigv4::amz_timestamp(951_782_400).1, "20000229");
/// ```
pub fn amz_timestamp(secs: u64) -> (String, String) {
    let days = secs / 86_400;
    let rest = secs % 86_400;
    // Howard Hinnant's civil-from-days, for days since 1970-01-01.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let date = alloc::format!("{year:04}{month:02}{day:02}");
    let time = alloc::format!(
        "{date}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    (time, date)
}

/// Sorts the few headers or query parameters of a request. An insertion sort: the slice's own
/// stable sort is 3 KB of WASM per element type, for lists of a handful of pairs.
fn sort_few<T: Ord>(items: &mut [T]) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && items[j - 1] > items[j] {
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}
