//! The collector that wire conversion reports faults into, and JSON pointer helpers.
//!
//! Conversion never stops at the first fault: every function takes the JSON pointer of the value
//! it reads and a [`Findings`] to push diagnostics into, so a caller sees every fault at once.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::SchemaError;

/// Diagnostics gathered while converting one document or fragment.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    diagnostics: Vec<Diagnostic>,
}

impl Findings {
    /// Records an error at `pointer`.
    pub(crate) fn error(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            pointer: pointer.to_owned(),
            severity: Severity::Error,
            message: message.into(),
        });
    }

    /// Records that the value at `pointer` has the wrong JSON type.
    pub(crate) fn wrong_type(&mut self, pointer: &str, expected: &str, found: &Value) {
        self.error(
            pointer,
            format!("expected {expected}, found {}", json_type_name(found)),
        );
    }

    /// True when an error was recorded.
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Records a warning at `pointer`: accepted, but likely a mistake.
    pub(crate) fn warning(&mut self, pointer: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            pointer: pointer.to_owned(),
            severity: Severity::Warning,
            message: message.into(),
        });
    }

    /// Appends the diagnostics of `other` after this collector's own.
    pub(crate) fn extend(&mut self, other: Findings) {
        self.diagnostics.extend(other.diagnostics);
    }

    /// Returns `value` when no error was recorded, otherwise every diagnostic, sorted by
    /// pointer (as schema validation sorts them).
    pub(crate) fn finish<T>(self, value: T) -> Result<T, SchemaError> {
        self.finish_with_warnings(value).map(|(value, _)| value)
    }

    /// Like [`Findings::finish`], but also returns the warnings of a successful conversion.
    pub(crate) fn finish_with_warnings<T>(
        mut self,
        value: T,
    ) -> Result<(T, Vec<Diagnostic>), SchemaError> {
        self.diagnostics
            .sort_by(|left, right| left.pointer.cmp(&right.pointer));
        if self.has_errors() {
            Err(SchemaError::Invalid(self.diagnostics))
        } else {
            Ok((value, self.diagnostics))
        }
    }
}

/// The pointer to `key` inside the object at `pointer` (RFC 6901 escaping applied).
pub(crate) fn child(pointer: &str, key: &str) -> String {
    let escaped = key.replace('~', "~0").replace('/', "~1");
    format!("{pointer}/{escaped}")
}

/// The pointer to element `index` of the array at `pointer`.
pub(crate) fn index(pointer: &str, index: usize) -> String {
    format!("{pointer}/{index}")
}

/// The name of a JSON value's type as messages spell it (`integer`, `string`, `object`…).
pub(crate) fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_i64() || number.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Reads an optional string field; a present non-string value is an error.
pub(crate) fn optional_string(
    object: &serde_json::Map<String, Value>,
    key: &str,
    pointer: &str,
    findings: &mut Findings,
) -> Option<String> {
    match object.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            findings.wrong_type(&child(pointer, key), "string", other);
            None
        }
    }
}

/// Reads an object of name to one string or an array of strings (headers, V3/V4 query maps)
/// into ordered `(name, values)` pairs. A non-string array element is reported and skipped; a
/// value of any other type is reported as not `expected` and its name skipped.
pub(crate) fn string_lists_from(
    object: &serde_json::Map<String, Value>,
    expected: &str,
    pointer: &str,
    findings: &mut Findings,
) -> Vec<(String, Vec<String>)> {
    let mut lists = Vec::with_capacity(object.len());
    for (name, values) in object {
        let value_pointer = child(pointer, name);
        let values = match values {
            Value::String(text) => vec![text.clone()],
            Value::Array(items) => items
                .iter()
                .enumerate()
                .filter_map(|(position, item)| match item {
                    Value::String(text) => Some(text.clone()),
                    other => {
                        findings.wrong_type(&index(&value_pointer, position), "string", other);
                        None
                    }
                })
                .collect(),
            other => {
                findings.wrong_type(&value_pointer, expected, other);
                continue;
            }
        };
        lists.push((name.clone(), values));
    }
    lists
}
