//! The todo service's axum router on `lambda_http` (`awstin_examples::todos`), sent API
//! Gateway's HTTP API events as `lambda_http` hands them over, on the embedded DynamoDB; and
//! `http_handler` on `lambda_http`'s types.

use awstin::axum::body::{Body, to_bytes};
use awstin::axum::http::Response;
use awstin::dynamodb::{CursorKey, Error};
use awstin::lambda::idempotency::IdempotencyRecord;
use awstin::testing::events::http_api;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::todos::{Listing, PAGE_SIZE, Todo, Todos, router};
use serde_json::{Value, json};
use tower::ServiceExt;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// A running service: the embedded DynamoDB with the tables (or without, to make the store
/// fail) and the router.
struct Service {
    local: LocalDynamoDb,
    router: awstin::axum::Router,
}

impl Service {
    async fn start(with_tables: bool) -> Result<Service, Failure> {
        let local = LocalDynamoDb::start().await?;
        if with_tables {
            create_table(local.db(), &TableSpec::of::<Todo>()?).await?;
            create_table(local.db(), &TableSpec::of::<IdempotencyRecord>()?).await?;
        }
        let todos = Todos::new(
            local.db(),
            CursorKey::new(*b"todos cursor secret, 32 bytes!!!")?,
        );
        Ok(Service {
            local,
            router: router(todos),
        })
    }

    /// Sends one request; its status and JSON body (`null` when empty).
    async fn send(&self, request: awstin::lambda_http::Request) -> Result<(u16, Value), Failure> {
        let response: Response<Body> = self.router.clone().oneshot(request).await?;
        let status = response.status().as_u16();
        let bytes = to_bytes(response.into_body(), usize::MAX).await?;
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)?
        };
        Ok((status, body))
    }

    async fn create(
        &self,
        user: &str,
        title: &str,
        key: Option<&str>,
    ) -> Result<(u16, Value), Failure> {
        let mut event = http_api("POST", "/todos", "/todos")
            .claim("sub", user)
            .json_body(&json!({ "title": title }));
        if let Some(key) = key {
            event = event.header("Idempotency-Key", key);
        }
        self.send(event.lambda_http()).await
    }

    async fn page(&self, user: &str, cursor: Option<&str>) -> Result<(u16, Value), Failure> {
        let mut event = http_api("GET", "/todos", "/todos").claim("sub", user);
        if let Some(cursor) = cursor {
            event = event.query("cursor", cursor);
        }
        self.send(event.lambda_http()).await
    }

    async fn by_id(&self, method: &str, user: &str, id: &str) -> Result<(u16, Value), Failure> {
        let path = format!("/todos/{id}");
        let event = http_api(method, "/todos/{id}", &path)
            .path_param("id", id)
            .claim("sub", user);
        self.send(event.lambda_http()).await
    }
}

#[tokio::test]
async fn the_router_creates_pages_reads_and_deletes_a_users_todos() -> Result<(), Failure> {
    let service = Service::start(true).await?;
    let mut made = Vec::new();
    for n in 0..12 {
        let (status, todo) = service.create("ann", &format!("todo {n}"), None).await?;
        assert_eq!(status, 201, "{todo}");
        made.push(serde_json::from_value::<Todo>(todo)?);
    }
    service.create("bob", "bob's", None).await?;
    // Ann's todos a page at a time, following the signed cursor: 10, then 2, then no next.
    let (status, first) = service.page("ann", None).await?;
    assert_eq!(status, 200);
    let first: Listing = serde_json::from_value(first)?;
    assert_eq!(first.todos.len(), PAGE_SIZE as usize);
    let next = first.next.as_deref().expect("a second page");
    let (_, second) = service.page("ann", Some(next)).await?;
    let second: Listing = serde_json::from_value(second)?;
    assert_eq!((second.todos.len(), second.next), (2, None));
    let mut listed: Vec<Todo> = first.todos.into_iter().chain(second.todos).collect();
    listed.sort_by(|a, b| a.id.cmp(&b.id));
    made.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(listed, made, "every todo of ann's, and no other's");
    // Read, delete, then neither.
    let id = &made[0].id;
    let (status, todo) = service.by_id("GET", "ann", id).await?;
    assert_eq!(
        (status, serde_json::from_value::<Todo>(todo)?),
        (200, made[0].clone())
    );
    assert_eq!(
        service.by_id("GET", "bob", id).await?.0,
        404,
        "not another user's"
    );
    assert_eq!(service.by_id("DELETE", "bob", id).await?.0, 404);
    assert_eq!(
        service.by_id("DELETE", "ann", id).await?,
        (204, Value::Null)
    );
    assert_eq!(service.by_id("GET", "ann", id).await?.0, 404);
    assert_eq!(service.by_id("DELETE", "ann", id).await?.0, 404);
    let stored = service.local.db().table::<Todo>().scan().count().await?;
    assert_eq!(stored, 12, "12 made, 1 deleted, bob's 1");
    Ok(())
}

#[tokio::test]
async fn a_repeated_idempotency_key_answers_the_first_todo_and_a_reused_one_is_a_422()
-> Result<(), Failure> {
    let service = Service::start(true).await?;
    let (status, first) = service.create("ann", "milk", Some("k1")).await?;
    assert_eq!(status, 201);
    let (status, again) = service.create("ann", "milk", Some("k1")).await?;
    assert_eq!(
        (status, &again),
        (201, &first),
        "the repeat answers the first run's todo"
    );
    let (status, body) = service.create("ann", "bread", Some("k1")).await?;
    assert_eq!(
        (status, body),
        (
            422,
            json!({"message": "the idempotency key was used with another request"})
        )
    );
    // The key is the caller's own: another user's request with it runs.
    let (status, bobs) = service.create("bob", "milk", Some("k1")).await?;
    assert_eq!(status, 201);
    assert_ne!(bobs["id"], first["id"]);
    let stored = service.local.db().table::<Todo>().scan().count().await?;
    assert_eq!(stored, 2, "ann's todo once, bob's once");
    Ok(())
}

/// Client input is a 4xx with a message for the client, naming fields, never quoting
/// values; the store failing is a 500 that says nothing of why.
#[tokio::test]
async fn client_input_is_a_4xx_and_a_failure_a_500_that_tells_nothing() -> Result<(), Failure> {
    let service = Service::start(true).await?;
    let no_token = http_api("GET", "/todos", "/todos").lambda_http();
    assert_eq!(
        service.send(no_token).await?,
        (
            401,
            json!({"message": "the request carries no verified token"})
        )
    );
    let wrong_type = http_api("POST", "/todos", "/todos")
        .claim("sub", "ann")
        .body(r#"{"title": 7, "secret": "s3cr3t"}"#)
        .lambda_http();
    let (status, body) = service.send(wrong_type).await?;
    assert_eq!(
        (status, &body),
        (
            400,
            &json!({"message": "the body field `title` is not of the expected type"})
        )
    );
    let not_json = http_api("POST", "/todos", "/todos")
        .claim("sub", "ann")
        .body("s3cr3t{")
        .lambda_http();
    let (status, body) = service.send(not_json).await?;
    assert_eq!(status, 400);
    assert!(!body.to_string().contains("s3cr3t"), "{body}");
    assert_eq!(service.create("ann", "", None).await?.0, 422);
    let cursor = "eyJrIjp7InRpdGxlIjp7IlMiOiJ4In19fQ.AAAA";
    assert_eq!(
        service.page("ann", Some(cursor)).await?,
        (400, json!({"message": "the cursor is not valid"}))
    );
    let long = "x".repeat(1025);
    let (status, body) = service.by_id("GET", "ann", &long).await?;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"message": "the path parameter `id` is not a key value of 1 to 1,024 bytes"})
        )
    );
    let (status, _) = service
        .create("ann", "milk", Some(&"k".repeat(1025)))
        .await?;
    assert_eq!(status, 400);
    // A key value DynamoDB would refuse, found by the library rather than the handler: an
    // owner claim over the partition key's 2,048 bytes.
    let (status, body) = service.page(&"a".repeat(2049), None).await?;
    assert_eq!(
        (status, body),
        (400, json!({"message": "`owner` is longer than 2048 bytes"}))
    );

    let failing = Service::start(false).await?;
    let (status, body) = failing.create("ann", "milk", None).await?;
    assert_eq!(
        (status, body),
        (500, json!({"message": "internal error"})),
        "no table: the store fails"
    );
    Ok(())
}

/// `http_handler` on `lambda_http`'s request: a parser's refusal and a client's error are
/// responses of their status; the function's answer converts through `IntoResponse`.
#[tokio::test]
async fn http_handler_runs_on_lambda_http_requests() -> Result<(), Failure> {
    use awstin::lambda::{Context, ParseError, http, http_handler};
    let handler = http_handler(
        |r: awstin::lambda_http::Request, _: &Context| {
            Ok::<_, ParseError>(http::path_key(&r, "id")?.to_owned())
        },
        |id: String| async move {
            if id == "empty" {
                return Err(Error::from(awstin::dynamodb::Refusal::EmptyKeyValue {
                    attribute: "id",
                }));
            }
            Ok(format!("todo {id}"))
        },
    );
    let call = |id: &str| {
        http_api("GET", "/todos/{id}", &format!("/todos/{id}"))
            .path_param("id", id)
            .lambda_http()
    };
    let ok = handler.call_http(call("t1")).await?;
    assert_eq!(
        (ok.status().as_u16(), ok.body().as_ref()),
        (200, &b"todo t1"[..])
    );
    let refused = handler.call_http(call(&"x".repeat(1025))).await?;
    assert_eq!(refused.status().as_u16(), 400);
    let client = handler.call_http(call("empty")).await?;
    assert_eq!(
        (client.status().as_u16(), client.body().as_ref()),
        (400, br#"{"message":"`id` may not be empty"}"#.as_slice())
    );
    Ok(())
}

/// The SQS worker: a message completes its todo once however often it comes (twice in one
/// batch, again in the next); another message completes it again; a message for no todo, or
/// whose body is not a completion, is reported by its id.
#[tokio::test]
async fn the_worker_completes_each_message_once_by_its_id() -> Result<(), Failure> {
    use awstin::lambda::batch::{self, Json};
    use awstin::lambda::{Context, LambdaEvent, lambda_handler};
    use awstin::testing::events::sqs;
    let service = Service::start(true).await?;
    let (_, todo) = service.create("ann", "milk", None).await?;
    let id = todo["id"].as_str().expect("an id").to_owned();
    let todos = Todos::new(
        service.local.db(),
        CursorKey::new(*b"todos cursor secret, 32 bytes!!!")?,
    );
    let handler = lambda_handler(
        batch::sqs::<Json<awstin_examples::todos::Completion>>,
        |b| {
            let todos = todos.clone();
            async move { todos.complete(b).await }
        },
    );
    let body = json!({"owner": "ann", "id": id}).to_string();
    let deliver = |event| handler.call(LambdaEvent::new(event, Context::default()));
    let first = deliver(
        sqs("completions")
            .message("m1", &body)
            .message("m1", &body)
            .message("m2", r#"{"owner": "ann", "id": "no-such-todo"}"#)
            .message("m3", r#"{"owner": "ann"}"#)
            .build(),
    )
    .await?;
    let mut failed: Vec<&str> = first.failed();
    failed.sort_unstable();
    // The duplicate in the batch is told the message is in progress (retried, then answered
    // with the first run's result), or answered; either way it did not run.
    failed.retain(|id| *id != "m1");
    assert_eq!(failed, ["m2", "m3"]);
    let again = deliver(sqs("completions").message("m1", &body).build()).await?;
    assert!(again.failed().is_empty(), "a repeat is answered, not run");
    let stored = |service: &Service| {
        let id = id.clone();
        let table = service.local.db().table::<Todo>();
        async move { table.get(("ann", id.as_str())).await }
    };
    let todo = stored(&service).await?.expect("the todo");
    assert_eq!((todo.done, todo.completions), (true, 1), "m1 ran once");
    let next = deliver(sqs("completions").message("m4", &body).build()).await?;
    assert!(next.failed().is_empty());
    assert_eq!(stored(&service).await?.expect("the todo").completions, 2);
    Ok(())
}
