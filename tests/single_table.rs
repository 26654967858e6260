//! Models sharing one table: each reads its own entity type only. A query or scan of a model
//! with an `entity` line adds its type to the filter (in both backends); an item of another
//! type, or of none, is refused as the model with a typed error naming both types, by every
//! reader (borrowed and owned, the SDK's and the JSON layer's).

#![allow(missing_docs)] // test models: the fields speak for themselves

use aws_sdk_dynamodb::types::AttributeValue;
use awstin::dynamodb::{Error, Item};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{cond, dynamo_model, project};
use awstin_core::decode::{DecodeErrorKind, EntityName};
use awstin_core::op::{Key, ReadSpec};
use awstin_core::wire::{self, Answer};
use futures::TryStreamExt as _;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct User { table "App"; entity "User"; key pk: String; key sk: String; attr name: String }
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Order { table "App"; entity "Order"; key pk: String; key sk: String; attr total: f64 }
}

dynamo_model! {
    /// The same table read without an entity line: every item.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Any { table "App"; key pk: String; key sk: String }
}

fn other_entity(e: &Error) -> (&'static str, Option<EntityName>) {
    let d = match e {
        Error::Decode(d) => d,
        other => panic!("a decode error was expected, got {other:?}"),
    };
    match d.kind {
        DecodeErrorKind::OtherEntity { expected, found } => (expected, found),
        other => panic!("another entity was expected, got {other:?}"),
    }
}

async fn table() -> LocalDynamoDb {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = TableSpec::of::<User>()
        .and_then(|spec| spec.with_model::<Order>())
        .and_then(|spec| spec.with_model::<Any>())
        .expect("a spec of the shared table");
    create_table(local.db(), &spec).await.expect("a table");
    local
}

dynamo_model! {
    /// A model of the shared table with another key type.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Numbered { table "App"; key pk: u64; key sk: String }
}

dynamo_model! {
    /// An index of the shared table whose key reuses `sk` as a number.
    #[derive(Debug, Clone, PartialEq)]
    pub struct BySk { index "by-sk" on "App"; key sk: u64; key pk: String }
}

dynamo_model! {
    /// A model of another table.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Elsewhere { table "Elsewhere"; key pk: String; key sk: String }
}

/// A shared table's spec holds its models together: a model of another table, or with another
/// key, is refused; an index whose key gives an attribute another type than the table's is
/// refused before the table is created.
#[tokio::test]
async fn a_shared_tables_spec_refuses_models_that_do_not_share_it() {
    let user = || TableSpec::of::<User>().expect("a spec");
    let e = user().with_model::<Elsewhere>().expect_err("another table");
    assert!(
        matches!(&e, Error::Configuration { message } if message.contains("Elsewhere")),
        "{e}"
    );
    let e = user().with_model::<Numbered>().expect_err("another key");
    assert!(
        matches!(&e, Error::Configuration { message } if message.contains("another key")),
        "{e}"
    );
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = user().with_index::<BySk>().expect("an index of the table");
    let e = create_table(local.db(), &spec)
        .await
        .expect_err("sk of two types");
    assert!(
        matches!(&e, Error::Configuration { message } if message.contains("sk is of two types")),
        "{e}"
    );
}

#[tokio::test]
async fn a_model_reads_its_own_entity_only() {
    let local = table().await;
    let (users, orders, any) = (
        local.db().table::<User>(),
        local.db().table::<Order>(),
        local.db().table::<Any>(),
    );
    let user = User {
        pk: "USER#42".into(),
        sk: "PROFILE".into(),
        name: "Ada".into(),
    };
    users.put(&user).await.expect("stored");
    for n in 0..3 {
        let order = Order {
            pk: "USER#42".into(),
            sk: format!("ORDER#{n}"),
            total: f64::from(n) + 0.5,
        };
        orders.put(&order).await.expect("stored");
    }
    // The partition holds four items; each model's query reads its own.
    let all: Vec<Any> = any
        .query(cond!(pk == "USER#42"))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert_eq!(all.len(), 4);
    let read: Vec<User> = users
        .query(cond!(pk == "USER#42"))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert_eq!(read, std::slice::from_ref(&user));
    let read: Vec<Order> = orders
        .query(cond!(pk == "USER#42"))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert_eq!(read.len(), 3);
    // With a filter of the query's own, both hold.
    let min = 1.0;
    let read: Vec<Order> = orders
        .query(cond!(pk == "USER#42"))
        .filter(cond!(total >= min))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert_eq!(read.iter().map(|o| o.total).collect::<Vec<_>>(), [1.5, 2.5]);
    // A projection of the model's own attributes reads its type too, for the check.
    let projected: Vec<User> = users
        .query(cond!(pk == "USER#42"))
        .project(project!(pk, sk, name))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert_eq!(projected.len(), 1);
    let scanned: Vec<User> = users.scan().stream().try_collect().await.expect("read");
    assert_eq!(scanned, std::slice::from_ref(&user));
    // A get of another entity's key is refused, naming both types.
    let e = orders
        .get(("USER#42", "PROFILE"))
        .await
        .expect_err("a user is not an order");
    let (expected, found) = other_entity(&e);
    assert_eq!(
        (expected, found.map(|f| f.to_string())),
        ("Order", Some("User".into()))
    );
    assert!(
        e.to_string()
            .contains("an item of entity type User is not a Order"),
        "{e}"
    );
    assert_eq!(
        users.get(("USER#42", "PROFILE")).await.expect("read"),
        Some(user)
    );
}

/// Items written otherwise (without the attribute, with another type, with hostile types) are
/// refused by the borrowed and the owned readers alike, never read as the model, never a panic.
#[tokio::test]
async fn items_of_no_or_hostile_types_are_refused_by_every_reader() {
    let local = table().await;
    let long = "T".repeat(300);
    let cases: Vec<(Option<AttributeValue>, Option<&str>)> = vec![
        (None, None),
        (Some(AttributeValue::S("User".into())), Some("User")),
        (Some(AttributeValue::S("order".into())), Some("order")),
        (Some(AttributeValue::S("Order ".into())), Some("Order ")),
        (Some(AttributeValue::S(String::new())), Some("")),
        (Some(AttributeValue::S("\0".into())), Some("\0")),
        (
            Some(AttributeValue::S("😀".repeat(20))),
            Some("😀😀😀😀😀😀😀😀😀😀😀😀"),
        ),
        (Some(AttributeValue::S(long.clone())), Some(&long[..48])),
        (Some(AttributeValue::N("1".into())), None),
        (Some(AttributeValue::Bool(true)), None),
    ];
    let orders = local.db().table::<Order>();
    for (i, (entity, found)) in cases.iter().enumerate() {
        let mut item: Item = [
            ("pk".to_owned(), AttributeValue::S("P".into())),
            ("sk".to_owned(), AttributeValue::S(format!("{i}"))),
            ("total".to_owned(), AttributeValue::N("1".into())),
        ]
        .into();
        if let Some(entity) = entity {
            item.insert("_type".into(), entity.clone());
        }
        let check = |e: &Error| {
            let (expected, got) = other_entity(e);
            assert_eq!(expected, "Order");
            assert_eq!(
                got.map(|g| g.as_str().to_owned()).as_deref(),
                *found,
                "case {i}"
            );
        };
        let borrowed = awstin::dynamodb::from_item::<Order>(&item).map_err(Error::Decode);
        check(&borrowed.expect_err("refused"));
        let owned = awstin::dynamodb::from_item_owned::<Order>(item.clone()).map_err(Error::Decode);
        check(&owned.expect_err("refused"));
        local
            .db()
            .client()
            .put_item()
            .table_name("App")
            .set_item(Some(item))
            .send()
            .await
            .expect("stored raw");
        check(
            &orders
                .get(("P", format!("{i}").as_str()))
                .await
                .expect_err("refused"),
        );
    }
    // A query of the model reads none of them: none holds its type.
    let read: Vec<Order> = orders
        .query(cond!(pk == "P"))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert!(read.is_empty());
    let long = EntityName::of(&long);
    assert!(long.is_cut());
    assert_eq!(
        long.to_string().chars().count(),
        49,
        "48 bytes and the mark of the cut"
    );
}

/// The JSON backend sends the same filter and refuses the same items.
#[test]
fn the_json_backend_filters_and_refuses_alike() {
    let min = 1.0;
    let key = Order::expr(cond!(pk == "USER#42"));
    let filter = Order::expr(cond!(total >= min));
    let query = ReadSpec::query("App", &key)
        .build(wire::read)
        .expect("a query");
    let body: serde_json::Value = serde_json::from_str(&query.body).expect("JSON");
    assert_eq!(body["FilterExpression"], "#n1 = :v1");
    assert_eq!(body["ExpressionAttributeNames"]["#n1"], "_type");
    assert_eq!(body["ExpressionAttributeValues"][":v1"]["S"], "Order");
    let filtered = ReadSpec::query("App", &key)
        .filter(&filter)
        .build(wire::read)
        .expect("a query");
    let body: serde_json::Value = serde_json::from_str(&filtered.body).expect("JSON");
    assert_eq!(body["FilterExpression"], "#n1 >= :v1 AND #n2 = :v2");
    let get = ReadSpec::<Order>::get("App", Key::of::<Order, _>(&("USER#42", "PROFILE")))
        .build(wire::read)
        .expect("a get");
    assert!(
        !get.body.contains("_type"),
        "a get reads by key: the reading refuses"
    );
    let shown = Order::expr(project!(pk, total));
    let projected = ReadSpec::query("App", &key)
        .project(&shown)
        .build(wire::read)
        .expect("a query");
    let body: serde_json::Value = serde_json::from_str(&projected.body).expect("JSON");
    let shown: Vec<&str> = body["ProjectionExpression"]
        .as_str()
        .expect("a projection")
        .split(", ")
        .map(|p| {
            body["ExpressionAttributeNames"][p]
                .as_str()
                .expect("a name")
        })
        .collect();
    assert_eq!(shown, ["pk", "total", "_type"]);
    let answer = Answer::read(
        200,
        br#"{"Item":{"pk":{"S":"USER#42"},"sk":{"S":"PROFILE"},"name":{"S":"Ada"},"_type":{"S":"User"}}}"#,
    )
    .expect("an answer");
    match answer.item::<Order>() {
        Err(wire::Failure::Decode(d)) => assert_eq!(
            d.kind,
            DecodeErrorKind::OtherEntity {
                expected: "Order",
                found: Some(EntityName::of("User"))
            }
        ),
        other => panic!("refused as another entity: {other:?}"),
    }
    assert!(answer.item::<User>().expect("a user").is_some());
}

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Reading { table "Readings"; key pk: String; key n: u32; attr score: u32 }
}

/// Reads every page of `read` (a function of the cursor), returning the pages' sizes, the
/// items in order, and whether each page but the last had a cursor.
async fn every_page<F, Fut>(read: F) -> (Vec<usize>, Vec<u32>)
where
    F: Fn(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<awstin::dynamodb::Page<Reading>, Error>>,
{
    let (mut sizes, mut all) = (Vec::new(), Vec::new());
    let mut cursor = None;
    loop {
        let page = read(cursor.take()).await.expect("a page");
        sizes.push(page.items.len());
        all.extend(page.items.iter().map(|r| r.n));
        match page.next {
            Some(next) => cursor = Some(next),
            None => return (sizes, all),
        }
        assert!(sizes.len() < 1000, "the pages end");
    }
}

/// A page of `n` holds `n` items that pass the filter, reading on past DynamoDB's `Limit` (which
/// counts before the filter), within its read budget; the cursor resumes after the last item
/// returned; through a projection too; and nothing is lost or read twice.
#[tokio::test]
async fn pages_hold_what_they_say_after_a_filter() {
    use awstin::testing::faults::{FaultPlan, FaultProxy};
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Reading>().expect("a spec"))
        .await
        .expect("a table");
    let proxy = FaultProxy::start(local.endpoint(), FaultPlan::none().recording()).await;
    let db = proxy.client();
    let readings = db.table::<Reading>();
    // 100 readings; one in ten scores 9 or more.
    let all: Vec<Reading> = (0..100)
        .map(|n| Reading {
            pk: "P".into(),
            n,
            score: if n % 10 == 3 { 9 } else { n % 9 },
        })
        .collect();
    readings
        .batch_write(all.iter().map(|r| readings.put(r)))
        .await
        .expect("stored");
    proxy.take_recorded();
    let high: Vec<u32> = all.iter().filter(|r| r.score >= 9).map(|r| r.n).collect();
    assert_eq!(high.len(), 10);
    let min = 9u32;
    // Pages of 3 after the filter: 3, 3, 3, 1, each read on past DynamoDB's pages.
    let (sizes, got) = every_page(|at: Option<String>| {
        let read = readings
            .query(cond!(pk == "P"))
            .filter(cond!(score >= min))
            .page_size(3);
        async move { read.page(at.as_deref()).await }
    })
    .await;
    let requests = proxy.take_recorded().len();
    assert_eq!(got, high, "every item once, in order");
    assert_eq!(sizes, [3, 3, 3, 1], "pages hold what they say");
    // The guide's figures (single-table chapter).
    assert_eq!(requests, 15, "the requests of the four pages");
    println!("pages of 3 over 100 items, 10 passing the filter: {sizes:?} in {requests} requests");
    // A budget of one request: the pages hold what one request of 4 items finds; nothing lost.
    let (sizes, got) = every_page(|at: Option<String>| {
        let read = readings
            .query(cond!(pk == "P"))
            .filter(cond!(score >= min))
            .page_size(3)
            .read_budget(1);
        async move { read.page(at.as_deref()).await }
    })
    .await;
    assert_eq!(
        got, high,
        "every item once, in order, under a budget of one request"
    );
    assert!(
        sizes.iter().any(|&s| s < 3),
        "a page of one request holds fewer: {sizes:?}"
    );
    // Through a projection (no item asked beyond the page: the last page may be empty).
    let (sizes, got) = every_page(|at: Option<String>| {
        let read = readings
            .query(cond!(pk == "P"))
            .filter(cond!(score >= min))
            .project(project!(pk, n, score))
            .page_size(4)
            .read_budget(100);
        async move { read.page(at.as_deref()).await }
    })
    .await;
    assert_eq!(got, high, "every item once, through a projection");
    assert_eq!(
        &sizes[..2],
        [4, 4],
        "pages hold what they say through a projection: {sizes:?}"
    );
    // Scans read on too.
    let (sizes, got) = every_page(|at: Option<String>| {
        let read = readings.scan().filter(cond!(score >= min)).page_size(5);
        async move { read.page(at.as_deref()).await }
    })
    .await;
    assert_eq!(got, high);
    assert_eq!(sizes, [5, 5]);
    proxy.take_recorded();
    let refused = readings
        .query(cond!(pk == "P"))
        .page_size(3)
        .read_budget(0)
        .page(None)
        .await
        .expect_err("a budget of no request");
    assert!(matches!(
        refused,
        Error::Refused(awstin::dynamodb::Refusal::InvalidOption {
            option: "read_budget",
            ..
        })
    ));
}
