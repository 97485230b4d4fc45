//! Shared helpers for the end-to-end tests: locating (and building once) the real binaries,
//! running `treaty`, fetching JSON from the broker, and the rules for skipping the slow variants
//! loudly instead of passing silently.

pub(crate) mod broker;
pub(crate) mod pact_cli;
pub(crate) mod provider;
pub(crate) mod receiver;
pub(crate) mod webhooks;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// The repository root (the workspace).
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_owned()
}

/// A contract file under `tests/fixtures/pacts/`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/pacts")
        .join(name)
}

/// A fixture file read as JSON.
pub(crate) fn fixture_json(name: &str) -> Value {
    read_json(&fixture(name))
}

/// Reads a JSON file.
pub(crate) fn read_json(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{} is JSON: {e}", path.display()))
}

/// The two binaries under test.
#[derive(Debug)]
pub(crate) struct Binaries {
    /// `treaty-broker`.
    pub(crate) broker: PathBuf,
    /// `treaty`.
    pub(crate) treaty: PathBuf,
}

/// Builds `treaty-broker` and `treaty` once per test process and returns their paths in this
/// profile's target directory.
///
/// With `TREATY_E2E_PREBUILT=1` the build is skipped: `cargo test --workspace` builds both
/// binaries (their crates have integration tests) before any test runs, and a nested `cargo
/// build` of two packages resolves features differently, so it would compile a second copy of
/// many dependencies. `.ci/run` sets it.
pub(crate) fn binaries() -> &'static Binaries {
    static BINARIES: OnceLock<Binaries> = OnceLock::new();
    BINARIES.get_or_init(|| {
        // This test binary lives in <target>/<profile>/deps/; the binaries one level up.
        let exe = std::env::current_exe().expect("the test binary knows its path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps")
            .to_owned();
        if std::env::var("TREATY_E2E_PREBUILT").is_ok_and(|value| value == "1") {
            return located(&profile_dir);
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut build = Command::new(cargo);
        build
            .current_dir(workspace_root())
            .args(["build", "-p", "treaty-broker", "-p", "treaty"]);
        if profile_dir
            .file_name()
            .is_some_and(|name| name == "release")
        {
            build.arg("--release");
        }
        if let Some(target_dir) = profile_dir.parent() {
            build.env("CARGO_TARGET_DIR", target_dir);
        }
        // Cargo gives this test process the variables of the treaty-e2e package; some build
        // scripts (ring's) rerun when those change, so an inherited set would rebuild them.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            let per_package = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_EXE_"]
                .iter()
                .any(|prefix| name.starts_with(prefix))
                || [
                    "CARGO_CRATE_NAME",
                    "CARGO_PRIMARY_PACKAGE",
                    "CARGO_TARGET_TMPDIR",
                    "OUT_DIR",
                ]
                .contains(&name.as_ref());
            if per_package {
                build.env_remove(name.as_ref());
            }
        }
        let status = build.status().expect("cargo runs");
        assert!(
            status.success(),
            "cargo build -p treaty-broker -p treaty failed"
        );
        located(&profile_dir)
    })
}

/// The two binaries in `profile_dir`, which must exist.
fn located(profile_dir: &Path) -> Binaries {
    let binaries = Binaries {
        broker: profile_dir.join(format!("treaty-broker{}", std::env::consts::EXE_SUFFIX)),
        treaty: profile_dir.join(format!("treaty{}", std::env::consts::EXE_SUFFIX)),
    };
    for binary in [&binaries.broker, &binaries.treaty] {
        assert!(
            binary.is_file(),
            "missing {}: build it with `cargo build -p treaty-broker -p treaty`",
            binary.display()
        );
    }
    binaries
}

/// Runs the real `treaty` binary with no broker settings inherited from the environment.
pub(crate) fn treaty(args: &[&str]) -> Output {
    let mut command = Command::new(&binaries().treaty);
    command.args(args);
    for name in [
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_TOKEN",
        "PACT_BROKER_USERNAME",
        "PACT_BROKER_PASSWORD",
    ] {
        command.env_remove(name);
    }
    command.output().expect("treaty runs")
}

/// Standard output and error of a finished process, for assertion messages.
pub(crate) fn describe(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Runs one async block to completion on a fresh current-thread runtime.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// `GET url` with the Accept header the Pact clients send: the status and the JSON body
/// (`Value::Null` when the body is not JSON).
pub(crate) fn get_json(url: &str) -> (u16, Value) {
    block_on(async {
        let response = http_client()
            .get(url)
            .header("Accept", "application/hal+json, application/json")
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    })
}

/// `POST url` with a JSON body: the status and the JSON body.
pub(crate) fn post_json(url: &str, body: &Value) -> (u16, Value) {
    block_on(async {
        let response = http_client()
            .post(url)
            .header("Accept", "application/hal+json")
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {url}: {e}"));
        let status = response.status().as_u16();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, body)
    })
}

/// A pact document as the broker serves it, without what the broker adds: the top-level
/// `_links` and `createdAt`, and the `_id` of each interaction or message.
pub(crate) fn without_broker_additions(document: &Value) -> Value {
    let mut document = document.clone();
    if let Some(top) = document.as_object_mut() {
        top.remove("_links");
        top.remove("createdAt");
        for list in ["interactions", "messages"] {
            if let Some(Value::Array(items)) = top.get_mut(list) {
                for item in items {
                    if let Some(item) = item.as_object_mut() {
                        item.remove("_id");
                    }
                }
            }
        }
    }
    document
}

/// True when `TREATY_E2E_PACT_CLI=1`; otherwise says that `test` is skipped (see [`skipped`]).
pub(crate) fn pact_cli_enabled(test: &str) -> bool {
    if std::env::var("TREATY_E2E_PACT_CLI").is_ok_and(|value| value == "1") {
        return true;
    }
    skipped(&format!(
        "skipped: set TREATY_E2E_PACT_CLI=1 to run {test} (the real pact CLI, installed by tests/scripts/install-pact-cli.sh)"
    ));
    false
}

/// Says that a test or one of its variants did not run. It is written straight to standard error,
/// past the test harness's output capture, so a skipped test never looks like a silent pass.
pub(crate) fn skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// An HTTP client that gives up after 30 seconds, so a hung broker fails the test instead of
/// hanging the suite.
pub(crate) fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("an HTTP client")
}
