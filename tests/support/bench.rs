//! What every benchmark shares: a counting allocator, criterion's medians, and the rows of the
//! table `scripts/bench` prints.
//!
//! A benchmark binary installs the allocator with
//! `#[global_allocator] static GLOBAL: Counting = Counting;`, measures with criterion, then
//! prints one [`Row`] per comparison. A row's time ratio is the alternative's median over
//! awstin's (above 1: awstin is faster); a run in test mode (`cargo test --benches`) measures no
//! time, so its rows say so and only their allocation counts and equality assertions hold.
#![allow(unsafe_code)] // a GlobalAlloc implementation is unsafe by definition

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

/// Counts allocations (and reallocations) of the whole process.
pub struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Allocations made by this thread (no destructor, no lazy set-up: safe to touch from
    /// inside the allocator).
    static THREAD_ALLOCATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn count() {
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    let _ = THREAD_ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: delegates every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Allocations (and reallocations) the process made so far, on every thread.
pub fn allocations_so_far() -> usize {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// Allocations (and reallocations) this thread made so far.
pub fn thread_allocations() -> usize {
    THREAD_ALLOCATIONS.with(std::cell::Cell::get)
}

/// CPU time this thread has run, from the kernel's scheduler statistics (Linux), so that work
/// other threads do (a server in the same process) is not counted.
pub fn thread_cpu() -> std::time::Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("/proc/thread-self/schedstat (Linux) gives a thread's CPU time");
    let ns = stat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .expect("schedstat starts with the nanoseconds run");
    std::time::Duration::from_nanos(ns)
}

/// Allocations one call of `f` makes (the result is dropped after counting).
pub fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let before = allocations_so_far();
    let out = f();
    let after = allocations_so_far();
    drop(black_box(out));
    after - before
}

/// Where criterion writes its estimates: `$CRITERION_HOME`, else the cargo target dir's
/// `criterion` folder (as criterion itself decides).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            let output = std::process::Command::new(std::env::var_os("CARGO")?)
                .args(["metadata", "--format-version", "1", "--no-deps"])
                .output()
                .ok()?;
            let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
            metadata["target_directory"].as_str().map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("criterion")
}

/// Criterion's median time of `group/name` (the id as criterion writes it to disk: `/`
/// inside a name becomes `_`), in nanoseconds, if this run measured it (written after
/// `started`: a test-mode run measures nothing and leaves an earlier run's estimates).
pub fn median_ns(group: &str, name: &str, started: SystemTime) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(name.replace('/', "_"))
        .join("new")
        .join("estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < started {
        return None;
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

/// What a comparison must show.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The alternative's time over awstin's is at least this.
    TimeRatioAtLeast(f64),
    /// awstin allocates no more than the alternative.
    AllocationsAtMost,
}

/// One line of the table: a measure, both sides, the ratio and whether the target is met.
#[derive(Debug, Clone)]
pub struct Row {
    /// What is measured.
    pub measure: String,
    /// awstin's figure, as printed.
    pub awstin: String,
    /// The alternative's figure, as printed.
    pub alternative: String,
    /// Alternative over awstin (above 1: awstin is faster or leaner); `None` when not measured.
    pub ratio: Option<f64>,
    /// The target.
    pub target: Target,
}

impl Row {
    /// A time comparison of criterion's medians `group/ours` against `group/theirs`.
    pub fn time(
        measure: &str,
        group: &str,
        (ours, theirs): (&str, &str),
        target: f64,
        started: SystemTime,
    ) -> Row {
        let (a, b) = (
            median_ns(group, ours, started),
            median_ns(group, theirs, started),
        );
        let show = |t: Option<f64>, who: &str| match t {
            Some(ns) if ns >= 10_000.0 => format!("{:.1} µs ({who})", ns / 1000.0),
            Some(ns) => format!("{ns:.0} ns ({who})"),
            None => format!("not timed ({who})"),
        };
        Row {
            measure: measure.to_owned(),
            awstin: show(a, ours),
            alternative: show(b, theirs),
            ratio: a.zip(b).map(|(a, b)| b / a),
            target: Target::TimeRatioAtLeast(target),
        }
    }

    /// An allocation comparison (counts per operation, or per item).
    pub fn allocations(measure: &str, ours: f64, theirs: f64, alternative: &str) -> Row {
        Row {
            measure: measure.to_owned(),
            awstin: format!("{ours:.3} allocs"),
            alternative: format!("{theirs:.3} allocs ({alternative})"),
            ratio: Some(theirs / ours.max(f64::MIN_POSITIVE)),
            target: Target::AllocationsAtMost,
        }
    }

    /// Whether the target is met; `None` when the figure was not measured.
    pub fn met(&self) -> Option<bool> {
        let ratio = self.ratio?;
        Some(match self.target {
            Target::TimeRatioAtLeast(t) => ratio >= t,
            Target::AllocationsAtMost => ratio >= 1.0 - 1e-9,
        })
    }

    /// Panics when the target was measured and missed: for the figures the guide states
    /// as met that a test-mode run can check (allocation counts do not depend on timing).
    pub fn assert_met(&self) {
        assert_ne!(self.met(), Some(false), "target missed: {self:?}");
    }

    /// Prints the row as `scripts/bench` collects it: a tab-separated line after `ROW`.
    pub fn print(&self) {
        let target = match self.target {
            Target::TimeRatioAtLeast(t) => format!("ratio ≥ {t}"),
            Target::AllocationsAtMost => "allocs ≤ alternative".to_owned(),
        };
        // Allocation counts are exact: four places, so that 20.252 against 20.250 shows.
        let ratio = match (self.ratio, self.target) {
            (None, _) => "-".to_owned(),
            (Some(r), Target::AllocationsAtMost) => format!("{r:.4}"),
            (Some(r), Target::TimeRatioAtLeast(_)) => format!("{r:.2}"),
        };
        let met = match self.met() {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "not timed",
        };
        println!(
            "ROW\t{}\t{}\t{}\t{ratio}\t{target}\t{met}",
            self.measure, self.awstin, self.alternative
        );
    }
}
