//! Authorizer responses in AWS's exact JSON, and Lambda handlers made of a parser and a pure
//! function, logging through `tracing` without secrets.

use awstin::lambda::auth::{self, AuthRejection, AuthResult};
use awstin::lambda::{Context, LambdaEvent, ParseError, lambda_handler, redacted_json};
use awstin_tests::Captured;
use serde_json::{Value, json};

const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abcdef123/dev/$connect";

/// The seed's websocket token authorizer: parser and function.
fn auth_event_parser(
    event: Value,
    _context: &Context,
) -> Result<(String, String, String), ParseError> {
    let field = |path: &'static str| {
        path.split('.')
            .try_fold(&event, |v, k| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(ParseError::missing(path))
    };
    Ok((
        field("headers.AuthToken")?,
        field("methodArn")?,
        field("requestContext.connectionId")?,
    ))
}

async fn token_auth((token, resource_arn, principal_id): (String, String, String)) -> AuthResult {
    match token.as_str() {
        "good token" => auth::accept(&principal_id, &resource_arn),
        "bad token" => auth::reject(&principal_id, &resource_arn),
        "unauthorized token" => auth::unauthorized(),
        _ => auth::invalid(),
    }
}

fn connect_event(token: &str) -> Value {
    json!({
        "type": "REQUEST",
        "methodArn": ARN,
        "headers": {"AuthToken": token, "Host": "abcdef123.execute-api.us-east-1.amazonaws.com"},
        "queryStringParameters": {"token": token, "room": "lobby"},
        "requestContext": {"connectionId": "Gx3jAcQNIAMCJdA=", "routeKey": "$connect", "eventType": "CONNECT"},
    })
}

#[test]
fn accept_and_reject_are_aws_documented_policies() {
    let accept = auth::accept("user-1", ARN).map(|r| serde_json::to_value(r).unwrap());
    assert_eq!(
        accept,
        Ok(json!({
            "principalId": "user-1",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ARN}]
            }
        }))
    );
    let reject = auth::reject("user-1", ARN).map(|r| serde_json::to_value(r).unwrap());
    assert_eq!(
        reject.unwrap()["policyDocument"]["Statement"][0]["Effect"],
        "Deny"
    );
    let with_context = auth::accept("user-1", ARN)
        .map(|r| {
            r.with_context("tier", "gold")
                .with_context("quota", 100)
                .with_context("admin", false)
                .with_usage_identifier_key("key-1")
        })
        .map(|r| serde_json::to_value(r).unwrap())
        .unwrap();
    assert_eq!(
        with_context["context"],
        json!({"admin": false, "quota": 100, "tier": "gold"})
    );
    assert_eq!(with_context["usageIdentifierKey"], "key-1");
}

#[test]
fn unauthorized_and_invalid_are_failures_with_fixed_messages() {
    assert_eq!(auth::unauthorized(), Err(AuthRejection::Unauthorized));
    assert_eq!(
        AuthRejection::Unauthorized.to_string(),
        "Unauthorized",
        "API Gateway answers 401 on exactly this"
    );
    assert_eq!(auth::invalid().unwrap_err().to_string(), "Invalid");
}

#[test]
fn http_api_simple_responses() {
    assert_eq!(
        serde_json::to_value(auth::simple(true)).unwrap(),
        json!({"isAuthorized": true})
    );
    let r = auth::simple(false).with_context("reason", "expired");
    assert_eq!(
        serde_json::to_value(r).unwrap(),
        json!({"isAuthorized": false, "context": {"reason": "expired"}})
    );
}

#[test]
fn the_parser_and_the_function_are_tested_apart() {
    let parsed = auth_event_parser(connect_event("good token"), &Context::default());
    assert_eq!(
        parsed,
        Ok(("good token".into(), ARN.into(), "Gx3jAcQNIAMCJdA=".into()))
    );
    assert_eq!(
        auth_event_parser(json!({"methodArn": ARN}), &Context::default()),
        Err(ParseError::missing("headers.AuthToken"))
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let handler = lambda_handler(auth_event_parser, token_auth);
    let decided = runtime.block_on((handler.inner())((
        "bad token".into(),
        ARN.into(),
        "p".into(),
    )));
    assert_eq!(
        decided.unwrap().policy_document.statement[0].effect,
        auth::Effect::Deny
    );
}

#[tokio::test]
async fn the_handler_logs_events_and_results_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let handler = lambda_handler(auth_event_parser, token_auth);
    let mut context = Context::default();
    context.request_id = "req-1".into();
    let allowed = handler
        .call(LambdaEvent::new(
            connect_event("good token"),
            context.clone(),
        ))
        .await;
    assert_eq!(allowed.unwrap().principal_id, "Gx3jAcQNIAMCJdA=");
    let refused = handler
        .call(LambdaEvent::new(
            connect_event("unauthorized token"),
            context.clone(),
        ))
        .await;
    assert_eq!(refused.unwrap_err().to_string(), "Unauthorized");
    let unparsable = handler
        .call(LambdaEvent::new(json!({"headers": {}}), context))
        .await;
    assert_eq!(
        unparsable.unwrap_err().to_string(),
        "event field `headers.AuthToken` is missing"
    );

    let log = captured.text();
    println!("{log}");
    assert!(
        !log.contains("good token") && !log.contains("unauthorized token"),
        "a token leaked:\n{log}"
    );
    assert_eq!(log.lines().count(), 3, "one line an invocation:\n{log}");
    assert!(
        log.contains("apigateway-authorizer") && log.contains("route=\"$connect\""),
        "the summary names the source and route:\n{log}"
    );
    assert!(
        log.contains("status=\"Allow\"") && log.contains("failed_in=\"parser\""),
        "{log}"
    );
    assert!(
        log.contains("event field `headers.AuthToken` is missing"),
        "a parser error names the field:\n{log}"
    );
}

#[test]
fn redaction_covers_headers_cookies_and_query_tokens() {
    let event = json!({
        "authorizationToken": "Bearer t0",
        "headers": {"authorization": "Bearer t1", "Cookie": "session=s1", "X-Api-Key": "k1", "Accept": "*/*"},
        "multiValueHeaders": {"Authorization": ["Bearer t2"]},
        "cookies": ["session=s2"],
        "multiValueQueryStringParameters": {"access_token": ["t3"], "page": ["1"]},
        "rawQueryString": "page=1&id_token=t4&client_secret=t5",
        "body": "{\"note\":\"kept\"}",
    });
    let line = redacted_json(&event);
    for secret in ["t0", "t1", "s1", "k1", "t2", "s2", "t3", "t4", "t5"] {
        assert!(
            !line.contains(&format!("{secret}\"")) && !line.contains(&format!("={secret}")),
            "{secret} leaked: {line}"
        );
    }
    assert!(
        line.contains("*/*") && line.contains("page=1") && line.contains("kept"),
        "{line}"
    );
}
