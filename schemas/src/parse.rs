//! Bytes or JSON in, a validated [`Contract`] out: detects the specification version, validates
//! against that version's JSON Schema, checks what a schema cannot say, and converts the wire
//! form into the model. Every fault found is reported, not only the first.

use serde_json::{Map, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::SchemaError;
use crate::model::{Contract, SpecVersion};
use crate::validate::validate_document;
use crate::warnings::contract_warnings;
use crate::wire::{Findings, INTERACTION_TYPES, contract_from, json_type_name};

/// Parses and validates a contract file's bytes (a leading UTF-8 byte order mark is allowed).
///
/// Bytes passed by value (a `Vec<u8>`, `bytes::Bytes`) are dropped as soon as they are read as
/// JSON, which lowers the peak memory of a large contract; pass `&bytes` to keep them.
pub fn parse_contract(bytes: impl AsRef<[u8]>) -> Result<Contract, SchemaError> {
    parse_contract_with_warnings(bytes).map(|(contract, _)| contract)
}

/// Parses and validates a contract already read as JSON.
///
/// The version comes from [`detect_spec_version`]; the document is validated against that
/// version's JSON Schema ([`validate_document`]) and the semantic checks; only a document without
/// errors is converted.
pub fn parse_contract_value(value: &Value) -> Result<Contract, SchemaError> {
    parse_contract_value_with_warnings(value).map(|(contract, _)| contract)
}

/// Like [`parse_contract`], and also returns the warnings about a valid contract (see
/// [`parse_contract_value_with_warnings`]).
pub fn parse_contract_with_warnings(
    bytes: impl AsRef<[u8]>,
) -> Result<(Contract, Vec<Diagnostic>), SchemaError> {
    let value = json_from_bytes(bytes.as_ref())?;
    drop(bytes);
    parse_owned_value(value)
}

fn json_from_bytes(bytes: &[u8]) -> Result<Value, SchemaError> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    Ok(serde_json::from_slice(bytes)?)
}

/// Like [`parse_contract_value`], and also returns the warnings about a valid contract: likely
/// mistakes that do not make it invalid (no interactions at all, two interactions with the same
/// description and provider states, matcher kinds Treaty does not know).
pub fn parse_contract_value_with_warnings(
    value: &Value,
) -> Result<(Contract, Vec<Diagnostic>), SchemaError> {
    let checked = check_document(value)?;
    convert_document(value.clone(), checked)
}

/// The whole parse of a document the caller no longer needs (see [`convert_document`]).
fn parse_owned_value(value: Value) -> Result<(Contract, Vec<Diagnostic>), SchemaError> {
    let checked = check_document(&value)?;
    convert_document(value, checked)
}

/// Converts a checked document by moving its interactions into the model one at a time, so the
/// JSON and the model are never both held in full (a large contract would otherwise take twice
/// the memory).
fn convert_document(
    value: Value,
    (version, warnings): (SpecVersion, Findings),
) -> Result<(Contract, Vec<Diagnostic>), SchemaError> {
    let Value::Object(document) = value else {
        return Err(not_an_object(&value));
    };
    let mut findings = Findings::default();
    let contract = contract_from(document, version, &mut findings);
    findings.extend(warnings);
    findings.finish_with_warnings(contract)
}

/// Everything decided on the whole document before conversion: its version, JSON Schema and
/// semantic faults (an `Err` when any is an error) and the warnings about it.
fn check_document(value: &Value) -> Result<(SpecVersion, Findings), SchemaError> {
    let Value::Object(document) = value else {
        return Err(not_an_object(value));
    };
    let (version, assumed) = detect_spec_version_leniently(value)
        .map_err(|diagnostic| SchemaError::Invalid(vec![diagnostic]))?;
    let mut diagnostics = validate_document(value, version);
    diagnostics.extend(semantic_checks(document));
    diagnostics.sort_by(|left, right| left.pointer.cmp(&right.pointer));
    if diagnostics
        .iter()
        .any(|diagnostic| diagnostic.severity == Severity::Error)
    {
        return Err(SchemaError::Invalid(diagnostics));
    }
    let mut warnings = Findings::default();
    if let Some(assumed) = assumed {
        warnings.warning(&assumed.pointer, assumed.message);
    }
    contract_warnings(value, &mut warnings);
    Ok((version, warnings))
}

fn not_an_object(value: &Value) -> SchemaError {
    SchemaError::Invalid(vec![error_at(
        "",
        format!(
            "expected a pact document (an object), found {}",
            json_type_name(value)
        ),
    )])
}

/// The specification version a document declares.
///
/// It is read from `metadata.pactSpecification.version`, then
/// `metadata["pact-specification"].version`, then `metadata.pactSpecificationVersion`. A document
/// that declares none is V2 (what the Pact Broker assumes), unless its shape says otherwise:
/// interactions with a V4 `type` make it V4, a `messages` array (V3 on) makes it V3.
/// `"1"`, `"1.0"` and `"1.0.0"` are V1; `"1.1…"` is V1.1; any `"2…"`, `"3…"` or `"4…"` is V2,
/// V3 or V4.
pub fn detect_spec_version(document: &Value) -> Result<SpecVersion, Diagnostic> {
    let metadata = document.get("metadata");
    let candidates = [
        (
            "/metadata/pactSpecification/version",
            metadata
                .and_then(|m| m.get("pactSpecification"))
                .and_then(|s| s.get("version")),
        ),
        (
            "/metadata/pact-specification/version",
            metadata
                .and_then(|m| m.get("pact-specification"))
                .and_then(|s| s.get("version")),
        ),
        (
            "/metadata/pactSpecificationVersion",
            metadata.and_then(|m| m.get("pactSpecificationVersion")),
        ),
    ];
    let Some((pointer, declared)) = candidates
        .into_iter()
        .find_map(|(pointer, value)| value.map(|value| (pointer, value)))
    else {
        return Ok(undeclared_version(document));
    };
    let text = match declared {
        Value::String(text) => text.trim().to_owned(),
        Value::Number(number) => number.to_string(),
        _ => {
            return Err(error_at(
                pointer,
                "expected a version string such as \"3.0.0\"",
            ));
        }
    };
    version_from_str(&text).ok_or_else(|| {
        error_at(
            pointer,
            format!("expected a pact specification version from 1.0.0 to 4.x, found \"{text}\""),
        )
    })
}

/// The version of a document that declares none: V4 when an interaction has a V4 `type`, V3
/// when it has a `messages` array, V2 otherwise.
fn undeclared_version(document: &Value) -> SpecVersion {
    let has_v4_types = document
        .get("interactions")
        .and_then(Value::as_array)
        .is_some_and(|entries| {
            entries.iter().any(|entry| {
                entry
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|kind| INTERACTION_TYPES.contains(&kind))
            })
        });
    if has_v4_types {
        SpecVersion::V4
    } else if document.get("messages").is_some_and(Value::is_array) {
        SpecVersion::V3
    } else {
        SpecVersion::V2
    }
}

/// What [`detect_spec_version_leniently`] assumed about a loosely written file: where, and a
/// warning saying what was assumed.
struct Assumption {
    pointer: String,
    message: String,
}

/// Like [`detect_spec_version`], but reads the loose files that pact-jvm and pact-reference read,
/// with a warning that says what was assumed:
/// - the old `metadata["pact-specification"]` key without a usable version (a bare string,
///   `null`, `""`): V3, as both references assume;
/// - a file declared V2 whose `matchingRules` have the V3 shape (categories such as `body`
///   instead of `$.body` paths, pact-reference issue 396): V3.
///
/// The current `pactSpecification` key with an unusable version is still an error.
fn detect_spec_version_leniently(
    document: &Value,
) -> Result<(SpecVersion, Option<Assumption>), Diagnostic> {
    let metadata = document.get("metadata");
    let modern = metadata.and_then(|m| m.get("pactSpecification"));
    let legacy = metadata.and_then(|m| m.get("pact-specification"));
    if modern.is_none()
        && let Some(legacy) = legacy
    {
        let usable = legacy
            .get("version")
            .and_then(Value::as_str)
            .and_then(version_from_str);
        if usable.is_none() {
            return Ok((
                SpecVersion::V3,
                Some(Assumption {
                    pointer: "/metadata/pact-specification".to_owned(),
                    message: format!(
                        "the old `pact-specification` metadata key has no usable version ({}); read as V3, as pact-jvm and pact-reference do",
                        compact(legacy)
                    ),
                }),
            ));
        }
    }
    let version = detect_spec_version(document)?;
    if version == SpecVersion::V2
        && let Some(pointer) = first_v3_shaped_rules(document)
    {
        return Ok((
            SpecVersion::V3,
            Some(Assumption {
                pointer,
                message: "declared V2, but these matching rules have the V3 shape (categories, not `$.` paths); read as V3, as pact-reference does".to_owned(),
            }),
        ));
    }
    Ok((version, None))
}

/// A short rendering of a metadata value for a warning.
fn compact(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 60 {
        format!("{}…", &text[..text.floor_char_boundary(60)])
    } else {
        text
    }
}

/// The pointer of the first request or response `matchingRules` object whose keys are V3
/// categories (`body`, `header`, `query`, `path`, `status`, `metadata`) rather than V2 paths.
fn first_v3_shaped_rules(document: &Value) -> Option<String> {
    const CATEGORIES: [&str; 6] = ["body", "header", "query", "path", "status", "metadata"];
    let interactions = document.get("interactions")?.as_array()?;
    for (index, interaction) in interactions.iter().enumerate() {
        for part in ["request", "response"] {
            let Some(Value::Object(rules)) = interaction
                .get(part)
                .and_then(|side| side.get("matchingRules"))
            else {
                continue;
            };
            if !rules.is_empty() && rules.keys().all(|key| CATEGORIES.contains(&key.as_str())) {
                return Some(format!("/interactions/{index}/{part}/matchingRules"));
            }
        }
    }
    None
}

/// Reads a declared version string (`"3.0.0"`, `"4.0"`, `"1.1"`, `"v2"`).
pub fn version_from_str(text: &str) -> Option<SpecVersion> {
    let text = text.trim().trim_start_matches(['v', 'V']);
    let mut parts = text.split('.');
    let major = parts.next()?.parse::<u32>().ok()?;
    let minor = match parts.next() {
        Some(minor) => minor.parse::<u32>().ok()?,
        None => 0,
    };
    match (major, minor) {
        (1, 0) => Some(SpecVersion::V1),
        (1, _) => Some(SpecVersion::V1_1),
        (2, _) => Some(SpecVersion::V2),
        (3, _) => Some(SpecVersion::V3),
        (4, _) => Some(SpecVersion::V4),
        _ => None,
    }
}

/// What the JSON Schema cannot say: names must not be blank, and a contract must have an
/// `interactions` or `messages` array (it may be empty: Pact clients publish such files).
fn semantic_checks(document: &Map<String, Value>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for party in ["consumer", "provider"] {
        if let Some(Value::String(name)) = document.get(party).and_then(|party| party.get("name"))
            && name.trim().is_empty()
        {
            diagnostics.push(error_at(
                &format!("/{party}/name"),
                format!("expected a non-blank {party} name"),
            ));
        }
    }
    if !document.contains_key("interactions") && !document.contains_key("messages") {
        diagnostics.push(error_at(
            "",
            "missing required key `interactions` (or `messages` for a message pact)",
        ));
    }
    diagnostics
}

fn error_at(pointer: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        pointer: pointer.to_owned(),
        severity: Severity::Error,
        message: message.into(),
    }
}
