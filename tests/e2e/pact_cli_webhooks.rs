//! The real `pact` CLI's webhook commands (`pact broker create-webhook`,
//! `create-or-update-webhook`, `test-webhook`) against treaty-broker, only when
//! `TREATY_E2E_PACT_CLI=1`: each webhook they create is read back with `GET /webhooks/{uuid}`.

use std::process::Output;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::pact_cli::run_pact;
use crate::support::receiver::{self, Receiver};
use crate::support::webhooks::{PERMISSIVE, Publication, ok, pact, pacticipant};
use crate::support::{describe, pact_cli_enabled};

/// The uuid `create-or-update-webhook` is given.
const CHOSEN: &str = "8d3c2f61-5a7b-4e90-b1c4-6f2e9a0d7c35";

fn pact_broker(broker: &Broker, args: &[&str]) -> Output {
    let mut all = vec!["broker"];
    all.extend_from_slice(args);
    all.extend(["--broker-base-url", &broker.url]);
    run_pact(&all)
}

/// The stored webhook described `description` (every test webhook has its own).
fn by_description(broker: &Broker, description: &str) -> Value {
    let listing = ok(broker, Method::GET, "/webhooks", None);
    let found = listing["_embedded"]["webhooks"]
        .as_array()
        .expect("embedded webhooks")
        .iter()
        .find(|webhook| webhook["description"] == description)
        .unwrap_or_else(|| panic!("no webhook described {description:?} in {listing}"))
        .clone();
    // Read it back on its own resource too.
    let uuid = found["uuid"].as_str().expect("a uuid");
    ok(broker, Method::GET, &format!("/webhooks/{uuid}"), None)
}

fn event_names(webhook: &Value) -> Vec<String> {
    let mut names: Vec<String> = webhook["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["name"].as_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn expect_success(backend: &str, output: &Output, what: &str, broker: &Broker) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "[{backend}] {what}: {}\nbroker log:\n{}",
        describe(output),
        broker.log()
    );
}

#[test]
fn pact_broker_webhook_commands_work_against_treaty_broker() {
    if !pact_cli_enabled("pact_broker_webhook_commands_work_against_treaty_broker") {
        return;
    }
    for database in Database::all("pact_broker_webhook_commands_work_against_treaty_broker") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        pacticipant(&broker, "web");
        pacticipant(&broker, "orders");
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);
        let url = |path: &str| format!("{}/{path}", receiver.url);

        // Global, contract_published.
        let output = pact_broker(
            &broker,
            &[
                "create-webhook",
                &url("global"),
                "-X",
                "POST",
                "--description",
                "global",
                "--contract-published",
            ],
        );
        expect_success(backend, &output, "create-webhook (global)", &broker);
        let global = by_description(&broker, "global");
        assert!(global.get("consumer").is_none(), "[{backend}] {global}");
        assert!(global.get("provider").is_none(), "[{backend}] {global}");
        assert_eq!(global["request"]["method"], "POST", "[{backend}] {global}");
        assert_eq!(
            global["request"]["url"],
            url("global"),
            "[{backend}] {global}"
        );
        assert_eq!(event_names(&global), ["contract_published"], "[{backend}]");

        // A consumer and a provider, a header and a JSON body.
        let output = pact_broker(
            &broker,
            &[
                "create-webhook",
                &url("pair/${pactbroker.consumerName}"),
                "-X",
                "PUT",
                "--consumer",
                "web",
                "--provider",
                "orders",
                "--description",
                "pair",
                "-d",
                r#"{"consumer":"${pactbroker.consumerName}","n":1}"#,
                "--contract-content-changed",
                "-H",
                "X-Team: payments",
            ],
        );
        expect_success(
            backend,
            &output,
            "create-webhook (consumer and provider)",
            &broker,
        );
        let pair = by_description(&broker, "pair");
        assert_eq!(
            pair["consumer"],
            json!({ "name": "web" }),
            "[{backend}] {pair}"
        );
        assert_eq!(
            pair["provider"],
            json!({ "name": "orders" }),
            "[{backend}] {pair}"
        );
        assert_eq!(pair["request"]["method"], "PUT", "[{backend}] {pair}");
        assert_eq!(
            pair["request"]["body"],
            json!({ "consumer": "${pactbroker.consumerName}", "n": 1 }),
            "[{backend}] -d JSON is stored as JSON: {pair}"
        );
        assert_eq!(
            pair["request"]["headers"]["X-Team"], "payments",
            "[{backend}] {pair}"
        );
        assert_eq!(
            event_names(&pair),
            ["contract_content_changed"],
            "[{backend}]"
        );

        // A consumer label, a non-JSON body.
        let output = pact_broker(
            &broker,
            &[
                "create-webhook",
                &url("label"),
                "-X",
                "POST",
                "--consumer-label",
                "mobile",
                "--description",
                "label",
                "-d",
                "hello ${pactbroker.consumerName}",
                "--provider-verification-published",
            ],
        );
        expect_success(backend, &output, "create-webhook (label)", &broker);
        let label = by_description(&broker, "label");
        assert_eq!(
            label["consumer"],
            json!({ "label": "mobile" }),
            "[{backend}] {label}"
        );
        assert_eq!(
            label["request"]["body"], "hello ${pactbroker.consumerName}",
            "[{backend}] {label}"
        );

        // Every event flag, and basic auth.
        let output = pact_broker(
            &broker,
            &[
                "create-webhook",
                &url("every"),
                "-X",
                "POST",
                "--description",
                "every",
                "--user",
                "bot:pa55-word",
                "--contract-content-changed",
                "--contract-published",
                "--provider-verification-published",
                "--provider-verification-failed",
                "--provider-verification-succeeded",
                "--contract-requiring-verification-published",
            ],
        );
        expect_success(backend, &output, "create-webhook (every event)", &broker);
        let every = by_description(&broker, "every");
        assert_eq!(
            event_names(&every),
            [
                "contract_content_changed",
                "contract_published",
                "contract_requiring_verification_published",
                "provider_verification_failed",
                "provider_verification_published",
                "provider_verification_succeeded",
            ],
            "[{backend}] {every}"
        );
        assert_eq!(every["request"]["username"], "bot", "[{backend}] {every}");
        assert_eq!(
            every["request"]["password"], "**********",
            "[{backend}] {every}"
        );

        // create-or-update-webhook --uuid: created, then updated in place.
        for description in ["chosen, first", "chosen, second"] {
            let output = pact_broker(
                &broker,
                &[
                    "create-or-update-webhook",
                    &url("chosen/${pactbroker.eventName}"),
                    "--uuid",
                    CHOSEN,
                    "-X",
                    "POST",
                    "--consumer",
                    "web",
                    "--provider",
                    "orders",
                    "--description",
                    description,
                    "--contract-published",
                ],
            );
            expect_success(backend, &output, description, &broker);
            // It prints the webhook the broker answered with.
            let printed: Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|e| panic!("[{backend}] not JSON ({e}): {}", describe(&output)));
            assert_eq!(printed["description"], description, "[{backend}] {printed}");
            let stored = ok(&broker, Method::GET, &format!("/webhooks/{CHOSEN}"), None);
            assert_eq!(stored["description"], description, "[{backend}] {stored}");
            assert_eq!(stored["uuid"], CHOSEN, "[{backend}] {stored}");
        }
        let listing = ok(&broker, Method::GET, "/webhooks", None);
        let all = listing["_embedded"]["webhooks"]
            .as_array()
            .expect("webhooks");
        assert_eq!(all.len(), 5, "[{backend}] {listing}");

        // test-webhook: the broker calls the receiver once, with the latest pact.
        let output = pact_broker(&broker, &["test-webhook", "--uuid", CHOSEN]);
        expect_success(backend, &output, "test-webhook", &broker);
        let calls = receiver.calls();
        assert_eq!(
            calls
                .iter()
                .map(|call| call.target.as_str())
                .collect::<Vec<_>>(),
            ["/chosen/test"],
            "[{backend}] {}",
            receiver::list(&calls)
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).contains(CHOSEN),
            "[{backend}] {}",
            describe(&output)
        );

        // A receiver answering 500: the broker answers 502 and the pact CLI fails. (The pact
        // CLI retries a 5xx answer, by default 8 times over about a minute, so each retry runs
        // the webhook again, as it would against the Pact Broker's 500; `--retries 0` here.)
        receiver.fail_always(true);
        let output = pact_broker(
            &broker,
            &["test-webhook", "--uuid", CHOSEN, "--retries", "0"],
        );
        assert_eq!(
            output.status.code(),
            Some(1),
            "[{backend}] {}",
            describe(&output)
        );
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("502")
                || String::from_utf8_lossy(&output.stdout).contains("502"),
            "[{backend}] {}",
            describe(&output)
        );
        let calls = receiver.calls();
        assert_eq!(calls.len(), 2, "[{backend}] {}", receiver::list(&calls));
    }
}
