//! V4 interactions: one `interactions` array whose entries say their `type`
//! (`Synchronous/HTTP`, `Asynchronous/Messages`, `Synchronous/Messages`), with V4's `key`,
//! `pending` and `comments`.

use serde_json::{Map, Value};

use super::findings::{Findings, child, index, json_type_name, optional_string};
use super::http::{http_kind_from, object_or_report};
use super::message::message_from;
use super::v3::provider_states_from;
use crate::model::{
    Body, Generators, Interaction, InteractionKind, MatchingRules, Message, SpecVersion,
};

/// The V4 interaction types Treaty reads.
pub(crate) const INTERACTION_TYPES: [&str; 3] = [
    "Synchronous/HTTP",
    "Asynchronous/Messages",
    "Synchronous/Messages",
];

/// Converts the V4 interaction at `pointer`.
pub(crate) fn interaction_from(
    value: &Value,
    pointer: &str,
    findings: &mut Findings,
) -> Interaction {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let version = SpecVersion::V4;
    let interaction_type = optional_string(object, "type", pointer, findings)
        .unwrap_or_else(|| INTERACTION_TYPES[0].to_owned());
    let kind = match interaction_type.as_str() {
        "Asynchronous/Messages" => {
            InteractionKind::AsyncMessage(message_from(value, version, pointer, findings))
        }
        "Synchronous/Messages" => {
            let request = message_from(
                object.get("request").unwrap_or(&Value::Null),
                version,
                &child(pointer, "request"),
                findings,
            );
            let responses_pointer = child(pointer, "response");
            let responses = match object.get("response") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(responses)) => responses
                    .iter()
                    .enumerate()
                    .map(|(position, response)| {
                        message_from(
                            response,
                            version,
                            &index(&responses_pointer, position),
                            findings,
                        )
                    })
                    .collect(),
                Some(single @ Value::Object(_)) => {
                    vec![message_from(single, version, &responses_pointer, findings)]
                }
                Some(other) => {
                    findings.wrong_type(&responses_pointer, "array", other);
                    Vec::new()
                }
            };
            InteractionKind::SyncMessage { request, responses }
        }
        "Synchronous/HTTP" => http_kind_from(object, version, pointer, findings),
        other => {
            findings.error(
                &child(pointer, "type"),
                format!(
                    "expected one of {}, found \"{other}\"",
                    INTERACTION_TYPES
                        .map(|name| format!("\"{name}\""))
                        .join(", ")
                ),
            );
            // The error above makes the conversion fail; this placeholder is never returned.
            InteractionKind::AsyncMessage(Message {
                contents: Body::Absent,
                metadata: Map::new(),
                matching_rules: MatchingRules::default(),
                generators: Generators::new(),
            })
        }
    };
    let pending = match object.get("pending") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(pending)) => *pending,
        Some(other) => {
            findings.error(
                &child(pointer, "pending"),
                format!("expected boolean, found {}", json_type_name(other)),
            );
            false
        }
    };
    Interaction {
        key: optional_string(object, "key", pointer, findings)
            .or_else(|| optional_string(object, "_id", pointer, findings)),
        description: optional_string(object, "description", pointer, findings).unwrap_or_default(),
        provider_states: provider_states_from(object, pointer, findings),
        pending,
        comments: object
            .get("comments")
            .filter(|comments| !comments.is_null())
            .cloned(),
        kind,
    }
}
