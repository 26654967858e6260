//! JSON, the one module of the core for it: DynamoDB JSON written (the wire form of a value,
//! `{"N":"12"}`, `{"M":{...}}`, to any [`fmt::Write`] without allocating; for requests, logs,
//! snapshots and WASM callers), and, with `alloc`, any JSON read ([`parse`] into [`Json`]:
//! DynamoDB's answers and the page cursors).

use core::fmt;

use heapless::Vec;

#[cfg(feature = "alloc")]
mod read;
#[cfg(feature = "alloc")]
pub use read::{Json, MAX_DEPTH, NotJson, parse};

use crate::limits::MAX_VALUE_DEPTH;
use crate::values::value::{Container, Encode, Sink};
use crate::{error::Error, values::number::Number};

/// Writes `value` as DynamoDB JSON.
///
/// ```
/// use awstin_core::json::to_json;
/// let mut out = heapless::String::<64>::new();
/// to_json(&["Larry", "Moe"], &mut out)?;
/// assert_eq!(out, r#"{"L":[{"S":"Larry"},{"S":"Moe"}]}"#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn to_json(value: &dyn Encode, out: &mut dyn crate::Out) -> Result<(), Error> {
    let mut sink = JsonSink {
        out,
        open: Vec::new(),
    };
    value.encode(&mut sink)
}

/// Writes a key value (a string, number or binary: what a start key holds) as DynamoDB JSON,
/// without the code of every other type; [`Error::WrongType`] for another type.
#[cfg(feature = "wire")]
pub(crate) fn key_to_json(
    value: &crate::values::value_buf::ValueBuf,
    out: &mut dyn crate::Out,
) -> Result<(), Error> {
    use crate::{values::value::Sink, values::value_buf::ValueBuf};
    let mut sink = JsonSink {
        out,
        open: Vec::new(),
    };
    match value {
        ValueBuf::S(v) => sink.string(v),
        ValueBuf::N(v) => sink.number(*v),
        ValueBuf::B(v) => sink.binary(v),
        _ => Err(Error::WrongType {
            expected: "a key value: a string, number or binary",
        }),
    }
}

/// Writes `text` as a JSON string literal, quotes included.
///
/// ```
/// let mut out = heapless::String::<16>::new();
/// awstin_core::json::write_string(&mut out, "a\"b\n")?;
/// assert_eq!(out, r#""a\"b\n""#);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn write_string(out: &mut dyn crate::Out, text: &str) -> Result<(), Error> {
    use crate::out::put_char;
    let mut w = || -> fmt::Result {
        out.put("\"")?;
        for c in text.chars() {
            match c {
                '"' => out.put("\\\"")?,
                '\\' => out.put("\\\\")?,
                '\n' => out.put("\\n")?,
                '\r' => out.put("\\r")?,
                '\t' => out.put("\\t")?,
                c if (c as u32) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let n = c as usize;
                    out.put("\\u00")?;
                    put_char(out, char::from(HEX[n >> 4]))?;
                    put_char(out, char::from(HEX[n & 0xf]))?;
                }
                c => put_char(out, c)?,
            }
        }
        out.put("\"")
    };
    w().map_err(|_| Error::Output)
}

/// Writes `bytes` as standard base64 with padding, as DynamoDB JSON carries binaries.
///
/// ```
/// let mut out = heapless::String::<16>::new();
/// awstin_core::json::write_base64(&mut out, b"hello")?;
/// assert_eq!(out, "aGVsbG8=");
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn write_base64(out: &mut dyn crate::Out, bytes: &[u8]) -> Result<(), Error> {
    write_base64_in(out, bytes, BASE64_STANDARD, true).map_err(|_| Error::Output)
}

/// The standard base64 alphabet.
pub(crate) const BASE64_STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Writes `bytes` as base64 in `alphabet`, padded to a multiple of four with `=` if `pad`.
pub(crate) fn write_base64_in(
    out: &mut dyn crate::Out,
    bytes: &[u8],
    alphabet: &[u8; 64],
    pad: bool,
) -> fmt::Result {
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let c = alphabet[((n >> (18 - 6 * i)) & 63) as usize];
                crate::out::put_char(out, char::from(c))?;
            } else if pad {
                out.put("=")?;
            }
        }
    }
    Ok(())
}

struct JsonSink<'w> {
    out: &'w mut dyn crate::Out,
    /// Open containers, and whether an element was written in each.
    open: Vec<(Container, bool), MAX_VALUE_DEPTH>,
}

impl JsonSink<'_> {
    fn raw(&mut self, s: &str) -> Result<(), Error> {
        self.out.put(s).map_err(|_| Error::Output)
    }

    /// Writes the separator before an element; returns whether it is a bare set element.
    fn element(&mut self) -> Result<bool, Error> {
        match self.open.last_mut() {
            Some((Container::Map, _)) | None => Ok(false),
            Some((container, written)) => {
                let bare = !matches!(container, Container::List);
                let comma = *written;
                *written = true;
                if comma {
                    self.raw(",")?;
                }
                Ok(bare)
            }
        }
    }

    fn scalar(
        &mut self,
        tag: &str,
        body: impl FnOnce(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let bare = self.element()?;
        if !bare {
            self.raw("{\"")?;
            self.raw(tag)?;
            self.raw("\":")?;
        }
        body(self)?;
        if !bare {
            self.raw("}")?;
        }
        Ok(())
    }
}

impl Sink for JsonSink<'_> {
    fn string(&mut self, v: &str) -> Result<(), Error> {
        self.scalar("S", |s| write_string(s.out, v))
    }
    fn number(&mut self, v: Number) -> Result<(), Error> {
        self.scalar("N", |s| {
            s.raw("\"")?;
            v.write_canonical(s.out).map_err(|_| Error::Output)?;
            s.raw("\"")
        })
    }
    fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
        self.scalar("B", |s| {
            s.raw("\"")?;
            write_base64(s.out, v)?;
            s.raw("\"")
        })
    }
    fn boolean(&mut self, v: bool) -> Result<(), Error> {
        self.scalar("BOOL", |s| s.raw(if v { "true" } else { "false" }))
    }
    fn null(&mut self) -> Result<(), Error> {
        self.scalar("NULL", |s| s.raw("true"))
    }
    fn begin(&mut self, container: Container) -> Result<(), Error> {
        self.element()?;
        self.raw(match container {
            Container::List => "{\"L\":[",
            Container::Map => "{\"M\":{",
            Container::StringSet => "{\"SS\":[",
            Container::NumberSet => "{\"NS\":[",
            Container::BinarySet => "{\"BS\":[",
        })?;
        self.open
            .push((container, false))
            .map_err(|_| Error::NestingTooDeep {
                depth: MAX_VALUE_DEPTH + 1,
                max: MAX_VALUE_DEPTH,
            })
    }
    fn key(&mut self, key: &str) -> Result<(), Error> {
        if let Some((_, written)) = self.open.last_mut() {
            let comma = *written;
            *written = true;
            if comma {
                self.raw(",")?;
            }
        }
        write_string(self.out, key)?;
        self.raw(":")
    }
    fn end(&mut self) -> Result<(), Error> {
        match self.open.pop() {
            Some((Container::Map, _)) => self.raw("}}"),
            Some(_) => self.raw("]}"),
            None => Ok(()),
        }
    }
}
