//! Client configuration from the environment, shared by every service of this crate: a test
//! endpoint variable wins (static test credentials unless AWS credentials are set, region from
//! `AWS_REGION` or `us-east-1`), then `AWS_REGION` with the normal credential chain.

use aws_config::Region;
use aws_config::{BehaviorVersion, ConfigLoader};
use aws_credential_types::Credentials;

/// A config loader for the service whose test endpoint is in `endpoint_var`; the message of
/// the error names both variables.
pub(crate) fn loader(endpoint_var: &str, service: &str) -> Result<ConfigLoader, String> {
    let endpoint = std::env::var(endpoint_var).ok().filter(|v| !v.is_empty());
    let region = std::env::var("AWS_REGION").ok().filter(|v| !v.is_empty());
    let loader = aws_config::defaults(BehaviorVersion::latest());
    match (endpoint, region) {
        (Some(endpoint), region) => {
            let loader = loader.endpoint_url(endpoint).region(Region::new(
                region.unwrap_or_else(|| "us-east-1".to_owned()),
            ));
            Ok(if std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
                loader.credentials_provider(Credentials::new(
                    "test",
                    "test",
                    None,
                    None,
                    "awstin-test",
                ))
            } else {
                loader
            })
        }
        (None, Some(region)) => Ok(loader.region(Region::new(region))),
        (None, None) => Err(format!(
            "set {endpoint_var} (a test {service} endpoint) or AWS_REGION (real {service})"
        )),
    }
}
