//! The checks of key values that DynamoDB makes of every request carrying a key: not empty,
//! within the partition and sort key limits, and for a secondary index's key, not NULL.

use crate::values::value::{Container, Encode, Sink};
use crate::{error::Error, values::number::Number};

/// Refuses an empty key value, or one longer than `max` bytes.
pub(crate) fn check_key_value(
    attribute: &'static str,
    value: &dyn Encode,
    max: usize,
) -> Result<(), Error> {
    match key_value_len(value)? {
        Some(0) => Err(Error::EmptyKeyValue { attribute }),
        Some(len) if len > max => Err(Error::KeyValueTooLong {
            attribute,
            len,
            max,
        }),
        _ => Ok(()),
    }
}

/// Measures a key value: its type's byte length for strings and binaries.
pub(crate) fn key_value_len(value: &dyn Encode) -> Result<Option<usize>, Error> {
    struct Measure(Option<usize>);
    impl Sink for Measure {
        fn string(&mut self, v: &str) -> Result<(), Error> {
            self.0 = Some(v.len());
            Ok(())
        }
        fn number(&mut self, _: Number) -> Result<(), Error> {
            Ok(())
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
            self.0 = Some(v.len());
            Ok(())
        }
        fn boolean(&mut self, _: bool) -> Result<(), Error> {
            Err(Error::WrongType {
                expected: "a string, number or binary key value",
            })
        }
        fn null(&mut self) -> Result<(), Error> {
            Err(Error::WrongType {
                expected: "a string, number or binary key value",
            })
        }
        fn begin(&mut self, _: Container) -> Result<(), Error> {
            Err(Error::WrongType {
                expected: "a string, number or binary key value",
            })
        }
        fn key(&mut self, _: &str) -> Result<(), Error> {
            Ok(())
        }
        fn end(&mut self) -> Result<(), Error> {
            Ok(())
        }
    }
    let mut m = Measure(None);
    value.encode(&mut m)?;
    Ok(m.0)
}

/// Refuses a value DynamoDB does not take for a key of a secondary index: NULL, an empty
/// string, an empty binary.
pub(crate) fn check_index_key_value(
    attribute: &'static str,
    value: &dyn Encode,
) -> Result<(), Error> {
    struct Probe(Option<&'static str>);
    impl Sink for Probe {
        fn string(&mut self, v: &str) -> Result<(), Error> {
            if v.is_empty() {
                self.0 = Some("an empty string");
            }
            Ok(())
        }
        fn number(&mut self, _: Number) -> Result<(), Error> {
            Ok(())
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
            if v.is_empty() {
                self.0 = Some("an empty binary");
            }
            Ok(())
        }
        fn boolean(&mut self, _: bool) -> Result<(), Error> {
            Ok(())
        }
        fn null(&mut self) -> Result<(), Error> {
            self.0 = Some("NULL");
            Ok(())
        }
        fn begin(&mut self, _: Container) -> Result<(), Error> {
            Ok(())
        }
        fn key(&mut self, _: &str) -> Result<(), Error> {
            Ok(())
        }
        fn end(&mut self) -> Result<(), Error> {
            Ok(())
        }
    }
    let mut probe = Probe(None);
    value.encode(&mut probe)?;
    match probe.0 {
        Some(found) => Err(Error::IndexKeyValue { attribute, found }),
        None => Ok(()),
    }
}
