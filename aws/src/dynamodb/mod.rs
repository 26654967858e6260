//! DynamoDB: a client, tables reached through models, and the item codec.
//!
//! ```no_run
//! use awstin::dynamodb::DynamoDb;
//! use awstin::{cond, dynamo_model};
//! use futures::TryStreamExt;
//!
//! dynamo_model! {
//!     #[derive(Debug, Clone, PartialEq)]
//!     pub struct Movie { table "Movies"; key year: u32; key title: String; attr plot: Option<String> }
//! }
//!
//! # async fn run() -> Result<(), awstin::dynamodb::Error> {
//! let db = DynamoDb::from_env().await?;       // TEST_DYNAMODB_ENDPOINT, else AWS_REGION
//! let movies = db.table::<Movie>();
//! let year = 1985;
//! let found: Vec<Movie> = movies.query(cond!(year == year)).stream().try_collect().await?;
//! # Ok(()) }
//! ```

mod attempts;
use attempts::Recorder;
mod backend;
mod batch;
pub mod builders;
pub(crate) mod codec;
mod cursor;
pub(crate) mod error;
mod eval;
mod explain;
mod expr;
mod key;
mod names;
mod read;
#[cfg(feature = "serde")]
mod serde_bridge;
mod size;
mod table;
mod transact;
mod write;

use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;

pub use batch::{BatchGet, BatchOptions, BatchWrite};
pub use codec::{AvOwned, AvRef, Item, from_item, from_item_owned, to_attribute_value, to_item};
pub use cursor::{CursorKey, Page};
pub use error::{Call, Cancellation, Category, Conflict, Error, Operation, ServiceError, Stored};
pub use eval::{apply, apply_if, matches};
pub use explain::FalseClause;
pub use expr::{Expressions, Render};
pub use names::TableNames;
pub use read::{Collected, PARALLEL_SEGMENTS, Query, Scan};
#[cfg(feature = "serde")]
pub use serde_bridge::Serde;
pub use size::{MAX_ITEM_BYTES, item_size};
pub use table::{Get, Table};
pub use transact::{TransactGet, TransactGetResult, TransactWrite};
pub use write::{ConditionFailed, Write, Written};

/// Why a request was refused before anything was sent ([`Error::Refused`]): the core's
/// error, the same in the JSON backend, each variant naming the rule broken and its figures.
///
/// ```
/// use awstin::dynamodb::{Error, Refusal};
/// let e = Error::from(Refusal::InvalidCursor { reason: "made for another query" });
/// assert!(matches!(e, Error::Refused(Refusal::InvalidCursor { .. })));
/// ```
pub use awstin_core::Error as Refusal;

/// The AWS SDK for DynamoDB, as this crate uses it: its types appear in this API
/// (`AttributeValue`, `WriteRequest`, the client), and naming them through this path keeps
/// their version the one awstin was built with.
pub use aws_sdk_dynamodb as sdk;

/// The endpoint variable for tests: it wins over `AWS_REGION`.
pub const TEST_ENDPOINT_VAR: &str = "TEST_DYNAMODB_ENDPOINT";

/// Time bounds and retries of a client ([`DynamoDb::from_env_with`], [`DynamoDb::from_client_with`]).
///
/// Every call is bounded: an attempt that gets no answer within `attempt_timeout` is
/// abandoned (and retried), and a call with all its retries ends within `operation_timeout`,
/// as [`Error::Timeout`] for a read and [`Error::OutcomeUnknown`] for a write.
///
/// The defaults, and why: DynamoDB answers a request in milliseconds and a full 1 MB page in
/// well under a second, so an attempt silent for 5 s is a lost connection, not a slow
/// answer; four attempts of 5 s with the SDK's jittered backoff between them (at most 1, 2
/// and 4 s) take at most 27 s, inside the 30 s operation bound; connecting takes 5 s at
/// most, since a DynamoDB endpoint that does not accept a connection in 5 s is unreachable.
///
/// ```
/// use std::time::Duration;
/// let quick = awstin::dynamodb::ClientOptions {
///     attempt_timeout: Duration::from_millis(500),
///     ..awstin::dynamodb::ClientOptions::default()
/// };
/// assert_eq!(quick.operation_timeout, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientOptions {
    /// Time allowed to connect (default 5 s).
    pub connect_timeout: Duration,
    /// Time allowed for one attempt, from sending to the whole answer (default 5 s).
    pub attempt_timeout: Duration,
    /// Time allowed for a call, every attempt and backoff included (default 30 s).
    pub operation_timeout: Duration,
    /// Retries after the first attempt (default 3).
    pub max_retries: u32,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            connect_timeout: Duration::from_secs(5),
            attempt_timeout: Duration::from_secs(5),
            operation_timeout: Duration::from_secs(30),
            max_retries: 3,
        }
    }
}

impl ClientOptions {
    fn timeouts(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect_timeout)
            .operation_attempt_timeout(self.attempt_timeout)
            .operation_timeout(self.operation_timeout)
            .build()
    }
}

/// A DynamoDB client; tables are reached through models.
#[derive(Debug, Clone)]
pub struct DynamoDb {
    client: aws_sdk_dynamodb::Client,
    names: Arc<TableNames>,
}

impl DynamoDb {
    /// A client configured from the environment with default [`ClientOptions`]:
    /// `TEST_DYNAMODB_ENDPOINT` wins (static test credentials unless AWS credentials are set;
    /// region from `AWS_REGION`, else `us-east-1`), then `AWS_REGION` with the normal
    /// credential chain; with neither set, a [`Error::Configuration`] naming both.
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), awstin::dynamodb::Error> {
    /// let db = awstin::dynamodb::DynamoDb::from_env().await?;
    /// # Ok(()) }
    /// ```
    pub async fn from_env() -> Result<DynamoDb, Error> {
        DynamoDb::from_env_with(ClientOptions::default()).await
    }

    /// [`from_env`](DynamoDb::from_env) with chosen timeouts and retries.
    ///
    /// ```no_run
    /// # async fn f() -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::{ClientOptions, DynamoDb};
    /// let db = DynamoDb::from_env_with(ClientOptions { max_retries: 5, ..ClientOptions::default() }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn from_env_with(options: ClientOptions) -> Result<DynamoDb, Error> {
        let loader = crate::env::loader(TEST_ENDPOINT_VAR, "DynamoDB")
            .map_err(|message| Error::Configuration { message })?
            .timeout_config(options.timeouts())
            .retry_config(
                RetryConfig::standard().with_max_attempts(options.max_retries.saturating_add(1)),
            );
        let config = aws_sdk_dynamodb::Config::new(&loader.load().await);
        Ok(DynamoDb::wrap(aws_sdk_dynamodb::Client::from_conf(
            Recorder::install(&config).build(),
        )))
    }

    /// A client from a shared AWS configuration, as the SDK's own `Client::new(&SdkConfig)`:
    /// timeouts it leaves unset get the defaults of [`ClientOptions`].
    ///
    /// ```no_run
    /// # async fn f() {
    /// let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    /// let db = awstin::dynamodb::DynamoDb::from_sdk_config(&config);
    /// # }
    /// ```
    pub fn from_sdk_config(config: &aws_config::SdkConfig) -> DynamoDb {
        DynamoDb::from_client(aws_sdk_dynamodb::Client::new(config))
    }

    /// Wraps a client configured elsewhere. Timeouts the client leaves unset get the
    /// defaults of [`ClientOptions`] (timeouts it sets, or disables, stay as they are), so
    /// every call is bounded in time.
    ///
    /// ```no_run
    /// # async fn f() {
    /// let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    /// let db = awstin::dynamodb::DynamoDb::from_client(aws_sdk_dynamodb::Client::new(&config));
    /// # }
    /// ```
    pub fn from_client(client: aws_sdk_dynamodb::Client) -> DynamoDb {
        let defaults = ClientOptions::default().timeouts();
        let config = client.config();
        let timeouts = match config.timeout_config() {
            Some(set) => set
                .to_builder()
                .take_unset_from(defaults.into_builder())
                .build(),
            None => defaults,
        };
        let config = Recorder::install(config).timeout_config(timeouts).build();
        DynamoDb::wrap(aws_sdk_dynamodb::Client::from_conf(config))
    }

    /// Wraps a client configured elsewhere with the timeouts and retries of `options`: its
    /// timeouts and number of attempts replace the client's own; the client's retry mode and
    /// backoff, when it sets them, are kept.
    ///
    /// ```no_run
    /// # async fn f() {
    /// use awstin::dynamodb::{ClientOptions, DynamoDb};
    /// let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    /// let db = DynamoDb::from_client_with(aws_sdk_dynamodb::Client::new(&config), ClientOptions::default());
    /// # }
    /// ```
    pub fn from_client_with(client: aws_sdk_dynamodb::Client, options: ClientOptions) -> DynamoDb {
        let retries = client
            .config()
            .retry_config()
            .cloned()
            .unwrap_or_else(RetryConfig::standard)
            .with_max_attempts(options.max_retries.saturating_add(1));
        let config = Recorder::install(client.config())
            .timeout_config(options.timeouts())
            .retry_config(retries)
            .build();
        DynamoDb::wrap(aws_sdk_dynamodb::Client::from_conf(config))
    }

    fn wrap(client: aws_sdk_dynamodb::Client) -> DynamoDb {
        DynamoDb {
            client,
            names: Arc::new(TableNames::literal()),
        }
    }

    /// The same client, with its tables under the names of `names`: every
    /// [`table`](DynamoDb::table) of it goes to the name `names` gives the model's table.
    ///
    /// ```no_run
    /// awstin::dynamo_model! { pub struct Todo { table "Todos"; key id: String } }
    /// # async fn f() -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::dynamodb::{DynamoDb, TableNames};
    /// let db = DynamoDb::from_env().await?.with_table_names(TableNames::from_env([("Todos", "TODOS_TABLE")])?);
    /// let todos = db.table::<Todo>(); // the table TODOS_TABLE names
    /// # Ok(()) }
    /// ```
    #[must_use]
    pub fn with_table_names(mut self, names: TableNames) -> DynamoDb {
        self.names = Arc::new(names);
        self
    }

    /// The SDK client, for anything this crate does not cover.
    ///
    /// ```no_run
    /// # fn f(db: &awstin::dynamodb::DynamoDb) { let _sdk: &aws_sdk_dynamodb::Client = db.client(); }
    /// ```
    pub fn client(&self) -> &aws_sdk_dynamodb::Client {
        &self.client
    }

    /// The table (or index) of model `M`, under the name the model gives its table, or the
    /// one the client's [`TableNames`] give it.
    ///
    /// ```no_run
    /// awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) {
    /// let movies = db.table::<Movie>();
    /// assert_eq!(movies.name(), "Movies");
    /// # }
    /// ```
    pub fn table<M: awstin_core::Model>(&self) -> Table<M> {
        Table::new(self.clone(), self.names.resolve(M::SOURCE.table()))
    }

    /// The table of model `M` under the runtime name `name` (for an index model, the name of
    /// its table): a table a deployment named, a table per test. A name DynamoDB would not
    /// take is [`Refusal::InvalidTableName`] at the table's first call, before sending.
    ///
    /// ```no_run
    /// awstin::dynamo_model! { pub struct Todo { table "Todos"; key id: String } }
    /// # fn f(db: &awstin::dynamodb::DynamoDb) -> Result<(), std::env::VarError> {
    /// let todos = db.table_named::<Todo>(&std::env::var("TODOS_TABLE")?);
    /// # Ok(()) }
    /// ```
    pub fn table_named<M: awstin_core::Model>(&self, name: &str) -> Table<M> {
        Table::new(self.clone(), name.into())
    }

    /// Every table name, across all pages.
    ///
    /// ```no_run
    /// # async fn f(db: &awstin::dynamodb::DynamoDb) -> Result<(), awstin::dynamodb::Error> {
    /// for name in db.list_tables().await? { println!("{name}"); }
    /// # Ok(()) }
    /// ```
    pub async fn list_tables(&self) -> Result<Vec<String>, Error> {
        let mut names = Vec::new();
        let mut start: Option<String> = None;
        loop {
            let out = self
                .client
                .list_tables()
                .set_exclusive_start_table_name(start.take())
                .send()
                .await
                .map_err(|e| error::from_sdk(Call::new(Operation::ListTables, ""), e))?;
            names.extend(out.table_names.unwrap_or_default());
            match out.last_evaluated_table_name {
                Some(next) => start = Some(next),
                None => return Ok(names),
            }
        }
    }
}
