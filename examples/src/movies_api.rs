//! An API Gateway HTTP API Lambda (payload 2.0) that lists the movies of a year, optionally
//! within a title range, a page at a time: `GET /movies?year=1992&from=A&to=L&limit=10`, then
//! `&cursor=<next>` for the page after. The parser reads the query string (a refusal is a 400,
//! through `http_handler`); the pure function queries the Movies table with the DSL.

use awstin::cond;
use awstin::dynamodb::{CursorKey, Error, Refusal, Table};
use awstin::lambda::http::{self, HttpApiResponse, HttpRequest};
use awstin::lambda::{Context, ParseError};
use awstin::serde_json;
use serde::Serialize;

use crate::Movie;

/// What the function needs from a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoviesQuery {
    /// The year to list.
    pub year: u32,
    /// The title range, inclusive, if given.
    pub titles: Option<(String, String)>,
    /// Movies read per page: 1 to 100, 25 unless `limit` is given.
    pub page_size: u32,
    /// Where to continue: the `next` of the previous page.
    pub cursor: Option<String>,
}

/// Movies a page holds when the request does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 25;

/// Reads `year`, and optionally `from` and `to`, from the query string.
///
/// ```
/// let request = awstin::testing::events::http_api("GET", "/movies", "/movies").query("year", "1985").build();
/// let q = awstin_examples::movies_api::parse(request, &Default::default()).unwrap();
/// assert_eq!(q.year, 1985);
/// ```
pub fn parse(request: HttpRequest, _context: &Context) -> Result<MoviesQuery, ParseError> {
    let year = http::query_as(&request, "year", "a whole number")?
        .ok_or(ParseError::missing_in("queryStringParameters", "year"))?;
    let titles = match (http::query(&request, "from"), http::query(&request, "to")) {
        (Some(from), Some(to)) => Some((from.to_owned(), to.to_owned())),
        (None, None) => None,
        _ => return Err(ParseError::new("`from` and `to` go together")),
    };
    let in_range = "a whole number from 1 to 100";
    let page_size = match http::query_as::<u32>(&request, "limit", in_range)? {
        Some(n) if (1..=100).contains(&n) => n,
        Some(_) => {
            return Err(ParseError::invalid_in(
                "queryStringParameters",
                "limit",
                in_range,
            ));
        }
        None => DEFAULT_PAGE_SIZE,
    };
    let cursor = http::query(&request, "cursor").map(str::to_owned);
    Ok(MoviesQuery {
        year,
        titles,
        page_size,
        cursor,
    })
}

#[derive(Serialize)]
struct Listed<'a> {
    year: u32,
    title: &'a str,
    rating: Option<f64>,
}

#[derive(Serialize)]
struct Listing<'a> {
    movies: Vec<Listed<'a>>,
    /// The cursor of the next page; absent after the last.
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
}

/// Lists one page of the movies, as `{"movies": [...], "next": "<cursor>"}` in a 200 response
/// (no `next` after the last page). Cursors are signed with `key` when one is given; a cursor
/// that is not one of this API's pages is a 400 response, and nothing is read.
pub async fn list_movies(
    movies: &Table<Movie>,
    key: Option<&CursorKey>,
    query: MoviesQuery,
) -> Result<HttpApiResponse, Error> {
    let year = query.year;
    let cursor = query.cursor.as_deref();
    let read = match &query.titles {
        Some((from, to)) => {
            let q = movies.query(cond!(year == year && title between from..to));
            let q = q.page_size(query.page_size);
            match key {
                Some(key) => q.cursor_key(key.clone()).page(cursor).await,
                None => q.page(cursor).await,
            }
        }
        None => {
            let q = movies.query(cond!(year == year)).page_size(query.page_size);
            match key {
                Some(key) => q.cursor_key(key.clone()).page(cursor).await,
                None => q.page(cursor).await,
            }
        }
    };
    let page = match read {
        Ok(page) => page,
        Err(Error::Refused(Refusal::InvalidCursor { reason })) => {
            let message = format!("cursor refused: {reason}");
            return Ok(http::json(400, &serde_json::json!({ "message": message })));
        }
        Err(e) => return Err(e),
    };
    let listing = Listing {
        movies: page
            .items
            .iter()
            .map(|m| Listed {
                year: m.year,
                title: &m.title,
                rating: m.info.rating,
            })
            .collect(),
        next: page.next,
    };
    Ok(http::json(200, &listing))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../events/apigw-movies-request.json");

    #[test]
    fn the_parser_refuses_an_event_without_a_year() {
        let mut event: HttpRequest = serde_json::from_str(SAMPLE).unwrap();
        event.query_string_parameters = Default::default();
        assert_eq!(
            parse(event, &Context::default()),
            Err(ParseError::missing_in("queryStringParameters", "year"))
        );
    }
}
