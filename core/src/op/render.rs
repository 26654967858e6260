//! A request's expressions rendered through one placeholder namespace: [`Render`] makes
//! [`Expressions`], whose names and values a backend writes in its own form.

use alloc::boxed::Box;
use alloc::string::String;

use crate::expr::render::Placeholder;
use crate::limits::MAX_EXPRESSION_MAPS_BYTES;
use crate::{
    error::Error, expr::cond::Condition, expr::cond::KeyCondition, expr::project::Projection,
    expr::request::Request, expr::update::Update, values::value::Encode,
};

/// Distinct names one request may use (an expression of 4,096 bytes holds fewer).
const NAMES: usize = 256;
/// Distinct values one request may use.
const VALUES: usize = 1024;
/// Names and values a request's tables hold before they grow.
const SMALL_NAMES: usize = 16;
const SMALL_VALUES: usize = 24;

/// The expressions of one request, rendered: their texts, and the placeholder tables they
/// share, borrowed from the expressions (a backend writes the values in its own form).
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// use awstin_core::op::Render;
/// use awstin_core::Document;
/// let (y, a, b) = (1992u32, "A", "L");
/// let key = Movie::expr(awstin_macros::cond!(year == y && title between a..b));
/// let mut render = Render::new();
/// render.key_condition(&key)?;
/// let e = render.finish()?;
/// assert_eq!(e.key_condition.as_deref(), Some("#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"));
/// assert_eq!(e.names().map(|(_, n)| n).collect::<Vec<_>>(), ["year", "title"]);
/// assert_eq!(e.values().len(), 3);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct Expressions<'a> {
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
    tables: Tables<'a>,
}

impl Default for Expressions<'_> {
    fn default() -> Self {
        Expressions {
            key_condition: None,
            filter: None,
            condition: None,
            update: None,
            projection: None,
            tables: Tables::Small(Request::new()),
        }
    }
}

impl core::fmt::Debug for Expressions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Expressions")
            .field("key_condition", &self.key_condition)
            .field("filter", &self.filter)
            .field("condition", &self.condition)
            .field("update", &self.update)
            .field("projection", &self.projection)
            .field(
                "names",
                &self.names().map(|(_, n)| n).collect::<alloc::vec::Vec<_>>(),
            )
            .field("values", &self.values().len())
            .finish()
    }
}

impl<'a> Expressions<'a> {
    /// The name placeholders, in order, with the names they stand for.
    ///
    /// ```
    /// assert_eq!(awstin_core::op::Expressions::default().names().len(), 0);
    /// ```
    pub fn names(&self) -> impl ExactSizeIterator<Item = (Placeholder, &'a str)> + '_ {
        let (small, large) = match &self.tables {
            Tables::Small(t) => (Some(t.names()), None),
            Tables::Large(t) => (None, Some(t.names())),
        };
        Either(small, large)
    }

    /// The value placeholders, in order, with the values they stand for.
    ///
    /// ```
    /// assert_eq!(awstin_core::op::Expressions::default().values().len(), 0);
    /// ```
    pub fn values(&self) -> impl ExactSizeIterator<Item = (Placeholder, &'a dyn Encode)> + '_ {
        let (small, large) = match &self.tables {
            Tables::Small(t) => (Some(t.values()), None),
            Tables::Large(t) => (None, Some(t.values())),
        };
        Either(small, large)
    }

    /// [`Error::ExpressionValuesTooLarge`] when the placeholders, names and values take more
    /// than DynamoDB's 2 MB (a lower bound of the bytes the maps take).
    fn check_size(&self) -> Result<(), Error> {
        let mut names = 0usize;
        for (p, name) in self.names() {
            names += p.len() + name.len();
        }
        // The scalars' sizes at most first: most requests pass without encoding a value.
        let mut at_most = names;
        for (p, value) in self.values() {
            at_most += p.len()
                + match value.size_at_most() {
                    Some(n) => n,
                    None => crate::values::size::value_size(value)?,
                };
        }
        if at_most <= MAX_EXPRESSION_MAPS_BYTES {
            return Ok(());
        }
        let mut at_least = names;
        for (p, value) in self.values() {
            at_least += p.len() + crate::values::size::value_size(value)?;
        }
        if at_least > MAX_EXPRESSION_MAPS_BYTES {
            return Err(Error::ExpressionValuesTooLarge {
                at_least,
                max: MAX_EXPRESSION_MAPS_BYTES,
            });
        }
        Ok(())
    }

    /// `true` when no expression was rendered.
    ///
    /// ```
    /// assert!(awstin_core::op::Expressions::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.key_condition.is_none()
            && self.filter.is_none()
            && self.condition.is_none()
            && self.update.is_none()
            && self.projection.is_none()
    }
}

/// One of two iterators of the same items.
struct Either<A, B>(Option<A>, Option<B>);

impl<T, A: Iterator<Item = T>, B: Iterator<Item = T>> Iterator for Either<A, B> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match (&mut self.0, &mut self.1) {
            (Some(a), _) => a.next(),
            (None, Some(b)) => b.next(),
            (None, None) => None,
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        match (&self.0, &self.1) {
            (Some(a), _) => a.size_hint(),
            (None, Some(b)) => b.size_hint(),
            (None, None) => (0, Some(0)),
        }
    }
}

impl<T, A: ExactSizeIterator<Item = T>, B: ExactSizeIterator<Item = T>> ExactSizeIterator
    for Either<A, B>
{
}

/// The placeholder tables: small ones first, grown to the largest a request may use (boxed)
/// only when a request needs more.
#[allow(
    clippy::large_enum_variant,
    reason = "the small tables stay inline on purpose: most requests need no more"
)]
enum Tables<'a> {
    Small(Request<'a, SMALL_NAMES, SMALL_VALUES>),
    Large(Box<Request<'a, NAMES, VALUES>>),
}

/// Renders the expressions of one request through one placeholder namespace, each checked
/// as DynamoDB checks it, then [`finish`](Render::finish)es them with the check of the
/// placeholder maps' size.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::Document;
/// let min = 7;
/// let filter = Movie::expr(awstin_macros::cond!(rating >= min));
/// let mut render = awstin_core::op::Render::new();
/// render.filter(&filter)?;
/// assert_eq!(render.finish()?.filter.as_deref(), Some("#n0 >= :v0"));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct Render<'a> {
    // The tables live in the expressions they make, so finishing moves nothing large.
    out: Expressions<'a>,
}

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
        let done = match &mut $self.out.tables {
            Tables::Small(small) => {
                let saved = (small.names().len(), small.values().len());
                match small.$method($arg, &mut s) {
                    Err(Error::Capacity { .. }) => {
                        small.truncate(saved.0, saved.1);
                        let mut large = Box::new(Request::new());
                        large.extend_from(small)?;
                        $self.out.tables = Tables::Large(large);
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
        if !done && let Tables::Large(large) = &mut $self.out.tables {
            large.$method($arg, &mut s)?;
        }
        s
    }};
}

impl<'a> Render<'a> {
    /// Empty placeholder tables.
    ///
    /// ```
    /// assert!(awstin_core::op::Render::new().finish()?.is_empty());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn new() -> Self {
        Render {
            out: Expressions::default(),
        }
    }

    /// Renders a Query's `KeyConditionExpression`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::Document;
    /// let y = 2013u32;
    /// let key = Movie::expr(awstin_macros::cond!(year == y));
    /// let mut render = awstin_core::op::Render::new();
    /// render.key_condition(&key)?;
    /// assert_eq!(render.finish()?.key_condition.as_deref(), Some("#n0 = :v0"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn key_condition<M, C: KeyCondition<M>>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.key_condition = Some(render!(self, key_condition(c)));
        Ok(())
    }

    /// Renders a Scan's `FilterExpression` (which may name key attributes).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::Document;
    /// let f = Movie::expr(awstin_macros::cond!(year between 1950..=1959));
    /// let mut render = awstin_core::op::Render::new();
    /// render.filter(&f)?;
    /// assert_eq!(render.finish()?.filter.as_deref(), Some("#n0 BETWEEN :v0 AND :v1"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.filter = Some(render!(self, filter(c)));
        Ok(())
    }

    /// Renders a Query's `FilterExpression`, which may not name the key attributes.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::Document;
    /// let on_key = Movie::expr(awstin_macros::cond!(year > 1950));
    /// assert!(awstin_core::op::Render::new().query_filter(&on_key).is_err());
    /// ```
    pub fn query_filter<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.filter = Some(render!(self, query_filter(c)));
        Ok(())
    }

    /// Renders a write's `ConditionExpression`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::Document;
    /// let c = Movie::expr(awstin_macros::cond!(rating <= 5));
    /// let mut render = awstin_core::op::Render::new();
    /// render.condition(&c)?;
    /// assert_eq!(render.finish()?.condition.as_deref(), Some("#n0 <= :v0"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn condition<C: Condition>(&mut self, c: &'a C) -> Result<(), Error> {
        self.out.condition = Some(render!(self, condition(c)));
        Ok(())
    }

    /// Renders an `UpdateExpression`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::Document;
    /// let u = Movie::expr(awstin_macros::update!(rating += 1));
    /// let mut render = awstin_core::op::Render::new();
    /// render.update(&u)?;
    /// assert_eq!(render.finish()?.update.as_deref(), Some("SET #n0 = #n0 + :v0"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn update<U: Update>(&mut self, u: &'a U) -> Result<(), Error> {
        self.out.update = Some(render!(self, update(u)));
        Ok(())
    }

    /// Renders a `ProjectionExpression`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::Document;
    /// let p = Movie::expr(awstin_macros::project!(title, rating));
    /// let mut render = awstin_core::op::Render::new();
    /// render.projection(&p)?;
    /// assert_eq!(render.finish()?.projection.as_deref(), Some("#n0, #n1"));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn projection<P: Projection>(&mut self, p: &'a P) -> Result<(), Error> {
        self.out.projection = Some(render!(self, projection(p)));
        Ok(())
    }

    /// The expressions, or [`Error::ExpressionValuesTooLarge`] when their placeholders,
    /// names and values take more than DynamoDB's 2 MB.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::Document;
    /// let p = Movie::expr(awstin_macros::project!(title));
    /// let mut render = awstin_core::op::Render::new();
    /// render.projection(&p)?;
    /// let e = render.finish()?;
    /// assert_eq!((e.names().len(), e.values().len()), (1, 0));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn finish(self) -> Result<Expressions<'a>, Error> {
        self.out.check_size()?;
        Ok(self.out)
    }

    /// The expressions, checked as [`finish`](Render::finish) checks them, left in the
    /// renderer: a backend takes their texts and reads their tables without moving them.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::Document;
    /// let p = Movie::expr(awstin_macros::project!(title));
    /// let mut render = awstin_core::op::Render::new();
    /// render.projection(&p)?;
    /// let e = render.checked()?;
    /// assert_eq!(e.projection.take().as_deref(), Some("#n0"));
    /// assert_eq!(e.names().len(), 1);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn checked(&mut self) -> Result<&mut Expressions<'a>, Error> {
        self.out.check_size()?;
        Ok(&mut self.out)
    }
}
