//! Applying an update to an item locally, with DynamoDB's semantics (see
//! [`Update::apply`](crate::expr::update::Update::apply)).

use alloc::string::String;
use alloc::vec::Vec;

use crate::expr::path::Segment;
use crate::expr::path::Segments;
use crate::expr::render::Validator;
use crate::values::value::Encode;
use crate::{
    error::Error, error::UpdateFailure, values::value::AttributeType, values::value_buf::ValueBuf,
};

/// One level of an owned path. Names order before indices, and indices numerically, so
/// sorting paths puts the elements of one list in index order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Name(String),
    Index(usize),
}

fn owned_path(path: &dyn crate::expr::path::Segments) -> Result<Vec<Level>, Error> {
    let mut levels = Vec::with_capacity(path.len());
    path.each(&mut |s| {
        levels.push(match s {
            Segment::Name(n) => Level::Name(String::from(n)),
            Segment::Index(i) => Level::Index(i),
        });
        Ok(())
    })?;
    Ok(levels)
}

fn child<'v>(v: &'v ValueBuf, level: &Level) -> Option<&'v ValueBuf> {
    match (v, level) {
        (ValueBuf::M(members), Level::Name(n)) => members.get(n),
        (ValueBuf::L(items), Level::Index(i)) => items.get(*i),
        _ => None,
    }
}

fn child_mut<'v>(v: &'v mut ValueBuf, level: &Level) -> Option<&'v mut ValueBuf> {
    match (v, level) {
        (ValueBuf::M(members), Level::Name(n)) => members.get_mut(n),
        (ValueBuf::L(items), Level::Index(i)) => items.get_mut(*i),
        _ => None,
    }
}

/// The value the last level of `path` is written into: it must exist and be a map for a name,
/// a list for an index.
fn parent<'v>(item: &'v ValueBuf, path: &[Level]) -> Option<&'v ValueBuf> {
    let (last, above) = path.split_last()?;
    let parent = above.iter().try_fold(item, child)?;
    match (parent, last) {
        (ValueBuf::M(_), Level::Name(_)) | (ValueBuf::L(_), Level::Index(_)) => Some(parent),
        _ => None,
    }
}

fn parent_mut<'v>(item: &'v mut ValueBuf, path: &[Level]) -> Option<&'v mut ValueBuf> {
    let (_, above) = path.split_last()?;
    above.iter().try_fold(item, child_mut)
}

fn operand_type(operator: &'static str, found: AttributeType) -> UpdateFailure {
    UpdateFailure::OperandType { operator, found }
}

/// `ADD value` to `current`: the new value.
fn add(current: Option<&ValueBuf>, value: ValueBuf) -> Result<ValueBuf, Error> {
    let failure = |found| Err(failure(operand_type("ADD", found)));
    if !(is_set(&value) || matches!(value, ValueBuf::N(_))) {
        return failure(value.attribute_type());
    }
    let Some(current) = current else {
        return Ok(value);
    };
    fn union<T: PartialEq>(mut a: Vec<T>, b: Vec<T>) -> Vec<T> {
        for e in b {
            if !a.contains(&e) {
                a.push(e);
            }
        }
        a
    }
    Ok(match (current.clone(), value) {
        (ValueBuf::N(a), ValueBuf::N(b)) => ValueBuf::N(a.checked_add(b)?),
        (ValueBuf::SS(a), ValueBuf::SS(b)) => ValueBuf::SS(union(a, b)),
        (ValueBuf::NS(a), ValueBuf::NS(b)) => ValueBuf::NS(union(a, b)),
        (ValueBuf::BS(a), ValueBuf::BS(b)) => ValueBuf::BS(union(a, b)),
        (current, _) => return failure(current.attribute_type()),
    })
}

fn is_set(v: &ValueBuf) -> bool {
    matches!(v, ValueBuf::SS(_) | ValueBuf::NS(_) | ValueBuf::BS(_))
}

/// `DELETE value` from `current`: the remaining set, `None` when none remains.
fn delete(current: &ValueBuf, value: ValueBuf) -> Result<Option<ValueBuf>, Error> {
    fn difference<T: PartialEq>(mut a: Vec<T>, b: &[T]) -> Option<Vec<T>> {
        a.retain(|e| !b.contains(e));
        (!a.is_empty()).then_some(a)
    }
    Ok(match (current.clone(), value) {
        (ValueBuf::SS(a), ValueBuf::SS(b)) => difference(a, &b).map(ValueBuf::SS),
        (ValueBuf::NS(a), ValueBuf::NS(b)) => difference(a, &b).map(ValueBuf::NS),
        (ValueBuf::BS(a), ValueBuf::BS(b)) => difference(a, &b).map(ValueBuf::BS),
        (current, value) => {
            let wrong = if is_set(&value) { current } else { value };
            return Err(failure(operand_type("DELETE", wrong.attribute_type())));
        }
    })
}

pub(crate) fn apply<'u>(
    count: usize,
    path: impl Fn(usize) -> Option<&'u dyn Segments>,
    effect: impl Fn(usize, crate::values::value_buf::ValueBufRef<'_>) -> Result<Effect, Error>,
    original: &ValueBuf,
) -> Result<ValueBuf, Error> {
    if !matches!(original, ValueBuf::M(_)) {
        return Err(Error::WrongType {
            expected: "an item (a map of attributes)",
        });
    }
    let mut writes: Vec<(Vec<Level>, ValueBuf)> = Vec::new();
    let mut removals: Vec<Vec<Level>> = Vec::new();
    for action in 0..count {
        let at = |e: Error| match e {
            Error::Update { failure, .. } => Error::Update { action, failure },
            other => other,
        };
        let invalid_path = Error::Update {
            action,
            failure: UpdateFailure::InvalidPath,
        };
        let path = path(action).map(owned_path).ok_or(Error::WrongType {
            expected: "an action index of this update",
        })??;
        let effect = effect(action, original.read()).map_err(at)?;
        let Some(parent) = parent(original, &path) else {
            return Err(invalid_path);
        };
        let current = path.last().and_then(|last| child(parent, last));
        match effect {
            Effect::Set(value) => writes.push((path, value)),
            Effect::Remove => {
                if current.is_some() {
                    removals.push(path);
                }
            }
            Effect::Add(value) => writes.push((path, add(current, value).map_err(at)?)),
            Effect::Delete(value) => match current {
                None if is_set(&value) => {}
                None => {
                    return Err(at(failure(operand_type("DELETE", value.attribute_type()))));
                }
                Some(current) => match delete(current, value).map_err(at)? {
                    Some(rest) => writes.push((path, rest)),
                    None => removals.push(path),
                },
            },
        }
    }
    let mut item = original.clone();
    // Writes first, in path order: a list's appended elements go in index order. Their
    // parents existed before the update, and no write changes another's parent.
    writes.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, value) in writes {
        let (Some(parent), Some(last)) = (parent_mut(&mut item, &path), path.last()) else {
            continue;
        };
        match (parent, last) {
            (ValueBuf::M(members), Level::Name(n)) => {
                members.insert(n.clone(), value);
            }
            (ValueBuf::L(items), Level::Index(i)) => match items.get_mut(*i) {
                Some(slot) => *slot = value,
                None => items.push(value),
            },
            _ => {}
        }
    }
    // Removals last, from the highest path down: a list element goes before any lower one,
    // so every index still means what it meant before the update.
    removals.sort_by(|a, b| b.cmp(a));
    for path in removals {
        let (Some(parent), Some(last)) = (parent_mut(&mut item, &path), path.last()) else {
            continue;
        };
        match (parent, last) {
            (ValueBuf::M(members), Level::Name(n)) => {
                members.remove(n);
            }
            (ValueBuf::L(items), Level::Index(i)) if *i < items.len() => {
                items.remove(*i);
            }
            _ => {}
        }
    }
    if let ValueBuf::M(attributes) = &item {
        for value in attributes.values() {
            value.encode(&mut Validator::default())?;
        }
    }
    Ok(item)
}

/// What one action does, computed from the item as it was before the update.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Counter { table "Counters"; key name: String; attr count: u64; attr note: String } }
/// use awstin_core::{Document, Number, Update, ValueBuf, update::Effect};
/// let item = ValueBuf::M([("count".to_string(), ValueBuf::N(Number::from(4u8)))].into());
/// let one = 1;
/// let u = Counter::expr(awstin_macros::update!(count += one, remove(note)));
/// assert_eq!(u.effect(0, item.read())?, Effect::Set(ValueBuf::N(Number::from(5u8))));
/// assert_eq!(u.effect(1, item.read())?, Effect::Remove);
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `SET`: the value to write.
    Set(ValueBuf),
    /// `REMOVE`.
    Remove,
    /// `ADD`: the number to add or the set to unite with.
    Add(ValueBuf),
    /// `DELETE`: the set of elements to take away.
    Delete(ValueBuf),
}

/// An update failure not yet placed at its action (see [`apply`](crate::expr::update::Update::apply)).
pub(crate) fn failure(failure: UpdateFailure) -> Error {
    Error::Update { action: 0, failure }
}
