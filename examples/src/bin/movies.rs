//! The Movies tutorial of the awstin documentation (AWS's DynamoDB "Getting Started"),
//! step by step.
//!
//! With `TEST_DYNAMODB_ENDPOINT` or `AWS_REGION` set, it uses that DynamoDB (the Movies table
//! is created on a test endpoint if missing; on AWS it must exist). With neither, it starts
//! an embedded local DynamoDB and creates the table there.

use awstin::serde_json;
use std::error::Error as _;

use awstin::dynamodb::{DynamoDb, Error, TEST_ENDPOINT_VAR, Table, Written};
use awstin::futures::TryStreamExt;
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};
use awstin::{Model, cond, update};
use awstin_examples::{Info, Movie, sample_movies};

const SAMPLE_SIZE: usize = 4000;

#[tokio::main]
async fn main() {
    awstin::lambda::init_tracing();
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        let mut source = e.source();
        while let Some(s) = source {
            eprintln!("  caused by: {s}");
            source = s.source();
        }
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Error> {
    let external =
        std::env::var_os(TEST_ENDPOINT_VAR).is_some() || std::env::var_os("AWS_REGION").is_some();
    let (_local, db) = if external {
        println!("Using the DynamoDB configured by the environment.");
        (None, DynamoDb::from_env().await?)
    } else {
        let local = LocalDynamoDb::start().await?;
        println!(
            "Started an embedded local DynamoDB at {}.",
            local.endpoint()
        );
        let db = local.db().clone();
        (Some(local), db)
    };
    if !db
        .list_tables()
        .await?
        .iter()
        .any(|t| t == Movie::SOURCE.table())
    {
        if std::env::var_os("AWS_REGION").is_some() && std::env::var_os(TEST_ENDPOINT_VAR).is_none()
        {
            return Err(Error::Configuration {
                message: "create the Movies table first (year: N hash key, title: S range key)"
                    .into(),
            });
        }
        create_table(&db, &TableSpec::of::<Movie>()?).await?;
        println!("Created the Movies table.\n");
    }
    let movies = db.table::<Movie>();

    load_sample_data(&movies).await?;
    create_read_update_delete(&movies).await?;
    query_and_scan(&movies).await
}

/// Loading sample data: plain JSON read with serde, then written to the table.
async fn load_sample_data(movies: &Table<Movie>) -> Result<(), Error> {
    let path = std::env::temp_dir().join("awstin-moviedata.json");
    let json =
        serde_json::to_string(&sample_movies(SAMPLE_SIZE)).map_err(|e| Error::Configuration {
            message: e.to_string(),
        })?;
    std::fs::write(&path, json).map_err(|e| Error::Configuration {
        message: e.to_string(),
    })?;
    let text = std::fs::read_to_string(&path).map_err(|e| Error::Configuration {
        message: e.to_string(),
    })?;
    let movie_list: Vec<Movie> = serde_json::from_str(&text).map_err(|e| Error::Configuration {
        message: e.to_string(),
    })?;
    movies
        .batch_write(movie_list.iter().map(|m| movies.put(m)))
        .await?;
    println!(
        "Loading sample data: {} movies from {} written with batch writes.\n",
        movie_list.len(),
        path.display()
    );
    Ok(())
}

async fn create_read_update_delete(movies: &Table<Movie>) -> Result<(), Error> {
    // Create a new item.
    let (title, year) = ("The Big New Movie", 2015);
    let movie = Movie {
        title: title.into(),
        year,
        info: Info {
            plot: Some("Nothing happens at all.".into()),
            rating: Some(0.0),
            ..Info::default()
        },
    };
    movies.put(&movie).await?;
    println!("Put movie succeeded: {year} {title}");

    // Read an item.
    let found = movies.get((year, title)).await?;
    println!("Get movie succeeded: {found:?}\n");

    // Update an item.
    let (rating, plot, actors) = (
        5.5,
        "Everything happens all at once.",
        vec!["Larry", "Moe", "Curly"],
    );
    let updated = movies
        .update(
            (year, title),
            update!(info.rating = rating, info.plot = plot, info.actors = actors),
        )
        .await?;
    println!(
        "Update movie succeeded: rating {:?}, plot {:?}, actors {:?}",
        updated.info.rating, updated.info.plot, updated.info.actors
    );

    // Increment an atomic counter.
    let rating_increase = 1;
    let updated = movies
        .update(
            (year, title),
            update!(info.rating = attr(info.rating) + rating_increase),
        )
        .await?;
    println!(
        "Increase rating succeeded: rating {:?}",
        updated.info.rating
    );

    // Update an item conditionally.
    for actor_count in [10, 3] {
        let result = movies
            .update((year, title), update!(remove(info.actors[0])))
            .when(cond!(size(info.actors) >= actor_count))
            .await?;
        match result {
            Written::Applied(m) => println!(
                "Remove the first actor if there are at least {actor_count}: updated, actors {:?}",
                m.info.actors
            ),
            _ => {
                println!("Remove the first actor if there are at least {actor_count}: not updated")
            }
        }
    }

    // Delete an item conditionally.
    for rating in [5, 7] {
        let deleted = movies
            .delete((year, title))
            .when(cond!(info.rating <= rating))
            .await?;
        println!(
            "Delete if the rating is at most {rating}: {}",
            if deleted.is_applied() {
                "deleted film"
            } else {
                "did not delete film"
            }
        );
    }
    println!();
    Ok(())
}

async fn query_and_scan(movies: &Table<Movie>) -> Result<(), Error> {
    // Query the data.
    let query_year = 1985;
    let found: Vec<Movie> = movies
        .query(cond!(year == query_year))
        .stream()
        .try_collect()
        .await?;
    println!("Movies from {query_year}: {}", found.len());
    for movie in found.iter().take(5) {
        println!("  {} : {}", movie.year, movie.title);
    }

    // A more detailed query.
    let (query_year, from, to) = (1992, "A", "L");
    println!("\nMovies from {query_year} with titles from {from} to {to}:");
    let mut stream = std::pin::pin!(
        movies
            .query(cond!(year == query_year && title between from..to))
            .stream()
    );
    while let Some(movie) = stream.try_next().await? {
        println!(
            "  {} : {}  (rating {:?}, genres {:?})",
            movie.year, movie.title, movie.info.rating, movie.info.genres
        );
    }

    // Scan the data.
    let (from, to) = (1950, 1959);
    let fifties: Vec<Movie> = movies
        .scan()
        .filter(cond!(year between from..=to))
        .segments(4)
        .stream()
        .try_collect()
        .await?;
    println!(
        "\nScanning for movies released from {from} to {to}: {} found",
        fifties.len()
    );
    let min_rating = 9.0;
    let best = movies
        .scan()
        .filter(cond!(year between from..=to && info.rating >= min_rating))
        .count()
        .await?;
    println!("  of which {best} are rated {min_rating} or more");
    Ok(())
}
