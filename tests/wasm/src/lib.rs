//! A WASM module rendering and evaluating the Movies query:
//! - `render(year)` writes the key condition, its names and its values (as DynamoDB JSON) into
//!   a static buffer and returns the length;
//! - `matches(year, stored_year, stored_title)` evaluates the same condition on the item
//!   `{year: stored_year, title: <title number stored_title of TITLES>}`: 1, 0, or -1 on error.
//!
//! Nothing here formats through `core::fmt`: text is pushed piece by piece, as an edge
//! function that counts its bytes would write it.
#![no_std]

use awstin_core::{Condition, Error, Number, Request, Value};
use awstin_macros::{cond, dynamo_model};

dynamo_model! {
    /// A film.
    pub struct Movie { table "Movies"; key year: u32; key title: &'static str; }
}

const CAPACITY: usize = 1024;
static mut OUT: [u8; CAPACITY] = [0; CAPACITY];

/// Titles an item may hold, by number.
const TITLES: [&str; 3] = ["Heat", "Ran", "Zelig"];

fn push(out: &mut heapless::String<CAPACITY>, s: &str) -> Result<(), Error> {
    out.push_str(s).map_err(|_| Error::Output)
}

fn render_into(year: u32, out: &mut heapless::String<CAPACITY>) -> Result<(), Error> {
    let (from, to) = ("A", "L");
    let key = Movie::expr(cond!(year == year && title between from..to));
    let mut request = Request::<4, 4>::new();
    request.key_condition(&key, out)?;
    for (placeholder, name) in request.names() {
        push(out, "\n")?;
        push(out, &placeholder.as_str())?;
        push(out, "=")?;
        push(out, name)?;
    }
    for (placeholder, value) in request.values() {
        push(out, "\n")?;
        push(out, &placeholder.as_str())?;
        push(out, "=")?;
        awstin_core::json::to_json(value, out)?;
    }
    Ok(())
}

/// Renders the query for `year`; returns the output length, or -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn render(year: u32) -> i32 {
    let mut text = heapless::String::<CAPACITY>::new();
    if render_into(year, &mut text).is_err() {
        return -1;
    }
    let bytes = text.as_bytes();
    // SAFETY: single-threaded WASM; the buffer is only written here and read by the host
    // after this call returns.
    unsafe {
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), (&raw mut OUT).cast::<u8>(), bytes.len());
    }
    bytes.len() as i32
}

/// Whether the query for `year` matches the item `{year: stored_year, title:
/// TITLES[stored_title]}`: 1 or 0; -1 for an unknown title or an error.
#[unsafe(no_mangle)]
pub extern "C" fn matches(year: u32, stored_year: u32, stored_title: u32) -> i32 {
    let Some(title) = TITLES.get(stored_title as usize) else {
        return -1;
    };
    let (from, to) = ("A", "L");
    let key = Movie::expr(cond!(year == year && title between from..to));
    let item = [
        ("year", Value::N(Number::from(stored_year))),
        ("title", Value::S(title)),
    ];
    match key.eval(Value::M(&item)) {
        Ok(true) => 1,
        Ok(false) => 0,
        Err(_) => -1,
    }
}

/// Where `render` writes.
#[unsafe(no_mangle)]
pub extern "C" fn output() -> *const u8 {
    (&raw const OUT).cast()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
