//! Contract documents as the broker handles them: decoding a published body, validating it
//! with `treaty-schemas`, its identity (content hash), merging and preparing it for clients.
//!
//! Content identity is always `treaty_schemas::content_hash`, never a hash of our own.

use base64::Engine;
use serde_json::{Map, Value};
use treaty_schemas::{SchemaError, Severity};

use crate::domain::FieldError;

/// Decodes the strict base64 `content` of a published contract into JSON.
pub fn decode_published_content(field: &str, content: &str) -> Result<Value, FieldError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.trim())
        .map_err(|error| {
            FieldError::new(
                field,
                format!("expected strict base64 (RFC 4648, padded), found invalid data: {error}"),
            )
        })?;
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    serde_json::from_slice(bytes).map_err(|error| {
        FieldError::new(
            field,
            format!("the decoded content is not valid JSON: {error}"),
        )
    })
}

/// Checks a contract document against the contract schemas; each fault names its JSON pointer.
pub fn validate_contract(field: &str, document: &Value) -> Result<(), Vec<FieldError>> {
    if !document.is_object() {
        return Err(vec![FieldError::new(
            field,
            "expected a JSON object (a pact), found another JSON value",
        )]);
    }
    match treaty_schemas::parse_contract_value(document) {
        Ok(_) => Ok(()),
        Err(SchemaError::Invalid(diagnostics)) => {
            let faults: Vec<FieldError> = diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.severity == Severity::Error)
                .map(|diagnostic| FieldError {
                    field: field.to_owned(),
                    pointer: Some(diagnostic.pointer.clone()),
                    message: diagnostic.to_string(),
                })
                .collect();
            // A rejection with no error-level finding lists nothing the client could fix; the
            // contract is accepted (warnings alone never refuse a contract).
            if faults.is_empty() {
                Ok(())
            } else {
                Err(faults)
            }
        }
        Err(SchemaError::Json(error)) => Err(vec![FieldError::new(
            field,
            format!("not valid JSON: {error}"),
        )]),
    }
}

/// The content hash that identifies a contract's meaning (pact-broker-api.md §5.1).
pub fn content_sha(document: &Value) -> String {
    treaty_schemas::content_hash(document).0
}

/// Merges `new` into `existing` as the Pact Broker does: interactions with the same description
/// and provider state are replaced, the others appended.
pub fn merge_documents(existing: &Value, new: &Value) -> Value {
    treaty_schemas::merge::merge_contracts(existing, new)
}

/// Prepares a stored contract for a client: the integration's names (content is shared between
/// integrations with the same meaning) and an `_id` per interaction, as the first key.
pub fn document_for_integration(
    stored: &str,
    consumer: &str,
    provider: &str,
) -> Result<Map<String, Value>, serde_json::Error> {
    let document: Value = serde_json::from_str(stored)?;
    let Value::Object(mut document) = treaty_schemas::canonical::with_interaction_ids(&document)
    else {
        return Ok(Map::new());
    };
    document.insert("consumer".to_owned(), named(consumer));
    document.insert("provider".to_owned(), named(provider));
    Ok(document)
}

fn named(name: &str) -> Value {
    let mut object = Map::new();
    object.insert("name".to_owned(), Value::String(name.to_owned()));
    Value::Object(object)
}
