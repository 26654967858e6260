//! Which attempts of one request may have reached DynamoDB without an answer saying what
//! it did. The SDK retries a request after a dropped connection, a timeout or a server
//! error; when the request was a write, the attempt that failed may have been applied, and
//! a later attempt then meets the write's own effect. An [`Attempts`] log, attached to one
//! request, records that, so the caller can tell a fact from an ambiguity.

use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_dynamodb::config::interceptors::FinalizerInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::BoxError;

/// The attempts of one request, in order: `true` for each that may have been applied
/// without an answer saying so.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attempts(Arc<Mutex<Vec<bool>>>);

impl Attempts {
    fn read<T>(&self, f: impl FnOnce(&[bool]) -> T) -> T {
        f(&self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// An attempt before the last one got no definite answer: the last answer may describe
    /// the state that attempt left.
    pub(crate) fn earlier_ambiguous(&self) -> bool {
        self.read(|a| {
            a.split_last()
                .is_some_and(|(_, earlier)| earlier.contains(&true))
        })
    }

    /// Some attempt got no definite answer.
    pub(crate) fn any_ambiguous(&self) -> bool {
        self.read(|a| a.contains(&true))
    }
}

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "awstin::Attempts"
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
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(!definite);
        Ok(())
    }
}
