//! can-i-deploy and can-i-merge against a running treaty-broker: the real `pact broker
//! can-i-deploy` / `can-i-merge` (only when `TREATY_E2E_PACT_CLI=1`) and `treaty can-i-deploy`
//! / `can-i-merge` (always): a yes and a no, their exit codes, and the explanation each prints.

use base64::Engine;
use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::pact_cli::run_pact;
use crate::support::{describe, pact_cli_enabled, post_json, treaty};

/// `consumer` `version` publishes a one-interaction pact with `provider`.
fn publish(broker: &Broker, consumer: &str, version: &str, provider: &str, description: &str) {
    let document = json!({
        "consumer": { "name": consumer },
        "provider": { "name": provider },
        "interactions": [{
            "description": description,
            "request": { "method": "GET", "path": "/orders/1" },
            "response": { "status": 200, "body": { "id": 1 } },
        }],
        "metadata": { "pactSpecification": { "version": "2.0.0" } },
    });
    let body = json!({
        "pacticipantName": consumer,
        "pacticipantVersionNumber": version,
        "branch": "main",
        "contracts": [{
            "consumerName": consumer,
            "providerName": provider,
            "specification": "pact",
            "contentType": "application/json",
            "content": base64::engine::general_purpose::STANDARD.encode(document.to_string()),
        }],
    });
    let (status, reply) = post_json(&broker.at("/contracts/publish"), &body);
    assert_eq!(status, 200, "{reply}");
}

/// `provider` `provider_version` verifies the pact of `consumer` `version` (successfully).
fn verify(broker: &Broker, consumer: &str, version: &str, provider: &str, provider_version: &str) {
    let (status, pact) = crate::support::get_json(&broker.at(&format!(
        "/pacts/provider/{provider}/consumer/{consumer}/version/{version}"
    )));
    assert_eq!(status, 200, "{pact}");
    let href = pact["_links"]["pb:publish-verification-results"]["href"]
        .as_str()
        .unwrap();
    let path = &href[href.find("/pacts/").unwrap()..];
    let (status, reply) = post_json(
        &broker.at(path),
        &json!({ "success": true, "providerApplicationVersion": provider_version }),
    );
    assert_eq!(status, 201, "{reply}");
}

fn create_environment(broker: &Broker, name: &str) -> String {
    let (status, reply) = post_json(
        &broker.at("/environments"),
        &json!({ "name": name, "production": true }),
    );
    assert_eq!(status, 201, "{reply}");
    reply["uuid"].as_str().unwrap().to_owned()
}

fn deploy(broker: &Broker, pacticipant: &str, version: &str, environment: &str) {
    let (status, reply) = post_json(
        &broker.at(&format!("/pacticipants/{pacticipant}/versions/{version}/deployed-versions/environment/{environment}")),
        &json!({}),
    );
    assert_eq!(status, 201, "{reply}");
}

/// The world of the tests: web 1.2.3 needs orders; production has no orders yet.
fn world(database: &Database) -> (Broker, String) {
    let broker = Broker::start(database);
    publish(&broker, "web", "1.2.3", "orders", "get order");
    let production = create_environment(&broker, "production");
    (broker, production)
}

fn pact_broker(broker: &Broker, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["broker"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--broker-base-url", &broker.url]);
    let output = run_pact(&all);
    (output.status.code(), describe(&output))
}

#[test]
fn the_pact_cli_asks_can_i_deploy_and_can_i_merge() {
    if !pact_cli_enabled("the_pact_cli_asks_can_i_deploy_and_can_i_merge") {
        return;
    }
    for database in Database::all("the_pact_cli_asks_can_i_deploy_and_can_i_merge") {
        let (broker, production) = world(&database);
        let ask = [
            "can-i-deploy",
            "--pacticipant",
            "web",
            "--version",
            "1.2.3",
            "--to-environment",
            "production",
        ];
        let (code, no) = pact_broker(&broker, &ask);
        assert_eq!(code, Some(1), "{no}\n{}", broker.log());
        assert!(no.contains("Computer says no"), "{no}");
        assert!(
            no.contains("There is no verified pact between version 1.2.3 of web and a version of orders currently in production"),
            "{no}"
        );
        assert!(no.contains("orders has no version recorded in production: record its deployment or release, or --ignore orders"), "{no}");

        let (code, ignored) = pact_broker(&broker, &[&ask[..], &["--ignore", "orders"]].concat());
        assert_eq!(code, Some(0), "{ignored}");

        verify(&broker, "web", "1.2.3", "orders", "4.5.6");
        deploy(&broker, "orders", "4.5.6", &production);
        let (code, yes) = pact_broker(&broker, &ask);
        assert_eq!(code, Some(0), "{yes}\n{}", broker.log());
        assert!(yes.contains("Computer says yes"), "{yes}");
        assert!(
            yes.contains("All required verification results are published and successful"),
            "{yes}"
        );
        assert!(
            yes.contains("/verification-results/1"),
            "the VERIFICATION RESULTS list: {yes}"
        );

        let (code, json_out) = pact_broker(&broker, &[&ask[..], &["-o", "json"]].concat());
        assert_eq!(code, Some(0), "{json_out}");
        assert!(json_out.contains("\"deployable\":true"), "{json_out}");

        // orders' main branch (4.5.6, published by the verification) verified web 1.2.3.
        let reply = crate::support::block_on(async {
            reqwest::Client::new()
                .put(broker.at("/pacticipants/orders/branches/main/versions/4.5.6"))
                .header("Content-Type", "application/json")
                .body("{}")
                .send()
                .await
                .map(|response| response.status().as_u16())
        });
        assert!(matches!(reply, Ok(200 | 201)), "{reply:?}");
        let merge = ["can-i-merge", "--pacticipant", "web", "--version", "1.2.3"];
        let (code, merged) = pact_broker(&broker, &merge);
        assert_eq!(code, Some(0), "{merged}\n{}", broker.log());
        publish(&broker, "web", "1.3.0", "orders", "cancel order");
        let (code, unmerged) = pact_broker(
            &broker,
            &["can-i-merge", "--pacticipant", "web", "--version", "1.3.0"],
        );
        assert_eq!(code, Some(1), "{unmerged}");
        assert!(
            unmerged.contains("There is no verified pact between version 1.3.0 of web and the latest version of orders from the main branch (4.5.6)"),
            "{unmerged}"
        );
    }
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard output with every run of whitespace (line breaks of wrapped lines included) as one
/// space.
fn flat(output: &std::process::Output) -> String {
    stdout(output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn treaty_asks_can_i_deploy_and_explains_first() {
    for database in Database::all("treaty_asks_can_i_deploy_and_explains_first") {
        let (broker, production) = world(&database);
        let ask = |extra: &[&str]| {
            let mut args = vec![
                "can-i-deploy",
                "--broker-base-url",
                &broker.url,
                "--pacticipant",
                "web",
                "--version",
                "1.2.3",
                "--to-environment",
                "production",
            ];
            args.extend_from_slice(extra);
            treaty(&args)
        };
        let no = ask(&[]);
        assert_eq!(no.status.code(), Some(1), "{}", describe(&no));
        let text = stdout(&no);
        let explanation = text
            .find("orders has no version recorded in production")
            .unwrap_or(usize::MAX);
        let table = text.find("CONSUMER").unwrap_or(0);
        assert!(
            explanation < table,
            "the explanation comes before the table: {text}"
        );
        assert!(
            text.lines().all(|line| line.chars().count() <= 80),
            "{text}"
        );
        assert!(
            String::from_utf8_lossy(&no.stderr)
                .contains("web 1.2.3 cannot be deployed to production"),
            "{}",
            describe(&no)
        );
        assert_eq!(ask(&["--dry-run"]).status.code(), Some(0));

        verify(&broker, "web", "1.2.3", "orders", "4.5.6");
        deploy(&broker, "orders", "4.5.6", &production);
        let yes = ask(&[]);
        assert_eq!(yes.status.code(), Some(0), "{}", describe(&yes));
        assert!(flat(&yes).contains("web 1.2.3 (the version asked about) with orders 4.5.6 (deployed to production): verified successfully"), "{}", describe(&yes));
        let json_out = ask(&["--output", "json"]);
        let body: Value = serde_json::from_slice(&json_out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", describe(&json_out)));
        assert_eq!(body["summary"]["deployable"], true);

        let unknown = treaty(&[
            "can-i-deploy",
            "--broker-base-url",
            &broker.url,
            "--pacticipant",
            "nobody",
            "--version",
            "1",
            "--to-environment",
            "production",
        ]);
        assert_eq!(unknown.status.code(), Some(2), "{}", describe(&unknown));
        assert!(
            String::from_utf8_lossy(&unknown.stderr).contains("Pacticipant nobody not found"),
            "{}",
            describe(&unknown)
        );
        let unknown_environment = ask(&[]).status.code();
        assert_eq!(unknown_environment, Some(0));
        let staging = treaty(&[
            "can-i-deploy",
            "--broker-base-url",
            &broker.url,
            "--pacticipant",
            "web",
            "--version",
            "1.2.3",
            "--to-environment",
            "staging",
        ]);
        assert_eq!(staging.status.code(), Some(2), "{}", describe(&staging));
        assert!(
            String::from_utf8_lossy(&staging.stderr)
                .contains("Environment with name 'staging' does not exist"),
            "{}",
            describe(&staging)
        );
        let unreachable = treaty(&[
            "can-i-deploy",
            "--broker-base-url",
            "http://127.0.0.1:9",
            "--pacticipant",
            "web",
            "--version",
            "1",
            "--to-environment",
            "production",
        ]);
        assert_eq!(
            unreachable.status.code(),
            Some(2),
            "{}",
            describe(&unreachable)
        );
        let merge = treaty(&[
            "can-i-merge",
            "--broker-base-url",
            &broker.url,
            "--pacticipant",
            "web",
            "--version",
            "1.2.3",
        ]);
        assert_eq!(
            merge.status.code(),
            Some(1),
            "orders has no main branch yet: {}",
            describe(&merge)
        );
    }
}
