//! The provider's half of the loop through treaty-broker: consumers publish, the provider
//! verifies the contracts the broker selects (pending and WIP included) and publishes the
//! results, and the broker shows them. Run with `treaty verify`, and with the real
//! `pact verifier` when `TREATY_E2E_PACT_CLI=1`.
//!
//! The story in every test: consumer `web` publishes a contract on its main branch that the
//! provider `orders` honours, and a contract on branch `feat-x` that asks for a field the
//! provider does not return yet. Verifying the main branch's contracts with WIP on passes
//! (the `feat-x` contract fails, but it is work in progress, so pending); once the provider
//! returns the field, the `feat-x` contract passes and is no longer pending for the provider's
//! `main` branch.

use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::pact_cli::run_pact;
use crate::support::provider::Provider;
use crate::support::{describe, get_json, pact_cli_enabled, post_json, treaty};

const PROVIDER: &str = "orders";
const CONSUMER: &str = "web";

/// The contract of `web` with `orders`: `GET /orders/42` answers the order, and with
/// `currency`, also its currency.
fn order_contract(currency: bool) -> Value {
    let mut body = json!({ "id": 42, "total": 12.5 });
    if currency {
        body["currency"] = json!("EUR");
    }
    json!({
        "consumer": { "name": CONSUMER },
        "provider": { "name": PROVIDER },
        "interactions": [{
            "description": if currency { "a request for order 42 with its currency" } else { "a request for order 42" },
            "providerStates": [{ "name": "order 42 exists" }],
            "request": { "method": "GET", "path": "/orders/42" },
            "response": {
                "status": 200,
                "headers": { "Content-Type": "application/json" },
                "body": body,
                "matchingRules": { "body": { "$.total": { "matchers": [{ "match": "decimal" }] } } }
            }
        }],
        "metadata": { "pactSpecification": { "version": "3.0.0" } }
    })
}

/// A directory holding one contract file.
fn contract_dir(contract: &Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("web-orders.json"),
        serde_json::to_vec_pretty(contract).unwrap(),
    )
    .unwrap();
    dir
}

/// A provider that returns order 42 without a currency.
fn provider_without_currency() -> Provider {
    Provider::start(&[("/orders/42", 200, json!({ "id": 42, "total": 9.99 }))])
}

/// Publishes the main-branch contract (1.0.0) and the `feat-x` contract (1.1.0) with
/// `treaty publish`.
fn publish_with_treaty(broker: &Broker) {
    for (version, branch, currency) in [("1.0.0", "main", false), ("1.1.0", "feat-x", true)] {
        let dir = contract_dir(&order_contract(currency));
        let output = treaty(&[
            "publish",
            dir.path().to_str().unwrap(),
            "--consumer-app-version",
            version,
            "--branch",
            branch,
            "--broker-base-url",
            &broker.url,
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    }
}

/// The latest verification result of the pact `web` `version` published, following the
/// pact document's `pb:latest-verification-results` link: `(status, body)`.
fn latest_result(broker: &Broker, version: &str) -> (u16, Value) {
    let (status, pact) = get_json(&broker.at(&format!(
        "/pacts/provider/{PROVIDER}/consumer/{CONSUMER}/version/{version}"
    )));
    assert_eq!(status, 200, "pact of {version}: {pact}");
    let href = pact["_links"]["pb:latest-verification-results"]["href"]
        .as_str()
        .unwrap_or_else(|| {
            panic!("pact of {version} has no pb:latest-verification-results: {pact}")
        })
        .to_owned();
    get_json(&href)
}

/// Whether the broker says the `feat-x` contract is pending for the provider's `main` branch
/// when it is selected explicitly.
fn feat_x_pending_for_main(broker: &Broker) -> bool {
    let (status, body) = post_json(
        &broker.at(&format!("/pacts/provider/{PROVIDER}/for-verification")),
        &json!({
            "consumerVersionSelectors": [{ "branch": "feat-x" }],
            "providerVersionBranch": "main",
            "includePendingStatus": true
        }),
    );
    assert_eq!(status, 200, "{body}");
    let pacts = body["_embedded"]["pacts"].as_array().expect("pacts");
    assert_eq!(pacts.len(), 1, "{body}");
    pacts[0]["verificationProperties"]["pending"]
        .as_bool()
        .unwrap_or_else(|| panic!("no pending flag: {body}"))
}

fn treaty_verify(
    broker: &Broker,
    provider: &Provider,
    provider_version: &str,
) -> std::process::Output {
    treaty(&[
        "verify",
        "--broker-base-url",
        &broker.url,
        "--provider",
        PROVIDER,
        "--provider-base-url",
        &provider.url,
        "--provider-states-setup-url",
        &provider.states_url(),
        "--consumer-version-selectors",
        r#"{"mainBranch":true}"#,
        "--enable-pending",
        "--include-wip-pacts-since",
        "2020-01-01",
        "--publish",
        "--provider-app-version",
        provider_version,
        "--provider-version-branch",
        "main",
        "--no-color",
    ])
}

fn pact_verify(
    broker: &Broker,
    provider: &Provider,
    provider_version: &str,
) -> std::process::Output {
    let port = provider.port.to_string();
    let state_url = provider.states_url();
    run_pact(&[
        "verifier",
        "--broker-url",
        &broker.url,
        "--provider-name",
        PROVIDER,
        "--hostname",
        "127.0.0.1",
        "--port",
        &port,
        "--state-change-url",
        &state_url,
        "--consumer-version-selectors",
        r#"{"mainBranch":true}"#,
        "--enable-pending",
        "--include-wip-pacts-since",
        "2020-01-01",
        "--publish",
        "--provider-version",
        provider_version,
        "--provider-branch",
        "main",
    ])
}

/// After the first verification (provider without currency) and the second (with it), the
/// broker holds both results and the `feat-x` contract is no longer pending.
fn check_the_story(
    broker: &Broker,
    provider: &Provider,
    backend: &str,
    verify: impl Fn(&Broker, &Provider, &str) -> std::process::Output,
) {
    assert!(
        feat_x_pending_for_main(broker),
        "[{backend}] feat-x starts pending"
    );

    let first = verify(broker, provider, "2.0.0");
    assert_eq!(
        first.status.code(),
        Some(0),
        "[{backend}] a failing WIP contract is pending and does not fail the run\n{}\n{}",
        describe(&first),
        broker.log()
    );
    let (status, main_result) = latest_result(broker, "1.0.0");
    assert_eq!(status, 200, "[{backend}] {main_result}");
    assert_eq!(
        main_result["success"],
        json!(true),
        "[{backend}] {main_result}"
    );
    assert_eq!(
        main_result["providerApplicationVersion"],
        json!("2.0.0"),
        "[{backend}] {main_result}"
    );
    let (status, feat_result) = latest_result(broker, "1.1.0");
    assert_eq!(
        status, 200,
        "[{backend}] the failing WIP result was published: {feat_result}"
    );
    assert_eq!(
        feat_result["success"],
        json!(false),
        "[{backend}] {feat_result}"
    );
    let (status, branch_version) = get_json(&broker.at(&format!(
        "/pacticipants/{PROVIDER}/branches/main/versions/2.0.0"
    )));
    assert_eq!(
        status, 200,
        "[{backend}] the provider version is on main: {branch_version}"
    );
    assert!(
        feat_x_pending_for_main(broker),
        "[{backend}] a failure does not end pending"
    );

    provider.answer(
        "/orders/42",
        200,
        json!({ "id": 42, "total": 9.99, "currency": "EUR" }),
    );
    let second = verify(broker, provider, "2.1.0");
    assert_eq!(
        second.status.code(),
        Some(0),
        "[{backend}] {}",
        describe(&second)
    );
    let (_, feat_result) = latest_result(broker, "1.1.0");
    assert_eq!(
        feat_result["success"],
        json!(true),
        "[{backend}] {feat_result}"
    );
    assert_eq!(
        feat_result["providerApplicationVersion"],
        json!("2.1.0"),
        "[{backend}] {feat_result}"
    );
    assert!(
        !feat_x_pending_for_main(broker),
        "[{backend}] verified by main, so no longer pending"
    );
}

#[test]
fn treaty_verify_selects_verifies_and_publishes_through_the_broker() {
    for database in Database::all("treaty_verify_selects_verifies_and_publishes_through_the_broker")
    {
        let broker = Broker::start(&database);
        publish_with_treaty(&broker);
        let provider = provider_without_currency();
        check_the_story(&broker, &provider, database.backend, treaty_verify);
    }
}

#[test]
fn treaty_verify_reports_the_pending_failure_as_pending() {
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    publish_with_treaty(&broker);
    let provider = provider_without_currency();
    let output = treaty_verify(&broker, &provider, "2.0.0");
    let stdout = String::from_utf8_lossy(&output.stdout).to_lowercase();
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert!(stdout.contains("pending"), "{}", describe(&output));
}

#[test]
fn treaty_verify_fails_when_the_filter_matches_nothing() {
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    publish_with_treaty(&broker);
    let provider = provider_without_currency();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--broker-base-url",
            &broker.url,
            "--provider",
            PROVIDER,
            "--provider-base-url",
            &provider.url,
            "--filter-consumer",
            "nobody",
        ];
        args.extend_from_slice(extra);
        treaty(&args)
    };
    let nothing = run(&[]);
    assert_eq!(nothing.status.code(), Some(1), "{}", describe(&nothing));
    let ignored = run(&["--ignore-no-pacts-error"]);
    assert_eq!(ignored.status.code(), Some(0), "{}", describe(&ignored));
}

#[test]
fn pact_verifier_selects_verifies_and_publishes_through_the_broker() {
    if !pact_cli_enabled("pact_verifier_selects_verifies_and_publishes_through_the_broker") {
        return;
    }
    for database in Database::all("pact_verifier_selects_verifies_and_publishes_through_the_broker")
    {
        let broker = Broker::start(&database);
        for (version, branch, currency) in [("1.0.0", "main", false), ("1.1.0", "feat-x", true)] {
            let dir = contract_dir(&order_contract(currency));
            let output = run_pact(&[
                "broker",
                "publish",
                dir.path().to_str().unwrap(),
                "--consumer-app-version",
                version,
                "--branch",
                branch,
                "--broker-base-url",
                &broker.url,
            ]);
            assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
        }
        let provider = provider_without_currency();
        check_the_story(&broker, &provider, database.backend, pact_verify);
    }
}
