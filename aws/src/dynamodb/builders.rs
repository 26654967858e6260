//! The types and traits the builders' signatures name: the one type-state pair of every
//! builder (nothing given yet, [`Unset`]; a DSL closure given, [`With`]), the write kinds
//! ([`kind`]) and the traits that bound them. Nothing here is made or called directly: a
//! [`Table`](super::Table)'s methods make the builders, and their modifiers move them from one
//! state to the next.
//!
//! ```
//! # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
//! use awstin::dynamodb::builders::{Unset, With};
//! // A write's condition and a read's filter or projection, before and after it is given.
//! fn _states(_: Unset, _: With<fn()>) {}
//! ```

use awstin_core::op::Never;
use awstin_core::{Condition, Document, Model, Projection};

pub use super::batch::BatchItem;
pub use super::transact::MemberKind;
pub use super::write::kind;
pub use super::write::{OnceKind, WriteKind};

/// Nothing given yet: a write without a condition, a read without a filter or projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// A DSL closure given: a write's condition (`cond!`), a read's filter (`cond!`) or
/// projection (`project!`).
#[derive(Debug, Clone, Copy)]
pub struct With<F>(pub(crate) F);

/// The condition a write carries: none ([`Unset`]) or the caller's ([`With`]). A write
/// without one cannot find it false, so its result is the write's value itself; a write with
/// one answers [`Written`](super::Written).
pub trait Guard<M>: sealed::Guard<M> {}

impl<M> Guard<M> for Unset {}

impl<M, G, C> Guard<M> for With<G>
where
    M: Model,
    G: FnOnce(&'static M::Fields) -> C,
    C: Condition<Model = M> + Send,
{
}

/// The caller's condition of a write under guard `G`.
pub type Cond<G, M> = <G as sealed::Guard<M>>::Condition;

/// An optional filter: [`Unset`], or a `cond!` closure.
pub trait FilterArg<M: Document>: sealed::Arg {
    /// The condition built.
    #[doc(hidden)]
    type Built: Condition<Model = M>;
    /// Builds it, if present.
    #[doc(hidden)]
    fn build(self) -> Option<Self::Built>;
}

impl<M: Document> FilterArg<M> for Unset {
    type Built = Never<M>;
    fn build(self) -> Option<Never<M>> {
        None
    }
}

impl<M: Document, F: FnOnce(&'static M::Fields) -> C, C: Condition<Model = M>> FilterArg<M>
    for With<F>
{
    type Built = C;
    fn build(self) -> Option<C> {
        Some((self.0)(M::FIELDS))
    }
}

/// An optional projection: [`Unset`], or a `project!` closure.
pub trait ProjectionArg<M: Document>: sealed::Arg {
    /// Whether a projection was given.
    #[doc(hidden)]
    const GIVEN: bool;
    /// The projection built.
    #[doc(hidden)]
    type Built: Projection<Model = M>;
    /// Builds it, if present.
    #[doc(hidden)]
    fn build(self) -> Option<Self::Built>;
}

impl<M: Document> ProjectionArg<M> for Unset {
    const GIVEN: bool = false;
    type Built = Never<M>;
    fn build(self) -> Option<Never<M>> {
        None
    }
}

impl<M: Document, F: FnOnce(&'static M::Fields) -> P, P: Projection<Model = M>> ProjectionArg<M>
    for With<F>
{
    const GIVEN: bool = true;
    type Built = P;
    fn build(self) -> Option<P> {
        Some((self.0)(M::FIELDS))
    }
}

pub(crate) mod sealed {
    use super::{Condition, Model, Never, Unset, With};
    use crate::dynamodb::error::{Call, Error};
    use crate::dynamodb::write::written::Written;

    pub trait Arg {}
    impl Arg for Unset {}
    impl<F> Arg for With<F> {}

    pub trait Guard<M> {
        type Condition: Condition<Model = M> + Send;
        fn condition(self) -> Option<Self::Condition>;
        type Out<T>;
        fn out<T>(written: Written<T>, call: &Call) -> Result<Self::Out<T>, Error>;
    }

    impl<M> Guard<M> for Unset {
        type Condition = Never<M>;
        type Out<T> = T;
        fn condition(self) -> Option<Never<M>> {
            None
        }
        fn out<T>(written: Written<T>, call: &Call) -> Result<T, Error> {
            match written {
                Written::Applied(t) => Ok(t),
                // A write without a condition of the caller's is refused only by its
                // version, which is a conflict, settled before this.
                _ => Err(Error::UnexpectedAnswer {
                    call: call.clone(),
                    missing: "the outcome of a write without a condition",
                }),
            }
        }
    }

    impl<M, G, C> Guard<M> for With<G>
    where
        M: Model,
        G: FnOnce(&'static M::Fields) -> C,
        C: Condition<Model = M> + Send,
    {
        type Condition = C;
        type Out<T> = Written<T>;
        fn condition(self) -> Option<C> {
            Some((self.0)(M::FIELDS))
        }
        fn out<T>(written: Written<T>, _: &Call) -> Result<Written<T>, Error> {
            Ok(written)
        }
    }

    pub trait Kind {}
}
