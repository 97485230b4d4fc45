//! Findings that do not make a contract invalid but are likely mistakes: a contract without
//! interactions (verifying it proves nothing) and interactions that share a description and
//! provider states (the Pact Broker's merge and Treaty's reports treat them as one).

use std::collections::HashMap;

use serde_json::Value;

use crate::canonical::sorted_json_text;
use crate::merge::identity_key;
use crate::wire::{Findings, index};

/// Records the warnings about a valid contract document.
pub(crate) fn contract_warnings(document: &Value, findings: &mut Findings) {
    // Identity key (description and states as text) to the first entry's pointer and entry. The
    // content text is only built when two identities meet, so a large contract is not held a
    // second time as text.
    let mut seen: HashMap<String, (String, &Value)> = HashMap::new();
    let mut total = 0;
    for key in ["interactions", "messages"] {
        let Some(Value::Array(entries)) = document.get(key) else {
            continue;
        };
        total += entries.len();
        for (position, entry) in entries.iter().enumerate() {
            let pointer = index(&format!("/{key}"), position);
            let identity = identity_key(entry);
            match seen.get(&identity) {
                Some((other_pointer, other_entry))
                    if content_text(other_entry) == content_text(entry) =>
                {
                    findings.warning(
                        &pointer,
                        format!(
                            "duplicate of {other_pointer}: the same interaction is listed twice"
                        ),
                    )
                }
                Some((other_pointer, _)) => findings.warning(
                    &pointer,
                    format!(
                        "same description and provider states as {other_pointer} but different \
                         content: merging keeps only one of them; give each a unique description"
                    ),
                ),
                None => {
                    seen.insert(identity, (pointer, entry));
                }
            }
        }
    }
    if total == 0 {
        findings.warning(
            "/interactions",
            "the contract has no interactions: verifying it proves nothing",
        );
    }
}

/// An interaction's content as sorted JSON text, without the keys that only identify it.
fn content_text(entry: &Value) -> String {
    let mut without_id = entry.clone();
    if let Some(object) = without_id.as_object_mut() {
        object.remove("_id");
        object.remove("key");
    }
    sorted_json_text(&without_id)
}
