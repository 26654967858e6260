//! The DynamoDB layer against the embedded local DynamoDB: every example of the seed's
//! tutorial asserted, and the table operations, pagination, indexes, batches and
//! transactions. Each test starts its own server and table.

use std::collections::BTreeSet;

use aws_sdk_dynamodb::types::AttributeValue;
use awstin::dynamodb::{Error, Refusal, Table, TableNames, Written};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table, with_temporary_table};
use awstin::{Model, cond, dynamo_model, project, update};
use awstin_tests::{Info, Movie, MovieByGenre, raw_put_code, service_code};
use futures::TryStreamExt;

fn movie(year: u32, title: &str, rating: f64, actors: &[&str]) -> Movie {
    Movie {
        year,
        title: title.into(),
        info: Info {
            rating: Some(rating),
            plot: Some(format!("The plot of {title}.")),
            actors: actors.iter().map(|a| (*a).to_string()).collect(),
            ..Info::default()
        },
    }
}

dynamo_model! {
    /// A movie with its genre as a top-level attribute, for the tests of the genre index.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Film {
        table "Movies";
        /// Year of release.
        key year: u32;
        /// Title.
        key title: String;
        /// The genre, a key of the index.
        attr genre: String;
    }
}

/// The Movies table with the genre index, on a server of its own.
async fn films_with_genres() -> Result<(LocalDynamoDb, TableSpec), Error> {
    Ok((
        LocalDynamoDb::start().await?,
        TableSpec::of::<Film>()?.with_index::<MovieByGenre>()?,
    ))
}

/// A raw transaction member putting `item` into Movies.
fn raw_put(item: awstin::dynamodb::Item) -> aws_sdk_dynamodb::types::TransactWriteItem {
    let put = aws_sdk_dynamodb::types::Put::builder()
        .table_name("Movies")
        .set_item(Some(item))
        .build()
        .expect("a put names its table and item");
    aws_sdk_dynamodb::types::TransactWriteItem::builder()
        .put(put)
        .build()
}

/// Runs `body` with a Movies table (and its by-genre index) on a fresh local DynamoDB.
async fn with_movies<F, Fut>(body: F) -> Result<(), Error>
where
    F: FnOnce(Table<Movie>) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(local.db(), TableSpec::of::<Movie>()?, body).await
}

#[tokio::test]
async fn put_then_get_by_year_and_title() -> Result<(), Error> {
    with_movies(|movies| async move {
        let m = movie(2015, "The Big New Movie", 0.0, &[]);
        movies.put(&m).await?;
        assert_eq!(
            movies.get((2015, "The Big New Movie")).await?,
            Some(m.clone())
        );
        assert_eq!(movies.get(m.key()).await?, Some(m));
        assert_eq!(movies.get((2015, "Missing")).await?, None);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn seed_update_returns_the_updated_movie() -> Result<(), Error> {
    with_movies(|movies| async move {
        movies
            .put(&movie(2015, "The Big New Movie", 0.0, &[]))
            .await?;
        let (rating, plot, actors) = (
            5.5,
            "Everything happens all at once.",
            vec!["Larry", "Moe", "Curly"],
        );
        let updated = movies
            .update(
                (2015, "The Big New Movie"),
                update!(info.rating = rating, info.plot = plot, info.actors = actors),
            )
            .await?;
        assert_eq!(updated.info.rating, Some(5.5));
        assert_eq!(
            updated.info.plot.as_deref(),
            Some("Everything happens all at once.")
        );
        assert_eq!(updated.info.actors, ["Larry", "Moe", "Curly"]);
        assert_eq!(
            movies.get((2015, "The Big New Movie")).await?,
            Some(updated)
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn seed_atomic_counter_increments() -> Result<(), Error> {
    with_movies(|movies| async move {
        movies
            .put(&movie(2015, "The Big New Movie", 5.5, &[]))
            .await?;
        let rating_increase = 1;
        let updated = movies
            .update(
                (2015, "The Big New Movie"),
                update!(info.rating = attr(info.rating) + rating_increase),
            )
            .await?;
        assert_eq!(updated.info.rating, Some(6.5));
        let again = movies
            .update((2015, "The Big New Movie"), update!(info.rating += 1))
            .await?;
        assert_eq!(again.info.rating, Some(7.5));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn seed_conditional_update_returns_none_and_leaves_the_item_unchanged() -> Result<(), Error> {
    with_movies(|movies| async move {
        let original = movie(2015, "The Big New Movie", 5.5, &["Larry", "Moe", "Curly"]);
        movies.put(&original).await?;
        let actor_count = 10;
        let not_updated = movies
            .update((2015, "The Big New Movie"), update!(remove(info.actors[0])))
            .when(cond!(size(info.actors) >= actor_count))
            .await?;
        assert_eq!(not_updated.applied(), None);
        assert_eq!(
            movies.get((2015, "The Big New Movie")).await?,
            Some(original)
        );
        let actor_count = 3;
        let updated = movies
            .update((2015, "The Big New Movie"), update!(remove(info.actors[0])))
            .when(cond!(size(info.actors) >= actor_count))
            .await?;
        assert_eq!(
            updated.applied().map(|m| m.info.actors),
            Some(vec!["Moe".to_string(), "Curly".to_string()])
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn seed_conditional_delete_returns_false_then_true() -> Result<(), Error> {
    with_movies(|movies| async move {
        movies
            .put(&movie(2015, "The Big New Movie", 6.5, &[]))
            .await?;
        let rating = 5;
        assert!(
            !movies
                .delete((2015, "The Big New Movie"))
                .when(cond!(info.rating <= rating))
                .await?
                .is_applied()
        );
        assert!(movies.get((2015, "The Big New Movie")).await?.is_some());
        let rating = 7;
        assert!(
            movies
                .delete((2015, "The Big New Movie"))
                .when(cond!(info.rating <= rating))
                .await?
                .is_applied()
        );
        assert_eq!(movies.get((2015, "The Big New Movie")).await?, None);
        assert!(
            movies.delete((2015, "The Big New Movie")).await? == Written::NoItem,
            "nothing left to delete"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_conditional_put_reports_a_false_condition() -> Result<(), Error> {
    with_movies(|movies| async move {
        let m = movie(1999, "Once", 1.0, &[]);
        assert!(
            movies
                .put(&m)
                .when(cond!(attribute_not_exists(year)))
                .await?
                .is_applied()
        );
        let changed = movie(1999, "Once", 9.0, &[]);
        assert!(
            !movies
                .put(&changed)
                .when(cond!(attribute_not_exists(year)))
                .await?
                .is_applied()
        );
        assert_eq!(movies.get((1999, "Once")).await?, Some(m));
        Ok(())
    })
    .await
}

async fn load(movies: &Table<Movie>) -> Result<(), Error> {
    let mut all = Vec::new();
    for year in 1950..1960 {
        for (i, title) in ["Alpha", "Bravo", "Charlie", "Kilo", "Lima", "Mike", "Zulu"]
            .iter()
            .enumerate()
        {
            all.push(movie(year, title, i as f64, &[]));
        }
    }
    movies.batch_write(all.iter().map(|x| movies.put(x))).await
}

#[tokio::test]
async fn seed_queries_by_year_and_by_title_range() -> Result<(), Error> {
    with_movies(|movies| async move {
        load(&movies).await?;
        let year = 1955;
        let found: Vec<Movie> = movies
            .query(cond!(year == year))
            .stream()
            .try_collect()
            .await?;
        assert_eq!(found.len(), 7);
        assert!(found.iter().all(|m| m.year == 1955));
        let (from, to) = ("A", "L");
        let titles: Vec<String> = movies
            .query(cond!(year == year && title between from..to))
            .stream()
            .map_ok(|m| m.title)
            .try_collect()
            .await?;
        assert_eq!(titles, ["Alpha", "Bravo", "Charlie", "Kilo"]);
        let reversed: Vec<String> = movies
            .query(cond!(year == year))
            .reverse()
            .limit(2)
            .stream()
            .map_ok(|m| m.title)
            .try_collect()
            .await?;
        assert_eq!(reversed, ["Zulu", "Mike"]);
        let prefixed: Vec<String> = movies
            .query(cond!(year == year && begins_with(title, "Li")))
            .stream()
            .map_ok(|m| m.title)
            .try_collect()
            .await?;
        assert_eq!(prefixed, ["Lima"]);
        let rating = 4.0;
        let filtered = movies
            .query(cond!(year == year))
            .filter(cond!(info.rating >= rating))
            .count()
            .await?;
        assert_eq!(filtered, 3);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn seed_scan_between_years() -> Result<(), Error> {
    with_movies(|movies| async move {
        load(&movies).await?;
        movies.put(&movie(1960, "Later", 1.0, &[])).await?;
        let (from, to) = (1950, 1959);
        let found: Vec<Movie> = movies
            .scan()
            .filter(cond!(year between from..=to))
            .stream()
            .try_collect()
            .await?;
        assert_eq!(found.len(), 70);
        let segmented = movies
            .scan()
            .filter(cond!(year between from..=to))
            .segments(3)
            .count()
            .await?;
        assert_eq!(segmented, 70);
        assert_eq!(movies.scan().count().await?, 71);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_query_of_more_than_20_pages_returns_every_item_once_in_order() -> Result<(), Error> {
    with_movies(|movies| async move {
        let all: Vec<Movie> = (0..123)
            .map(|i| movie(2000, &format!("Title {i:03}"), 1.0, &[]))
            .collect();
        movies
            .batch_write(all.iter().map(|x| movies.put(x)))
            .await?;
        let year = 2000;
        let titles: Vec<String> = movies
            .query(cond!(year == year))
            .page_size(5)
            .stream()
            .map_ok(|m| m.title)
            .try_collect()
            .await?;
        let expected: Vec<String> = (0..123).map(|i| format!("Title {i:03}")).collect();
        assert_eq!(
            titles, expected,
            "25 pages of 5, every item once, in sort-key order"
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn projections_read_only_the_named_paths() -> Result<(), Error> {
    dynamo_model! {
        /// The projected view of a movie.
        #[derive(Debug, PartialEq)]
        pub struct TitleOnly { table "Movies"; key year: u32; key title: String; }
    }
    with_movies(|movies| async move {
        movies.put(&movie(1977, "Star", 8.0, &["Luke"])).await?;
        let year = 1977;
        let items: Vec<_> = movies
            .query(cond!(year == year))
            .project(project!(year, title, info.actors[0]))
            .items()
            .try_collect()
            .await?;
        assert_eq!(items.len(), 1);
        let info = items[0]
            .get("info")
            .and_then(|v| v.as_m().ok())
            .map(|m| m.keys().cloned().collect::<Vec<_>>());
        assert_eq!(info, Some(vec!["actors".to_string()]));
        let views: Vec<TitleOnly> = movies
            .query(cond!(year == year))
            .project(project!(year, title))
            .stream_as()
            .try_collect()
            .await?;
        assert_eq!(
            views,
            [TitleOnly {
                year: 1977,
                title: "Star".into()
            }]
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn an_index_model_queries_its_index() -> Result<(), Error> {
    let (local, spec) = films_with_genres().await?;
    with_temporary_table(local.db(), spec, |films: Table<Film>| async move {
        for (year, title, genre) in [
            (1990, "A", "Drama"),
            (1995, "B", "Comedy"),
            (2001, "C", "Drama"),
            (1985, "D", "Drama"),
        ] {
            films
                .put(&Film {
                    year,
                    title: title.into(),
                    genre: genre.into(),
                })
                .await?;
        }
        let by_genre = films.db().table::<MovieByGenre>();
        let (genre, year) = ("Drama", 1989u32);
        let titles: Vec<String> = by_genre
            .query(cond!(genre == genre && year > year))
            .stream()
            .map_ok(|m| m.title)
            .try_collect()
            .await?;
        assert_eq!(titles, ["A", "C"]);

        // A filter may not name a key of the index queried: refused before sending...
        let title = "A";
        let on_key: Result<Vec<MovieByGenre>, Error> = by_genre
            .query(cond!(genre == genre))
            .filter(cond!(title != title && year > year))
            .stream()
            .try_collect()
            .await;
        assert!(matches!(
            on_key,
            Err(Error::Refused(Refusal::KeyInFilter { attribute: "year" }))
        ));
        // ... as DynamoDB refuses it when it is sent,
        let sent = films
            .db()
            .client()
            .query()
            .table_name("Movies")
            .index_name("by-genre")
            .key_condition_expression("#g = :g")
            .filter_expression("#y > :y")
            .expression_attribute_names("#g", "genre")
            .expression_attribute_names("#y", "year")
            .expression_attribute_values(":g", AttributeValue::S(genre.into()))
            .expression_attribute_values(":y", AttributeValue::N("1989".into()))
            .send()
            .await;
        assert_eq!(service_code(sent), Err(Some("ValidationException".into())));
        // ... while the table's keys may be filtered in a query of the index, and in a scan.
        let found: Vec<MovieByGenre> = by_genre
            .query(cond!(genre == genre))
            .filter(cond!(title != title))
            .stream()
            .try_collect()
            .await?;
        assert_eq!(found.len(), 2);
        let scanned = films.scan().filter(cond!(year > year)).count().await?;
        assert_eq!(scanned, 3);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn batch_write_and_get_of_1000_items() -> Result<(), Error> {
    with_movies(|movies| async move {
        let all: Vec<Movie> = (0..1000)
            .map(|i| movie(1900 + i % 100, &format!("Batch {i}"), f64::from(i), &[]))
            .collect();
        movies
            .batch_write(all.iter().map(|x| movies.put(x)))
            .await?;
        assert_eq!(movies.scan().count().await?, 1000);
        let keys: Vec<(u32, String)> = all.iter().map(|m| (m.year, m.title.clone())).collect();
        let mut found = movies
            .batch_get(keys.iter().map(|(y, t)| (*y, t.as_str())))
            .await?;
        found.sort_by(|a, b| {
            a.info
                .rating
                .partial_cmp(&b.info.rating)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        assert_eq!(found, all);
        movies
            .batch_write(
                keys.iter()
                    .take(500)
                    .map(|(y, t)| movies.delete((*y, t.as_str()))),
            )
            .await?;
        assert_eq!(movies.scan().count().await?, 500);
        Ok(())
    })
    .await
}

#[tokio::test]
async fn a_cancelled_transaction_names_the_member_that_failed() -> Result<(), Error> {
    with_movies(|movies| async move {
        movies.put(&movie(2001, "Existing", 3.0, &[])).await?;
        movies.put(&movie(2001, "Other", 3.0, &[])).await?;
        let db = movies.db().clone();
        let min_rating = 5;
        let result = db
            .transact_write()
            .write(movies.put(&movie(2001, "New one", 1.0, &[])))
            .write(movies.update((2001, "Existing"), update!(info.plot = "changed")))
            .write(movies.check((2001, "Other"), cond!(info.rating >= min_rating)))
            .await;
        match result {
            Err(e @ Error::TransactionCanceled { .. }) => {
                let text = e.to_string();
                let Error::TransactionCanceled { reasons, .. } = e else {
                    unreachable!()
                };
                assert_eq!(reasons.len(), 1);
                assert_eq!(reasons[0].index, 2);
                assert_eq!(reasons[0].code, "ConditionalCheckFailed");
                // The member's clause that was false on the item DynamoDB returned.
                let clauses: Vec<String> =
                    reasons[0].clauses.iter().map(|c| c.described()).collect();
                assert_eq!(clauses, ["info.rating >= :v0 (stored 3)"]);
                assert!(
                    text.ends_with("member 2 failed: ConditionalCheckFailed (info.rating >= :v0)"),
                    "{text}"
                );
            }
            other => panic!("expected a cancelled transaction, got {other:?}"),
        }
        assert_eq!(
            movies.get((2001, "New one")).await?,
            None,
            "nothing of a cancelled transaction is applied"
        );
        db.transact_write()
            .write(movies.put(&movie(2001, "New one", 1.0, &[])))
            .write(movies.delete((2001, "Existing")))
            .await?;
        let read = db
            .transact_get()
            .get(&movies, (2001, "New one"))
            .get(&movies, (2001, "Existing"))
            .await?;
        assert_eq!(
            read.get::<Movie>(0)?.map(|m| m.title),
            Some("New one".to_string())
        );
        assert_eq!(read.get::<Movie>(1)?, None);
        // One result per member, the missing item's included.
        assert_eq!((read.len(), read.is_empty()), (2, false));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn transactions_of_no_members_too_many_or_two_on_one_item_are_refused_before_sending()
-> Result<(), Error> {
    with_movies(|movies| async move {
        let db = movies.db().clone();
        let empty = db.transact_write().await;
        assert!(matches!(
            empty,
            Err(Error::Refused(Refusal::TransactionMembers {
                members: 0,
                max: 100
            }))
        ));
        let many = (0..101u32)
            .fold(db.transact_write(), |t, i| {
                t.write(movies.put(&movie(1900 + i, "M", 1.0, &[])))
            })
            .await;
        assert!(matches!(
            many,
            Err(Error::Refused(Refusal::TransactionMembers {
                members: 101,
                max: 100
            }))
        ));
        let hundred = (0..100u32).fold(db.transact_write(), |t, i| {
            t.write(movies.put(&movie(1900 + i, "M", 1.0, &[])))
        });
        hundred.await?;
        let twice = db
            .transact_write()
            .write(movies.put(&movie(2001, "Twice", 1.0, &[])))
            .write(movies.delete((2001, "Other")))
            .write(movies.update((2001, "Twice"), update!(info.plot = "changed")))
            .await;
        assert!(matches!(
            twice,
            Err(Error::Refused(Refusal::SameItemTwice {
                first: 0,
                second: 2
            }))
        ));
        let read_twice = db
            .transact_get()
            .get(&movies, (1900, "M"))
            .get(&movies, (1900, "M"))
            .await;
        assert!(matches!(
            read_twice,
            Err(Error::Refused(Refusal::SameItemTwice {
                first: 0,
                second: 1
            }))
        ));
        // DynamoDB refuses the same conflict when it is sent.
        let key = awstin::dynamodb::to_item(&movie(2001, "Twice", 1.0, &[]))?;
        let sent = db
            .client()
            .transact_write_items()
            .transact_items(raw_put(key.clone()))
            .transact_items(raw_put(key))
            .send()
            .await;
        assert_eq!(service_code(sent), Err(Some("ValidationException".into())));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn batches_with_one_item_twice_and_items_over_400_kb_are_refused_before_sending()
-> Result<(), Error> {
    with_movies(|movies| async move {
        let (a, b) = (movie(2001, "A", 1.0, &[]), movie(2001, "B", 1.0, &[]));
        let again = movie(2001, "A", 9.0, &[]);
        assert!(matches!(
            movies
                .batch_write([movies.put(&a), movies.put(&b), movies.put(&again)])
                .await,
            Err(Error::Refused(Refusal::SameItemTwice {
                first: 0,
                second: 2
            }))
        ));
        assert_eq!(movies.get((2001, "B")).await?, None, "nothing was sent");
        assert!(matches!(
            movies
                .batch_get([(2001, "A"), (2001, "B"), (2001, "A")])
                .await,
            Err(Error::Refused(Refusal::SameItemTwice {
                first: 0,
                second: 2
            }))
        ));
        assert!(matches!(
            movies
                .batch_write([movies.delete((2001, "B")), movies.delete((2001, "B"))])
                .await,
            Err(Error::Refused(Refusal::SameItemTwice {
                first: 0,
                second: 1
            }))
        ));

        let mut big = movie(2001, "Big", 1.0, &[]);
        big.info.plot = Some("x".repeat(awstin::dynamodb::MAX_ITEM_BYTES));
        let refused = movies.put(&big).await;
        assert!(
            matches!(
                refused,
                Err(Error::Refused(Refusal::ItemTooLarge { size, max: 409_600 })) if size > 409_600
            ),
            "{refused:?}"
        );
        assert!(matches!(
            movies.batch_write([movies.put(&a), movies.put(&big)]).await,
            Err(Error::Refused(Refusal::ItemTooLarge { .. }))
        ));
        assert_eq!(movies.get((2001, "A")).await?, None, "nothing was sent");
        // DynamoDB refuses the same item when it is sent.
        let sent = raw_put_code(movies.db(), "Movies", awstin::dynamodb::to_item(&big)?).await;
        assert_eq!(sent, Err(Some("ValidationException".into())));
        Ok(())
    })
    .await
}

dynamo_model! {
    /// Numbers of every shape, in a list and a map, beside a string that pads the item.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Measured {
        table "Measured";
        /// The item's id.
        key id: String;
        /// A list of numbers.
        attr numbers: Vec<awstin::Number>;
        /// A map of numbers.
        attr nested: std::collections::BTreeMap<String, awstin::Number>;
        /// One number at the top level.
        attr total: awstin::Number;
        /// The string that brings the item to the size wanted.
        attr pad: String;
    }
}

/// The item size rule, numbers included (one byte, one per two digits on each side of the
/// point, one more when negative; lists and maps 3 bytes and one per element), against the
/// embedded DynamoDB, whose rule was measured against the service's 400 KB gate: items of
/// numbers of many shapes padded to exactly 409,600 bytes by that count are written, and a byte
/// more is refused by awstin before sending and by DynamoDB when sent. The count of the SDK's
/// item and of the model agree.
#[tokio::test]
async fn the_item_size_rule_holds_for_numbers_at_the_limit() -> Result<(), Error> {
    use awstin::Number;
    let (_local, measured) = awstin_tests::local_table::<Measured>().await;
    let shapes = [
        "0",
        "1",
        "-1",
        "12",
        "-12",
        "123",
        "0.5",
        "-0.05",
        "1.5",
        "10.01",
        "123.456",
        "1200",
        "-98765.4321",
        "1E+125",
        "1E-130",
        "99999999999999999999999999999999999999",
        "-0.00000000000000000000000000000000000001",
        "3.14159265358979",
        "100000000000000000001",
    ];
    let numbers: Vec<Number> = shapes.iter().map(|t| t.parse()).collect::<Result<_, _>>()?;
    for (case, total) in numbers.iter().enumerate() {
        let mut item = Measured {
            id: format!("m{case:02}"),
            numbers: numbers.clone(),
            nested: shapes
                .iter()
                .zip(&numbers)
                .map(|(t, n)| ((*t).to_owned(), *n))
                .collect(),
            total: *total,
            pad: String::new(),
        };
        let without_pad = awstin::expr::size::item_size(&item)?;
        item.pad = "p".repeat(409_600 - without_pad);
        assert_eq!(awstin::expr::size::item_size(&item)?, 409_600);
        let sdk_item = awstin::dynamodb::to_item(&item)?;
        assert_eq!(awstin::dynamodb::item_size(&sdk_item), 409_600);
        measured.put(&item).await?;
        assert_eq!(
            measured.get(item.id.as_str()).await?,
            Some(item.clone()),
            "{case}"
        );

        item.id = format!("o{case:02}");
        item.pad.push('p');
        assert!(
            matches!(
                measured.put(&item).await,
                Err(Error::Refused(Refusal::ItemTooLarge { size: 409_601, .. }))
            ),
            "{case}"
        );
        let sent = raw_put_code(measured.db(), "Measured", awstin::dynamodb::to_item(&item)?).await;
        assert_eq!(
            sent,
            Err(Some("ValidationException".into())),
            "{case}: {}",
            shapes[case]
        );
    }
    Ok(())
}

dynamo_model! {
    /// Strings only, so that DynamoDB's size of an item is the bytes of its names and strings.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Note {
        table "Notes";
        /// The note's id.
        key id: String;
        /// Its text.
        attr text: String;
    }
}

/// DynamoDB's limit is 409,600 bytes, names included: an item of exactly that many is written,
/// one of a byte more is refused before sending (and by DynamoDB when sent).
#[tokio::test]
async fn an_item_of_exactly_409_600_bytes_is_written_and_one_byte_more_is_refused()
-> Result<(), Error> {
    let (_local, notes) = awstin_tests::local_table::<Note>().await;
    let limit = awstin::dynamodb::MAX_ITEM_BYTES;
    assert_eq!(limit, 409_600);
    let overhead = "id".len() + "n".len() + "text".len();
    let mut note = Note {
        id: "n".into(),
        text: "x".repeat(limit - overhead),
    };
    let item = awstin::dynamodb::to_item(&note)?;
    assert_eq!(awstin::dynamodb::item_size(&item), limit);
    notes.put(&note).await?;
    assert_eq!(notes.get("n").await?, Some(note.clone()), "written whole");

    note.id = "m".into();
    note.text.push('x');
    let refused = notes.put(&note).await;
    assert!(
        matches!(
            refused,
            Err(Error::Refused(Refusal::ItemTooLarge {
                size: 409_601,
                max: 409_600
            }))
        ),
        "{refused:?}"
    );
    assert_eq!(notes.get("m").await?, None, "nothing was sent");
    let sent = raw_put_code(notes.db(), "Notes", awstin::dynamodb::to_item(&note)?).await;
    assert_eq!(sent, Err(Some("ValidationException".into())));
    Ok(())
}

#[tokio::test]
async fn transactions_over_4_mb_and_expression_values_over_2_mb_are_refused_before_sending()
-> Result<(), Error> {
    with_movies(|movies| async move {
        let db = movies.db().clone();
        let big = |year: u32| {
            let mut m = movie(year, "Big", 1.0, &[]);
            m.info.plot = Some("x".repeat(390_000));
            m
        };
        let eleven: Vec<Movie> = (0..11).map(|i| big(1990 + i)).collect();
        let refused = eleven
            .iter()
            .fold(db.transact_write(), |t, m| t.write(movies.put(m)))
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::Refused(Refusal::TransactionTooLarge { at_least, max: 4_194_304 }))
                    if at_least > 11 * 390_000
            ),
            "{refused:?}"
        );
        assert_eq!(movies.get((1990, "Big")).await?, None, "nothing was sent");
        let raw = eleven
            .iter()
            .map(|m| Ok(raw_put(awstin::dynamodb::to_item(m)?)))
            .collect::<Result<Vec<_>, awstin::dynamodb::Refusal>>()?;
        let sent = db
            .client()
            .transact_write_items()
            .set_transact_items(Some(raw))
            .send()
            .await;
        // DynamoDB refuses the same transaction when it is sent.
        assert_eq!(service_code(sent), Err(Some("ValidationException".into())));
        // Ten such items (3.9 MB) are one transaction.
        eleven[..10]
            .iter()
            .fold(db.transact_write(), |t, m| t.write(movies.put(m)))
            .await?;

        let plot = "x".repeat(2 * 1024 * 1024);
        let refused = movies
            .update((1990, "Big"), update!(info.plot = plot))
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::Refused(Refusal::ExpressionValuesTooLarge { at_least, max: 2_097_152 }))
                    if at_least > 2_097_152
            ),
            "{refused:?}"
        );
        let refused = movies
            .delete((1990, "Big"))
            .when(cond!(info.plot == plot))
            .await;
        assert!(
            matches!(
                refused,
                Err(Error::Refused(Refusal::ExpressionValuesTooLarge { .. }))
            ),
            "{refused:?}"
        );
        assert!(
            movies.get((1990, "Big")).await?.is_some(),
            "nothing was sent"
        );
        let sent = db
            .client()
            .delete_item()
            .table_name("Movies")
            .key("year", AttributeValue::N("1990".into()))
            .key("title", AttributeValue::S("Big".into()))
            .condition_expression("#i.#p = :p")
            .expression_attribute_names("#i", "info")
            .expression_attribute_names("#p", "plot")
            .expression_attribute_values(":p", AttributeValue::S(plot.clone()))
            .send()
            .await;
        // The emulator does not enforce the documented 2 MB limit on names and values: it
        // evaluates the condition (the stored plot differs). awstin follows the documentation.
        assert_eq!(
            service_code(sent),
            Err(Some("ConditionalCheckFailedException".into()))
        );
        Ok(())
    })
    .await
}

#[tokio::test]
async fn renames_nested_paths_sets_and_binaries_round_trip() -> Result<(), Error> {
    dynamo_model! {
        /// Every codec case.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Doc {
            table "Docs";
            key id: String as "doc-id";
            attr count: u64 as "the count";
            attr tags: BTreeSet<String>;
            attr scores: std::collections::HashSet<i64>;
            attr empty: BTreeSet<String>;
            attr blob: awstin::BinaryBuf;
            attr nested: Vec<std::collections::BTreeMap<String, f64>>;
            attr maybe: Option<String>;
            attr flag: bool;
            attr dynamic: awstin::ValueBuf;
            attr extra: awstin::dynamodb::Serde<Vec<(String, u8)>>;
        }
    }
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(
        local.db(),
        TableSpec::of::<Doc>()?,
        |docs: Table<Doc>| async move {
            let doc = Doc {
                id: "d1".into(),
                count: 3,
                tags: BTreeSet::from(["a".to_string(), "b".to_string()]),
                scores: [1, -2].into(),
                empty: BTreeSet::new(),
                blob: awstin::BinaryBuf(vec![0, 255, 7]),
                nested: vec![[("x".to_string(), 0.1)].into()],
                maybe: None,
                flag: true,
                dynamic: awstin::ValueBuf::L(vec![
                    awstin::ValueBuf::Null,
                    awstin::ValueBuf::S("s".into()),
                ]),
                extra: awstin::dynamodb::Serde(vec![("k".into(), 1)]),
            };
            docs.put(&doc).await?;
            assert_eq!(docs.get("d1").await?, Some(doc.clone()));
            let raw = docs
                .db()
                .client()
                .get_item()
                .table_name("Docs")
                .key("doc-id", AttributeValue::S("d1".into()))
                .send()
                .await;
            let item = raw.ok().and_then(|o| o.item).unwrap_or_default();
            assert!(
                item.contains_key("the count")
                    && !item.contains_key("empty")
                    && !item.contains_key("maybe")
            );
            let (more, n) = (BTreeSet::from(["c".to_string()]), 0.5);
            let updated = docs
                .update(
                    "d1",
                    update!(add(tags, more), count += 2, nested[0]["y"] = n),
                )
                .await?;
            assert_eq!(updated.tags.len(), 3);
            assert_eq!(updated.count, 5);
            assert_eq!(updated.nested[0].get("y"), Some(&0.5));
            Ok(())
        },
    )
    .await
}

#[tokio::test]
async fn a_mistyped_attribute_is_a_decode_error_naming_it() -> Result<(), Error> {
    with_movies(|movies| async move {
        let client = movies.db().client().clone();
        client
            .put_item()
            .table_name("Movies")
            .item("year", AttributeValue::N("1999".into()))
            .item("title", AttributeValue::S("Broken".into()))
            .item(
                "info",
                AttributeValue::M(
                    [("rating".to_string(), AttributeValue::S("high".into()))].into(),
                ),
            )
            .send()
            .await
            .map_err(|e| Error::Service {
                call: awstin::dynamodb::Call::new(awstin::dynamodb::Operation::PutItem, "Movies"),
                source: awstin::dynamodb::ServiceError::new(e),
            })?;
        match movies.get((1999, "Broken")).await {
            Err(Error::Decode(e)) => {
                assert_eq!(
                    (e.model, e.attribute),
                    (Some("Info"), Some("directors")),
                    "{e}"
                );
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn local_limits_are_reported_before_sending() -> Result<(), Error> {
    with_movies(|movies| async move {
        let (empty, rating) = ("", f64::NAN);
        let query: Result<Vec<Movie>, Error> = movies
            .query(cond!(year == 1 && title == empty))
            .stream()
            .try_collect()
            .await;
        assert!(matches!(
            query,
            Err(Error::Refused(Refusal::EmptyKeyValue {
                attribute: "title"
            }))
        ));
        let update = movies.update((1, "x"), update!(info.rating = rating)).await;
        assert!(matches!(update, Err(Error::Refused(Refusal::NotFinite))));
        Ok(())
    })
    .await
}

/// A sort key value is at most 1,024 bytes on every call that carries a key, as a partition
/// key is at most 2,048 (`tests/rules.rs`); the embedded DynamoDB refuses 1,025 bytes too.
#[tokio::test]
async fn sort_key_values_over_1024_bytes_are_refused_on_every_call() -> Result<(), Error> {
    with_movies(|movies| async move {
        let (long, fits) = ("t".repeat(1025), "t".repeat(1024));
        let refused = |r: Result<(), Error>| {
            matches!(
                r,
                Err(Error::Refused(Refusal::KeyValueTooLong {
                    attribute: "title",
                    len: 1025,
                    max: 1024
                }))
            )
        };
        let one = 1.0;
        assert!(refused(movies.put(&movie(1, &long, 0.0, &[])).await), "put");
        assert!(
            refused(movies.get((1, long.as_str())).await.map(drop)),
            "get"
        );
        assert!(
            refused(movies.delete((1, long.as_str())).await.map(drop)),
            "delete"
        );
        assert!(
            refused(
                movies
                    .update((1, long.as_str()), update!(info.rating = one))
                    .await
                    .map(drop)
            ),
            "update"
        );
        assert!(
            refused(
                movies
                    .batch_write([movies.put(&movie(1, &long, 0.0, &[]))])
                    .await
            ),
            "batch_put"
        );
        movies.put(&movie(1, &fits, 0.0, &[])).await?;
        assert!(movies.get((1, fits.as_str())).await?.is_some());
        let raw = movies
            .db()
            .client()
            .put_item()
            .table_name(movies.name())
            .item("year", AttributeValue::N("1".into()))
            .item("title", AttributeValue::S(long))
            .send()
            .await;
        assert_eq!(service_code(raw), Err(Some("ValidationException".into())));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn temporary_tables_are_deleted_even_when_the_body_fails() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    let failed = with_temporary_table(
        local.db(),
        TableSpec::of::<Movie>()?,
        |_movies: Table<Movie>| async move {
            Err::<(), Error>(Error::Refused(Refusal::InvalidToken { bytes: 99 }))
        },
    )
    .await;
    assert!(matches!(
        failed,
        Err(Error::Refused(Refusal::InvalidToken { bytes: 99 }))
    ));
    assert!(local.db().list_tables().await?.is_empty());
    let db = local.db().clone();
    let panicked: Result<Result<(), Error>, _> = tokio::spawn(async move {
        with_temporary_table(
            &db,
            TableSpec::of::<Movie>()?,
            |_movies: Table<Movie>| async move {
                panic!("the body panicked");
            },
        )
        .await
    })
    .await;
    assert!(panicked.is_err());
    assert!(local.db().list_tables().await?.is_empty());
    create_table(local.db(), &TableSpec::of::<Movie>()?).await?;
    assert_eq!(local.db().list_tables().await?, ["Movies"]);
    Ok(())
}

#[test]
fn item_size_counts_as_dynamodb_does_numbers_lists_and_maps_included() {
    use aws_sdk_dynamodb::primitives::Blob;
    let item: awstin::dynamodb::Item = [
        ("s".to_string(), AttributeValue::S("é".into())),
        ("n".to_string(), AttributeValue::N("-0.0012340".into())),
        ("e".to_string(), AttributeValue::N("1.5E+37".into())),
        ("b".to_string(), AttributeValue::B(Blob::new(vec![0u8; 3]))),
        ("t".to_string(), AttributeValue::Bool(true)),
        (
            "m".to_string(),
            AttributeValue::M([("kk".to_string(), AttributeValue::Ss(vec!["ab".into()]))].into()),
        ),
        (
            "l".to_string(),
            AttributeValue::L(vec![AttributeValue::Null(true)]),
        ),
    ]
    .into();
    // names 7; "é" 2; -0.001234: 4 fraction digits 2, 1, negative 1; 15E+36: 2 integer
    // digits 1, 1; 3; true 1; a map 3 + "kk" 2 + 1 + "ab" 2; a list 3 + 1 + null 1.
    assert_eq!(
        awstin::dynamodb::item_size(&item),
        7 + 2 + 4 + 2 + 3 + 1 + 8 + 5
    );
}

#[tokio::test]
async fn datetimes_and_blobs_round_trip_as_epoch_seconds_iso_strings_and_binaries()
-> Result<(), Error> {
    use aws_sdk_dynamodb::primitives::{Blob, DateTime};
    dynamo_model! {
        /// The SDK's own time and binary types as attributes.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Session {
            table "Sessions";
            key id: String;
            attr started: awstin::expr::Iso8601;
            attr expires: aws_sdk_dynamodb::primitives::DateTime;
            attr last_seen: Option<aws_sdk_dynamodb::primitives::DateTime>;
            attr token: aws_sdk_dynamodb::primitives::Blob;
        }
    }
    let local = LocalDynamoDb::start().await?;
    with_temporary_table(
        local.db(),
        TableSpec::of::<Session>()?,
        |sessions| async move {
            let s = Session {
                id: "s-1".into(),
                started: awstin::expr::Iso8601(DateTime::from_secs(1_709_209_800)),
                expires: DateTime::from_secs(1_709_213_400),
                last_seen: Some(DateTime::from_secs_and_nanos(-1, 250_000_000)),
                token: Blob::new(vec![0, 255, 7]),
            };
            sessions.put(&s).await?;
            assert_eq!(sessions.get("s-1").await?, Some(s.clone()));
            // Stored as DynamoDB's time to live reads it, and as sortable text.
            let raw = sessions
                .db()
                .client()
                .get_item()
                .table_name("Sessions")
                .key("id", AttributeValue::S("s-1".into()))
                .send()
                .await
                .expect("a raw read")
                .item
                .expect("the item");
            assert_eq!(raw["expires"], AttributeValue::N("1709213400".into()));
            assert_eq!(raw["last_seen"], AttributeValue::N("-0.75".into()));
            assert_eq!(
                raw["started"],
                AttributeValue::S("2024-02-29T12:30:00Z".into())
            );
            assert_eq!(raw["token"], AttributeValue::B(Blob::new(vec![0, 255, 7])));
            // Times compare as numbers, and a Blob compares with a BinaryBuf.
            let (now, same) = (
                DateTime::from_secs(1_709_210_000),
                awstin::BinaryBuf(vec![0, 255, 7]),
            );
            assert!(
                sessions
                    .delete("s-1")
                    .when(cond!(expires > now && token == same))
                    .await?
                    .is_applied()
            );
            Ok(())
        },
    )
    .await
}

dynamo_model! {
    /// The genre index, declared on its table's model: its pages' keys hold Film's key too.
    #[derive(Debug, Clone, PartialEq)]
    pub struct FilmByGenre {
        index "by-genre" on Film;
        /// The genre.
        key genre: String;
        /// Year of release.
        key year: u32;
        /// Title.
        attr title: String;
    }
}

/// Unsigned cursors written by a client: key values over DynamoDB's key sizes (a 1,025-byte
/// title, 3,000 bytes, 780 KB) and an index cursor without the table's key are refused before
/// sending ([`Error::Refused(Refusal::InvalidCursor)`]), where the index's model names its table's model or is
/// reached through the table; a cursor of exactly 1,024 bytes of title is taken.
#[tokio::test]
async fn unsigned_cursors_hold_key_values_within_dynamodb_sizes_and_the_tables_key()
-> Result<(), Error> {
    use awstin::expr::wire::{StartKey, cursor_of};
    use awstin::{Number, ValueBuf};
    let (local, spec) = films_with_genres().await?;
    with_temporary_table(local.db(), spec, |films: Table<Film>| async move {
        films
            .put(&Film {
                year: 2001,
                title: "A".into(),
                genre: "Drama".into(),
            })
            .await?;
        let key = |pairs: &[(&str, ValueBuf)]| -> StartKey {
            pairs
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone()))
                .collect()
        };
        let year = ValueBuf::N(Number::from(2001u32));
        let refused = |r: Result<awstin::dynamodb::Page<Film>, Error>| {
            matches!(
                r,
                Err(Error::Refused(Refusal::InvalidCursor {
                    reason: "a key value over DynamoDB's key size"
                }))
            )
        };
        for len in [1_025, 3_000, 780 * 1024] {
            let cursor = cursor_of::<Film>(
                films.name(),
                &key(&[
                    ("year", year.clone()),
                    ("title", ValueBuf::S("t".repeat(len))),
                ]),
                None,
            )?;
            assert!(refused(films.scan().page(Some(&cursor)).await), "{len}");
        }
        let cursor = cursor_of::<Film>(
            films.name(),
            &key(&[
                ("year", year.clone()),
                ("title", ValueBuf::S("t".repeat(1_024))),
            ]),
            None,
        )?;
        films.scan().page(Some(&cursor)).await?;

        // An index cursor must hold the table's key: here the title.
        let genre = "Drama";
        let without_title = key(&[("genre", ValueBuf::S(genre.into())), ("year", year.clone())]);
        let with_title = key(&[
            ("genre", ValueBuf::S(genre.into())),
            ("year", year.clone()),
            ("title", ValueBuf::S("A".into())),
        ]);
        let not_the_key = |r: Result<(), Error>| {
            matches!(
                r,
                Err(Error::Refused(Refusal::InvalidCursor {
                    reason: "not this model's key"
                }))
            )
        };
        let named = films.db().table::<FilmByGenre>();
        let cursor = cursor_of::<FilmByGenre>(films.name(), &without_title, None)?;
        assert!(not_the_key(
            named
                .query(cond!(genre == genre))
                .page(Some(&cursor))
                .await
                .map(|_| ())
        ));
        let cursor = cursor_of::<FilmByGenre>(films.name(), &with_title, None)?;
        named
            .query(cond!(genre == genre))
            .page(Some(&cursor))
            .await?;
        // Through the table, an index model on the table's name alone is checked the same.
        let through = films.index_model::<MovieByGenre>();
        let cursor = cursor_of::<MovieByGenre>(films.name(), &without_title, None)?;
        assert!(not_the_key(
            through
                .query(cond!(genre == genre))
                .page(Some(&cursor))
                .await
                .map(|_| ())
        ));
        let cursor = cursor_of::<MovieByGenre>(films.name(), &with_title, None)?;
        through
            .query(cond!(genre == genre))
            .page(Some(&cursor))
            .await?;
        Ok(())
    })
    .await
}

/// Idempotency tokens are counted in bytes, as DynamoDB counts them: 36 two-byte characters
/// are 72 bytes, refused before sending; 18 of them are taken.
#[tokio::test]
async fn tokens_are_counted_in_bytes() -> Result<(), Error> {
    with_movies(|movies| async move {
        movies.put(&movie(2001, "A", 1.0, &[])).await?;
        let rating = 2.0;
        let e = movies
            .update((2001, "A"), update!(info.rating = rating))
            .once(&"é".repeat(36))
            .await
            .expect_err("72 bytes");
        assert!(
            matches!(e, Error::Refused(Refusal::InvalidToken { bytes: 72 })),
            "{e:?}"
        );
        movies
            .update((2001, "A"), update!(info.rating = rating))
            .once(&"é".repeat(18))
            .await?;
        Ok(())
    })
    .await
}

/// Cursors of an index and of its table: each pages its own source, and one made for the
/// other source, or changed to name another attribute or type, is refused before sending.
#[tokio::test]
async fn page_cursors_belong_to_their_table_or_index() -> Result<(), Error> {
    use awstin::dynamodb::{CursorKey, Page};
    let (local, spec) = films_with_genres().await?;
    with_temporary_table(local.db(), spec, |films: Table<Film>| async move {
        let all: Vec<Film> = (0..7)
            .map(|i| Film {
                year: 2000 + i,
                title: format!("T{i}"),
                genre: "Drama".into(),
            })
            .collect();
        films.batch_write(all.iter().map(|x| films.put(x))).await?;
        let by_genre = films.db().table::<MovieByGenre>();
        let genre = "Drama";
        // The index, three at a time, in year order.
        let mut years = Vec::new();
        let mut cursor: Option<String> = None;
        let mut index_cursor = None;
        loop {
            let page: Page<MovieByGenre> = by_genre
                .query(cond!(genre == genre))
                .page_size(3)
                .page(cursor.as_deref())
                .await?;
            years.extend(page.items.iter().map(|m| m.year));
            match page.next {
                Some(next) => {
                    index_cursor.get_or_insert_with(|| next.clone());
                    cursor = Some(next);
                }
                None => break,
            }
        }
        assert_eq!(years, (2000..2007).collect::<Vec<_>>());
        let index_cursor = index_cursor.expect("more than one page");
        // The table's scan, two at a time: every film once.
        let mut titles = BTreeSet::new();
        let mut cursor: Option<String> = None;
        let mut table_cursor = None;
        loop {
            let page = films.scan().page_size(2).page(cursor.as_deref()).await?;
            titles.extend(page.items.into_iter().map(|f| f.title));
            match page.next {
                Some(next) => {
                    table_cursor.get_or_insert_with(|| next.clone());
                    cursor = Some(next);
                }
                None => break,
            }
        }
        assert_eq!(titles.len(), 7);
        let table_cursor = table_cursor.expect("more than one page");
        fn refused<T>(r: Result<T, Error>) -> bool {
            matches!(r, Err(Error::Refused(Refusal::InvalidCursor { .. })))
        }
        assert!(
            refused(films.scan().page(Some(&index_cursor)).await),
            "an index's cursor on the table"
        );
        assert!(
            refused(
                by_genre
                    .query(cond!(genre == genre))
                    .page(Some(&table_cursor))
                    .await
            ),
            "the table's cursor on the index"
        );
        // A cursor rewritten by hand: another attribute name, or a number as a string.
        use base64::Engine as _;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let payload =
            String::from_utf8(engine.decode(&table_cursor).expect("base64")).expect("UTF-8");
        for forged in [
            payload.replace("\"year\"", "\"yeer\""),
            payload.replace("{\"N\":", "{\"S\":"),
            payload.replace("\"Movies\"", "\"Films\""),
        ] {
            assert_ne!(forged, payload);
            let forged = engine.encode(forged);
            assert!(refused(films.scan().page(Some(&forged)).await), "{forged}");
        }
        // A signed scan refuses the unsigned cursor, and takes its own.
        let key = CursorKey::new(vec![42u8; 32])?;
        assert!(refused(
            films
                .scan()
                .cursor_key(key.clone())
                .page(Some(&table_cursor))
                .await
        ));
        let first = films
            .scan()
            .page_size(2)
            .cursor_key(key.clone())
            .page(None)
            .await?;
        let signed = first.next.expect("a next page");
        assert!(signed.contains('.'));
        let second = films
            .scan()
            .page_size(2)
            .cursor_key(key.clone())
            .page(Some(&signed))
            .await?;
        assert_eq!(second.items.len(), 2);
        assert!(
            refused(films.scan().page(Some(&signed)).await),
            "signed, but no key set"
        );
        let other = CursorKey::new(vec![43u8; 32])?;
        assert!(refused(
            films.scan().cursor_key(other).page(Some(&signed)).await
        ));
        // A parallel scan has no single position.
        assert!(matches!(
            films.scan().segments(2).page(None).await,
            Err(Error::Refused(Refusal::InvalidOption {
                option: "segments",
                ..
            }))
        ));
        Ok(())
    })
    .await
}

/// A page hands out a cursor only when an item follows it: 6 items in pages of 3 are 2 pages
/// (the second without a cursor), for a query, a scan and an index, whose cursors carry the
/// table's key too. Every item is read once, in order.
#[tokio::test]
async fn six_items_in_pages_of_3_are_2_pages() -> Result<(), Error> {
    use awstin::dynamodb::Page;
    let (local, spec) = films_with_genres().await?;
    with_temporary_table(local.db(), spec, |films: Table<Film>| async move {
        let all: Vec<Film> = (0..6)
            .map(|i| Film {
                year: 2000,
                title: format!("T{i}"),
                genre: "Drama".into(),
            })
            .collect();
        films.batch_write(all.iter().map(|x| films.put(x))).await?;
        let (year, genre) = (2000, "Drama");
        let by_genre = films.db().table::<MovieByGenre>();
        for source in ["query", "scan", "index"] {
            let mut pages: Vec<(Vec<String>, bool)> = Vec::new();
            let mut cursor: Option<String> = None;
            loop {
                fn titles<M>(page: Page<M>, title: fn(M) -> String) -> Page<String> {
                    Page {
                        items: page.items.into_iter().map(title).collect(),
                        next: page.next,
                    }
                }
                let at = cursor.as_deref();
                let titles = match source {
                    "query" => titles(
                        films
                            .query(cond!(year == year))
                            .page_size(3)
                            .page(at)
                            .await?,
                        |f| f.title,
                    ),
                    "scan" => titles(films.scan().page_size(3).page(at).await?, |f| f.title),
                    _ => titles(
                        by_genre
                            .query(cond!(genre == genre))
                            .page_size(3)
                            .page(at)
                            .await?,
                        |f| f.title,
                    ),
                };
                pages.push((titles.items, titles.next.is_some()));
                match titles.next {
                    Some(next) => cursor = Some(next),
                    None => break,
                }
                assert!(pages.len() <= 3, "{source}: the pages end");
            }
            let sizes: Vec<(usize, bool)> = pages.iter().map(|(t, n)| (t.len(), *n)).collect();
            assert_eq!(sizes, [(3, true), (3, false)], "{source}");
            let mut read: Vec<String> = pages.into_iter().flat_map(|(t, _)| t).collect();
            if source == "scan" {
                read.sort();
            }
            assert_eq!(
                read,
                all.iter().map(|f| f.title.clone()).collect::<Vec<_>>(),
                "{source}"
            );
        }
        Ok(())
    })
    .await
}

dynamo_model! {
    /// The Movies table's key with the wrong type: DynamoDB refuses its writes.
    #[derive(Debug, Clone, PartialEq)]
    pub struct WrongKey {
        table "Movies";
        /// A string where the table has a number.
        key year: String;
        /// Title.
        key title: String;
    }
}

/// `Error::code` gives DynamoDB's error code without downcasting, and the SDK error stays
/// reachable behind it.
#[tokio::test]
async fn errors_give_the_aws_error_code() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    let missing = local
        .db()
        .table::<Movie>()
        .get((1999, "A"))
        .await
        .expect_err("no table");
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
    assert_eq!(missing.code(), Some("ResourceNotFoundException"));
    if let Error::NotFound { source, .. } = &missing {
        assert!(source.message().is_some());
        assert!(
            source
                .sdk()
                .downcast_ref::<aws_sdk_dynamodb::error::SdkError<
                    aws_sdk_dynamodb::operation::get_item::GetItemError,
                    aws_sdk_dynamodb::config::http::HttpResponse,
                >>()
                .is_some(),
            "the SDK's own error"
        );
    }
    with_temporary_table(
        local.db(),
        TableSpec::of::<Movie>()?,
        |movies: Table<Movie>| async move {
            let wrong = movies.db().table::<WrongKey>();
            let refused = wrong
                .put(&WrongKey {
                    year: "1999".into(),
                    title: "A".into(),
                })
                .await
                .expect_err("a string for a number key");
            assert!(matches!(refused, Error::Validation { .. }), "{refused:?}");
            assert_eq!(refused.code(), Some("ValidationException"));
            assert_eq!(
                Error::Refused(Refusal::InvalidToken { bytes: 0 }).code(),
                None
            );
            Ok(())
        },
    )
    .await
}

dynamo_model! {
    /// A todo of an owner, in a table a deployment names.
    #[derive(Debug, Clone, PartialEq)]
    struct Todo { table "Todos"; key owner: String; key id: String; attr status: String }
}

dynamo_model! {
    /// Todos by status: an index of the same table.
    #[derive(Debug, Clone, PartialEq)]
    struct TodoByStatus { index "by-status" on "Todos"; key status: String; key id: String; attr owner: String }
}

fn todo(owner: &str, id: &str, status: &str) -> Todo {
    Todo {
        owner: owner.into(),
        id: id.into(),
        status: status.into(),
    }
}

/// One model bound to two runtime names on one endpoint, as two stages of a deployment:
/// each name's requests (single writes, reads, queries, scans, an index, batches,
/// transactions) reach its own table, errors and cursors name it, and a cursor of one is
/// refused by the other.
#[tokio::test]
async fn one_model_bound_to_two_runtime_names() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    let db = local.db();
    let (dev_name, prod_name) = (
        "MyStack-dev-TodosTable-1A2B",
        "MyStack-prod-TodosTable-3C4D",
    );
    for name in [dev_name, prod_name] {
        let spec = TableSpec::of::<Todo>()?
            .named(name)?
            .with_index::<TodoByStatus>()?;
        create_table(db, &spec).await?;
    }
    let dev = db.table_named::<Todo>(dev_name);
    let prod = db
        .clone()
        .with_table_names(TableNames::literal().with("Todos", prod_name)?)
        .table::<Todo>();
    assert_eq!((dev.name(), prod.name()), (dev_name, prod_name));
    assert_eq!(
        db.table::<Todo>().name(),
        "Todos",
        "the literal without a setting"
    );

    // Single writes and reads.
    dev.put(&todo("ann", "1", "open")).await?;
    prod.put(&todo("bob", "1", "done")).await?;
    assert_eq!(dev.get(("ann", "1")).await?, Some(todo("ann", "1", "open")));
    assert_eq!(prod.get(("ann", "1")).await?, None);
    let open = "open".to_string();
    let done = "done".to_string();
    let closed = prod
        .update(("bob", "1"), update!(status = open))
        .when(cond!(status == done))
        .await?;
    assert!(closed.is_applied());
    assert_eq!(dev.get(("bob", "1")).await?, None);

    // Batches and transactions, the same key in both tables: two items, not one twice.
    let more: Vec<Todo> = (2..6)
        .map(|i| todo("ann", &i.to_string(), "open"))
        .collect();
    dev.batch_write(more.iter().map(|t| dev.put(t))).await?;
    db.transact_write()
        .write(dev.put(&todo("cy", "9", "open")))
        .write(prod.put(&todo("cy", "9", "open")))
        .await?;
    let read = db
        .transact_get()
        .get(&dev, ("cy", "9"))
        .get(&prod, ("cy", "9"))
        .await?;
    assert!(read.get::<Todo>(0)?.is_some() && read.get::<Todo>(1)?.is_some());
    assert_eq!(dev.batch_get([("ann", "2"), ("bob", "1")]).await?.len(), 1);

    // Queries, scans and an index bound to the table's runtime name.
    let owner = "ann";
    assert_eq!(dev.query(cond!(owner == owner)).count().await?, 5);
    assert_eq!(prod.query(cond!(owner == owner)).count().await?, 0);
    assert_eq!(
        (dev.scan().count().await?, prod.scan().count().await?),
        (6, 2)
    );
    let by_status = dev.index_model::<TodoByStatus>();
    assert_eq!(by_status.name(), dev_name);
    let status = "open";
    assert_eq!(by_status.query(cond!(status == status)).count().await?, 6);
    assert_eq!(
        prod.index_model::<TodoByStatus>()
            .query(cond!(status == status))
            .count()
            .await?,
        2
    );

    // An index model of another table is refused before sending.
    let genre = "Drama";
    let foreign_index = dev.index_model::<MovieByGenre>();
    assert!(matches!(
        foreign_index.query(cond!(genre == genre)).count().await,
        Err(Error::Refused(Refusal::IndexOfAnotherTable {
            index: "by-genre",
            table: "Movies"
        }))
    ));

    // A cursor made for one table is refused by the other, before sending.
    let page = dev
        .query(cond!(owner == owner))
        .page_size(2)
        .page(None)
        .await?;
    let cursor = page.next.expect("more pages");
    assert_eq!(
        dev.query(cond!(owner == owner))
            .page_size(2)
            .page(Some(&cursor))
            .await?
            .items
            .len(),
        2
    );
    let foreign = prod.query(cond!(owner == owner)).page(Some(&cursor)).await;
    assert!(
        matches!(
            foreign,
            Err(Error::Refused(Refusal::InvalidCursor {
                reason: "made for another table or index"
            }))
        ),
        "{foreign:?}"
    );

    // Errors name the runtime table.
    let missing = db.table_named::<Todo>("MyStack-qa-TodosTable-5E6F");
    let e = missing.get(("ann", "1")).await.expect_err("not deployed");
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
    assert_eq!(
        e.call().map(|c| &*c.table),
        Some("MyStack-qa-TodosTable-5E6F")
    );
    assert!(
        e.to_string()
            .starts_with("GetItem on table MyStack-qa-TodosTable-5E6F:"),
        "{e}"
    );

    // A name DynamoDB would not take is refused before sending, by every call.
    let bad = db.table_named::<Todo>("Todos of dev");
    let refused = |e: Error| matches!(e, Error::Refused(Refusal::InvalidTableName { reason }) if reason.contains("use only"));
    assert!(refused(bad.get(("a", "1")).await.expect_err("bad name")));
    assert!(refused(
        bad.put(&todo("a", "1", "x")).await.expect_err("bad name")
    ));
    assert!(refused(bad.scan().count().await.expect_err("bad name")));
    assert!(refused(
        db.transact_write()
            .write(bad.delete(("a", "1")))
            .await
            .expect_err("bad name")
    ));
    assert!(refused(
        bad.batch_write([bad.put(&todo("a", "1", "x"))])
            .await
            .expect_err("bad name")
    ));
    Ok(())
}

/// A deployment-wide prefix names every table of a client, index models included.
#[tokio::test]
async fn a_stage_prefix_names_every_table_of_a_client() -> Result<(), Error> {
    let local = LocalDynamoDb::start().await?;
    let staged = local
        .db()
        .clone()
        .with_table_names(TableNames::prefix("dev-")?);
    create_table(
        local.db(),
        &TableSpec::of::<Todo>()?
            .named("dev-Todos")?
            .with_index::<TodoByStatus>()?,
    )
    .await?;
    let todos = staged.table::<Todo>();
    let by_status = staged.table::<TodoByStatus>();
    assert_eq!((todos.name(), by_status.name()), ("dev-Todos", "dev-Todos"));
    todos.put(&todo("ann", "1", "open")).await?;
    let status = "open";
    assert_eq!(by_status.query(cond!(status == status)).count().await?, 1);
    assert!(matches!(
        local.db().table::<Todo>().get(("ann", "1")).await,
        Err(Error::NotFound { .. })
    ));
    Ok(())
}

/// A false condition carries the stored item and names the clauses false on it (found by the
/// local evaluator); its `Display` holds the clauses but no stored value.
#[tokio::test]
async fn a_false_condition_names_the_clauses_false_on_the_stored_item() -> Result<(), Error> {
    with_movies(|movies| async move {
        let stored = movie(2015, "Kept", 7.5, &["A secret actor"]);
        movies.put(&stored).await?;
        let max = 5;
        let replaced = movies
            .put(&movie(2015, "Kept", 1.0, &[]))
            .when(cond!(
                attribute_exists(year) && attribute_not_exists(title) && info.rating <= max
            ))
            .await?;
        let Written::ConditionFalse(failed) = replaced else {
            panic!("the condition was false, got {replaced:?}")
        };
        assert_eq!(failed.item::<Movie>()?, stored);
        let texts: Vec<&str> = failed.clauses().iter().map(|c| c.text()).collect();
        assert_eq!(texts, ["attribute_not_exists(title)", "info.rating <= :v0"]);
        assert_eq!(
            failed.clauses()[1].described(),
            "info.rating <= :v0 (stored 7.5)"
        );
        let shown = failed.to_string();
        println!("a false condition: {shown}");
        assert_eq!(
            shown,
            "PutItem on table Movies: the condition was false on the stored item: \
             attribute_not_exists(title); info.rating <= :v0"
        );
        assert!(!shown.contains("7.5") && !shown.contains("secret"));

        // Nothing stored: no item, never "condition false".
        let absent = movies
            .delete((1900, "Never"))
            .when(cond!(info.rating <= max))
            .await?;
        assert_eq!(absent, Written::NoItem);
        // An update of an item whose condition is false, on a nested list's size.
        let n = 3;
        let removed = movies
            .update((2015, "Kept"), update!(remove(info.actors[0])))
            .when(cond!(size(info.actors) >= n))
            .await?;
        let Written::ConditionFalse(failed) = removed else {
            panic!("the condition was false, got {removed:?}")
        };
        assert_eq!(
            failed.clauses()[0].described(),
            "size(info.actors) >= :v0 (stored a list of 1)"
        );
        Ok(())
    })
    .await
}

dynamo_model! {
    /// A session that expires, or not (`None`).
    #[derive(Debug, Clone, PartialEq)]
    struct Session { table "Sessions"; key user: String; key id: String; attr device: String; attr expires: Option<awstin::Ttl> }
}

/// Expired items are returned by reads until DynamoDB deletes them (within days); a read that
/// skips them leaves them out, with its own filter too, in counts and scans; a stored
/// millisecond value does not read as a time to live.
#[tokio::test]
async fn reads_skip_expired_items_and_a_millisecond_ttl_does_not_read() -> Result<(), Error> {
    use awstin::Ttl;
    use std::time::Duration;
    let local = LocalDynamoDb::start().await?;
    create_table(local.db(), &TableSpec::of::<Session>()?).await?;
    let sessions = local.db().table::<Session>();
    let session = |id: &str, device: &str, expires: Option<Ttl>| Session {
        user: "ann".into(),
        id: id.into(),
        device: device.into(),
        expires,
    };
    let day = Ttl::after(Duration::from_secs(86_400))?;
    let past = Ttl::from_secs(1_700_000_000)?;
    sessions.put(&session("1", "phone", Some(past))).await?;
    sessions.put(&session("2", "phone", Some(day))).await?;
    sessions.put(&session("3", "laptop", None)).await?;
    sessions.put(&session("4", "laptop", Some(past))).await?;

    let user = "ann";
    assert_eq!(
        sessions.query(cond!(user == user)).count().await?,
        4,
        "stored until deleted"
    );
    let live: Vec<Session> = sessions
        .query(cond!(user == user))
        .skip_expired(|s| s.expires)
        .stream()
        .try_collect()
        .await?;
    let ids: Vec<&str> = live.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["2", "3"]);
    let device = "laptop";
    assert_eq!(
        sessions
            .query(cond!(user == user))
            .filter(cond!(device == device))
            .skip_expired(|s| s.expires)
            .count()
            .await?,
        1
    );
    assert_eq!(
        sessions.scan().skip_expired(|s| s.expires).count().await?,
        2
    );

    // Milliseconds written past the model: the item is there, its time to live does not read.
    let mut raw = awstin::dynamodb::to_item(&session("5", "tablet", None))?;
    raw.insert("expires".into(), AttributeValue::N("1754000000000".into()));
    raw_put_code(local.db(), "Sessions", raw)
        .await
        .map_err(|code| Error::Configuration {
            message: format!("{code:?}"),
        })?;
    match sessions.get(("ann", "5")).await {
        Err(Error::Decode(e)) => assert!(e.to_string().contains("Ttl"), "{e}"),
        other => panic!("a millisecond time to live was read: {other:?}"),
    }
    Ok(())
}
