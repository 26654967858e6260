//! The edge module (`examples/edge`, WASM without the AWS SDK) against the embedded DynamoDB's
//! HTTP endpoint, through the testing proxy that checks every request's signature with the
//! SDK's own signer (the embedded DynamoDB checks none): under Node through Node's own
//! `fetch` (`tests/edge/prove.mjs`), and as a Cloudflare Worker under the local Workers
//! runtime (`wrangler dev`), doing the Movies query.

#![allow(missing_docs)] // test models: the fields speak for themselves

use std::path::{Path, PathBuf};
use std::process::Command;

use awstin::dynamo_model;
use awstin::testing::faults::{FaultPlan, FaultProxy};
use awstin::testing::{LocalDynamoDb, TableSpec, create_table};

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
    // The script remaps the paths in the module, so that its size is the same wherever the
    // repository is cloned.
    let out = Command::new("bash")
        .arg(root().join("scripts/edge-module.sh"))
        .arg(features)
        .arg(&target)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "the edge module builds (rustup target add wasm32-unknown-unknown): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    target.join("wasm32-unknown-unknown/release/awstin_edge.wasm")
}

/// A proxy in front of `local` refusing requests not signed with the secret `test` (both runs
/// sign with it); the test fails when it checked none.
async fn verifying(local: &LocalDynamoDb) -> FaultProxy {
    FaultProxy::start(local.endpoint(), FaultPlan::none().check_signatures("test")).await
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
    let proxy = verifying(&local).await;
    let endpoint = proxy.endpoint().to_owned();
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
    let report = proxy.report();
    assert_eq!(report.signatures_refused, 0, "{report}");
    println!("{report}");

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

/// `GET path` of the server on `port`: the status and the body, or `None` when nothing
/// answers yet.
async fn get(port: u16, path: &str) -> Option<(u16, serde_json::Value)> {
    // A server still starting may take the connection and not answer.
    tokio::time::timeout(std::time::Duration::from_secs(10), get_once(port, path))
        .await
        .ok()
        .flatten()
}

async fn get_once(port: u16, path: &str) -> Option<(u16, serde_json::Value)> {
    use tokio::io::AsyncWriteExt;
    let mut socket = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    let request =
        format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nconnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await.ok()?;
    let mut buf = Vec::new();
    let (head, body) = awstin_tests::read_http_message(&mut socket, &mut buf).await?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((
        status,
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    ))
}

/// The wrangler that scripts/test.sh installs (`AWSTIN_WRANGLER` names another).
fn wrangler() -> PathBuf {
    let path = std::env::var_os("AWSTIN_WRANGLER")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/awstin/wrangler/node_modules/.bin/wrangler")
        });
    assert!(
        path.exists(),
        "no wrangler at {}: scripts/test.sh installs wrangler@4.86.0 there",
        path.display()
    );
    path
}

/// Stops the process group of `child` (wrangler and the workerd it starts), which does not
/// stop on SIGTERM.
struct Group(std::process::Child);

impl Drop for Group {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &group])
            .status();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_runs_the_movies_query_under_the_local_workers_runtime() {
    use std::os::unix::process::CommandExt;

    let wrangler = wrangler();
    let module = tokio::task::spawn_blocking(|| build_module(""))
        .await
        .expect("built");
    // The guide's bound (edge chapter): the Worker's module (the Movies query made, signed and its answer
    // read) stays under 130 KB, stripped.
    let size = std::fs::metadata(&module).expect("a module").len();
    assert!(
        size < 130_000,
        "the Worker's module is {size} bytes, over 130 KB"
    );
    let local = movies_table().await;
    let proxy = verifying(&local).await;
    let movies = local.db().table::<Movie>();
    let movie = |year, title: &str, rating| Movie {
        year,
        title: title.into(),
        info: Info {
            rating: Some(rating),
            plot: None,
        },
    };
    let stored = [
        movie(1992, "A Few Good Men", 7.7),
        movie(1992, "Aladdin", 8.0),
        movie(1992, "Batman Returns", 7.1),
        movie(1992, "Reservoir Dogs", 8.3),
        movie(1993, "Jurassic Park", 8.2),
    ];
    movies
        .batch_write(stored.iter().map(|m| movies.put(m)))
        .await
        .expect("stored");

    // The Worker as the repository has it, beside the module and the host glue.
    let dir = std::env::temp_dir().join(format!("awstin-worker-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("worker")).expect("a directory");
    let edge = root().join("examples/edge");
    for file in ["worker/worker.mjs", "worker/wrangler.toml", "edge.mjs"] {
        std::fs::copy(edge.join(file), dir.join(file)).expect("copied");
    }
    std::fs::copy(&module, dir.join("worker/awstin_edge.wasm")).expect("copied");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let log = std::fs::File::create(dir.join("wrangler.log")).expect("a log");
    let _wrangler = Group(
        Command::new(&wrangler)
            .current_dir(dir.join("worker"))
            .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .args(["--var", &format!("DYNAMODB_ENDPOINT:{}", proxy.endpoint())])
            .args([
                "--var",
                "AWS_ACCESS_KEY_ID:test",
                "--var",
                "AWS_SECRET_ACCESS_KEY:test",
            ])
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CI", "1")
            .stdout(log.try_clone().expect("a log"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("wrangler starts"),
    );

    // The tutorial's query: the movies of 1992 with titles from A to L.
    let mut answer = None;
    for _ in 0..240 {
        if let Some(a) = get(port, "/?year=1992&from=A&to=L").await {
            answer = Some(a);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let log = || std::fs::read_to_string(dir.join("wrangler.log")).unwrap_or_default();
    let (status, body) = answer.unwrap_or_else(|| panic!("the Worker never answered:\n{}", log()));
    assert_eq!(status, 200, "{body}\n{}", log());
    let titles: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        ["A Few Good Men", "Aladdin", "Batman Returns"],
        "{body}"
    );
    assert_eq!(body["items"][1]["info"]["rating"], 8.0, "{body}");
    assert_eq!(body["next"], serde_json::Value::Null);
    assert_eq!(proxy.report().signatures_refused, 0, "{}", proxy.report());

    // Bad input is refused by the module before anything is sent.
    let (status, body) = get(port, "/?year=nineteen").await.expect("an answer");
    assert_eq!(status, 400, "{body}");
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("year")),
        "{body}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
