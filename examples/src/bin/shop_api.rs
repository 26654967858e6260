//! The shop's customers API Lambda: `GET /customers/{id}/items?cursor=...`, a page of a
//! customer's partition (`awstin_examples::shop::customers_api`); `SHOP_CURSOR_SECRET` signs
//! its cursors. Deploy it with `cargo lambda build --release --arm64 -p awstin-examples --bin
//! shop_api`; `tests/shop.rs` runs its handler on the embedded DynamoDB.

use awstin::dynamodb::{CursorKey, DynamoDb};
use awstin::lambda::http_handler;
use awstin_examples::shop::{Shop, customers_api, parse_items};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_none() {
        eprintln!("shop_api runs on AWS Lambda; tests/shop.rs runs its handler locally");
        std::process::exit(2);
    }
    let shop = Shop::new(&DynamoDb::from_env().await?);
    let key = CursorKey::new(std::env::var("SHOP_CURSOR_SECRET")?)?;
    http_handler(parse_items, move |asked| {
        let (shop, key) = (shop.clone(), key.clone());
        async move { customers_api(&shop, &key, asked).await }
    })
    .run()
    .await
}
