//! Composed keys declared in `dynamo_model!` (`key pk = "CUSTOMER#" customer;`): written by
//! every put (single, batch, transaction, and the JSON backend's), made from the fields by the
//! model (`Order::pk(&customer)`), read back into the fields, and never reached by another
//! item's field values. Hostile values in every position of every template, stored in the
//! embedded DynamoDB; the keys' limits applied to the composed text before sending; a sparse
//! index key from an `Option` field.

#![allow(missing_docs)] // test models: the fields speak for themselves

use std::collections::{BTreeMap, BTreeSet};

use awstin::dynamodb::{Error, Table};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{cond, dynamo_collection, dynamo_model, update};
use awstin_core::model::DecodeKey;
use awstin_core::op::WriteSpec;
use awstin_core::{Model, ValueBuf, wire};
use futures::TryStreamExt as _;

dynamo_model! {
    /// A customer's profile: the one `PROFILE` item of the customer's partition.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Customer {
        table "App"; entity "Customer";
        key pk = "CUSTOMER#" id;
        key sk = "PROFILE";
        attr id: String;
        attr name: String;
    }
}

dynamo_model! {
    /// An order, in its customer's partition, sorted by when it was placed; open orders are
    /// in the sparse index `gsi1` by status.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Order {
        table "App"; entity "Order";
        key pk = "CUSTOMER#" customer;
        key sk = "ORDER#" placed "#" number;
        index_key gsi1pk = "STATUS#" status;
        index_key gsi1sk = "PLACED#" placed "#" number;
        attr customer: String;
        attr placed: i64;
        attr number: u32;
        attr status: Option<String>;
        attr total: f64;
    }
}

dynamo_model! {
    /// An order line, in its customer's partition, by order number and SKU.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Line {
        table "App"; entity "Line";
        key pk = "CUSTOMER#" customer;
        key sk = "LINE#" number "#" sku;
        attr customer: String;
        attr number: u32;
        attr sku: String;
        attr count: u32;
    }
}

dynamo_model! {
    /// The orders with a status, by status and then by when they were placed.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ByStatus {
        index "gsi1" on Order;
        key gsi1pk = "STATUS#" status;
        key gsi1sk = "PLACED#" placed "#" number;
        attr status: String;
        attr placed: i64;
        attr number: u32;
        attr customer: String;
    }
}

dynamo_model! {
    /// A task, in the index `gsi1` by its owner and state while it has a state.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Task {
        table "App"; entity "Task";
        key pk = "TASK#" id;
        key sk = "TASK";
        index_key gsi1pk = "OWNER#" owner "#" state;
        index_key gsi1sk = "TASK#" id;
        attr id: String;
        attr owner: String;
        attr state: Option<String>;
        attr title: String;
    }
}

dynamo_model! {
    /// The tasks by owner and state.
    #[derive(Debug, Clone, PartialEq)]
    pub struct TasksByOwner {
        index "gsi1" on Order;
        key gsi1pk = "OWNER#" owner "#" state;
        key gsi1sk = "TASK#" id;
        attr owner: String;
        attr state: String;
        attr id: String;
        attr title: String;
    }
}

dynamo_collection! {
    /// A customer's partition: the profile, the orders and the order lines.
    #[derive(Debug, Clone, PartialEq)]
    pub enum CustomerItems { Customer(Customer), Order(Order), Line(Line) }
}

dynamo_model! {
    /// The table's items as stored: the key attributes' texts.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Stored {
        table "App";
        key pk: String;
        key sk: String;
        attr gsi1pk: Option<String>;
        attr gsi1sk: Option<String>;
        attr kind: Option<String> as "_type";
    }
}

async fn table() -> LocalDynamoDb {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = TableSpec::of::<Order>()
        .and_then(|s| s.with_model::<Customer>())
        .and_then(|s| s.with_model::<Line>())
        .and_then(|s| s.with_model::<Stored>())
        .and_then(|s| s.with_index::<ByStatus>())
        .expect("the shared table's spec");
    create_table(local.db(), &spec).await.expect("the table");
    local
}

/// Strings no field value may turn into another item's key: the separator alone, at either
/// end and doubled, the literals of every template and whole keys of other entities, the
/// escape character and an escape's text, empty, NUL, a control, a space, U+FFFF, astral
/// characters beside separators, and an ordinary value.
fn hostile_strings() -> Vec<String> {
    [
        "#",
        "#a",
        "a#",
        "##",
        "CUSTOMER#",
        "CUSTOMER#a",
        "a#ORDER#21302#0000000001",
        "ORDER#",
        "PROFILE",
        "LINE#0000000001#a",
        "",
        "\0",
        "\u{1}",
        " ",
        "%",
        "%23",
        "\u{FFFF}",
        "\u{10FFFF}",
        "😀#😀",
        "a",
    ]
    .map(String::from)
    .to_vec()
}

/// `i64`s at their ends and around zero; `u32`s at theirs.
const PLACED: [i64; 5] = [i64::MIN, -1, 0, 1, i64::MAX];
const NUMBERS: [u32; 3] = [0, 1, u32::MAX];

fn err_of<T: std::fmt::Debug>(r: Result<T, Error>) -> awstin_core::Error {
    match r {
        Err(Error::Refused(e)) => e,
        other => panic!("a refusal before sending was expected, got {other:?}"),
    }
}

#[tokio::test]
async fn hostile_field_values_in_every_position_never_reach_another_item() {
    let local = table().await;
    let db = local.db();
    let (customers, orders, lines, stored): (Table<Customer>, Table<Order>, Table<Line>, _) =
        (db.table(), db.table(), db.table(), db.table::<Stored>());
    let hostile = hostile_strings();
    let mut all_orders = Vec::new();
    let mut all_lines = Vec::new();
    let mut all_customers = Vec::new();
    for (c, id) in hostile.iter().enumerate() {
        all_customers.push(Customer {
            id: id.clone(),
            name: format!("customer {c}"),
        });
        for (p, placed) in PLACED.iter().enumerate() {
            for number in NUMBERS {
                all_orders.push(Order {
                    customer: id.clone(),
                    placed: *placed,
                    number,
                    status: hostile.get((c + p) % (hostile.len() + 3)).cloned(),
                    total: f64::from(number % 7) + 0.5,
                });
            }
        }
        for number in NUMBERS {
            for (s, sku) in hostile.iter().enumerate() {
                all_lines.push(Line {
                    customer: id.clone(),
                    number,
                    sku: sku.clone(),
                    count: u32::try_from(c * 100 + s).expect("small"),
                });
            }
        }
    }
    customers
        .batch_write(all_customers.iter().map(|x| customers.put(x)))
        .await
        .expect("customers stored");
    orders
        .batch_write(all_orders.iter().map(|x| orders.put(x)))
        .await
        .expect("orders stored");
    lines
        .batch_write(all_lines.iter().map(|x| lines.put(x)))
        .await
        .expect("lines stored");

    // One item per field tuple: no two tuples made the same key.
    let items: Vec<Stored> = stored.scan().stream().try_collect().await.expect("scan");
    let written = all_customers.len() + all_orders.len() + all_lines.len();
    assert_eq!(written, 20 * (1 + 15 + 60));
    assert_eq!(items.len(), written, "every tuple its own item");
    let keys: BTreeSet<(&str, &str)> = items
        .iter()
        .map(|i| (i.pk.as_str(), i.sk.as_str()))
        .collect();
    assert_eq!(keys.len(), written);
    // Every composed key holds its template's separators only: the fields' are escaped.
    for item in &items {
        assert_eq!(item.pk.matches('#').count(), 1, "{:?}", item.pk);
        let expected = match item.kind.as_deref() {
            Some("Customer") => 0,
            Some("Order") => 2,
            Some("Line") => 2,
            other => panic!("an item of type {other:?}"),
        };
        assert_eq!(item.sk.matches('#').count(), expected, "{:?}", item.sk);
    }

    for (c, id) in hostile.iter().enumerate() {
        let pk = Order::pk(id);
        // The partition holds this customer's items, and no other's.
        let partition: Vec<Stored> = stored
            .query(cond!(pk == pk))
            .stream()
            .try_collect()
            .await
            .expect("the partition");
        assert_eq!(partition.len(), 1 + 15 + 60, "customer {id:?}");
        // Each model reads its own, in the order of its sort key's values.
        let mine: Vec<Order> = orders
            .query(cond!(pk == pk))
            .stream()
            .try_collect()
            .await
            .expect("the orders");
        let mut expected: Vec<&Order> = all_orders.iter().filter(|o| &o.customer == id).collect();
        expected.sort_by_key(|o| (o.placed, o.number));
        assert_eq!(mine.iter().collect::<Vec<_>>(), expected, "customer {id:?}");
        let mine: Vec<Line> = lines
            .query(cond!(pk == pk))
            .stream()
            .try_collect()
            .await
            .expect("the lines");
        let mut expected: Vec<&Line> = all_lines.iter().filter(|l| &l.customer == id).collect();
        expected.sort_by(|a, b| (a.number, &a.sku).cmp(&(b.number, &b.sku)));
        assert_eq!(mine.iter().collect::<Vec<_>>(), expected, "customer {id:?}");
        // Gets by the keys the model makes from the fields.
        let profile = customers
            .get((Customer::pk(id), Customer::sk()))
            .await
            .expect("read");
        assert_eq!(profile.as_ref(), Some(&all_customers[c]));
        for line in all_lines.iter().filter(|l| &l.customer == id).step_by(7) {
            let read = lines
                .get((Line::pk(id), Line::sk(&line.number, &line.sku)))
                .await
                .expect("read");
            assert_eq!(read.as_ref(), Some(line));
        }
    }

    // Every stored key reads back into its fields, by its own model's template only.
    for item in &items {
        let keys = ValueBuf::M(BTreeMap::from([
            ("pk".to_string(), ValueBuf::S(item.pk.clone())),
            ("sk".to_string(), ValueBuf::S(item.sk.clone())),
        ]));
        match item.kind.as_deref() {
            Some("Order") => {
                let (pk, sk) = Order::decode_key(keys.clone()).expect("an order's key");
                let (customer,) = pk.fields().expect("fields");
                let (placed, number) = sk.fields().expect("fields");
                assert!(
                    all_orders.iter().any(|o| o.customer == customer
                        && o.placed == placed
                        && o.number == number)
                );
                assert!(
                    Line::decode_key(keys).is_err(),
                    "an order's key is no line's"
                );
            }
            Some("Line") => {
                let (_, sk) = Line::decode_key(keys.clone()).expect("a line's key");
                let (number, sku) = sk.fields().expect("fields");
                assert!(NUMBERS.contains(&number) && hostile.contains(&sku));
                assert!(
                    Order::decode_key(keys).is_err(),
                    "a line's key is no order's"
                );
            }
            _ => {
                let (pk, _) = Customer::decode_key(keys).expect("a profile's key");
                assert!(hostile.contains(&pk.fields().expect("fields").0));
            }
        }
    }
}

/// A key's limit applies to the composed text, escapes included: refused before sending with
/// the key's own figures; a text at the limit is stored.
#[tokio::test]
async fn a_composed_key_one_byte_over_its_limit_is_refused_before_sending() {
    let local = table().await;
    let (orders, lines) = (local.db().table::<Order>(), local.db().table::<Line>());
    // "CUSTOMER#" is 9 bytes: 2,039 more make the partition key's 2,048, in four-byte
    // characters and in escapes (`#` is written `%23`).
    let at_limit = [
        "abc".to_string() + &"😀".repeat(509),
        "ab".to_string() + &"#".repeat(679),
    ];
    for customer in at_limit {
        let order = Order {
            customer: customer.clone(),
            placed: 1,
            number: 1,
            status: None,
            total: 1.0,
        };
        assert_eq!(Order::pk(&customer).as_str().map(str::len), Some(2048));
        orders
            .put(&order)
            .await
            .expect("a key at the limit is stored");
        let read = orders
            .get((Order::pk(&customer), Order::sk(&1, &1)))
            .await
            .expect("read");
        assert_eq!(read, Some(order.clone()));
        let over = Order {
            customer: customer + "a",
            ..order
        };
        assert_eq!(
            err_of(orders.put(&over).await),
            awstin_core::Error::KeyValueTooLong {
                attribute: "pk",
                len: 2049,
                max: 2048
            }
        );
        assert_eq!(
            err_of(
                orders
                    .get((Order::pk(&over.customer), Order::sk(&1, &1)))
                    .await
            ),
            awstin_core::Error::KeyValueTooLong {
                attribute: "pk",
                len: 2049,
                max: 2048
            }
        );
    }
    // "LINE#" + 10 digits + "#" is 16 bytes: 1,008 more make the sort key's 1,024.
    let line = |sku: String| Line {
        customer: "c".into(),
        number: 3,
        sku,
        count: 1,
    };
    lines
        .put(&line("s".repeat(1008)))
        .await
        .expect("a sort key at the limit is stored");
    assert_eq!(
        err_of(lines.put(&line("s".repeat(1009))).await),
        awstin_core::Error::KeyValueTooLong {
            attribute: "sk",
            len: 1025,
            max: 1024
        }
    );
    // The escape makes the text longer than the value: 336 `%` are 1,008 bytes.
    lines
        .put(&line("%".repeat(336)))
        .await
        .expect("escaped, at the limit");
    assert_eq!(
        err_of(lines.put(&line("%".repeat(337))).await),
        awstin_core::Error::KeyValueTooLong {
            attribute: "sk",
            len: 1027,
            max: 1024
        }
    );
    // A float without a key text is refused, not sent.
    dynamo_model! {
        pub struct Reading { table "App"; key pk = "SENSOR#" sensor; key sk = "AT#" at; attr sensor: String; attr at: f64 }
    }
    let readings = local.db().table::<Reading>();
    let e = err_of(
        readings
            .put(&Reading {
                sensor: "s".into(),
                at: f64::NAN,
            })
            .await,
    );
    assert!(matches!(e, awstin_core::Error::NotFinite), "{e:?}");
}

/// An index key composed of an `Option` field is written only while the field has a value:
/// the index holds the orders with a status, by status, in the order they were placed.
#[tokio::test]
async fn a_sparse_index_key_is_written_with_its_fields_only() {
    let local = table().await;
    let (orders, stored, by_status) = (
        local.db().table::<Order>(),
        local.db().table::<Stored>(),
        local.db().table::<ByStatus>(),
    );
    let statuses = [
        None,
        Some("open"),
        Some("shipped"),
        Some("open#x"),
        Some(""),
    ];
    let all: Vec<Order> = (0..25u32)
        .map(|n| Order {
            customer: format!("c{}", n % 3),
            placed: i64::from(n) * 1_000 - 12_000,
            number: n,
            status: statuses[n as usize % 5].map(String::from),
            total: 2.5,
        })
        .collect();
    orders
        .batch_write(all.iter().map(|o| orders.put(o)))
        .await
        .expect("stored");
    let items: Vec<Stored> = stored.scan().stream().try_collect().await.expect("scan");
    assert_eq!(items.len(), 25);
    for item in &items {
        let order = all
            .iter()
            .find(|o| {
                Order::pk(&o.customer).as_str() == Some(item.pk.as_str())
                    && Order::sk(&o.placed, &o.number).as_str() == Some(item.sk.as_str())
            })
            .expect("its order");
        match &order.status {
            None => assert_eq!(
                (&item.gsi1pk, &item.gsi1sk),
                (
                    &None,
                    &Some(format!("PLACED#{}", &item.sk["ORDER#".len()..]))
                )
            ),
            Some(status) => assert_eq!(
                item.gsi1pk.as_deref(),
                ByStatus::gsi1pk(status).as_str(),
                "{status:?}"
            ),
        }
    }
    for status in ["open", "shipped", "open#x", ""] {
        let key = ByStatus::gsi1pk(status);
        let found: Vec<ByStatus> = by_status
            .query(cond!(gsi1pk == key))
            .stream()
            .try_collect()
            .await
            .expect("the index");
        let mut expected: Vec<(i64, u32)> = all
            .iter()
            .filter(|o| o.status.as_deref() == Some(status))
            .map(|o| (o.placed, o.number))
            .collect();
        expected.sort_unstable();
        assert_eq!(expected.len(), 5, "{status:?}");
        assert_eq!(
            found
                .iter()
                .map(|o| (o.placed, o.number))
                .collect::<Vec<_>>(),
            expected,
            "{status:?}: in the order placed, no other status"
        );
    }
}

/// Every write path derives the composed keys: a transaction's put and the JSON backend's
/// body carry them as a put does; an update addresses the item by the keys the model makes,
/// and leaves them as they are.
#[tokio::test]
async fn every_write_path_writes_the_composed_keys() {
    let local = table().await;
    let (orders, stored) = (local.db().table::<Order>(), local.db().table::<Stored>());
    let order = Order {
        customer: "c#1".into(),
        placed: -42,
        number: 7,
        status: Some("open".into()),
        total: 9.5,
    };
    local
        .db()
        .transact_write()
        .write(orders.put(&order))
        .await
        .expect("written");
    let raw = stored
        .get(("CUSTOMER#c%231", "ORDER#012457:#0000000007"))
        .await
        .expect("read")
        .expect("stored under its composed key");
    assert_eq!(raw.gsi1pk.as_deref(), Some("STATUS#open"));
    assert_eq!(raw.gsi1sk.as_deref(), Some("PLACED#012457:#0000000007"));
    assert_eq!(raw.kind.as_deref(), Some("Order"));

    let key = (
        Order::pk(&order.customer),
        Order::sk(&order.placed, &order.number),
    );
    orders
        .update(key.clone(), update!(total = 10.5))
        .await
        .expect("updated");
    let read = orders.get(key).await.expect("read").expect("there");
    assert_eq!(read.total, 10.5);
    assert_eq!(
        (read.customer, read.placed, read.number),
        ("c#1".into(), -42, 7)
    );

    // The JSON backend's put carries the same attributes.
    let put = WriteSpec::put("App", &order)
        .build(wire::write)
        .expect("a body");
    let body: serde_json::Value = serde_json::from_str(&put.body).expect("JSON");
    let item = &body["Item"];
    assert_eq!(item["pk"]["S"], "CUSTOMER#c%231");
    assert_eq!(item["sk"]["S"], "ORDER#012457:#0000000007");
    assert_eq!(item["gsi1pk"]["S"], "STATUS#open");
    assert_eq!(item["gsi1sk"]["S"], "PLACED#012457:#0000000007");
    assert_eq!(item["_type"]["S"], "Order");
    assert_eq!(item["customer"]["S"], "c#1");
}

/// The fields of composed keys are checked where the model is declared: the template's
/// pieces and the key types.
#[test]
fn a_models_composed_keys_are_described_by_its_key_schema() {
    use awstin::AttributeType;
    assert_eq!(Order::KEY.partition.name, "pk");
    assert_eq!(Order::KEY.partition.attribute_type, AttributeType::S);
    assert_eq!(Order::KEY.sort.map(|s| s.name), Some("sk"));
    let names: Vec<&str> = Order::ATTRIBUTES.iter().map(|a| a.name).collect();
    assert_eq!(
        names,
        [
            "pk", "sk", "gsi1pk", "gsi1sk", "customer", "placed", "number", "status", "total"
        ]
    );
    assert_eq!(Customer::sk().as_str(), Some("PROFILE"));
    assert_eq!(Customer::sk().fields(), Ok(()));
}

/// Key conditions over the fields (`cond!(customer == c && placed between a..b)`) read what the
/// fields say: each of 300 random conditions of every form (the partition's fields alone, the
/// first sort field with `==`, `<`, `<=`, `>`, `>=`, `between`, both with a range on the last,
/// `begins_with` on a string field, and the same on an index) reads the items an evaluation of
/// the fields in memory selects, in order, and no other.
#[tokio::test]
async fn key_conditions_over_fields_read_what_the_fields_say() {
    let local = table().await;
    let db = local.db();
    let (orders, lines, by_status) = (
        db.table::<Order>(),
        db.table::<Line>(),
        db.table::<ByStatus>(),
    );
    let customers = ["c", "c#", "c%23", ""].map(String::from);
    let placed = [
        i64::MIN,
        -1_000_000,
        -11,
        -10,
        -9,
        -1,
        0,
        1,
        9,
        10,
        11,
        1_000_000,
        i64::MAX,
    ];
    let statuses = ["open", "open#", "shipped"];
    let mut rng = fastrand::Rng::with_seed(30);
    let mut all = Vec::new();
    for customer in &customers {
        for (i, t) in placed.iter().enumerate() {
            for number in [0u32, 7, u32::MAX] {
                all.push(Order {
                    customer: customer.clone(),
                    placed: *t,
                    number,
                    status: Some(statuses[(i + number as usize) % 3].to_string()),
                    total: 1.0,
                });
            }
        }
    }
    let skus = ["a", "a#", "a#b", "ab", "b", "", "%", "😀"].map(String::from);
    let mut all_lines = Vec::new();
    for customer in &customers {
        for number in [1u32, 2] {
            for sku in &skus {
                all_lines.push(Line {
                    customer: customer.clone(),
                    number,
                    sku: sku.clone(),
                    count: 1,
                });
            }
        }
    }
    orders
        .batch_write(all.iter().map(|o| orders.put(o)))
        .await
        .expect("orders");
    lines
        .batch_write(all_lines.iter().map(|l| lines.put(l)))
        .await
        .expect("lines");

    let sorted = |mut v: Vec<&Order>| {
        v.sort_by_key(|o| (o.placed, o.number));
        v.into_iter().cloned().collect::<Vec<Order>>()
    };
    let mut cases = 0;
    for _ in 0..300 {
        let c = customers[rng.usize(..customers.len())].clone();
        let t = placed[rng.usize(..placed.len())];
        let u = placed[rng.usize(..placed.len())];
        let n = [0u32, 7, u32::MAX, 3][rng.usize(..4)];
        let mine = all.iter().filter(|o| o.customer == c);
        let form = rng.usize(..10);
        let (found, expected): (Result<Vec<Order>, Error>, Vec<Order>) = match form {
            0 => (
                orders
                    .query(cond!(customer == c))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.collect()),
            ),
            1 => (
                orders
                    .query(cond!(customer == c && placed == t))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed == t).collect()),
            ),
            2 => (
                orders
                    .query(cond!(customer == c && placed < t))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed < t).collect()),
            ),
            3 => (
                orders
                    .query(cond!(customer == c && placed <= t))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed <= t).collect()),
            ),
            4 => (
                orders
                    .query(cond!(customer == c && placed > t))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed > t).collect()),
            ),
            5 => (
                orders
                    .query(cond!(customer == c && placed >= t))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed >= t).collect()),
            ),
            6 => {
                let (a, b) = (t.min(u), t.max(u));
                (
                    orders
                        .query(cond!(customer == c && placed between a..b))
                        .stream()
                        .try_collect()
                        .await,
                    sorted(mine.filter(|o| (a..=b).contains(&o.placed)).collect()),
                )
            }
            7 => (
                orders
                    .query(cond!(customer == c && placed == t && number > n))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed == t && o.number > n).collect()),
            ),
            8 => (
                orders
                    .query(cond!(customer == c && placed == t && number <= n))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed == t && o.number <= n).collect()),
            ),
            _ => (
                orders
                    .query(cond!(customer == c && placed == t && number == n))
                    .stream()
                    .try_collect()
                    .await,
                sorted(mine.filter(|o| o.placed == t && o.number == n).collect()),
            ),
        };
        let found = found.unwrap_or_else(|e| panic!("form {form}: {e}"));
        assert_eq!(found, expected, "form {form}: {c:?} {t} {u} {n}");
        cases += 1;
    }
    assert_eq!(cases, 300);

    // `begins_with` on a string field after the ones given with `==`.
    for c in &customers {
        for number in [1u32, 2] {
            for prefix in ["a", "a#", "", "%", "b", "😀", "x"] {
                let found: Vec<Line> = lines
                    .query(cond!(
                        customer == c && number == number && begins_with(sku, prefix)
                    ))
                    .stream()
                    .try_collect()
                    .await
                    .expect("read");
                let mut expected: Vec<Line> = all_lines
                    .iter()
                    .filter(|l| &l.customer == c && l.number == number && l.sku.starts_with(prefix))
                    .cloned()
                    .collect();
                expected.sort_by(|a, b| a.sku.cmp(&b.sku));
                assert_eq!(found, expected, "{c:?} {number} {prefix:?}");
                cases += 1;
            }
        }
    }
    // On the index: a status, and a range of when the orders were placed.
    for status in statuses {
        for (a, b) in [
            (i64::MIN, i64::MAX),
            (-10, 10),
            (0, 0),
            (11, -11),
            (-9, 1_000_000),
        ] {
            let found: Result<Vec<ByStatus>, Error> = by_status
                .query(cond!(status == status && placed between a..b))
                .stream()
                .try_collect()
                .await;
            if a > b {
                assert!(
                    matches!(
                        found,
                        Err(Error::Refused(awstin_core::Error::BetweenBounds))
                    ),
                    "{found:?}"
                );
                continue;
            }
            let found = found.expect("read");
            let mut expected: Vec<(i64, u32)> = all
                .iter()
                .filter(|o| o.status.as_deref() == Some(status) && (a..=b).contains(&o.placed))
                .map(|o| (o.placed, o.number))
                .collect();
            expected.sort_unstable();
            assert_eq!(
                found
                    .iter()
                    .map(|o| (o.placed, o.number))
                    .collect::<Vec<_>>(),
                expected,
                "{status:?} {a}..{b}"
            );
            cases += 1;
        }
    }
    assert_eq!(cases, 300 + 56 + 12);
}

/// The JSON backend sends the same key condition on the composed attributes.
#[test]
fn the_json_backend_renders_key_conditions_over_fields_alike() {
    use awstin_core::op::ReadSpec;
    let (c, a, b) = ("c#1", -5i64, 7i64);
    let key = Order::expr(cond!(customer == c && placed between a..b));
    let query = ReadSpec::query("App", &key)
        .build(wire::read)
        .expect("a query");
    let body: serde_json::Value = serde_json::from_str(&query.body).expect("JSON");
    assert_eq!(
        body["KeyConditionExpression"],
        "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2"
    );
    assert_eq!(body["ExpressionAttributeNames"]["#n0"], "pk");
    assert_eq!(body["ExpressionAttributeNames"]["#n1"], "sk");
    let values = &body["ExpressionAttributeValues"];
    assert_eq!(values[":v0"]["S"], "CUSTOMER#c%231");
    assert_eq!(values[":v1"]["S"], "ORDER#01254:");
    assert_eq!(values[":v2"]["S"], "ORDER#21307$");
    // The entity filter joins it, as for every read of an entity model.
    assert_eq!(body["FilterExpression"], "#n2 = :v3");
}

/// A collection query reads a customer's partition once, each item as its model's variant,
/// an item of another type or of none as `Other` (never skipped), in the sort key's order;
/// pages of it hold what they say and go on by their cursors.
#[tokio::test]
async fn a_collection_reads_a_partition_of_mixed_entities_into_one_enum() {
    let local = table().await;
    let db = local.db();
    let (customers, orders, lines, stored) = (
        db.table::<Customer>(),
        db.table::<Order>(),
        db.table::<Line>(),
        db.table::<Stored>(),
    );
    for id in ["c1", "c1#", "c"] {
        customers
            .put(&Customer {
                id: id.into(),
                name: format!("customer {id}"),
            })
            .await
            .expect("stored");
        for n in 0..3u32 {
            orders
                .put(&Order {
                    customer: id.into(),
                    placed: i64::from(n) - 1,
                    number: n,
                    status: None,
                    total: 1.5,
                })
                .await
                .expect("stored");
            lines
                .put(&Line {
                    customer: id.into(),
                    number: n,
                    sku: format!("sku{n}"),
                    count: n,
                })
                .await
                .expect("stored");
        }
    }
    // Two items of c1's partition no member reads: another type, and none.
    for (sk, kind) in [("INVOICE#1", Some("Invoice")), ("NOTE#1", None)] {
        stored
            .put(&Stored {
                pk: "CUSTOMER#c1".into(),
                sk: sk.into(),
                gsi1pk: None,
                gsi1sk: None,
                kind: kind.map(String::from),
            })
            .await
            .expect("stored");
    }
    let id = "c1";
    let all: Vec<CustomerItems> = customers
        .query(cond!(id == id))
        .collection::<CustomerItems>()
        .stream()
        .try_collect()
        .await
        .expect("read");
    let kinds: Vec<&str> = all
        .iter()
        .map(|item| match item {
            CustomerItems::Customer(c) => {
                assert_eq!(c.id, "c1");
                "Customer"
            }
            CustomerItems::Order(o) => {
                assert_eq!(o.customer, "c1");
                "Order"
            }
            CustomerItems::Line(l) => {
                assert_eq!(l.customer, "c1");
                "Line"
            }
            CustomerItems::Other(_) => "Other",
        })
        .collect();
    // The sort key's order: INVOICE#, LINE#, NOTE#, ORDER#, PROFILE.
    assert_eq!(
        kinds,
        [
            "Other", "Line", "Line", "Line", "Other", "Order", "Order", "Order", "Customer"
        ]
    );
    let CustomerItems::Other(invoice) = &all[0] else {
        unreachable!()
    };
    let ValueBuf::M(invoice) = invoice else {
        panic!("an item is a map: {invoice:?}")
    };
    assert_eq!(invoice.get("_type"), Some(&ValueBuf::S("Invoice".into())));
    assert_eq!(invoice.get("sk"), Some(&ValueBuf::S("INVOICE#1".into())));
    // Pages of 2 hold 2 and go on by their cursors to the same items.
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    let mut sizes = Vec::new();
    loop {
        let page = customers
            .query(cond!(id == id))
            .collection::<CustomerItems>()
            .page_size(2)
            .page(cursor.as_deref())
            .await
            .expect("a page");
        sizes.push(page.items.len());
        paged.extend(page.items);
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(paged, all);
    assert_eq!(sizes, [2, 2, 2, 2, 1]);
    let first = customers
        .query(cond!(id == id))
        .collection::<CustomerItems>()
        .page_size(3)
        .page(None)
        .await
        .expect("a page");
    assert_eq!(first.items, all[..3]);

    // A model's query over the fields pages by its cursors too; a cursor of another
    // customer's partition is refused before anything is sent.
    let t = 0i64;
    let mut cursor: Option<String> = None;
    let mut placed = Vec::new();
    loop {
        let page = orders
            .query(cond!(customer == id && placed >= t))
            .page_size(1)
            .page(cursor.as_deref())
            .await
            .expect("a page");
        placed.extend(page.items.iter().map(|o| o.placed));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(placed, [0, 1]);
    let other = "c";
    let theirs = orders
        .query(cond!(customer == other))
        .page_size(1)
        .page(None)
        .await
        .expect("a page")
        .next
        .expect("more pages");
    let e = orders
        .query(cond!(customer == id))
        .page_size(1)
        .page(Some(&theirs))
        .await
        .expect_err("another partition's cursor");
    assert!(
        matches!(e, Error::Refused(awstin_core::Error::InvalidCursor { .. })),
        "{e:?}"
    );
}

/// A table's stream records read into the collection: one stream function sees typed changes
/// across entity types (an item of another type as `Other`), each with the table's key.
#[tokio::test]
async fn stream_records_of_a_shared_table_read_into_the_collection() {
    use aws_sdk_dynamodb::types::StreamViewType;
    use awstin::lambda::stream::{self, ChangeKind};
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = TableSpec::of::<Order>()
        .and_then(|s| s.with_model::<Customer>())
        .and_then(|s| s.with_model::<Line>())
        .and_then(|s| s.with_model::<Stored>())
        .expect("a spec")
        .with_stream(StreamViewType::NewAndOldImages);
    create_table(local.db(), &spec).await.expect("the table");
    let db = local.db();
    let customer = Customer {
        id: "c#1".into(),
        name: "Ada".into(),
    };
    let order = Order {
        customer: "c#1".into(),
        placed: -3,
        number: 9,
        status: Some("open".into()),
        total: 2.5,
    };
    let line = Line {
        customer: "c#1".into(),
        number: 9,
        sku: "s#1".into(),
        count: 2,
    };
    db.table::<Customer>().put(&customer).await.expect("put");
    db.table::<Order>().put(&order).await.expect("put");
    db.table::<Line>().put(&line).await.expect("put");
    let key = (Order::pk("c#1"), Order::sk(&-3, &9));
    db.table::<Order>()
        .update(key, update!(total = 3.5))
        .await
        .expect("updated");
    let deleted = db
        .table::<Line>()
        .delete((Line::pk("c#1"), Line::sk(&9, "s#1")))
        .await
        .expect("deleted");
    assert!(deleted.is_applied());
    db.table::<Stored>()
        .put(&Stored {
            pk: "CUSTOMER#c%231".into(),
            sk: "NOTE#1".into(),
            gsi1pk: None,
            gsi1sk: None,
            kind: Some("Note".into()),
        })
        .await
        .expect("put");
    let json = local.stream_event("App").expect("the stream");
    let event: stream::Event = serde_json::from_value(json).expect("an event");
    let changes: Vec<_> = stream::changes::<CustomerItems>(event)
        .into_iter()
        .map(|r| r.change.expect("a typed change"))
        .collect();
    let kinds: Vec<(ChangeKind, &str)> = changes
        .iter()
        .map(|c| {
            let item = c.new.as_ref().or(c.old.as_ref()).expect("an image");
            let name = match item {
                CustomerItems::Customer(_) => "Customer",
                CustomerItems::Order(_) => "Order",
                CustomerItems::Line(_) => "Line",
                CustomerItems::Other(_) => "Other",
            };
            (c.kind, name)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (ChangeKind::Insert, "Customer"),
            (ChangeKind::Insert, "Order"),
            (ChangeKind::Insert, "Line"),
            (ChangeKind::Modify, "Order"),
            (ChangeKind::Remove, "Line"),
            (ChangeKind::Insert, "Other"),
        ]
    );
    assert_eq!(changes[0].new, Some(CustomerItems::Customer(customer)));
    assert_eq!(changes[3].old, Some(CustomerItems::Order(order.clone())));
    assert_eq!(
        changes[3].new,
        Some(CustomerItems::Order(Order {
            total: 3.5,
            ..order
        }))
    );
    assert_eq!(changes[4].old, Some(CustomerItems::Line(line)));
    // Each record's key is the table's, as stored; the composed sort key reads back into
    // the order's fields.
    assert_eq!(
        changes[3].key,
        (
            ValueBuf::S("CUSTOMER#c%231".into()),
            ValueBuf::S("ORDER#01256:#0000000009".into())
        )
    );
    let ValueBuf::S(sk) = &changes[3].key.1 else {
        unreachable!()
    };
    let keys = ValueBuf::M(BTreeMap::from([
        ("pk".to_string(), changes[3].key.0.clone()),
        ("sk".to_string(), ValueBuf::S(sk.clone())),
    ]));
    assert_eq!(
        Order::decode_key(keys).expect("an order's key").1.fields(),
        Ok((-3, 9))
    );
}

/// An update that sets the fields of a composed index key sets the key with them, or removes
/// it when a field becomes `None` (the sparse index leaves the item); an update of other
/// attributes leaves it. The same through a transaction and in the JSON backend's body.
#[tokio::test]
async fn updates_keep_composed_index_keys_in_step() {
    let local = table().await;
    let db = local.db();
    let (tasks, by_owner, stored) = (
        db.table::<Task>(),
        db.table::<TasksByOwner>(),
        db.table::<Stored>(),
    );
    let task = Task {
        id: "t#1".into(),
        owner: "ada".into(),
        state: Some("open".into()),
        title: "write".into(),
    };
    tasks.put(&task).await.expect("stored");
    let listed = |owner: &'static str, state: &'static str| {
        let by_owner = by_owner.clone();
        async move {
            by_owner
                .query(cond!(owner == owner && state == state))
                .stream()
                .try_collect::<Vec<TasksByOwner>>()
                .await
                .expect("read")
                .into_iter()
                .map(|t| t.id)
                .collect::<Vec<_>>()
        }
    };
    let raw = || async {
        stored
            .get(("TASK#t%231", "TASK"))
            .await
            .expect("read")
            .expect("there")
            .gsi1pk
    };
    assert_eq!(listed("ada", "open").await, ["t#1"]);
    let key = (Task::pk("t#1"), Task::sk());
    // A put of a task with an owner and no state: the two-field key is left out.
    tasks
        .put(&Task {
            id: "t2".into(),
            owner: "ada".into(),
            state: None,
            title: "later".into(),
        })
        .await
        .expect("stored");
    let t2 = stored
        .get(("TASK#t2", "TASK"))
        .await
        .expect("read")
        .expect("there");
    assert_eq!((t2.gsi1pk, t2.gsi1sk.as_deref()), (None, Some("TASK#t2")));

    // Both fields: the key follows.
    let (owner, state) = ("bob#2".to_string(), Some("done".to_string()));
    tasks
        .update(key.clone(), update!(owner = owner, state = state))
        .await
        .expect("updated");
    assert_eq!(raw().await.as_deref(), Some("OWNER#bob%232#done"));
    assert_eq!(listed("ada", "open").await, Vec::<String>::new());
    assert_eq!(listed("bob#2", "done").await, ["t#1"]);

    // Another attribute: the key stays.
    let title = "rewrite".to_string();
    tasks
        .update(key.clone(), update!(title = title))
        .await
        .expect("updated");
    assert_eq!(raw().await.as_deref(), Some("OWNER#bob%232#done"));

    // A field set to `None`: the key is removed, the item leaves the index.
    let none: Option<String> = None;
    tasks
        .update(key.clone(), update!(owner = owner, state = none))
        .await
        .expect("updated");
    assert_eq!(raw().await, None);
    assert_eq!(listed("bob#2", "done").await, Vec::<String>::new());

    // Through a transaction.
    let (owner, state) = ("cy".to_string(), Some("open".to_string()));
    db.transact_write()
        .write(tasks.update(key.clone(), update!(state = state, owner = owner)))
        .await
        .expect("written");
    assert_eq!(listed("cy", "open").await, ["t#1"]);

    // The JSON backend's body sets (and removes) the key as the SDK's does.
    use awstin_core::op::Key;
    let (owner, state) = ("dee".to_string(), Some("open".to_string()));
    let u = Task::expr(update!(owner = owner, state = state));
    let body = |u| -> serde_json::Value {
        let w = WriteSpec::update("App", Key::of::<Task, _>(&key), u)
            .build(wire::write)
            .expect("a body");
        serde_json::from_str(&w.body).expect("JSON")
    };
    let set = body(&u);
    assert_eq!(
        set["UpdateExpression"],
        "SET #n0 = :v0, #n1 = :v1, #n2 = :v2, #n3 = :v3"
    );
    assert_eq!(set["ExpressionAttributeNames"]["#n3"], "gsi1pk");
    assert_eq!(
        set["ExpressionAttributeValues"][":v3"]["S"],
        "OWNER#dee#open"
    );
    let u = Task::expr(update!(owner = owner, state = none));
    let removed = body(&u);
    assert_eq!(
        removed["UpdateExpression"],
        "SET #n0 = :v0, #n1 = :v1, #n2 = :v2 REMOVE #n3"
    );
    assert_eq!(removed["ExpressionAttributeNames"]["#n3"], "gsi1pk");
}

dynamo_model! {
    /// A device's readings: a partition key that is a field, a composed sort key.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Reading {
        table "App"; entity "Reading";
        key pk: String;
        key sk = "AT#" at "#" seq;
        attr at: i64;
        attr seq: u32;
    }
}

/// A partition key that is a field goes with key conditions over a composed sort key's
/// fields: `pk == p && at == t && seq >= n`.
#[tokio::test]
async fn a_plain_partition_key_with_a_composed_sort_key() {
    let local = table().await;
    let readings = local.db().table::<Reading>();
    let all: Vec<Reading> = (0..40)
        .map(|i: i64| Reading {
            pk: format!("device#{}", i % 2),
            at: i % 5 - 2,
            seq: u32::try_from(i).expect("small"),
        })
        .collect();
    readings
        .batch_write(all.iter().map(|r| readings.put(r)))
        .await
        .expect("stored");
    for p in ["device#0", "device#1"] {
        for t in -2..3i64 {
            for n in [0u32, 10, 30] {
                let found: Vec<Reading> = readings
                    .query(cond!(pk == p && at == t && seq >= n))
                    .stream()
                    .try_collect()
                    .await
                    .expect("read");
                let mut expected: Vec<&Reading> = all
                    .iter()
                    .filter(|r| r.pk == p && r.at == t && r.seq >= n)
                    .collect();
                expected.sort_by_key(|r| r.seq);
                assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{p} {t} {n}");
            }
            let found: Vec<Reading> = readings
                .query(cond!(pk == p && at <= t))
                .stream()
                .try_collect()
                .await
                .expect("read");
            let mut expected: Vec<&Reading> =
                all.iter().filter(|r| r.pk == p && r.at <= t).collect();
            expected.sort_by_key(|r| (r.at, r.seq));
            assert_eq!(found.iter().collect::<Vec<_>>(), expected, "{p} at <= {t}");
        }
    }
}
