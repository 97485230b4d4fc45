//! `treaty`'s environment, deployment, release and version commands against the real
//! `treaty-broker`, on SQLite and (when configured) PostgreSQL: exit codes 0/1/2, the table and
//! JSON outputs, and the broker's state after each command.

use serde_json::Value;

use crate::support::broker::{Broker, Database};
use crate::support::{describe, get_json, treaty};

/// Runs `treaty ARGS -b URL`: exit code, standard output, and everything for messages.
fn run(broker: &Broker, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--broker-base-url", &broker.url]);
    let output = treaty(&all);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        describe(&output),
    )
}

fn expect(broker: &Broker, code: i32, args: &[&str]) -> String {
    let (exit, stdout, all) = run(broker, args);
    assert_eq!(exit, Some(code), "treaty {args:?}: {all}\n{}", broker.log());
    stdout
}

fn json_of(broker: &Broker, args: &[&str]) -> Value {
    let stdout = expect(broker, 0, args);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("treaty {args:?} -o json ({e}): {stdout}"))
}

/// The sorted `(version, applicationInstance)` pairs an environment currently holds.
fn holdings(broker: &Broker, uuid: &str, path: &str, key: &str) -> Vec<(String, Option<String>)> {
    let (status, body) = get_json(&broker.at(&format!("/environments/{uuid}/{path}")));
    assert_eq!(status, 200, "{body}");
    let mut rows: Vec<(String, Option<String>)> = body["_embedded"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["_embedded"]["version"]["number"]
                    .as_str()
                    .unwrap()
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
fn treaty_manages_environments_deployments_and_releases() {
    for database in Database::all("treaty_manages_environments_deployments_and_releases") {
        let broker = Broker::start(&database);
        let created = json_of(
            &broker,
            &["create-environment", "--name", "test", "-o", "json"],
        );
        let test = created["uuid"].as_str().unwrap().to_owned();
        assert_eq!(created["displayName"], "Test");
        let text = expect(
            &broker,
            0,
            &[
                "create-environment",
                "--name",
                "production",
                "--production",
                "--contact-name",
                "Ops",
            ],
        );
        assert!(text.contains("created environment production"), "{text}");
        expect(&broker, 1, &["create-environment", "--name", "test"]);
        expect(&broker, 2, &["create-environment", "--name", " "]);
        let table = expect(&broker, 0, &["list-environments"]);
        assert!(table.lines().next().unwrap().starts_with("UUID"), "{table}");
        assert!(
            table.lines().all(|line| line.chars().count() <= 80),
            "readable at 80 columns:\n{table}"
        );
        assert!(
            table.contains(&test) && table.contains("Production"),
            "{table}"
        );
        let listed = json_of(&broker, &["list-environments", "-o", "json"]);
        assert_eq!(
            listed["_embedded"]["environments"].as_array().map(Vec::len),
            Some(2)
        );

        // Versions, and tags on them.
        expect(
            &broker,
            2,
            &["create-version-tag", "-a", "Foo", "-e", "1", "-t", "dev"],
        );
        expect(
            &broker,
            0,
            &[
                "create-version-tag",
                "-a",
                "Foo",
                "-e",
                "1",
                "-t",
                "dev,prod",
                "--auto-create-version",
            ],
        );
        expect(
            &broker,
            0,
            &[
                "create-version-tag",
                "-a",
                "Foo",
                "-e",
                "2",
                "-t",
                "dev",
                "--auto-create-version",
            ],
        );
        let version = json_of(
            &broker,
            &["describe-version", "-a", "Foo", "-e", "1", "-o", "json"],
        );
        let tags: Vec<&str> = version["_embedded"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert_eq!(tags, ["dev", "prod"]);
        let latest = expect(&broker, 0, &["describe-version", "-a", "Foo"]);
        assert!(latest.lines().nth(1).unwrap().starts_with('2'), "{latest}");
        let latest_prod = expect(
            &broker,
            0,
            &["describe-version", "-a", "Foo", "--latest", "prod"],
        );
        assert!(
            latest_prod.lines().nth(1).unwrap().starts_with('1'),
            "{latest_prod}"
        );
        expect(&broker, 2, &["describe-version", "-a", "Foo", "-e", "9"]);

        // Deployments replace each other per instance.
        let deployed = "deployed-versions/currently-deployed";
        expect(
            &broker,
            0,
            &[
                "record-deployment",
                "-a",
                "Foo",
                "-e",
                "1",
                "--environment",
                "test",
            ],
        );
        expect(
            &broker,
            0,
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
            holdings(&broker, &test, deployed, "deployedVersions"),
            [row("2", None)],
            "[{}]",
            database.backend
        );
        let blue = json_of(
            &broker,
            &[
                "record-deployment",
                "-a",
                "Foo",
                "-e",
                "1",
                "--environment",
                "test",
                "--application-instance",
                "blue",
                "-o",
                "json",
            ],
        );
        assert_eq!(blue["applicationInstance"], "blue");
        assert_eq!(
            holdings(&broker, &test, deployed, "deployedVersions"),
            [row("1", Some("blue")), row("2", None)]
        );
        let unknown = run(
            &broker,
            &[
                "record-deployment",
                "-a",
                "Foo",
                "-e",
                "1",
                "--environment",
                "nope",
            ],
        );
        assert_eq!(unknown.0, Some(2), "{}", unknown.2);
        assert!(
            unknown.2.contains("create-environment --name nope"),
            "{}",
            unknown.2
        );
        expect(
            &broker,
            2,
            &[
                "record-deployment",
                "-a",
                "Foo",
                "-e",
                "9",
                "--environment",
                "test",
            ],
        );
        let described = expect(
            &broker,
            0,
            &["describe-version", "-a", "Foo", "--environment", "test"],
        );
        assert!(
            described.contains("blue") && described.contains("deployed"),
            "{described}"
        );

        expect(
            &broker,
            0,
            &["record-undeployment", "-a", "Foo", "--environment", "test"],
        );
        assert_eq!(
            holdings(&broker, &test, deployed, "deployedVersions"),
            [row("1", Some("blue"))]
        );
        let nothing = run(
            &broker,
            &["record-undeployment", "-a", "Foo", "--environment", "test"],
        );
        assert_eq!(nothing.0, Some(2), "{}", nothing.2);
        assert!(
            nothing.2.contains("--application-instance"),
            "{}",
            nothing.2
        );
        expect(
            &broker,
            0,
            &[
                "record-undeployment",
                "-a",
                "Foo",
                "--environment",
                "test",
                "--application-instance",
                "blue",
            ],
        );
        assert!(holdings(&broker, &test, deployed, "deployedVersions").is_empty());

        // Releases add up; support ends one at a time.
        let prod = listed["_embedded"]["environments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == "production")
            .unwrap()["uuid"]
            .as_str()
            .unwrap()
            .to_owned();
        let supported = "released-versions/currently-supported";
        expect(
            &broker,
            0,
            &[
                "record-release",
                "-a",
                "Foo",
                "-e",
                "1",
                "--environment",
                "production",
            ],
        );
        expect(
            &broker,
            0,
            &[
                "record-release",
                "-a",
                "Foo",
                "-e",
                "2",
                "--environment",
                "production",
            ],
        );
        assert_eq!(
            holdings(&broker, &prod, supported, "releasedVersions"),
            [row("1", None), row("2", None)]
        );
        expect(
            &broker,
            0,
            &[
                "record-support-ended",
                "-a",
                "Foo",
                "-e",
                "1",
                "--environment",
                "production",
            ],
        );
        assert_eq!(
            holdings(&broker, &prod, supported, "releasedVersions"),
            [row("2", None)]
        );
        expect(
            &broker,
            2,
            &[
                "record-support-ended",
                "-a",
                "Foo",
                "-e",
                "1",
                "--environment",
                "production",
            ],
        );
        let released = json_of(
            &broker,
            &[
                "describe-version",
                "-a",
                "Foo",
                "--environment",
                "production",
                "--released",
                "-o",
                "json",
            ],
        );
        assert_eq!(
            released["releasedVersions"].as_array().map(Vec::len),
            Some(1)
        );

        // Update keeps what is not given; delete removes it.
        expect(
            &broker,
            0,
            &[
                "update-environment",
                "--uuid",
                &prod,
                "--display-name",
                "Prod",
            ],
        );
        let shown = json_of(
            &broker,
            &["describe-environment", "--uuid", &prod, "-o", "json"],
        );
        assert_eq!(
            (
                shown["name"].as_str(),
                shown["displayName"].as_str(),
                shown["production"].as_bool()
            ),
            (Some("production"), Some("Prod"), Some(true))
        );
        assert_eq!(shown["contacts"][0]["name"], "Ops", "contacts are kept");
        expect(
            &broker,
            1,
            &["update-environment", "--uuid", &prod, "--name", "test"],
        );
        expect(&broker, 0, &["delete-environment", "--uuid", &prod]);
        expect(&broker, 2, &["describe-environment", "--uuid", &prod]);
    }
}

#[test]
fn an_unreachable_broker_is_exit_2() {
    let output = treaty(&[
        "list-environments",
        "--broker-base-url",
        "http://127.0.0.1:9",
        "--retries",
        "1",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", describe(&output));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("could not connect"),
        "{}",
        describe(&output)
    );
}
