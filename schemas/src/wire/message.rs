//! Messages (V3 `messages`, V4 asynchronous and synchronous message parts), converted into
//! [`Message`]. V3 spells the metadata key `metaData`; V4 spells it `metadata`; both are read.

use serde_json::{Map, Value};

use super::body::parse_body;
use super::findings::{Findings, child};
use super::http::object_or_report;
use super::rules::{parse_generators, parse_matching_rules};
use crate::model::{Message, SpecVersion};

/// Converts the message object at `pointer` (its `contents`, metadata, rules and generators).
pub(crate) fn message_from(
    value: &Value,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> Message {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let (metadata_key, metadata_value) = ["metadata", "metaData"]
        .into_iter()
        .find_map(|key| object.get(key).map(|value| (key, value)))
        .unwrap_or(("metadata", &Value::Null));
    let metadata = match metadata_value {
        Value::Null => Map::new(),
        Value::Object(metadata) => metadata.clone(),
        other => {
            findings.wrong_type(&child(pointer, metadata_key), "object", other);
            Map::new()
        }
    };
    let content_type = ["contentType", "content-type", "Content-Type"]
        .into_iter()
        .find_map(|key| metadata.get(key).and_then(Value::as_str))
        .map(str::to_owned);
    Message {
        contents: parse_body(
            object.get("contents"),
            content_type.as_deref(),
            version,
            &child(pointer, "contents"),
            findings,
        ),
        metadata,
        matching_rules: parse_matching_rules(
            object.get("matchingRules"),
            version,
            &child(pointer, "matchingRules"),
            findings,
        ),
        generators: parse_generators(
            object.get("generators"),
            &child(pointer, "generators"),
            findings,
        ),
    }
}
