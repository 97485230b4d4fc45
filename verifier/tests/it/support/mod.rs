//! Helpers for the CLI's integration tests: run the real `treaty` binary, write contract files,
//! and answer like a Pact broker with `wiremock`.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs the real `treaty` binary with `args`, with no broker settings inherited from the
/// environment, and returns its output.
pub(crate) async fn treaty(args: &[&str]) -> Output {
    treaty_with_env(args, &[]).await
}

/// Runs the real `treaty` binary with `args` and extra environment variables.
pub(crate) async fn treaty_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_treaty"));
    command.args(args);
    for name in [
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_TOKEN",
        "PACT_BROKER_USERNAME",
        "PACT_BROKER_PASSWORD",
        "PACT_BROKER_HTTP_RETRIES",
        "TREATY_CONSUMER_APP_VERSION",
        "TREATY_BRANCH",
        "TREATY_TAGS",
        "TREATY_BUILD_URL",
        "TREATY_MERGE",
        "TREATY_OUTPUT",
        "TREATY_LOG",
        "TREATY_PACTICIPANT",
        "TREATY_VERSION",
        "TREATY_ENVIRONMENT",
        "TREATY_APPLICATION_INSTANCE",
        "TREATY_WEBHOOK_UUID",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().await.expect("the treaty binary runs")
}

/// The process's standard output as text.
pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The process's standard error as text.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A valid Pact V3 contract between `consumer` and `provider`.
pub(crate) fn pact_v3(consumer: &str, provider: &str) -> Value {
    json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{
            "description": "a request for order 42",
            "providerStates": [{ "name": "order 42 exists" }],
            "request": { "method": "GET", "path": "/orders/42" },
            "response": {
                "status": 200,
                "headers": { "Content-Type": "application/json" },
                "body": { "id": 42, "total": 12.5 },
                "matchingRules": { "body": { "$.total": { "matchers": [{ "match": "decimal" }] } } }
            }
        }],
        "metadata": { "pactSpecification": { "version": "3.0.0" } }
    })
}

/// Writes `document` pretty-printed to `dir/name` and returns the path.
pub(crate) fn write_json(dir: &Path, name: &str, document: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_vec_pretty(document).expect("JSON serialises"),
    )
    .expect("the contract file is written");
    path
}

/// Writes the `web` -> `orders` V3 pact to a fresh directory and runs
/// `treaty publish FILE -a 1 EXTRA... -b BROKER_URL` on it.
pub(crate) async fn publish_one_pact(broker_url: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write_json(dir.path(), "p.json", &pact_v3("web", "orders"));
    let file = file.to_string_lossy().into_owned();
    let mut args = vec!["publish", file.as_str(), "-a", "1"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-b", broker_url]);
    treaty(&args).await
}

/// A fake broker whose index links `pb:publish-contracts` to `/contracts/publish`.
pub(crate) async fn fake_broker() -> MockServer {
    let server = MockServer::start().await;
    let index = json!({ "_links": {
        "self": { "href": server.uri() },
        "pb:publish-contracts": { "href": format!("{}/contracts/publish", server.uri()), "title": "Publish contracts" }
    }});
    Mock::given(method("GET"))
        .and(path("/"))
        .respond_with(ResponseTemplate::new(200).set_body_json(index))
        .mount(&server)
        .await;
    server
}

/// The publish response the Pact Broker sends for a new contract.
pub(crate) fn publish_ok(consumer: &str, version: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("Content-Type", "application/hal+json;charset=utf-8")
        .set_body_json(json!({
            "notices": [
                { "type": "success", "text": format!("Created {consumer} version {version}") },
                { "type": "info", "text": "Pact published" }
            ],
            "_embedded": { "pacticipant": { "name": consumer }, "version": { "number": version } }
        }))
}

/// The JSON bodies of every `POST /contracts/publish` the server received, in order.
pub(crate) async fn publish_bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.method == wiremock::http::Method::POST)
        .map(|request| serde_json::from_slice(&request.body).expect("the body is JSON"))
        .collect()
}

/// A port on 127.0.0.1 nothing listens on.
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}
