//! V1, V1.1 and V2 interactions: a description, an optional `providerState` string (Ruby's V1
//! files spell it `provider_state`), a request and a response.

use serde_json::{Map, Value};

use super::findings::{Findings, optional_string};
use super::http::{http_kind_from, object_or_report};
use crate::model::{Interaction, ProviderState, SpecVersion};

/// Converts the V1/V2 interaction at `pointer`.
pub(crate) fn interaction_from(
    value: &Value,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> Interaction {
    let empty = Map::new();
    let object = object_or_report(value, pointer, findings).unwrap_or(&empty);
    let provider_states = ["providerState", "provider_state"]
        .into_iter()
        .find_map(|key| optional_string(object, key, pointer, findings))
        .map(|name| {
            vec![ProviderState {
                name,
                params: Map::new(),
            }]
        })
        .unwrap_or_default();
    Interaction {
        key: optional_string(object, "_id", pointer, findings),
        description: optional_string(object, "description", pointer, findings).unwrap_or_default(),
        provider_states,
        pending: false,
        comments: None,
        kind: http_kind_from(object, version, pointer, findings),
    }
}
