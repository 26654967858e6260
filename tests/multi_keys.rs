//! Multi-attribute index keys (DynamoDB's global secondary index keys of up to four
//! partition and four sort attributes, each of its own type, November 2025), on the embedded
//! DynamoDB: the index created from the index model, key conditions on the attributes
//! natively (every partition attribute with `==`, sort attributes left to right, a range on
//! the last one given), an item lacking one attribute not indexed, pages through cursors.

#![allow(missing_docs)] // test models: the fields speak for themselves

use awstin::dynamodb::{Error, Table};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{cond, dynamo_model};
use futures::TryStreamExt as _;

dynamo_model! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Sale {
        table "Sales";
        key id: String;
        index_key region: String;
        attr country: Option<String>;
        index_key placed: i64;
        index_key number: u32;
        attr total: f64;
    }
}

dynamo_model! {
    /// The sales by region and country, then by when they were placed and their number.
    #[derive(Debug, Clone, PartialEq)]
    pub struct ByPlace {
        index "by-place" on Sale;
        key (region, country);
        key (placed, number);
        attr region: String;
        attr country: String;
        attr placed: i64;
        attr number: u32;
        attr id: String;
        attr total: f64;
    }
}

async fn sales() -> (LocalDynamoDb, Vec<Sale>) {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    let spec = TableSpec::of::<Sale>()
        .and_then(|s| s.with_index::<ByPlace>())
        .expect("a spec");
    create_table(local.db(), &spec).await.expect("the table");
    let mut rng = fastrand::Rng::with_seed(7);
    let regions = ["eu", "us", "eu#"];
    let countries = [Some("fr"), Some("de"), None, Some("")];
    let placed = [i64::MIN, -5, -1, 0, 1, 5, i64::MAX];
    let all: Vec<Sale> = (0..300)
        .map(|i| Sale {
            id: format!("s{i}"),
            region: regions[rng.usize(..regions.len())].into(),
            country: countries[rng.usize(..countries.len())].map(String::from),
            placed: placed[rng.usize(..placed.len())],
            number: rng.u32(..4),
            total: f64::from(i % 3),
        })
        .collect();
    // An empty string is no key value: those sales are left out of the table here.
    let all: Vec<Sale> = all
        .into_iter()
        .filter(|s| s.country.as_deref() != Some(""))
        .collect();
    let table = local.db().table::<Sale>();
    table
        .batch_write(all.iter().map(|s| table.put(s)))
        .await
        .expect("stored");
    (local, all)
}

fn expected(all: &[Sale], keep: impl Fn(&Sale) -> bool) -> Vec<(i64, u32, &str)> {
    let mut v: Vec<(i64, u32, &str)> = all
        .iter()
        .filter(|s| s.country.is_some() && keep(s))
        .map(|s| (s.placed, s.number, s.id.as_str()))
        .collect();
    v.sort_by_key(|a| (a.0, a.1));
    v
}

fn found(read: &[ByPlace]) -> Vec<(i64, u32, &str)> {
    read.iter()
        .map(|s| (s.placed, s.number, s.id.as_str()))
        .collect()
}

/// Order within equal keys is DynamoDB's: compared as sets of ids per (placed, number).
fn same(mut a: Vec<(i64, u32, &str)>, mut b: Vec<(i64, u32, &str)>) -> bool {
    let keys = |v: &Vec<(i64, u32, &str)>| v.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>();
    let ordered = keys(&a) == keys(&b);
    a.sort_unstable();
    b.sort_unstable();
    ordered && a == b
}

#[tokio::test]
async fn key_conditions_on_multi_attribute_keys_read_what_the_attributes_say() {
    let (local, all) = sales().await;
    let index: Table<ByPlace> = local.db().table();
    let mut rng = fastrand::Rng::with_seed(8);
    let mut cases = 0;
    for _ in 0..120 {
        let r = ["eu", "us", "eu#"][rng.usize(..3)];
        let c = ["fr", "de"][rng.usize(..2)];
        let t = [i64::MIN, -1, 0, 5, i64::MAX][rng.usize(..5)];
        let u = [i64::MIN, -5, 1, i64::MAX][rng.usize(..4)];
        let n = rng.u32(..4);
        let place = |s: &Sale| s.region == r && s.country.as_deref() == Some(c);
        let form = rng.usize(..7);
        let (read, want): (Result<Vec<ByPlace>, Error>, _) = match form {
            0 => (
                index
                    .query(cond!(region == r && country == c))
                    .stream()
                    .try_collect()
                    .await,
                expected(&all, place),
            ),
            1 => (
                index
                    .query(cond!(country == c && region == r && placed == t))
                    .stream()
                    .try_collect()
                    .await,
                expected(&all, |s| place(s) && s.placed == t),
            ),
            2 => (
                index
                    .query(cond!(region == r && country == c && placed < t))
                    .stream()
                    .try_collect()
                    .await,
                expected(&all, |s| place(s) && s.placed < t),
            ),
            3 => {
                let (a, b) = (t.min(u), t.max(u));
                (
                    index
                        .query(cond!(region == r && country == c && placed between a..b))
                        .stream()
                        .try_collect()
                        .await,
                    expected(&all, |s| place(s) && (a..=b).contains(&s.placed)),
                )
            }
            4 => (
                index
                    .query(cond!(
                        region == r && country == c && placed == t && number < n
                    ))
                    .stream()
                    .try_collect()
                    .await,
                expected(&all, |s| place(s) && s.placed == t && s.number < n),
            ),
            5 => (
                index
                    .query(cond!(
                        region == r && country == c && placed == t && number >= n
                    ))
                    .stream()
                    .try_collect()
                    .await,
                expected(&all, |s| place(s) && s.placed == t && s.number >= n),
            ),
            _ => (
                index
                    .query(cond!(
                        region == r && country == c && placed == t && number == n
                    ))
                    .stream()
                    .try_collect()
                    .await,
                expected(&all, |s| place(s) && s.placed == t && s.number == n),
            ),
        };
        let read = read.unwrap_or_else(|e| panic!("form {form}: {e}"));
        assert!(
            same(found(&read), want.clone()),
            "form {form}: {r} {c} {t} {u} {n}: {:?} != {want:?}",
            found(&read)
        );
        cases += 1;
    }
    assert_eq!(cases, 120);
    // A sale without a country is in no query of the index.
    let without: Vec<&Sale> = all.iter().filter(|s| s.country.is_none()).collect();
    assert!(!without.is_empty());
    let mut indexed = 0;
    for r in ["eu", "us", "eu#"] {
        for c in ["fr", "de"] {
            indexed += index
                .query(cond!(region == r && country == c))
                .count()
                .await
                .expect("counted");
        }
    }
    assert_eq!(indexed as usize, all.len() - without.len());
}

#[tokio::test]
async fn pages_of_a_multi_attribute_index_go_on_by_their_cursors() {
    let (local, all) = sales().await;
    let index: Table<ByPlace> = local.db().table();
    let (r, c) = ("eu", "fr");
    let whole: Vec<ByPlace> = index
        .query(cond!(region == r && country == c))
        .stream()
        .try_collect()
        .await
        .expect("read");
    assert_eq!(
        whole.len(),
        expected(&all, |s| s.region == r && s.country.as_deref() == Some(c)).len()
    );
    // Every page size from 1 to the whole: a page ends where DynamoDB stopped, or at an item in
    // hand (its key by the index's attributes, all four, and the table's).
    for size in 1..=u32::try_from(whole.len()).expect("small") {
        let (mut paged, mut cursor) = (Vec::new(), None::<String>);
        loop {
            let page = index
                .query(cond!(region == r && country == c))
                .page_size(size)
                .page(cursor.as_deref())
                .await
                .expect("a page");
            assert!(page.items.len() <= size as usize);
            paged.extend(page.items);
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(paged, whole, "pages of {size}");
    }
    // Through a filter, a page reads on past DynamoDB's pages and may stop at an item in hand
    // when DynamoDB's read ended: its cursor is that item's key.
    let min = 1.0;
    let kept: Vec<&ByPlace> = whole.iter().filter(|s| s.total >= min).collect();
    for size in 1..=u32::try_from(kept.len()).expect("small") {
        let (mut paged, mut cursor) = (Vec::new(), None::<String>);
        loop {
            let page = index
                .query(cond!(region == r && country == c))
                .filter(cond!(total >= min))
                .page_size(size)
                .page(cursor.as_deref())
                .await
                .expect("a page");
            paged.extend(page.items);
            cursor = page.next;
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(
            paged.iter().collect::<Vec<_>>(),
            kept,
            "filtered pages of {size}"
        );
    }
}
