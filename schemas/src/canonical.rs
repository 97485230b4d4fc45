//! The canonical JSON form of a contract and its content hash: the broker's storage key.
//!
//! Content identity follows the contract's meaning, as the Pact Broker's pact version sha does.
//! The canonical form is the compact JSON of
//! `{"interactions": [...], "messages": [...], "pactSpecificationVersion": "3.0.0"}` with every
//! object's keys sorted, each interaction normalised (see `canonical/normalise.rs` for the list)
//! and the arrays sorted by each element's canonical text. So these do not change the hash:
//!
//! * key order, whitespace and interaction order;
//! * the consumer and provider names (left out, as the Pact Broker does; the broker keys its
//!   storage by consumer, provider and hash anyway, so equal content of two integrations is
//!   still two rows, and a renamed pacticipant does not make the content "new");
//! * all metadata except the specification version (tool versions such as `pactRust`), with the
//!   version normalised (`"3.0"` and `"3.0.0"` are the same; no declaration means V2);
//! * defaults and derived keys that Pact tools add when they re-serialise a pact: the broker's
//!   `_id`, V4 `key`, `"combine": "AND"`, V4 `pending: false`, empty `comments`, empty
//!   `matchingRules`/`generators`/`headers`/`params`, `encoded: false`, and so on.
//!
//! Anything else, such as an expected value, a rule, a status or a header, changes the hash.

mod normalise;

use std::fmt;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::parse::detect_spec_version;

/// A contract's content hash: lowercase hex SHA-256 of its canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub String);

impl ContentHash {
    /// The 64 lowercase hex digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The canonical JSON text of a contract document (compact, keys sorted; see the module docs).
pub fn canonical_json(document: &Value) -> String {
    let (lists, version) = canonical_parts(document);
    let mut text = String::from("{");
    for (key, entries) in lists {
        text.push_str(&format!("\"{key}\":[{}],", entries.join(",")));
    }
    text.push_str(&format!("\"pactSpecificationVersion\":\"{version}\"}}"));
    text
}

/// The content hash of a contract document: SHA-256 of [`canonical_json`].
pub fn content_hash(document: &Value) -> ContentHash {
    ContentHash(sha256_hex(canonical_json(document).as_bytes()))
}

/// The reduced, normalised document whose text [`canonical_json`] returns (for display and
/// diffs; hashing works on the text directly).
pub fn canonical_form(document: &Value) -> Value {
    serde_json::from_str(&canonical_json(document)).unwrap_or(Value::Null)
}

/// The normalised interaction texts of each non-empty list, sorted, and the version string.
fn canonical_parts(document: &Value) -> (Vec<(&'static str, Vec<String>)>, &'static str) {
    let version = detect_spec_version(document).ok();
    let mut lists = Vec::new();
    for key in ["interactions", "messages"] {
        let Some(Value::Array(entries)) = document.get(key) else {
            continue;
        };
        if entries.is_empty() {
            continue;
        }
        let mut texts: Vec<String> = entries
            .iter()
            .map(|entry| sorted_json_text(&normalise::interaction(entry, version)))
            .collect();
        texts.sort();
        lists.push((key, texts));
    }
    let version_text = version.map_or("unknown", |version| version.as_metadata_str());
    (lists, version_text)
}

/// The document with an `_id` key first in every interaction and message, as the Pact Broker
/// serves pacts: the hex SHA-256 of that interaction's key-sorted JSON without `_id`.
/// Any `_id` already present is replaced.
pub fn with_interaction_ids(document: &Value) -> Value {
    let mut document = document.clone();
    for key in ["interactions", "messages"] {
        let Some(Value::Array(entries)) = document.get_mut(key) else {
            continue;
        };
        for entry in entries.iter_mut() {
            let Value::Object(object) = entry else {
                continue;
            };
            let mut without_id = object.clone();
            without_id.remove("_id");
            let id = sha256_hex(sorted_json_text(&Value::Object(without_id.clone())).as_bytes());
            let mut with_id = Map::with_capacity(without_id.len() + 1);
            with_id.insert("_id".to_owned(), Value::String(id));
            with_id.extend(without_id);
            *object = with_id;
        }
    }
    document
}

/// A copy of `value` with every object's keys in sorted order (serde_json keeps insertion order
/// in this workspace, so sorting has to be explicit).
pub fn sorted_keys(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_by(|left, right| left.0.cmp(right.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key.clone(), sorted_keys(value)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted_keys).collect()),
        other => other.clone(),
    }
}

/// Compact JSON text of `value` with every object's keys in sorted order, written without
/// building a sorted copy first.
pub fn sorted_json_text(value: &Value) -> String {
    let mut text = String::new();
    write_sorted(value, &mut text);
    text
}

fn write_sorted(value: &Value, text: &mut String) {
    match value {
        Value::Object(object) => {
            let mut entries: Vec<(&String, &Value)> = object.iter().collect();
            entries.sort_by(|left, right| left.0.cmp(right.0));
            text.push('{');
            for (position, (key, value)) in entries.into_iter().enumerate() {
                if position > 0 {
                    text.push(',');
                }
                text.push_str(&Value::String(key.clone()).to_string());
                text.push(':');
                write_sorted(value, text);
            }
            text.push('}');
        }
        Value::Array(items) => {
            text.push('[');
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    text.push(',');
                }
                write_sorted(item, text);
            }
            text.push(']');
        }
        scalar => text.push_str(&scalar.to_string()),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
