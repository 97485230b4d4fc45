//! Round trip of Pact files through `treaty-schemas`: V2, V3 and V4 files (the fixtures, and the
//! files the real `pact mock` server writes from recorded interactions when
//! `TREATY_E2E_PACT_CLI=1`) parse and validate, and their content hash does not change when the
//! keys are reordered and the file re-indented.

use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::support::broker::{Broker, Database};
use crate::support::pact_cli::MockMaster;
use crate::support::{
    block_on, describe, fixture, fixture_json, get_json, http_client, pact_cli_enabled, read_json,
    treaty, without_broker_additions,
};

#[test]
fn fixtures_parse_and_hash_stably() {
    for name in ["v2.json", "v3.json", "v4.json"] {
        check_round_trip(&fixture(name));
    }
}

#[test]
fn files_written_by_the_pact_mock_server_round_trip() {
    if !pact_cli_enabled("files_written_by_the_pact_mock_server_round_trip") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let mut written_files = Vec::new();
    for (name, specification, declared) in [
        ("v2.json", "V2", "2.0.0"),
        ("v3.json", "V3", "3.0.0"),
        ("v4.json", "V4", "4.0"),
    ] {
        let spec_dir = out.path().join(specification);
        std::fs::create_dir_all(&spec_dir).unwrap();
        let master = MockMaster::start(&spec_dir);
        let mock_port = master.create(&fixture(name), specification);
        record_interactions(mock_port);
        master.verify_and_shutdown(mock_port);

        let provider = fixture_json(name)["provider"]["name"]
            .as_str()
            .unwrap()
            .to_owned();
        let written = spec_dir.join(format!("web-{provider}.json"));
        assert!(
            written.is_file(),
            "pact mock did not write {}",
            written.display()
        );
        let document = read_json(&written);
        assert_eq!(
            document["metadata"]["pactSpecification"]["version"], declared,
            "{specification}: {document}"
        );
        check_round_trip(&written);
        written_files.push((specification, provider, written, document));
    }

    // And each written file is what the broker serves back after `treaty publish`.
    let database = Database::sqlite();
    let broker = Broker::start(&database);
    for (specification, provider, written, document) in written_files {
        let output = treaty(&[
            "publish",
            written.to_str().unwrap(),
            "-a",
            "1.0.0",
            "-b",
            &broker.url,
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{specification}: {}",
            describe(&output)
        );
        let path = format!("/pacts/provider/{provider}/consumer/web/version/1.0.0");
        let (status, body) = get_json(&broker.at(&path));
        assert_eq!(status, 200, "{specification}: {body}");
        assert_eq!(without_broker_additions(&body), document, "{specification}");
    }
}

/// Parses the file, then the same JSON with every object's keys in reverse order and 4-space
/// indentation: both parse, and the content hash is the same.
fn check_round_trip(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let original: Value = serde_json::from_slice(&bytes).unwrap();
    if let Err(error) = treaty_schemas::parse_contract(&bytes) {
        panic!("{} does not parse: {error}", path.display());
    }
    let reordered = reorder_keys(&original);
    let rewritten = reindent(&reordered);
    if let Err(error) = treaty_schemas::parse_contract(&rewritten) {
        panic!("{} reordered does not parse: {error}", path.display());
    }
    let reread: Value = serde_json::from_slice(&rewritten).unwrap();
    assert_eq!(
        treaty_schemas::content_hash(&original),
        treaty_schemas::content_hash(&reread),
        "{}: the content hash changed after reordering keys and re-indenting",
        path.display()
    );
}

/// The same JSON with every object's keys in reverse lexicographic order, recursively.
fn reorder_keys(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort();
            keys.reverse();
            let reordered: Map<String, Value> = keys
                .into_iter()
                .map(|key| (key.clone(), reorder_keys(&object[key])))
                .collect();
            Value::Object(reordered)
        }
        Value::Array(items) => Value::Array(items.iter().map(reorder_keys).collect()),
        other => other.clone(),
    }
}

/// JSON text with 4-space indentation.
fn reindent(value: &Value) -> Vec<u8> {
    let mut text = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
    value.serialize(&mut serializer).unwrap();
    text
}

/// Sends the two requests every fixture describes to the mock server.
fn record_interactions(port: u16) {
    block_on(async {
        let client = http_client();
        let base = format!("http://127.0.0.1:{port}");
        let get = client
            .get(format!("{base}/orders/42?expand=items"))
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(
            get.status().as_u16(),
            200,
            "{}",
            get.text().await.unwrap_or_default()
        );
        let post = client
            .post(format!("{base}/orders"))
            .header("Content-Type", "application/json")
            .body(r#"{"sku":"A1","qty":2}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(
            post.status().as_u16(),
            201,
            "{}",
            post.text().await.unwrap_or_default()
        );
    });
}
