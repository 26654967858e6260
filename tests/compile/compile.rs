//! Compile-fail tests (with pinned `.stderr`) and compile-pass tests of the DSL.
//!
//! The `.stderr` files hold rustc's exact words, which change between compiler releases, so
//! they are pinned to the compiler they were recorded with: [`RECORDED_WITH`]. On another
//! compiler the compile-fail test says so instead of failing on wording; re-record with
//! `TRYBUILD=overwrite` and update the constant.

/// The `rustc --version` prefix the `.stderr` files were recorded with.
const RECORDED_WITH: &str = "rustc 1.95.0 ";

fn rustc_version() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .expect("rustc runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn compile_fail() {
    let version = rustc_version();
    assert!(
        version.starts_with(RECORDED_WITH),
        "the .stderr files were recorded with {RECORDED_WITH}but this is {version}: \
         run the UI tests with that toolchain, or re-record them (TRYBUILD=overwrite) \
         and update RECORDED_WITH"
    );
    trybuild::TestCases::new().compile_fail("ui/fail/*.rs");
}

#[test]
fn compile_pass() {
    trybuild::TestCases::new().pass("ui/pass/*.rs");
}
