//! The shape of a key condition over composed or multi-attribute keys, as types: which
//! fields it tests and how, folded over its `&&`s while the program is type-checked, so a
//! condition the keys cannot express is refused by `cargo check` (and an editor), with a
//! message naming the rule, at the condition.
//!
//! A condition's shape is a [`State`]: whether it tests a composed or multi-attribute key's
//! field at all, whether it gives the partition key, and for each key the tests of its fields
//! by position (six slots, each [`Unset`], [`Eq`](struct@Eq), [`Range`] or [`Lt`]) with what its
//! template says ([`Info`]: how many fields, whether the template ends with a field). The
//! rules:
//!
//! - every field of a composed or multi-attribute partition key with `==` ([`PartitionGiven`],
//!   [`PartitionFields`]);
//! - the sort key's fields from the first, without gaps, `==` but for the last one given,
//!   which may be a range ([`NoFieldAfterAGap`], [`NoFieldAfterARange`]);
//! - not `<` on a composed sort key's last field when its template ends with that field
//!   ([`LtBeforeTheEnd`]): the key's text goes on past the field's, so no one `BETWEEN`
//!   expresses it;
//! - each field tested once ([`TestedOnce`]).
//!
//! ```
//! # awstin_macros::dynamo_model! { pub struct Order { table "App"; key pk = "C#" customer; key sk = "O#" placed "#" n; attr customer: String; attr placed: i64; attr n: u32 } }
//! use awstin_core::{Document, KeyCondition};
//! fn query<C: KeyCondition<Order>>(_: &C) {}
//! let (c, t, n) = ("c1", 5i64, 7u32);
//! query(&Order::expr(awstin_macros::cond!(customer == c && placed == t && n <= n)));
//! // query(&Order::expr(awstin_macros::cond!(customer == c && n == n)));
//! // does not compile: "a key condition gives the sort key's fields from the first, without gaps"
//! ```

use core::marker::PhantomData;

use crate::expr::model::{KeyField, MultiKeyField, MultiKeyPart};
use crate::values::key_text::KeyTemplate;

/// A slot no test fills.
#[derive(Debug)]
pub struct Unset;
/// A field tested with `==`.
#[derive(Debug)]
pub struct Eq;
/// A field tested with a range (`<=`, `>`, `>=`, `between`, `begins_with`; `<` where it is
/// one key condition).
#[derive(Debug)]
pub struct Range;
/// A field tested with `<`.
#[derive(Debug)]
pub struct Lt;

/// Yes.
#[derive(Debug)]
pub struct Yes;
/// No.
#[derive(Debug)]
pub struct No;

/// Zero, as a type.
#[derive(Debug)]
pub struct Z;
/// One more than `N`, as a type.
#[derive(Debug)]
pub struct S<N>(PhantomData<N>);

/// A count or position as a const.
#[derive(Debug)]
pub struct N<const V: usize>;
/// The type of a count or position (0 to 7).
pub trait Peano {
    /// `Z`, `S<Z>`, ...
    type T;
}
impl Peano for N<0> {
    type T = Z;
}
impl Peano for N<1> {
    type T = S<Z>;
}
impl Peano for N<2> {
    type T = S<S<Z>>;
}
impl Peano for N<3> {
    type T = S<S<S<Z>>>;
}
impl Peano for N<4> {
    type T = S<S<S<S<Z>>>>;
}
impl Peano for N<5> {
    type T = S<S<S<S<S<Z>>>>>;
}
impl Peano for N<6> {
    type T = S<S<S<S<S<S<Z>>>>>>;
}
impl Peano for N<7> {
    type T = S<S<S<S<S<S<S<Z>>>>>>>;
}

/// A flag as a const.
#[derive(Debug)]
pub struct Flag<const B: bool>;
/// The type of a flag.
pub trait FlagType {
    /// [`Yes`] or [`No`].
    type T;
}
impl FlagType for Flag<true> {
    type T = Yes;
}
impl FlagType for Flag<false> {
    type T = No;
}

/// The partition key's side.
#[derive(Debug)]
pub struct PartitionSide;
/// The sort key's side.
#[derive(Debug)]
pub struct SortSide;
/// A key's side as a const (0 the partition key, 1 the sort key).
#[derive(Debug)]
pub struct Side<const W: u8>;
/// The type of a side.
pub trait SideType {
    /// [`PartitionSide`] or [`SortSide`].
    type T;
}
impl SideType for Side<0> {
    type T = PartitionSide;
}
impl SideType for Side<1> {
    type T = SortSide;
}

/// A list of slots.
#[derive(Debug)]
pub struct Cons<H, T>(PhantomData<(H, T)>);
/// The end of a list.
#[derive(Debug)]
pub struct Nil;
/// Six empty slots.
pub type Empty = Cons<Unset, Cons<Unset, Cons<Unset, Cons<Unset, Cons<Unset, Cons<Unset, Nil>>>>>>;

/// What a key's template says: how many fields (`C`), whether it ends with a field (`E`).
#[derive(Debug)]
pub struct Info<C, E>(PhantomData<(C, E)>);
/// No test of the key's fields.
#[derive(Debug)]
pub struct Unknown;

/// A key condition's shape: whether it tests a composed or multi-attribute key's field
/// (`C`), whether it gives the partition key (`G`), the partition key's slots and template
/// (`P`, `PI`), the sort key's (`K`, `KI`).
#[derive(Debug)]
pub struct State<C, G, P, PI, K, KI>(PhantomData<(C, G, P, PI, K, KI)>);

/// The shape of a test of a plain partition key.
pub type PlainPartition = State<No, Yes, Empty, Unknown, Empty, Unknown>;
/// The shape of a test of a plain sort key.
pub type PlainSort = State<No, No, Empty, Unknown, Empty, Unknown>;

/// Slots with slot `At` set to `K`.
pub trait SetAt<At, K> {
    /// The slots.
    type Out;
}
impl<H, T, K> SetAt<Z, K> for Cons<H, T> {
    type Out = Cons<K, T>;
}
impl<H, T: SetAt<A, K>, A, K> SetAt<S<A>, K> for Cons<H, T> {
    type Out = Cons<H, <T as SetAt<A, K>>::Out>;
}

/// The shape of one test of a key's field on `Self`'s side, given its slots and template.
pub trait Place<Slots, I> {
    /// The shape.
    type State;
}
impl<Slots, I> Place<Slots, I> for PartitionSide {
    type State = State<Yes, Yes, Slots, I, Empty, Unknown>;
}
impl<Slots, I> Place<Slots, I> for SortSide {
    type State = State<Yes, No, Empty, Unknown, Slots, I>;
}

/// The shape of a test (`Kind`) of the field it is.
pub trait FieldShape<Kind> {
    /// The shape.
    type State;
}
impl<K: KeyTemplate, const P: usize, Kind> FieldShape<Kind> for KeyField<K, P>
where
    N<P>: Peano,
    Empty: SetAt<<N<P> as Peano>::T, Kind>,
    K::Side: Place<<Empty as SetAt<<N<P> as Peano>::T, Kind>>::Out, Info<K::Count, K::Ends>>,
{
    type State = <K::Side as Place<
        <Empty as SetAt<<N<P> as Peano>::T, Kind>>::Out,
        Info<K::Count, K::Ends>,
    >>::State;
}
impl<K: MultiKeyPart, const P: usize, Kind> FieldShape<Kind> for MultiKeyField<K, P>
where
    N<P>: Peano,
    Empty: SetAt<<N<P> as Peano>::T, Kind>,
    K::Side: Place<<Empty as SetAt<<N<P> as Peano>::T, Kind>>::Out, Info<K::Count, No>>,
{
    type State = <K::Side as Place<
        <Empty as SetAt<<N<P> as Peano>::T, Kind>>::Out,
        Info<K::Count, No>,
    >>::State;
}

/// Logical or.
pub trait Or<B> {
    /// The result.
    type Out;
}
impl<B> Or<B> for Yes {
    type Out = Yes;
}
impl Or<Yes> for No {
    type Out = Yes;
}
impl Or<No> for No {
    type Out = No;
}

/// Two tests of the same field.
#[diagnostic::on_unimplemented(
    message = "a key condition tests each field of a composed key once",
    label = "a field of a composed or multi-attribute key tested twice"
)]
pub trait TestedOnce<B> {
    /// The slot.
    type Out;
}
impl TestedOnce<Unset> for Unset {
    type Out = Unset;
}
impl TestedOnce<Eq> for Unset {
    type Out = Eq;
}
impl TestedOnce<Range> for Unset {
    type Out = Range;
}
impl TestedOnce<Lt> for Unset {
    type Out = Lt;
}
impl TestedOnce<Unset> for Eq {
    type Out = Eq;
}
impl TestedOnce<Unset> for Range {
    type Out = Range;
}
impl TestedOnce<Unset> for Lt {
    type Out = Lt;
}

/// Two lists of slots, slot by slot.
pub trait MergeSlots<B> {
    /// The slots.
    type Out;
}
impl MergeSlots<Nil> for Nil {
    type Out = Nil;
}
impl<H1: TestedOnce<H2>, T1: MergeSlots<T2>, H2, T2> MergeSlots<Cons<H2, T2>> for Cons<H1, T1> {
    type Out = Cons<<H1 as TestedOnce<H2>>::Out, <T1 as MergeSlots<T2>>::Out>;
}

/// What two tests say of a key's template.
pub trait MergeInfo<B> {
    /// The template.
    type Out;
}
impl<B> MergeInfo<B> for Unknown {
    type Out = B;
}
impl<C, E, B> MergeInfo<B> for Info<C, E> {
    type Out = Info<C, E>;
}

/// Two shapes joined with `&&`.
pub trait Merge<B> {
    /// The shape.
    type Out;
}
impl<C1, G1, P1, PI1, K1, KI1, C2, G2, P2, PI2, K2, KI2> Merge<State<C2, G2, P2, PI2, K2, KI2>>
    for State<C1, G1, P1, PI1, K1, KI1>
where
    C1: Or<C2>,
    G1: Or<G2>,
    P1: MergeSlots<P2>,
    PI1: MergeInfo<PI2>,
    K1: MergeSlots<K2>,
    KI1: MergeInfo<KI2>,
{
    type Out = State<
        <C1 as Or<C2>>::Out,
        <G1 as Or<G2>>::Out,
        <P1 as MergeSlots<P2>>::Out,
        <PI1 as MergeInfo<PI2>>::Out,
        <K1 as MergeSlots<K2>>::Out,
        <KI1 as MergeInfo<KI2>>::Out,
    >;
}

/// A key condition the keys express: see the module documentation.
pub trait Expressible {}
/// Nothing to check: no test of a composed or multi-attribute key's field.
impl<G, P, PI, K, KI> Expressible for State<No, G, P, PI, K, KI> {}
impl<G: PartitionGiven, P, PI, K, KI> Expressible for State<Yes, G, P, PI, K, KI>
where
    (P, PI): PartitionFields,
    (K, KI): SortFields,
{
}

/// A key condition gives the partition key.
#[diagnostic::on_unimplemented(
    message = "a key condition gives every field of a composed or multi-attribute partition key with `==`",
    label = "the partition key is not given"
)]
pub trait PartitionGiven {}
impl PartitionGiven for Yes {}

/// Every field of a composed or multi-attribute partition key with `==`.
#[diagnostic::on_unimplemented(
    message = "a key condition gives every field of a composed or multi-attribute partition key with `==`",
    label = "a field of the partition key is missing, or not tested with `==`"
)]
pub trait PartitionFields {}
/// A plain partition key, given (with a composed sort key's fields).
impl<P: AllUnset> PartitionFields for (P, Unknown) {}
impl<P: EqThrough<C>, C, E> PartitionFields for (P, Info<C, E>) {}

/// The first `C` slots `==`, the rest unset.
#[diagnostic::on_unimplemented(
    message = "a key condition gives every field of a composed or multi-attribute partition key with `==`",
    label = "a field of the partition key is missing, or not tested with `==`"
)]
pub trait EqThrough<C> {}
impl<T: EqThrough<C>, C> EqThrough<S<C>> for Cons<Eq, T> {}
impl<T: AllUnset> EqThrough<Z> for T {}

/// No slot set.
pub trait AllUnset {}
impl AllUnset for Nil {}
impl<T: AllUnset> AllUnset for Cons<Unset, T> {}

/// The sort key's tests, as the template allows.
pub trait SortFields {}
impl<K: AllUnset> SortFields for (K, Unknown) {}
impl<K: SortFrom<C, E>, C, E> SortFields for (K, Info<C, E>) {}

/// The sort key's slots from the first: `==`s, then perhaps one range, then nothing; `C`
/// fields remain, `E`: whether the template ends with a field.
#[diagnostic::on_unimplemented(
    message = "a key condition gives the sort key's fields from the first, without gaps: a later field needs the earlier ones (with `==`)",
    label = "a field of the sort key after a gap"
)]
pub trait SortFrom<C, E> {}
impl<T: SortFrom<C, E>, C, E> SortFrom<S<C>, E> for Cons<Eq, T> {}
impl<T: NoFieldAfterARange, C, E> SortFrom<S<C>, E> for Cons<Range, T> {}
impl<T: NoFieldAfterARange, C, E> SortFrom<S<C>, E> for Cons<Lt, T> where (C, E): LtBeforeTheEnd {}
impl<T: NoFieldAfterAGap, C, E> SortFrom<C, E> for Cons<Unset, T> {}
impl<C, E> SortFrom<C, E> for Nil {}

/// No test of a sort key's field after one not given.
#[diagnostic::on_unimplemented(
    message = "a key condition gives the sort key's fields from the first, without gaps: a later field needs the earlier ones (with `==`)",
    label = "a field of the sort key after a gap"
)]
pub trait NoFieldAfterAGap {}
impl NoFieldAfterAGap for Nil {}
impl<T: NoFieldAfterAGap> NoFieldAfterAGap for Cons<Unset, T> {}

/// No test of a sort key's field after a range.
#[diagnostic::on_unimplemented(
    message = "a range (`<`, `<=`, `>`, `>=`, `between`, `begins_with`) applies to the sort key's field after those given with `==`, and to one field only",
    label = "a field of the sort key after a range"
)]
pub trait NoFieldAfterARange {}
impl NoFieldAfterARange for Nil {}
impl<T: NoFieldAfterARange> NoFieldAfterARange for Cons<Unset, T> {}

/// `<` on a field that is not its template's last (`C` fields after it), or of a template
/// that ends with text.
#[diagnostic::on_unimplemented(
    message = "`<` on a composed sort key's last field is not one key condition: use `<=` with the value before it, or `between`",
    label = "`<` on the template's last field"
)]
pub trait LtBeforeTheEnd {}
impl<C, E> LtBeforeTheEnd for (S<C>, E) {}
impl LtBeforeTheEnd for (Z, No) {}
