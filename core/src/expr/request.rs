//! [`Request`]: one request's placeholder namespace, through which its key condition,
//! filter, condition, update and projection are rendered in turn (by the [`Renderer`] of
//! `render`).

use heapless::Vec;

use crate::error::Error;
use crate::error::{ExpressionKind, Table};
use crate::expr::plan::Plan;
use crate::expr::render::{Placeholder, Renderer};
use crate::values::value::Encode;

/// The placeholder tables of one request, shared by all of its expressions.
///
/// `NAMES` and `VALUES` bound how many distinct names and values the request may use.
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Option<String> } }
/// use awstin_core::{Document, Request};
/// use awstin_macros::cond;
///
/// let (year, from, to) = (1992u32, "A", "L");
/// let key = Movie::expr(cond!(year == year && title between from..to));
/// let mut request = Request::<4, 4>::new();
/// let mut text = heapless::String::<128>::new();
/// request.key_condition(&key, &mut text)?;
/// assert_eq!(text, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
/// let names: Vec<_> = request.names().map(|(p, n)| (p.to_string(), n)).collect();
/// assert_eq!(names, [("#n0".to_string(), "year"), ("#n1".to_string(), "title")]);
/// assert_eq!(request.values().count(), 3);
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct Request<'a, const NAMES: usize = 32, const VALUES: usize = 64> {
    names: Vec<&'a str, NAMES>,
    values: Vec<&'a dyn Encode, VALUES>,
    /// Whether conditions with a [`Plan`] take their text from it (always, but in tests
    /// comparing the plans with the renderer).
    plans: bool,
}

impl<const NAMES: usize, const VALUES: usize> Default for Request<'_, NAMES, VALUES> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a, const NAMES: usize, const VALUES: usize> Request<'a, NAMES, VALUES> {
    /// Empty tables.
    ///
    /// ```
    /// let request = awstin_core::Request::<8, 8>::new();
    /// assert_eq!(request.names().count(), 0);
    /// ```
    pub const fn new() -> Self {
        Request {
            names: Vec::new(),
            values: Vec::new(),
            plans: true,
        }
    }

    /// The same request, rendering every condition, its plan unused: for tests that compare
    /// the text made when the program compiled with the renderer's.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, Request};
    /// let y = 1992u32;
    /// let c = Movie::expr(awstin_macros::cond!(year == y || year < y));
    /// let (mut planned, mut rendered) = (heapless::String::<64>::new(), heapless::String::<64>::new());
    /// Request::<4, 4>::new().filter(&c, &mut planned)?;
    /// Request::<4, 4>::new().rendered().filter(&c, &mut rendered)?;
    /// assert_eq!(planned, rendered);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[doc(hidden)]
    pub const fn rendered(mut self) -> Self {
        self.plans = false;
        self
    }

    /// The name placeholders used so far, in order, with the names they stand for.
    ///
    /// ```
    /// assert!(awstin_core::Request::<8, 8>::new().names().next().is_none());
    /// ```
    pub fn names(&self) -> impl ExactSizeIterator<Item = (Placeholder, &'a str)> + '_ {
        self.names
            .iter()
            .enumerate()
            .map(|(i, n)| (Placeholder::name(i), *n))
    }

    /// The value placeholders used so far, in order, with the values they stand for.
    ///
    /// ```
    /// assert!(awstin_core::Request::<8, 8>::new().values().next().is_none());
    /// ```
    pub fn values(&self) -> impl ExactSizeIterator<Item = (Placeholder, &'a dyn Encode)> + '_ {
        self.values
            .iter()
            .enumerate()
            .map(|(i, v)| (Placeholder::value(i), *v))
    }

    /// Forgets the names and values past the first `names` and `values`: the tables as they
    /// were before an expression that failed, e.g. on a full table.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, Request};
    /// let y = 1992u32;
    /// let c = Movie::expr(awstin_macros::cond!(year == y));
    /// let mut request = Request::<4, 4>::new();
    /// request.filter(&c, &mut heapless::String::<32>::new())?;
    /// request.truncate(0, 0);
    /// assert_eq!((request.names().len(), request.values().len()), (0, 0));
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn truncate(&mut self, names: usize, values: usize) {
        self.names.truncate(names);
        self.values.truncate(values);
    }

    /// Adds the names and values of `other` after this request's own (for tables grown into
    /// a larger capacity); [`Error::Capacity`] when they do not fit.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, Request};
    /// let y = 1992u32;
    /// let c = Movie::expr(awstin_macros::cond!(year == y));
    /// let mut small = Request::<1, 1>::new();
    /// small.filter(&c, &mut heapless::String::<32>::new())?;
    /// let mut large = Request::<64, 64>::new();
    /// large.extend_from(&small)?;
    /// assert_eq!(large.names().map(|(_, n)| n).collect::<Vec<_>>(), ["year"]);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn extend_from<const N: usize, const V: usize>(
        &mut self,
        other: &Request<'a, N, V>,
    ) -> Result<(), Error> {
        for (_, name) in other.names() {
            self.names.push(name).map_err(|_| Error::Capacity {
                table: Table::Names,
                capacity: NAMES,
            })?;
        }
        for (_, value) in other.values() {
            self.values.push(value).map_err(|_| Error::Capacity {
                table: Table::Values,
                capacity: VALUES,
            })?;
        }
        Ok(())
    }

    /// Renders a Query's key condition. Only [`KeyCondition`](crate::expr::cond::KeyCondition)s are
    /// accepted; key values are checked to be non-empty and within DynamoDB's size limits.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; } }
    /// use awstin_core::{Document, Error, Request};
    /// let empty = "";
    /// let key = Movie::expr(awstin_macros::cond!(year == 1985 && title == empty));
    /// let mut text = heapless::String::<64>::new();
    /// let err = Request::<4, 4>::new().key_condition(&key, &mut text).unwrap_err();
    /// assert_eq!(err, Error::EmptyKeyValue { attribute: "title" });
    /// ```
    pub fn key_condition<M, C>(
        &mut self,
        condition: &'a C,
        out: &mut dyn crate::Out,
    ) -> Result<(), Error>
    where
        C: crate::expr::cond::KeyCondition<M>,
    {
        if C::COMPOSED {
            return Err(Error::KeyText {
                reason: "a key condition over composed keys' fields is rendered by a read (ReadSpec)",
            });
        }
        condition.check_key_values()?;
        self.render_checked(
            ExpressionKind::KeyCondition,
            false,
            out,
            condition.plan(),
            |r| condition.render(r),
        )
    }

    /// Renders a condition for a write (`ConditionExpression`).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let cond = Movie::expr(awstin_macros::cond!(rating <= 5));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().condition(&cond, &mut text)?;
    /// assert_eq!(text, "#n0 <= :v0");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn condition<C: crate::expr::cond::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn crate::Out,
    ) -> Result<(), Error> {
        self.render_checked(
            ExpressionKind::Condition,
            false,
            out,
            condition.plan(),
            |r| condition.render(r),
        )
    }

    /// Writes `condition` for people to read: attribute names as themselves, values as
    /// `:vI` placeholders (numbered from 0, not kept in the tables), each path it names
    /// passed to `paths`. Nothing DynamoDB's length bound would cut is cut: the text is not
    /// sent. Used to name the clauses of a condition that were false on a stored item.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let limit = 5;
    /// let c = Movie::expr(awstin_macros::cond!(rating <= limit && attribute_exists(title)));
    /// let (mut text, mut named) = (heapless::String::<64>::new(), 0);
    /// Request::<0, 0>::new().readable(&c, &mut text, &mut |_| named += 1)?;
    /// assert_eq!(text, "rating <= :v0 AND attribute_exists(title)");
    /// assert_eq!(named, 2);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn readable<C: crate::expr::cond::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn crate::Out,
        paths: &mut dyn FnMut(&'a dyn crate::expr::path::Segments),
    ) -> Result<(), Error> {
        let mut r = Renderer::new(
            self.names.as_mut_view(),
            self.values.as_mut_view(),
            out,
            false,
        )
        .readable(paths);
        condition.render(&mut r)?;
        r.finish_readable()
    }

    /// Renders a Query or Scan filter (`FilterExpression`).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let filter = Movie::expr(awstin_macros::cond!(year between 1950..=1959));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().filter(&filter, &mut text)?;
    /// assert_eq!(text, "#n0 BETWEEN :v0 AND :v1");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn filter<C: crate::expr::cond::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn crate::Out,
    ) -> Result<(), Error> {
        self.render_checked(ExpressionKind::Filter, false, out, condition.plan(), |r| {
            condition.render(r)
        })
    }

    /// Renders the `FilterExpression` of a Query, which may not name a key attribute of the
    /// table or index queried ([`Error::KeyInFilter`]); a Scan's filter may.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Error, Request};
    /// let (min, name) = (7, "Heat");
    /// let mut text = heapless::String::<64>::new();
    /// let on_rating = Movie::expr(awstin_macros::cond!(rating >= min));
    /// Request::<4, 4>::new().query_filter(&on_rating, &mut text)?;
    /// assert_eq!(text, "#n0 >= :v0");
    /// let on_key = Movie::expr(awstin_macros::cond!(rating >= min && title != name));
    /// assert_eq!(
    ///     Request::<4, 4>::new().query_filter(&on_key, &mut heapless::String::<64>::new()),
    ///     Err(Error::KeyInFilter { attribute: "title" })
    /// );
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn query_filter<C: crate::expr::cond::Condition>(
        &mut self,
        condition: &'a C,
        out: &mut dyn crate::Out,
    ) -> Result<(), Error> {
        self.render_checked(ExpressionKind::Filter, true, out, condition.plan(), |r| {
            condition.render(r)
        })
    }

    /// Renders an `UpdateExpression`, after checking that no two actions touch overlapping or
    /// conflicting paths.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let update = Movie::expr(awstin_macros::update!(rating += 1));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().update(&update, &mut text)?;
    /// assert_eq!(text, "SET #n0 = #n0 + :v0");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn update<U: crate::expr::update::Update>(
        &mut self,
        update: &'a U,
        out: &mut dyn crate::Out,
    ) -> Result<(), Error> {
        crate::expr::update::check_overlaps(update.len(), |i| update.path(i))?;
        self.render_checked(ExpressionKind::Update, false, out, update.plan(), |r| {
            crate::expr::update::render(update, r)
        })
    }

    /// Renders a `ProjectionExpression`.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
    /// use awstin_core::{Document, Request};
    /// let projection = Movie::expr(awstin_macros::project!(year, title));
    /// let mut text = heapless::String::<64>::new();
    /// Request::<4, 4>::new().projection(&projection, &mut text)?;
    /// assert_eq!(text, "#n0, #n1");
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn projection<P: crate::expr::project::Projection>(
        &mut self,
        projection: &'a P,
        out: &mut dyn crate::Out,
    ) -> Result<(), Error> {
        crate::expr::update::check_overlaps(projection.len(), |i| projection.path(i))?;
        self.render(ExpressionKind::Projection, out, |r| projection.render(r))
    }

    fn render(
        &mut self,
        expression: ExpressionKind,
        out: &mut dyn crate::Out,
        body: impl Fn(&mut Renderer<'_, 'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.render_checked(expression, false, out, None, body)
    }

    /// Renders one expression: from its plan where it has one (the text made when the
    /// program compiled, its names and values taken by a walk), else by the renderer.
    fn render_checked(
        &mut self,
        expression: ExpressionKind,
        keys_forbidden: bool,
        out: &mut dyn crate::Out,
        plan: Option<&'static Plan>,
        body: impl Fn(&mut Renderer<'_, 'a>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let mut plan = plan.filter(|_| self.plans);
        loop {
            let (names, values) = (self.names.len(), self.values.len());
            let mut r = Renderer::new(
                self.names.as_mut_view(),
                self.values.as_mut_view(),
                out,
                keys_forbidden,
            );
            if let Some(plan) = plan {
                r = r.planned(plan);
            }
            body(&mut r)?;
            if plan.is_none() {
                return r.finish(expression);
            }
            if r.finish_planned(expression)? {
                return Ok(());
            }
            // The walk and the plan disagree (counted by `plan::fallbacks`): render it.
            self.truncate(names, values);
            plan = None;
        }
    }
}
