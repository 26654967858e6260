//! Reads: [`Read`], the description of a GetItem, Query or Scan, made by [`ReadSpec`] and
//! checked against every rule once.

use super::never::Never;
use super::render::{Expressions, Render};
use super::write::Key;
use crate::expr::cond::{And, Val, compare, op};
use crate::expr::model::NotKey;
use crate::expr::path::{Field, Segments};
use crate::expr::render::Renderer;
use crate::limits::MAX_SCAN_SEGMENTS;
use alloc::collections::BTreeMap;
use alloc::string::String;

use core::cell::OnceCell;

use super::composed::ComposedKey;
use crate::expr::cond::ComposedTests;
use crate::{
    error::Error, expr::cond::Condition, expr::cond::KeyCondition, expr::model::Model,
    expr::project::Projection, values::value_buf::ValueBuf,
};

/// The key attributes a read stopped at (DynamoDB's `LastEvaluatedKey`), or starts after
/// (`ExclusiveStartKey`): each a string, number or binary. Page cursors carry one
/// ([`cursor`](crate::protocol::cursor)).
///
/// ```
/// use awstin_core::{ValueBuf, op::StartKey};
/// let key: StartKey = [("year".to_string(), ValueBuf::S("2013".into()))].into();
/// assert_eq!(key.len(), 1);
/// ```
pub type StartKey = BTreeMap<String, ValueBuf>;

/// Which read a [`Read`] is.
#[derive(Debug, Clone, Copy)]
pub enum ReadKind<'a> {
    /// `GetItem` of the item with the key.
    Get(Key<'a>),
    /// `Query` by the key condition of the expressions.
    Query {
        /// Sort-key order ascending (`ScanIndexForward`).
        forward: bool,
    },
    /// `Scan`, in `segment` of `total` for a parallel one.
    Scan {
        /// Segment and total segments of a parallel scan.
        segment: Option<(u32, u32)>,
    },
}

/// One read, described for a backend: made by [`ReadSpec::build`], checked.
#[derive(Debug)]
pub struct Read<'a> {
    table: &'a str,
    index: Option<&'a str>,
    kind: ReadKind<'a>,
    expressions: Expressions<'a>,
    start: Option<&'a StartKey>,
    limit: Option<u32>,
    consistent: bool,
    count: bool,
}

impl<'a> Read<'a> {
    /// The table, by the name the request uses.
    pub fn table(&self) -> &'a str {
        self.table
    }
    /// The index, for a read of one.
    pub fn index(&self) -> Option<&'a str> {
        self.index
    }
    /// Which read.
    pub fn kind(&self) -> ReadKind<'a> {
        self.kind
    }
    /// The expressions: key condition, filter, projection, their placeholders.
    pub fn expressions(&self) -> &Expressions<'a> {
        &self.expressions
    }
    /// The expressions, for a backend that takes their texts (reading their tables in
    /// place, without moving them).
    pub fn expressions_mut(&mut self) -> &mut Expressions<'a> {
        &mut self.expressions
    }
    /// The key the read starts after (`ExclusiveStartKey`), from a cursor, checked.
    pub fn start(&self) -> Option<&'a StartKey> {
        self.start
    }
    /// Items read at most a page (`Limit`).
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }
    /// A strongly consistent read.
    pub fn consistent(&self) -> bool {
        self.consistent
    }
    /// Counts the items instead of returning them (`Select: COUNT`).
    pub fn count(&self) -> bool {
        self.count
    }
    /// The DynamoDB operation.
    pub fn operation(&self) -> &'static str {
        match self.kind {
            ReadKind::Get(_) => "GetItem",
            ReadKind::Query { .. } => "Query",
            ReadKind::Scan { .. } => "Scan",
        }
    }
}

/// Renders a key condition: chosen where [`ReadSpec::query`] knows `KC` is a key condition, so
/// that the other methods need no such bound (and a wrong key condition is one error, at
/// `query`).
type RenderKey<M, KC> =
    for<'r> fn(&'r KC, &'r OnceCell<ComposedKey<M>>, &mut Render<'r>) -> Result<(), Error>;

/// Renders `key`; a key condition over composed keys' fields is rendered on the composed
/// attributes, whose texts `slot` keeps for as long as the rendering.
fn render_key<'r, M: Model, KC: KeyCondition<M>>(
    key: &'r KC,
    slot: &'r OnceCell<ComposedKey<M>>,
    r: &mut Render<'r>,
) -> Result<(), Error> {
    if !KC::COMPOSED {
        return r.key_condition(key);
    }
    let mut tests = ComposedTests::default();
    if !key.compose_key(&mut tests)? {
        return r.key_condition(key);
    }
    let composed = ComposedKey::of(&tests)?;
    r.key_condition(slot.get_or_init(|| composed))
}

enum What<'a, M, KC> {
    Get(Key<'a>),
    Query(&'a KC, RenderKey<M, KC>, bool),
    Scan(Option<(u32, u32)>),
}

/// A read being specified: a get by key, a query by key condition or a scan, with an optional
/// filter, projection, start (from a cursor), limit, consistency and index. [`build`] checks
/// it and hands the [`Read`] to a backend.
///
/// [`build`]: ReadSpec::build
///
/// ```
/// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String; attr rating: f64 } }
/// use awstin_core::Document;
/// use awstin_core::op::ReadSpec;
/// let (year, min) = (2013, 8);
/// let key = Movie::expr(awstin_macros::cond!(year == year));
/// let filter = Movie::expr(awstin_macros::cond!(rating >= min));
/// let read = ReadSpec::query("Movies", &key).filter(&filter).limit(10)?;
/// let texts = read.build(|r| Ok((r.expressions().key_condition.clone(), r.expressions().filter.clone())))?;
/// assert_eq!(texts, (Some("#n0 = :v0".into()), Some("#n1 >= :v1".into())));
/// # Ok::<(), awstin_core::Error>(())
/// ```
pub struct ReadSpec<'a, M, KC = Never<M>, F = Never<M>, P = Never<M>> {
    table: &'a str,
    index: Option<&'a str>,
    what: What<'a, M, KC>,
    filter: Option<&'a F>,
    projection: Option<&'a P>,
    start: Option<&'a StartKey>,
    limit: Option<u32>,
    consistent: bool,
    count: bool,
    every_entity: bool,
    _model: core::marker::PhantomData<fn() -> M>,
}

impl<'a, M: Model> ReadSpec<'a, M> {
    /// A GetItem of the item with `key`.
    pub fn get(table: &'a str, key: Key<'a>) -> Self {
        ReadSpec::new(table, What::Get(key))
    }
    /// A Scan of `table` (of the model's index, for an index model).
    pub fn scan(table: &'a str) -> Self {
        ReadSpec::new(table, What::Scan(None))
    }
    fn new<KC>(table: &'a str, what: What<'a, M, KC>) -> ReadSpec<'a, M, KC> {
        ReadSpec {
            table,
            index: M::SOURCE.index(),
            what,
            filter: None,
            projection: None,
            start: None,
            limit: None,
            consistent: false,
            count: false,
            every_entity: false,
            _model: core::marker::PhantomData,
        }
    }
}

impl<'a, M: Model, KC: KeyCondition<M>> ReadSpec<'a, M, KC> {
    /// A Query of `table` (of the model's index, for an index model) by key condition `key`.
    pub fn query(table: &'a str, key: &'a KC) -> Self {
        ReadSpec::new(table, What::Query(key, render_key::<M, KC>, true))
    }
}

impl<'a, M: Model, KC: KeyCondition<M>, F, P> ReadSpec<'a, M, KC, F, P> {
    /// Starts after `start`, the key a cursor named (checked by
    /// [`start_of`](crate::protocol::cursor::start_of)). The key a page stopped at always meets its
    /// query's key condition: [`Error::InvalidCursor`] for one that does not, made for another
    /// query (DynamoDB would refuse it).
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{Document, ValueBuf, Number};
    /// use awstin_core::op::{ReadSpec, StartKey};
    /// let y = 2013;
    /// let key = Movie::expr(awstin_macros::cond!(year == y));
    /// let start = |year: u32| -> StartKey {
    ///     [("year".to_string(), ValueBuf::N(Number::from(year))), ("title".to_string(), ValueBuf::S("T".into()))].into()
    /// };
    /// let (ours, theirs) = (start(2013), start(1999));
    /// assert!(ReadSpec::query("Movies", &key).after(Some(&ours)).is_ok());
    /// assert!(ReadSpec::query("Movies", &key).after(Some(&theirs)).is_err());
    /// ```
    ///
    /// A scan (or a get) has no key condition, and starts after any key:
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::{ValueBuf, Number};
    /// use awstin_core::op::{ReadSpec, StartKey};
    /// let start: StartKey = [("year".to_string(), ValueBuf::N(Number::from(2013u32))), ("title".to_string(), ValueBuf::S("T".into()))].into();
    /// let scan = ReadSpec::<Movie>::scan("Movies").after(Some(&start))?;
    /// assert!(scan.build(|r| Ok(r.start().is_some()))?);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn after(mut self, start: Option<&'a StartKey>) -> Result<Self, Error> {
        if let (Some(start), What::Query(key, ..)) = (start, &self.what)
            && !holds_at::<M, KC>(key, start)?
        {
            return Err(Error::InvalidCursor {
                reason: "made for another query",
            });
        }
        self.start = start;
        Ok(self)
    }
}

/// Whether the key `start` meets key condition `key`: over composed keys' fields, the
/// condition on the composed attributes (a key holds those, not the fields).
fn holds_at<M: Model, KC: KeyCondition<M>>(key: &KC, start: &StartKey) -> Result<bool, Error> {
    let at = crate::values::value_buf::ValueBufRef::Map(start);
    if KC::COMPOSED {
        let mut tests = ComposedTests::default();
        if key.compose_key(&mut tests)? {
            return ComposedKey::<M>::of(&tests)?.eval(at);
        }
    }
    key.eval(at)
}

impl<'a, M: Model, KC, F: Condition<Model = M>, P: Projection> ReadSpec<'a, M, KC, F, P> {
    /// Keeps the items matching `filter` (a query's may not name key attributes).
    pub fn filter<F2: Condition<Model = M>>(self, filter: &'a F2) -> ReadSpec<'a, M, KC, F2, P> {
        self.filter_opt(Some(filter))
    }

    /// Reads only the paths of `projection`.
    pub fn project<P2: Projection>(self, projection: &'a P2) -> ReadSpec<'a, M, KC, F, P2> {
        self.project_opt(Some(projection))
    }

    /// Reads `index` of the table instead of the model's own source.
    #[must_use]
    pub fn index(mut self, index: &'a str) -> Self {
        self.index = Some(index);
        self
    }

    /// Reads `index` of the table when `index` is given, else the model's own source.
    #[must_use]
    pub fn index_opt(mut self, index: Option<&'a str>) -> Self {
        if index.is_some() {
            self.index = index;
        }
        self
    }

    /// Keeps the items matching `filter`, when there is one.
    pub fn filter_opt<F2: Condition<Model = M>>(
        self,
        filter: Option<&'a F2>,
    ) -> ReadSpec<'a, M, KC, F2, P> {
        ReadSpec {
            table: self.table,
            index: self.index,
            what: self.what,
            filter,
            projection: self.projection,
            start: self.start,
            limit: self.limit,
            consistent: self.consistent,
            count: self.count,
            every_entity: self.every_entity,
            _model: core::marker::PhantomData,
        }
    }

    /// Reads only the paths of `projection`, when there is one.
    pub fn project_opt<P2: Projection>(
        self,
        projection: Option<&'a P2>,
    ) -> ReadSpec<'a, M, KC, F, P2> {
        ReadSpec {
            table: self.table,
            index: self.index,
            what: self.what,
            filter: self.filter,
            projection,
            start: self.start,
            limit: self.limit,
            consistent: self.consistent,
            count: self.count,
            every_entity: self.every_entity,
            _model: core::marker::PhantomData,
        }
    }

    /// Reads at most `n` items a page, when `n` is given (see [`limit`](Self::limit)).
    pub fn limit_opt(self, n: Option<u32>) -> Result<Self, Error> {
        match n {
            Some(n) => self.limit(n),
            None => Ok(self),
        }
    }

    /// Reads at most `n` items a page (DynamoDB's `Limit`: 1 or more;
    /// [`Error::InvalidOption`] for 0). DynamoDB's `Limit` is a 32-bit signed number: a
    /// larger `n` is sent as `i32::MAX`, which reads the same, since a page ends at 1 MB.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin_core::op::ReadSpec;
    /// let scan = ReadSpec::<Movie>::scan("Movies").limit(u32::MAX)?;
    /// assert_eq!(scan.build(|r| Ok(r.limit()))?, Some(i32::MAX as u32));
    /// assert!(ReadSpec::<Movie>::scan("Movies").limit(0).is_err());
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    pub fn limit(mut self, n: u32) -> Result<Self, Error> {
        if n == 0 {
            return Err(Error::InvalidOption {
                option: "limit",
                value: 0,
                allowed: "1 or more items a page",
            });
        }
        self.limit = Some(n.min(i32::MAX.unsigned_abs()));
        Ok(self)
    }

    /// A strongly consistent read.
    #[must_use]
    pub fn consistent(mut self, consistent: bool) -> Self {
        self.consistent = consistent;
        self
    }

    /// Counts the items instead of returning them.
    #[must_use]
    pub fn count(mut self, count: bool) -> Self {
        self.count = count;
        self
    }

    /// Reads the items of every entity type, not the model's alone: a query of a collection
    /// (several models sharing a partition, read into one enum), whose reading tells the
    /// types apart. Without it, a query or scan of a model with an `entity` line reads items
    /// of its type only.
    ///
    /// ```
    /// # awstin_macros::dynamo_model! { pub struct Todo { table "App"; entity "Todo"; key pk: String; key sk: String } }
    /// use awstin_core::{Document, op::ReadSpec};
    /// let key = Todo::expr(awstin_macros::cond!(pk == "USER#1"));
    /// let filter = |read: ReadSpec<'_, Todo, _>| {
    ///     read.build(|r| Ok::<_, awstin_core::Error>(r.expressions().filter.clone()))
    /// };
    /// assert!(filter(ReadSpec::query("App", &key))?.is_some());
    /// assert_eq!(filter(ReadSpec::query("App", &key).every_entity())?, None);
    /// # Ok::<(), awstin_core::Error>(())
    /// ```
    #[must_use]
    pub fn every_entity(mut self) -> Self {
        self.every_entity = true;
        self
    }

    /// Sort-key order descending (a query's).
    #[must_use]
    pub fn reverse(mut self) -> Self {
        if let What::Query(_, _, forward) = &mut self.what {
            *forward = false;
        }
        self
    }

    /// Segment `segment` of a parallel scan of `total` segments (1 to 1,000,000).
    pub fn segment(mut self, segment: u32, total: u32) -> Result<Self, Error> {
        if !(1..=MAX_SCAN_SEGMENTS).contains(&total) || segment >= total {
            return Err(Error::InvalidOption {
                option: "segments",
                value: total.into(),
                allowed: "1 to 1,000,000 segments",
            });
        }
        if let What::Scan(s) = &mut self.what {
            *s = (total > 1).then_some((segment, total));
        }
        Ok(self)
    }

    /// Checks the read and hands it to `emit`, a backend that writes it in its own form: the
    /// table and index names, the key's values, a start key that the query's key condition
    /// selects (a cursor of another query is [`Error::InvalidCursor`]), a query's filter
    /// naming no key, the expressions' limits.
    pub fn build<R, E: From<Error>>(
        self,
        emit: impl FnOnce(Read<'_>) -> Result<R, E>,
    ) -> Result<R, E> {
        name(self.table)?;
        if let Some(index) = self.index {
            name(index)?;
        }
        // A model of a shared table reads items of its own entity type only: its type joins
        // the read's filter (an item of another type is never read as this model).
        // (A get reads by key, and its reading refuses another type's item.)
        let get = matches!(self.what, What::Get(_));
        let entity = M::ENTITY.filter(|_| !get && !self.every_entity).map(|e| {
            compare(
                Field::<M, String, NotKey>::new(e.attribute),
                op::Eq,
                Val(e.name),
            )
        });
        let both = self.filter.zip(entity.as_ref()).map(|(f, e)| And(f, e));
        // Its projections hold the type too, for the reading to check it.
        let entity_path = M::ENTITY.map(|e| Field::<M, String, NotKey>::new(e.attribute));
        let shown = self
            .projection
            .zip(entity_path.as_ref())
            .map(|(p, e)| WithEntity(p, e));
        let composed = OnceCell::new();
        let mut r = Render::new();
        let kind = match self.what {
            What::Get(key) => {
                key.check()?;
                ReadKind::Get(key)
            }
            What::Query(key, render_key, forward) => {
                render_key(key, &composed, &mut r)?;
                ReadKind::Query { forward }
            }
            What::Scan(segment) => ReadKind::Scan { segment },
        };
        let query = matches!(kind, ReadKind::Query { .. });
        match (&both, self.filter, &entity) {
            (Some(both), _, _) => render_filter(&mut r, both, query)?,
            (None, Some(filter), _) => render_filter(&mut r, filter, query)?,
            (None, None, Some(entity)) => render_filter(&mut r, entity, query)?,
            (None, None, None) => {}
        }
        match (&shown, self.projection) {
            (Some(shown), _) => r.projection(shown)?,
            (None, Some(projection)) => r.projection(projection)?,
            (None, None) => {}
        }
        let expressions = r.finish()?;
        emit(Read {
            table: self.table,
            index: self.index,
            kind,
            expressions,
            start: self.start,
            limit: self.limit,
            consistent: self.consistent,
            count: self.count,
        })
    }
}

/// Renders a read's filter: a query's, which may not name a key, or a scan's.
fn render_filter<'a, C: Condition>(r: &mut Render<'a>, c: &'a C, query: bool) -> Result<(), Error> {
    if query {
        r.query_filter(c)
    } else {
        r.filter(c)
    }
}

/// A projection with the model's entity attribute after its own paths.
struct WithEntity<'p, P, M>(&'p P, &'p Field<M, String, NotKey>);

impl<P: Projection, M> Projection for WithEntity<'_, P, M>
where
    Field<M, String, NotKey>: crate::expr::path::Path,
{
    type Model = P::Model;
    fn len(&self) -> usize {
        self.0.len() + 1
    }
    fn path(&self, index: usize) -> Option<&dyn Segments> {
        if index < self.0.len() {
            self.0.path(index)
        } else {
            (index == self.0.len()).then_some(self.1 as &dyn Segments)
        }
    }
    fn render<'a>(&'a self, r: &mut Renderer<'_, 'a>) -> Result<(), Error> {
        self.0.render(r)?;
        r.text(", ");
        r.path(self.1)
    }
}

/// `name` if DynamoDB takes it as a table or index name.
fn name(name: &str) -> Result<(), Error> {
    match crate::limits::table_name_refusal(name) {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidTableName { reason }),
    }
}
