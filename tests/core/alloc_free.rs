//! Building and rendering expressions performs zero heap allocations.
//!
//! A counting global allocator counts allocations made by this thread while `track` runs;
//! the rest of the test harness may allocate on its own threads without affecting the count.
#![allow(unsafe_code)] // a GlobalAlloc implementation is unsafe by definition

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use awstin_core::{Error, Request};
use awstin_core_tests::Movie;
use awstin_macros::{cond, update};

struct Counting;

thread_local! {
    static TRACKING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: delegates every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if TRACKING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if TRACKING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    TRACKING.with(|t| t.set(true));
    f();
    TRACKING.with(|t| t.set(false));
    COUNT.with(Cell::get)
}

#[test]
fn the_counter_sees_allocations() {
    assert_eq!(allocations(|| drop(std::hint::black_box(vec![1u8; 16]))), 1);
}

#[test]
fn movies_query_renders_without_allocating() {
    let (year, from, to) = (1992u32, "A", "L");
    let count = allocations(|| {
        let key = Movie::expr(cond!(year == year && title between from..to));
        let mut request = Request::<8, 8>::new();
        let mut text = heapless::String::<256>::new();
        let result: Result<(), Error> = request.key_condition(&key, &mut text);
        assert!(result.is_ok());
        assert_eq!(text, "#n0 = :v0 AND #n1 BETWEEN :v1 AND :v2");
    });
    assert_eq!(count, 0);
}

#[test]
fn three_set_update_renders_without_allocating() {
    // The values are created before counting: borrowing them is what the core does.
    let (rating, plot, actors) = (
        5.5,
        "Everything happens all at once.",
        vec!["Larry", "Moe", "Curly"],
    );
    let count = allocations(|| {
        let u = Movie::expr(update!(
            info.rating = rating,
            info.plot = plot,
            info.actors = actors
        ));
        let mut request = Request::<8, 8>::new();
        let mut text = heapless::String::<256>::new();
        assert!(request.update(&u, &mut text).is_ok());
        assert_eq!(text, "SET #n0.#n1 = :v0, #n0.#n2 = :v1, #n0.#n3 = :v2");
    });
    assert_eq!(count, 0);
}

#[test]
fn conditional_delete_renders_without_allocating() {
    let rating = 5;
    let count = allocations(|| {
        let c = Movie::expr(cond!(info.rating <= rating));
        let mut request = Request::<8, 8>::new();
        let mut text = heapless::String::<64>::new();
        assert!(request.condition(&c, &mut text).is_ok());
        assert_eq!(text, "#n0.#n1 <= :v0");
        // Reading the values table back as DynamoDB JSON does not allocate either.
        let mut json = heapless::String::<64>::new();
        for (_, value) in request.values() {
            assert!(awstin_core::json::to_json(value, &mut json).is_ok());
        }
        assert_eq!(json, r#"{"N":"5"}"#);
    });
    assert_eq!(count, 0);
}
