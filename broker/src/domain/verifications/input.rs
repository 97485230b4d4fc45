//! The body of a published verification result, validated field by field: every fault is
//! listed with its field, and nothing a client sends can make the broker answer 5xx.
//!
//! Unknown keys are ignored, as the Pact Broker ignores them: verifiers add their own
//! (`providerVersionBranch`, client details) and a result must never be lost over one.

use serde_json::Value;

use crate::domain::{DomainError, FieldError, VersionNumber};

/// A verification result as posted, once validated.
#[derive(Debug, Clone, PartialEq)]
pub struct VerificationInput {
    /// Whether the verification passed.
    pub success: bool,
    /// The provider version that verified (created when missing).
    pub provider_version: VersionNumber,
    /// The provider's CI build URL.
    pub build_url: Option<String>,
    /// `testResults` as posted (an array or an object).
    pub test_results: Option<Value>,
    /// `verifiedBy` as posted (an object).
    pub verified_by: Option<Value>,
}

/// The JSON type of a value, as the messages name it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether `raw` looks like an absolute URL: a scheme, `://` and a host.
fn is_absolute_url(raw: &str) -> bool {
    let Some((scheme, rest)) = raw.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    scheme_ok && !host.is_empty() && !raw.chars().any(char::is_whitespace)
}

impl VerificationInput {
    /// Validates a posted body.
    pub fn from_json(body: &Value) -> Result<Self, DomainError> {
        let Value::Object(fields) = body else {
            return Err(DomainError::invalid(
                "body",
                format!(
                    "expected a JSON object with `success` and `providerApplicationVersion`, found {}",
                    kind(body)
                ),
            ));
        };
        let mut faults = Vec::new();
        let success = match fields.get("success") {
            Some(Value::Bool(success)) => Some(*success),
            None | Some(Value::Null) => {
                faults.push(FieldError::new(
                    "success",
                    "is missing: expected true or false",
                ));
                None
            }
            Some(other) => {
                faults.push(FieldError::new(
                    "success",
                    format!("expected true or false, found {}", kind(other)),
                ));
                None
            }
        };
        let provider_version = match fields.get("providerApplicationVersion") {
            Some(Value::String(raw)) => match VersionNumber::parse(raw) {
                Ok(number) => Some(number),
                Err(message) => {
                    faults.push(FieldError::new("providerApplicationVersion", message));
                    None
                }
            },
            None | Some(Value::Null) => {
                faults.push(FieldError::new(
                    "providerApplicationVersion",
                    "is missing: expected the provider version that ran the verification",
                ));
                None
            }
            Some(other) => {
                faults.push(FieldError::new(
                    "providerApplicationVersion",
                    format!("expected a version number string, found {}", kind(other)),
                ));
                None
            }
        };
        let build_url = match fields.get("buildUrl") {
            None | Some(Value::Null) => None,
            Some(Value::String(raw)) if raw.is_empty() => None,
            Some(Value::String(raw)) if is_absolute_url(raw) => {
                match crate::domain::names::check_text(raw) {
                    Ok(()) => Some(raw.clone()),
                    Err(message) => {
                        faults.push(FieldError::new("buildUrl", message));
                        None
                    }
                }
            }
            Some(Value::String(raw)) => {
                faults.push(FieldError::new(
                    "buildUrl",
                    format!(
                        "expected an absolute URL such as https://ci.example/build/1, found `{raw}`"
                    ),
                ));
                None
            }
            Some(other) => {
                faults.push(FieldError::new(
                    "buildUrl",
                    format!("expected a URL string, found {}", kind(other)),
                ));
                None
            }
        };
        let test_results = match fields.get("testResults") {
            None | Some(Value::Null) => None,
            Some(value @ (Value::Array(_) | Value::Object(_))) => Some(value.clone()),
            Some(other) => {
                faults.push(FieldError::new(
                    "testResults",
                    format!(
                        "expected an array of interaction results, found {}",
                        kind(other)
                    ),
                ));
                None
            }
        };
        let verified_by = match fields.get("verifiedBy") {
            None | Some(Value::Null) => None,
            Some(value @ Value::Object(_)) => Some(value.clone()),
            Some(other) => {
                faults.push(FieldError::new(
                    "verifiedBy",
                    format!(
                        "expected an object such as {{\"implementation\": \"Pact-Rust\", \"version\": \"1.4.7\"}}, found {}",
                        kind(other)
                    ),
                ));
                None
            }
        };
        match (success, provider_version) {
            (Some(success), Some(provider_version)) if faults.is_empty() => Ok(Self {
                success,
                provider_version,
                build_url,
                test_results,
                verified_by,
            }),
            _ => Err(DomainError::Invalid(faults)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// The faults of a body, as `field: message` lines, or `ok`.
    fn check(body: Value) -> Vec<String> {
        match VerificationInput::from_json(&body) {
            Ok(_) => vec!["ok".to_owned()],
            Err(DomainError::Invalid(faults)) => faults
                .iter()
                .map(|fault| format!("{}: {}", fault.field, fault.message))
                .collect(),
            Err(other) => vec![format!("unexpected {other}")],
        }
    }

    #[test]
    fn bodies_are_validated_field_by_field() {
        let cases: Vec<(Value, Vec<&str>)> = vec![
            (
                json!({"success": true, "providerApplicationVersion": "1.0.0"}),
                vec!["ok"],
            ),
            (
                json!({"success": false, "providerApplicationVersion": "1", "buildUrl": "https://ci/1",
                       "testResults": [{"interactionId": "a", "success": false}],
                       "verifiedBy": {"implementation": "Pact-Rust"}, "extra": 1}),
                vec!["ok"],
            ),
            (
                json!({"success": true, "providerApplicationVersion": "1", "buildUrl": null, "testResults": null}),
                vec!["ok"],
            ),
            (
                json!({}),
                vec![
                    "success: is missing: expected true or false",
                    "providerApplicationVersion: is missing: expected the provider version that ran the verification",
                ],
            ),
            (
                json!({"success": "true", "providerApplicationVersion": 3}),
                vec![
                    "success: expected true or false, found a string",
                    "providerApplicationVersion: expected a version number string, found a number",
                ],
            ),
            (
                json!({"success": true, "providerApplicationVersion": "  "}),
                vec!["providerApplicationVersion: a version number must not be blank"],
            ),
            (
                json!({"success": true, "providerApplicationVersion": "1", "buildUrl": "not a url"}),
                vec![
                    "buildUrl: expected an absolute URL such as https://ci.example/build/1, found `not a url`",
                ],
            ),
            (
                json!({"success": true, "providerApplicationVersion": "1", "testResults": "passed"}),
                vec!["testResults: expected an array of interaction results, found a string"],
            ),
            (
                json!({"success": true, "providerApplicationVersion": "1", "verifiedBy": ["x"]}),
                vec![
                    "verifiedBy: expected an object such as {\"implementation\": \"Pact-Rust\", \"version\": \"1.4.7\"}, found an array",
                ],
            ),
            (
                json!([1, 2]),
                vec![
                    "body: expected a JSON object with `success` and `providerApplicationVersion`, found an array",
                ],
            ),
        ];
        for (body, expected) in cases {
            assert_eq!(check(body.clone()), expected, "{body}");
        }
    }
}
