//! Checks of values as DynamoDB makes them: the validator every value goes through before
//! it is rendered, and the measure of key values.

use super::*;

/// Checks a value as DynamoDB would: numbers are valid by construction; sets must be non-empty
/// and hold one element type; nesting is limited to 32 levels.
#[derive(Default)]
pub(crate) struct Validator {
    open: Vec<(Container, usize), MAX_VALUE_DEPTH>,
}

impl Validator {
    fn scalar(&mut self, kind: Option<Container>) -> Result<(), Error> {
        crate::limits::check_level(self.open.len() + 1)?;
        if let Some((container, count)) = self.open.last_mut() {
            match container {
                Container::List | Container::Map => {}
                set if Some(*set) != kind => {
                    return Err(Error::WrongType {
                        expected: match set {
                            Container::StringSet => "strings in a string set",
                            Container::NumberSet => "numbers in a number set",
                            _ => "binaries in a binary set",
                        },
                    });
                }
                _ => {}
            }
            *count += 1;
        }
        Ok(())
    }
}

impl Sink for Validator {
    fn string(&mut self, _: &str) -> Result<(), Error> {
        self.scalar(Some(Container::StringSet))
    }
    fn number(&mut self, _: Number) -> Result<(), Error> {
        self.scalar(Some(Container::NumberSet))
    }
    fn binary(&mut self, _: &[u8]) -> Result<(), Error> {
        self.scalar(Some(Container::BinarySet))
    }
    fn boolean(&mut self, _: bool) -> Result<(), Error> {
        self.scalar(None)
    }
    fn null(&mut self) -> Result<(), Error> {
        self.scalar(None)
    }
    fn begin(&mut self, container: Container) -> Result<(), Error> {
        // A container is an element of its parent: fine in a list or map, wrong in a set.
        self.scalar(None)?;
        // The level was checked by `scalar`, so there is room.
        self.open
            .push((container, 0))
            .map_err(|_| Error::NestingTooDeep {
                depth: self.open.len() + 1,
                max: MAX_VALUE_DEPTH,
            })
    }
    fn key(&mut self, key: &str) -> Result<(), Error> {
        crate::limits::check_name(key)
    }
    fn end(&mut self) -> Result<(), Error> {
        match self.open.pop() {
            Some((Container::StringSet | Container::NumberSet | Container::BinarySet, 0)) => {
                Err(Error::EmptySet)
            }
            _ => Ok(()),
        }
    }
}
