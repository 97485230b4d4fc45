//! Merging a newly published contract into an existing one, with the Pact Broker's semantics
//! (`onConflict: merge` on publish, `PATCH` on the old publish route).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::canonical::{sorted_json_text, sorted_keys};

/// Merges `new` into `existing`: an interaction (or message) of `new` with the same description
/// and provider state(s) as one of `existing` replaces it in place; the others are appended in
/// their order. Everything else (consumer, provider, metadata) comes from `existing`, as the Pact
/// Broker's merge keeps it. `interactions` and `messages` are merged separately; a list only
/// `new` has is taken as it is. Broker-added `_id` keys do not take part in the comparison.
pub fn merge_contracts(existing: &Value, new: &Value) -> Value {
    let (Value::Object(existing_object), Value::Object(new_object)) = (existing, new) else {
        return new.clone();
    };
    let mut merged = existing_object.clone();
    for key in ["interactions", "messages"] {
        let Some(Value::Array(new_entries)) = new_object.get(key) else {
            continue;
        };
        let mut entries = match merged.get(key) {
            Some(Value::Array(existing_entries)) => existing_entries.clone(),
            _ => Vec::new(),
        };
        let mut positions: HashMap<String, usize> = HashMap::new();
        for (position, entry) in entries.iter().enumerate() {
            positions.entry(identity_key(entry)).or_insert(position);
        }
        for new_entry in new_entries {
            match positions.get(&identity_key(new_entry)) {
                Some(&position) => entries[position] = new_entry.clone(),
                None => {
                    positions.insert(identity_key(new_entry), entries.len());
                    entries.push(new_entry.clone());
                }
            }
        }
        merged.insert(key.to_owned(), Value::Array(entries));
    }
    Value::Object(merged)
}

/// [`identity_of`] as one string, for hashing.
pub(crate) fn identity_key(interaction: &Value) -> String {
    let (description, states) = identity_of(interaction);
    format!("{description:?}\u{0}{}", sorted_json_text(&states))
}

/// What makes two interactions "the same" for merging: the description and the provider states
/// (V2's `providerState` string is read as one state without parameters, so a V2 and a V3 way of
/// writing the same state agree).
fn identity_of(interaction: &Value) -> (Option<String>, Value) {
    let description = interaction
        .get("description")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let states = match interaction.get("providerStates") {
        Some(Value::Array(states)) => states
            .iter()
            .map(|state| {
                let mut state = state.as_object().cloned().unwrap_or_default();
                if state.get("params").is_none_or(|params| {
                    params.is_null() || params.as_object().is_some_and(Map::is_empty)
                }) {
                    state.remove("params");
                }
                sorted_keys(&Value::Object(state))
            })
            .collect(),
        _ => ["providerState", "provider_state"]
            .into_iter()
            .find_map(|key| interaction.get(key).and_then(Value::as_str))
            .map(|name| {
                let mut state = Map::new();
                state.insert("name".to_owned(), Value::String(name.to_owned()));
                vec![Value::Object(state)]
            })
            .unwrap_or_default(),
    };
    (description, Value::Array(states))
}
