//! The single-table shop of `awstin_examples::shop` on the embedded DynamoDB: one test per
//! access pattern, each against the same data filtered in memory, and its Lambda handler.

use aws_lambda_events::encodings::Body;
use awstin::dynamodb::{CursorKey, Error};
use awstin::lambda::http::HttpRequest;
use awstin::lambda::{Context, LambdaEvent, http_handler};
use awstin::testing::events::http_api;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::shop::{
    Customer, CustomerItems, ITEMS_PAGE, Line, Order, OrdersByStatus, Product, ProductsByBrand,
    Shop, customers_api, parse_items,
};

/// Customers (one whose id holds the separator and another's prefix), their orders and lines,
/// and products of two categories.
struct Data {
    customers: Vec<Customer>,
    orders: Vec<Order>,
    lines: Vec<Line>,
    products: Vec<Product>,
}

fn data() -> Data {
    let ids = ["c42", "c42#", "CUSTOMER#c42", "ada"];
    let customers = ids
        .iter()
        .map(|id| Customer {
            id: (*id).into(),
            name: format!("customer {id}"),
            email: format!("{id}@example.com"),
        })
        .collect();
    let statuses = [None, Some("open"), Some("shipped"), Some("open")];
    let mut orders = Vec::new();
    let mut lines = Vec::new();
    for (c, id) in ids.iter().enumerate() {
        for n in 0..6u32 {
            let placed =
                1_764_000_000 + i64::from(n) * 86_400 - i64::try_from(c).expect("small") * 3_600;
            orders.push(Order {
                customer: (*id).into(),
                placed,
                number: n,
                status: statuses[(n as usize + c) % 4].map(String::from),
                total_cents: u64::from(n) * 100 + 50,
            });
            for sku in ["T#1", "T#2", "C#1"].iter().take(1 + n as usize % 3) {
                lines.push(Line {
                    customer: (*id).into(),
                    order: n,
                    sku: (*sku).into(),
                    quantity: n + 1,
                    price_cents: 450,
                });
            }
        }
    }
    let products = [
        ("T#1", "Sencha", "tea", "Hoshino", 450),
        ("T#2", "Assam", "tea", "Halmari", 390),
        ("T#3", "Darjeeling", "tea", "Hoshino", 450),
        ("T#4", "Matcha", "tea", "Hoshino", 1_200),
        ("C#1", "Mocha", "coffee", "Yirga", 520),
        ("C#2", "Java", "coffee", "Hoshino", 310),
    ]
    .map(|(sku, name, category, brand, price_cents)| Product {
        sku: sku.into(),
        name: name.into(),
        category: category.into(),
        brand: brand.into(),
        price_cents,
    })
    .to_vec();
    Data {
        customers,
        orders,
        lines,
        products,
    }
}

async fn shop() -> (LocalDynamoDb, Shop, Data) {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = TableSpec::of::<Order>()
        .and_then(|s| s.with_model::<Customer>())
        .and_then(|s| s.with_model::<Line>())
        .and_then(|s| s.with_model::<Product>())
        .and_then(|s| s.with_index::<OrdersByStatus>())
        .and_then(|s| s.with_index::<ProductsByBrand>())
        .expect("the shop's table");
    create_table(local.db(), &spec).await.expect("created");
    let shop = Shop::new(local.db());
    let data = data();
    for c in &data.customers {
        shop.add_customer(c).await.expect("stored");
    }
    for p in &data.products {
        shop.add_product(p).await.expect("stored");
    }
    for o in &data.orders {
        let lines: Vec<Line> = data
            .lines
            .iter()
            .filter(|l| l.customer == o.customer && l.order == o.number)
            .cloned()
            .collect();
        shop.place_order(o, &lines).await.expect("placed");
    }
    (local, shop, data)
}

#[tokio::test]
async fn a_customers_profile_by_id() {
    let (_local, shop, data) = shop().await;
    for c in &data.customers {
        assert_eq!(shop.customer(&c.id).await.expect("read").as_ref(), Some(c));
    }
    assert_eq!(shop.customer("c4").await.expect("read"), None);
    assert_eq!(shop.customer("c42#PROFILE").await.expect("read"), None);
}

#[tokio::test]
async fn a_customers_orders_in_a_time_range_newest_first() {
    let (_local, shop, data) = shop().await;
    for c in &data.customers {
        for (from, to) in [
            (i64::MIN, i64::MAX),
            (1_764_086_400, 1_764_259_200),
            (1_764_100_000, 1_764_100_001),
        ] {
            let found = shop.orders_placed(&c.id, from, to).await.expect("read");
            let mut expected: Vec<&Order> = data
                .orders
                .iter()
                .filter(|o| o.customer == c.id && (from..=to).contains(&o.placed))
                .collect();
            expected.sort_by_key(|o| std::cmp::Reverse((o.placed, o.number)));
            assert_eq!(
                found.iter().collect::<Vec<_>>(),
                expected,
                "{} {from}..{to}",
                c.id
            );
        }
    }
}

#[tokio::test]
async fn a_customers_partition_a_page_at_a_time() {
    let (_local, shop, data) = shop().await;
    let key = CursorKey::new(b"the shop test's cursor secret".to_vec()).expect("a key");
    for c in &data.customers {
        let (mut seen, mut cursor, mut pages) = (Vec::new(), None::<String>, 0);
        loop {
            let page = shop
                .customer_page(&c.id, 3, &key, cursor.as_deref())
                .await
                .expect("a page");
            assert!(page.items.len() <= 3);
            seen.extend(page.items);
            pages += 1;
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
        }
        let (mut profiles, mut orders, mut lines) = (0, 0, 0);
        for item in &seen {
            match item {
                CustomerItems::Customer(x) => {
                    assert_eq!(x, c);
                    profiles += 1;
                }
                CustomerItems::Order(o) => {
                    assert_eq!(o.customer, c.id);
                    orders += 1;
                }
                CustomerItems::Line(l) => {
                    assert_eq!(l.customer, c.id);
                    lines += 1;
                }
                CustomerItems::Other(other) => panic!("an item of no member: {other:?}"),
            }
        }
        let own_lines = data.lines.iter().filter(|l| l.customer == c.id).count();
        assert_eq!((profiles, orders, lines), (1, 6, own_lines), "{}", c.id);
        assert_eq!(pages, (1 + 6 + own_lines).div_ceil(3), "{}", c.id);
    }
}

#[tokio::test]
async fn an_orders_lines() {
    let (_local, shop, data) = shop().await;
    for o in &data.orders {
        let found = shop.order_lines(&o.customer, o.number).await.expect("read");
        let mut expected: Vec<&Line> = data
            .lines
            .iter()
            .filter(|l| l.customer == o.customer && l.order == o.number)
            .collect();
        expected.sort_by(|a, b| a.sku.cmp(&b.sku));
        assert_eq!(found.iter().collect::<Vec<_>>(), expected);
    }
}

#[tokio::test]
async fn orders_by_status_across_customers_from_the_sparse_index() {
    let (_local, shop, data) = shop().await;
    for status in ["open", "shipped", "returned"] {
        for since in [0, 1_764_172_800] {
            let found = shop.orders_by_status(status, since).await.expect("read");
            let mut expected: Vec<(i64, u32, &str)> = data
                .orders
                .iter()
                .filter(|o| o.status.as_deref() == Some(status) && o.placed >= since)
                .map(|o| (o.placed, o.number, o.customer.as_str()))
                .collect();
            expected.sort_unstable();
            assert_eq!(
                found
                    .iter()
                    .map(|o| (o.placed, o.number, o.customer.as_str()))
                    .collect::<Vec<_>>(),
                expected,
                "{status} since {since}"
            );
        }
    }
    // An order without a status is in no status's query: the index holds the others only.
    let without = data.orders.iter().filter(|o| o.status.is_none()).count();
    let with = data.orders.len() - without;
    let mut indexed = 0;
    for status in ["open", "shipped"] {
        indexed += shop
            .orders_by_status(status, i64::MIN)
            .await
            .expect("read")
            .len();
    }
    assert_eq!(indexed, with);
    assert!(without > 0);
}

#[tokio::test]
async fn a_categorys_products_up_to_a_price_from_the_overloaded_index() {
    let (_local, shop, data) = shop().await;
    for category in ["tea", "coffee", "cake"] {
        for max in [0, 390, 450, 10_000] {
            let found = shop.products_up_to(category, max).await.expect("read");
            let mut expected: Vec<(u64, &str)> = data
                .products
                .iter()
                .filter(|p| p.category == category && p.price_cents <= max)
                .map(|p| (p.price_cents, p.sku.as_str()))
                .collect();
            expected.sort_unstable();
            assert_eq!(
                found
                    .iter()
                    .map(|p| (p.price_cents, p.sku.as_str()))
                    .collect::<Vec<_>>(),
                expected,
                "{category} up to {max}"
            );
        }
    }
}

#[tokio::test]
async fn a_brands_products_of_a_category_up_to_a_price_from_the_multi_attribute_index() {
    let (_local, shop, data) = shop().await;
    for (category, brand) in [
        ("tea", "Hoshino"),
        ("tea", "Halmari"),
        ("coffee", "Hoshino"),
        ("tea", "Yirga"),
    ] {
        for max in [0, 310, 450, 10_000] {
            let found = shop
                .brand_products_up_to(category, brand, max)
                .await
                .expect("read");
            let mut expected: Vec<(u64, &str)> = data
                .products
                .iter()
                .filter(|p| p.category == category && p.brand == brand && p.price_cents <= max)
                .map(|p| (p.price_cents, p.sku.as_str()))
                .collect();
            expected.sort_by_key(|p| p.0);
            let mut got: Vec<(u64, &str)> = found
                .iter()
                .map(|p| (p.price_cents, p.sku.as_str()))
                .collect();
            // In price order; products of one price in DynamoDB's order.
            assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "{got:?}");
            got.sort_unstable();
            expected.sort_unstable();
            assert_eq!(got, expected, "{category} {brand} up to {max}");
        }
    }
}

#[tokio::test]
async fn repricing_a_product_keeps_its_index_key_in_step() {
    let (_local, shop, _) = shop().await;
    let tea = |max| {
        let shop = shop.clone();
        async move {
            shop.products_up_to("tea", max)
                .await
                .expect("read")
                .into_iter()
                .map(|p| (p.price_cents, p.sku))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        tea(500).await,
        [
            (390, "T#2".to_string()),
            (450, "T#1".into()),
            (450, "T#3".into())
        ]
    );
    let repriced = shop.reprice("T#4", 100).await.expect("repriced");
    assert_eq!(repriced.price_cents, 100);
    // The index key as stored: the new price, and the SKU read from the product's key.
    awstin::dynamo_model! {
        pub struct RawProduct { table "Shop"; key pk: String; key sk: String; attr gsi1sk: Option<String> }
    }
    let raw = _local
        .db()
        .table::<RawProduct>()
        .get(("PRODUCT#T%234", "PRODUCT"))
        .await
        .expect("read")
        .expect("there");
    assert_eq!(
        raw.gsi1sk.as_deref(),
        Some("PRICE#00000000000000000100#T%234")
    );
    assert_eq!(
        tea(500).await,
        [
            (100, "T#4".to_string()),
            (390, "T#2".into()),
            (450, "T#1".into()),
            (450, "T#3".into())
        ]
    );
    shop.reprice("T#2", 2_000).await.expect("repriced");
    assert_eq!(tea(10_000).await.last(), Some(&(2_000, "T#2".to_string())));
}

#[tokio::test]
async fn placing_an_order_is_all_or_nothing() {
    let (_local, shop, _) = shop().await;
    let order = Order {
        customer: "new".into(),
        placed: 1,
        number: 1,
        status: Some("open".into()),
        total_cents: 900,
    };
    let line = Line {
        customer: "new".into(),
        order: 1,
        sku: "T#1".into(),
        quantity: 2,
        price_cents: 450,
    };
    // The same line twice: refused before anything is sent, and nothing stored.
    let e = shop
        .place_order(&order, &[line.clone(), line.clone()])
        .await
        .expect_err("the same item twice");
    assert!(matches!(e, Error::Refused(_)), "{e:?}");
    assert_eq!(shop.order_lines("new", 1).await.expect("read"), []);
    assert_eq!(shop.orders_placed("new", 0, 10).await.expect("read"), []);
    shop.place_order(&order, std::slice::from_ref(&line))
        .await
        .expect("placed");
    assert_eq!(shop.order_lines("new", 1).await.expect("read"), [line]);
}

async fn call(shop: &Shop, key: &CursorKey, event: HttpRequest) -> (i64, serde_json::Value) {
    let (shop, key) = (shop.clone(), key.clone());
    let handler = http_handler(parse_items, move |asked| {
        let (shop, key) = (shop.clone(), key.clone());
        async move { customers_api(&shop, &key, asked).await }
    });
    let response = handler
        .call(LambdaEvent::new(event, Context::default()))
        .await
        .expect("an answer");
    let Some(Body::Text(body)) = response.body else {
        panic!("a text body was expected")
    };
    (
        response.status_code,
        serde_json::from_str(&body).expect("JSON"),
    )
}

fn items_request(id: &str, cursor: Option<&str>) -> HttpRequest {
    let path = format!("/customers/{id}/items");
    let mut event = http_api("GET", "/customers/{id}/items", &path).path_param("id", id);
    if let Some(cursor) = cursor {
        event = event.query("cursor", cursor);
    }
    event.build()
}

#[tokio::test]
async fn the_customers_api_pages_a_partition_and_answers_client_input_with_a_4xx() {
    let (_local, shop, data) = shop().await;
    let key = CursorKey::new(b"the shop api test's cursor secret".to_vec()).expect("a key");
    let c = &data.customers[1];
    let (mut cursor, mut types) = (None::<String>, Vec::new());
    loop {
        let (status, json) = call(&shop, &key, items_request(&c.id, cursor.as_deref())).await;
        assert_eq!(status, 200, "{json}");
        let items = json["items"].as_array().expect("items");
        assert!(items.len() <= ITEMS_PAGE as usize);
        types.extend(
            items
                .iter()
                .map(|i| i["type"].as_str().expect("a type").to_owned()),
        );
        cursor = json["next"].as_str().map(String::from);
        if cursor.is_none() {
            break;
        }
    }
    let lines = data.lines.iter().filter(|l| l.customer == c.id).count();
    assert_eq!(types.len(), 1 + 6 + lines);
    assert_eq!(
        types.last().map(String::as_str),
        Some("Customer"),
        "PROFILE sorts last"
    );
    // Client input: cursors that are not the API's, an empty and a too long id.
    for bad in ["x", "%%%", "eyJ", &"A".repeat(5_000)] {
        let (status, json) = call(&shop, &key, items_request(&c.id, Some(bad))).await;
        assert_eq!(status, 400, "{bad:?}: {json}");
    }
    let (status, _) = call(&shop, &key, items_request("", None)).await;
    assert_eq!(status, 400);
    let (status, _) = call(&shop, &key, items_request(&"i".repeat(1_025), None)).await;
    assert_eq!(status, 400);
    // Another customer's cursor does not read this customer's partition.
    let (_, first) = call(&shop, &key, items_request(&data.customers[0].id, None)).await;
    let theirs = first["next"].as_str().expect("more pages");
    let (status, json) = call(&shop, &key, items_request(&c.id, Some(theirs))).await;
    assert_eq!(status, 400, "{json}");
}
