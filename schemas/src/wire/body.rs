//! Bodies and message contents: the V1–V3 bare JSON value and the V4 wrapper
//! `{"content", "contentType", "encoded"}`, converted into [`Body`].
//!
//! The rules, in one place:
//!
//! * no `body` key gives [`Body::Absent`]; `null` (bare, or a V4 wrapper with `content: null`)
//!   gives [`Body::Null`];
//! * the empty string (bare or wrapped) gives an empty text body, `Present(Text(""))`, whatever
//!   the content type, because an empty body has no JSON document to compare;
//! * objects, arrays, numbers and booleans give [`BodyContent::Json`];
//! * any other string gives [`BodyContent::Text`] when a content type is known and is not a
//!   JSON one (the V4 wrapper's `contentType`, else the `Content-Type` header or the message's
//!   `contentType` metadata), or when no content type is known and it looks like XML (its first
//!   non-blank character is `<`); otherwise, and always under a JSON content type, it is a JSON
//!   string document, `Json(Value::String)`;
//! * V4 `encoded: "base64"` (or `true`) is decoded: to text or JSON when the content type is
//!   textual and the bytes are UTF-8, otherwise to [`BodyContent::Bytes`]; `encoded: "json"`
//!   means `content` holds JSON text, which is parsed;
//! * a V4 body that is not a wrapper object is read as a bare V3 body (the reference parser
//!   does the same with a warning; one spec case relies on it).

use base64::Engine as _;
use serde_json::{Map, Value};

use super::findings::{Findings, child, json_type_name};
use crate::model::{Body, BodyContent, SpecVersion};

/// The keys a V4 body wrapper may have; an object with other keys is a bare body.
const WRAPPER_KEYS: [&str; 4] = ["content", "contentType", "encoded", "contentTypeHint"];

/// Converts the `body` (or `contents`) value at `pointer`. `content_type` is the content type
/// known from outside the body (the `Content-Type` header, or message metadata).
pub(crate) fn parse_body(
    value: Option<&Value>,
    content_type: Option<&str>,
    version: SpecVersion,
    pointer: &str,
    findings: &mut Findings,
) -> Body {
    match value {
        None => Body::Absent,
        Some(Value::Null) => Body::Null,
        Some(Value::Object(object)) if version >= SpecVersion::V4 && is_wrapper(object) => {
            parse_wrapper(object, content_type, pointer, findings)
        }
        Some(bare) => Body::Present {
            content: bare_content(bare, content_type),
            content_type: None,
        },
    }
}

/// True when `content_type` names a JSON media type (`application/json`, `…+json`).
pub fn is_json_content_type(content_type: &str) -> bool {
    let essence = media_type_essence(content_type);
    essence.ends_with("/json") || essence.ends_with("+json") || essence.ends_with("-json")
}

/// True when text looks like an XML document (its first non-blank character is `<`).
pub fn looks_like_xml(text: &str) -> bool {
    text.trim_start().starts_with('<')
}

fn is_wrapper(object: &Map<String, Value>) -> bool {
    object.contains_key("content")
        && object
            .keys()
            .all(|key| WRAPPER_KEYS.contains(&key.as_str()))
}

fn bare_content(value: &Value, content_type: Option<&str>) -> BodyContent {
    match value {
        Value::String(text) => string_content(text, content_type),
        other => BodyContent::Json(other.clone()),
    }
}

fn string_content(text: &str, content_type: Option<&str>) -> BodyContent {
    let known_json = content_type.is_some_and(is_json_content_type);
    let known_not_json =
        content_type.is_some_and(|content_type| !is_json_content_type(content_type));
    if text.is_empty() || known_not_json || (looks_like_xml(text) && !known_json) {
        BodyContent::Text(text.to_owned())
    } else {
        BodyContent::Json(Value::String(text.to_owned()))
    }
}

fn parse_wrapper(
    object: &Map<String, Value>,
    outside_content_type: Option<&str>,
    pointer: &str,
    findings: &mut Findings,
) -> Body {
    let wrapper_content_type = match object.get("contentType") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            findings.wrong_type(&child(pointer, "contentType"), "string", other);
            None
        }
    };
    let effective_content_type = wrapper_content_type.as_deref().or(outside_content_type);
    let content = object.get("content").unwrap_or(&Value::Null);
    if content.is_null() {
        return Body::Null;
    }
    let content_pointer = child(pointer, "content");
    let body_content = match encoding(object.get("encoded"), pointer, findings) {
        Encoding::None => bare_content(content, effective_content_type),
        Encoding::Base64 => match content {
            Value::String(text) => {
                decode_base64(text, effective_content_type, &content_pointer, findings)
            }
            other => {
                findings.wrong_type(&content_pointer, "base64 string", other);
                BodyContent::Json(other.clone())
            }
        },
        Encoding::Json => match content {
            Value::String(text) => match serde_json::from_str::<Value>(text) {
                Ok(parsed) => BodyContent::Json(parsed),
                Err(error) => {
                    findings.error(
                        &content_pointer,
                        format!("expected JSON text, found {error}"),
                    );
                    BodyContent::Text(text.clone())
                }
            },
            other => BodyContent::Json(other.clone()),
        },
    };
    Body::Present {
        content: body_content,
        content_type: wrapper_content_type,
    }
}

enum Encoding {
    None,
    Base64,
    Json,
}

fn encoding(value: Option<&Value>, pointer: &str, findings: &mut Findings) -> Encoding {
    match value {
        None | Some(Value::Null) | Some(Value::Bool(false)) => Encoding::None,
        Some(Value::Bool(true)) => Encoding::Base64,
        Some(Value::String(text)) => match text.to_ascii_lowercase().as_str() {
            "base64" => Encoding::Base64,
            "json" => Encoding::Json,
            "false" | "" => Encoding::None,
            _ => {
                findings.error(
                    &child(pointer, "encoded"),
                    format!("expected false, \"base64\" or \"json\", found \"{text}\""),
                );
                Encoding::None
            }
        },
        Some(other) => {
            findings.error(
                &child(pointer, "encoded"),
                format!(
                    "expected false, \"base64\" or \"json\", found {}",
                    json_type_name(other)
                ),
            );
            Encoding::None
        }
    }
}

fn decode_base64(
    text: &str,
    content_type: Option<&str>,
    pointer: &str,
    findings: &mut Findings,
) -> BodyContent {
    let compact: String = text
        .chars()
        .filter(|character| !character.is_ascii_whitespace())
        .collect();
    let bytes = match base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) {
        Ok(bytes) => bytes,
        Err(error) => {
            let reason = error.to_string().to_lowercase();
            let reason = reason.trim_end_matches('.');
            findings.error(pointer, format!("expected base64 text ({reason})"));
            return BodyContent::Bytes(Vec::new());
        }
    };
    let textual = content_type.is_some_and(is_textual_content_type);
    match String::from_utf8(bytes) {
        Ok(decoded) if textual => {
            if content_type.is_some_and(is_json_content_type)
                && let Ok(parsed) = serde_json::from_str::<Value>(&decoded)
            {
                return BodyContent::Json(parsed);
            }
            BodyContent::Text(decoded)
        }
        Ok(decoded) => BodyContent::Bytes(decoded.into_bytes()),
        Err(error) => BodyContent::Bytes(error.into_bytes()),
    }
}

fn is_textual_content_type(content_type: &str) -> bool {
    let essence = media_type_essence(content_type);
    essence.starts_with("text/")
        || is_json_content_type(&essence)
        || essence.ends_with("/xml")
        || essence.ends_with("+xml")
        || essence == "application/x-www-form-urlencoded"
}

/// The media type without parameters, lowercased (`Application/JSON; charset=utf-8` gives
/// `application/json`).
fn media_type_essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}
