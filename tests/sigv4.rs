//! The core's SigV4 signer (feature `sigv4`): AWS's published test vectors where they apply,
//! and the same signatures as the SDK's own signer (`aws-sigv4`) over generated requests.

use std::time::{Duration, UNIX_EPOCH};

use awstin_core::sigv4::{Credentials, Request, Scope, sign, wire_path};
use proptest::prelude::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SUITE_TIME: u64 = 1_440_938_160; // 2015-08-30T12:36:00Z

fn suite(method: &str, query: &[(&str, &str)]) -> String {
    sign(
        &Request {
            method,
            host: "example.amazonaws.com",
            path: "/",
            query,
            headers: &[],
            body: b"",
        },
        &Credentials {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: SECRET,
            session_token: None,
        },
        &Scope {
            region: "us-east-1",
            service: "service",
            time: SUITE_TIME,
        },
    )
    .authorization
}

/// AWS's Signature Version 4 test suite: get-vanilla, post-vanilla and
/// get-vanilla-query-order-key-case.
#[test]
fn the_published_test_vectors_sign_as_aws_says() {
    let prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=";
    for (method, query, signature) in [
        (
            "GET",
            &[][..],
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ),
        (
            "POST",
            &[][..],
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
        ),
        (
            "GET",
            &[("Param2", "value2"), ("Param1", "value1")][..],
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        ),
    ] {
        assert_eq!(
            suite(method, query),
            format!("{prefix}{signature}"),
            "{method} {query:?}"
        );
    }
}

/// Percent-encodes a query name or value for the URL handed to the SDK's signer (which
/// decodes and encodes again: any right encoding will do).
fn query_part(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The SDK's signer's signature of the same request, sent to `wire_path(path)`: with S3's
/// settings (the path signed as sent, not normalized) for a service beginning `s3`.
fn sdk_signature(
    request: &Request<'_>,
    credentials: &Credentials<'_>,
    scope: &Scope<'_>,
) -> String {
    use aws_sigv4::http_request::{
        PercentEncodingMode, SignableBody, SignableRequest, SigningSettings,
        UriPathNormalizationMode,
    };
    let identity = aws_credential_types::Credentials::new(
        credentials.access_key_id,
        credentials.secret_access_key,
        credentials.session_token.map(str::to_owned),
        None,
        "test",
    )
    .into();
    let mut settings = SigningSettings::default();
    if scope.service.starts_with("s3") {
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
    }
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(scope.region)
        .name(scope.service)
        .time(UNIX_EPOCH + Duration::from_secs(scope.time))
        .settings(settings)
        .build()
        .expect("signing params")
        .into();
    let query: Vec<String> = request
        .query
        .iter()
        .map(|(k, v)| format!("{}={}", query_part(k), query_part(v)))
        .collect();
    let path = wire_path(request.path);
    let url = if query.is_empty() {
        format!("https://{}{path}", request.host)
    } else {
        format!("https://{}{path}?{}", request.host, query.join("&"))
    };
    let mut headers: Vec<(&str, &str)> = request.headers.to_vec();
    headers.push(("host", request.host));
    let signable = SignableRequest::new(
        request.method,
        url,
        headers.into_iter(),
        SignableBody::Bytes(request.body),
    )
    .expect("a signable request");
    let (_, signature) = aws_sigv4::http_request::sign(signable, &params)
        .expect("signed")
        .into_parts();
    signature
}

fn our_signature(
    request: &Request<'_>,
    credentials: &Credentials<'_>,
    scope: &Scope<'_>,
) -> String {
    sign(request, credentials, scope)
        .authorization
        .rsplit("Signature=")
        .next()
        .expect("a signature")
        .to_owned()
}

/// Paths and query texts that need encoding: spaces, non-ASCII, reserved characters, `%`,
/// `+`, dot segments, empty segments.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just(" ".to_owned()),
            Just("é".to_owned()),
            Just("🔑".to_owned()),
            Just("%".to_owned()),
            Just("+".to_owned()),
            Just(":".to_owned()),
            Just("=".to_owned()),
            Just("&".to_owned()),
            Just("~".to_owned()),
            Just("*".to_owned()),
            Just(".".to_owned()),
            Just("..".to_owned()),
            Just("/".to_owned()),
            Just("//".to_owned()),
            "[a-zA-Z0-9_-]{1,4}",
            "\\PC{1,2}",
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Any path and any query, for S3 (the path signed as sent) and for every other service
    /// (normalized and encoded twice): the core's signature is the SDK's.
    #[test]
    fn signatures_equal_the_sdks_on_arbitrary_paths_and_queries(
        path in text(8),
        query in proptest::collection::vec((text(4), text(4)), 0..4),
        service in prop_oneof![Just("dynamodb"), Just("s3"), Just("execute-api"), Just("s3-outposts")],
        time in 0u64..4_102_444_800,
        body in "\\PC{0,40}",
    ) {
        let path = format!("/{path}");
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let request = Request {
            method: "POST",
            host: "example.amazonaws.com",
            path: &path,
            query: &query,
            headers: &[("content-type", "application/json")],
            body: body.as_bytes(),
        };
        let credentials = Credentials { access_key_id: "AKIDEXAMPLE", secret_access_key: SECRET, session_token: None };
        let scope = Scope { region: "us-east-1", service, time };
        prop_assert_eq!(
            our_signature(&request, &credentials, &scope),
            sdk_signature(&request, &credentials, &scope),
            "{} {:?} {}", path, query, service
        );
    }
}

/// Paths the generated DynamoDB requests never needed, each signed alike, for S3 and for
/// DynamoDB: `/a b`, `/é`, `/a:b`, a `%`, dot segments.
#[test]
fn paths_that_need_encoding_sign_as_the_sdk_signs_them() {
    for path in [
        "/a b",
        "/é",
        "/a:b",
        "/100%",
        "/a/./b/../c",
        "//x//",
        "/a+b=c&d",
        "/~user",
    ] {
        for service in ["dynamodb", "s3"] {
            let request = Request {
                method: "GET",
                host: "example.amazonaws.com",
                path,
                query: &[("q", "a b+c")],
                headers: &[],
                body: b"",
            };
            let credentials = Credentials {
                access_key_id: "AKIDEXAMPLE",
                secret_access_key: SECRET,
                session_token: None,
            };
            let scope = Scope {
                region: "us-east-1",
                service,
                time: SUITE_TIME,
            };
            assert_eq!(
                our_signature(&request, &credentials, &scope),
                sdk_signature(&request, &credentials, &scope),
                "{path} {service}"
            );
        }
    }
}

/// Generated DynamoDB-shaped requests (targets, bodies with any characters, regions, times,
/// temporary credentials or not, query parameters and paths): the core's signature is the
/// SDK's, for every one.
#[test]
fn signatures_equal_the_sdks_over_generated_requests() {
    let mut rng = fastrand::Rng::with_seed(7);
    let targets = [
        "DynamoDB_20120810.Query",
        "DynamoDB_20120810.PutItem",
        "DynamoDB_20120810.BatchWriteItem",
    ];
    let regions = ["us-east-1", "eu-west-3", "ap-southeast-2"];
    let mut compared = 0;
    for i in 0..300 {
        let body: String = (0..rng.usize(0..200))
            .map(|_| match rng.u8(0..10) {
                0 => 'é',
                1 => '"',
                2 => ' ',
                3 => '🔑',
                _ => rng.alphanumeric(),
            })
            .collect();
        let target = targets[i % targets.len()];
        let token = format!("token-{}", rng.u64(..));
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: SECRET,
            session_token: (i % 3 == 0).then_some(token.as_str()),
        };
        let scope = Scope {
            region: regions[i % regions.len()],
            service: "dynamodb",
            time: rng.u64(0..4_102_444_800),
        };
        let host = format!("dynamodb.{}.amazonaws.com", scope.region);
        let value = format!("v{}", rng.u32(..));
        let query: Vec<(&str, &str)> = if i % 5 == 0 {
            vec![("b", &value), ("a", "1")]
        } else {
            vec![]
        };
        let headers = [
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", target),
        ];
        let request = Request {
            method: if i % 7 == 0 { "GET" } else { "POST" },
            host: &host,
            path: if i % 4 == 0 { "/a/b-c_d.e" } else { "/" },
            query: &query,
            headers: &headers,
            body: body.as_bytes(),
        };
        let ours = sign(&request, &credentials, &scope);
        let signature = ours
            .authorization
            .rsplit("Signature=")
            .next()
            .expect("a signature");
        assert_eq!(
            signature,
            sdk_signature(&request, &credentials, &scope),
            "request {i}"
        );
        compared += 1;
    }
    println!("{compared} generated requests signed alike by the core and aws-sigv4");
    assert_eq!(compared, 300);
}
