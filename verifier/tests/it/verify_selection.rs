//! `treaty verify` selection and ordering: the description, state and consumer filters, and
//! results in contract order when interactions run concurrently.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::verify_support::{
    both, contract, interaction, read_json, stdout, verify, write_contract,
};

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
