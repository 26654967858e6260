//! The shop of `awstin_examples::shop` on the embedded DynamoDB: its table created from the
//! models, a few customers, orders and products stored, and each access pattern run once.
//! `cargo run -p awstin-examples --features local --bin shop`

use awstin::dynamodb::CursorKey;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin_examples::shop::{
    Customer, CustomerItems, Line, Order, OrdersByStatus, Product, ProductsByBrand, Shop,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    awstin::lambda::init_tracing();
    let local = LocalDynamoDb::start().await?;
    let spec = TableSpec::of::<Order>()?
        .with_model::<Customer>()?
        .with_model::<Line>()?
        .with_model::<Product>()?
        .with_index::<OrdersByStatus>()?
        .with_index::<ProductsByBrand>()?;
    create_table(local.db(), &spec).await?;
    let shop = Shop::new(local.db());
    for (sku, name, category, brand, price) in [
        ("T#1", "Sencha", "tea", "Hoshino", 450),
        ("T#2", "Assam", "tea", "Halmari", 390),
        ("C#1", "Mocha", "coffee", "Yirga", 520),
    ] {
        shop.add_product(&Product {
            sku: sku.into(),
            name: name.into(),
            category: category.into(),
            brand: brand.into(),
            price_cents: price,
        })
        .await?;
    }
    shop.add_customer(&Customer {
        id: "c42".into(),
        name: "Ada".into(),
        email: "ada@example.com".into(),
    })
    .await?;
    for (number, placed, status) in [
        (1, 1_764_000_000, None),
        (2, 1_764_500_000, Some("shipped")),
        (3, 1_765_000_000, Some("open")),
    ] {
        let order = Order {
            customer: "c42".into(),
            placed,
            number,
            status: status.map(String::from),
            total_cents: 840,
        };
        let lines = [
            Line {
                customer: "c42".into(),
                order: number,
                sku: "T#1".into(),
                quantity: 1,
                price_cents: 450,
            },
            Line {
                customer: "c42".into(),
                order: number,
                sku: "T#2".into(),
                quantity: 1,
                price_cents: 390,
            },
        ];
        shop.place_order(&order, &lines).await?;
    }
    println!("profile: {:?}", shop.customer("c42").await?.map(|c| c.name));
    let recent = shop
        .orders_placed("c42", 1_764_400_000, 1_765_100_000)
        .await?;
    println!(
        "orders placed since 1764400000, newest first: {:?}",
        recent.iter().map(|o| o.number).collect::<Vec<_>>()
    );
    let key = CursorKey::new("a secret of the example, at least 32 bytes long")?;
    let page = shop.customer_page("c42", 4, &key, None).await?;
    let kinds: Vec<&str> = page
        .items
        .iter()
        .map(|i| match i {
            CustomerItems::Customer(_) => "customer",
            CustomerItems::Order(_) => "order",
            CustomerItems::Line(_) => "line",
            CustomerItems::Other(_) => "other",
        })
        .collect();
    println!(
        "the partition's first page: {kinds:?}, more: {}",
        page.next.is_some()
    );
    println!(
        "lines of order 2: {:?}",
        shop.order_lines("c42", 2)
            .await?
            .iter()
            .map(|l| &l.sku)
            .collect::<Vec<_>>()
    );
    println!(
        "open orders: {:?}",
        shop.orders_by_status("open", 0)
            .await?
            .iter()
            .map(|o| o.number)
            .collect::<Vec<_>>()
    );
    println!(
        "tea up to 4.50: {:?}",
        shop.products_up_to("tea", 450)
            .await?
            .iter()
            .map(|p| &p.name)
            .collect::<Vec<_>>()
    );
    println!(
        "Hoshino tea up to 5.00: {:?}",
        shop.brand_products_up_to("tea", "Hoshino", 500)
            .await?
            .iter()
            .map(|p| &p.name)
            .collect::<Vec<_>>()
    );
    Ok(())
}
