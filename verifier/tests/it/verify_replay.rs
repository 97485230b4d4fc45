//! `treaty verify` against wiremock providers: requests built from the contract, passing and
//! failing contracts with the matching engine's mismatches, pending and skipped interactions,
//! contracts fetched from URLs, and usage errors with exit code 2.

use serde_json::json;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::verify_support::{
    both, contract, interaction, provider_answering, read_json, stdout, verify, write_contract,
    write_order_42_contract,
};

#[tokio::test]
async fn a_passing_contract_exits_0_and_says_so() {
    let provider = provider_answering("/orders/42", 200, json!({"id": 42})).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_order_42_contract(dir.path(), "web-orders.json", json!({"id": 42}));

    let output = verify(&[&file, "--provider-base-url", &provider.uri()]).await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let text = stdout(&output);
    assert!(text.contains("OK      GET /orders/42 - order 42"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("web") && l.ends_with("passed")),
        "{text}"
    );
}

#[tokio::test]
async fn a_failing_contract_exits_1_and_names_the_interaction() {
    let provider = provider_answering("/orders/42", 500, json!({"error": "boom"})).await;
    let dir = tempfile::tempdir().unwrap();
    let file = write_order_42_contract(dir.path(), "web-orders.json", json!({"id": 42}));

    let output = verify(&[&file, "--provider-base-url", &provider.uri()]).await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let text = stdout(&output);
    assert!(text.contains("FAILED  GET /orders/42 - order 42"), "{text}");
    assert!(text.contains("status"), "{text}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("1 of 1 contracts failed verification")
    );
}

#[tokio::test]
async fn body_mismatches_from_the_matching_engine_are_reported_with_their_path() {
    let provider = provider_answering("/orders/1", 200, json!({"id": "one", "total": 3})).await;
    let dir = tempfile::tempdir().unwrap();
    let mut order = interaction(
        "order 1",
        &[],
        "GET",
        "/orders/1",
        200,
        json!({"id": 1, "total": 3}),
    );
    order["response"]["matchingRules"] =
        json!({"body": {"$.id": {"matchers": [{"match": "type"}]}}});
    let file = write_contract(
        dir.path(),
        "c.json",
        &contract("web", "orders", vec![order]),
    );
    let report = dir.path().join("r.json");

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--json",
        report.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let mismatches = &read_json(&report)["contracts"][0]["interactions"][0]["mismatches"];
    assert_eq!(
        mismatches.as_array().map(Vec::len),
        Some(1),
        "{mismatches:#}"
    );
    assert_eq!(mismatches[0]["part"], "body");
    assert_eq!(mismatches[0]["path"], "$.id");
    assert_eq!(mismatches[0]["actual"], "\"one\"");
    assert!(stdout(&output).contains("$.id: "), "{}", both(&output));
}

#[tokio::test]
async fn pending_failures_do_not_fail_the_run_and_messages_are_reported_as_skipped() {
    let provider = provider_answering("/new", 404, json!({})).await;
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({
        "consumer": { "name": "web" },
        "provider": { "name": "api" },
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "description": "a new endpoint",
                "pending": true,
                "request": { "method": "GET", "path": "/new" },
                "response": { "status": 200 }
            },
            {
                "type": "Asynchronous/Messages",
                "description": "an order event",
                "contents": { "content": { "id": 1 }, "contentType": "application/json" }
            }
        ],
        "metadata": { "pactSpecification": { "version": "4.0" } }
    });
    let file = write_contract(dir.path(), "v4.json", &doc);
    let report = dir.path().join("r.json");

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--json",
        report.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let text = stdout(&output);
    assert!(text.contains("PENDING GET /new - a new endpoint"), "{text}");
    assert!(
        text.contains("SKIPPED asynchronous message - an order event"),
        "{text}"
    );
    let interactions = &read_json(&report)["contracts"][0]["interactions"];
    assert_eq!(
        (
            interactions[0]["outcome"].as_str(),
            interactions[0]["pending"].as_bool()
        ),
        (Some("failed"), Some(true))
    );
    assert_eq!(interactions[1]["outcome"], "skipped");
    assert_eq!(read_json(&report)["result"], "passed");
}

#[tokio::test]
async fn contracts_are_fetched_from_urls_and_broker_urls_name_the_version() {
    let server = MockServer::start().await;
    let doc = contract(
        "web",
        "api",
        vec![interaction("ok", &[], "GET", "/ok", 200, json!({}))],
    );
    let pact_path = "/pacts/provider/api/consumer/web/version/1.0.7";
    Mock::given(path(pact_path))
        .respond_with(ResponseTemplate::new(200).set_body_json(doc))
        .mount(&server)
        .await;
    Mock::given(path("/ok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let url = format!("{}{pact_path}", server.uri());

    let output = verify(&["--url", &url, "--provider-base-url", &server.uri()]).await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let text = stdout(&output);
    assert!(
        text.lines()
            .any(|l| l.starts_with("web") && l.contains("1.0.7")),
        "{text}"
    );

    let missing = format!("{}/pacts/missing", server.uri());
    let output = verify(&[&missing, "--provider-base-url", &server.uri()]).await;
    assert_eq!(output.status.code(), Some(2), "{}", both(&output));
    let expected = format!("could not fetch {missing}: the server answered 404");
    assert!(both(&output).contains(&expected), "{}", both(&output));
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let one = vec![interaction("ok", &[], "GET", "/ok", 200, json!({}))];
    let file = write_contract(dir.path(), "c.json", &contract("web", "api", one));
    let invalid = dir.path().join("invalid.json");
    std::fs::write(&invalid, r#"{"consumer": {"name": "web"}}"#).unwrap();
    let invalid = invalid.to_str().unwrap();
    let invalid_message = format!("treaty: error: {invalid} is not a valid contract");
    for (args, message) in [
        (
            vec![
                file.as_str(),
                "--provider-base-url",
                "http://h",
                "--provider",
                "nope",
            ],
            "none of the 1 contracts is for provider `nope`",
        ),
        (
            vec![invalid, "--provider-base-url", "http://h"],
            invalid_message.as_str(),
        ),
        (vec![file.as_str()], "the provider's address is missing"),
        (
            vec!["--provider-base-url", "http://127.0.0.1:1"],
            "no contracts to verify",
        ),
        (
            vec![file.as_str(), "--provider-base-url", "localhost:8080"],
            "invalid --provider-base-url",
        ),
        (
            vec![
                file.as_str(),
                "--provider-base-url",
                "http://h",
                "--filter-description",
                "(",
            ],
            "invalid --filter-description",
        ),
        (
            vec!["/nonexistent/c.json", "--provider-base-url", "http://h"],
            "could not read /nonexistent/c.json",
        ),
    ] {
        let output = verify(&args).await;
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", both(&output));
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(message),
            "{args:?}: {}",
            both(&output)
        );
    }
}
