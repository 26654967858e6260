//! Query and Scan: builders that render once and stream items lazily, page by page.

use aws_sdk_dynamodb::types::Select;
use awstin_core::cond::functions as cond_fn;
use awstin_core::cond::{And, Compare, NotExists, Or, Val, compare, op};
use awstin_core::{Condition, DecodeFrom, Field, KeyCondition, Model, NotKey, Projection, Ttl};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use super::codec::{AvRef, Item, from_item};
use super::cursor::{self, CursorKey, Page};
use super::error::{self, Error, Operation};
use super::expr::{Expressions, FilterArg, ProjectionArg, Render, Unset, With};
use super::table::Table;

/// Options shared by queries and scans.
#[derive(Debug, Clone, Default)]
struct ReadOptions {
    limit: Option<usize>,
    page_size: Option<u32>,
    consistent: bool,
    /// Signs and checks the cursors of `page`.
    cursor_key: Option<CursorKey>,
    /// The time-to-live attribute whose passed items are left out.
    unexpired: Option<&'static str>,
}

/// The clause that leaves out expired items: `attribute_not_exists(ttl) OR ttl > :now`.
type Unexpired<M> =
    Or<NotExists<Field<M, Ttl, NotKey>>, Compare<Field<M, Ttl, NotKey>, op::Gt, Val<Ttl>>>;

fn unexpired<M>(attribute: &'static str) -> Result<Unexpired<M>, Error> {
    let field: Field<M, Ttl, NotKey> = Field::new(attribute);
    let now = Ttl::at(std::time::SystemTime::now())?;
    Ok(Or(
        cond_fn::attribute_not_exists(field),
        compare(field, op::Gt, Val(now)),
    ))
}

/// Finishes a read's expressions: `render` holds its key condition, if any; then the filter
/// (the caller's, the expiry clause, or both joined with `AND`; a Query's may not name key
/// attributes) and the projection.
fn finish_read<'p, M, C, P>(
    render: Render<'p>,
    filter: Option<C>,
    expiry: Option<Unexpired<M>>,
    projection: Option<&'p P>,
    query: bool,
) -> Result<Expressions, Error>
where
    M: Model,
    C: Condition<Model = M>,
    P: Projection,
{
    fn rest<'a, F: Condition, P: Projection>(
        mut r: Render<'a>,
        filter: Option<&'a F>,
        projection: Option<&'a P>,
        query: bool,
    ) -> Result<Expressions, Error> {
        match filter {
            Some(f) if query => r.query_filter(f)?,
            Some(f) => r.filter(f)?,
            None => {}
        }
        if let Some(p) = projection {
            r.projection(p)?;
        }
        r.finish()
    }
    // Each arm makes its filter before taking the tables, which borrow it until `finish`.
    match (filter, expiry) {
        (Some(c), Some(u)) => {
            let both = And(c, u);
            rest(render, Some(&both), projection, query)
        }
        (Some(c), None) => rest(render, Some(&c), projection, query),
        (None, Some(u)) => rest(render, Some(&u), projection, query),
        (None, None) => rest::<C, P>(render, None, projection, query),
    }
}

use awstin_core::limits::MAX_SCAN_SEGMENTS as MAX_SEGMENTS;

/// Segments of a parallel scan read at once.
pub const PARALLEL_SEGMENTS: usize = 16;

impl ReadOptions {
    /// DynamoDB's `Limit` for each page: the page size, else the total limit; refuses 0.
    fn page_limit(&self) -> Result<Option<i32>, Error> {
        match (self.page_size, self.limit) {
            (Some(0), _) => Err(Error::InvalidOption {
                option: "page_size",
                value: 0,
                allowed: "1 or more items a page",
            }),
            // DynamoDB ends a page at 1 MB whatever the Limit, so a larger size reads the same.
            (Some(p), _) => Ok(Some(i32::try_from(p).unwrap_or(i32::MAX))),
            (None, Some(n)) => Ok(Some(i32::try_from(n).unwrap_or(i32::MAX).max(1))),
            (None, None) => Ok(None),
        }
    }
}

fn failed(e: Error) -> BoxStream<'static, Result<RawPage, Error>> {
    stream::once(async { Err(e) }).boxed()
}

/// A Query being built: a key condition, then optional filter, projection and options.
/// Nothing is sent until the stream (or count) is polled.
#[must_use = "a query does nothing until its stream or count is awaited"]
pub struct Query<'t, M, K, F, P, KC> {
    table: &'t Table<M>,
    key: K,
    /// Renders the key condition: chosen where `query` checked that `KC` is a key condition,
    /// so that the methods of a query need no such bound (and a wrong key condition is one
    /// error at `query`, not another at each method after it).
    render_key: RenderKey<KC>,
    filter: F,
    projection: P,
    options: ReadOptions,
    reverse: bool,
}

/// Renders a key condition into a request, after checking that the start key a cursor
/// named (if any) is one this key condition selects.
type RenderKey<KC> = for<'a> fn(&'a KC, &mut Render<'a>, Option<&Item>) -> Result<(), Error>;

fn render_key<'a, M, KC: KeyCondition<M>>(
    key: &'a KC,
    render: &mut Render<'a>,
    start: Option<&Item>,
) -> Result<(), Error> {
    // The last evaluated key of a page always meets its query's key condition: a cursor whose
    // key does not was made for another query (another partition, or a sort-key range that
    // excludes it), and DynamoDB would refuse it as a bad request.
    if let Some(start) = start
        && !key.eval(AvRef::Item(start))?
    {
        return Err(Error::InvalidCursor {
            reason: "made for another query",
        });
    }
    render.key(key)
}

/// A Scan being built.
#[must_use = "a scan does nothing until its stream or count is awaited"]
pub struct Scan<'t, M, F, P> {
    table: &'t Table<M>,
    filter: F,
    projection: P,
    options: ReadOptions,
    segments: u32,
}

/// One page of results: the items (none with `Select: COUNT`), DynamoDB's count of them, and
/// the key it stopped at (`None` after the last page).
struct RawPage {
    items: Vec<Item>,
    count: usize,
    last: Option<Item>,
}

/// The parts of a Query or Scan response that pagination uses.
trait PageOutput {
    fn into_page(self) -> RawPage;
}

impl PageOutput for aws_sdk_dynamodb::operation::query::QueryOutput {
    fn into_page(self) -> RawPage {
        RawPage {
            count: usize::try_from(self.count).unwrap_or(0),
            items: self.items.unwrap_or_default(),
            last: self.last_evaluated_key.filter(|k| !k.is_empty()),
        }
    }
}

impl PageOutput for aws_sdk_dynamodb::operation::scan::ScanOutput {
    fn into_page(self) -> RawPage {
        RawPage {
            count: usize::try_from(self.count).unwrap_or(0),
            items: self.items.unwrap_or_default(),
            last: self.last_evaluated_key.filter(|k| !k.is_empty()),
        }
    }
}

/// Pages of a request from `start`, fetched one at a time as the stream is polled.
fn paged<S, Fut, O>(send: S, start: Option<Item>) -> BoxStream<'static, Result<RawPage, Error>>
where
    S: Fn(Option<Item>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<O, Error>> + Send + 'static,
    O: PageOutput,
{
    stream::try_unfold((send, Some(start)), |(send, state)| async move {
        let Some(start) = state else { return Ok(None) };
        let page = send(start).await?.into_page();
        let next = page.last.clone().map(Some);
        Ok(Some((page, (send, next))))
    })
    .boxed()
}

fn items(
    pages: BoxStream<'static, Result<RawPage, Error>>,
    limit: Option<usize>,
) -> BoxStream<'static, Result<Item, Error>> {
    let items = pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten();
    match limit {
        Some(n) => items.take(n).boxed(),
        None => items.boxed(),
    }
}

fn decoded<M: for<'a> DecodeFrom<AvRef<'a>> + Send + 'static>(
    items: BoxStream<'static, Result<Item, Error>>,
) -> BoxStream<'static, Result<M, Error>> {
    items
        .and_then(|item| async move { from_item(&item).map_err(Error::from) })
        .boxed()
}

macro_rules! read_options {
    () => {
        /// Returns at most `n` items in all (the stream ends after `n`); pages read at most `n`
        /// items each.
        pub fn limit(mut self, n: usize) -> Self {
            self.options.limit = Some(n);
            self
        }

        /// Items DynamoDB reads per page (its `Limit`), without limiting the total. 0 is
        /// [`Error::InvalidOption`] when the stream is polled; sizes above `i32::MAX` read as
        /// `i32::MAX`, which changes nothing, since a page ends at 1 MB. A negative size
        /// does not compile:
        ///
        /// ```compile_fail,E0600
        /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
        /// # fn f(movies: awstin::dynamodb::Table<Movie>) {
        /// let _ = movies.scan().page_size(-1);
        /// # }
        /// ```
        pub fn page_size(mut self, n: u32) -> Self {
            self.options.page_size = Some(n);
            self
        }

        /// Leaves out items whose time to live has passed: the items whose attribute `ttl`
        /// (a [`Ttl`](awstin_core::Ttl), or `Option<Ttl>`, at the top level of the item, where
        /// DynamoDB's TTL reads it) is before now, by a filter `attribute_not_exists(ttl) OR
        /// ttl > :now` joined to the read's own. DynamoDB deletes an expired item within a few
        /// days of its time, not at it, and reads return it until then; a filter reads (and
        /// is charged for) the expired items all the same, and leaves them out of the answer.
        ///
        /// ```no_run
        /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Session { table "Sessions"; key user: String; key id: String; attr expires: awstin::Ttl } }
        /// # async fn f(sessions: awstin::dynamodb::Table<Session>) -> Result<(), awstin::dynamodb::Error> {
        /// use futures::TryStreamExt;
        /// let user = "ann";
        /// let live: Vec<Session> = sessions.query(awstin::cond!(user == user)).skip_expired(|s| s.expires).stream().try_collect().await?;
        /// # Ok(()) }
        /// ```
        pub fn skip_expired<T, R>(
            mut self,
            ttl: impl FnOnce(&'static M::Fields) -> Field<M, T, R>,
        ) -> Self
        where
            T: awstin_core::ttl::TtlAttribute + ?Sized,
        {
            self.options.unexpired = Some(ttl(M::FIELDS).name());
            self
        }

        /// Strongly consistent reads (not available on global secondary indexes).
        pub fn consistent_read(mut self) -> Self {
            self.options.consistent = true;
            self
        }

        /// Signs the cursors [`page`](Self::page) returns with `key`, and takes only cursors
        /// signed with it.
        ///
        /// ```no_run
        /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
        /// # async fn f(movies: awstin::dynamodb::Table<Movie>, secret: Vec<u8>, cursor: Option<String>) -> Result<(), awstin::dynamodb::Error> {
        /// use awstin::dynamodb::CursorKey;
        /// let key = CursorKey::new(secret)?;
        /// let page = movies.scan().page_size(25).cursor_key(key).page(cursor.as_deref()).await?;
        /// # Ok(()) }
        /// ```
        pub fn cursor_key(mut self, key: CursorKey) -> Self {
            self.options.cursor_key = Some(key);
            self
        }
    };
}

/// The ways a query or scan ends: raw items, models, another model, or a count.
macro_rules! stream_methods {
    () => {
        /// The raw items, lazily paginated.
        pub fn items(self) -> impl Stream<Item = Result<Item, Error>> + Send + 'static {
            let limit = self.options.limit;
            items(self.pages(None, None), limit)
        }

        /// The items as models, lazily paginated.
        pub fn stream(self) -> impl Stream<Item = Result<M, Error>> + Send + 'static
        where
            M: for<'a> DecodeFrom<AvRef<'a>> + Send + 'static,
        {
            decoded(self.items().boxed())
        }

        /// The items read as another model `V` (e.g. one holding only the projected attributes).
        pub fn stream_as<V>(self) -> impl Stream<Item = Result<V, Error>> + Send + 'static
        where
            V: for<'a> DecodeFrom<AvRef<'a>> + Send + 'static,
        {
            decoded(self.items().boxed())
        }

        /// One page, for an API that pages its clients: the items of one request (at most
        /// [`page_size`](Self::page_size) read, fewer after a filter) and the cursor of the next
        /// page, `None` after the last. `cursor` is one a previous page returned (`None` for
        /// the first); one that is not, or that was made for another table, index or model,
        /// is [`Error::InvalidCursor`] before anything is sent. See [`cursor_key`](Self::cursor_key)
        /// to refuse cursors a client made.
        ///
        /// ```no_run
        /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
        /// # async fn f(movies: awstin::dynamodb::Table<Movie>, cursor: Option<String>) -> Result<(), awstin::dynamodb::Error> {
        /// let y = 1992;
        /// let page = movies.query(awstin::cond!(year == y)).page_size(10).page(cursor.as_deref()).await?;
        /// let (movies, next): (Vec<Movie>, Option<String>) = (page.items, page.next);
        /// # Ok(()) }
        /// ```
        ///
        /// A page reads one item more than it returns, so that a cursor is handed out only
        /// when an item follows it: 6 items in pages of 3 are 2 pages. (Through a projection,
        /// which may leave the key out, and after a filter, which may drop what follows, the
        /// last page can be empty.)
        pub async fn page(mut self, cursor: Option<&str>) -> Result<Page<M>, Error>
        where
            M: for<'a> DecodeFrom<AvRef<'a>>,
        {
            self.check_pageable()?;
            let table = self.table;
            let key = self.options.cursor_key.clone();
            let start = cursor
                .map(|c| cursor::decode::<M>(table.name(), c, key.as_ref(), table.table_key()))
                .transpose()?;
            let size = self.options.page_size.or_else(|| {
                self.options
                    .limit
                    .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            });
            let peek = match size {
                Some(n) if n > 0 && n < u32::MAX && !P::GIVEN => {
                    self.options.page_size = Some(n + 1);
                    usize::try_from(n).ok()
                }
                _ => None,
            };
            let Some(page) = self.pages(None, start).next().await else {
                return Ok(Page {
                    items: Vec::new(),
                    next: None,
                });
            };
            let RawPage {
                mut items,
                mut last,
                ..
            } = page?;
            // An item follows the page's last: the cursor is that last item's key, by the
            // attributes DynamoDB's key of the item after it names. (DynamoDB always gives
            // that key when it stops at the Limit; without it, the extra item is kept.)
            if let (Some(n), Some(after)) = (peek, &last)
                && items.len() > n
            {
                items.truncate(n);
                if let Some(at) = items.last() {
                    last = Some(cursor::key_of(after, at)?);
                }
            }
            let items = items
                .iter()
                .map(|item| from_item(item).map_err(Error::from))
                .collect::<Result<Vec<M>, Error>>()?;
            let next = last
                .map(|last| cursor::encode::<M>(table.name(), &last, key.as_ref()))
                .transpose()?;
            Ok(Page { items, next })
        }
    };
}

/// Counting, for reads without a projection: DynamoDB refuses `Select: COUNT` with a
/// `ProjectionExpression`, so after `project` there is no `count`:
///
/// ```compile_fail,E0599
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
/// let n = movies.scan().project(awstin::project!(title)).count().await?;
/// # Ok(()) }
/// ```
macro_rules! count_method {
    () => {
        /// Counts the matching items without reading them (`Select: COUNT`).
        pub async fn count(self) -> Result<u64, Error> {
            let limit = self.options.limit;
            let pages = self.pages(Some(Select::Count), None);
            count(pages, limit).await
        }
    };
}

impl<'t, M: Model, K, KC> Query<'t, M, K, Unset, Unset, KC> {
    pub(crate) fn new(table: &'t Table<M>, key: K) -> Self
    where
        KC: KeyCondition<M>,
    {
        Query {
            table,
            key,
            render_key: render_key::<M, KC>,
            filter: Unset,
            projection: Unset,
            options: ReadOptions::default(),
            reverse: false,
        }
    }
}

impl<'t, M: Model, K, P, KC> Query<'t, M, K, Unset, P, KC> {
    /// Filters the items the key condition selects (`cond!`). Naming a key attribute of the
    /// table or index queried is [`Error::Expression`]`(`[`KeyInFilter`](awstin_core::Error::KeyInFilter)`)`,
    /// before anything is sent: keys belong in the key condition.
    pub fn filter<F, C>(self, filter: F) -> Query<'t, M, K, With<F>, P, KC>
    where
        F: FnOnce(&'static M::Fields) -> C,
        C: awstin_core::Condition<Model = M>,
    {
        Query {
            table: self.table,
            key: self.key,
            render_key: self.render_key,
            filter: With(filter),
            projection: self.projection,
            options: self.options,
            reverse: self.reverse,
        }
    }
}

impl<'t, M: Model, K, F, KC> Query<'t, M, K, F, Unset, KC> {
    /// Reads only these paths (`project!`); read the results with [`items`](Query::items) or
    /// [`stream_as`](Query::stream_as) a model of those attributes.
    pub fn project<P, R>(self, projection: P) -> Query<'t, M, K, F, With<P>, KC>
    where
        P: FnOnce(&'static M::Fields) -> R,
        R: awstin_core::Projection<Model = M>,
    {
        Query {
            table: self.table,
            key: self.key,
            render_key: self.render_key,
            filter: self.filter,
            projection: With(projection),
            options: self.options,
            reverse: self.reverse,
        }
    }
}

impl<M, K, KC, F, P> Query<'_, M, K, F, P, KC>
where
    M: Model,
    K: FnOnce(&'static M::Fields) -> KC,
    F: FilterArg<M>,
    P: ProjectionArg<M>,
{
    read_options!();

    /// Any query can be paged with a cursor.
    fn check_pageable(&self) -> Result<(), Error> {
        Ok(())
    }

    /// Sort-key order descending instead of ascending.
    pub fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    fn render(
        self,
        start: Option<&Item>,
    ) -> Result<(Expressions, ReadOptions, bool, super::DynamoDb), Error> {
        let key = (self.key)(M::FIELDS);
        let filter = self.filter.build();
        let expiry = self.options.unexpired.map(unexpired::<M>).transpose()?;
        let projection = self.projection.build();
        let mut render = Render::new();
        (self.render_key)(&key, &mut render, start)?;
        let e = finish_read(render, filter, expiry, projection.as_ref(), true)?;
        Ok((e, self.options, self.reverse, self.table.db.clone()))
    }

    fn pages(
        self,
        select: Option<Select>,
        start: Option<Item>,
    ) -> BoxStream<'static, Result<RawPage, Error>> {
        let table = self.table;
        let name = match table.bound() {
            Ok(name) => name.clone(),
            Err(e) => return failed(e),
        };
        let (e, options, reverse, db) = match self.render(start.as_ref()) {
            Ok(parts) => parts,
            Err(e) => return failed(e),
        };
        let limit = match options.page_limit() {
            Ok(limit) => limit,
            Err(e) => return failed(e),
        };
        let request = db
            .client
            .query()
            .table_name(&*name)
            .set_index_name(M::SOURCE.index().map(str::to_owned))
            .set_key_condition_expression(e.key_condition)
            .set_filter_expression(e.filter)
            .set_projection_expression(e.projection)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .set_limit(limit)
            .set_select(select)
            .set_consistent_read(options.consistent.then_some(true))
            .set_scan_index_forward(reverse.then_some(false));
        let call = table.call(Operation::Query);
        paged(
            move |start| {
                let request = request.clone().set_exclusive_start_key(start);
                let call = call.clone();
                async move { request.send().await.map_err(|e| error::from_sdk(call, e)) }
            },
            start,
        )
    }

    stream_methods!();
}

async fn count(
    mut pages: BoxStream<'static, Result<RawPage, Error>>,
    limit: Option<usize>,
) -> Result<u64, Error> {
    let mut total = 0usize;
    while let Some(page) = pages.next().await {
        total += page?.count;
        if let Some(n) = limit
            && total >= n
        {
            return Ok(n as u64);
        }
    }
    Ok(total as u64)
}

impl<'t, M: Model> Scan<'t, M, Unset, Unset> {
    pub(crate) fn new(table: &'t Table<M>) -> Self {
        Scan {
            table,
            filter: Unset,
            projection: Unset,
            options: ReadOptions::default(),
            segments: 1,
        }
    }
}

impl<'t, M: Model, P> Scan<'t, M, Unset, P> {
    /// Keeps only the items matching `filter` (`cond!`), applied after reading.
    pub fn filter<F, C>(self, filter: F) -> Scan<'t, M, With<F>, P>
    where
        F: FnOnce(&'static M::Fields) -> C,
        C: awstin_core::Condition<Model = M>,
    {
        Scan {
            table: self.table,
            filter: With(filter),
            projection: self.projection,
            options: self.options,
            segments: self.segments,
        }
    }
}

impl<'t, M: Model, F> Scan<'t, M, F, Unset> {
    /// Reads only these paths (`project!`).
    pub fn project<P, R>(self, projection: P) -> Scan<'t, M, F, With<P>>
    where
        P: FnOnce(&'static M::Fields) -> R,
        R: awstin_core::Projection<Model = M>,
    {
        Scan {
            table: self.table,
            filter: self.filter,
            projection: With(projection),
            options: self.options,
            segments: self.segments,
        }
    }
}

impl<M, F, P> Scan<'_, M, F, P>
where
    M: Model,
    F: FilterArg<M>,
    P: ProjectionArg<M>,
{
    read_options!();

    /// A parallel scan has a position per segment: one cursor cannot name it.
    fn check_pageable(&self) -> Result<(), Error> {
        if self.segments == 1 {
            return Ok(());
        }
        Err(Error::InvalidOption {
            option: "segments",
            value: self.segments.into(),
            allowed: "1 segment when paging with a cursor",
        })
    }

    /// Scans in `n` segments (DynamoDB takes 1 to 1,000,000), reading up to
    /// [`PARALLEL_SEGMENTS`] of them at once and merging their items as they arrive. Any
    /// other `n` is [`Error::InvalidOption`] when the stream is polled.
    pub fn segments(mut self, n: u32) -> Self {
        self.segments = n;
        self
    }

    fn pages(
        self,
        select: Option<Select>,
        start: Option<Item>,
    ) -> BoxStream<'static, Result<RawPage, Error>> {
        let filter = self.filter.build();
        let projection = self.projection.build();
        let rendered = self
            .options
            .unexpired
            .map(unexpired::<M>)
            .transpose()
            .and_then(|expiry| {
                finish_read(Render::new(), filter, expiry, projection.as_ref(), false)
            });
        let e = match rendered {
            Ok(e) => e,
            Err(e) => return failed(e),
        };
        let options = self.options;
        let total = self.segments;
        if !(1..=MAX_SEGMENTS).contains(&total) {
            return failed(Error::InvalidOption {
                option: "segments",
                value: total.into(),
                allowed: "1 to 1,000,000 segments",
            });
        }

        let limit = match options.page_limit() {
            Ok(limit) => limit,
            Err(e) => return failed(e),
        };
        let name = match self.table.bound() {
            Ok(name) => name.clone(),
            Err(e) => return failed(e),
        };
        let request = self
            .table
            .db
            .client
            .scan()
            .table_name(&*name)
            .set_index_name(M::SOURCE.index().map(str::to_owned))
            .set_filter_expression(e.filter)
            .set_projection_expression(e.projection)
            .set_expression_attribute_names(e.names)
            .set_expression_attribute_values(e.values)
            .set_limit(limit)
            .set_select(select)
            .set_consistent_read(options.consistent.then_some(true));
        let call = self.table.call(Operation::Scan);
        let segment = move |i: u32| {
            let request = if total > 1 {
                request
                    .clone()
                    .segment(i32::try_from(i).unwrap_or(i32::MAX))
                    .total_segments(i32::try_from(total).unwrap_or(i32::MAX))
            } else {
                request.clone()
            };
            let call = call.clone();
            paged(
                move |start| {
                    let request = request.clone().set_exclusive_start_key(start);
                    let call = call.clone();
                    async move { request.send().await.map_err(|e| error::from_sdk(call, e)) }
                },
                start.clone(),
            )
        };
        stream::iter((0..total).map(segment))
            .flatten_unordered(PARALLEL_SEGMENTS)
            .boxed()
    }

    stream_methods!();
}

impl<M, K, KC, F> Query<'_, M, K, F, Unset, KC>
where
    M: Model,
    K: FnOnce(&'static M::Fields) -> KC,
    F: FilterArg<M>,
{
    count_method!();
}

impl<M, F> Scan<'_, M, F, Unset>
where
    M: Model,
    F: FilterArg<M>,
{
    count_method!();
}
