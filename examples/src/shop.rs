//! A shop in one table, as AWS teaches single-table design: customers, their orders and the
//! orders' lines in each customer's partition, products in their own, a secondary index
//! (`gsi1`) overloaded by two entities: orders by status (sparse: only orders with a status
//! are in it) and products by category and price; and a multi-attribute index (`gsi2`) of
//! products by category and brand.
//!
//! # The table's layout
//!
//! | entity | `pk` | `sk` | `gsi1pk` | `gsi1sk` | fields |
//! | --- | --- | --- | --- | --- | --- |
//! | [`Customer`] | `CUSTOMER#c42` | `PROFILE` | | | `id`, `name`, `email` |
//! | [`Order`] | `CUSTOMER#c42` | `ORDER#21310177...#0000000007` | `STATUS#open` (or none) | `PLACED#21310177...#0000000007` | `customer`, `placed`, `number`, `status`, `total_cents` |
//! | [`Line`] | `CUSTOMER#c42` | `LINE#0000000007#SKU%231` | | | `customer`, `order`, `sku`, `quantity`, `price_cents` |
//! | [`Product`] | `PRODUCT#SKU%231` | `PRODUCT` | `CATEGORY#tea` | `PRICE#00000000000000000450#SKU%231` | `sku`, `name`, `category`, `brand`, `price_cents` |
//!
//! A second index, `gsi2`, is a multi-attribute one: its partition key is the products'
//! `category` and `brand` attributes themselves, its sort key `price_cents` (no composed text).
//!
//! Every item also holds `_type` (its entity) and its fields as attributes of their own; the
//! key attributes are composed from the fields by the models' `key` and `index_key` lines on
//! every put, escaped (`#` in a value is `%23`) so that no value reaches another item, and
//! numbers written so that DynamoDB's order of the text is the order of the values (the
//! `placed` time, signed, as a sign, a magnitude and digits; unsigned numbers zero-padded).
//!
//! # The access patterns
//!
//! | pattern | call |
//! | --- | --- |
//! | a customer's profile | [`Shop::customer`]: a get by the keys `Customer::pk`/`sk` make |
//! | a customer's orders placed in a time range, newest first | [`Shop::orders_placed`]: `cond!(customer == c && placed between from..to)`, reversed |
//! | a customer's whole partition, a page at a time | [`Shop::customer_page`]: the collection [`CustomerItems`] |
//! | an order's lines | [`Shop::order_lines`]: `cond!(customer == c && order == n)` (a prefix of the sort key) |
//! | the orders of a status since a time, across customers | [`Shop::orders_by_status`]: the sparse index, [`OrdersByStatus`] |
//! | a category's products up to a price, cheapest first | [`Shop::products_up_to`]: the same index, [`ProductsByCategory`] |
//! | a brand's products of a category up to a price | [`Shop::brand_products_up_to`]: the multi-attribute index `gsi2`, [`ProductsByBrand`] |
//! | placing an order with its lines, all or nothing | [`Shop::place_order`]: a transaction |
//! | changing a product's price, its index key with it | [`Shop::reprice`]: an update that sets `gsi1sk` too |
//!
//! [`customers_api`] answers `GET /customers/{id}/items?cursor=...` with a page of a
//! customer's partition, through `http_handler`.

use awstin::dynamodb::{CursorKey, DynamoDb, Error, Page, Table};
use awstin::futures::TryStreamExt as _;
use awstin::lambda::http::{self, HttpApiResponse, HttpRequest};
use awstin::lambda::{Context, ParseError};
use awstin::{cond, dynamo_collection, dynamo_model};
use serde::Serialize;

dynamo_model! {
    /// A customer: the profile item of the customer's partition.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Customer {
        table "Shop"; entity "Customer";
        /// The customer's partition.
        key pk = "CUSTOMER#" id;
        /// One profile per customer.
        key sk = "PROFILE";
        /// The customer's id.
        attr id: String;
        /// Their name.
        attr name: String;
        /// Their email address.
        attr email: String;
    }
}

dynamo_model! {
    /// An order, in its customer's partition in the order it was placed; while it has a
    /// status, in the index `gsi1` by status.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Order {
        table "Shop"; entity "Order";
        /// The customer's partition.
        key pk = "CUSTOMER#" customer;
        /// By when it was placed, then its number.
        key sk = "ORDER#" placed "#" number;
        /// Its status: absent when it has none (not in the index).
        index_key gsi1pk = "STATUS#" status;
        /// In the index, by when it was placed.
        index_key gsi1sk = "PLACED#" placed "#" number;
        /// The customer's id.
        attr customer: String;
        /// When it was placed, in seconds since the Unix epoch.
        attr placed: i64;
        /// Its number.
        attr number: u32;
        /// `open`, `shipped`, or none (delivered and done).
        attr status: Option<String>;
        /// The total, in cents.
        attr total_cents: u64;
    }
}

dynamo_model! {
    /// A line of an order, in the customer's partition after the order's number.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Line {
        table "Shop"; entity "Line";
        /// The customer's partition.
        key pk = "CUSTOMER#" customer;
        /// By the order's number, then the product.
        key sk = "LINE#" order "#" sku;
        /// The customer's id.
        attr customer: String;
        /// The order's number.
        attr order: u32;
        /// The product.
        attr sku: String;
        /// How many.
        attr quantity: u32;
        /// The price of one, in cents.
        attr price_cents: u64;
    }
}

dynamo_model! {
    /// A product: its own partition; in the index `gsi1` by category and price.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct Product {
        table "Shop"; entity "Product";
        /// The product's partition.
        key pk = "PRODUCT#" sku;
        /// One item per product.
        key sk = "PRODUCT";
        /// In the index by category.
        index_key gsi1pk = "CATEGORY#" category;
        /// Then by price.
        index_key gsi1sk = "PRICE#" price_cents "#" sku;
        /// Its stock-keeping unit.
        attr sku: String;
        /// Its name.
        attr name: String;
        /// Its category.
        attr category: String;
        /// Its brand: with the category, the partition of the index `gsi2`.
        index_key brand: String;
        /// Its price, in cents.
        attr price_cents: u64;
    }
}

dynamo_model! {
    /// The products by category and brand, then price: `gsi2`, a multi-attribute index (its
    /// partition key is two attributes, `category` and `brand`, each as stored).
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ProductsByBrand {
        index "gsi2" on Order;
        /// The category and the brand.
        key (category, brand);
        /// The price.
        key (price_cents);
        /// The category.
        attr category: String;
        /// The brand.
        attr brand: String;
        /// The price, in cents.
        attr price_cents: u64;
        /// The product.
        attr sku: String;
        /// Its name.
        attr name: String;
    }
}

dynamo_model! {
    /// The orders with a status, by status and when they were placed: `gsi1` as orders fill it.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct OrdersByStatus {
        index "gsi1" on Order;
        /// The status.
        key gsi1pk = "STATUS#" status;
        /// When the order was placed, and its number.
        key gsi1sk = "PLACED#" placed "#" number;
        /// The status.
        attr status: String;
        /// When it was placed.
        attr placed: i64;
        /// Its number.
        attr number: u32;
        /// The customer's id.
        attr customer: String;
        /// The total, in cents.
        attr total_cents: u64;
    }
}

dynamo_model! {
    /// The products by category and price: `gsi1` as products fill it.
    #[derive(Debug, Clone, PartialEq, Serialize)]
    pub struct ProductsByCategory {
        index "gsi1" on Order;
        /// The category.
        key gsi1pk = "CATEGORY#" category;
        /// The price, then the product.
        key gsi1sk = "PRICE#" price_cents "#" sku;
        /// The category.
        attr category: String;
        /// The price, in cents.
        attr price_cents: u64;
        /// The product.
        attr sku: String;
        /// Its name.
        attr name: String;
    }
}

dynamo_collection! {
    /// A customer's partition: the profile, the orders and their lines.
    #[derive(Debug, Clone, PartialEq)]
    pub enum CustomerItems { Customer(Customer), Order(Order), Line(Line) }
}

/// The shop's table, one handle per model.
#[derive(Clone)]
pub struct Shop {
    customers: Table<Customer>,
    orders: Table<Order>,
    lines: Table<Line>,
    products: Table<Product>,
    by_status: Table<OrdersByStatus>,
    by_category: Table<ProductsByCategory>,
    by_brand: Table<ProductsByBrand>,
}

impl Shop {
    /// The shop on `db`.
    pub fn new(db: &DynamoDb) -> Shop {
        Shop {
            customers: db.table(),
            orders: db.table(),
            lines: db.table(),
            products: db.table(),
            by_status: db.table(),
            by_category: db.table(),
            by_brand: db.table(),
        }
    }

    /// Stores a customer's profile.
    pub async fn add_customer(&self, customer: &Customer) -> Result<(), Error> {
        self.customers.put(customer).await
    }

    /// Stores a product.
    pub async fn add_product(&self, product: &Product) -> Result<(), Error> {
        self.products.put(product).await
    }

    /// Places an order with its lines: all stored, or none (a transaction).
    pub async fn place_order(&self, order: &Order, lines: &[Line]) -> Result<(), Error> {
        let mut write = self
            .orders
            .db()
            .transact_write()
            .write(self.orders.put(order));
        for line in lines {
            write = write.write(self.lines.put(line));
        }
        write.await
    }

    /// A customer's profile, by id.
    pub async fn customer(&self, id: &str) -> Result<Option<Customer>, Error> {
        self.customers.get((Customer::pk(id), Customer::sk())).await
    }

    /// A customer's orders placed from `from` to `to` (inclusive), newest first.
    pub async fn orders_placed(
        &self,
        customer: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Order>, Error> {
        self.orders
            .query(cond!(customer == customer && placed between from..to))
            .reverse()
            .stream()
            .try_collect()
            .await
    }

    /// A page of a customer's partition (profile, orders, lines), after `cursor`.
    pub async fn customer_page(
        &self,
        id: &str,
        size: u32,
        key: &CursorKey,
        cursor: Option<&str>,
    ) -> Result<Page<CustomerItems>, Error> {
        self.customers
            .query(cond!(id == id))
            .collection::<CustomerItems>()
            .page_size(size)
            .cursor_key(key.clone())
            .page(cursor)
            .await
    }

    /// The lines of a customer's order, by product.
    pub async fn order_lines(&self, customer: &str, order: u32) -> Result<Vec<Line>, Error> {
        self.lines
            .query(cond!(customer == customer && order == order))
            .stream()
            .try_collect()
            .await
    }

    /// The orders of a status placed at `since` or later, oldest first, across customers.
    pub async fn orders_by_status(
        &self,
        status: &str,
        since: i64,
    ) -> Result<Vec<OrdersByStatus>, Error> {
        self.by_status
            .query(cond!(status == status && placed >= since))
            .stream()
            .try_collect()
            .await
    }

    /// A category's products priced at most `max_cents`, cheapest first.
    pub async fn products_up_to(
        &self,
        category: &str,
        max_cents: u64,
    ) -> Result<Vec<ProductsByCategory>, Error> {
        self.by_category
            .query(cond!(category == category && price_cents <= max_cents))
            .stream()
            .try_collect()
            .await
    }
}

impl Shop {
    /// Changes a product's price: one update, which sets the index key `gsi1sk` made from
    /// the price and the product's SKU (read from the product's key) with it.
    pub async fn reprice(&self, sku: &str, price_cents: u64) -> Result<Product, Error> {
        self.products
            .update(
                (Product::pk(sku), Product::sk()),
                awstin::update!(price_cents = price_cents),
            )
            .await
    }

    /// A brand's products of a category priced at most `max_cents`, cheapest first: the
    /// multi-attribute index, each key attribute compared natively.
    pub async fn brand_products_up_to(
        &self,
        category: &str,
        brand: &str,
        max_cents: u64,
    ) -> Result<Vec<ProductsByBrand>, Error> {
        self.by_brand
            .query(cond!(
                category == category && brand == brand && price_cents <= max_cents
            ))
            .stream()
            .try_collect()
            .await
    }
}

/// What `GET /customers/{id}/items?cursor=...` asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemsRequest {
    /// The customer (a path parameter, checked as a key value).
    pub id: String,
    /// The page after this one's cursor.
    pub cursor: Option<String>,
}

/// Reads the customer's id from the path and the cursor from the query string.
///
/// ```
/// use awstin::testing::events::http_api;
/// let request = http_api("GET", "/customers/{id}/items", "/customers/c42/items").path_param("id", "c42").build();
/// let asked = awstin_examples::shop::parse_items(request, &Default::default())?;
/// assert_eq!(asked.id, "c42");
/// # Ok::<(), awstin::lambda::ParseError>(())
/// ```
pub fn parse_items(request: HttpRequest, _: &Context) -> Result<ItemsRequest, ParseError> {
    Ok(ItemsRequest {
        id: http::path_key(&request, "id")?.to_owned(),
        cursor: http::query(&request, "cursor").map(str::to_owned),
    })
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Listed<'a> {
    Customer(&'a Customer),
    Order(&'a Order),
    Line(&'a Line),
}

#[derive(Serialize)]
struct Listing<'a> {
    items: Vec<Listed<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// Items a page of the customers API holds.
pub const ITEMS_PAGE: u32 = 10;

/// Answers a page of the customer's partition as JSON (`{"items": [{"type": "Order", ...}],
/// "next": "..."}`); a refused cursor is a 400 (`http_handler` answers the crate's
/// client-input errors so). Items of other types are left out of the answer.
pub async fn customers_api(
    shop: &Shop,
    key: &CursorKey,
    asked: ItemsRequest,
) -> Result<HttpApiResponse, Error> {
    let page = shop
        .customer_page(&asked.id, ITEMS_PAGE, key, asked.cursor.as_deref())
        .await?;
    let items = page
        .items
        .iter()
        .filter_map(|item| match item {
            CustomerItems::Customer(c) => Some(Listed::Customer(c)),
            CustomerItems::Order(o) => Some(Listed::Order(o)),
            CustomerItems::Line(l) => Some(Listed::Line(l)),
            CustomerItems::Other(_) => None,
        })
        .collect();
    Ok(http::json(
        200,
        &Listing {
            items,
            next: page.next,
        },
    ))
}
