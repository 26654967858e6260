//! Key conditions: the shapes of condition a Query accepts, as a trait implemented only for
//! those shapes, and the key-value checks that go with them.

use super::*;
use crate::AttributeType;
use crate::expr::model::{KeyField, MultiKeyField, MultiKeyPart};
use crate::values::key_text::{KeySpec, KeyTemplate, MAX_FIELDS, ToKeyText};
use crate::values::key_value::check_key_value;
use crate::values::kind::Kind;
use key_shape::{Expressible, FieldShape, Merge};

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

    /// Whether it is a condition over the fields of composed keys (known when the program
    /// compiles, so a program without one links none of their rendering).
    const COMPOSED: bool = false;

    /// For a condition over the fields of composed keys (`cond!(customer == c && placed >=
    /// t)`), hands its tests to `out` and answers `true`: a read renders the condition on the
    /// composed attributes from them ([`ComposedTests`]). `false` for any other condition.
    fn compose_key<'s>(&'s self, out: &mut ComposedTests<'s>) -> Result<bool, Error> {
        let _ = out;
        Ok(false)
    }
}

/// Checks a key value (not empty, within `max` bytes) where its type lets it fail: a number
/// is never empty and its text is at most 40 bytes, so a value of a number type is not
/// measured (the check is left out when the program compiles).
fn check_key<V: Encode + DynamoType>(
    attribute: &'static str,
    value: &V,
    max: usize,
) -> Result<(), Error> {
    if <V::Kind as Kind>::TYPE == Some(AttributeType::N) {
        return Ok(());
    }
    check_key_value(attribute, value, max)
}

/// Which key a part of a key condition constrains.
pub mod key_part {
    /// The partition key, with `=`.
    #[derive(Debug)]
    pub struct Partition;
    /// The sort key.
    #[derive(Debug)]
    pub struct Sort;
    /// A field of a composed key (`key pk = "CUSTOMER#" customer;`).
    #[derive(Debug)]
    pub struct Composed;
    /// An attribute of a multi-attribute key (`key (region, country);`).
    #[derive(Debug)]
    pub struct Multi;

    /// Parts that join with `&&` into one part: tests of several fields of composed keys (with
    /// a partition key that is a field, when the sort key is composed), or of several
    /// attributes of a multi-attribute key.
    pub trait Joinable {
        /// The part they make.
        type Joined;
    }
    impl Joinable for (Composed, Composed) {
        type Joined = Composed;
    }
    impl Joinable for (Multi, Multi) {
        type Joined = Multi;
    }
    impl Joinable for (Partition, Composed) {
        type Joined = Composed;
    }
    impl Joinable for (Composed, Partition) {
        type Joined = Composed;
    }

    /// The two parts of a two-part key condition, in either order; or parts over composed
    /// keys' fields.
    pub trait Pair {
        /// Whether the parts are tests of composed keys' fields.
        const COMPOSED: bool;
    }
    impl Pair for (Partition, Sort) {
        const COMPOSED: bool = false;
    }
    impl Pair for (Sort, Partition) {
        const COMPOSED: bool = false;
    }
    impl Pair for (Composed, Composed) {
        const COMPOSED: bool = true;
    }
    impl Pair for (Multi, Multi) {
        const COMPOSED: bool = false;
    }
    /// A partition key that is a field, with a composed sort key's fields.
    impl Pair for (Partition, Composed) {
        const COMPOSED: bool = true;
    }
    impl Pair for (Composed, Partition) {
        const COMPOSED: bool = true;
    }

    /// A part that is a key condition alone: the partition key's, or a composed key field's.
    pub trait Alone {
        /// Whether the part tests a composed key's field.
        const COMPOSED: bool;
    }
    impl Alone for Partition {
        const COMPOSED: bool = false;
    }
    impl Alone for Composed {
        const COMPOSED: bool = true;
    }
    impl Alone for Multi {
        const COMPOSED: bool = false;
    }
}

/// The tests of a key condition over composed keys' fields, gathered for a read to render
/// on the composed attributes ([`KeyCondition::compose_key`]).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; key sk = "O#" placed; attr customer: String; attr placed: i64 } }
/// use awstin_core::{Document, KeyCondition, cond::ComposedTests};
/// let (c, t) = ("c1", 5i64);
/// let key = Order::expr(awstin_macros::cond!(customer == c && placed >= t));
/// let mut tests = ComposedTests::default();
/// assert!(key.compose_key(&mut tests)?);
/// assert_eq!(tests.partition_attribute(), Some("pk"));
/// # Ok::<(), awstin_core::Error>(())
/// ```
#[derive(Default)]
pub struct ComposedTests<'s> {
    pub(crate) pk: Option<&'static KeySpec>,
    /// A partition key that is a field: its value.
    pub(crate) plain_pk: Option<&'s dyn Encode>,
    pub(crate) sk: Option<&'static KeySpec>,
    pub(crate) pk_eq: [Option<&'s dyn ToKeyText>; MAX_FIELDS],
    pub(crate) sk_eq: [Option<&'s dyn ToKeyText>; MAX_FIELDS],
    pub(crate) sk_range: Option<(usize, FieldRange<'s>)>,
}

impl ComposedTests<'_> {
    /// The partition key attribute tested.
    pub fn partition_attribute(&self) -> Option<&'static str> {
        self.pk.map(KeySpec::attribute)
    }
}

/// A range test of a composed sort key's field.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "alloc"), allow(dead_code))]
pub(crate) enum FieldRange<'s> {
    Lt(&'s dyn ToKeyText),
    Le(&'s dyn ToKeyText),
    Gt(&'s dyn ToKeyText),
    Ge(&'s dyn ToKeyText),
    Between(&'s dyn ToKeyText, &'s dyn ToKeyText),
    Prefix(&'s str),
}

impl<'s> ComposedTests<'s> {
    fn key<K: KeyTemplate>(&mut self) {
        if K::WHICH == 0 {
            self.pk = Some(K::SPEC);
        } else {
            self.sk = Some(K::SPEC);
        }
    }
    fn eq<K: KeyTemplate>(&mut self, position: usize, value: &'s dyn ToKeyText) {
        self.key::<K>();
        let slots = if K::WHICH == 0 {
            &mut self.pk_eq
        } else {
            &mut self.sk_eq
        };
        if let Some(slot) = slots.get_mut(position) {
            *slot = Some(value);
        }
    }
    fn range<K: KeyTemplate>(&mut self, position: usize, range: FieldRange<'s>) {
        self.key::<K>();
        self.sk_range = Some((position, range));
    }
}

/// A value with the key text of a field of type `T`: the type itself, a reference to it, or
/// a `&str` for a `String`. (A marker: the value is written by its [`ToKeyText`].)
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a value of the composed key's field of type `{T}`",
    label = "a test of a composed key's field takes a value of the field's own type",
    note = "the key text of a value depends on its type (a `u32` is zero-padded, an `i64` is not): compare a field with a value of its type"
)]
///
/// ```
/// use awstin_core::cond::KeyValueOf;
/// fn of<T: ?Sized, V: KeyValueOf<T> + ?Sized>(_: &V) {}
/// of::<String, _>("a str");
/// of::<u32, _>(&&7u32);
/// // of::<u32, _>(&7u64); // does not compile: a u64's key text is not a u32's
/// ```
pub trait KeyValueOf<T: ?Sized> {}
impl<T: ?Sized, U: KeyValueOf<T> + ?Sized> KeyValueOf<T> for &U {}
macro_rules! key_value_of_self {
    ($($t:ty),*) => {$( impl KeyValueOf<$t> for $t {} )*};
}
key_value_of_self!(
    bool,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    f32,
    f64,
    crate::values::number::Number
);
#[cfg(feature = "alloc")]
impl KeyValueOf<alloc::string::String> for alloc::string::String {}
#[cfg(feature = "alloc")]
impl KeyValueOf<alloc::string::String> for str {}
impl<T, U: KeyValueOf<T>> KeyValueOf<Option<T>> for Option<U> {}

/// A `begins_with` operand of a string field of a composed key: the text it begins with.
///
/// ```
/// use awstin_core::cond::KeyPrefix;
/// assert_eq!(KeyPrefix::prefix(&&"ab".to_string()), "ab");
/// ```
pub trait KeyPrefix {
    /// The prefix.
    fn prefix(&self) -> &str;
}
impl KeyPrefix for str {
    fn prefix(&self) -> &str {
        self
    }
}
#[cfg(feature = "alloc")]
impl KeyPrefix for alloc::string::String {
    fn prefix(&self) -> &str {
        self
    }
}
impl<T: KeyPrefix + ?Sized> KeyPrefix for &T {
    fn prefix(&self) -> &str {
        (**self).prefix()
    }
}

/// How a key role may be compared with operator `O`, by a value of type `V` (the attribute's
/// type `T`).
#[diagnostic::on_unimplemented(
    message = "a key condition cannot compare a `{Self}` attribute with `{O}`",
    label = "not allowed in a key condition",
    note = "a key condition compares the partition key with `==` and the sort key with `==`, `<`, `<=`, `>`, `>=`; other attributes and nested paths belong in a filter"
)]
pub trait RoleComparison<O, T: ?Sized, V> {
    /// [`key_part::Partition`], [`key_part::Sort`] or [`key_part::Composed`].
    type Part;
    /// Its shape ([`key_shape`]).
    type State;
    /// Checks the value.
    fn check(attribute: &'static str, value: &V) -> Result<(), Error>;
    /// Hands a composed key field's test to `out`.
    fn compose<'s>(value: &'s V, out: &mut ComposedTests<'s>) {
        let _ = (value, out);
    }
}
impl<T: ?Sized, V: Encode + DynamoType> RoleComparison<op::Eq, T, V> for PartitionKey {
    type Part = key_part::Partition;
    type State = key_shape::PlainPartition;
    fn check(attribute: &'static str, value: &V) -> Result<(), Error> {
        check_key(attribute, value, crate::limits::MAX_PARTITION_KEY_BYTES)
    }
    fn compose<'s>(value: &'s V, out: &mut ComposedTests<'s>) {
        out.plain_pk = Some(value);
    }
}
macro_rules! sort_ops {
    ($($o:ident),*) => {$(
        impl<T: ?Sized, V: Encode + DynamoType> RoleComparison<op::$o, T, V> for SortKey {
            type Part = key_part::Sort;
            type State = key_shape::PlainSort;
            fn check(attribute: &'static str, value: &V) -> Result<(), Error> {
                check_key(attribute, value, MAX_SORT_KEY_BYTES)
            }
        }
    )*};
}
sort_ops!(Eq, Lt, Le, Gt, Ge);

macro_rules! composed_ops {
    ($($o:ident => $kind:ident, |$v:ident| $test:expr;)*) => {$(
        impl<K: KeyTemplate, const P: usize, T, V: KeyValueOf<T> + ToKeyText> RoleComparison<op::$o, T, V>
            for KeyField<K, P>
        where
            Self: FieldShape<key_shape::$kind>,
        {
            type Part = key_part::Composed;
            type State = <Self as FieldShape<key_shape::$kind>>::State;
            fn check(_: &'static str, _: &V) -> Result<(), Error> {
                Ok(())
            }
            fn compose<'s>(value: &'s V, out: &mut ComposedTests<'s>) {
                let $v: &dyn ToKeyText = value;
                match $test {
                    None => out.eq::<K>(P, $v),
                    Some(range) => out.range::<K>(P, range),
                }
            }
        }
    )*};
}
composed_ops! {
    Eq => Eq, |v| None;
    Lt => Lt, |v| Some(FieldRange::Lt(v));
    Le => Range, |v| Some(FieldRange::Le(v));
    Gt => Range, |v| Some(FieldRange::Gt(v));
    Ge => Range, |v| Some(FieldRange::Ge(v));
}

macro_rules! multi_ops {
    ($($o:ident => $kind:ident;)*) => {$(
        impl<K: MultiKeyPart, const P: usize, T: ?Sized, V: Encode + DynamoType> RoleComparison<op::$o, T, V>
            for MultiKeyField<K, P>
        where
            Self: FieldShape<key_shape::$kind>,
        {
            type Part = key_part::Multi;
            type State = <Self as FieldShape<key_shape::$kind>>::State;
            fn check(attribute: &'static str, value: &V) -> Result<(), Error> {
                check_key(attribute, value, multi_max::<K>())
            }
        }
    )*};
}
multi_ops! {
    Eq => Eq;
    Lt => Range;
    Le => Range;
    Gt => Range;
    Ge => Range;
}

const fn multi_max<K: MultiKeyPart>() -> usize {
    if K::WHICH == 0 {
        crate::limits::MAX_PARTITION_KEY_BYTES
    } else {
        MAX_SORT_KEY_BYTES
    }
}

/// Roles that `between` may constrain in a key condition: the sort key, or a composed key's
/// field.
#[diagnostic::on_unimplemented(
    message = "in a key condition, `between` and `begins_with` apply to the sort key only, not a `{Self}` attribute",
    label = "not the sort key"
)]
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Document, KeyCondition};
/// fn key<C: KeyCondition<Movie>>(_: &C) {}
/// let (y, a, b) = (1992, "A", "L");
/// key(&Movie::expr(awstin_macros::cond!(year == y && title between a..b)));
/// ```
pub trait RangeRole<T: ?Sized, A, B> {
    /// [`key_part::Sort`] or [`key_part::Composed`].
    type Part;
    /// Its shape ([`key_shape`]).
    type State;
    /// Checks the bounds.
    fn check(attribute: &'static str, low: &A, high: &B) -> Result<(), Error>;
    /// Hands a composed key field's test to `out`.
    fn compose<'s>(low: &'s A, high: &'s B, out: &mut ComposedTests<'s>) {
        let _ = (low, high, out);
    }
}
impl<T: ?Sized, A: Encode + DynamoType, B: Encode + DynamoType> RangeRole<T, A, B> for SortKey {
    type Part = key_part::Sort;
    type State = key_shape::PlainSort;
    fn check(attribute: &'static str, low: &A, high: &B) -> Result<(), Error> {
        check_key(attribute, low, MAX_SORT_KEY_BYTES)?;
        check_key(attribute, high, MAX_SORT_KEY_BYTES)
    }
}
impl<K: KeyTemplate, const P: usize, T, A, B> RangeRole<T, A, B> for KeyField<K, P>
where
    A: KeyValueOf<T> + ToKeyText,
    B: KeyValueOf<T> + ToKeyText,
    Self: FieldShape<key_shape::Range>,
{
    type Part = key_part::Composed;
    type State = <Self as FieldShape<key_shape::Range>>::State;
    fn check(_: &'static str, _: &A, _: &B) -> Result<(), Error> {
        Ok(())
    }
    fn compose<'s>(low: &'s A, high: &'s B, out: &mut ComposedTests<'s>) {
        out.range::<K>(P, FieldRange::Between(low, high));
    }
}

impl<K: MultiKeyPart, const P: usize, T: ?Sized, A: Encode + DynamoType, B: Encode + DynamoType>
    RangeRole<T, A, B> for MultiKeyField<K, P>
where
    Self: FieldShape<key_shape::Range>,
{
    type Part = key_part::Multi;
    type State = <Self as FieldShape<key_shape::Range>>::State;
    fn check(attribute: &'static str, low: &A, high: &B) -> Result<(), Error> {
        check_key(attribute, low, multi_max::<K>())?;
        check_key(attribute, high, multi_max::<K>())
    }
}

/// Roles that `begins_with` may constrain in a key condition: the sort key, or a string field
/// of a composed key.
#[diagnostic::on_unimplemented(
    message = "in a key condition, `between` and `begins_with` apply to the sort key only, not a `{Self}` attribute",
    label = "not the sort key"
)]
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::{Document, KeyCondition};
/// fn key<C: KeyCondition<Movie>>(_: &C) {}
/// let (y, p) = (1992, "The");
/// key(&Movie::expr(awstin_macros::cond!(year == y && begins_with(title, p))));
/// ```
pub trait PrefixRole<T: ?Sized, V> {
    /// [`key_part::Sort`] or [`key_part::Composed`].
    type Part;
    /// Its shape ([`key_shape`]).
    type State;
    /// Checks the operand.
    fn check(attribute: &'static str, value: &V) -> Result<(), Error>;
    /// Hands a composed key field's test to `out`.
    fn compose<'s>(value: &'s V, out: &mut ComposedTests<'s>) {
        let _ = (value, out);
    }
}
impl<T: ?Sized, V: Encode + DynamoType> PrefixRole<T, V> for SortKey {
    type Part = key_part::Sort;
    type State = key_shape::PlainSort;
    fn check(attribute: &'static str, value: &V) -> Result<(), Error> {
        check_key(attribute, value, MAX_SORT_KEY_BYTES)
    }
}
#[cfg(feature = "alloc")]
impl<K: KeyTemplate, const P: usize, V: KeyPrefix> PrefixRole<alloc::string::String, V>
    for KeyField<K, P>
where
    Self: FieldShape<key_shape::Range>,
{
    type Part = key_part::Composed;
    type State = <Self as FieldShape<key_shape::Range>>::State;
    fn check(_: &'static str, _: &V) -> Result<(), Error> {
        Ok(())
    }
    fn compose<'s>(value: &'s V, out: &mut ComposedTests<'s>) {
        out.range::<K>(P, FieldRange::Prefix(value.prefix()));
    }
}

impl<K: MultiKeyPart, const P: usize, T: ?Sized, V: Encode + DynamoType> PrefixRole<T, V>
    for MultiKeyField<K, P>
where
    Self: FieldShape<key_shape::Range>,
{
    type Part = key_part::Multi;
    type State = <Self as FieldShape<key_shape::Range>>::State;
    fn check(attribute: &'static str, value: &V) -> Result<(), Error> {
        check_key(attribute, value, multi_max::<K>())
    }
}

/// One part of a key condition.
pub trait KeyPart<M>: Condition<Model = M> {
    /// [`key_part::Partition`], [`key_part::Sort`] or [`key_part::Composed`].
    type Part;
    /// Its shape ([`key_shape`]).
    type State;
    /// Checks the value(s) of this part.
    fn check(&self) -> Result<(), Error>;
    /// Hands its tests of composed keys' fields to `out`.
    fn compose<'s>(&'s self, out: &mut ComposedTests<'s>);
}

impl<M, P, O, V> KeyPart<M> for Compare<P, O, Val<V>>
where
    P: Path<Model = M>,
    P::Role: RoleComparison<O, P::Type, V>,
    O: op::Comparison<<P::Type as DynamoType>::Kind>,
    V: Encode + DynamoType,
{
    type Part = <P::Role as RoleComparison<O, P::Type, V>>::Part;
    type State = <P::Role as RoleComparison<O, P::Type, V>>::State;
    fn check(&self) -> Result<(), Error> {
        <P::Role as RoleComparison<O, P::Type, V>>::check(self.lhs.root_name(), &self.rhs.0)
    }
    fn compose<'s>(&'s self, out: &mut ComposedTests<'s>) {
        <P::Role as RoleComparison<O, P::Type, V>>::compose(&self.rhs.0, out);
    }
}

impl<M, P, A, B> KeyPart<M> for Between<P, Val<A>, Val<B>>
where
    P: Path<Model = M>,
    P::Role: RangeRole<P::Type, A, B>,
    A: Encode + DynamoType,
    B: Encode + DynamoType,
{
    type Part = <P::Role as RangeRole<P::Type, A, B>>::Part;
    type State = <P::Role as RangeRole<P::Type, A, B>>::State;
    fn check(&self) -> Result<(), Error> {
        <P::Role as RangeRole<P::Type, A, B>>::check(
            self.lhs.root_name(),
            &self.low.0,
            &self.high.0,
        )
    }
    fn compose<'s>(&'s self, out: &mut ComposedTests<'s>) {
        <P::Role as RangeRole<P::Type, A, B>>::compose(&self.low.0, &self.high.0, out);
    }
}

impl<M, P, V> KeyPart<M> for BeginsWith<P, Val<V>>
where
    P: Path<Model = M>,
    P::Role: PrefixRole<P::Type, V>,
    V: Encode + DynamoType,
{
    type Part = <P::Role as PrefixRole<P::Type, V>>::Part;
    type State = <P::Role as PrefixRole<P::Type, V>>::State;
    fn check(&self) -> Result<(), Error> {
        <P::Role as PrefixRole<P::Type, V>>::check(self.path.root_name(), &self.operand.0)
    }
    fn compose<'s>(&'s self, out: &mut ComposedTests<'s>) {
        <P::Role as PrefixRole<P::Type, V>>::compose(&self.operand.0, out);
    }
}

/// Tests of several fields of composed keys, or of several attributes of a multi-attribute
/// key, joined with `&&`.
impl<M, A, B> KeyPart<M> for And<A, B>
where
    A: KeyPart<M>,
    B: KeyPart<M>,
    (A::Part, B::Part): key_part::Joinable,
    A::State: Merge<B::State>,
{
    type Part = <(A::Part, B::Part) as key_part::Joinable>::Joined;
    type State = <A::State as Merge<B::State>>::Out;
    fn check(&self) -> Result<(), Error> {
        self.0.check()?;
        self.1.check()
    }
    fn compose<'s>(&'s self, out: &mut ComposedTests<'s>) {
        self.0.compose(out);
        self.1.compose(out);
    }
}

impl<M, P, V> KeyCondition<M> for Compare<P, op::Eq, Val<V>>
where
    Self: KeyPart<M>,
    <Self as KeyPart<M>>::Part: key_part::Alone,
    <Self as KeyPart<M>>::State: Expressible,
{
    const COMPOSED: bool = <<Self as KeyPart<M>>::Part as key_part::Alone>::COMPOSED;
    fn check_key_values(&self) -> Result<(), Error> {
        self.check()
    }
    fn compose_key<'s>(&'s self, out: &mut ComposedTests<'s>) -> Result<bool, Error> {
        if <<Self as KeyPart<M>>::Part as key_part::Alone>::COMPOSED {
            self.compose(out);
            return Ok(true);
        }
        Ok(false)
    }
}

impl<M, A: KeyPart<M>, B: KeyPart<M>> KeyCondition<M> for And<A, B>
where
    (A::Part, B::Part): key_part::Pair,
    A::State: Merge<B::State>,
    <A::State as Merge<B::State>>::Out: Expressible,
{
    const COMPOSED: bool = <(A::Part, B::Part) as key_part::Pair>::COMPOSED;
    fn check_key_values(&self) -> Result<(), Error> {
        self.0.check()?;
        self.1.check()
    }
    fn compose_key<'s>(&'s self, out: &mut ComposedTests<'s>) -> Result<bool, Error> {
        if <(A::Part, B::Part) as key_part::Pair>::COMPOSED {
            self.0.compose(out);
            self.1.compose(out);
            return Ok(true);
        }
        Ok(false)
    }
}

/// Roles that update actions may write: not keys, nor the fields of composed keys.
#[diagnostic::on_unimplemented(
    message = "key attributes and the fields of composed keys cannot be updated",
    label = "this path is a key attribute of the model, or a field of a composed key (role `{Self}`)",
    note = "DynamoDB identifies the item by its key; to change a key, delete the item and put a new one",
    note = "a field of a composed index key (`index_key gsi1pk = \"STATUS#\" status;`) is set with `=` (with the key's other fields), never removed or added to: the key is kept in step"
)]
pub trait Writable {}
impl Writable for NotKey {}
impl Writable for crate::expr::model::IndexKey {}

/// Roles that `SET` may write: those [`Writable`] takes, and the fields of composed index
/// keys (set together, with their key: see [`IndexKeyField`](crate::expr::model::IndexKeyField)).
#[diagnostic::on_unimplemented(
    message = "key attributes and the fields of composed keys cannot be updated",
    label = "this path is a key attribute of the model, or a field of a composed key of the table (role `{Self}`)",
    note = "DynamoDB identifies the item by its key; to change a key, delete the item and put a new one"
)]
pub trait Settable {}
impl Settable for NotKey {}
impl Settable for crate::expr::model::IndexKey {}
impl<X, const P: usize> Settable for crate::expr::model::IndexKeyField<X, P> {}
