//! Key conditions over composed keys' fields that the templates cannot express do not build,
//! nor updates that set some of a composed index key's fields.
//!
//! The check is a constant evaluated as the condition's code is generated (the shape of a
//! condition is a type, known only where the query is made), so `cargo check` does not reach
//! it and trybuild's compile-fail tests (which check) cannot hold it: this test builds the
//! crate `tests/post_mono` with each case's feature and reads the compiler's message. The
//! crate without a feature (the conditions the templates express) builds and runs, so the
//! harness is shown able to pass.

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
fn conditions_the_templates_cannot_express_do_not_build() {
    let (built, said) = build(None);
    assert!(built, "the expressible conditions build and run: {said}");
    let cases = [
        (
            "skips_a_sort_field",
            "a key condition gives the sort key's fields from the first, without gaps: a later field needs the earlier ones (with `==`)",
        ),
        (
            "without_the_partition",
            "a key condition gives every field of a composed or multi-attribute partition key with `==`",
        ),
        (
            "less_than_the_last_field",
            "`<` on a composed sort key's last field is not one key condition",
        ),
        (
            "a_field_twice",
            "a key condition tests each field of a composed key once",
        ),
        (
            "multi_partition_missing",
            "a key condition gives every field of a composed or multi-attribute partition key with `==`",
        ),
        (
            "an_index_key_field_alone",
            "an update sets the fields of a composed index key together: `gsi1pk` is made of `owner` `state`",
        ),
        (
            "a_range_before_the_last",
            "a key condition gives the sort key's fields from the first, without gaps",
        ),
    ];
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
