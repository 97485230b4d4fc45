//! Validation of contract JSON against the JSON Schema files in `schemas/json/`, with every
//! fault reworded as a [`Diagnostic`]: the JSON pointer of the faulty value and what was
//! expected (`/interactions/3/response/status: expected integer, found string`).
//!
//! The schemas are embedded in the binary and compiled once, on first use.

use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::SpecVersion;
use crate::wire::json_type_name;

/// The JSON Schema of V1 and V1.1 contracts (draft 2020-12).
pub const PACT_V1_SCHEMA: &str = include_str!("../json/pact-v1.schema.json");
/// The JSON Schema of V2 contracts (draft 2020-12).
pub const PACT_V2_SCHEMA: &str = include_str!("../json/pact-v2.schema.json");
/// The JSON Schema of V3 contracts, HTTP and message (draft 2020-12).
pub const PACT_V3_SCHEMA: &str = include_str!("../json/pact-v3.schema.json");
/// The JSON Schema of V4 contracts, HTTP and message (draft 2020-12).
pub const PACT_V4_SCHEMA: &str = include_str!("../json/pact-v4.schema.json");

type Compiled = Result<Validator, String>;

static V1: LazyLock<Compiled> = LazyLock::new(|| compile(PACT_V1_SCHEMA));
static V2: LazyLock<Compiled> = LazyLock::new(|| compile(PACT_V2_SCHEMA));
static V3: LazyLock<Compiled> = LazyLock::new(|| compile(PACT_V3_SCHEMA));
static V4: LazyLock<Compiled> = LazyLock::new(|| compile(PACT_V4_SCHEMA));

/// The JSON Schema text for a specification version.
pub fn schema_for(version: SpecVersion) -> &'static str {
    match version {
        SpecVersion::V1 | SpecVersion::V1_1 => PACT_V1_SCHEMA,
        SpecVersion::V2 => PACT_V2_SCHEMA,
        SpecVersion::V3 => PACT_V3_SCHEMA,
        SpecVersion::V4 => PACT_V4_SCHEMA,
    }
}

/// Validates a document against the JSON Schema of `version`, returning every fault (empty when
/// the document is valid), sorted by pointer.
pub fn validate_document(document: &Value, version: SpecVersion) -> Vec<Diagnostic> {
    let compiled = match version {
        SpecVersion::V1 | SpecVersion::V1_1 => &*V1,
        SpecVersion::V2 => &*V2,
        SpecVersion::V3 => &*V3,
        SpecVersion::V4 => &*V4,
    };
    let validator = match compiled {
        Ok(validator) => validator,
        Err(message) => {
            return vec![Diagnostic {
                pointer: String::new(),
                severity: Severity::Error,
                message: format!("the built-in {version:?} schema does not compile: {message}"),
            }];
        }
    };
    // Most contracts are valid: the yes/no check skips building error locations on the way.
    if validator.is_valid(document) {
        return Vec::new();
    }
    let mut diagnostics: Vec<Diagnostic> = validator
        .iter_errors(document)
        .map(|error| diagnostic_from(&error))
        .collect();
    diagnostics.sort_by(|left, right| {
        left.pointer
            .cmp(&right.pointer)
            .then(left.message.cmp(&right.message))
    });
    diagnostics.dedup();
    diagnostics
}

fn compile(text: &str) -> Compiled {
    let schema: Value = serde_json::from_str(text).map_err(|error| error.to_string())?;
    jsonschema::draft202012::new(&schema).map_err(|error| error.to_string())
}

/// Rewords one validation error in Treaty's style: lowercase, what was expected, what was found.
fn diagnostic_from(error: &ValidationError<'_>) -> Diagnostic {
    let pointer = error.instance_path().as_str().to_owned();
    let found = error.instance();
    let is_status = pointer.ends_with("/status");
    let message = match error.kind() {
        ValidationErrorKind::Minimum { .. } | ValidationErrorKind::Maximum { .. } if is_status => {
            format!("expected a status code between 100 and 599, found {found}")
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(single) => single.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|one| one.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("expected {expected}, found {}", json_type_name(found))
        }
        ValidationErrorKind::Required { property } => {
            let name = property
                .as_str()
                .map_or_else(|| property.to_string(), str::to_owned);
            format!("missing required key `{name}`")
        }
        ValidationErrorKind::Minimum { limit } => {
            format!("expected a number >= {limit}, found {found}")
        }
        ValidationErrorKind::Maximum { limit } => {
            format!("expected a number <= {limit}, found {found}")
        }
        ValidationErrorKind::Enum { options } => {
            format!("expected one of {}, found {found}", list_options(options))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("expected {expected_value}, found {found}")
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
            if pointer.ends_with("/matchingRules") =>
        {
            let paths: Vec<String> = unexpected
                .iter()
                .map(|path| format!("\"{path}\""))
                .collect();
            format!(
                "expected rule paths starting with $.body, $.headers, $.query, $.path or $.status, \
                 found {}",
                paths.join(", ")
            )
        }
        ValidationErrorKind::Pattern { pattern } => {
            format!("expected a value matching `{pattern}`, found {found}")
        }
        _ => lowercase_first(&error.to_string()),
    };
    Diagnostic {
        pointer,
        severity: Severity::Error,
        message,
    }
}

fn list_options(options: &Value) -> String {
    match options {
        Value::Array(items) => items
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

fn lowercase_first(text: &str) -> String {
    let trimmed = text.trim_end_matches('.');
    let mut characters = trimmed.chars();
    match characters.next() {
        Some(first) => first.to_lowercase().chain(characters).collect(),
        None => String::new(),
    }
}
