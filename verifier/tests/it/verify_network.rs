//! `treaty verify` when the network misbehaves or carries secrets: an unreachable provider or
//! state change URL (exit 2), a slow provider timing out, custom headers sent and never shown.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::verify_support::{
    both, closed_port, contract, interaction, read_json, stdout, verify, write_contract,
    write_order_42_contract,
};

#[tokio::test]
async fn an_unreachable_provider_exits_2_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_order_42_contract(dir.path(), "c.json", json!({}));
    let base = format!("http://127.0.0.1:{}", closed_port());

    let output = verify(&[&file, "--provider-base-url", &base]).await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let expected = format!("treaty: error: could not connect to {base}: connection refused");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&expected),
        "{}",
        both(&output)
    );
}

#[tokio::test]
async fn an_unreachable_state_change_url_exits_2_too() {
    let dir = tempfile::tempdir().unwrap();
    let states = [("order exists", json!({}))];
    let doc = contract(
        "web",
        "orders",
        vec![interaction(
            "order 42",
            &states,
            "GET",
            "/orders/42",
            200,
            json!({}),
        )],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let base = format!("http://127.0.0.1:{}", closed_port());
    let states_url = format!("{base}/_states");

    let output = verify(&[
        &file,
        "--provider-base-url",
        &base,
        "--provider-states-setup-url",
        &states_url,
    ])
    .await;

    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let expected = format!("treaty: error: could not connect to {base}: connection refused");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&expected),
        "{}",
        both(&output)
    );
}

#[tokio::test]
async fn a_slow_provider_times_out_and_fails_the_interaction() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "orders",
        vec![interaction("slow one", &[], "GET", "/slow", 200, json!({}))],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let report = dir.path().join("report.json");

    let started = std::time::Instant::now();
    let output = verify(&[
        &file,
        "--provider-base-url",
        &server.uri(),
        "--request-timeout",
        "300ms",
        "--json",
        report.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout was not applied"
    );
    assert!(
        stdout(&output).contains("no response from /slow within 300ms"),
        "{}",
        both(&output)
    );
    let error = &read_json(&report)["contracts"][0]["interactions"][0]["error"];
    assert_eq!(error["kind"], "timeout");
}

#[tokio::test]
async fn custom_headers_are_sent_and_never_shown() {
    let provider = MockServer::start().await;
    Mock::given(path("/secure"))
        .and(header("authorization", "Bearer s3cret-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&provider)
        .await;
    Mock::given(path("/secure"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&provider)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "api",
        vec![interaction("secure", &[], "GET", "/secure", 200, json!({}))],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let (json_report, markdown) = (dir.path().join("r.json"), dir.path().join("r.md"));

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--header",
        "Authorization: Bearer s3cret-token",
        "--json",
        json_report.to_str().unwrap(),
        "--markdown",
        markdown.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    for text in [
        both(&output),
        std::fs::read_to_string(&json_report).unwrap(),
        std::fs::read_to_string(&markdown).unwrap(),
    ] {
        assert!(!text.contains("s3cret"), "the secret leaked: {text}");
    }
}
