//! A strict JSON reader for DynamoDB's answers and the page cursors: RFC 8259 text into a
//! small tree whose numbers stay text (DynamoDB's numbers are strings; the few JSON numbers
//! of an answer are counts and capacity units). An object naming a member twice, nesting
//! deeper than [`MAX_DEPTH`], or anything after the value is refused.
//!
//! It stands in for `serde_json`, which reads the same text into `f64`s and ordered maps: a
//! WASM module reading a Query's answer through `serde_json::Value` was 21 KB larger than
//! one reading through this module, when it was chosen (`scripts/bench` measures the edge
//! module that uses it). `tests/wire_answers.rs` checks it against `serde_json` on random and
//! mutated text.

use alloc::string::String;
use alloc::vec::Vec;

/// Containers nested deeper than this are refused. DynamoDB nests values 32 levels deep
/// inside an answer's 4 levels of envelope.
///
/// ```
/// use awstin_core::json::{MAX_DEPTH, parse};
/// let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
/// assert!(parse(deep.as_bytes()).is_err());
/// ```
pub const MAX_DEPTH: usize = 64;

/// A JSON value.
///
/// ```
/// use awstin_core::json::{Json, parse};
/// let v = parse(br#"{"Count":2,"Items":[]}"#).expect("JSON");
/// assert_eq!(v.get("Count"), Some(&Json::Number("2".into())));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its text (valid by JSON's grammar).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members, in the order of the text, each name once.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Member `name` of an object.
    ///
    /// ```
    /// let v = awstin_core::json::parse(br#"{"a":true}"#).expect("JSON");
    /// assert_eq!(v.get("a").and_then(|a| a.as_bool()), Some(true));
    /// assert!(v.get("b").is_none());
    /// ```
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    ///
    /// ```
    /// let v = awstin_core::json::parse(br#""caf\u00e9""#).expect("JSON");
    /// assert_eq!(v.as_str(), Some("café"));
    /// ```
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members of an object.
    ///
    /// ```
    /// let v = awstin_core::json::parse(br#"{"b":1,"a":2}"#).expect("JSON");
    /// let names: Vec<&str> = v.as_object().unwrap_or_default().iter().map(|(n, _)| n.as_str()).collect();
    /// assert_eq!(names, ["b", "a"], "in the order of the text");
    /// ```
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The elements of an array.
    ///
    /// ```
    /// let v = awstin_core::json::parse(b"[1, 2]").expect("JSON");
    /// assert_eq!(v.as_array().map(<[_]>::len), Some(2));
    /// ```
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(elements) => Some(elements),
            _ => None,
        }
    }

    /// The value of a `true` or `false`.
    ///
    /// ```
    /// assert_eq!(awstin_core::json::parse(b"false").expect("JSON").as_bool(), Some(false));
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of a number that is a whole number from 0 to `u64::MAX`.
    ///
    /// ```
    /// use awstin_core::json::parse;
    /// assert_eq!(parse(b"42").expect("JSON").as_u64(), Some(42));
    /// assert_eq!(parse(b"-1").expect("JSON").as_u64(), None);
    /// ```
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The value of a number, as the nearest `f64`.
    ///
    /// ```
    /// assert_eq!(awstin_core::json::parse(b"0.5").expect("JSON").as_f64(), Some(0.5));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// Writes this value as JSON text.
    ///
    /// ```
    /// let text = br#"{"a":[1,"\n",null]}"#;
    /// let mut out = String::new();
    /// awstin_core::json::parse(text).expect("JSON").write(&mut out);
    /// assert_eq!(out.as_bytes(), text);
    /// ```
    pub fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(true) => out.push_str("true"),
            Json::Bool(false) => out.push_str("false"),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => {
                // Writing to a String does not fail.
                let _ = crate::values::json::write_string(out, s);
            }
            Json::Array(elements) => {
                out.push('[');
                for (i, e) in elements.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    e.write(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (name, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = crate::values::json::write_string(out, name);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Why a text is not JSON this reader takes.
///
/// ```
/// use awstin_core::json::{NotJson, parse};
/// assert_eq!(parse(br#"{"a":1,"a":2}"#), Err(NotJson), "a member named twice");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

/// Reads `text` as one JSON value.
///
/// ```
/// use awstin_core::json::parse;
/// assert!(parse(b" [true] ").is_ok());
/// assert!(parse(b"[true] x").is_err(), "nothing may follow the value");
/// ```
pub fn parse(text: &[u8]) -> Result<Json, NotJson> {
    let mut reader = Reader { text, at: 0 };
    let value = reader.value(0)?;
    reader.space();
    if reader.at == text.len() {
        Ok(value)
    } else {
        Err(NotJson)
    }
}

struct Reader<'t> {
    text: &'t [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next(&mut self) -> Result<u8, NotJson> {
        let b = self.peek().ok_or(NotJson)?;
        self.at += 1;
        Ok(b)
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Result<Json, NotJson> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(NotJson)
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, NotJson> {
        self.space();
        match self.peek().ok_or(NotJson)? {
            b'n' => self.literal(b"null", Json::Null),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' if depth >= MAX_DEPTH => Err(NotJson),
            b'[' => {
                self.at += 1;
                let mut elements = Vec::new();
                self.space();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Json::Array(elements));
                }
                loop {
                    elements.push(self.value(depth + 1)?);
                    self.space();
                    match self.next()? {
                        b',' => {}
                        b']' => return Ok(Json::Array(elements)),
                        _ => return Err(NotJson),
                    }
                }
            }
            b'{' => {
                self.at += 1;
                let mut members: Vec<(String, Json)> = Vec::new();
                self.space();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                loop {
                    self.space();
                    if self.peek() != Some(b'"') {
                        return Err(NotJson);
                    }
                    let name = self.string()?;
                    self.space();
                    if self.next()? != b':' {
                        return Err(NotJson);
                    }
                    let value = self.value(depth + 1)?;
                    if members.iter().any(|(n, _)| *n == name) {
                        return Err(NotJson);
                    }
                    members.push((name, value));
                    self.space();
                    match self.next()? {
                        b',' => {}
                        b'}' => return Ok(Json::Object(members)),
                        _ => return Err(NotJson),
                    }
                }
            }
            _ => Err(NotJson),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, NotJson> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(NotJson),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(NotJson);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(NotJson);
            }
        }
        // The bytes read are ASCII digits and signs.
        let text = core::str::from_utf8(&self.text[start..self.at]).map_err(|_| NotJson)?;
        Ok(Json::Number(text.into()))
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let mut n = 0;
        for _ in 0..4 {
            let d = char::from(self.next()?).to_digit(16).ok_or(NotJson)?;
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, NotJson> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            // The run of plain bytes up to a quote, a backslash or a control character.
            let start = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            out.push_str(core::str::from_utf8(&self.text[start..self.at]).map_err(|_| NotJson)?);
            match self.next()? {
                b'"' => return Ok(out),
                b'\\' => {
                    let c = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if self.next()? != b'\\' || self.next()? != b'u' {
                                    return Err(NotJson);
                                }
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(NotJson);
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            // A lone low surrogate is no character.
                            char::from_u32(code).ok_or(NotJson)?
                        }
                        _ => return Err(NotJson),
                    };
                    out.push(c);
                }
                _ => return Err(NotJson), // a control character
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grammar_is_kept() {
        for good in [
            &b"{}"[..],
            b" [1, -0, 0.5, 1e9, 1E-9, -2.5e+3] ",
            br#"{"a":"\u00e9\ud83d\ude00\n","b":[true,false,null]}"#,
        ] {
            assert!(parse(good).is_ok(), "{:?}", core::str::from_utf8(good));
        }
        for bad in [
            &b""[..],
            b"{",
            b"01",
            b"1.",
            b"-",
            b"1e",
            b"[1,]",
            b"{\"a\":1,}",
            b"{\"a\":1,\"a\":2}",
            b"\"\\ud800\"",
            b"\"\\udc00\"",
            b"\"\x01\"",
            b"\"\\x\"",
            b"nul",
            b"{} {}",
            b"\"\xff\"",
        ] {
            assert_eq!(parse(bad), Err(NotJson), "{:?}", bad);
        }
        let deep = |n: usize| {
            let mut s = alloc::vec![b'['; n];
            s.extend(core::iter::repeat_n(b']', n));
            s
        };
        assert!(parse(&deep(MAX_DEPTH)).is_ok());
        assert_eq!(parse(&deep(MAX_DEPTH + 1)), Err(NotJson));
    }
}
