//! The empty start of the chains the macros build: a condition's `&&`/`||` terms, an
//! update's actions, a projection's paths. Each method returns its argument, so the first
//! link needs no special case in the macros.

use crate::{expr::project::Projection, expr::update::Update};

/// The start of a chain: `ChainStart.and(c)`, `.or(c)`, `.then(a)` and `.also(p)` are their
/// argument.
///
/// ```
/// use awstin_core::ChainStart;
/// assert_eq!(ChainStart.and(7), 7);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ChainStart;

impl ChainStart {
    /// The first term of an `&&` chain.
    pub fn and<C>(self, c: C) -> C {
        c
    }
    /// The first term of an `||` chain.
    pub fn or<C>(self, c: C) -> C {
        c
    }
    /// The first action of an update.
    pub fn then<A: Update>(self, a: A) -> A {
        a
    }
    /// The first path of a projection.
    pub fn also<P: Projection>(self, p: P) -> P {
        p
    }
}
