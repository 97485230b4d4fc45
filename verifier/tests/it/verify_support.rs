//! Helpers for the `treaty verify` tests: run the binary with a clean environment, build Pact V3
//! contract files, and start providers (wiremock, or a small actix-web service).

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs `treaty verify ARGS…` with none of verify's environment variables inherited.
pub(crate) async fn verify(args: &[&str]) -> Output {
    verify_with_env(args, &[]).await
}

/// Runs `treaty verify ARGS…` with only the environment variables `env` of verify's own.
pub(crate) async fn verify_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_treaty"));
    command.arg("verify").args(args);
    for name in [
        "TREATY_PROVIDER_BASE_URL",
        "TREATY_PROVIDER",
        "TREATY_PROVIDER_STATES_SETUP_URL",
        "TREATY_REQUEST_TIMEOUT",
        "TREATY_CONCURRENCY",
        "PACT_DESCRIPTION",
        "PACT_PROVIDER_STATE",
        "NO_COLOR",
        "TREATY_LOG",
        "PACT_BROKER_BASE_URL",
        "PACT_BROKER_TOKEN",
        "PACT_BROKER_USERNAME",
        "PACT_BROKER_PASSWORD",
        "PACT_BROKER_HTTP_RETRIES",
        "TREATY_CONSUMER_VERSION_SELECTORS",
        "TREATY_CONSUMER_VERSION_TAGS",
        "TREATY_PROVIDER_APP_VERSION",
        "TREATY_PROVIDER_VERSION_BRANCH",
        "TREATY_PROVIDER_VERSION_TAGS",
        "TREATY_ENABLE_PENDING",
        "TREATY_INCLUDE_WIP_PACTS_SINCE",
        "TREATY_PUBLISH_VERIFICATION_RESULTS",
        "TREATY_BUILD_URL",
        "TREATY_IGNORE_NO_PACTS_ERROR",
    ] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    command.output().await.unwrap()
}

/// Standard output and standard error together, for assertion messages.
pub(crate) fn both(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Standard output as text.
pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A V3 HTTP interaction: `GET`-style request without a body, JSON response.
pub(crate) fn interaction(
    description: &str,
    states: &[(&str, Value)],
    method: &str,
    path: &str,
    status: u16,
    body: Value,
) -> Value {
    let states: Vec<Value> = states
        .iter()
        .map(|(name, params)| json!({"name": name, "params": params}))
        .collect();
    json!({
        "description": description,
        "providerStates": states,
        "request": { "method": method, "path": path },
        "response": {
            "status": status,
            "headers": { "Content-Type": "application/json" },
            "body": body
        }
    })
}

/// A V3 contract document.
pub(crate) fn contract(consumer: &str, provider: &str, interactions: Vec<Value>) -> Value {
    json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": interactions,
        "metadata": { "pactSpecification": { "version": "3.0.0" } }
    })
}

/// Writes a contract file and returns its path as a string.
pub(crate) fn write_contract(dir: &Path, name: &str, document: &Value) -> String {
    let path: PathBuf = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(document).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

/// Writes the `web` → `orders` contract with one interaction, "order 42" (`GET /orders/42`
/// answered 200 with `body`), as `name` in `dir`, and returns its path.
pub(crate) fn write_order_42_contract(dir: &Path, name: &str, body: Value) -> String {
    let interaction = interaction("order 42", &[], "GET", "/orders/42", 200, body);
    write_contract(dir, name, &contract("web", "orders", vec![interaction]))
}

/// A port on 127.0.0.1 nothing listens on.
pub(crate) fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Reads a JSON report file.
pub(crate) fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A provider answering `GET route` with `status` and a JSON `body`.
pub(crate) async fn provider_answering(route: &str, status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}
