//! The real `pact` CLI's environment and deployment commands against treaty-broker, only when
//! `TREATY_E2E_PACT_CLI=1`: create-environment, list-environments, record-deployment (which
//! replaces the previous version; instances coexist), record-undeployment, record-release,
//! record-support-ended and describe-version, checked by exit code and by the broker's state.

use serde_json::Value;

use crate::support::broker::{Broker, Database};
use crate::support::pact_cli::run_pact;
use crate::support::{describe, get_json, pact_cli_enabled};

/// Runs `pact broker ARGS --broker-base-url URL` and returns its exit code and output.
fn broker_command(broker: &Broker, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["broker"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--broker-base-url", &broker.url]);
    let output = run_pact(&all);
    (output.status.code(), describe(&output))
}

/// Runs a command that must succeed.
fn ok(broker: &Broker, args: &[&str]) -> String {
    let (code, output) = broker_command(broker, args);
    assert_eq!(
        code,
        Some(0),
        "pact broker {args:?}: {output}\n{}",
        broker.log()
    );
    output
}

/// Runs a command that must fail with exit 1.
fn refused(broker: &Broker, args: &[&str]) -> String {
    let (code, output) = broker_command(broker, args);
    assert_eq!(code, Some(1), "pact broker {args:?} should fail: {output}");
    output
}

/// The uuid of the environment named `name`, read from the broker.
fn environment_uuid(broker: &Broker, name: &str) -> String {
    let (status, body) = get_json(&broker.at(&format!("/environments?name={name}")));
    assert_eq!(status, 200, "{body}");
    body["_embedded"]["environments"][0]["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("no environment {name}: {body}"))
        .to_owned()
}

/// `(version, applicationInstance)` of what the environment currently holds, from `path`
/// (`deployed-versions/currently-deployed` or `released-versions/currently-supported`).
fn current(broker: &Broker, uuid: &str, path: &str, key: &str) -> Vec<(String, Option<String>)> {
    let (status, body) = get_json(&broker.at(&format!("/environments/{uuid}/{path}")));
    assert_eq!(status, 200, "{body}");
    let mut rows: Vec<(String, Option<String>)> = body["_embedded"][key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key}: {body}"))
        .iter()
        .map(|entry| {
            (
                entry["_embedded"]["version"]["number"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                entry["applicationInstance"].as_str().map(str::to_owned),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn row(version: &str, instance: Option<&str>) -> (String, Option<String>) {
    (version.to_owned(), instance.map(str::to_owned))
}

#[test]
fn pact_broker_records_deployments_and_releases() {
    if !pact_cli_enabled("pact_broker_records_deployments_and_releases") {
        return;
    }
    for database in Database::all("pact_broker_records_deployments_and_releases") {
        let broker = Broker::start(&database);
        for version in ["1", "2"] {
            ok(
                &broker,
                &[
                    "create-or-update-version",
                    "--pacticipant",
                    "Foo",
                    "--version",
                    version,
                ],
            );
        }

        let created = ok(&broker, &["create-environment", "--name", "test"]);
        let test = environment_uuid(&broker, "test");
        assert!(
            created.contains(&test),
            "create-environment prints the uuid: {created}"
        );
        let json = ok(
            &broker,
            &[
                "create-environment",
                "--name",
                "production",
                "--production",
                "-o",
                "json",
            ],
        );
        let stdout = json
            .split("--- stdout\n")
            .nth(1)
            .and_then(|rest| rest.split("\n--- stderr").next())
            .unwrap_or_default();
        let production: Value =
            serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("-o json ({e}): {json}"));
        assert_eq!(
            (
                production["displayName"].as_str(),
                production["production"].as_bool()
            ),
            (Some("Production"), Some(true))
        );
        let duplicate = refused(&broker, &["create-environment", "--name", "test"]);
        assert!(duplicate.contains("already exists"), "{duplicate}");
        let listed = ok(&broker, &["list-environments"]);
        for expected in ["test", "Production", &test] {
            assert!(
                listed.contains(expected),
                "list-environments misses {expected}: {listed}"
            );
        }

        let deployed = "deployed-versions/currently-deployed";
        ok(
            &broker,
            &[
                "record-deployment",
                "--pacticipant",
                "Foo",
                "--version",
                "1",
                "--environment",
                "test",
            ],
        );
        assert_eq!(
            current(&broker, &test, deployed, "deployedVersions"),
            [row("1", None)]
        );
        ok(
            &broker,
            &[
                "record-deployment",
                "--pacticipant",
                "Foo",
                "--version",
                "2",
                "--environment",
                "test",
            ],
        );
        assert_eq!(
            current(&broker, &test, deployed, "deployedVersions"),
            [row("2", None)],
            "[{}] the deployment replaced version 1",
            database.backend
        );
        ok(
            &broker,
            &[
                "record-deployment",
                "--pacticipant",
                "Foo",
                "--version",
                "1",
                "--environment",
                "test",
                "--application-instance",
                "blue",
            ],
        );
        assert_eq!(
            current(&broker, &test, deployed, "deployedVersions"),
            [row("1", Some("blue")), row("2", None)],
            "instances coexist"
        );
        let unknown = refused(
            &broker,
            &[
                "record-deployment",
                "--pacticipant",
                "Foo",
                "--version",
                "1",
                "--environment",
                "nope",
            ],
        );
        assert!(unknown.contains("nope"), "{unknown}");

        let described = ok(
            &broker,
            &[
                "describe-version",
                "--pacticipant",
                "Foo",
                "--environment",
                "test",
            ],
        );
        assert!(
            described.contains("blue") && described.contains("Deployed"),
            "{described}"
        );

        ok(
            &broker,
            &[
                "record-undeployment",
                "--pacticipant",
                "Foo",
                "--environment",
                "test",
            ],
        );
        assert_eq!(
            current(&broker, &test, deployed, "deployedVersions"),
            [row("1", Some("blue"))],
            "only the instance-less one was undeployed"
        );
        refused(
            &broker,
            &[
                "record-undeployment",
                "--pacticipant",
                "Foo",
                "--environment",
                "test",
            ],
        );
        ok(
            &broker,
            &[
                "record-undeployment",
                "--pacticipant",
                "Foo",
                "--environment",
                "test",
                "--application-instance",
                "blue",
            ],
        );
        assert!(current(&broker, &test, deployed, "deployedVersions").is_empty());

        let prod = environment_uuid(&broker, "production");
        let supported = "released-versions/currently-supported";
        ok(
            &broker,
            &[
                "record-release",
                "--pacticipant",
                "Foo",
                "--version",
                "1",
                "--environment",
                "production",
            ],
        );
        ok(
            &broker,
            &[
                "record-release",
                "--pacticipant",
                "Foo",
                "--version",
                "2",
                "--environment",
                "production",
            ],
        );
        assert_eq!(
            current(&broker, &prod, supported, "releasedVersions"),
            [row("1", None), row("2", None)],
            "releases are additive"
        );
        ok(
            &broker,
            &[
                "record-support-ended",
                "--pacticipant",
                "Foo",
                "--version",
                "1",
                "--environment",
                "production",
            ],
        );
        assert_eq!(
            current(&broker, &prod, supported, "releasedVersions"),
            [row("2", None)]
        );
        refused(
            &broker,
            &[
                "record-support-ended",
                "--pacticipant",
                "Foo",
                "--version",
                "1",
                "--environment",
                "production",
            ],
        );
        let released = ok(
            &broker,
            &[
                "describe-version",
                "--pacticipant",
                "Foo",
                "--environment",
                "production",
            ],
        );
        assert!(
            released.contains("production") && released.contains("Released"),
            "{released}"
        );

        let version = ok(
            &broker,
            &["describe-version", "--pacticipant", "Foo", "--version", "1"],
        );
        assert!(version.contains('1'), "{version}");
        refused(
            &broker,
            &["describe-version", "--pacticipant", "Foo", "--version", "9"],
        );
    }
}
