//! Key conditions: the shapes of condition a Query accepts, as a trait implemented only for
//! those shapes, and the key-value checks that go with them.

use super::*;
use crate::values::key_value::check_key_value;

/// A condition a Query of model `M` accepts as its key condition: `partition == value`, and
/// optionally `&&` one condition on the sort key: `==`, `<`, `<=`, `>`, `>=`, `between`, or
/// `begins_with` (strings and binaries only). Either order of the two is accepted.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::{Document, KeyCondition};
/// fn is_key<C: KeyCondition<Movie>>(_: &C) {}
/// let y = 1985;
/// is_key(&Movie::expr(awstin_macros::cond!(year == y)));
/// is_key(&Movie::expr(awstin_macros::cond!(title between "A".."L" && year == y)));
/// ```
#[diagnostic::on_unimplemented(
    message = "this condition is not a valid key condition for `{M}`",
    label = "not a key condition",
    note = "a key condition is `partition_key == value`, optionally `&& ` one sort key condition (`==`, `<`, `<=`, `>`, `>=`, `between`, `begins_with`)",
    note = "`||`, `!`, `!=`, `in`, other functions, nested paths and non-key attributes belong in a filter"
)]
pub trait KeyCondition<M>: Condition<Model = M> {
    /// Checks that key values are non-empty and within DynamoDB's size limits.
    fn check_key_values(&self) -> Result<(), Error>;
}

/// Which key a part of a key condition constrains.
pub mod key_part {
    /// The partition key, with `=`.
    #[derive(Debug)]
    pub struct Partition;
    /// The sort key.
    #[derive(Debug)]
    pub struct Sort;

    /// The two parts of a two-part key condition, in either order.
    pub trait Pair {}
    impl Pair for (Partition, Sort) {}
    impl Pair for (Sort, Partition) {}
}

/// How a key role may be compared with operator `O`.
#[diagnostic::on_unimplemented(
    message = "a key condition cannot compare a `{Self}` attribute with `{O}`",
    label = "not allowed in a key condition",
    note = "a key condition compares the partition key with `==` and the sort key with `==`, `<`, `<=`, `>`, `>=`; other attributes and nested paths belong in a filter"
)]
pub trait RoleComparison<O> {
    /// [`key_part::Partition`] or [`key_part::Sort`].
    type Part;
    /// Largest key value in bytes.
    const MAX_BYTES: usize;
}
impl RoleComparison<op::Eq> for PartitionKey {
    type Part = key_part::Partition;
    const MAX_BYTES: usize = crate::limits::MAX_PARTITION_KEY_BYTES;
}
macro_rules! sort_ops {
    ($($o:ident),*) => {$(
        impl RoleComparison<op::$o> for SortKey {
            type Part = key_part::Sort;
            const MAX_BYTES: usize = crate::limits::MAX_SORT_KEY_BYTES;
        }
    )*};
}
sort_ops!(Eq, Lt, Le, Gt, Ge);

/// Roles that `between` and `begins_with` may constrain in a key condition: the sort key.
#[diagnostic::on_unimplemented(
    message = "in a key condition, `between` and `begins_with` apply to the sort key only, not a `{Self}` attribute",
    label = "not the sort key"
)]
pub trait SortRole {}
impl SortRole for SortKey {}

/// One part of a key condition.
pub trait KeyPart<M>: Condition<Model = M> {
    /// [`key_part::Partition`] or [`key_part::Sort`].
    type Part;
    /// Checks the value(s) of this part.
    fn check(&self) -> Result<(), Error>;
}

impl<M, P, O, V> KeyPart<M> for Compare<P, O, Val<V>>
where
    P: Path<Model = M>,
    P::Role: RoleComparison<O>,
    O: op::Comparison<<P::Type as DynamoType>::Kind>,
    V: Encode + DynamoType,
{
    type Part = <P::Role as RoleComparison<O>>::Part;
    fn check(&self) -> Result<(), Error> {
        check_key_value(
            self.lhs.root_name(),
            &self.rhs.0,
            <P::Role as RoleComparison<O>>::MAX_BYTES,
        )
    }
}

impl<M, P, A, B> KeyPart<M> for Between<P, Val<A>, Val<B>>
where
    P: Path<Model = M>,
    P::Role: SortRole,
    A: Encode + DynamoType,
    B: Encode + DynamoType,
{
    type Part = key_part::Sort;
    fn check(&self) -> Result<(), Error> {
        check_key_value(self.lhs.root_name(), &self.low.0, MAX_SORT_KEY_BYTES)?;
        check_key_value(self.lhs.root_name(), &self.high.0, MAX_SORT_KEY_BYTES)
    }
}

impl<M, P, V> KeyPart<M> for BeginsWith<P, Val<V>>
where
    P: Path<Model = M>,
    P::Role: SortRole,
    V: Encode + DynamoType,
{
    type Part = key_part::Sort;
    fn check(&self) -> Result<(), Error> {
        check_key_value(self.path.root_name(), &self.operand.0, MAX_SORT_KEY_BYTES)
    }
}

impl<M, P, V> KeyCondition<M> for Compare<P, op::Eq, Val<V>>
where
    Self: KeyPart<M, Part = key_part::Partition>,
{
    fn check_key_values(&self) -> Result<(), Error> {
        self.check()
    }
}

impl<M, A: KeyPart<M>, B: KeyPart<M>> KeyCondition<M> for And<A, B>
where
    (A::Part, B::Part): key_part::Pair,
{
    fn check_key_values(&self) -> Result<(), Error> {
        self.0.check()?;
        self.1.check()
    }
}

/// Roles that update actions may write: not keys, nor the fields of composed keys.
#[diagnostic::on_unimplemented(
    message = "key attributes and the fields of composed keys cannot be updated",
    label = "this path is a key attribute of the model, or a field of a composed key (role `{Self}`)",
    note = "DynamoDB identifies the item by its key; to change a key, delete the item and put a new one",
    note = "a field of a composed index key (`index_key gsi1pk = \"STATUS#\" status;`) is written by a put, which writes the index key with it: an update of the field alone would leave the index stale"
)]
pub trait Writable {}
impl Writable for NotKey {}
impl Writable for crate::expr::model::IndexKey {}
