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
/// Built by hand rather than with `replace` and `format!`: contract conversion calls it for
/// every key of every interaction.
pub(crate) fn child(pointer: &str, key: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + 1 + key.len());
    out.push_str(pointer);
    out.push('/');
    for piece in key.split_inclusive(['~', '/']) {
        match piece.as_bytes().last() {
            Some(b'~') => {
                out.push_str(&piece[..piece.len() - 1]);
                out.push_str("~0");
            }
            Some(b'/') => {
                out.push_str(&piece[..piece.len() - 1]);
                out.push_str("~1");
            }
            _ => out.push_str(piece),
        }
    }
    out
}

/// The pointer to element `index` of the array at `pointer`.
pub(crate) fn index(pointer: &str, index: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(pointer.len() + 4);
    out.push_str(pointer);
    // Writing to a String cannot fail.
    let _ = write!(out, "/{index}");
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_and_index_pointers_escape_as_rfc_6901_says() {
        assert_eq!(child("/a", "b"), "/a/b");
        assert_eq!(child("", "x/y~z"), "/x~1y~0z");
        assert_eq!(child("/a", "~/~~//"), "/a/~0~1~0~0~1~1");
        assert_eq!(child("/a", ""), "/a/");
        assert_eq!(child("/a", "é/ü"), "/a/é~1ü");
        assert_eq!(index("/a", 12), "/a/12");
    }
}
