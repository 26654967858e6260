//! Placeholder entry until the Movies demo lands.
fn main() {}
