//! A todo service's HTTP API as an axum router on `lambda_http`: each user's todos in one
//! table, created once per idempotency key, listed a page at a time with signed cursors, read
//! and deleted by id. The caller is the JWT authorizer's `sub` claim.
//!
//! | Route | Answer |
//! |---|---|
//! | `POST /todos` `{"title": ...}`, optional `Idempotency-Key` header | 201 and the todo; a repeat of the key answers the first todo; the key with another body is a 422 |
//! | `GET /todos?cursor=...` | 200 `{"todos": [...], "next": ...}`; a cursor not of this API is a 400 |
//! | `GET /todos/{id}` | 200 and the todo, 404 when there is none |
//! | `DELETE /todos/{id}` | 204, 404 when there is none |
//!
//! The SQS worker ([`Todos::complete`]) marks todos done, each message once however often SQS
//! delivers it (idempotency keyed by the message id), and reports the messages that failed.
//!
//! Client input is answered with a 4xx by [`ApiError`], the rest is a 500 with its chain in
//! the log. `tests/todos.rs` sends API Gateway's events through the router on the embedded
//! DynamoDB; the `todos_api` binary runs it on Lambda with `lambda_http::run`.
//!
//! ```no_run
//! # async fn f(db: awstin::dynamodb::DynamoDb, key: awstin::dynamodb::CursorKey) {
//! let router = awstin_examples::todos::router(awstin_examples::todos::Todos::new(&db, key));
//! awstin::lambda_http::run(router).await.ok();
//! # }
//! ```

use awstin::axum::Router;
use awstin::axum::extract::{Path, Query, State};
use awstin::axum::http::StatusCode;
use awstin::axum::http::request::Parts;
use awstin::axum::routing::{get, post};
use awstin::cond;
use awstin::dynamo_model;
use awstin::dynamodb::Written;
use awstin::dynamodb::{CursorKey, DynamoDb, Table};
use awstin::lambda::batch::{self, Batch, BatchResponse, Record};
use awstin::lambda::http::{self, ApiError, Json};
use awstin::lambda::idempotency::{Idempotency, IdempotencyRecord};
use serde::{Deserialize, Serialize};

dynamo_model! {
    /// A todo of a user.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Todo {
        table "Todos";
        /// The user the todo belongs to (the token's `sub`).
        key owner: String;
        /// The todo's id.
        key id: String;
        /// What to do.
        attr title: String;
        /// Whether it is done.
        attr done: bool;
        /// How many times it was completed (by the worker, once per message).
        attr completions: u32;
    }
}

/// The service's tables: the todos, the idempotency records of their creation, and the key
/// that signs the list's cursors.
#[derive(Debug, Clone)]
pub struct Todos {
    todos: Table<Todo>,
    once: Idempotency,
    cursors: CursorKey,
    completing: Idempotency,
}

impl Todos {
    /// The service on `db`'s `Todos` and `Idempotency` tables, cursors signed with `cursors`.
    pub fn new(db: &DynamoDb, cursors: CursorKey) -> Todos {
        Todos {
            todos: db.table::<Todo>(),
            once: Idempotency::new(db.table::<IdempotencyRecord>(), "todos-create"),
            cursors,
            completing: Idempotency::new(db.table::<IdempotencyRecord>(), "todos-complete"),
        }
    }

    /// The SQS worker: each message (`{"owner": ..., "id": ...}`) marks its todo done and
    /// counts one completion, once per message id; a message for no todo, or whose body is
    /// not a completion, is reported for retry.
    /// `main: lambda_handler(batch::sqs::<batch::Json<Completion>>, |b| todos.complete(b)).run()`.
    pub async fn complete(
        &self,
        batch: Batch<batch::Json<Completion>>,
    ) -> Result<BatchResponse, std::convert::Infallible> {
        Ok(batch
            .process_records(|record: Record<batch::Json<Completion>>| async move {
                let once = self.completing.within(&record.context);
                once.run(&record.id, record.value.0, |c| self.mark_done(c))
                    .await
            })
            .await)
    }

    async fn mark_done(&self, c: Completion) -> Result<u32, CompletionError> {
        let one = 1u32;
        let done = true;
        let written = self
            .todos
            .update(
                (c.owner.as_str(), c.id.as_str()),
                awstin::update!(done = done, completions += one),
            )
            .when(awstin::cond!(attribute_exists(id)))
            .await
            .map_err(CompletionError::Store)?;
        match written {
            Written::Applied(todo) => Ok(todo.completions),
            _ => Err(CompletionError::NoTodo),
        }
    }
}

/// A message of the completions queue: the todo to mark done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The todo's user.
    pub owner: String,
    /// The todo's id.
    pub id: String,
}

/// Why a completion failed.
#[derive(Debug)]
pub enum CompletionError {
    /// No todo has the key.
    NoTodo,
    /// The store failed.
    Store(awstin::dynamodb::Error),
}

impl std::fmt::Display for CompletionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CompletionError::NoTodo => f.write_str("no todo has the key"),
            CompletionError::Store(e) => write!(f, "the todo was not updated: {e}"),
        }
    }
}

impl std::error::Error for CompletionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CompletionError::Store(e) => Some(e),
            CompletionError::NoTodo => None,
        }
    }
}

/// The router: the routes of the module's table, on the service's state.
pub fn router(todos: Todos) -> Router {
    Router::new()
        .route("/todos", post(create).get(list))
        .route("/todos/{id}", get(fetch).delete(remove))
        .with_state(todos)
}

/// A todo as a client creates it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewTodo {
    /// What to do: 1 to 200 characters.
    pub title: String,
}

/// The caller: the `sub` claim the JWT authorizer verified (401 without it).
fn owner(parts: &Parts) -> Result<String, ApiError> {
    Ok(http::claim(parts, "sub")?.to_owned())
}

async fn create(
    State(todos): State<Todos>,
    parts: Parts,
    Json(new): Json<NewTodo>,
) -> Result<(StatusCode, awstin::axum::Json<Todo>), ApiError> {
    let owner = owner(&parts)?;
    if new.title.is_empty() || new.title.chars().count() > 200 {
        return Err(ApiError::client(422, "`title` is 1 to 200 characters"));
    }
    let make = |(owner, new): (String, NewTodo)| {
        let table = todos.todos.clone();
        async move {
            let todo = Todo {
                owner,
                id: format!("{:016x}", fastrand::u64(..)),
                title: new.title,
                done: false,
                completions: 0,
            };
            table.put(&todo).await?;
            Ok::<_, awstin::dynamodb::Error>(todo)
        }
    };
    let todo = match parts.headers.get("idempotency-key") {
        Some(key) => {
            let key = key
                .to_str()
                .map_err(|_| ApiError::client(400, "the `Idempotency-Key` header is not text"))?;
            let key = http::path_key_value("Idempotency-Key", key)?;
            // Keyed by the caller too: one user's key never answers another's request.
            let scoped = format!("{}:{owner}{key}", owner.len());
            todos.once.run(&scoped, (owner, new), make).await?
        }
        None => make((owner, new)).await?,
    };
    Ok((StatusCode::CREATED, awstin::axum::Json(todo)))
}

/// The list's query string.
#[derive(Debug, Deserialize)]
struct Page {
    cursor: Option<String>,
}

/// A page of the caller's todos.
#[derive(Debug, Serialize, Deserialize)]
pub struct Listing {
    /// The todos of the page.
    pub todos: Vec<Todo>,
    /// The cursor of the next page; absent after the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Todos a page holds.
pub const PAGE_SIZE: u32 = 10;

async fn list(
    State(todos): State<Todos>,
    parts: Parts,
    Query(page): Query<Page>,
) -> Result<awstin::axum::Json<Listing>, ApiError> {
    let owner = owner(&parts)?;
    let page = todos
        .todos
        .query(cond!(owner == owner))
        .page_size(PAGE_SIZE)
        .cursor_key(todos.cursors.clone())
        .page(page.cursor.as_deref())
        .await?;
    Ok(awstin::axum::Json(Listing {
        todos: page.items,
        next: page.next,
    }))
}

async fn fetch(
    State(todos): State<Todos>,
    parts: Parts,
    Path(id): Path<String>,
) -> Result<awstin::axum::Json<Todo>, ApiError> {
    let owner = owner(&parts)?;
    let id = http::path_key_value("id", &id)?;
    match todos.todos.get((owner.as_str(), id)).await? {
        Some(todo) => Ok(awstin::axum::Json(todo)),
        None => Err(ApiError::client(404, "no such todo")),
    }
}

async fn remove(
    State(todos): State<Todos>,
    parts: Parts,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let owner = owner(&parts)?;
    let id = http::path_key_value("id", &id)?;
    match todos.todos.delete((owner.as_str(), id)).await? {
        awstin::dynamodb::Written::NoItem => Err(ApiError::client(404, "no such todo")),
        _ => Ok(StatusCode::NO_CONTENT),
    }
}
