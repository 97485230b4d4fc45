//! `treaty`'s webhook commands against a real broker: `create-webhook` (POST, the consumer and
//! provider route, PUT with `--uuid`), `list-webhooks`, `test-webhook`, `list-webhook-deliveries`
//! and `delete-webhook`, with their output and exit codes.

use std::process::Output;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::receiver::{self, Receiver};
use crate::support::webhooks::{
    DEADLINE, PERMISSIVE, Publication, call, ok, pact, pacticipant, wait_settled,
};
use crate::support::{describe, treaty};

/// A uuid chosen by the client (`create-webhook --uuid`).
const CHOSEN: &str = "0b6f7a52-3c1e-4b7e-9a43-2f1d5c8e9b10";

fn run(broker: &Broker, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--broker-base-url", &broker.url]);
    treaty(&all)
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn expect_exit(backend: &str, output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "[{backend}] {what}: {}",
        describe(output)
    );
}

#[test]
fn treaty_webhook_commands_against_a_real_broker() {
    for database in Database::all("treaty_webhook_commands_against_a_real_broker") {
        let backend = database.backend;
        let receiver = Receiver::start();
        let broker = Broker::start_with_args(&database, "broker", &PERMISSIVE);
        pacticipant(&broker, "web");
        pacticipant(&broker, "orders");
        Publication::new("web", "1.0.0")
            .publish(&broker, &[("orders", pact("web", "orders", "A"))]);

        let none = run(&broker, &["list-webhooks"]);
        expect_exit(backend, &none, 0, "list-webhooks, none yet");
        assert_eq!(stdout(&none).trim(), "no webhooks", "[{backend}]");

        // create-webhook with --consumer and --provider: the pacticipants' route.
        let url = format!(
            "{}/cli/${{pactbroker.consumerName}}/${{pactbroker.eventName}}",
            receiver.url
        );
        let created = run(
            &broker,
            &[
                "create-webhook",
                &url,
                "-X",
                "PUT",
                "-H",
                "X-Team: payments",
                "-H",
                "Authorization: Bearer cli-s3cr3t",
                "-d",
                r#"{"v":"${pactbroker.consumerVersionNumber}"}"#,
                "--consumer",
                "web",
                "--provider",
                "orders",
                "--description",
                "cli hook",
                "--contract-published",
                "--contract-content-changed",
            ],
        );
        expect_exit(backend, &created, 0, "create-webhook");
        let text = stdout(&created);
        let uuid = text
            .strip_prefix("created webhook ")
            .and_then(|rest| rest.split(':').next())
            .unwrap_or_else(|| panic!("[{backend}] no uuid in {text:?}"))
            .to_owned();
        assert!(
            text.contains("cli hook: PUT ") && text.contains("(web → orders)"),
            "[{backend}] {text}"
        );
        let stored = ok(&broker, Method::GET, &format!("/webhooks/{uuid}"), None);
        assert_eq!(
            stored["consumer"],
            json!({ "name": "web" }),
            "[{backend}] {stored}"
        );
        assert_eq!(
            stored["provider"],
            json!({ "name": "orders" }),
            "[{backend}] {stored}"
        );
        assert_eq!(stored["request"]["method"], "PUT", "[{backend}] {stored}");
        assert_eq!(
            stored["request"]["url"],
            url.as_str(),
            "[{backend}] {stored}"
        );
        assert_eq!(
            stored["request"]["headers"]["X-Team"], "payments",
            "[{backend}] {stored}"
        );
        assert_eq!(
            stored["request"]["headers"]["Authorization"], "**********",
            "[{backend}] {stored}"
        );
        assert_eq!(
            stored["request"]["body"],
            json!({ "v": "${pactbroker.consumerVersionNumber}" }),
            "[{backend}] -d JSON is sent as JSON: {stored}"
        );
        let mut events: Vec<&str> = stored["events"]
            .as_array()
            .expect("events")
            .iter()
            .filter_map(|event| event["name"].as_str())
            .collect();
        events.sort_unstable();
        assert_eq!(
            events,
            ["contract_content_changed", "contract_published"],
            "[{backend}] {stored}"
        );

        // --uuid: created, then updated.
        let second_url = format!("{}/chosen", receiver.url);
        for (verb, description) in [("created", "first"), ("updated", "second")] {
            let saved = run(
                &broker,
                &[
                    "create-webhook",
                    &second_url,
                    "--uuid",
                    CHOSEN,
                    "--user",
                    "bot:pa55",
                    "-d",
                    "plain text",
                    "--description",
                    description,
                    "--provider-verification-failed",
                ],
            );
            expect_exit(backend, &saved, 0, "create-webhook --uuid");
            assert!(
                stdout(&saved).starts_with(&format!("{verb} webhook {CHOSEN}: {description}: ")),
                "[{backend}] {}",
                describe(&saved)
            );
        }
        let chosen = ok(&broker, Method::GET, &format!("/webhooks/{CHOSEN}"), None);
        assert_eq!(chosen["description"], "second", "[{backend}] {chosen}");
        assert_eq!(chosen["request"]["username"], "bot", "[{backend}] {chosen}");
        assert_eq!(
            chosen["request"]["password"], "**********",
            "[{backend}] {chosen}"
        );
        assert_eq!(
            chosen["request"]["body"], "plain text",
            "[{backend}] {chosen}"
        );

        let listed = run(&broker, &["list-webhooks"]);
        expect_exit(backend, &listed, 0, "list-webhooks");
        let table = stdout(&listed);
        for expected in [uuid.as_str(), CHOSEN, "cli hook", "second", "web → ", "all"] {
            assert!(
                table.contains(expected),
                "[{backend}] {expected:?} missing:\n{table}"
            );
        }
        assert!(!table.contains("cli-s3cr3t"), "[{backend}] {table}");

        // test-webhook: 0 when the target answers 2xx, 1 when it does not, 2 for no webhook.
        let tested = run(&broker, &["test-webhook", "--uuid", &uuid]);
        expect_exit(backend, &tested, 0, "test-webhook");
        let text = stdout(&tested);
        assert!(
            text.starts_with(&format!("webhook {uuid} succeeded: PUT ")) && text.contains("→ 200"),
            "[{backend}] {text}"
        );
        let calls = receiver.calls();
        assert_eq!(calls.len(), 1, "[{backend}] {}", receiver::list(&calls));
        assert_eq!(calls[0].method, "PUT");
        assert_eq!(calls[0].target, "/cli/web/test", "[{backend}]");
        assert_eq!(calls[0].header("X-Team"), Some("payments"));
        assert_eq!(calls[0].header("Authorization"), Some("Bearer cli-s3cr3t"));
        assert_eq!(calls[0].json(), json!({ "v": "1.0.0" }), "[{backend}]");

        receiver.fail_always(true);
        let failed = run(&broker, &["test-webhook", "--uuid", &uuid]);
        expect_exit(backend, &failed, 1, "test-webhook, the target answers 500");
        assert!(
            stdout(&failed).contains("failed") && stdout(&failed).contains("→ 500"),
            "[{backend}] {}",
            describe(&failed)
        );
        receiver.fail_always(false);
        let unknown = run(&broker, &["test-webhook", "--uuid", "no-such-webhook"]);
        expect_exit(backend, &unknown, 2, "test-webhook of an unknown uuid");

        // A publication: deliveries listed.
        Publication::new("web", "1.0.1")
            .publish(&broker, &[("orders", pact("web", "orders", "B"))]);
        wait_settled(&broker, &uuid, 2, DEADLINE);
        let listed = run(&broker, &["list-webhook-deliveries", "--uuid", &uuid]);
        expect_exit(backend, &listed, 0, "list-webhook-deliveries");
        let table = stdout(&listed);
        for expected in [
            "ID",
            "EVENT",
            "STATUS",
            "published",
            "content_changed",
            "delivered",
            "200",
        ] {
            assert!(
                table.contains(expected),
                "[{backend}] {expected:?} missing:\n{table}"
            );
        }
        let json_listing = run(
            &broker,
            &[
                "list-webhook-deliveries",
                "--uuid",
                &uuid,
                "--output",
                "json",
            ],
        );
        expect_exit(
            backend,
            &json_listing,
            0,
            "list-webhook-deliveries --output json",
        );
        let parsed: Value = serde_json::from_slice(&json_listing.stdout)
            .unwrap_or_else(|e| panic!("[{backend}] not JSON ({e}): {}", describe(&json_listing)));
        assert_eq!(
            parsed["deliveries"].as_array().map(Vec::len),
            Some(2),
            "[{backend}] {parsed}"
        );

        // Refusals: no event flag (2); a target the broker may not call (1: it refused the write).
        let no_event = run(&broker, &["create-webhook", &second_url]);
        expect_exit(
            backend,
            &no_event,
            2,
            "create-webhook without an event flag",
        );
        let refused = run(
            &broker,
            &[
                "create-webhook",
                "https://127.0.0.1/x",
                "--contract-published",
            ],
        );
        expect_exit(backend, &refused, 1, "create-webhook of a refused target");
        assert!(
            String::from_utf8_lossy(&refused.stderr).contains("request.url"),
            "[{backend}] {}",
            describe(&refused)
        );

        // delete-webhook: 0, then 2 for the uuid it no longer knows.
        let deleted = run(&broker, &["delete-webhook", "--uuid", &uuid]);
        expect_exit(backend, &deleted, 0, "delete-webhook");
        assert_eq!(
            stdout(&deleted).trim(),
            format!("deleted webhook {uuid}"),
            "[{backend}]"
        );
        let (status, _) = call(Method::GET, &broker.at(&format!("/webhooks/{uuid}")), None);
        assert_eq!(status, 404, "[{backend}]");
        let again = run(&broker, &["delete-webhook", "--uuid", &uuid]);
        expect_exit(backend, &again, 2, "delete-webhook of a deleted uuid");
    }
}
