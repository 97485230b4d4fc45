//! `treaty verify` against wiremock providers: requests built from the contract, passing and
//! failing contracts, exit codes, provider states in order, header injection, filters,
//! timeouts, an unreachable provider, and results in contract order under concurrency.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::verify_support::{
    both, closed_port, contract, interaction, read_json, stdout, verify, write_contract,
};

async fn provider_answering(route: &str, status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_passing_contract_exits_0_and_says_so() {
    let provider = provider_answering("/orders/42", 200, json!({"id": 42})).await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "orders",
        vec![interaction(
            "order 42",
            &[],
            "GET",
            "/orders/42",
            200,
            json!({"id": 42}),
        )],
    );
    let file = write_contract(dir.path(), "web-orders.json", &doc);

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
    let doc = contract(
        "web",
        "orders",
        vec![interaction(
            "order 42",
            &[],
            "GET",
            "/orders/42",
            200,
            json!({"id": 42}),
        )],
    );
    let file = write_contract(dir.path(), "web-orders.json", &doc);

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
async fn an_unreachable_provider_exits_2_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "orders",
        vec![interaction(
            "order 42",
            &[],
            "GET",
            "/orders/42",
            200,
            json!({}),
        )],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
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
async fn provider_states_are_set_up_and_torn_down_in_order_with_pact_bodies() {
    let provider = MockServer::start().await;
    Mock::given(path("/users/1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 1})))
        .mount(&provider)
        .await;
    Mock::given(path("/users/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 2})))
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "users",
        vec![
            interaction(
                "user 1",
                &[
                    ("user exists", json!({"id": 1})),
                    ("user is admin", json!({})),
                ],
                "GET",
                "/users/1",
                200,
                json!({"id": 1}),
            ),
            interaction(
                "user 2",
                &[("user exists", json!({"id": 2}))],
                "GET",
                "/users/2",
                200,
                json!({"id": 2}),
            ),
        ],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let states_url = format!("{}/_states", provider.uri());

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--provider-states-setup-url",
        &states_url,
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let requests = provider.received_requests().await.unwrap();
    let calls: Vec<Value> = requests
        .iter()
        .map(|r| match r.method.as_str() {
            "POST" => serde_json::from_slice(&r.body).unwrap(),
            _ => json!(r.url.path()),
        })
        .collect();
    assert_eq!(
        calls,
        [
            json!({"state": "user exists", "params": {"id": 1}, "action": "setup"}),
            json!({"state": "user is admin", "params": {}, "action": "setup"}),
            json!("/users/1"),
            json!({"state": "user exists", "params": {"id": 1}, "action": "teardown"}),
            json!({"state": "user is admin", "params": {}, "action": "teardown"}),
            json!({"state": "user exists", "params": {"id": 2}, "action": "setup"}),
            json!("/users/2"),
            json!({"state": "user exists", "params": {"id": 2}, "action": "teardown"}),
        ]
    );
}

#[tokio::test]
async fn a_failed_state_setup_fails_the_interaction_with_the_reason() {
    let provider = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/_states"))
        .respond_with(ResponseTemplate::new(500).set_body_string("no such fixture"))
        .mount(&provider)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let doc = contract(
        "web",
        "users",
        vec![interaction(
            "user 1",
            &[("user exists", json!({}))],
            "GET",
            "/users/1",
            200,
            json!({}),
        )],
    );
    let file = write_contract(dir.path(), "c.json", &doc);
    let states_url = format!("{}/_states", provider.uri());

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--state-change-url",
        &states_url,
    ])
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", both(&output));
    let text = stdout(&output);
    assert!(text.contains("ERROR"), "{text}");
    assert!(
        text.contains("provider state setup of \"user exists\" failed"),
        "{text}"
    );
    assert!(
        text.contains("500 Internal Server Error: no such fixture"),
        "{text}"
    );
    let requests = provider.received_requests().await.unwrap();
    assert!(
        requests.iter().all(|r| r.url.path() != "/users/1"),
        "the request was sent anyway"
    );
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

#[tokio::test]
async fn filters_select_interactions_and_consumers() {
    let provider = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&provider)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&provider)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let web = contract(
        "web",
        "api",
        vec![
            interaction("list orders", &[], "GET", "/orders", 200, json!({})),
            interaction(
                "get order",
                &[("order exists", json!({}))],
                "GET",
                "/orders/1",
                200,
                json!({}),
            ),
            interaction(
                "get user",
                &[("user exists", json!({}))],
                "GET",
                "/users/1",
                200,
                json!({}),
            ),
        ],
    );
    let mobile = contract(
        "mobile",
        "api",
        vec![interaction(
            "list orders",
            &[],
            "GET",
            "/orders",
            200,
            json!({}),
        )],
    );
    write_contract(dir.path(), "a-web.json", &web);
    write_contract(dir.path(), "b-mobile.json", &mobile);
    let directory = dir.path().to_str().unwrap();
    let base = provider.uri();

    let run = |extra: &'static [&'static str]| selected(directory, &base, extra);
    assert_eq!(
        run(&["--filter-description", "^get"]).await,
        ["web: get order", "web: get user"]
    );
    assert_eq!(run(&["--filter-state", "order"]).await, ["web: get order"]);
    assert_eq!(
        run(&["--filter-consumer", "mobile"]).await,
        ["mobile: list orders"]
    );
    assert_eq!(run(&[]).await.len(), 4);
}

/// Verifies the contracts of `directory` with `extra` flags; returns `consumer: description`
/// of every interaction in the JSON report.
async fn selected(directory: &str, base: &str, extra: &[&str]) -> Vec<String> {
    let report_dir = tempfile::tempdir().unwrap();
    let report = report_dir.path().join("r.json");
    let mut args = vec![
        "--dir",
        directory,
        "--provider-base-url",
        base,
        "--json",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = verify(&args).await;
    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let mut selected = Vec::new();
    for contract in read_json(&report)["contracts"].as_array().unwrap() {
        for interaction in contract["interactions"].as_array().unwrap() {
            selected.push(format!(
                "{}: {}",
                contract["consumer"].as_str().unwrap(),
                interaction["description"].as_str().unwrap()
            ));
        }
    }
    selected
}

#[tokio::test]
async fn results_keep_contract_order_under_concurrency() {
    let provider = MockServer::start().await;
    for (index, delay) in [(0u64, 300u64), (1, 10), (2, 200), (3, 0)] {
        Mock::given(path(format!("/items/{index}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({}))
                    .set_delay(Duration::from_millis(delay)),
            )
            .mount(&provider)
            .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let interactions = (0..4)
        .map(|i| {
            interaction(
                &format!("item {i}"),
                &[],
                "GET",
                &format!("/items/{i}"),
                200,
                json!({}),
            )
        })
        .collect();
    let file = write_contract(dir.path(), "c.json", &contract("web", "api", interactions));
    let report = dir.path().join("r.json");

    let output = verify(&[
        &file,
        "--provider-base-url",
        &provider.uri(),
        "--concurrency",
        "4",
        "--json",
        report.to_str().unwrap(),
    ])
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", both(&output));
    let descriptions: Vec<String> = read_json(&report)["contracts"][0]["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["description"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(descriptions, ["item 0", "item 1", "item 2", "item 3"]);
    let text = stdout(&output);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("item "))
        .map(str::trim)
        .collect::<Vec<_>>();
    assert_eq!(lines.len(), 4);
    assert!(
        lines[0].contains("item 0") && lines[3].contains("item 3"),
        "{lines:?}"
    );
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
