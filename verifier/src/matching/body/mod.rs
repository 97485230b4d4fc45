//! Bodies: presence first (no `body` key matches anything, `null` or empty means "no body"),
//! then the kind of body (JSON, XML, form, text) from the declared content type or, failing
//! that, from the content itself, then the matcher for that kind.
//!
//! Strict mode (requests) refuses keys, attributes and children the contract does not name;
//! lenient mode (responses, messages) allows them, which is Postel's law as Pact applies it.

mod actual_json;
mod form;
mod json;
mod text;
mod xml;

pub(crate) use form::parse_form as parse_form_pairs;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;
use treaty_schemas::{Body, BodyContent, MatchingRule, RuleList};

use super::headers::{media_type_essence, media_types_match};
use super::mismatch::{Mismatch, show};
use super::path::RuleSet;
use super::rules::Evaluator;

/// One side of a body comparison: the body and the content type declared for it (the V4
/// wrapper's, else the `Content-Type` header or the message's `contentType` metadata).
pub(crate) struct BodySide<'a> {
    /// The body.
    pub(crate) body: &'a Body,
    /// The declared content type, if any.
    pub(crate) content_type: Option<String>,
}

/// The kinds of body the engine compares differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Json,
    Xml,
    Form,
    Text,
    Binary,
}

/// Compares an actual body with the expected one under the contract's body rules.
pub(crate) fn match_body(
    expected: &BodySide<'_>,
    actual: &BodySide<'_>,
    rules: Option<&BTreeMap<String, RuleList>>,
    strict: bool,
    evaluator: &Evaluator,
) -> Vec<Mismatch> {
    let expected_content = match expected.body {
        Body::Absent => return Vec::new(),
        Body::Null => None,
        Body::Present { content, .. } if is_empty(content) => None,
        Body::Present { content, .. } => Some(content),
    };
    let actual_content = match actual.body {
        Body::Present { content, .. } if !is_empty(content) => Some(content),
        _ => None,
    };
    let (expected_content, actual_content) = match (expected_content, actual_content) {
        (None, None) => return Vec::new(),
        (None, Some(actual_content)) => {
            let preview = Value::String(text_of(actual_content));
            let detail = format!("expected no body, got {}", show(&preview));
            return vec![Mismatch::body("$", None, Some(preview), detail)];
        }
        (Some(expected_content), None) => {
            let detail = "expected a body, but it is missing or empty";
            return vec![Mismatch::body(
                "$",
                Some(Value::String(text_of(expected_content))),
                None,
                detail,
            )];
        }
        (Some(expected_content), Some(actual_content)) => (expected_content, actual_content),
    };
    let expected_declared = expected
        .content_type
        .as_deref()
        .and_then(kind_of_content_type);
    let actual_declared = actual
        .content_type
        .as_deref()
        .and_then(kind_of_content_type);
    if let (Some(expected_kind), Some(actual_kind)) = (expected_declared, actual_declared) {
        let textual = matches!(expected_kind, BodyKind::Text | BodyKind::Binary);
        let essences_differ = || {
            expected.content_type.as_deref().map(media_type_essence)
                != actual.content_type.as_deref().map(media_type_essence)
        };
        if expected_kind != actual_kind || (textual && essences_differ()) {
            let (e, a) = (
                expected.content_type.clone().unwrap_or_default(),
                actual.content_type.clone().unwrap_or_default(),
            );
            let detail = format!("expected a body of type {e}, got {a}");
            return vec![Mismatch::body(
                "$",
                Some(Value::String(e)),
                Some(Value::String(a)),
                detail,
            )];
        }
    }
    let rules = RuleSet::new(rules);
    if let Some(content_type) = content_type_rule(&rules) {
        // A `contentType` rule on the whole body stands in for comparing the content.
        return check_content_type(content_type, actual.content_type.as_deref(), actual_content);
    }
    match expected_declared.unwrap_or_else(|| infer_kind(expected_content)) {
        BodyKind::Json => {
            let expected_value = match json_of(expected_content) {
                Ok(value) => value,
                Err(error) => {
                    return vec![Mismatch::body(
                        "$",
                        None,
                        None,
                        format!("the contract's JSON body does not parse: {error}"),
                    )];
                }
            };
            let actual_value = match actual_json_of(actual_content) {
                Ok(value) => value,
                Err(error) => {
                    let actual_text = Value::String(text_of(actual_content));
                    let detail = format!(
                        "expected a JSON body, got {} which does not parse ({error})",
                        show(&actual_text)
                    );
                    return vec![Mismatch::body("$", None, Some(actual_text), detail)];
                }
            };
            let matcher = json::JsonMatcher {
                rules,
                evaluator,
                strict,
            };
            let mut out = Vec::new();
            let root = matcher.rules.root();
            matcher.compare(&root, &expected_value, &actual_value, &mut out);
            out
        }
        BodyKind::Xml => xml::XmlMatcher {
            rules,
            evaluator,
            strict,
        }
        .compare_documents(&text_of(expected_content), &text_of(actual_content)),
        BodyKind::Form => form::compare_form(
            &text_of(expected_content),
            &text_of(actual_content),
            &rules,
            evaluator,
            strict,
        ),
        BodyKind::Text => text::compare_text(
            &text_of(expected_content),
            &text_of(actual_content),
            &rules,
            evaluator,
        ),
        BodyKind::Binary => match (expected_content, actual_content) {
            (BodyContent::Bytes(expected_bytes), BodyContent::Bytes(actual_bytes))
                if rules.select(&rules.root()).is_none() =>
            {
                if expected_bytes == actual_bytes {
                    Vec::new()
                } else {
                    let detail = format!(
                        "expected {} bytes of binary data, got {} different bytes",
                        expected_bytes.len(),
                        actual_bytes.len()
                    );
                    vec![Mismatch::body("$", None, None, detail)]
                }
            }
            _ => text::compare_text(
                &text_of(expected_content),
                &text_of(actual_content),
                &rules,
                evaluator,
            ),
        },
    }
}

/// The `contentType` rule written for the whole body, if there is one.
fn content_type_rule<'r>(rules: &'r RuleSet<'_>) -> Option<&'r str> {
    let selected = rules
        .select(&rules.root())
        .filter(|selected| !selected.cascaded)?;
    selected.list.rules.iter().find_map(|rule| match rule {
        MatchingRule::ContentType(content_type) => Some(content_type.as_str()),
        _ => None,
    })
}

/// The actual body's content type (declared, else recognised from the content) must be the
/// expected one.
fn check_content_type(
    expected: &str,
    declared: Option<&str>,
    content: &BodyContent,
) -> Vec<Mismatch> {
    let actual = match declared {
        Some(declared) => media_type_essence(declared),
        None => Cow::Borrowed(sniff_content_type(content)),
    };
    if media_types_match(&media_type_essence(expected), &actual) {
        return Vec::new();
    }
    let detail = format!("expected a body of type {expected}, got {actual}");
    vec![Mismatch::body(
        "$",
        Some(Value::String(expected.to_owned())),
        Some(Value::String(actual.into_owned())),
        detail,
    )]
}

/// A content type recognised from the content: a few binary signatures, then the text kinds.
fn sniff_content_type(content: &BodyContent) -> &'static str {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF8", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1f\x8b", "application/gzip"),
    ];
    if let BodyContent::Bytes(bytes) = content {
        return SIGNATURES
            .iter()
            .find(|(signature, _)| bytes.starts_with(signature))
            .map_or("application/octet-stream", |(_, content_type)| content_type);
    }
    match infer_kind(content) {
        BodyKind::Json => "application/json",
        BodyKind::Xml => "application/xml",
        BodyKind::Form => "application/x-www-form-urlencoded",
        BodyKind::Text => "text/plain",
        BodyKind::Binary => "application/octet-stream",
    }
}

fn is_empty(content: &BodyContent) -> bool {
    match content {
        BodyContent::Text(text) => text.is_empty(),
        BodyContent::Bytes(bytes) => bytes.is_empty(),
        BodyContent::Json(Value::String(text)) => text.is_empty(),
        BodyContent::Json(_) => false,
    }
}

/// The content as text: strings as they are, other JSON as JSON text, bytes as UTF-8.
fn text_of(content: &BodyContent) -> String {
    match content {
        BodyContent::Text(text) | BodyContent::Json(Value::String(text)) => text.clone(),
        BodyContent::Json(value) => value.to_string(),
        BodyContent::Bytes(bytes) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The body as a JSON document: borrowed when it already is one (the contract's side, parsed
/// once at load), parsed otherwise.
fn json_of(content: &BodyContent) -> Result<Cow<'_, Value>, serde_json::Error> {
    match content {
        BodyContent::Json(value) => Ok(Cow::Borrowed(value)),
        // Some providers start their JSON with a byte order mark; it is not part of the document.
        BodyContent::Text(text) => {
            serde_json::from_str(text.trim_start_matches('\u{feff}')).map(Cow::Owned)
        }
        BodyContent::Bytes(bytes) => {
            serde_json::from_slice(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes))
                .map(Cow::Owned)
        }
    }
}

/// The actual body as a JSON document, in the light form the JSON matcher walks.
fn actual_json_of(content: &BodyContent) -> Result<actual_json::Node<'_>, serde_json::Error> {
    match content {
        BodyContent::Json(value) => Ok(actual_json::Node::borrow_value(value)),
        BodyContent::Text(text) => {
            actual_json::Node::parse_str(text.trim_start_matches('\u{feff}'))
        }
        BodyContent::Bytes(bytes) => {
            actual_json::Node::parse_slice(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes))
        }
    }
}

fn kind_of_content_type(content_type: &str) -> Option<BodyKind> {
    // The type nearly every JSON body declares, without working out its essence.
    if content_type == "application/json" {
        return Some(BodyKind::Json);
    }
    let essence = media_type_essence(content_type);
    let (kind, subtype) = essence.split_once('/')?;
    Some(if subtype == "json" || subtype.ends_with("+json") {
        BodyKind::Json
    } else if subtype == "xml" || subtype.ends_with("+xml") {
        BodyKind::Xml
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if kind == "text" {
        BodyKind::Text
    } else {
        BodyKind::Binary
    })
}

fn infer_kind(content: &BodyContent) -> BodyKind {
    let text = match content {
        BodyContent::Json(_) => return BodyKind::Json,
        BodyContent::Text(text) => text.as_str(),
        BodyContent::Bytes(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => return BodyKind::Binary,
        },
    };
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with("<?xml") || (trimmed.starts_with('<') && xml::parse(trimmed).is_ok()) {
        BodyKind::Xml
    } else if serde_json::from_str::<Value>(trimmed).is_ok() {
        BodyKind::Json
    } else {
        BodyKind::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_takes_the_short_way_to_the_same_kind() {
        for content_type in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/vnd.x+json",
        ] {
            assert_eq!(
                kind_of_content_type(content_type),
                Some(BodyKind::Json),
                "{content_type}"
            );
        }
        assert_eq!(
            kind_of_content_type("application/jsonx"),
            Some(BodyKind::Binary)
        );
        assert_eq!(kind_of_content_type("text/json"), Some(BodyKind::Json));
        assert_eq!(kind_of_content_type("json"), None);
    }
}
