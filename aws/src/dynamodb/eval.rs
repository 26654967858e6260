//! Local evaluation on models: conditions and updates decided with DynamoDB's semantics,
//! without a request.

use awstin_core::{DecodeFrom, Encode};

use super::codec::{AvRef, to_item};

/// Whether `condition` holds for `item` (a model), decided locally with DynamoDB's
/// semantics: no request is sent.
///
/// ```
/// awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// let m = Movie { year: 2015, title: "The Big New Movie".into(), rating: 6.5 };
/// let limit = 5;
/// assert!(!awstin::dynamodb::matches(&m, awstin::cond!(rating <= limit))?);
/// assert!(awstin::dynamodb::matches(&m, awstin::cond!(rating > limit && begins_with(title, "The")))?);
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub fn matches<M, F, C>(item: &M, condition: F) -> Result<bool, super::Error>
where
    M: awstin_core::Document + Encode,
    F: FnOnce(&'static M::Fields) -> C,
    C: awstin_core::Condition<Model = M>,
{
    let condition = condition(M::FIELDS);
    let item = to_item(item)?;
    Ok(condition.eval(AvRef::Item(&item))?)
}

/// `item` (a model) after `update`, computed locally with DynamoDB's semantics: no request
/// is sent. Errors are those DynamoDB would give, as [`Error::Refused`](super::Error::Refused)
/// (see [`Update::apply`](awstin_core::Update::apply)).
///
/// ```
/// awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64; attr plays: Option<u64> } }
/// let m = Movie { year: 2015, title: "The Big New Movie".into(), rating: 6.5, plays: None };
/// let (bump, zero, one) = (0.5, 0, 1);
/// let new = awstin::dynamodb::apply(&m, awstin::update!(rating += bump, plays = if_not_exists(plays, zero) + one))?;
/// assert_eq!((new.rating, new.plays), (7.0, Some(1)));
/// // `plays + 1` reads a missing attribute: DynamoDB refuses it, and so does the local apply.
/// assert!(awstin::dynamodb::apply(&m, awstin::update!(plays += one)).is_err());
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub fn apply<M, F, U>(item: &M, update: F) -> Result<M, super::Error>
where
    M: awstin_core::Document + Encode + for<'a> DecodeFrom<awstin_core::ValueBufRef<'a>>,
    F: FnOnce(&'static M::Fields) -> U,
    U: awstin_core::Update<Model = M>,
{
    let update = update(M::FIELDS);
    let new = update.apply(awstin_core::ValueBuf::from_item(item)?.read())?;
    Ok(M::decode(new.read())?)
}

/// `item` after `update` if `condition` holds (`None` when it does not), with DynamoDB's
/// order of checks: an update DynamoDB would refuse for this item (an operand of the wrong
/// type, a missing attribute in `+`) is that error even when the condition is false, as
/// UpdateItem answers `ValidationException` before `ConditionalCheckFailedException`.
///
/// ```
/// awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64; attr plays: Option<u64> } }
/// let m = Movie { year: 2015, title: "T".into(), rating: 6.5, plays: None };
/// let (one, high) = (1, 9);
/// // The condition is false, but `plays + 1` reads a missing attribute: the error wins.
/// assert!(awstin::dynamodb::apply_if(&m, awstin::update!(plays += one), awstin::cond!(rating > high)).is_err());
/// assert!(awstin::dynamodb::apply_if(&m, awstin::update!(rating += one), awstin::cond!(rating > high))?.is_none());
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub fn apply_if<M, F, U, G, C>(item: &M, update: F, condition: G) -> Result<Option<M>, super::Error>
where
    M: awstin_core::Document + Encode + for<'a> DecodeFrom<awstin_core::ValueBufRef<'a>>,
    F: FnOnce(&'static M::Fields) -> U,
    U: awstin_core::Update<Model = M>,
    G: FnOnce(&'static M::Fields) -> C,
    C: awstin_core::Condition<Model = M>,
{
    let updated = apply(item, update)?;
    Ok(matches(item, condition)?.then_some(updated))
}
