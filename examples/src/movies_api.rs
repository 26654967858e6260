//! An API Gateway (REST, proxy integration) Lambda that lists the movies of a year, optionally
//! within a title range: `GET /movies?year=1992&from=A&to=L`. The parser reads the query
//! string; the pure function queries the Movies table with the DSL.

use aws_lambda_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use aws_lambda_events::encodings::Body;
use awstin::cond;
use awstin::dynamodb::{Error, Table};
use awstin::lambda::{Context, ParseError};
use futures::TryStreamExt;
use serde::Serialize;

use crate::Movie;

/// What the function needs from a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoviesQuery {
    /// The year to list.
    pub year: u32,
    /// The title range, inclusive, if given.
    pub titles: Option<(String, String)>,
}

/// Reads `year`, and optionally `from` and `to`, from the query string.
///
/// ```
/// use aws_lambda_events::apigw::ApiGatewayProxyRequest;
/// let mut request = ApiGatewayProxyRequest::default();
/// request.query_string_parameters = std::collections::HashMap::from([("year".to_string(), "1985".to_string())]).into();
/// let q = awstin_examples::movies_api::parse(request, &Default::default()).unwrap();
/// assert_eq!(q.year, 1985);
/// ```
pub fn parse(
    request: ApiGatewayProxyRequest,
    _context: &Context,
) -> Result<MoviesQuery, ParseError> {
    let params = &request.query_string_parameters;
    let year = params
        .first("year")
        .ok_or(ParseError::missing("queryStringParameters.year"))?
        .parse()
        .map_err(|_| ParseError::invalid("queryStringParameters.year", "a whole number"))?;
    let titles = match (params.first("from"), params.first("to")) {
        (Some(from), Some(to)) => Some((from.to_owned(), to.to_owned())),
        (None, None) => None,
        _ => return Err(ParseError::new("`from` and `to` go together")),
    };
    Ok(MoviesQuery { year, titles })
}

#[derive(Serialize)]
struct Listed<'a> {
    year: u32,
    title: &'a str,
    rating: Option<f64>,
}

/// Lists the movies, as a JSON array in a 200 response.
pub async fn list_movies(
    movies: &Table<Movie>,
    query: MoviesQuery,
) -> Result<ApiGatewayProxyResponse, Error> {
    let year = query.year;
    let found: Vec<Movie> = match &query.titles {
        Some((from, to)) => {
            movies
                .query(cond!(year == year && title between from..to))
                .stream()
                .try_collect()
                .await?
        }
        None => {
            movies
                .query(cond!(year == year))
                .stream()
                .try_collect()
                .await?
        }
    };
    let listed: Vec<Listed<'_>> = found
        .iter()
        .map(|m| Listed {
            year: m.year,
            title: &m.title,
            rating: m.info.rating,
        })
        .collect();
    let body = serde_json::to_string(&listed).map_err(|e| Error::Configuration {
        message: e.to_string(),
    })?;
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = 200;
    response.body = Some(Body::Text(body));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = include_str!("../events/apigw-movies-request.json");

    #[test]
    fn the_parser_refuses_an_event_without_a_year() {
        let mut event: ApiGatewayProxyRequest = serde_json::from_str(SAMPLE).unwrap();
        event.query_string_parameters = Default::default();
        assert_eq!(
            parse(event, &Context::default()),
            Err(ParseError::missing("queryStringParameters.year"))
        );
    }
}
