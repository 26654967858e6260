//! Rendering a request's expressions once, into the owned strings and maps the SDK sends.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use std::convert::Infallible;
use std::marker::PhantomData;

use awstin_core::path::Segments;
use awstin_core::render::{Placeholder, Precedence};
use awstin_core::{Condition, Document, KeyCondition, Projection, Renderer, Request, Update};

use super::codec::to_attribute_value;
use super::error::Error;
use super::size::attribute_size;

/// Distinct names one request may use.
const NAMES: usize = 256;
/// Distinct values one request may use (DynamoDB's 4096-byte expressions hold fewer).
const VALUES: usize = 1024;

use awstin_core::limits::MAX_EXPRESSION_MAPS_BYTES as MAX_MAPS_BYTES;

/// A request's expressions rendered into what the SDK sends: the expression strings and the
/// placeholder maps. Empty maps are `None` (DynamoDB rejects empty maps).
///
/// Made by [`Render`]; each field goes to the SDK builder's setter of the same name, e.g.
/// `set_key_condition_expression(e.key_condition)`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Expressions {
    /// `KeyConditionExpression`.
    pub key_condition: Option<String>,
    /// `FilterExpression`.
    pub filter: Option<String>,
    /// `ConditionExpression`.
    pub condition: Option<String>,
    /// `UpdateExpression`.
    pub update: Option<String>,
    /// `ProjectionExpression`.
    pub projection: Option<String>,
    /// `ExpressionAttributeNames`.
    pub names: Option<HashMap<String, String>>,
    /// `ExpressionAttributeValues`.
    pub values: Option<HashMap<String, AttributeValue>>,
}

/// Renders the expressions of one request through one placeholder namespace, for a request
/// built with the SDK itself (an operation this crate does not wrap, or a raw input).
///
/// Each expression is checked as the table methods check it: DynamoDB's limits, key rules
/// and values are refused with a typed [`Error`] before anything is sent.
///
/// ```
/// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin::cond;
/// use awstin::dynamodb::{Render, sdk::types::AttributeValue};
/// use awstin::expr::Document;
///
/// let (y, a, b) = (1992u32, "A", "L");
/// let key = Movie::expr(cond!(year == y && title between a..b));
/// let mut render = Render::new();
/// render.key(&key)?;
/// let e = render.finish()?;
/// assert_eq!(e.key_condition.as_deref(), Some("#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"));
/// assert_eq!(e.names.unwrap()["#n1"], "title");
/// assert_eq!(e.values.unwrap()[":v0"], AttributeValue::N("1992".into()));
/// let input = awstin::dynamodb::sdk::operation::query::QueryInput::builder()
///     .table_name("Movies")
///     .set_key_condition_expression(e.key_condition);
/// # let _ = input;
/// # Ok::<(), awstin::dynamodb::Error>(())
/// ```
pub struct Render<'a> {
    tables: Tables<'a>,
    out: Expressions,
}

/// The placeholder tables: small ones on the stack first, grown to the largest a request
/// may use (boxed: 20 KB) only when a request needs more.
#[allow(
    clippy::large_enum_variant,
    reason = "the small tables stay on the stack on purpose: most requests need no allocation for them"
)]
enum Tables<'a> {
    Small(Request<'a, SMALL_NAMES, SMALL_VALUES>),
    Large(Box<Request<'a, NAMES, VALUES>>),
}

/// Names and values a request's tables hold before they grow.
const SMALL_NAMES: usize = 16;
const SMALL_VALUES: usize = 24;

impl Default for Render<'_> {
    fn default() -> Self {
        Self::new()
    }
}

/// Renders one expression into a new string through `$self`'s tables, growing them (and
/// rendering again) when the small ones are full.
macro_rules! render {
    ($self:ident, $method:ident($arg:expr)) => {{
        let mut s = String::with_capacity(64);
        let done = match &mut $self.tables {
            Tables::Small(small) => {
                let saved = (small.names().len(), small.values().len());
                match small.$method($arg, &mut s) {
                    Err(awstin_core::Error::Capacity { .. }) => {
                        small.truncate(saved.0, saved.1);
                        let mut large = Box::new(Request::new());
                        large.extend_from(small)?;
                        $self.tables = Tables::Large(large);
                        s.clear();
                        false
                    }
                    result => {
                        result?;
                        true
                    }
                }
            }
            Tables::Large(_) => false,
        };
        if !done && let Tables::Large(large) = &mut $self.tables {
            large.$method($arg, &mut s)?;
        }
        s
    }};
}

impl<'a> Render<'a> {
    /// Empty placeholder tables.
    ///
    /// ```
    /// let e = awstin::dynamodb::Render::new().finish()?;
    /// assert_eq!(e, awstin::dynamodb::Expressions::default());
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn new() -> Self {
        Render {
            tables: Tables::Small(Request::new()),
            out: Expressions::default(),
        }
    }

    /// Renders a Query's `KeyConditionExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::expr::Document;
    /// let y = 2013u32;
    /// let e = Movie::expr(awstin::cond!(year == y));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.key(&e)?;
    /// assert_eq!(render.finish()?.key_condition.as_deref(), Some("#n0 = :v0"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn key<M, C: KeyCondition<M>>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.key_condition = Some(render!(self, key_condition(c)));
        Ok(())
    }

    /// Renders a Scan's `FilterExpression` (which may name key attributes).
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::cond!(year between 1950..=1959));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.filter(&e)?;
    /// assert_eq!(render.finish()?.filter.as_deref(), Some("#n0 BETWEEN :v0 AND :v1"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.filter = Some(render!(self, filter(c)));
        Ok(())
    }

    /// Renders a Query's `FilterExpression`, which may not name the key attributes.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let on_key = Movie::expr(awstin::cond!(year > 1950));
    /// let e = Movie::expr(awstin::cond!(rating > 7));
    /// let mut render = awstin::dynamodb::Render::new();
    /// assert!(render.query_filter(&on_key).is_err());
    /// render.query_filter(&e)?;
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn query_filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.filter = Some(render!(self, query_filter(c)));
        Ok(())
    }

    /// Renders a write's `ConditionExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::cond!(rating <= 5));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.condition(&e)?;
    /// assert_eq!(render.finish()?.condition.as_deref(), Some("#n0 <= :v0"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn condition<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.condition = Some(render!(self, condition(c)));
        Ok(())
    }

    /// Renders an `UpdateExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::update!(rating += 1));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.update(&e)?;
    /// assert_eq!(render.finish()?.update.as_deref(), Some("SET #n0 = #n0 + :v0"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn update<U: Update>(&mut self, u: &'a U) -> Result<(), Error> {
        self.out.update = Some(render!(self, update(u)));
        Ok(())
    }

    /// Renders a `ProjectionExpression`.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::project!(title, rating));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.projection(&e)?;
    /// assert_eq!(render.finish()?.projection.as_deref(), Some("#n0, #n1"));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn projection<P: Projection>(&mut self, p: &'a P) -> Result<(), Error> {
        self.out.projection = Some(render!(self, projection(p)));
        Ok(())
    }

    /// The expressions rendered and their placeholder maps, or
    /// [`Error::ExpressionValuesTooLarge`] when the maps pass DynamoDB's limit.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin::expr::Document;
    /// let e = Movie::expr(awstin::project!(title));
    /// let mut render = awstin::dynamodb::Render::new();
    /// render.projection(&e)?;
    /// let e = render.finish()?;
    /// assert_eq!((e.names.map(|n| n.len()), e.values), (Some(1), None));
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn finish(self) -> Result<Expressions, Error> {
        match &self.tables {
            Tables::Small(t) => finish(t.names(), t.values(), self.out),
            Tables::Large(t) => finish(t.names(), t.values(), self.out),
        }
    }
}

/// The maps of a request's tables, added to `out`.
fn finish<'a>(
    names: impl ExactSizeIterator<Item = (Placeholder, &'a str)>,
    values: impl ExactSizeIterator<Item = (Placeholder, &'a dyn awstin_core::Encode)>,
    mut out: Expressions,
) -> Result<Expressions, Error> {
    // A lower bound of the bytes the maps take: each placeholder, name and value.
    let mut at_least = 0;
    if names.len() > 0 {
        let mut map = HashMap::with_capacity(names.len());
        for (p, n) in names {
            let p = p.to_text();
            at_least += p.len() + n.len();
            map.insert(p, n.to_owned());
        }
        out.names = Some(map);
    }
    if values.len() > 0 {
        let mut map = HashMap::with_capacity(values.len());
        for (p, v) in values {
            let p = p.to_text();
            let v = to_attribute_value(v)?;
            at_least += p.len() + attribute_size(&v);
            map.insert(p, v);
        }
        out.values = Some(map);
    }
    if at_least > MAX_MAPS_BYTES {
        return Err(Error::ExpressionValuesTooLarge {
            at_least,
            max: MAX_MAPS_BYTES,
        });
    }
    Ok(out)
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
    /// Whether a projection was given.
    const GIVEN: bool;
    /// The projection built.
    type Built: Projection<Model = M>;
    /// Builds it, if present.
    fn build(self) -> Option<Self::Built>;
}

impl<M: Document> ProjectionArg<M> for Unset {
    const GIVEN: bool = false;
    type Built = NoExpression<M>;
    fn build(self) -> Option<NoExpression<M>> {
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
