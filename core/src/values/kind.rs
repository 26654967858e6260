//! Compile-time DynamoDB types.
//!
//! Every Rust type that can be stored has a kind ([`DynamoType::Kind`](crate::values::value::DynamoType)), one of
//! the marker types here. The DSL asks these traits whether an operation is allowed, so
//! `cond!(year == "1985")` on a number attribute, `begins_with` on a number or `size` of a bool
//! fail to compile, with a message naming the rule. [`Any`] is the kind of dynamic documents
//! ([`Value`](crate::values::value::Value)): everything is allowed on it and checked by DynamoDB.

use crate::attribute::{AttributeType, Container};

macro_rules! kinds {
    ($($(#[$m:meta])* $name:ident => $code:expr;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;
        impl Kind for $name {
            const TYPE: Option<AttributeType> = $code;
        }
    )*};
}

/// A compile-time DynamoDB type.
///
/// ```
/// use awstin_core::{AttributeType, kind::{Kind, NS}};
/// assert_eq!(NS::TYPE, Some(AttributeType::NS));
/// ```
pub trait Kind {
    /// The attribute type, or `None` for [`Any`].
    const TYPE: Option<AttributeType>;
}

kinds! {
    /// String (`S`).
    S => Some(AttributeType::S);
    /// Number (`N`).
    N => Some(AttributeType::N);
    /// Binary (`B`).
    B => Some(AttributeType::B);
    /// Boolean (`BOOL`).
    Bool => Some(AttributeType::BOOL);
    /// Null (`NULL`).
    Null => Some(AttributeType::NULL);
    /// List (`L`).
    L => Some(AttributeType::L);
    /// Map (`M`), including nested models.
    M => Some(AttributeType::M);
    /// String set (`SS`).
    SS => Some(AttributeType::SS);
    /// Number set (`NS`).
    NS => Some(AttributeType::NS);
    /// Binary set (`BS`).
    BS => Some(AttributeType::BS);
    /// Known only at run time.
    Any => None;
}

/// A value of kind `Self` may be compared with, or assigned to, an attribute of kind `K`.
#[diagnostic::on_unimplemented(
    message = "a value of DynamoDB type `{Self}` does not fit an attribute of type `{K}`",
    label = "this value has the wrong type for the attribute",
    note = "values are checked against the attribute's declared Rust type (kinds: S, N, B, Bool, Null, L, M, SS, NS, BS)"
)]
pub trait Fits<K> {}

macro_rules! fits_same {
    ($($k:ident),*) => {$(
        impl Fits<$k> for $k {}
        impl Fits<Any> for $k {}
        impl Fits<$k> for Any {}
    )*};
}
fits_same!(S, N, B, Bool, Null, L, M, SS, NS, BS);
impl Fits<Any> for Any {}
/// `NULL` compares with anything (DynamoDB answers false for a type mismatch).
macro_rules! null_fits {
    ($($k:ident),*) => {$( impl Fits<$k> for Null {} )*};
}
null_fits!(S, N, B, Bool, L, M, SS, NS, BS);

/// Kinds that `<`, `<=`, `>`, `>=` and `between` order: numbers, strings and binaries.
#[diagnostic::on_unimplemented(
    message = "DynamoDB orders only numbers, strings and binaries, not `{Self}`",
    label = "`<`, `<=`, `>`, `>=` and `between` need an N, S or B attribute"
)]
pub trait Ordered {}
impl Ordered for N {}
impl Ordered for S {}
impl Ordered for B {}
impl Ordered for Any {}

/// The kinds of `between`'s two bounds: one kind (a dynamic value's is checked when the
/// condition is rendered).
#[diagnostic::on_unimplemented(
    message = "`between`'s bounds are a `{Self}` and a `{K}`: DynamoDB takes two bounds of one type",
    label = "bounds of two types"
)]
pub trait SameBounds<K> {}
macro_rules! same_bounds {
    ($($k:ident),*) => {$(
        impl SameBounds<$k> for $k {}
        impl SameBounds<Any> for $k {}
        impl SameBounds<$k> for Any {}
    )*};
}
same_bounds!(S, N, B);
impl SameBounds<Any> for Any {}

/// Kinds that `size()` measures: strings, binaries, sets, lists and maps.
#[diagnostic::on_unimplemented(
    message = "DynamoDB's size() does not apply to `{Self}`",
    label = "size() takes a string, binary, set, list or map attribute"
)]
pub trait HasSize {}
impl HasSize for S {}
impl HasSize for B {}
impl HasSize for SS {}
impl HasSize for NS {}
impl HasSize for BS {}
impl HasSize for L {}
impl HasSize for M {}
impl HasSize for Any {}

/// Kinds that `begins_with` applies to, with a prefix of kind `V`.
#[diagnostic::on_unimplemented(
    message = "begins_with() does not apply to `{Self}` with a `{V}` prefix",
    label = "begins_with() takes a string or binary attribute and a prefix of the same type"
)]
pub trait Prefix<V> {}
impl Prefix<S> for S {}
impl Prefix<B> for B {}
impl Prefix<S> for Any {}
impl Prefix<B> for Any {}
impl Prefix<Any> for Any {}
impl Prefix<Any> for S {}
impl Prefix<Any> for B {}

/// Kinds that `contains` searches for an operand of kind `V`: a substring of a string, a byte
/// substring of a binary, an element of a set, an element of a list.
#[diagnostic::on_unimplemented(
    message = "contains() cannot look for a `{V}` in a `{Self}`",
    label = "contains() takes a string (substring), a set (element of its type) or a list"
)]
pub trait Contains<V> {}
impl Contains<S> for S {}
// A byte substring of a binary, as DynamoDB Local answers it.
impl Contains<B> for B {}
impl Contains<S> for SS {}
impl Contains<N> for NS {}
impl Contains<B> for BS {}
impl Contains<Any> for S {}
impl Contains<Any> for B {}
impl Contains<Any> for SS {}
impl Contains<Any> for NS {}
impl Contains<Any> for BS {}
macro_rules! contains_any {
    ($($k:ident),*) => {$( impl Contains<$k> for L {} impl Contains<$k> for Any {} )*};
}
contains_any!(S, N, B, Bool, Null, L, M, SS, NS, BS, Any);

/// Scalar kinds that form a set (`S` → `SS`, `N` → `NS`, `B` → `BS`).
#[diagnostic::on_unimplemented(
    message = "DynamoDB has no set of `{Self}`",
    label = "sets hold strings, numbers or binaries"
)]
pub trait SetElement {
    /// The set kind.
    type Set: Kind;
    /// The container a set of this element opens.
    const CONTAINER: Container;
}
impl SetElement for S {
    type Set = SS;
    const CONTAINER: Container = Container::StringSet;
}
impl SetElement for N {
    type Set = NS;
    const CONTAINER: Container = Container::NumberSet;
}
impl SetElement for B {
    type Set = BS;
    const CONTAINER: Container = Container::BinarySet;
}

/// Kinds that `ADD` updates: numbers (added) and sets (united).
#[diagnostic::on_unimplemented(
    message = "ADD does not apply to `{Self}`",
    label = "ADD takes a number or a set attribute"
)]
pub trait Addable {}
impl Addable for N {}
impl Addable for SS {}
impl Addable for NS {}
impl Addable for BS {}
impl Addable for Any {}

/// Set kinds, for `DELETE`.
#[diagnostic::on_unimplemented(
    message = "DELETE does not apply to `{Self}`",
    label = "DELETE removes elements from a set attribute"
)]
pub trait Set {}
impl Set for SS {}
impl Set for NS {}
impl Set for BS {}
impl Set for Any {}

/// Kinds that `+` and `-` in a SET action take: numbers.
#[diagnostic::on_unimplemented(
    message = "`+` and `-` in an update take numbers, not `{Self}`",
    label = "not a number"
)]
pub trait Numeric {}
impl Numeric for N {}
impl Numeric for Any {}

/// Kinds that `list_append` takes: lists.
#[diagnostic::on_unimplemented(
    message = "list_append() takes lists, not `{Self}`",
    label = "not a list"
)]
pub trait List {}
impl List for L {}
impl List for Any {}

/// Kinds a key attribute may have: strings, numbers, binaries.
#[diagnostic::on_unimplemented(
    message = "a key attribute must be a string, number or binary, not `{Self}`",
    label = "not a key type"
)]
pub trait KeyKind {
    /// `S`, `N` or `B`.
    const KEY_TYPE: AttributeType;
}
impl KeyKind for S {
    const KEY_TYPE: AttributeType = AttributeType::S;
}
impl KeyKind for N {
    const KEY_TYPE: AttributeType = AttributeType::N;
}
impl KeyKind for B {
    const KEY_TYPE: AttributeType = AttributeType::B;
}
