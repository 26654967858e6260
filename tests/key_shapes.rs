//! Updates that set some of a composed index key's fields do not build.
//!
//! The check is a constant evaluated as the update's code is generated (which fields an
//! update sets is a type, known only where the write is made), so `cargo check` does not
//! reach it and trybuild's compile-fail tests (which check) cannot hold it: this test builds
//! the crate `tests/post_mono` with the case's feature and reads the compiler's message. The
//! crate without a feature (updates setting the key's fields together, and key conditions)
//! builds and runs, so the harness is shown able to pass. (Key conditions the templates cannot
//! express are refused by the type checker, which `cargo check` runs: the compile-fail
//! fixtures `tests/compile/ui/fail/key_condition_*.rs`.)

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

/// Builds (and, without a feature, runs) the crate: whether it succeeded, and what the
/// compiler said.
fn build(feature: Option<&str>) -> (bool, String) {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cargo
        .arg(if feature.is_some() { "build" } else { "run" })
        .args(["--quiet", "--manifest-path"])
        .arg(root().join("tests/post_mono/Cargo.toml"))
        .arg("--target-dir")
        .arg(base.join("post-mono"))
        .env("CARGO_TERM_COLOR", "never");
    if let Some(feature) = feature {
        cargo.args(["--features", feature]);
    }
    let out = cargo.output().expect("cargo runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn updates_setting_some_of_an_index_keys_fields_do_not_build() {
    let (built, said) = build(None);
    assert!(built, "the expressible conditions build and run: {said}");
    let cases = [(
        "an_index_key_field_alone",
        "an update sets the fields of a composed index key together: `gsi1pk` is made of `owner` `state`",
    )];
    for (feature, message) in cases {
        let (built, said) = build(Some(feature));
        assert!(
            !built,
            "{feature}: built, but the template cannot express it"
        );
        assert!(
            said.contains(message),
            "{feature}: the compiler did not say {message:?}:\n{said}"
        );
    }
}
