//! `treaty publish` against a real `treaty-broker`, on SQLite and (when configured) PostgreSQL:
//! V2, V3 and V4 files come back with the same JSON by version and as the latest pact; the same
//! content again is a no-op success; changed content for the same version is refused (exit 1).

use serde_json::{Value, json};

use crate::support::broker::{Broker, Database};
use crate::support::{describe, fixture, fixture_json, get_json, treaty, without_broker_additions};

const FIXTURES: [(&str, &str); 3] = [
    ("v2.json", "orders-v2"),
    ("v3.json", "orders-v3"),
    ("v4.json", "orders-v4"),
];

#[test]
fn published_v2_v3_v4_files_come_back_unchanged() {
    for database in Database::all("published_v2_v3_v4_files_come_back_unchanged") {
        let broker = Broker::start(&database);
        let dir = tempfile::tempdir().unwrap();
        for (name, _) in FIXTURES {
            std::fs::copy(fixture(name), dir.path().join(name)).unwrap();
        }
        let dir_arg = dir.path().to_str().unwrap();
        let publish = [
            "publish",
            dir_arg,
            "--consumer-app-version",
            "1.0.0",
            "--branch",
            "main",
            "--tag",
            "dev",
            "--broker-base-url",
            &broker.url,
        ];

        let output = treaty(&publish);
        assert_eq!(
            output.status.code(),
            Some(0),
            "[{}] {}\n{}",
            database.backend,
            describe(&output),
            broker.log()
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        for (_, provider) in FIXTURES {
            assert!(stdout.contains(provider), "[{}] {stdout}", database.backend);
        }

        for (name, provider) in FIXTURES {
            let expected = fixture_json(name);
            for path in [
                format!("/pacts/provider/{provider}/consumer/web/version/1.0.0"),
                format!("/pacts/provider/{provider}/consumer/web/latest"),
            ] {
                let (status, body) = get_json(&broker.at(&path));
                assert_eq!(status, 200, "[{}] GET {path}: {body}", database.backend);
                assert_eq!(
                    without_broker_additions(&body),
                    expected,
                    "[{}] GET {path}",
                    database.backend
                );
            }
        }

        let (status, version) = get_json(&broker.at("/pacticipants/web/versions/1.0.0"));
        assert_eq!(status, 200, "[{}] {version}", database.backend);
        assert_eq!(
            names(&version["_embedded"]["branchVersions"]),
            ["main"],
            "[{}] {version}",
            database.backend
        );
        assert_eq!(
            names(&version["_embedded"]["tags"]),
            ["dev"],
            "[{}] {version}",
            database.backend
        );

        let again = treaty(&publish);
        assert_eq!(
            again.status.code(),
            Some(0),
            "[{}] republishing is idempotent: {}",
            database.backend,
            describe(&again)
        );

        let mut changed = fixture_json("v3.json");
        changed["interactions"][0]["description"] = json!("a request for order 42, changed");
        let changed_file = dir.path().join("changed").join("v3.json");
        std::fs::create_dir_all(changed_file.parent().unwrap()).unwrap();
        std::fs::write(&changed_file, serde_json::to_vec_pretty(&changed).unwrap()).unwrap();
        let refused = treaty(&[
            "publish",
            changed_file.to_str().unwrap(),
            "-a",
            "1.0.0",
            "-b",
            &broker.url,
        ]);
        assert_eq!(
            refused.status.code(),
            Some(1),
            "[{}] {}",
            database.backend,
            describe(&refused)
        );
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("409"), "[{}] {stderr}", database.backend);
        assert!(
            stderr.contains("v3.json"),
            "[{}] {stderr}",
            database.backend
        );

        let (_, body) =
            get_json(&broker.at("/pacts/provider/orders-v3/consumer/web/version/1.0.0"));
        assert_eq!(
            without_broker_additions(&body),
            fixture_json("v3.json"),
            "the refused content was not stored"
        );
    }
}

#[test]
fn the_latest_pact_follows_the_newest_consumer_version() {
    for database in Database::all("the_latest_pact_follows_the_newest_consumer_version") {
        let broker = Broker::start(&database);
        let dir = tempfile::tempdir().unwrap();
        let mut newer: Value = fixture_json("v3.json");
        newer["interactions"][1]["description"] = json!("create an order, v2 of the consumer");
        let newer_file = dir.path().join("newer.json");
        std::fs::write(&newer_file, serde_json::to_vec(&newer).unwrap()).unwrap();

        let first = treaty(&[
            "publish",
            fixture("v3.json").to_str().unwrap(),
            "-a",
            "1.0.0",
            "-b",
            &broker.url,
        ]);
        assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
        let second = treaty(&[
            "publish",
            newer_file.to_str().unwrap(),
            "-a",
            "1.0.1",
            "-b",
            &broker.url,
        ]);
        assert_eq!(second.status.code(), Some(0), "{}", describe(&second));

        let (_, latest) = get_json(&broker.at("/pacts/provider/orders-v3/consumer/web/latest"));
        assert_eq!(
            without_broker_additions(&latest),
            newer,
            "[{}]",
            database.backend
        );
        let (_, old) = get_json(&broker.at("/pacts/provider/orders-v3/consumer/web/version/1.0.0"));
        assert_eq!(
            without_broker_additions(&old),
            fixture_json("v3.json"),
            "[{}]",
            database.backend
        );
    }
}

#[test]
fn versions_and_branches_with_slashes_spaces_and_plus_signs_round_trip() {
    for database in
        Database::all("versions_and_branches_with_slashes_spaces_and_plus_signs_round_trip")
    {
        let broker = Broker::start(&database);
        let file = fixture("v3.json");
        let output = treaty(&[
            "publish",
            file.to_str().unwrap(),
            "-a",
            "1.0.0+build/7 x",
            "--branch",
            "feat/x y",
            "-b",
            &broker.url,
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "[{}] {}",
            database.backend,
            describe(&output)
        );

        let path = "/pacts/provider/orders-v3/consumer/web/version/1.0.0%2Bbuild%2F7%20x";
        let (status, body) = get_json(&broker.at(path));
        assert_eq!(status, 200, "[{}] GET {path}: {body}", database.backend);
        assert_eq!(
            without_broker_additions(&body),
            fixture_json("v3.json"),
            "[{}]",
            database.backend
        );
        let (status, version) =
            get_json(&broker.at("/pacticipants/web/versions/1.0.0%2Bbuild%2F7%20x"));
        assert_eq!(status, 200, "[{}] {version}", database.backend);
        assert_eq!(
            names(&version["_embedded"]["branchVersions"]),
            ["feat/x y"],
            "[{}] {version}",
            database.backend
        );
    }
}

/// The `name` of each entry of a HAL array.
fn names(entries: &Value) -> Vec<&str> {
    entries
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["name"].as_str())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn merge_adds_new_interactions_to_the_published_contract() {
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    let dir = tempfile::tempdir().unwrap();
    let mut extra = fixture_json("v3.json");
    let mut cancel = extra["interactions"][1].clone();
    cancel["description"] = json!("cancel an order");
    cancel["request"] = json!({ "method": "DELETE", "path": "/orders/42" });
    cancel["response"] = json!({ "status": 204 });
    extra["interactions"] = json!([cancel]);
    let extra_file = dir.path().join("extra.json");
    std::fs::write(&extra_file, serde_json::to_vec(&extra).unwrap()).unwrap();

    let first = treaty(&[
        "publish",
        fixture("v3.json").to_str().unwrap(),
        "-a",
        "1",
        "-b",
        &broker.url,
    ]);
    assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
    let merged = treaty(&[
        "publish",
        extra_file.to_str().unwrap(),
        "-a",
        "1",
        "--merge",
        "-b",
        &broker.url,
    ]);
    assert_eq!(merged.status.code(), Some(0), "{}", describe(&merged));

    let (_, body) = get_json(&broker.at("/pacts/provider/orders-v3/consumer/web/version/1"));
    let mut descriptions: Vec<&str> = body["interactions"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item["description"].as_str())
                .collect()
        })
        .unwrap_or_default();
    descriptions.sort_unstable();
    assert_eq!(
        descriptions,
        [
            "a request for order 42",
            "cancel an order",
            "create an order"
        ],
        "{body}"
    );
}
