//! Content identity: the hash ignores key order, indentation, interaction order, tool metadata
//! and the defaults Pact tools add on re-serialisation, and changes whenever meaning changes.

use serde_json::{Map, Value, json};
use treaty_schemas::{canonical_json, content_hash, with_interaction_ids};

use crate::support::{fixtures_dir, read_json};

const FIXTURES: [&str; 6] = [
    "v1-ruby.json",
    "v2-http.json",
    "v3-http.json",
    "v3-message.json",
    "v4-http.json",
    "v4-messages.json",
];

fn fixture(file: &str) -> Value {
    read_json(&fixtures_dir().join("valid").join(file))
}

/// Every object's keys in reverse order, recursively.
fn reverse_keys(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .rev()
                .map(|(key, value)| (key.clone(), reverse_keys(value)))
                .collect::<Map<_, _>>(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(reverse_keys).collect()),
        other => other.clone(),
    }
}

/// Written out with another indentation (compact, then four spaces) and read back.
fn reindent(value: &Value) -> Value {
    let compact = serde_json::to_string(value).unwrap();
    let mut pretty = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut pretty, formatter);
    serde::Serialize::serialize(
        &serde_json::from_str::<Value>(&compact).unwrap(),
        &mut serializer,
    )
    .unwrap();
    serde_json::from_slice(&pretty).unwrap()
}

fn reverse_interactions(value: &mut Value) {
    for key in ["interactions", "messages"] {
        if let Some(Value::Array(entries)) = value.get_mut(key) {
            entries.reverse();
        }
    }
}

/// Calls `edit` on every object inside `value`, depth first.
fn for_each_object(value: &mut Value, edit: &mut dyn FnMut(&mut Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            edit(object);
            object
                .values_mut()
                .for_each(|child| for_each_object(child, edit));
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|child| for_each_object(child, edit)),
        _ => {}
    }
}

/// What the `pact` CLI (pact_models) does when it re-serialises a pact: explicit defaults.
fn add_explicit_defaults(value: &mut Value) {
    for_each_object(value, &mut |object| {
        if object.contains_key("matchers") && !object.contains_key("combine") {
            object.insert("combine".to_owned(), json!("AND"));
        }
        if object.contains_key("content")
            && object.contains_key("contentType")
            && !object.contains_key("encoded")
        {
            object.insert("encoded".to_owned(), json!(false));
        }
    });
    for key in ["interactions", "messages"] {
        let Some(Value::Array(entries)) = value.get_mut(key) else {
            continue;
        };
        for entry in entries.iter_mut().filter_map(Value::as_object_mut) {
            if entry.contains_key("type") {
                entry.entry("pending").or_insert(json!(false));
                entry.entry("comments").or_insert(json!({"text": []}));
                entry.entry("pluginConfiguration").or_insert(json!({}));
                entry.insert("key".to_owned(), json!("re-computed-by-the-cli"));
            }
            if let Some(Value::Object(request)) = entry.get_mut("request")
                && request.contains_key("method")
            {
                request.entry("headers").or_insert(json!({}));
            }
        }
    }
}

/// The inverse direction: a writer that leaves every default out.
fn strip_explicit_defaults(value: &mut Value) {
    for_each_object(value, &mut |object| {
        if object.get("combine") == Some(&json!("AND")) {
            object.remove("combine");
        }
        if object.get("pending") == Some(&json!(false)) {
            object.remove("pending");
        }
        object.remove("key");
    });
}

fn change_tool_metadata(value: &mut Value) {
    let metadata = value["metadata"].as_object_mut().unwrap();
    metadata.insert(
        "pactRust".to_owned(),
        json!({"ffi": "9.9.9", "models": "9.9.9"}),
    );
    metadata.remove("pactJs");
    metadata.insert("pactJvm".to_owned(), json!({"version": "4.6.99"}));
}

type Variant = fn(&Value) -> Value;

/// Same meaning, other bytes: each variant must keep every fixture's hash.
const SAME_MEANING: &[(&str, Variant)] = &[
    ("keys reversed", |value| reverse_keys(value)),
    ("reindented", |value| reindent(value)),
    ("interactions reversed", |value| {
        let mut value = value.clone();
        reverse_interactions(&mut value);
        value
    }),
    ("tool metadata changed", |value| {
        let mut value = value.clone();
        change_tool_metadata(&mut value);
        value
    }),
    ("explicit defaults added", |value| {
        let mut value = value.clone();
        add_explicit_defaults(&mut value);
        value
    }),
    ("explicit defaults stripped", |value| {
        let mut value = value.clone();
        strip_explicit_defaults(&mut value);
        value
    }),
    ("broker _id added", |value| with_interaction_ids(value)),
    ("names changed", |value| {
        let mut value = value.clone();
        value["consumer"]["name"] = json!("someone-else");
        value["provider"]["name"] = json!("another-provider");
        value
    }),
    ("all at once", |value| {
        let mut value = with_interaction_ids(value);
        reverse_interactions(&mut value);
        change_tool_metadata(&mut value);
        add_explicit_defaults(&mut value);
        reindent(&reverse_keys(&value))
    }),
];

#[test]
fn hash_is_stable_when_only_form_changes() {
    let mut failures = Vec::new();
    for file in FIXTURES {
        let original = fixture(file);
        let expected = content_hash(&original);
        for (name, variant) in SAME_MEANING {
            let changed = variant(&original);
            if content_hash(&changed) != expected {
                failures.push(format!(
                    "{file} / {name}:\n  {}\n  {}",
                    canonical_json(&original),
                    canonical_json(&changed)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "hash changed for:\n{}",
        failures.join("\n")
    );
}

/// Changes of meaning: (fixture, JSON pointer, new value). Each must change the hash.
const MEANING_CHANGES: &[(&str, &str, &str)] = &[
    ("v2-http.json", "/interactions/0/response/body/id", "43"),
    ("v2-http.json", "/interactions/0/response/status", "201"),
    (
        "v2-http.json",
        "/interactions/0/response/matchingRules/$.body.items[*].sku/regex",
        r#""[A-Z]+""#,
    ),
    (
        "v2-http.json",
        "/interactions/0/request/query",
        r#""include=items""#,
    ),
    (
        "v2-http.json",
        "/interactions/0/providerState",
        r#""order 43 exists""#,
    ),
    (
        "v2-http.json",
        "/interactions/2/response/body",
        r#""NOT OK""#,
    ),
    (
        "v3-http.json",
        "/interactions/0/request/headers/Accept",
        r#""application/xml""#,
    ),
    (
        "v3-http.json",
        "/interactions/0/request/method",
        r#""POST""#,
    ),
    (
        "v3-http.json",
        "/interactions/0/description",
        r#""a search for more products""#,
    ),
    (
        "v3-http.json",
        "/interactions/0/providerStates/0/params/count",
        "3",
    ),
    (
        "v3-http.json",
        "/interactions/0/response/matchingRules/body/$.products/matchers/0/min",
        "2",
    ),
    (
        "v3-http.json",
        "/interactions/0/response/matchingRules/body/$.products[*].title/combine",
        r#""AND""#,
    ),
    (
        "v3-http.json",
        "/interactions/0/response/matchingRules/body/$.next/matchers/0/match",
        r#""type""#,
    ),
    (
        "v3-http.json",
        "/interactions/0/response/generators/body/$.products[*].id/regex",
        r#""q-\\d+""#,
    ),
    ("v3-http.json", "/interactions/1/response/status", "410"),
    (
        "v3-http.json",
        "/metadata/pactSpecification/version",
        r#""4.0""#,
    ),
    ("v3-message.json", "/messages/0/contents/accountId", "11"),
    (
        "v3-message.json",
        "/messages/0/metaData/topic",
        r#""users""#,
    ),
    (
        "v4-http.json",
        "/interactions/0/response/body/content/name",
        r#""Grace""#,
    ),
    (
        "v4-http.json",
        "/interactions/0/response/body/contentType",
        r#""application/hal+json""#,
    ),
    (
        "v4-http.json",
        "/interactions/0/response/matchingRules/status/matchers/0/status",
        r#""clientError""#,
    ),
    ("v4-http.json", "/interactions/0/pending", "true"),
    (
        "v4-http.json",
        "/interactions/1/request/body/content",
        r#""iVBORw0KGgq=""#,
    ),
    (
        "v4-messages.json",
        "/interactions/0/contents/content/carrier",
        r#""UPS""#,
    ),
    (
        "v4-messages.json",
        "/interactions/1/response/0/contents/content/level",
        "13",
    ),
    (
        "v4-messages.json",
        "/interactions/1/type",
        r#""Asynchronous/Messages""#,
    ),
];

#[test]
fn hash_changes_when_meaning_changes() {
    let mut failures = Vec::new();
    for (file, pointer, new_value) in MEANING_CHANGES {
        let original = fixture(file);
        let mut changed = original.clone();
        let slot = changed
            .pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{file}: no value at {pointer}"));
        let new_value: Value = serde_json::from_str(new_value).unwrap();
        assert_ne!(
            *slot, new_value,
            "{file} {pointer}: the change must change something"
        );
        *slot = new_value;
        if content_hash(&changed) == content_hash(&original) {
            failures.push(format!("{file} {pointer}"));
        }
    }
    assert!(
        failures.is_empty(),
        "hash did not change for:\n{}",
        failures.join("\n")
    );
}

#[test]
fn adding_or_removing_an_interaction_changes_the_hash() {
    let original = fixture("v3-http.json");
    let mut fewer = original.clone();
    fewer["interactions"].as_array_mut().unwrap().pop();
    let mut duplicated = original.clone();
    let first = duplicated["interactions"][0].clone();
    duplicated["interactions"]
        .as_array_mut()
        .unwrap()
        .push(first);
    let hashes = [
        content_hash(&original),
        content_hash(&fewer),
        content_hash(&duplicated),
    ];
    assert_ne!(hashes[0], hashes[1]);
    assert_ne!(hashes[0], hashes[2]);
}

#[test]
fn canonical_form_is_compact_sorted_and_reduced() {
    let document = json!({
        "provider": {"name": "p"},
        "consumer": {"name": "c"},
        "interactions": [
            {"response": {"status": 200}, "description": "b", "request": {"path": "/b", "method": "get"}},
            {"description": "a", "request": {"method": "GET", "path": "/a", "headers": {}}, "response": {"status": 204}}
        ],
        "metadata": {"pactSpecification": {"version": "2.0"}, "pactRust": {"models": "1"}}
    });
    assert_eq!(
        canonical_json(&document),
        concat!(
            r#"{"interactions":["#,
            r#"{"description":"a","request":{"method":"GET","path":"/a"},"response":{"status":204}},"#,
            r#"{"description":"b","request":{"method":"GET","path":"/b"},"response":{"status":200}}"#,
            r#"],"pactSpecificationVersion":"2.0.0"}"#
        )
    );
    let hash = content_hash(&document);
    assert_eq!(hash.as_str().len(), 64);
    assert!(
        hash.as_str()
            .chars()
            .all(|character| matches!(character, '0'..='9' | 'a'..='f')),
        "{hash}"
    );
}

#[test]
fn interaction_ids_come_first_and_are_stable() {
    let original = fixture("v4-messages.json");
    let with_ids = with_interaction_ids(&original);
    let entries = with_ids["interactions"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        let first_key = entry.as_object().unwrap().keys().next().unwrap();
        assert_eq!(first_key, "_id");
        assert_eq!(entry["_id"].as_str().unwrap().len(), 64);
    }
    assert_ne!(entries[0]["_id"], entries[1]["_id"]);
    assert_eq!(
        with_interaction_ids(&with_ids),
        with_ids,
        "re-applying keeps the ids"
    );
    assert_eq!(
        with_interaction_ids(&reverse_keys(&original))["interactions"][0]["_id"],
        entries[0]["_id"]
    );
    let without_ids: Vec<Value> = entries
        .iter()
        .map(|entry| {
            let mut entry = entry.clone();
            entry.as_object_mut().unwrap().remove("_id");
            entry
        })
        .collect();
    assert_eq!(
        Value::Array(without_ids),
        original["interactions"],
        "nothing else changes"
    );
}
