//! Nothing but dependencies: the AWS SDK, `aws-config`, `lambda_runtime` and
//! `aws_lambda_events` as awstin uses them, so that `scripts/deps.sh` can list the duplicate
//! crate versions they carry on their own.
