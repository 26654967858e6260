//! [`Never`]: the condition, update or projection a request does not have.

use core::convert::Infallible;
use core::marker::PhantomData;

use crate::expr::path::Segments;
use crate::expr::render::{Precedence, Renderer};
use crate::expr::update::Clause;
use crate::{
    error::Error, expr::cond::Condition, expr::project::Projection, expr::update::Update,
    values::decode::ValueRead,
};

/// The condition, update or projection of a request without one: no value of it exists, so a
/// builder's `Option<Never<M>>` is always `None`. The one "nothing" type of every builder.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// let none: Option<awstin_core::op::Never<Movie>> = None;
/// assert!(none.is_none());
/// ```
pub struct Never<M>(Infallible, PhantomData<fn() -> M>);

impl<M> core::fmt::Debug for Never<M> {
    fn fmt(&self, _: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {}
    }
}

impl<M> Condition for Never<M> {
    type Model = M;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, _: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        match self.0 {}
    }
    fn eval<It: ValueRead>(&self, _: It) -> Result<bool, Error> {
        match self.0 {}
    }
}

/// A read without a key condition (a scan, a get) has `Never` for one.
#[diagnostic::do_not_recommend]
impl<M> crate::expr::cond::KeyCondition<M> for Never<M> {
    fn check_key_values(&self) -> Result<(), Error> {
        match self.0 {}
    }
}

impl<M> Projection for Never<M> {
    type Model = M;
    fn len(&self) -> usize {
        match self.0 {}
    }
    fn path(&self, _: usize) -> Option<&dyn Segments> {
        match self.0 {}
    }
    fn render<'a>(&'a self, _: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        match self.0 {}
    }
}

impl<M> Update for Never<M> {
    type Model = M;
    fn len(&self) -> usize {
        match self.0 {}
    }
    fn clause(&self, _: usize) -> Option<Clause> {
        match self.0 {}
    }
    fn path(&self, _: usize) -> Option<&dyn Segments> {
        match self.0 {}
    }
    fn render_clause<'a>(
        &'a self,
        _: Clause,
        _: &mut Renderer<'_, 'a>,
        _: &mut bool,
    ) -> Result<(), Error> {
        match self.0 {}
    }
    #[cfg(feature = "alloc")]
    fn effect(
        &self,
        _: usize,
        _: crate::values::value_buf::ValueBufRef<'_>,
    ) -> Result<crate::expr::update::Effect, Error> {
        match self.0 {}
    }
}
