//! Shared parts of the example programs: the Movies models and a generator of sample data
//! shaped like AWS's `moviedata.json`.

use awstin::dynamo_model;
use serde::{Deserialize, Serialize};

pub mod movies_api;
pub mod orders;
pub mod shop;
pub mod stream_audit;
#[cfg(feature = "axum")]
pub mod todos;
pub mod votes;

dynamo_model! {
    /// A film in the Movies table, as in AWS's DynamoDB tutorial.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct Movie {
        table "Movies";
        /// Year of release: the partition key.
        key year: u32;
        /// Title: the sort key.
        key title: String;
        /// Everything else.
        attr info: Info;
    }
}

dynamo_model! {
    /// The details of a film; every part is optional in the sample data.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
    pub struct Info {
        /// Directors.
        attr directors: Option<Vec<String>>;
        /// Release date, ISO 8601.
        attr release_date: Option<String>;
        /// Rating out of 10.
        attr rating: Option<f64>;
        /// Genres.
        attr genres: Option<Vec<String>>;
        /// Plot summary.
        attr plot: Option<String>;
        /// Popularity rank.
        attr rank: Option<u32>;
        /// Running time in seconds.
        attr running_time_secs: Option<u32>;
        /// Leading actors.
        attr actors: Option<Vec<String>>;
    }
}

const ADJECTIVES: &[&str] = &[
    "Silent", "Crimson", "Broken", "Golden", "Last", "Hidden", "Electric", "Wild", "Frozen",
    "Distant", "Secret", "Burning", "Lonely", "Midnight", "Iron", "Velvet", "Savage", "Gentle",
    "Endless", "Lost",
];
const NOUNS: &[&str] = &[
    "River", "Empire", "Garden", "Horizon", "Letter", "Machine", "Harbor", "Station", "Kingdom",
    "Promise", "Summer", "Shadow", "Voyage", "Witness", "Carnival", "Frontier", "Mirror",
    "Orchard", "Signal", "Tide",
];
const PEOPLE: &[&str] = &[
    "Ada Brooks",
    "Ben Carter",
    "Cleo Diaz",
    "Dev Patel",
    "Eve Laurent",
    "Finn O'Hara",
    "Gia Rossi",
    "Hal Moore",
    "Iris Chen",
    "Jon Baker",
    "Kim Novak",
    "Leo Grant",
    "Mia Okafor",
    "Noah Fischer",
    "Ona Silva",
    "Pia Berg",
];
const GENRES: &[&str] = &[
    "Drama",
    "Comedy",
    "Action",
    "Thriller",
    "Romance",
    "Sci-Fi",
    "Documentary",
    "Horror",
];

/// `count` movies with distinct (year, title), the same every run.
///
/// ```
/// let movies = awstin_examples::sample_movies(100);
/// assert_eq!(movies.len(), 100);
/// assert_eq!(movies, awstin_examples::sample_movies(100));
/// ```
pub fn sample_movies(count: usize) -> Vec<Movie> {
    let mut rng = fastrand::Rng::with_seed(1985);
    let pick = |rng: &mut fastrand::Rng, from: &[&str], n: usize| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < n {
            let p = from[rng.usize(..from.len())].to_string();
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    };
    let mut seen = std::collections::HashSet::new();
    let mut movies = Vec::with_capacity(count);
    while movies.len() < count {
        let year = rng.u32(1920..=2018);
        let title = format!(
            "{} {}{}",
            ADJECTIVES[rng.usize(..ADJECTIVES.len())],
            NOUNS[rng.usize(..NOUNS.len())],
            if rng.bool() {
                String::new()
            } else {
                format!(" {}", rng.u32(2..=4))
            }
        );
        if !seen.insert((year, title.clone())) {
            continue;
        }
        let rank = movies.len() as u32 + 1;
        let genre_count = rng.usize(1..=3);
        let info = Info {
            directors: Some(pick(&mut rng, PEOPLE, 1)),
            release_date: Some(format!(
                "{year}-{:02}-{:02}T00:00:00Z",
                rng.u32(1..=12),
                rng.u32(1..=28)
            )),
            rating: (rng.u8(..10) > 0).then(|| f64::from(rng.u32(10..=99)) / 10.0),
            genres: Some(pick(&mut rng, GENRES, genre_count)),
            plot: Some(format!(
                "A story of {} and {}.",
                title.to_lowercase(),
                NOUNS[rng.usize(..NOUNS.len())].to_lowercase()
            )),
            rank: Some(rank),
            running_time_secs: Some(rng.u32(4800..=10800)),
            actors: Some(pick(&mut rng, PEOPLE, 3)),
        };
        movies.push(Movie { year, title, info });
    }
    movies
}
