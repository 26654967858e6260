//! The edge module (`examples/edge`, WASM without the AWS SDK) against the embedded DynamoDB's
//! HTTP endpoint: under Node through Node's own `fetch` (`tests/edge/prove.mjs`), and as a
//! Cloudflare Worker under the local Workers runtime (`wrangler dev`), doing the Movies query.

use std::path::{Path, PathBuf};
use std::process::Command;

use awstin::dynamo_model;
use awstin::dynamodb::testing::{LocalDynamoDb, TableSpec, create_table};

dynamo_model! {
    /// The edge module's movie, read back by the tables.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Movie { table "Movies"; key year: u32; key title: String; attr info: Info }
}

dynamo_model! {
    /// Its details.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Info { attr rating: Option<f64>; attr plot: Option<String> }
}

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the edge module (with `features`) for wasm32-unknown-unknown into a target
/// directory of its own (the Node proof and the Worker build different modules at once), and
/// returns its path.
fn build_module(features: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let target = base.join(format!(
        "edge-{}",
        if features.is_empty() {
            "worker"
        } else {
            features
        }
    ));
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .args(["--features", features])
        .arg("--manifest-path")
        .arg(root().join("examples/edge/Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .status()
        .expect("cargo runs");
    assert!(
        status.success(),
        "the edge module builds (rustup target add wasm32-unknown-unknown)"
    );
    target.join("wasm32-unknown-unknown/release/awstin_edge.wasm")
}

async fn movies_table() -> LocalDynamoDb {
    let local = LocalDynamoDb::start().await.expect("a local DynamoDB");
    create_table(local.db(), &TableSpec::of::<Movie>().expect("a spec"))
        .await
        .expect("a table");
    local
}

#[tokio::test(flavor = "multi_thread")]
async fn the_module_reads_and_writes_the_table_through_nodes_fetch() {
    let module = tokio::task::spawn_blocking(|| build_module("writes"))
        .await
        .expect("built");
    let local = movies_table().await;
    let endpoint = local.endpoint().to_owned();
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(root().join("tests/edge/prove.mjs"))
            .arg(&module)
            .arg(endpoint)
            .output()
            .expect("node runs")
    })
    .await
    .expect("node ran");
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    println!("{out}{err}");
    assert!(
        output.status.success(),
        "the Node proof failed:\n{out}{err}"
    );
    assert!(out.contains("checks passed"), "{out}");

    // What the module wrote, the tables read.
    let movies = local.db().table::<Movie>();
    let casino = movies
        .get((1995, "Casino"))
        .await
        .expect("a get")
        .expect("stored");
    assert_eq!(casino.info.rating, Some(9.0));
    assert_eq!(movies.get((1995, "Heat")).await.expect("a get"), None);
}
