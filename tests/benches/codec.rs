//! awstin's item codec against serde_dynamo, measured side by side in one run.
//!
//! `dynamo_model!` generates `Encode` and `DecodeFrom` for a model: an item is written and read
//! in one pass, without serde's intermediate data model. This benchmark converts the same
//! tutorial's Movie (the examples' model: a nested document with three lists) both ways with both crates, then prints the ratios of
//! criterion's median times and of the heap allocations each conversion makes.
//!
//! `cargo bench -p awstin-tests --bench codec`
#![allow(missing_docs)] // criterion_group! generates undocumented items

use std::hint::black_box;
use std::time::SystemTime;

use awstin::dynamodb::{Item, from_item, from_item_owned, to_item};
use awstin_examples::{Info, Movie};
use awstin_tests::bench::{Counting, Row, allocations};
use criterion::{BatchSize, Criterion};

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
fn awstin_decode_owned(item: Item) -> Movie {
    from_item_owned(item).expect("a movie decodes")
}
fn serde_decode(item: Item) -> Movie {
    serde_dynamo::from_item(item).expect("a movie deserializes")
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
    assert_eq!(awstin_decode_owned(item.clone()), m, "by value too");

    let mut c = Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("codec");
    group.bench_function("encode/awstin", |b| b.iter(|| awstin_encode(black_box(&m))));
    group.bench_function("encode/serde_dynamo", |b| {
        b.iter(|| serde_encode(black_box(&m)))
    });
    group.bench_function("decode/awstin", |b| {
        b.iter(|| awstin_decode(black_box(&item)))
    });
    // Both by value: the copy each consumes is made outside the measurement.
    group.bench_function("decode_owned/awstin", |b| {
        b.iter_batched(|| item.clone(), awstin_decode_owned, BatchSize::SmallInput)
    });
    group.bench_function("decode/serde_dynamo", |b| {
        b.iter_batched(|| item.clone(), serde_decode, BatchSize::SmallInput)
    });
    group.finish();
    c.final_summary();

    let rows = [
        Row::time(
            "codec: encode a movie vs serde_dynamo",
            "codec",
            ("encode/awstin", "encode/serde_dynamo"),
            1.5,
            started,
        ),
        Row::allocations(
            "codec: encode allocations",
            allocations(|| awstin_encode(&m)) as f64,
            allocations(|| serde_encode(&m)) as f64,
            "serde_dynamo",
        ),
        Row::time(
            "codec: decode a movie by value vs serde_dynamo",
            "codec",
            ("decode_owned/awstin", "decode/serde_dynamo"),
            1.5,
            started,
        ),
        Row::allocations(
            "codec: decode by value, allocations",
            {
                let copy = item.clone();
                allocations(move || awstin_decode_owned(copy)) as f64
            },
            {
                let copy = item.clone();
                allocations(move || serde_decode(copy)) as f64
            },
            "serde_dynamo",
        ),
    ];
    for row in &rows {
        row.print();
        if matches!(row.target, awstin_tests::bench::Target::AllocationsAtMost) {
            row.assert_met();
        }
    }
}
