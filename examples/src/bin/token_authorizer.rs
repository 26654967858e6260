//! The seed's websocket token authorizer as a Lambda. Deployed, it answers API Gateway; run
//! locally it prints its answers to four sample events.

use awstin::lambda::auth::{self, AuthResult};
use awstin::lambda::{Context, LambdaEvent, ParseError, lambda_handler};
use awstin::serde_json::{self, Value, json};

/// Reads the token, the method ARN and the connection id of a websocket `$connect` event.
fn auth_event_parser(
    event: Value,
    _context: &Context,
) -> Result<(String, String, String), ParseError> {
    let text = |v: &Value, name: &'static str| {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| ParseError::missing(name))
    };
    let token = text(&event["headers"]["AuthToken"], "headers.AuthToken")?;
    let resource_arn = text(&event["methodArn"], "methodArn")?;
    let principal_id = text(
        &event["requestContext"]["connectionId"],
        "requestContext.connectionId",
    )?;
    Ok((token, resource_arn, principal_id))
}

/// Decides on the token.
async fn token_auth((token, resource_arn, principal_id): (String, String, String)) -> AuthResult {
    match token.as_str() {
        "good token" => auth::accept(&principal_id, &resource_arn),
        "bad token" => auth::reject(&principal_id, &resource_arn),
        "unauthorized token" => auth::unauthorized(),
        _ => auth::invalid(),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    awstin::lambda::init_tracing();
    let handler = lambda_handler(auth_event_parser, token_auth);
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        return handler.run().await;
    }
    for token in [
        "good token",
        "bad token",
        "unauthorized token",
        "something else",
    ] {
        let event = json!({
            "methodArn": "arn:aws:execute-api:us-east-1:123456789012:abcdef123/dev/$connect",
            "headers": {"AuthToken": token},
            "requestContext": {"connectionId": "Gx3jAcQNIAMCJdA="},
        });
        match handler
            .call(LambdaEvent::new(event, Context::default()))
            .await
        {
            Ok(response) => println!("{token:>20} -> {}", serde_json::to_string(&response)?),
            Err(e) => println!(
                "{token:>20} -> Lambda error {e:?} ({})",
                if e.to_string() == "Unauthorized" {
                    "401"
                } else {
                    "500"
                }
            ),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_reads_a_connect_event() {
        let event = json!({"methodArn": "arn", "headers": {"AuthToken": "t"}, "requestContext": {"connectionId": "c"}});
        assert_eq!(
            auth_event_parser(event, &Context::default()),
            Ok(("t".into(), "arn".into(), "c".into()))
        );
    }

    #[tokio::test]
    async fn the_function_decides_on_the_token_alone() {
        let decide = |token: &str| token_auth((token.into(), "arn".into(), "p".into()));
        assert_eq!(
            decide("good token")
                .await
                .unwrap()
                .policy_document
                .statement[0]
                .effect,
            auth::Effect::Allow
        );
        assert_eq!(
            decide("bad token").await.unwrap().policy_document.statement[0].effect,
            auth::Effect::Deny
        );
        assert_eq!(
            decide("unauthorized token").await,
            Err(auth::AuthRejection::Unauthorized)
        );
        assert_eq!(decide("?").await, Err(auth::AuthRejection::Invalid));
    }
}
