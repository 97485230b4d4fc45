//! V3 interactions and messages: `providerStates` with parameters, HTTP interactions under
//! `interactions` and message interactions under `messages`.

use serde_json::{Map, Value};

use super::findings::{Findings, child, index, optional_string};
use super::http::{http_kind_from, object_or_report};
use super::message::message_from;
use crate::model::{Interaction, InteractionKind, ProviderState, SpecVersion};

/// Converts the V3 HTTP interaction at `pointer`.
pub(crate) fn interaction_from(
    value: &Value,
    pointer: &str,
    findings: &mut Findings,
) -> Interaction {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let kind = http_kind_from(object, SpecVersion::V3, pointer, findings);
    header_from(object, kind, pointer, findings)
}

/// Converts the V3 message at `pointer` (an entry of `messages`).
pub(crate) fn message_interaction_from(
    value: &Value,
    pointer: &str,
    findings: &mut Findings,
) -> Interaction {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let kind =
        InteractionKind::AsyncMessage(message_from(value, SpecVersion::V3, pointer, findings));
    header_from(object, kind, pointer, findings)
}

/// The parts every V3 interaction has: key, description, provider states.
fn header_from(
    object: &Map<String, Value>,
    kind: InteractionKind,
    pointer: &str,
    findings: &mut Findings,
) -> Interaction {
    Interaction {
        key: optional_string(object, "_id", pointer, findings),
        description: optional_string(object, "description", pointer, findings).unwrap_or_default(),
        provider_states: provider_states_from(object, pointer, findings),
        pending: false,
        comments: None,
        kind,
    }
}

/// Reads `providerStates` (an array of `{name, params}`), falling back to a V2-style
/// `providerState` string, which V3 writers sometimes still emit.
pub(crate) fn provider_states_from(
    object: &Map<String, Value>,
    pointer: &str,
    findings: &mut Findings,
) -> Vec<ProviderState> {
    let states_pointer = child(pointer, "providerStates");
    match object.get("providerStates") {
        Some(Value::Array(states)) => states
            .iter()
            .enumerate()
            .filter_map(|(position, state)| {
                provider_state_from(state, &index(&states_pointer, position), findings)
            })
            .collect(),
        None | Some(Value::Null) => optional_string(object, "providerState", pointer, findings)
            .map(|name| {
                vec![ProviderState {
                    name,
                    params: Map::new(),
                }]
            })
            .unwrap_or_default(),
        Some(other) => {
            findings.wrong_type(&states_pointer, "array", other);
            Vec::new()
        }
    }
}

fn provider_state_from(
    value: &Value,
    pointer: &str,
    findings: &mut Findings,
) -> Option<ProviderState> {
    let object = object_or_report(value, pointer, findings)?;
    let name = match object.get("name") {
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            findings.wrong_type(&child(pointer, "name"), "string", other);
            return None;
        }
        None => {
            findings.error(pointer, "missing required key `name`");
            return None;
        }
    };
    let params = match object.get("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params.clone(),
        Some(other) => {
            findings.wrong_type(&child(pointer, "params"), "object", other);
            Map::new()
        }
    };
    Some(ProviderState { name, params })
}
