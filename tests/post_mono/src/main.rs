//! An update that sets some of a composed index key's fields (a feature); the updates that
//! set them together, and key conditions the templates express, build and run. (Key
//! conditions the templates cannot express are refused by the type checker:
//! `tests/compile/ui/fail/key_condition_*.rs`.)

use awstin_core::Error;
use awstin_core::op::{Key, ReadSpec, WriteSpec};
use awstin_macros::{cond, dynamo_model, update};

dynamo_model! {
    /// An order: its customer's partition, sorted by when it was placed and its number.
    pub struct Order {
        table "App";
        key pk = "CUSTOMER#" customer;
        key sk = "ORDER#" placed "#" number;
        attr customer: String;
        attr placed: i64;
        attr number: u32;
    }
}

dynamo_model! {
    /// A sale, in a multi-attribute index by place.
    pub struct Sale {
        table "Sales";
        key id: String;
        index_key region: String;
        index_key country: String;
        index_key placed: i64;
    }
}

dynamo_model! {
    /// The sales by region and country, then when they were placed.
    pub struct ByPlace {
        index "by-place" on Sale;
        key (region, country);
        key (placed);
        attr region: String;
        attr country: String;
        attr placed: i64;
    }
}

dynamo_model! {
    /// A task, in an index by owner and state.
    pub struct Task {
        table "App";
        key id: String;
        index_key gsi1pk = "OWNER#" owner "#" state;
        attr owner: String;
        attr state: String;
    }
}

fn update<U: awstin_core::Update<Model = Task>>(update: &U) -> Result<usize, Error> {
    WriteSpec::update("App", Key::of::<Task, _>(&"t1"), update)
        .build(|w| Ok::<_, Error>(w.table().len()))
}

fn index<C: awstin_core::KeyCondition<ByPlace>>(key: &C) -> Result<usize, Error> {
    ReadSpec::query("Sales", key).build(|r| Ok::<_, Error>(r.table().len()))
}

fn table<C: awstin_core::KeyCondition<Order>>(key: &C) -> Result<usize, Error> {
    ReadSpec::query("App", key).build(|r| Ok::<_, Error>(r.table().len()))
}

fn main() -> Result<(), Error> {
    let (c, t, n) = ("c1", 5i64, 7u32);
    // What the templates express.
    table(&Order::expr(cond!(customer == c)))?;
    table(&Order::expr(cond!(customer == c && placed < t)))?;
    table(&Order::expr(cond!(placed == t && customer == c && number <= n)))?;
    let (o, st) = ("ada".to_string(), "open".to_string());
    update(&Task::expr(update!(owner = o, state = st)))?;
    #[cfg(feature = "an_index_key_field_alone")]
    update(&Task::expr(update!(owner = o)))?;
    let (r, k) = ("eu", "fr");
    index(&ByPlace::expr(cond!(region == r && country == k && placed < t)))?;
    let _ = (c, t, n, r, k);
    Ok(())
}
