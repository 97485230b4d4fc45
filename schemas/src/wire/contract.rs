//! Whole contract documents: consumer, provider, metadata and the interaction arrays, each
//! entry converted by the module of the document's specification version.
//!
//! The document is taken by value and each interaction is dropped as soon as it is converted, so
//! a large contract is never held twice (as JSON and as model) in full.

use serde_json::{Map, Value};

use super::findings::{Findings, child, index};
use super::{v2, v3, v4};
use crate::model::{Contract, Interaction, SpecVersion};

/// Converts a whole contract document already known to be written in `version`, consuming it.
pub(crate) fn contract_from(
    mut document: Map<String, Value>,
    version: SpecVersion,
    findings: &mut Findings,
) -> Contract {
    let mut interactions: Vec<Interaction> = Vec::new();
    if let Some(Value::Array(entries)) = document.get_mut("interactions") {
        let entries = std::mem::take(entries);
        interactions.reserve(entries.len());
        for (position, entry) in entries.into_iter().enumerate() {
            let pointer = index("/interactions", position);
            interactions.push(match version {
                SpecVersion::V1 | SpecVersion::V1_1 | SpecVersion::V2 => {
                    v2::interaction_from(&entry, version, &pointer, findings)
                }
                SpecVersion::V3 => v3::interaction_from(&entry, &pointer, findings),
                SpecVersion::V4 => v4::interaction_from(&entry, &pointer, findings),
            });
        }
    }
    if let Some(Value::Array(entries)) = document.get_mut("messages") {
        let entries = std::mem::take(entries);
        interactions.reserve(entries.len());
        for (position, entry) in entries.into_iter().enumerate() {
            interactions.push(v3::message_interaction_from(
                &entry,
                &index("/messages", position),
                findings,
            ));
        }
    }
    Contract {
        consumer: party_name(&document, "consumer", findings),
        provider: party_name(&document, "provider", findings),
        spec_version: version,
        interactions,
        metadata: match document.swap_remove("metadata") {
            Some(Value::Object(metadata)) => metadata,
            _ => Map::new(),
        },
    }
}

fn party_name(document: &Map<String, Value>, key: &str, findings: &mut Findings) -> String {
    match document.get(key).and_then(|party| party.get("name")) {
        Some(Value::String(name)) => name.clone(),
        Some(other) => {
            findings.wrong_type(&child(&child("", key), "name"), "string", other);
            String::new()
        }
        None => String::new(),
    }
}
