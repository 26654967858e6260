//! DynamoDB's ordering of scalar values: numbers as decimals, strings by UTF-8 bytes, binaries
//! by unsigned bytes. Values are compared in place, through nested sinks, without copying.

use core::cmp::Ordering;

use crate::value::{Container, Encode, Sink};
use crate::{Error, Number};

/// A scalar as a sink saw it, borrowed for the duration of the call.
#[derive(Clone, Copy)]
enum Scalar<'v> {
    S(&'v [u8]),
    N(Number),
    B(&'v [u8]),
    Other,
}

/// Calls `f` with the scalar `value` encodes to (`Other` for anything but S, N or B).
fn with_scalar(
    value: &dyn Encode,
    f: &mut dyn FnMut(Scalar<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    struct Probe<'f> {
        f: &'f mut dyn FnMut(Scalar<'_>) -> Result<(), Error>,
        depth: usize,
    }
    impl Sink for Probe<'_> {
        fn string(&mut self, v: &str) -> Result<(), Error> {
            if self.depth == 0 {
                (self.f)(Scalar::S(v.as_bytes()))
            } else {
                Ok(())
            }
        }
        fn number(&mut self, v: Number) -> Result<(), Error> {
            if self.depth == 0 {
                (self.f)(Scalar::N(v))
            } else {
                Ok(())
            }
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
            if self.depth == 0 {
                (self.f)(Scalar::B(v))
            } else {
                Ok(())
            }
        }
        fn boolean(&mut self, _: bool) -> Result<(), Error> {
            if self.depth == 0 {
                (self.f)(Scalar::Other)
            } else {
                Ok(())
            }
        }
        fn null(&mut self) -> Result<(), Error> {
            if self.depth == 0 {
                (self.f)(Scalar::Other)
            } else {
                Ok(())
            }
        }
        fn begin(&mut self, _: Container) -> Result<(), Error> {
            if self.depth == 0 {
                (self.f)(Scalar::Other)?;
            }
            self.depth += 1;
            Ok(())
        }
        fn key(&mut self, _: &str) -> Result<(), Error> {
            Ok(())
        }
        fn end(&mut self) -> Result<(), Error> {
            self.depth -= 1;
            Ok(())
        }
    }
    value.encode(&mut Probe { f, depth: 0 })
}

/// Orders two values as DynamoDB does; `None` when they are not two scalars of one type.
///
/// ```
/// use awstin_core::Number;
/// use awstin_core::order_values as compare_values;
/// assert_eq!(compare_values(&"b", &"a")?, Some(core::cmp::Ordering::Greater));
/// assert_eq!(compare_values(&Number::from(10u8), &9u8)?, Some(core::cmp::Ordering::Greater));
/// assert_eq!(compare_values(&"1", &1u8)?, None);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub fn compare_values(a: &dyn Encode, b: &dyn Encode) -> Result<Option<Ordering>, Error> {
    let mut result = None;
    with_scalar(a, &mut |x| {
        with_scalar(b, &mut |y| {
            result = match (x, y) {
                (Scalar::S(x), Scalar::S(y)) | (Scalar::B(x), Scalar::B(y)) => Some(x.cmp(y)),
                (Scalar::N(x), Scalar::N(y)) => Some(x.cmp(&y)),
                _ => None,
            };
            Ok(())
        })
    })?;
    Ok(result)
}
