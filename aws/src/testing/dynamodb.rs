//! An embedded local DynamoDB and temporary tables made from a model's own key schema.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType, TableStatus,
};
use awstin_core::{AttributeType, KeyAttribute, KeySchema, Model, Source, TableModel};
use futures::FutureExt;
use tokio::sync::oneshot;

use crate::dynamodb::error::{self, Call, Error, Operation, ServiceError};
use crate::dynamodb::{DynamoDb, Table};

/// An in-process DynamoDB (the `dynoxide` emulator) serving an empty in-memory database on
/// `127.0.0.1` at a free port. It stops when dropped.
///
/// ```no_run
/// # async fn f() -> Result<(), awstin::dynamodb::Error> {
/// let local = awstin::testing::LocalDynamoDb::start().await?;
/// let db = local.db();
/// assert!(db.list_tables().await?.is_empty());
/// # Ok(()) }
/// ```
pub struct LocalDynamoDb {
    endpoint: String,
    db: DynamoDb,
    database: dynoxide::Database,
    stop: Option<oneshot::Sender<()>>,
}

impl LocalDynamoDb {
    /// Starts a server with an empty database.
    pub async fn start() -> Result<LocalDynamoDb, Error> {
        let config = |message: String| Error::Configuration { message };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| config(format!("binding 127.0.0.1: {e}")))?;
        let addr = listener.local_addr().map_err(|e| config(e.to_string()))?;
        let database =
            dynoxide::Database::memory().map_err(|e| config(format!("local DynamoDB: {e}")))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let served = database.clone();
        tokio::spawn(async move {
            if let Err(e) = dynoxide::server::serve_with_shutdown(listener, served, async {
                let _ = stopped.await;
            })
            .await
            {
                tracing::error!(error = %e, "local DynamoDB stopped");
            }
        });
        let endpoint = format!("http://{addr}");
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(&endpoint)
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("test", "test", None, None, "awstin-local"))
            .build();
        let db = DynamoDb::from_client(aws_sdk_dynamodb::Client::from_conf(config));
        Ok(LocalDynamoDb {
            endpoint,
            db,
            database,
            stop: Some(stop),
        })
    }

    /// The endpoint URL (`http://127.0.0.1:PORT`), e.g. for `TEST_DYNAMODB_ENDPOINT`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A client of this server.
    pub fn db(&self) -> &DynamoDb {
        &self.db
    }

    /// Every record of `table`'s stream so far, oldest first, as the event a stream-triggered
    /// Lambda function receives (`{"Records": [...]}`, each record as the emulator's
    /// GetRecords gave it, with its `eventSourceARN`). The table needs a stream
    /// ([`TableSpec::with_stream`]).
    ///
    /// ```no_run
    /// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// # async fn f() -> Result<(), awstin::dynamodb::Error> {
    /// use awstin::testing::{create_table, LocalDynamoDb, TableSpec};
    /// use aws_sdk_dynamodb::types::StreamViewType;
    /// let local = LocalDynamoDb::start().await?;
    /// create_table(local.db(), &TableSpec::of::<Movie>()?.with_stream(StreamViewType::NewAndOldImages)).await?;
    /// local.db().table::<Movie>().put(&Movie { year: 2013, title: "Rush".into() }).await?;
    /// let event = local.stream_event("Movies")?;
    /// assert_eq!(event["Records"][0]["eventName"], "INSERT");
    /// # Ok(()) }
    /// ```
    pub fn stream_event(&self, table: &str) -> Result<serde_json::Value, Error> {
        use dynoxide::actions::{describe_stream, get_records, get_shard_iterator, list_streams};
        let failed = |e: dynoxide::errors::DynoxideError| Error::Configuration {
            message: format!("reading the stream of {table}: {e}"),
        };
        let streams = self
            .database
            .list_streams(list_streams::ListStreamsRequest {
                table_name: Some(table.to_owned()),
                ..Default::default()
            })
            .map_err(failed)?;
        let Some(stream) = streams.streams.first() else {
            return Err(Error::Configuration {
                message: format!("table {table} has no stream"),
            });
        };
        let arn = stream.stream_arn.clone();
        let shards = self
            .database
            .describe_stream(describe_stream::DescribeStreamRequest {
                stream_arn: arn.clone(),
                ..Default::default()
            })
            .map_err(failed)?
            .stream_description
            .shards;
        let mut records = Vec::new();
        for shard in shards {
            let mut iterator = self
                .database
                .get_shard_iterator(get_shard_iterator::GetShardIteratorRequest {
                    stream_arn: arn.clone(),
                    shard_id: shard.shard_id,
                    shard_iterator_type: "TRIM_HORIZON".to_owned(),
                    sequence_number: None,
                })
                .map_err(failed)?
                .shard_iterator;
            while let Some(shard_iterator) = iterator {
                let page = self
                    .database
                    .get_records(get_records::GetRecordsRequest {
                        shard_iterator,
                        limit: None,
                    })
                    .map_err(failed)?;
                if page.records.is_empty() {
                    break;
                }
                for record in page.records {
                    let mut json =
                        serde_json::to_value(&record).map_err(|e| Error::Configuration {
                            message: format!("a stream record of {table}: {e}"),
                        })?;
                    json["eventSourceARN"] = serde_json::Value::String(arn.clone());
                    records.push(json);
                }
                iterator = page.next_shard_iterator;
            }
        }
        Ok(serde_json::json!({ "Records": records }))
    }
}

impl std::fmt::Debug for LocalDynamoDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalDynamoDb")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Drop for LocalDynamoDb {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The definition of a table to create: a table model's key schema, plus the global secondary
/// indexes of its index models.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// The name the table is created under.
    name: String,
    /// The table its models name, which index models must name too.
    table: &'static str,
    key: KeySchema,
    /// Each index's name and key attributes: partition, then sort (several for a
    /// multi-attribute key).
    indexes: Vec<(&'static str, Keys)>,
    stream: Option<StreamViewType>,
}

impl TableSpec {
    /// The table of model `M` (a table model).
    pub fn of<M: TableModel>() -> Result<TableSpec, Error> {
        Ok(TableSpec {
            name: M::SOURCE.table().to_owned(),
            table: M::SOURCE.table(),
            key: M::KEY,
            indexes: Vec::new(),
            stream: None,
        })
    }

    /// The same table, created under `name` instead of its model's name: a table of each test
    /// on one endpoint, reached with [`DynamoDb::table_named`](crate::dynamodb::DynamoDb::table_named).
    /// A name DynamoDB would not take is [`Refusal::InvalidTableName`](crate::dynamodb::Refusal::InvalidTableName).
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::testing::TableSpec;
    /// let spec = TableSpec::of::<Movie>()?.named("Movies-test-7")?;
    /// assert_eq!(spec.name(), "Movies-test-7");
    /// assert!(TableSpec::of::<Movie>()?.named("no spaces").is_err());
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn named(mut self, name: impl Into<String>) -> Result<TableSpec, Error> {
        let name = name.into();
        if let Some(reason) = awstin_core::limits::table_name_refusal(&name) {
            return Err(Error::from(awstin_core::Error::InvalidTableName { reason }));
        }
        self.name = name;
        Ok(self)
    }

    /// The name the table is created under.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// assert_eq!(awstin::testing::TableSpec::of::<Movie>()?.name(), "Movies");
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Gives the table a stream that keeps `view` (keys only, new, old, or both images), read
    /// back with [`LocalDynamoDb::stream_event`].
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use aws_sdk_dynamodb::types::StreamViewType;
    /// let spec = awstin::testing::TableSpec::of::<Movie>()?.with_stream(StreamViewType::KeysOnly);
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    #[must_use]
    pub fn with_stream(mut self, view: StreamViewType) -> TableSpec {
        self.stream = Some(view);
        self
    }

    /// Adds another table model of the same table: a table shared by several models (one per
    /// entity type, each with its `entity` line). Its table and key must be the spec's (the
    /// same attribute names and types), else [`Error::Configuration`] naming what differs.
    ///
    /// ```
    /// # awstin::dynamo_model! { pub struct User { table "App"; entity "User"; key pk: String; key sk: String; attr name: String } }
    /// # awstin::dynamo_model! { pub struct Order { table "App"; entity "Order"; key pk: String; key sk: String; attr total: f64 } }
    /// # awstin::dynamo_model! { pub struct Movie { table "Movies"; key year: u32; key title: String } }
    /// use awstin::testing::TableSpec;
    /// let app = TableSpec::of::<User>()?.with_model::<Order>()?;
    /// assert!(TableSpec::of::<User>()?.with_model::<Movie>().is_err());
    /// # let _ = app;
    /// # Ok::<(), awstin::dynamodb::Error>(())
    /// ```
    pub fn with_model<N: TableModel>(self) -> Result<TableSpec, Error> {
        let table = N::SOURCE.table();
        if table != self.table {
            return Err(Error::Configuration {
                message: format!(
                    "a model of table {table} is not a model of table {}",
                    self.table
                ),
            });
        }
        if N::KEY != self.key {
            return Err(Error::Configuration {
                message: format!(
                    "a model of table {table} has another key ({:?}) than the table's ({:?})",
                    N::KEY,
                    self.key
                ),
            });
        }
        Ok(self)
    }

    /// Adds index model `I` as a global secondary index (projecting all attributes).
    pub fn with_index<I: Model>(mut self) -> Result<TableSpec, Error> {
        match I::SOURCE {
            Source::Index { index, table } if table == self.table => {
                let keys = match I::MULTI_KEY {
                    Some(multi) => Keys {
                        partition: multi.partition.to_vec(),
                        sort: multi.sort.to_vec(),
                    },
                    None => Keys::of(&I::KEY),
                };
                self.indexes.push((index, keys));
                Ok(self)
            }
            Source::Index { index, table } => {
                Err(Error::from(awstin_core::Error::IndexOfAnotherTable {
                    index,
                    table,
                }))
            }
            Source::Table(table) => Err(Error::from(awstin_core::Error::IndexOfAnotherTable {
                index: "",
                table,
            })),
        }
    }
}

fn scalar(t: AttributeType) -> ScalarAttributeType {
    match t {
        AttributeType::N => ScalarAttributeType::N,
        AttributeType::B => ScalarAttributeType::B,
        _ => ScalarAttributeType::S,
    }
}

/// A key's attributes: the partition key's, then the sort key's (one each, or up to four each
/// for an index's multi-attribute key).
#[derive(Debug, Clone)]
struct Keys {
    partition: Vec<KeyAttribute>,
    sort: Vec<KeyAttribute>,
}

impl Keys {
    fn of(key: &KeySchema) -> Keys {
        Keys {
            partition: vec![key.partition],
            sort: key.sort.into_iter().collect(),
        }
    }
}

fn key_elements(key: &Keys) -> Vec<KeySchemaElement> {
    let element = |name: &str, t: KeyType| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(t)
            .build()
            .ok()
    };
    let partition = key
        .partition
        .iter()
        .filter_map(|a| element(a.name, KeyType::Hash));
    let sort = key
        .sort
        .iter()
        .filter_map(|a| element(a.name, KeyType::Range));
    partition.chain(sort).collect()
}

/// Creates the table of `spec` and waits until it is active.
pub async fn create_table(db: &DynamoDb, spec: &TableSpec) -> Result<(), Error> {
    // Each key attribute defined once; one of two types (an index's key of another type than
    // the table's attribute of that name) is a mistake in the models, refused.
    let mut definitions: Vec<(&str, AttributeType)> = Vec::new();
    let table_key = Keys::of(&spec.key);
    for key in std::iter::once(&table_key).chain(spec.indexes.iter().map(|(_, k)| k)) {
        for attribute in key.partition.iter().chain(&key.sort).copied() {
            match definitions.iter().find(|(n, _)| *n == attribute.name) {
                Some((_, t)) if *t != attribute.attribute_type => {
                    return Err(Error::Configuration {
                        message: format!(
                            "key attribute {} is of two types in the table's models: {t:?} and {:?}",
                            attribute.name, attribute.attribute_type
                        ),
                    });
                }
                Some(_) => {}
                None => definitions.push((attribute.name, attribute.attribute_type)),
            }
        }
    }
    let call = Call::new(Operation::CreateTable, spec.name.as_str());
    let built = |e: aws_sdk_dynamodb::error::BuildError| Error::Service {
        call: call.clone(),
        source: ServiceError::uncoded(e),
    };
    let mut request = db
        .client()
        .create_table()
        .table_name(&spec.name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_key_schema(Some(key_elements(&table_key)));
    for (name, t) in definitions {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(scalar(t))
                .build()
                .map_err(built)?,
        );
    }
    if let Some(view) = &spec.stream {
        request = request.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(view.clone())
                .build()
                .map_err(built)?,
        );
    }
    for (index, key) in &spec.indexes {
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(*index)
                .set_key_schema(Some(key_elements(key)))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
                .map_err(built)?,
        );
    }
    request.send().await.map_err(|e| error::from_sdk(call, e))?;
    for _ in 0..200 {
        let out = db
            .client()
            .describe_table()
            .table_name(&spec.name)
            .send()
            .await
            .map_err(|e| {
                error::from_sdk(Call::new(Operation::DescribeTable, spec.name.as_str()), e)
            })?;
        if out.table.and_then(|t| t.table_status) == Some(TableStatus::Active) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Err(Error::Configuration {
        message: format!("table {} did not become active", spec.name),
    })
}

/// Deletes the table `name`.
pub async fn delete_table(db: &DynamoDb, name: &str) -> Result<(), Error> {
    db.client()
        .delete_table()
        .table_name(name)
        .send()
        .await
        .map_err(|e| error::from_sdk(Call::new(Operation::DeleteTable, name), e))?;
    Ok(())
}

/// Runs `body` with a new table made from `spec` (under its [`name`](TableSpec::name)), then deletes the table, also when `body`
/// fails or panics (the panic then continues): no test leaves a table behind.
///
/// ```no_run
/// # awstin::dynamo_model! { #[derive(Debug)] pub struct Movie { table "Movies"; key year: u32; key title: String } }
/// # async fn f() -> Result<(), awstin::dynamodb::Error> {
/// use awstin::testing::{LocalDynamoDb, TableSpec, with_temporary_table};
/// let local = LocalDynamoDb::start().await?;
/// with_temporary_table(local.db(), TableSpec::of::<Movie>()?, |movies: awstin::dynamodb::Table<Movie>| async move {
///     movies.put(&Movie { year: 2015, title: "T".into() }).await
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub async fn with_temporary_table<M, F, Fut, T>(
    db: &DynamoDb,
    spec: TableSpec,
    body: F,
) -> Result<T, Error>
where
    M: Model,
    F: FnOnce(Table<M>) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    create_table(db, &spec).await?;
    let outcome = AssertUnwindSafe(body(db.table_named::<M>(&spec.name)))
        .catch_unwind()
        .await;
    let deleted = delete_table(db, &spec.name).await;
    match outcome {
        Ok(result) => {
            let value = result?;
            deleted?;
            Ok(value)
        }
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
