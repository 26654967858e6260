//! Compile-fail tests (with pinned `.stderr`) and compile-pass tests of the DSL.

#[test]
fn compile_fail() {
    trybuild::TestCases::new().compile_fail("ui/fail/*.rs");
}

#[test]
fn compile_pass() {
    trybuild::TestCases::new().pass("ui/pass/*.rs");
}
