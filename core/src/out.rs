//! Where the core writes text.

use core::fmt;

/// Where text is written: any [`fmt::Write`] (a `String`, a `heapless::String`, a
/// `Formatter`). The core writes through `&mut dyn Out` rather than `&mut dyn fmt::Write`:
/// a `dyn fmt::Write` carries `write_char` and `write_fmt`, which link `core::fmt`'s
/// formatting machinery into every module that writes an expression, used or not (about a
/// kilobyte of a WASM module); this trait has the one method the core calls.
///
/// ```
/// use awstin_core::Out;
/// let mut text = String::new();
/// let out: &mut dyn Out = &mut text;
/// out.put("#n0 = :v0")?;
/// assert_eq!(text, "#n0 = :v0");
/// # Ok::<(), core::fmt::Error>(())
/// ```
pub trait Out {
    /// Writes `s`.
    fn put(&mut self, s: &str) -> fmt::Result;
}

impl<W: fmt::Write + ?Sized> Out for W {
    fn put(&mut self, s: &str) -> fmt::Result {
        self.write_str(s)
    }
}

/// Writes one character.
pub(crate) fn put_char(out: &mut dyn Out, c: char) -> fmt::Result {
    out.put(c.encode_utf8(&mut [0; 4]))
}

/// `fmt::Write` over an [`Out`], for the few texts the core formats (zero-padded numbers of
/// key text).
pub(crate) struct Fmt<'a>(pub(crate) &'a mut dyn Out);

impl fmt::Write for Fmt<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.put(s)
    }
}
