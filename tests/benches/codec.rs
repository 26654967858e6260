//! awstin's item codec against serde_dynamo, measured side by side in one run.
//!
//! `dynamo_model!` generates `Encode` and `DecodeFrom` for a model: an item is written and read
//! in one pass, without serde's intermediate data model. This benchmark converts the same
//! tutorial's Movie (the examples' model: a nested document with three lists) both ways with both crates, then prints the ratios of
//! criterion's median times and of the heap allocations each conversion makes.
//!
//! `cargo bench -p awstin-tests --bench codec`
#![allow(unsafe_code)] // a GlobalAlloc implementation is unsafe by definition
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::SystemTime;

use awstin::dynamodb::{Item, from_item, to_item};
use awstin_examples::{Info, Movie};
use criterion::{BatchSize, Criterion};

/// Counts allocations (and reallocations) of the whole process.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn movie() -> Movie {
    Movie {
        year: 2013,
        title: "Rush".into(),
        info: Info {
            directors: Some(vec!["Ron Howard".into()]),
            release_date: Some("2013-09-02T00:00:00Z".into()),
            rating: Some(8.3),
            genres: Some(vec![
                "Action".into(),
                "Biography".into(),
                "Drama".into(),
                "Sport".into(),
            ]),
            plot: Some(
                "A re-creation of the merciless 1970s rivalry between Formula One rivals James \
                   Hunt and Niki Lauda."
                    .into(),
            ),
            rank: Some(2),
            running_time_secs: Some(7380),
            actors: Some(vec![
                "Daniel Bruhl".into(),
                "Chris Hemsworth".into(),
                "Olivia Wilde".into(),
            ]),
        },
    }
}

fn awstin_encode(m: &Movie) -> Item {
    to_item(m).expect("a movie encodes")
}
fn serde_encode(m: &Movie) -> Item {
    serde_dynamo::to_item(m).expect("a movie serializes")
}
fn awstin_decode(item: &Item) -> Movie {
    from_item(item).expect("a movie decodes")
}
fn serde_decode(item: Item) -> Movie {
    serde_dynamo::from_item(item).expect("a movie deserializes")
}

/// Allocations one call of `f` makes.
fn allocations<T>(f: impl FnOnce() -> T) -> usize {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let out = f();
    let after = ALLOCATIONS.load(Ordering::Relaxed);
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

/// Criterion's median time of `group/name`, in nanoseconds, if this run measured it (written
/// after `started`: a test-mode run, `cargo test --benches`, measures nothing and leaves an
/// earlier run's estimates in place).
fn median_ns(group: &str, name: &str, started: SystemTime) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(name)
        .join("new")
        .join("estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < started {
        return None;
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn main() {
    let started = SystemTime::now();
    let m = movie();
    let item = awstin_encode(&m);
    assert_eq!(item, serde_encode(&m), "both crates write the same item");
    assert_eq!(
        awstin_decode(&item),
        serde_decode(item.clone()),
        "and read it back alike"
    );

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("codec");
    group.bench_function("encode/awstin", |b| b.iter(|| awstin_encode(black_box(&m))));
    group.bench_function("encode/serde_dynamo", |b| {
        b.iter(|| serde_encode(black_box(&m)))
    });
    group.bench_function("decode/awstin", |b| {
        b.iter(|| awstin_decode(black_box(&item)))
    });
    // serde_dynamo takes the item by value: the copy is made outside the measurement.
    group.bench_function("decode/serde_dynamo", |b| {
        b.iter_batched(|| item.clone(), serde_decode, BatchSize::SmallInput)
    });
    group.finish();
    c.final_summary();

    println!("\nawstin's codec against serde_dynamo (ratio > 1: awstin is faster or leaner)");
    for (what, ours, theirs) in [
        (
            "encode",
            allocations(|| awstin_encode(&m)),
            allocations(|| serde_encode(&m)),
        ),
        ("decode", allocations(|| awstin_decode(&item)), {
            let copy = item.clone();
            allocations(move || serde_decode(copy))
        }),
    ] {
        let time = match (
            median_ns("codec", &format!("{what}_awstin"), started),
            median_ns("codec", &format!("{what}_serde_dynamo"), started),
        ) {
            (Some(a), Some(s)) => {
                format!("median {a:.0} ns vs {s:.0} ns, {ratio:.2}x", ratio = s / a)
            }
            _ => "time not measured in this run".to_owned(),
        };
        println!(
            "  {what}: {time}; allocations {ours} vs {theirs}, {ratio:.2}x",
            ratio = theirs as f64 / ours.max(1) as f64
        );
    }
}
