//! Compatibility with the real `pact` CLI (PyPI `pact-python-cli` 1!0.10.9), only when
//! `TREATY_E2E_PACT_CLI=1`: it publishes to treaty-broker, lists the latest pacts, describes
//! versions, and agrees with `treaty publish` about what counts as the same contract.
//!
//! The pact CLI re-serialises a pact before sending it (sorted keys, `"combine": "AND"`,
//! `metadata.pactRust`), so what it stored is compared by meaning, with
//! `treaty_schemas::content_hash`, while the two ways of fetching it must agree exactly.

use serde_json::Value;

use crate::support::broker::{Broker, Database};
use crate::support::pact_cli::run_pact;
use crate::support::{
    describe, fixture, fixture_json, get_json, pact_cli_enabled, treaty, without_broker_additions,
};

/// A directory holding the V3 and the V4 fixture (two providers of consumer `web`).
fn v3_and_v4_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["v3.json", "v4.json"] {
        std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn pact_publish(dir: &str, version: &str, broker: &Broker) -> std::process::Output {
    run_pact(&[
        "broker",
        "publish",
        dir,
        "--consumer-app-version",
        version,
        "--branch",
        "main",
        "--broker-base-url",
        &broker.url,
    ])
}

#[test]
fn pact_broker_publish_is_stored_and_served_back() {
    if !pact_cli_enabled("pact_broker_publish_is_stored_and_served_back") {
        return;
    }
    for database in Database::all("pact_broker_publish_is_stored_and_served_back") {
        let broker = Broker::start(&database);
        let dir = v3_and_v4_dir();

        let output = pact_publish(dir.path().to_str().unwrap(), "1.0.0", &broker);
        assert_eq!(
            output.status.code(),
            Some(0),
            "[{}] {}\n{}",
            database.backend,
            describe(&output),
            broker.log()
        );

        for (name, provider) in [("v3.json", "orders-v3"), ("v4.json", "orders-v4")] {
            let by_version = format!("/pacts/provider/{provider}/consumer/web/version/1.0.0");
            let latest = format!("/pacts/provider/{provider}/consumer/web/latest");
            let (status, mut by_version) = get_json(&broker.at(&by_version));
            assert_eq!(
                status, 200,
                "[{}] {provider} by version: {by_version}",
                database.backend
            );
            let (status, mut latest) = get_json(&broker.at(&latest));
            assert_eq!(
                status, 200,
                "[{}] {provider} latest: {latest}",
                database.backend
            );
            remove_links(&mut by_version);
            remove_links(&mut latest);
            assert_eq!(
                by_version, latest,
                "[{}] {provider}: by-version and latest differ",
                database.backend
            );
            let stored = without_broker_additions(&by_version);
            assert_eq!(
                treaty_schemas::content_hash(&stored),
                treaty_schemas::content_hash(&fixture_json(name)),
                "[{}] {provider}: the stored pact means something else than the file\nstored: {stored}",
                database.backend
            );
        }
    }
}

#[test]
fn pact_broker_lists_the_latest_pacts() {
    if !pact_cli_enabled("pact_broker_lists_the_latest_pacts") {
        return;
    }
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    let dir = v3_and_v4_dir();
    let published = pact_publish(dir.path().to_str().unwrap(), "1.0.0", &broker);
    assert_eq!(published.status.code(), Some(0), "{}", describe(&published));

    let table = run_pact(&[
        "broker",
        "list-latest-pact-versions",
        "--broker-base-url",
        &broker.url,
    ]);
    assert_eq!(table.status.code(), Some(0), "{}", describe(&table));
    let text = String::from_utf8_lossy(&table.stdout);
    for expected in ["web", "orders-v3", "orders-v4", "1.0.0"] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }

    let json = run_pact(&[
        "broker",
        "list-latest-pact-versions",
        "--broker-base-url",
        &broker.url,
        "-o",
        "json",
    ]);
    assert_eq!(json.status.code(), Some(0), "{}", describe(&json));
    let listing: Value = serde_json::from_slice(&json.stdout)
        .unwrap_or_else(|e| panic!("-o json prints JSON ({e}): {}", describe(&json)));
    let providers: Vec<&str> = listing["pacts"]
        .as_array()
        .map(|pacts| {
            pacts
                .iter()
                .filter_map(|p| p["_embedded"]["provider"]["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert!(
        providers.contains(&"orders-v3") && providers.contains(&"orders-v4"),
        "{listing}"
    );
}

#[test]
fn pact_broker_publish_records_tags_and_merges() {
    if !pact_cli_enabled("pact_broker_publish_records_tags_and_merges") {
        return;
    }
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("v3.json"), dir.path().join("v3.json")).unwrap();
    let dir_arg = dir.path().to_str().unwrap();

    let tagged = run_pact(&[
        "broker",
        "publish",
        dir_arg,
        "-a",
        "1.0.0",
        "--tag",
        "dev,prod",
        "--broker-base-url",
        &broker.url,
    ]);
    assert_eq!(tagged.status.code(), Some(0), "{}", describe(&tagged));
    let (_, version) = get_json(&broker.at("/pacticipants/web/versions/1.0.0"));
    let mut tags: Vec<&str> = version["_embedded"]["tags"]
        .as_array()
        .map(|tags| tags.iter().filter_map(|tag| tag["name"].as_str()).collect())
        .unwrap_or_default();
    tags.sort_unstable();
    assert_eq!(tags, ["dev", "prod"], "{version}");

    // --merge with a new interaction for the same version: accepted, and both are served.
    let merge_dir = tempfile::tempdir().unwrap();
    let mut extra = fixture_json("v3.json");
    extra["interactions"][1]["description"] = serde_json::json!("create an order, merged");
    extra["interactions"] = serde_json::json!([extra["interactions"][1].clone()]);
    std::fs::write(
        merge_dir.path().join("v3.json"),
        serde_json::to_vec(&extra).unwrap(),
    )
    .unwrap();
    let merged = run_pact(&[
        "broker",
        "publish",
        merge_dir.path().to_str().unwrap(),
        "-a",
        "1.0.0",
        "--merge",
        "--broker-base-url",
        &broker.url,
    ]);
    assert_eq!(merged.status.code(), Some(0), "{}", describe(&merged));
    let (_, pact) = get_json(&broker.at("/pacts/provider/orders-v3/consumer/web/version/1.0.0"));
    let descriptions: Vec<&str> = pact["interactions"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["description"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(descriptions.len(), 3, "{pact}");
    assert!(descriptions.contains(&"create an order, merged"), "{pact}");
}

#[test]
fn pact_broker_describes_the_latest_and_a_given_version() {
    if !pact_cli_enabled("pact_broker_describes_the_latest_and_a_given_version") {
        return;
    }
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    let dir = v3_and_v4_dir();
    let published = pact_publish(dir.path().to_str().unwrap(), "1.0.0", &broker);
    assert_eq!(published.status.code(), Some(0), "{}", describe(&published));

    let latest = run_pact(&[
        "broker",
        "describe-version",
        "--pacticipant",
        "web",
        "--broker-base-url",
        &broker.url,
    ]);
    assert_eq!(latest.status.code(), Some(0), "{}", describe(&latest));
    assert!(
        String::from_utf8_lossy(&latest.stdout).contains("1.0.0"),
        "{}",
        describe(&latest)
    );

    let given = run_pact(&[
        "broker",
        "describe-version",
        "--pacticipant",
        "web",
        "--version",
        "1.0.0",
        "--broker-base-url",
        &broker.url,
    ]);
    assert_eq!(given.status.code(), Some(0), "{}", describe(&given));
    assert!(
        String::from_utf8_lossy(&given.stdout).contains("1.0.0"),
        "{}",
        describe(&given)
    );
}

#[test]
fn treaty_and_pact_publish_the_same_content() {
    if !pact_cli_enabled("treaty_and_pact_publish_the_same_content") {
        return;
    }
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    let dir = v3_and_v4_dir();
    let dir_arg = dir.path().to_str().unwrap();

    // treaty first, then the pact CLI, for the same consumer version: idempotent, not 409.
    let by_treaty = treaty(&[
        "publish",
        dir_arg,
        "-a",
        "2.0.0",
        "--branch",
        "main",
        "-b",
        &broker.url,
    ]);
    assert_eq!(by_treaty.status.code(), Some(0), "{}", describe(&by_treaty));
    let by_pact = pact_publish(dir_arg, "2.0.0", &broker);
    assert_eq!(
        by_pact.status.code(),
        Some(0),
        "pact after treaty must be the same content: {}",
        describe(&by_pact)
    );

    // And the other way round.
    let by_pact = pact_publish(dir_arg, "3.0.0", &broker);
    assert_eq!(by_pact.status.code(), Some(0), "{}", describe(&by_pact));
    let by_treaty = treaty(&[
        "publish",
        dir_arg,
        "-a",
        "3.0.0",
        "--branch",
        "main",
        "-b",
        &broker.url,
    ]);
    assert_eq!(
        by_treaty.status.code(),
        Some(0),
        "treaty after pact must be the same content: {}",
        describe(&by_treaty)
    );
}

fn remove_links(document: &mut Value) {
    if let Some(object) = document.as_object_mut() {
        object.remove("_links");
    }
}
