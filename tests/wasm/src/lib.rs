//! A WASM module rendering the Movies query: `render(year)` writes the key condition, its
//! names and its values (as DynamoDB JSON) into a static buffer and returns the length.
#![no_std]

use core::fmt::Write as _;

use awstin_core::{Error, Request};
use awstin_macros::{cond, dynamo_model};

dynamo_model! {
    /// A film.
    pub struct Movie { table "Movies"; key year: u32; key title: &'static str; }
}

const CAPACITY: usize = 1024;
static mut OUT: [u8; CAPACITY] = [0; CAPACITY];

fn render_into(year: u32, out: &mut heapless::String<CAPACITY>) -> Result<(), Error> {
    let (from, to) = ("A", "L");
    let key = Movie::expr(cond!(year == year && title between from..to));
    let mut request = Request::<4, 4>::new();
    request.key_condition(&key, out)?;
    for (placeholder, name) in request.names() {
        write!(out, "\n{placeholder}={name}").map_err(|_| Error::Output)?;
    }
    for (placeholder, value) in request.values() {
        write!(out, "\n{placeholder}=").map_err(|_| Error::Output)?;
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

/// Where `render` writes.
#[unsafe(no_mangle)]
pub extern "C" fn output() -> *const u8 {
    (&raw const OUT).cast()
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
