//! Treaty's `jsonSchema` matcher: the actual value must satisfy a JSON Schema (draft 2020-12)
//! written in the contract, in place of being compared with the example.
//!
//! Schemas are compiled once per matching run. A schema that does not compile is the
//! contract's fault and is reported as a mismatch with the reason; nothing is fetched over the
//! network (remote `$ref`s fail to resolve, which is reported the same way).

use std::cell::RefCell;
use std::collections::HashMap;

use jsonschema::Validator;
use serde_json::Value;

/// Compiled schemas, keyed by their JSON text.
#[derive(Default)]
pub(crate) struct SchemaCache {
    compiled: RefCell<HashMap<String, Result<Validator, String>>>,
}

impl SchemaCache {
    /// Checks `actual` against `schema`; the error names the first few violations with their
    /// JSON pointers.
    pub(crate) fn check(&self, schema: &Value, actual: &Value) -> Result<(), String> {
        let mut cache = self.compiled.borrow_mut();
        let entry = cache.entry(schema.to_string()).or_insert_with(|| {
            jsonschema::draft202012::new(schema)
                .map_err(|error| format!("the contract's JSON Schema is invalid: {error}"))
        });
        let validator = match entry {
            Ok(validator) => validator,
            Err(message) => return Err(message.clone()),
        };
        let violations: Vec<String> = validator
            .iter_errors(actual)
            .take(3)
            .map(|error| {
                let pointer = error.instance_path().to_string();
                if pointer.is_empty() {
                    error.to_string()
                } else {
                    format!("at {pointer}: {error}")
                }
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "expected a value satisfying the JSON Schema, but {}",
                violations.join("; ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn valid_and_invalid_values_and_a_broken_schema() {
        let cache = SchemaCache::default();
        let schema = json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}});
        assert!(cache.check(&schema, &json!({"id": 3})).is_ok());
        let failure = cache.check(&schema, &json!({"id": "3"})).unwrap_err();
        assert!(failure.contains("/id"), "{failure}");
        let broken = json!({"type": 12});
        assert!(
            cache
                .check(&broken, &json!(1))
                .unwrap_err()
                .contains("invalid")
        );
    }
}
