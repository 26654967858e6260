//! Query and Scan: builders that describe their read once (the core's
//! [`ReadSpec`](awstin_core::op::ReadSpec), the description the JSON backend writes too) and
//! stream items lazily, page by page.

use awstin_core::cond::functions as cond_fn;
use awstin_core::cond::{And, Compare, NotExists, Or, Val, compare, op};
use awstin_core::op::{Never, Read, ReadSpec, StartKey};
use awstin_core::{
    Collection, Condition, DecodeFrom, Field, KeyCondition, Model, NotKey, Projection, Ttl,
};
use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use super::backend;
use super::builders::{FilterArg, ProjectionArg, Unset, With};
use super::codec::{AvRef, Item, from_item};
use super::cursor::{self, CursorKey, Page};
use super::error::{self, Error, Operation};
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
    /// The requests a page sends at most.
    reads: Option<u32>,
    /// Items of every entity type are read (a collection's query).
    every_entity: bool,
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

/// Builds `spec` with its filter: the caller's, the expiry clause, or both joined with `AND`,
/// and hands the read to `emit`, a backend.
fn filtered<M, KC, P, C, R>(
    spec: ReadSpec<'_, M, KC, Never<M>, P>,
    filter: Option<C>,
    expiry: Option<Unexpired<M>>,
    emit: impl FnOnce(Read<'_>) -> Result<R, Error>,
) -> Result<R, Error>
where
    M: Model,
    C: Condition<Model = M>,
    P: Projection,
{
    // Each arm makes its filter before the spec borrows it.
    match (filter, expiry) {
        (Some(c), Some(u)) => {
            let both = And(c, u);
            spec.filter(&both).build(emit)
        }
        (Some(c), None) => spec.filter(&c).build(emit),
        (None, Some(u)) => spec.filter(&u).build(emit),
        (None, None) => spec.build(emit),
    }
}

/// Segments of a parallel scan read at once.
pub const PARALLEL_SEGMENTS: usize = 16;

impl ReadOptions {
    /// DynamoDB's `Limit` for each page: the page size, else the total limit (at least 1);
    /// a page size of 0 is refused when the read is built.
    fn page_limit(&self) -> Option<u32> {
        match (self.page_size, self.limit) {
            (Some(p), _) => Some(p),
            (None, Some(n)) => Some(u32::try_from(n).unwrap_or(u32::MAX).max(1)),
            (None, None) => None,
        }
    }
}

/// The core names DynamoDB's `Limit`; here the option a user set is `page_size`.
fn as_page_size(e: awstin_core::Error) -> awstin_core::Error {
    match e {
        awstin_core::Error::InvalidOption {
            option: "limit",
            value,
            allowed,
        } => awstin_core::Error::InvalidOption {
            option: "page_size",
            value,
            allowed,
        },
        e => e,
    }
}

fn failed(e: Error) -> BoxStream<'static, Result<RawPage, Error>> {
    stream::once(async { Err(e) }).boxed()
}

/// Reads a page of `n` items through `send`: each request asks for what the page lacks (and
/// one more when `peek`, and then twice the request before), until the page is full, the read
/// ends, or `budget` requests were sent. The items and the key of the next page: that of the last item returned when an item
/// follows it in hand (by the attributes of the key DynamoDB stopped at, else by `names`), else
/// the key DynamoDB stopped at. (DynamoDB gives the key it stopped at whenever it stops at the
/// `Limit`, so an item in hand comes with it; without it, and without `names`, the items in
/// hand are kept in the page, none lost.)
async fn fill(
    send: &SendPage,
    n: u32,
    budget: u32,
    peek: bool,
    names: Option<Vec<&'static str>>,
) -> Result<(Vec<Item>, Option<Item>), Error> {
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    let mut items: Vec<Item> = Vec::new();
    let mut from: Option<Item> = None;
    let mut asked = 0usize;
    for _ in 0..budget {
        let lacking = n - items.len();
        if lacking == 0 && !peek {
            break;
        }
        // What the page lacks and one more; after a request that did not fill the page (a
        // filter dropped items), twice what it asked, so that a sparse filter is read through
        // in a few requests. Through a projection, exactly what the page lacks.
        let ask = if peek {
            (lacking + 1).max(asked.saturating_mul(2))
        } else {
            lacking
        };
        asked = ask;
        let page = send(from.take(), Some(u32::try_from(ask).unwrap_or(u32::MAX))).await?;
        let mut got = page.items.into_iter().peekable();
        items.extend(got.by_ref().take(lacking));
        if got.peek().is_some() {
            let next = match (&page.last, &names, items.last()) {
                (Some(after), _, Some(at)) => Some(cursor::key_of(after, at)?),
                (None, Some(names), Some(at)) => Some(cursor::key_by_names(names, at)?),
                // No key to stop at: the items in hand stay in the page.
                _ => {
                    items.extend(got);
                    None
                }
            };
            return Ok((items, next));
        }
        match page.last {
            None => return Ok((items, None)),
            Some(last) => from = Some(last),
        }
    }
    Ok((items, from))
}

/// A Query being built: a key condition, then optional filter, projection and options.
/// Nothing is sent until the stream (or count) is polled.
#[must_use = "a query does nothing until its stream or count is awaited"]
pub struct Query<'t, M, K, F, P, KC> {
    table: &'t Table<M>,
    key: K,
    /// Describes the query: chosen where `query` checked that `KC` is a key condition, so
    /// that the methods of a query need no such bound (and a wrong key condition is one error
    /// at `query`, not another at each method after it).
    spec: QuerySpec<M, KC>,
    filter: F,
    projection: P,
    options: ReadOptions,
    reverse: bool,
}

/// The description of a query of `KC` on a table of the given name.
type QuerySpec<M, KC> = for<'a> fn(
    &'a str,
    &'a KC,
    Option<&'a StartKey>,
) -> Result<ReadSpec<'a, M, KC>, awstin_core::Error>;

fn query_spec<'a, M: Model, KC: KeyCondition<M>>(
    table: &'a str,
    key: &'a KC,
    start: Option<&'a StartKey>,
) -> Result<ReadSpec<'a, M, KC>, awstin_core::Error> {
    ReadSpec::query(table, key).after(start)
}

/// A query read into a collection `E` ([`Query::collection`]): its `stream` and `page` give
/// `E`, with the page options of a query.
///
/// ```no_run
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Customer { table "App"; entity "Customer"; key pk = "C#" id; key sk = "PROFILE"; attr id: String } }
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Order { table "App"; entity "Order"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 } }
/// awstin::dynamo_collection! { #[derive(Debug)] pub enum CustomerItems { Customer(Customer), Order(Order) } }
/// # async fn f(customers: awstin::dynamodb::Table<Customer>, cursor: Option<String>) -> Result<(), awstin::dynamodb::Error> {
/// let id = "c1";
/// let page = customers
///     .query(awstin::cond!(id == id))
///     .collection::<CustomerItems>()
///     .page_size(20)
///     .read_budget(4)
///     .page(cursor.as_deref())
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a query does nothing until its stream or page is awaited"]
pub struct Collected<Q, E>(Q, core::marker::PhantomData<fn() -> E>);

impl<M, K, KC, F, P, E> Collected<Query<'_, M, K, F, P, KC>, E>
where
    M: Model,
    K: FnOnce(&'static M::Fields) -> KC,
    F: FilterArg<M>,
    P: ProjectionArg<M>,
    E: for<'a> DecodeFrom<AvRef<'a>> + Send + 'static,
{
    /// Pages of `n` items (see [`Query::page`]).
    pub fn page_size(self, n: u32) -> Self {
        Collected(self.0.page_size(n), self.1)
    }

    /// Requests a page sends at most (see [`Query::read_budget`]).
    pub fn read_budget(self, requests: u32) -> Self {
        Collected(self.0.read_budget(requests), self.1)
    }

    /// Signs and checks the cursors of `page` with `key` (see [`Query::cursor_key`]).
    pub fn cursor_key(self, key: CursorKey) -> Self {
        Collected(self.0.cursor_key(key), self.1)
    }

    /// The items, lazily paginated, each as its model's variant.
    pub fn stream(self) -> impl Stream<Item = Result<E, Error>> + Send + 'static {
        self.0.stream_as::<E>()
    }

    /// One page of up to the page size items and the cursor of the next (see
    /// [`Query::page`]).
    pub async fn page(self, cursor: Option<&str>) -> Result<Page<E>, Error> {
        self.0.page_as::<E>(cursor).await
    }
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

/// A described Query or Scan request of the SDK, sent again from a key with a limit.
trait PageRequest: Clone + Send + Sync + 'static {
    /// The request from `start` (as described when `None`), reading `limit` items at most
    /// (as described when `None`).
    fn from(self, start: Option<Item>, limit: Option<u32>) -> Self;
    /// Sends it.
    fn send_page(
        self,
        call: error::Call,
    ) -> futures::future::BoxFuture<'static, Result<RawPage, Error>>;
}

macro_rules! page_request {
    ($($builder:ty),*) => {$(
        impl PageRequest for $builder {
            fn from(self, start: Option<Item>, limit: Option<u32>) -> Self {
                let request = match start {
                    Some(start) => self.set_exclusive_start_key(Some(start)),
                    None => self,
                };
                match limit {
                    Some(n) => request.limit(backend::count(n)),
                    None => request,
                }
            }
            fn send_page(self, call: error::Call) -> futures::future::BoxFuture<'static, Result<RawPage, Error>> {
                Box::pin(async move {
                    self.send()
                        .await
                        .map(PageOutput::into_page)
                        .map_err(|e| error::from_sdk(call, e))
                })
            }
        }
    )*};
}

page_request!(
    aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
    aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder
);

/// Sends one page of a described request: from a key (the request's own start when `None`),
/// with a limit (the request's own when `None`).
type SendPage = Box<
    dyn Fn(Option<Item>, Option<u32>) -> futures::future::BoxFuture<'static, Result<RawPage, Error>>
        + Send
        + Sync,
>;

fn sender<R: PageRequest>(request: R, call: error::Call) -> SendPage {
    Box::new(move |start, limit| request.clone().from(start, limit).send_page(call.clone()))
}

/// The requests a page sends at most, unless its read says otherwise (`read_budget`).
const PAGE_READS: u32 = 8;

/// Pages of a request, fetched one at a time as the stream is polled: `send(None)` sends the
/// request as described (from a cursor's start key, if any), `send(Some(key))` from the key
/// the page before stopped at.
fn paged(send: SendPage) -> BoxStream<'static, Result<RawPage, Error>> {
    stream::try_unfold((send, Some(None)), |(send, state)| async move {
        let Some(start) = state else { return Ok(None) };
        let page = send(start, None).await?;
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
        /// [`Refusal::InvalidOption`](crate::dynamodb::Refusal::InvalidOption) when the stream is polled; sizes above `i32::MAX` read as
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
        /// Sends one page of the described request at a time (see `page`).
        fn sender(self, start: Option<StartKey>) -> Result<SendPage, Error> {
            let (request, call) = self.request(false, start)?;
            Ok(sender(request, call))
        }

        /// The raw items, lazily paginated.
        pub fn items(self) -> impl Stream<Item = Result<Item, Error>> + Send + 'static {
            let limit = self.options.limit;
            items(self.pages(false, None), limit)
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

        /// Requests a [`page`](Self::page) sends at most to fill itself (8 unless set; 1 to
        /// 1,000, else [`Refusal::InvalidOption`](crate::dynamodb::Refusal::InvalidOption) when
        /// the page is read).
        pub fn read_budget(mut self, requests: u32) -> Self {
            self.options.reads = Some(requests);
            self
        }

        /// One page, for an API that pages its clients: up to
        /// [`page_size`](Self::page_size) items that pass the filter, and the cursor of the
        /// next page, `None` after the last. `cursor` is one a previous page returned (`None`
        /// for the first); one that is not, or that was made for another table, index or model,
        /// is [`Refusal::InvalidCursor`](crate::dynamodb::Refusal::InvalidCursor) before anything is sent. See [`cursor_key`](Self::cursor_key)
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
        /// DynamoDB counts its `Limit` before the filter, so one request of a filtered read
        /// may return fewer items than asked, or none, while more follow. A page reads on:
        /// each request asks for the items the page still lacks and one more (to know that a
        /// next page exists), or twice what the request before it asked when that is more (a
        /// sparse filter is read through in a few requests: 8 requests of a page of 3 read up
        /// to 4 + 8 + ... + 512 = 1,020 items), until the page is full, the read ends, or the
        /// page has sent its [`read_budget`](Self::read_budget) of requests (8 by default). Only then may a
        /// page hold fewer items than its size with a cursor after it: the cursor is where the
        /// reading stopped. The cursor is the key of the last item returned when an item
        /// follows it in hand, else the key DynamoDB stopped at. Through a projection (which
        /// may leave the key out) and for an index model declared on a table's name (whose
        /// table key is not known), a request asks for what the page lacks, no more, and the
        /// last page can be empty. Without a page size, a page is one request as DynamoDB
        /// pages it.
        pub async fn page(self, cursor: Option<&str>) -> Result<Page<M>, Error>
        where
            M: for<'a> DecodeFrom<AvRef<'a>>,
        {
            self.page_as(cursor).await
        }

        /// One [`page`](Self::page) of items read as another model `V` (as
        /// [`stream_as`](Self::stream_as) reads them).
        ///
        /// ```no_run
        /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: String } }
        /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Title { table "Movies"; key year: u32; key title: String } }
        /// # async fn f(movies: awstin::dynamodb::Table<Movie>) -> Result<(), awstin::dynamodb::Error> {
        /// let y = 1992;
        /// let page = movies.query(awstin::cond!(year == y)).page_size(10).page_as::<Title>(None).await?;
        /// # Ok(()) }
        /// ```
        pub async fn page_as<V>(self, cursor: Option<&str>) -> Result<Page<V>, Error>
        where
            V: for<'a> DecodeFrom<AvRef<'a>>,
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
            let budget = self.options.reads.unwrap_or(PAGE_READS);
            if !(1..=1000).contains(&budget) {
                return Err(Error::from(awstin_core::Error::InvalidOption {
                    option: "read_budget",
                    value: budget.into(),
                    allowed: "1 to 1,000 requests",
                }));
            }
            // The key of an item in hand names the table's key and the index's: unknown for an
            // index model declared on a table's name.
            let known_key = M::SOURCE.index().is_none() || M::TABLE_KEY.is_some();
            let names = known_key.then(cursor::key_names::<M>);
            let send = self.sender(start)?;
            let (items, next) = match size.filter(|&n| n > 0 && n < u32::MAX) {
                None => {
                    let page = send(None, None).await?;
                    (page.items, page.last)
                }
                Some(n) => fill(&send, n, budget, !P::GIVEN, names).await?,
            };
            let items = items
                .iter()
                .map(|item| from_item(item).map_err(Error::from))
                .collect::<Result<Vec<V>, Error>>()?;
            let next = next
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
            let pages = self.pages(true, None);
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
            spec: query_spec::<M, KC>,
            filter: Unset,
            projection: Unset,
            options: ReadOptions::default(),
            reverse: false,
        }
    }
}

impl<'t, M: Model, K, P, KC> Query<'t, M, K, Unset, P, KC> {
    /// Filters the items the key condition selects (`cond!`). Naming a key attribute of the
    /// table or index queried is [`Error::Refused`](crate::dynamodb::Error::Refused)`(`[`KeyInFilter`](awstin_core::Error::KeyInFilter)`)`,
    /// before anything is sent: keys belong in the key condition.
    pub fn filter<F, C>(self, filter: F) -> Query<'t, M, K, With<F>, P, KC>
    where
        F: FnOnce(&'static M::Fields) -> C,
        C: awstin_core::Condition<Model = M>,
    {
        Query {
            table: self.table,
            key: self.key,
            spec: self.spec,
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
            spec: self.spec,
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

    /// Reads the items of the key condition into collection `E`: every entity type of the
    /// partition, each item as its own model's variant (an item of another type as `E`'s
    /// `Other`, never skipped). Pages and signed cursors work as for the model.
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Customer { table "App"; entity "Customer"; key pk = "C#" id; key sk = "PROFILE"; attr id: String } }
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Order { table "App"; entity "Order"; key pk = "C#" customer; key sk = "O#" n; attr customer: String; attr n: u32 } }
    /// awstin::dynamo_collection! { #[derive(Debug)] pub enum CustomerItems { Customer(Customer), Order(Order) } }
    /// # async fn f(customers: awstin::dynamodb::Table<Customer>) -> Result<(), awstin::dynamodb::Error> {
    /// use futures::TryStreamExt as _;
    /// let id = "c1";
    /// let items: Vec<CustomerItems> = customers
    ///     .query(awstin::cond!(id == id))
    ///     .collection::<CustomerItems>()
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn collection<E: Collection<Model = M>>(mut self) -> Collected<Self, E> {
        self.options.every_entity = true;
        Collected(self, core::marker::PhantomData)
    }

    /// The request as the SDK's, described and checked once.
    fn request(
        self,
        count: bool,
        start: Option<StartKey>,
    ) -> Result<
        (
            aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder,
            error::Call,
        ),
        Error,
    > {
        let table = self.table;
        let call = table.call(Operation::Query);
        let name = table.bound()?;
        let key = (self.key)(M::FIELDS);
        let filter = self.filter.build();
        let expiry = self.options.unexpired.map(unexpired::<M>).transpose()?;
        let projection = self.projection.build();
        let spec = (self.spec)(name, &key, start.as_ref())?
            .project_opt(projection.as_ref())
            .limit_opt(self.options.page_limit())
            .map_err(as_page_size)?
            .consistent(self.options.consistent)
            .count(count);
        let spec = if self.reverse { spec.reverse() } else { spec };
        let spec = if self.options.every_entity {
            spec.every_entity()
        } else {
            spec
        };
        let request = filtered(spec, filter, expiry, |read| {
            backend::query(&table.db.client, read)
        })?;
        Ok((request, call))
    }

    fn pages(
        self,
        count: bool,
        start: Option<StartKey>,
    ) -> BoxStream<'static, Result<RawPage, Error>> {
        match self.request(count, start) {
            Ok((request, call)) => paged(sender(request, call)),
            Err(e) => failed(e),
        }
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
        Err(Error::from(awstin_core::Error::InvalidOption {
            option: "segments",
            value: self.segments.into(),
            allowed: "1 segment when paging with a cursor",
        }))
    }

    /// Scans in `n` segments (DynamoDB takes 1 to 1,000,000), reading up to
    /// [`PARALLEL_SEGMENTS`] of them at once and merging their items as they arrive. Any
    /// other `n` is [`Refusal::InvalidOption`](crate::dynamodb::Refusal::InvalidOption) when the stream is polled.
    pub fn segments(mut self, n: u32) -> Self {
        self.segments = n;
        self
    }

    /// The request of segment 0 as the SDK's, described and checked once.
    fn request(
        self,
        count: bool,
        start: Option<StartKey>,
    ) -> Result<
        (
            aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder,
            error::Call,
        ),
        Error,
    > {
        let table = self.table;
        let call = table.call(Operation::Scan);
        let name = table.bound()?;
        let filter = self.filter.build();
        let expiry = self.options.unexpired.map(unexpired::<M>).transpose()?;
        let projection = self.projection.build();
        let spec = ReadSpec::<M>::scan(name)
            .project_opt(projection.as_ref())
            .after(start.as_ref())?
            .limit_opt(self.options.page_limit())
            .map_err(as_page_size)?
            .consistent(self.options.consistent)
            .count(count)
            .segment(0, self.segments)?;
        let request = filtered(spec, filter, expiry, |read| {
            backend::scan(&table.db.client, read)
        })?;
        Ok((request, call))
    }

    fn pages(
        self,
        count: bool,
        start: Option<StartKey>,
    ) -> BoxStream<'static, Result<RawPage, Error>> {
        let total = self.segments;
        let (request, call) = match self.request(count, start) {
            Ok(described) => described,
            Err(e) => return failed(e),
        };
        // Segment 0 is described and checked; the others differ by their number alone.
        let segment = move |i: u32| {
            let request = if total > 1 {
                request.clone().segment(backend::count(i))
            } else {
                request.clone()
            };
            paged(sender(request, call.clone()))
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
