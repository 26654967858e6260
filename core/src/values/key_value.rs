//! The checks of key values that DynamoDB makes of every request carrying a key: not empty,
//! within the partition and sort key limits, and for a secondary index's key, not NULL.

use crate::values::value::{AttributeType, Container, Encode, Sink};
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
    match top_level(value)? {
        (AttributeType::S | AttributeType::B, len) => Ok(Some(len)),
        (AttributeType::N, _) => Ok(None),
        _ => Err(Error::WrongType {
            expected: "a string, number or binary key value",
        }),
    }
}

/// A value's top level: its type, and the byte length of a string or binary (0 for other
/// types). What a container holds is not looked at.
pub(crate) fn top_level(value: &dyn Encode) -> Result<(AttributeType, usize), Error> {
    struct Probe(Option<(AttributeType, usize)>);
    impl Probe {
        fn top(&mut self, t: AttributeType, len: usize) -> Result<(), Error> {
            self.0.get_or_insert((t, len));
            Ok(())
        }
    }
    impl Sink for Probe {
        fn string(&mut self, v: &str) -> Result<(), Error> {
            self.top(AttributeType::S, v.len())
        }
        fn number(&mut self, _: Number) -> Result<(), Error> {
            self.top(AttributeType::N, 0)
        }
        fn binary(&mut self, v: &[u8]) -> Result<(), Error> {
            self.top(AttributeType::B, v.len())
        }
        fn boolean(&mut self, _: bool) -> Result<(), Error> {
            self.top(AttributeType::BOOL, 0)
        }
        fn null(&mut self) -> Result<(), Error> {
            self.top(AttributeType::NULL, 0)
        }
        fn begin(&mut self, container: Container) -> Result<(), Error> {
            self.top(container.attribute_type(), 0)
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
    probe.0.ok_or(Error::WrongType {
        expected: "a value",
    })
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
