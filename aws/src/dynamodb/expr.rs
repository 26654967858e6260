//! Rendering a request's expressions once, into the owned strings and maps the SDK sends.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use std::convert::Infallible;
use std::marker::PhantomData;

use awstin_core::render::Precedence;
use awstin_core::update::Segments;
use awstin_core::{Condition, Document, KeyCondition, Projection, Renderer, Request, Update};

use super::codec::to_attribute_value;
use super::error::Error;
use super::size::attribute_size_at_least;

/// Distinct names one request may use.
const NAMES: usize = 256;
/// Distinct values one request may use (DynamoDB's 4096-byte expressions hold fewer).
const VALUES: usize = 1024;

use awstin_core::limits::MAX_EXPRESSION_MAPS_BYTES as MAX_MAPS_BYTES;

/// A request's rendered expressions and placeholder maps; empty maps are `None` (DynamoDB
/// rejects empty maps).
#[derive(Debug, Clone, Default)]
pub(crate) struct Expressions {
    pub(crate) key_condition: Option<String>,
    pub(crate) filter: Option<String>,
    pub(crate) condition: Option<String>,
    pub(crate) update: Option<String>,
    pub(crate) projection: Option<String>,
    pub(crate) names: Option<HashMap<String, String>>,
    pub(crate) values: Option<HashMap<String, AttributeValue>>,
}

/// Renders the expressions of one request through one placeholder namespace.
pub(crate) struct Render<'a> {
    request: Box<Request<'a, NAMES, VALUES>>,
    out: Expressions,
}

impl<'a> Render<'a> {
    pub(crate) fn new() -> Self {
        Render {
            request: Box::new(Request::new()),
            out: Expressions::default(),
        }
    }

    pub(crate) fn key<M, C: KeyCondition<M>>(&mut self, c: &'a C) -> Result<(), Error> {
        let mut s = String::new();
        self.request.key_condition(c, &mut s)?;
        self.out.key_condition = Some(s);
        Ok(())
    }

    pub(crate) fn filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        let mut s = String::new();
        self.request.filter(c, &mut s)?;
        self.out.filter = Some(s);
        Ok(())
    }

    pub(crate) fn query_filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        let mut s = String::new();
        self.request.query_filter(c, &mut s)?;
        self.out.filter = Some(s);
        Ok(())
    }

    pub(crate) fn condition<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        let mut s = String::new();
        self.request.condition(c, &mut s)?;
        self.out.condition = Some(s);
        Ok(())
    }

    pub(crate) fn update<U: Update>(&mut self, u: &'a U) -> Result<(), Error> {
        let mut s = String::new();
        self.request.update(u, &mut s)?;
        self.out.update = Some(s);
        Ok(())
    }

    pub(crate) fn projection<P: Projection>(&mut self, p: &'a P) -> Result<(), Error> {
        let mut s = String::new();
        self.request.projection(p, &mut s)?;
        self.out.projection = Some(s);
        Ok(())
    }

    pub(crate) fn finish(mut self) -> Result<Expressions, Error> {
        // A lower bound of the bytes the maps take: each placeholder, name and value.
        let mut at_least = 0;
        let names: HashMap<String, String> = self
            .request
            .names()
            .map(|(p, n)| {
                at_least += p.as_str().len() + n.len();
                (p.as_str().to_string(), n.to_owned())
            })
            .collect();
        let values = self
            .request
            .values()
            .map(|(p, v)| {
                let v = to_attribute_value(v)?;
                at_least += p.as_str().len() + attribute_size_at_least(&v);
                Ok((p.as_str().to_string(), v))
            })
            .collect::<Result<HashMap<_, _>, awstin_core::Error>>()?;
        if at_least > MAX_MAPS_BYTES {
            return Err(Error::ExpressionValuesTooLarge {
                at_least,
                max: MAX_MAPS_BYTES,
            });
        }
        self.out.names = (!names.is_empty()).then_some(names);
        self.out.values = (!values.is_empty()).then_some(values);
        Ok(self.out)
    }
}

/// No filter, or no projection.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unset;

/// A DSL closure given for a filter or projection.
#[derive(Debug, Clone, Copy)]
pub struct With<F>(pub(crate) F);

/// A condition that cannot exist: the type of an absent filter.
#[derive(Debug)]
pub struct NoExpression<M>(Infallible, PhantomData<fn() -> M>);

impl<M> Condition for NoExpression<M> {
    type Model = M;
    const PRECEDENCE: Precedence = Precedence::Atom;
    fn render<'a>(&'a self, _: &mut Renderer<'_, 'a>) -> Result<(), awstin_core::Error> {
        match self.0 {}
    }
    fn eval<R: awstin_core::ValueRead>(&self, _: R) -> Result<bool, awstin_core::Error> {
        match self.0 {}
    }
}

impl<M> Projection for NoExpression<M> {
    type Model = M;
    fn len(&self) -> usize {
        match self.0 {}
    }
    fn path(&self, _: usize) -> Option<&dyn Segments> {
        match self.0 {}
    }
    fn render<'a>(&'a self, _: &mut Renderer<'_, 'a>) -> Result<(), awstin_core::Error> {
        match self.0 {}
    }
}

/// An optional filter: [`Unset`], or a `cond!` closure.
pub trait FilterArg<M: Document> {
    /// The condition built.
    type Built: Condition<Model = M>;
    /// Builds it, if present.
    fn build(self) -> Option<Self::Built>;
}

impl<M: Document> FilterArg<M> for Unset {
    type Built = NoExpression<M>;
    fn build(self) -> Option<NoExpression<M>> {
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
pub trait ProjectionArg<M: Document> {
    /// The projection built.
    type Built: Projection<Model = M>;
    /// Builds it, if present.
    fn build(self) -> Option<Self::Built>;
}

impl<M: Document> ProjectionArg<M> for Unset {
    type Built = NoExpression<M>;
    fn build(self) -> Option<NoExpression<M>> {
        None
    }
}

impl<M: Document, F: FnOnce(&'static M::Fields) -> P, P: Projection<Model = M>> ProjectionArg<M>
    for With<F>
{
    type Built = P;
    fn build(self) -> Option<P> {
        Some((self.0)(M::FIELDS))
    }
}
