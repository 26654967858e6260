//! Base64 for the JSON protocol and the cursors: DynamoDB's binary values (standard alphabet, padded) and the page
//! cursors (URL-safe alphabet, no padding), strict both ways: a text with a character outside
//! the alphabet, wrong padding or non-zero trailing bits is refused, so one byte string has
//! one text. A WASM module decoding through the `base64` crate was 2.9 KB larger;
//! `tests/wire_answers.rs` checks this module against it.

use alloc::string::String;
use alloc::vec::Vec;

use crate::values::json::{BASE64_STANDARD as STANDARD, write_base64_in};

const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The alphabet and whether texts are padded to a multiple of four.
#[derive(Clone, Copy)]
#[cfg_attr(
    not(feature = "wire"),
    allow(
        dead_code,
        reason = "the standard alphabet reads the JSON protocol's binaries"
    )
)]
pub(crate) enum Alphabet {
    /// `+/`, padded with `=`.
    Standard,
    /// `-_`, not padded.
    UrlSafe,
}

impl Alphabet {
    fn chars(self) -> &'static [u8; 64] {
        match self {
            Alphabet::Standard => STANDARD,
            Alphabet::UrlSafe => URL_SAFE,
        }
    }

    fn padded(self) -> bool {
        matches!(self, Alphabet::Standard)
    }
}

/// The text of `bytes`.
pub(crate) fn encode(bytes: &[u8], alphabet: Alphabet) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    // Writing to a String does not fail.
    let _ = write_base64_in(&mut out, bytes, alphabet.chars(), alphabet.padded());
    out
}

/// The bytes of `text`, or `None` when it is not the one text of some bytes.
pub(crate) fn decode(text: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let chars = alphabet.chars();
    let mut text = text.as_bytes();
    if alphabet.padded() {
        if !text.len().is_multiple_of(4) {
            return None;
        }
        let pad = text
            .iter()
            .rev()
            .take(2)
            .take_while(|&&c| c == b'=')
            .count();
        text = &text[..text.len() - pad];
        if pad > 0 && text.len() % 4 + pad != 4 {
            return None;
        }
    }
    // A last group of one character holds no whole byte.
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for group in text.chunks(4) {
        let mut n = 0u32;
        for &c in group {
            let v = chars.iter().position(|&a| a == c)?;
            n = (n << 6) | v as u32;
        }
        n <<= 6 * (4 - group.len() as u32);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let whole = group.len() - 1;
        // The bits after the last whole byte are zero in the one text of those bytes.
        if whole < 3 && n & ((1 << (8 * (3 - whole))) - 1) != 0 {
            return None;
        }
        out.extend_from_slice(&bytes[..whole]);
    }
    Some(out)
}

/// Binary data is written to serde as standard base64 text (what DynamoDB's JSON and
/// API bodies carry), and read back from it; text that is not base64 is refused.
///
/// ```
/// use awstin_core::BinaryBuf;
/// assert_eq!(serde_json::to_string(&BinaryBuf(vec![0xff, 0]))?, r#""/wA=""#);
/// assert_eq!(serde_json::from_str::<BinaryBuf>(r#""/wA=""#)?, BinaryBuf(vec![0xff, 0]));
/// assert!(serde_json::from_str::<BinaryBuf>(r#""not base64!""#).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg(feature = "serde")]
impl serde::Serialize for crate::values::value::BinaryBuf {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = encode(&self.0, Alphabet::Standard);
        serializer.serialize_str(&text)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for crate::values::value::BinaryBuf {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<crate::values::value::BinaryBuf, D::Error> {
        struct Base64;
        impl serde::de::Visitor<'_> for Base64 {
            type Value = crate::values::value::BinaryBuf;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("standard base64 text")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                text: &str,
            ) -> Result<crate::values::value::BinaryBuf, E> {
                decode(text, Alphabet::Standard)
                    .map(crate::values::value::BinaryBuf)
                    .ok_or_else(|| E::custom("the text is not standard base64"))
            }
        }
        deserializer.deserialize_str(Base64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_the_one_text_of_their_bytes() {
        for (bytes, standard, url) in [
            (&b""[..], "", ""),
            (b"f", "Zg==", "Zg"),
            (b"fo", "Zm8=", "Zm8"),
            (b"foo", "Zm9v", "Zm9v"),
            (&[0xfb, 0xff][..], "+/8=", "-_8"),
        ] {
            assert_eq!(encode(bytes, Alphabet::Standard), standard);
            assert_eq!(encode(bytes, Alphabet::UrlSafe), url);
            assert_eq!(decode(standard, Alphabet::Standard).as_deref(), Some(bytes));
            assert_eq!(decode(url, Alphabet::UrlSafe).as_deref(), Some(bytes));
        }
        for bad in ["Zg", "Zh==", "Z===", "Zg=a", "====", "Zm9v=", "-_8="] {
            assert_eq!(decode(bad, Alphabet::Standard), None, "{bad}");
        }
        for bad in ["Zg==", "Zh", "Z", "+/8", "Zm9vZ"] {
            assert_eq!(decode(bad, Alphabet::UrlSafe), None, "{bad}");
        }
    }
}
