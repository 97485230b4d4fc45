//! Messages (V3 `messages`, V4 asynchronous and synchronous message parts), converted into
//! [`Message`]. V3 spells the metadata key `metaData`; V4 spells it `metadata`; both are read.

use serde_json::{Map, Value};

use super::findings::{Findings, child};
use super::http::{body_and_rules_from, object_or_report};
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
    let parts = body_and_rules_from(
        object,
        "contents",
        content_type.as_deref(),
        version,
        pointer,
        findings,
    );
    Message {
        contents: parts.body,
        metadata,
        matching_rules: parts.matching_rules,
        generators: parts.generators,
    }
}
