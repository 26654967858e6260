//! Which attempts of one request may have reached DynamoDB without an answer saying what
//! it did. The SDK retries a request after a dropped connection, a timeout or a server
//! error; when the request was a write, the attempt that failed may have been applied, and
//! a later attempt then meets the write's own effect. [`record`] runs one request with an
//! [`Attempts`] log that the client's [`Recorder`] fills, so the caller can tell a fact from
//! an ambiguity.
//!
//! The recorder is installed once per client (every `DynamoDb` constructor adds it); the log
//! travels with the request's task, so no request pays for an interceptor of its own.

use std::cell::Cell;
use std::future::Future;

use aws_sdk_dynamodb::config::interceptors::FinalizerInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;

tokio::task_local! {
    /// The log of the request being sent on this task, if it is recorded.
    static LOG: Attempts;
}

/// The attempts of one request: whether the last one, and whether any before it, may have
/// been applied without an answer saying so.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attempts {
    earlier: Cell<bool>,
    last: Cell<Option<bool>>,
}

impl Attempts {
    fn push(&self, ambiguous: bool) {
        if let Some(previous) = self.last.get() {
            self.earlier.set(self.earlier.get() || previous);
        }
        self.last.set(Some(ambiguous));
    }

    /// An attempt before the last one got no definite answer: the last answer may describe
    /// the state that attempt left.
    pub(crate) fn earlier_ambiguous(&self) -> bool {
        self.earlier.get()
    }

    /// Some attempt got no definite answer.
    pub(crate) fn any_ambiguous(&self) -> bool {
        self.earlier.get() || self.last.get() == Some(true)
    }
}

/// Sends a request (its `send()` future) with a fresh attempt log, and returns the log too.
///
/// A combinator rather than an `async` block: the SDK's futures are large, and an `async`
/// wrapper can hold one both as a capture and as the value it awaits.
pub(crate) fn record<F: Future>(request: F) -> impl Future<Output = (F::Output, Attempts)> {
    use futures::FutureExt as _;
    LOG.scope(
        Attempts::default(),
        request.map(|output| (output, LOG.with(Attempts::clone))),
    )
}

/// The client interceptor that fills the log of the request being recorded.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Recorder;

impl Recorder {
    const NAME: &'static str = "awstin::Attempts";

    /// A builder of `config` with the recorder added, unless it has it already (a client
    /// passed to `DynamoDb::new` may come from another `DynamoDb`).
    pub(crate) fn install(config: &aws_sdk_dynamodb::Config) -> aws_sdk_dynamodb::config::Builder {
        let installed = config.interceptors().any(|i| i.name() == Recorder::NAME);
        let mut builder = config.to_builder();
        if !installed {
            builder.push_interceptor(aws_sdk_dynamodb::config::SharedInterceptor::new(Recorder));
        }
        builder
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        Recorder::NAME
    }

    /// A definite answer is a response below HTTP 500 that parsed, as an output or as a
    /// modeled service error; anything else (no response, a timeout, HTTP 5xx, an answer
    /// that does not parse) leaves the attempt's effect unknown.
    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let definite = match (context.output_or_error(), context.response()) {
            (Some(Ok(_)), _) => true,
            (Some(Err(e)), Some(response)) => {
                e.is_operation_error() && !response.status().is_server_error()
            }
            _ => false,
        };
        // Requests sent outside `record` (through `DynamoDb::client`) have no log.
        let _ = LOG.try_with(|log| log.push(!definite));
        Ok(())
    }
}
