//! Calls raced at one instant, with proof that they overlapped.
//!
//! A test of what happens when duplicates arrive together proves nothing if they ran one
//! after the other. [`race`] starts every call on its own task behind a barrier, records when
//! each began and ended, and panics (failing the test) unless every call began before any
//! ended: all were in flight at once.
//!
//! ```
//! # #[tokio::main(flavor = "multi_thread", worker_threads = 2)] async fn main() {
//! use std::time::Duration;
//! let raced = awstin::testing::race::race(5, |i| async move {
//!     tokio::time::sleep(Duration::from_millis(20)).await;
//!     i * 2
//! })
//! .await;
//! assert_eq!(raced.results, [0, 2, 4, 6, 8]);
//! assert_eq!(raced.peak, 5);
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a [`race`] returned: each call's result, in the order of their indexes, and how many
/// were in flight at once at the peak (all of them, or the race panicked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raced<T> {
    /// The result of call `i` at index `i`.
    pub results: Vec<T>,
    /// The most calls in flight at one instant.
    pub peak: usize,
    /// From the first call's start to the last call's end.
    pub span: Duration,
}

/// Runs `call(0)` to `call(copies - 1)` at once, each on a task of its own released by one
/// barrier, and returns their results.
///
/// # Panics
///
/// Unless every call began before any ended (the calls did not overlap, so the race did not
/// happen), or when a call panics.
pub async fn race<T, F, Fut>(copies: usize, call: F) -> Raced<T>
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let barrier = Arc::new(tokio::sync::Barrier::new(copies));
    let tasks: Vec<_> = (0..copies)
        .map(|i| {
            let barrier = barrier.clone();
            let future = call(i);
            tokio::spawn(async move {
                barrier.wait().await;
                let start = Instant::now();
                let result = future.await;
                (result, start, Instant::now())
            })
        })
        .collect();
    let mut results = Vec::with_capacity(copies);
    let mut spans = Vec::with_capacity(copies);
    for task in tasks {
        match task.await {
            Ok((result, start, end)) => {
                results.push(result);
                spans.push((start, end));
            }
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
    let peak = peak(&spans);
    let first = spans.iter().map(|s| s.0).min();
    let last = spans.iter().map(|s| s.1).max();
    let span = match (first, last) {
        (Some(first), Some(last)) => last.duration_since(first),
        _ => Duration::ZERO,
    };
    assert!(
        peak == copies,
        "the race did not happen: at most {peak} of {copies} calls were in flight at once \
         (a call ended before another began); make each call last longer"
    );
    Raced {
        results,
        peak,
        span,
    }
}

/// The most intervals open at one instant.
fn peak(spans: &[(Instant, Instant)]) -> usize {
    let mut events: Vec<(Instant, i32)> = spans
        .iter()
        .flat_map(|&(start, end)| [(start, 1), (end, -1)])
        .collect();
    // Ends before starts at the same instant: touching is not overlapping.
    events.sort_by_key(|&(at, delta)| (at, delta));
    let (mut open, mut peak) = (0i32, 0i32);
    for (_, delta) in events {
        open += delta;
        peak = peak.max(open);
    }
    usize::try_from(peak).unwrap_or(0)
}
